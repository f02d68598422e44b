//! Exercise 02 · the off-norm and what one rotation does to it (`la.jacobi.converges`).
//!
//! Task: return off(A) = sqrt(Σ_{i≠j} a_ij²) of the symmetric matrix A, and the off-norm that
//! A will have after the Jacobi rotation in the plane (p, q), *predicted without rotating*:
//! the rotation moves exactly 2 a_pq² of off(A)² onto the diagonal.
//!
//! Claim: `la.jacobi.converges`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.jacobi.converges`: one rotation, many sweeps" (why off(A)² falls by 2 a_pq²).
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// (off(A), off(JᵀAJ)) for the rotation J in the plane (p, q) (`la.jacobi.converges`).
pub fn off_norm_and_update(a: &Matrix, p: usize, q: usize) -> (f64, f64) {
    todo!("return off(A) and the off-norm that one rotation in the plane (p, q) will leave, without performing the rotation")
}
