//! Exercise 11 · double centering, B = −½ J Δ² J (`dr.mds.classical`).
//!
//! Task: from the N×N matrix of *squared* distances Δ² (entries δ_ij²), return
//! B = −½ J Δ² J with J = I − (1/N) 1 1ᵀ. Do it in O(N²): (JAJ)_ij = a_ij − r_i − c_j + m with
//! r the row means, c the column means and m the grand mean; never form J. When Δ holds
//! Euclidean distances of points X, B is the Gram matrix X_c X_cᵀ of the centred points.
//!
//! Claim: `dr.mds.classical`. Notes: lectures/notes/01-pca-and-mds.md, section
//! "`dr.mds.classical`: from distances back to coordinates".

use linalg::Matrix;

/// B = −½ J Δ² J from the squared distances (`dr.mds.classical`).
pub fn double_center(sq_dist: &Matrix) -> Matrix {
    // BEGIN SOLUTION: return B = −½ J Δ² J without forming the N×N matrix J
    let (n, m) = sq_dist.shape();
    let row: Vec<f64> = sq_dist
        .rows()
        .map(|r| r.iter().sum::<f64>() / m as f64)
        .collect();
    let col = sq_dist.column_means();
    let grand = row.iter().sum::<f64>() / n as f64;
    Matrix::from_fn(n, m, |i, j| {
        -0.5 * (sq_dist[(i, j)] - row[i] - col[j] + grand)
    })
    // END SOLUTION
}
