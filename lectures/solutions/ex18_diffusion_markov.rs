//! Exercise 18 · the Markov chain of diffusion maps (`dr.diffusion.markov`).
//!
//! Task: the transition matrix P of diffusion maps on the points (rows of X), for a kernel
//! scale ε > 0 and a density normalisation α ∈ [0, 1]: the Gaussian kernel
//! K_ij = exp(−||x_i − x_j||²/ε); with q_i = Σ_j K_ij, the renormalised kernel
//! K^(α)_ij = K_ij / (q_i q_j)^α; then P is K^(α) with every row divided by its sum, so each
//! row is a probability distribution over the next step of a random walk.
//!
//! Claim: `dr.diffusion.markov`. Notes: lectures/notes/03-spectral-and-kernel.md, section
//! "`dr.diffusion.markov`: diffusion maps".

use linalg::Matrix;

/// The N×N row-stochastic transition matrix of diffusion maps on the rows of `x`
/// (`dr.diffusion.markov`).
pub fn transition_matrix(x: &Matrix, epsilon: f64, alpha: f64) -> Matrix {
    // BEGIN SOLUTION: return the row-stochastic transition matrix P of diffusion maps for scale ε and normalisation α
    let n = x.nrows();
    let k = x.pairwise_sq_distances().map(|d2| (-d2 / epsilon).exp());
    let q: Vec<f64> = (0..n).map(|i| k.row(i).iter().sum()).collect();
    let k_alpha = Matrix::from_fn(n, n, |i, j| k[(i, j)] / (q[i] * q[j]).powf(alpha));
    let degrees: Vec<f64> = (0..n).map(|i| k_alpha.row(i).iter().sum()).collect();
    Matrix::from_fn(n, n, |i, j| k_alpha[(i, j)] / degrees[i])
    // END SOLUTION
}
