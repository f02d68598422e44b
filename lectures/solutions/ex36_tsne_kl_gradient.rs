//! Exercise 36 · project "your own t-SNE", step 2 of 4: KL(P ‖ Q) and its gradient
//! (`dr.tsne.gradient`).
//!
//! Task: for joint probabilities P (N×N, symmetric, zero diagonal, summing to 1), a map Y
//! (N×d) and an exaggeration factor α ≥ 1, return KL(P ‖ Q) = Σ_{i≠j} p_ij ln(p_ij / q_ij)
//! (terms with p_ij = 0 count 0) and the N×d gradient of t-SNE with P multiplied by α,
//! ∂/∂y_i = 4 Σ_j (α p_ij − q_ij) w_ij (y_i − y_j), where w_ij = 1 / (1 + ||y_i − y_j||²) and
//! q_ij = w_ij / Z, Z = Σ_{k≠l} w_kl. The KL is always that of the true P (α = 1); α only
//! changes the gradient. Step 37 calls this with α > 1 during early exaggeration.
//!
//! Claim: `dr.tsne.gradient`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.tsne.gradient`: the embedding side Q(N), KL and its gradient".

use linalg::{sq_dist, Matrix};

/// (KL(P ‖ Q), ∇_Y with P exaggerated by `exaggeration`) for t-SNE (`dr.tsne.gradient`).
pub fn kl_and_gradient(p: &Matrix, y: &Matrix, exaggeration: f64) -> (f64, Matrix) {
    // BEGIN SOLUTION: return KL(P‖Q) of the true P and the gradient with P multiplied by the exaggeration
    let (n, d) = y.shape();
    let w = Matrix::from_fn(n, n, |i, j| {
        if i == j {
            0.0
        } else {
            1.0 / (1.0 + sq_dist(y.row(i), y.row(j)))
        }
    });
    let z: f64 = w.as_slice().iter().sum();
    let mut kl = 0.0;
    let mut grad = Matrix::zeros(n, d);
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (pij, wij) = (p[(i, j)], w[(i, j)]);
            if pij > 0.0 {
                kl += pij * (pij * z / wij).ln();
            }
            let c = 4.0 * (exaggeration * pij - wij / z) * wij;
            for k in 0..d {
                grad[(i, k)] += c * (y[(i, k)] - y[(j, k)]);
            }
        }
    }
    (kl, grad)
    // END SOLUTION
}
