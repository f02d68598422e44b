//! Exercise 04 · tiny eigenvalues keep their digits (`la.jacobi.relative-accuracy`).
//!
//! Task: the eigenvalues of a symmetric positive definite matrix whose entries span many orders
//! of magnitude (a graded matrix A = D H D, D diagonal, H well conditioned), each to a small
//! *relative* error, the smallest as well as the largest. Use cyclic Jacobi sweeps with
//! `linalg::jacobi_rotation`, as in exercise 03; the whole question is when a_pq counts as
//! negligible, and when to stop. Return the eigenvalues from the largest down.
//!
//! Predict before you run: exercise 03 stops when off(A) ≤ ε ||A||_F. On
//! A = diag(1, 1e-10, 1e-20) plus small off-diagonal couplings, which eigenvalues can that
//! test leave wrong in every digit?
//!
//! Claim: `la.jacobi.relative-accuracy`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.jacobi.relative-accuracy`: tiny eigenvalues keep their digits".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// The eigenvalues of the symmetric positive definite `a`, largest first, each to high
/// relative accuracy (`la.jacobi.relative-accuracy`).
pub fn graded_eigenvalues(a: &Matrix) -> Vec<f64> {
    todo!("return the eigenvalues of a, largest first, each with a small relative error even when they span many orders of magnitude")
}
