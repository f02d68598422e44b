//! Exercise 11 · double centering, B = −½ J Δ² J (`dr.mds.classical`).
//!
//! Task: from the N×N matrix of *squared* distances Δ² (entries δ_ij²), return
//! B = −½ J Δ² J with J = I − (1/N) 1 1ᵀ. Do it in O(N²): (JAJ)_ij = a_ij − r_i − c_j + m with
//! r the row means, c the column means and m the grand mean; never form J. When Δ holds
//! Euclidean distances of points X, B is the Gram matrix X_c X_cᵀ of the centred points.
//!
//! Claim: `dr.mds.classical`. Notes: lectures/notes/01-pca-and-mds.md, section
//! "`dr.mds.classical`: from distances back to coordinates".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// B = −½ J Δ² J from the squared distances (`dr.mds.classical`).
pub fn double_center(sq_dist: &Matrix) -> Matrix {
    todo!("return B = −½ J Δ² J without forming the N×N matrix J")
}
