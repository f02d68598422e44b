//! Exercise 23 · the t-SNE gradient (`dr.tsne.gradient`).
//!
//! Task: for the symmetric joint probabilities P (N×N, zero diagonal, entries summing to 1) and
//! the map Y (N×d), return the gradient of KL(P ‖ Q),
//! ∂KL/∂y_i = 4 Σ_j (p_ij − q_ij) w_ij (y_i − y_j), with the Student-t weights
//! w_ij = 1 / (1 + ||y_i − y_j||²) and q_ij = w_ij / Z, Z = Σ_{k≠l} w_kl.
//!
//! Claim: `dr.tsne.gradient`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.tsne.gradient`: the embedding side Q(N), KL and its gradient".

use linalg::{sq_dist, Matrix};

/// ∇_Y KL(P ‖ Q) for t-SNE (`dr.tsne.gradient`).
pub fn tsne_gradient(p: &Matrix, y: &Matrix) -> Matrix {
    // BEGIN SOLUTION: return the gradient of KL(P‖Q) with respect to every embedded point
    let (n, d) = y.shape();
    let w = Matrix::from_fn(n, n, |i, j| {
        if i == j {
            0.0
        } else {
            1.0 / (1.0 + sq_dist(y.row(i), y.row(j)))
        }
    });
    let z: f64 = w.as_slice().iter().sum();
    let mut grad = Matrix::zeros(n, d);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let c = 4.0 * (p[(i, j)] - w[(i, j)] / z) * w[(i, j)];
                for k in 0..d {
                    grad[(i, k)] += c * (y[(i, k)] - y[(j, k)]);
                }
            }
        }
    }
    grad
    // END SOLUTION
}
