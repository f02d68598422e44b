//! Exercise 09 · PCA from the SVD of the data (`dr.pca.svd`).
//!
//! Task: PCA of the N×D data X (rows are points, N > D) into d dimensions from the singular
//! value decomposition of the centred data X_c = X − 1μᵀ (`linalg::svd`), without forming the
//! covariance matrix: the variances λ_1 ≥ … ≥ λ_d along the principal directions, the D×d
//! matrix of the directions (orthonormal columns) and the N×d scores (the centred data in
//! those coordinates).
//!
//! Claim: `dr.pca.svd`. Notes: lectures/notes/01-pca-and-mds.md, section "`dr.pca.svd`: the
//! same from the SVD of the data".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// PCA's answer for d components.
#[derive(Debug, Clone)]
pub struct PcaBySvd {
    /// λ_1 ≥ … ≥ λ_d: the variance of the data along each principal direction.
    pub variances: Vec<f64>,
    /// D×d: the principal directions, orthonormal columns.
    pub components: Matrix,
    /// N×d: the centred data in the principal coordinates.
    pub scores: Matrix,
}

/// PCA of `x` into `d` dimensions through the SVD of the centred data (`dr.pca.svd`).
pub fn pca_by_svd(x: &Matrix, d: usize) -> PcaBySvd {
    todo!("return the variances, directions and scores of PCA into d dimensions, computed from the SVD of the centred data")
}
