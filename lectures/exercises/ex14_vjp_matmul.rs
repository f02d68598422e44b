//! Exercise 14 · the vector–Jacobian product of a matrix product (`ad.reverse`).
//!
//! Task: for C = A B (A is m×k, B is k×n) and the upstream gradient C̄ = ∂L/∂C (m×n), return
//! (Ā, B̄) = (C̄ Bᵀ, Aᵀ C̄). Check the shapes: Ā must be m×k and B̄ k×n. Use the transposed
//! products `matmul_tr` (A Bᵀ) and `tr_matmul` (Aᵀ B) rather than forming transposes.
//!
//! Claim: `ad.reverse`. Notes: lectures/notes/02-autodiff.md, section
//! "Every operation and its vector–Jacobian product".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// (Ā, B̄) = (C̄ Bᵀ, Aᵀ C̄) for C = A B (`ad.reverse`).
pub fn matmul_vjp(a: &Matrix, b: &Matrix, g: &Matrix) -> (Matrix, Matrix) {
    todo!("return (Ā, B̄), the gradients that flow back to A and B through C = A B when C receives the gradient C̄")
}
