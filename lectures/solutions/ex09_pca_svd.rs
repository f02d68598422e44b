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
    // BEGIN SOLUTION: return the variances, directions and scores of PCA into d dimensions, computed from the SVD of the centred data
    let (xc, _mean) = x.center_columns();
    let svd = linalg::svd(&xc).expect("finite data");
    let n = x.nrows() as f64;
    // X_c = U Σ Vᵀ gives the covariance X_cᵀX_c/(N − 1) = V Σ²/(N − 1) Vᵀ.
    let variances = svd.singular_values[..d]
        .iter()
        .map(|s| s * s / (n - 1.0))
        .collect();
    let components = svd.v.leading_columns(d);
    let scores = xc.matmul(&components);
    PcaBySvd {
        variances,
        components,
        scores,
    }
    // END SOLUTION
}
