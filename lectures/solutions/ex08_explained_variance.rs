//! Exercise 08 · PCA's explained variance ratio (`dr.pca.covariance`).
//!
//! Task: for data X (N samples as rows, D features), return λ_k / Σ_j λ_j for k = 1..d, where
//! λ_1 ≥ … ≥ λ_D are the eigenvalues of the sample covariance C = X_cᵀX_c / (N − 1) of the
//! centred data X_c. You may use `Matrix::covariance` and `linalg::eigvalsh`.
//!
//! Claim: `dr.pca.covariance`. Notes: lectures/notes/01-pca-and-mds.md, section
//! "`dr.pca.covariance`: PCA by diagonalising the covariance".

use linalg::Matrix;

/// The fraction of the total variance carried by each of the d leading principal directions
/// (`dr.pca.covariance`).
pub fn explained_variance_ratio(x: &Matrix, d: usize) -> Vec<f64> {
    // BEGIN SOLUTION: return the fraction of the total variance that each of the first d principal directions explains
    let values = linalg::eigvalsh(&x.covariance()).expect("covariance is symmetric");
    let total: f64 = values.iter().sum();
    values[..d].iter().map(|l| l / total).collect()
    // END SOLUTION
}
