//! Exercise 23 · the t-SNE gradient (`dr.tsne.gradient`).
//!
//! Task: for the symmetric joint probabilities P (N×N, zero diagonal, entries summing to 1) and
//! the map Y (N×d), return the gradient of KL(P ‖ Q),
//! ∂KL/∂y_i = 4 Σ_j (p_ij − q_ij) w_ij (y_i − y_j), with the Student-t weights
//! w_ij = 1 / (1 + ||y_i − y_j||²) and q_ij = w_ij / Z, Z = Σ_{k≠l} w_kl.
//!
//! Claim: `dr.tsne.gradient`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.tsne.gradient`: the embedding side Q(N), KL and its gradient".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::{sq_dist, Matrix};

/// ∇_Y KL(P ‖ Q) for t-SNE (`dr.tsne.gradient`).
pub fn tsne_gradient(p: &Matrix, y: &Matrix) -> Matrix {
    todo!("return the gradient of KL(P‖Q) with respect to every embedded point")
}
