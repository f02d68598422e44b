//! Exercise 13 · the vector–Jacobian product of tanh (`ad.reverse`).
//!
//! Task: for Y = tanh(X) entry-wise and the upstream gradient Ȳ = ∂L/∂Y (same shape), return
//! X̄ = ∂L/∂X = Ȳ ⊙ (1 − tanh²X). This is the line the tape's backward sweep runs for a tanh
//! node; compute it directly with `Matrix` operations (no tape).
//!
//! Claim: `ad.reverse`. Notes: lectures/notes/02-autodiff.md, section
//! "Every operation and its vector–Jacobian product".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// X̄ = Ȳ ⊙ (1 − tanh² X) (`ad.reverse`).
///
/// # Panics
/// If X and Ȳ differ in shape.
pub fn tanh_vjp(x: &Matrix, g: &Matrix) -> Matrix {
    todo!("return X̄, the gradient that flows back to X through Y = tanh(X) when Y receives the gradient G")
}
