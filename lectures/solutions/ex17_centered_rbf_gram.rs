//! Exercise 17 · the RBF Gram matrix, centred in feature space (`dr.kpca.centering`).
//!
//! Task: for the rows x_i of X and γ > 0 return K̃ = J K J, where K_ij = exp(−γ ||x_i − x_j||²)
//! and J = I − (1/N) 1 1ᵀ. K̃ is the Gram matrix of the feature vectors φ(x_i) after
//! subtracting their mean, which kernel PCA needs and cannot compute directly (φ is never
//! built). Do the centring in O(N²): k̃_ij = k_ij − r_i − r_j + m (K is symmetric, so row and
//! column means agree).
//!
//! Claim: `dr.kpca.centering`. Notes: lectures/notes/03-spectral-and-kernel.md, section
//! "`dr.kpca.centering`: PCA in feature space".

use linalg::Matrix;

/// K̃ = J K J for the RBF kernel exp(−γ ||x − y||²) (`dr.kpca.centering`).
pub fn centered_rbf_gram(x: &Matrix, gamma: f64) -> Matrix {
    // BEGIN SOLUTION: return the RBF Gram matrix of the points, centred in feature space
    let n = x.nrows();
    let k = x.pairwise_sq_distances().map(|d2| (-gamma * d2).exp());
    let means: Vec<f64> = k.rows().map(|r| r.iter().sum::<f64>() / n as f64).collect();
    let grand = means.iter().sum::<f64>() / n as f64;
    Matrix::from_fn(n, n, |i, j| k[(i, j)] - means[i] - means[j] + grand)
    // END SOLUTION
}
