//! Exercise 05 · the SVD, column by column: one-sided (Hestenes) Jacobi
//! (`la.svd.one-sided-jacobi`).
//!
//! Task: the singular values of an m×n matrix X and the orthogonal n×n matrix V of its right
//! singular vectors, without ever forming XᵀX. Rotate pairs of columns of a working copy of X
//! (and the same pairs of columns of V, which starts as the identity) until every pair of
//! columns is orthogonal; then XV has orthogonal columns, and their norms are the singular
//! values. Return all n of them, largest first, with the columns of V in the same order.
//!
//! Claim: `la.svd.one-sided-jacobi`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.svd.one-sided-jacobi`: the SVD, column by column".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// The n singular values of the m×n `x`, largest first, and the n×n orthogonal V whose
/// columns are the matching right singular vectors (`la.svd.one-sided-jacobi`).
pub fn one_sided_jacobi(x: &Matrix) -> (Vec<f64>, Matrix) {
    todo!("return the singular values of x, largest first, and V, computed by one-sided Jacobi rotations of the columns")
}
