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

use linalg::Matrix;

/// PCA's rank-d reconstruction error of `x`, per entry (`nn.ae.loss`).
pub fn pca_mse(x: &Matrix, d: usize) -> f64 {
    // BEGIN SOLUTION: return the mean squared error per entry of PCA's rank-d reconstruction of x
    let (xc, _) = x.center_columns();
    let eig = linalg::eigh(&x.covariance()).expect("a covariance is symmetric");
    let v = eig.vectors.leading_columns(d);
    let residual = &xc - &xc.matmul(&v).matmul_tr(&v);
    residual.frobenius_norm().powi(2) / (x.nrows() * x.ncols()) as f64
    // END SOLUTION
}

/// The reconstruction error per entry of the angle autoencoder on the N×2 `x` (`nn.ae.loss`).
pub fn circle_mse(x: &Matrix) -> f64 {
    // BEGIN SOLUTION: return the mean squared error per entry when each point is encoded by its angle around the centroid and decoded onto the mean circle
    let (xc, _) = x.center_columns();
    let n = x.nrows();
    let radius = (0..n).map(|i| xc[(i, 0)].hypot(xc[(i, 1)])).sum::<f64>() / n as f64;
    let mut sum = 0.0;
    for i in 0..n {
        let theta = xc[(i, 1)].atan2(xc[(i, 0)]);
        sum += (xc[(i, 0)] - radius * theta.cos()).powi(2)
            + (xc[(i, 1)] - radius * theta.sin()).powi(2);
    }
    sum / (2 * n) as f64
    // END SOLUTION
}
