//! Exercise 06 · a few eigenpairs of a large matrix: subspace iteration (`la.eig.top-k`).
//!
//! Task: the k largest eigenvalues of a symmetric positive semidefinite n×n matrix A, and
//! their eigenvectors (the columns of an n×k matrix), using only products A·Q and small k×k
//! problems: never diagonalise A itself. Start from any n×k block of full rank, multiply by A
//! and re-orthonormalise (`linalg::orthonormalize`) until the block spans the leading
//! eigenvectors; then solve the k×k problem QᵀAQ (`linalg::eigh`) to split the block into
//! eigenpairs. Return the eigenvalues from the largest down. Stop when every pair (θ, y) has
//! ||A y − θ y|| ≤ 1e-12 ||A||_F.
//!
//! Claim: `la.eig.top-k`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.eig.top-k`: a few eigenpairs of a large matrix".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// The k largest eigenvalues of the symmetric positive semidefinite `a` (descending) and
/// their eigenvectors as the columns of an n×k matrix (`la.eig.top-k`).
pub fn top_k(a: &Matrix, k: usize) -> (Vec<f64>, Matrix) {
    todo!("return the k largest eigenvalues of a and their eigenvectors, using products with a and k×k eigenproblems only")
}
