//! Exercise 32 · a curve beats a line: the nonlinear autoencoder's loss (`nn.ae.loss`).
//!
//! Predict, then run. Points lie near a circle in the plane. With a one-number code, PCA can
//! only keep the coordinate along one line through the centre; a nonlinear encoder can keep
//! the angle. Predict which reconstructs the circle better, and by how much for the unit
//! circle.
//!
//! Task: two reconstruction errors, each the mean squared error per entry
//! ||X − X̂||²_F / (N·D):
//! - `pca_mse`: X̂ is PCA's rank-d reconstruction of X (mean plus projection on the d leading
//!   principal directions);
//! - `circle_mse`: X̂ is the output of the hand-made 1-number autoencoder for 2-D points:
//!   encode x_i as its angle θ_i around the centroid c of the points, decode θ as
//!   c + r (cos θ, sin θ), with r the mean distance of the points to c.
//!
//! Claim: `nn.ae.loss`. Notes: lectures/notes/06-autoencoders.md, section "`nn.ae.loss`: the
//! nonlinear autoencoder".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// PCA's rank-d reconstruction error of `x`, per entry (`nn.ae.loss`).
pub fn pca_mse(x: &Matrix, d: usize) -> f64 {
    todo!("return the mean squared error per entry of PCA's rank-d reconstruction of x")
}

/// The reconstruction error per entry of the angle autoencoder on the N×2 `x` (`nn.ae.loss`).
pub fn circle_mse(x: &Matrix) -> f64 {
    todo!("return the mean squared error per entry when each point is encoded by its angle around the centroid and decoded onto the mean circle")
}
