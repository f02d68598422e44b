//! Exercise 20 · one SMACOF step, the Guttman transform (`dr.mds.stress`).
//!
//! Task: for target distances Δ (N×N, symmetric, zero diagonal) and a configuration Y (N×d),
//! return Y⁺ = (1/N) B(Y) Y, where B(Y) has off-diagonal entries b_ij = −δ_ij / θ_ij
//! (θ_ij = ||y_i − y_j||; b_ij = 0 when θ_ij = 0) and diagonal b_ii = −Σ_{j≠i} b_ij. This is
//! SMACOF with unit weights: the stress σ(Y) = Σ_{i<j} (δ_ij − θ_ij)² never increases.
//!
//! Claim: `dr.mds.stress`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.mds.stress`: metric MDS and SMACOF".

use linalg::{sq_dist, Matrix};

/// The Guttman transform Y⁺ = (1/N) B(Y) Y with unit weights (`dr.mds.stress`).
pub fn guttman_transform(delta: &Matrix, y: &Matrix) -> Matrix {
    // BEGIN SOLUTION: return the Guttman transform Y⁺ = B(Y) Y / N of the current embedding
    let (n, d) = y.shape();
    let mut out = Matrix::zeros(n, d);
    for i in 0..n {
        for j in i + 1..n {
            let theta = sq_dist(y.row(i), y.row(j)).sqrt();
            if theta > 0.0 {
                let c = delta[(i, j)] / theta;
                for k in 0..d {
                    let diff = c * (y[(i, k)] - y[(j, k)]);
                    out[(i, k)] += diff;
                    out[(j, k)] -= diff;
                }
            }
        }
    }
    out.scale(1.0 / n as f64)
    // END SOLUTION
}
