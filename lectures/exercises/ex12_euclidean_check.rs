//! Exercise 12 · when distances are not Euclidean (`dr.mds.euclidean`).
//!
//! Task: decide how far a table of squared distances Δ² is from being Euclidean. Classical
//! MDS forms B = −½ J Δ² J (exercise 11); B is positive semidefinite exactly when the
//! distances are those of points in some Euclidean space. Return the ratio
//! Σ |λ| over the negative eigenvalues of B divided by Σ λ over the positive ones, counting as
//! negative only eigenvalues below −N ε max|λ| (smaller ones are rounding). It is 0 for
//! Euclidean distances and grows with the departure from them (+∞ if no eigenvalue is
//! positive).
//!
//! Predict before you run: three points with distances 1, 1 and 3 break the triangle
//! inequality. Is the ratio 0?
//!
//! Claim: `dr.mds.euclidean`. Notes: lectures/notes/01-pca-and-mds.md, section
//! "`dr.mds.euclidean`: when distances are not Euclidean".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// Σ|negative eigenvalues| / Σ positive eigenvalues of B = −½ J Δ² J for the symmetric `sq`
/// = Δ² with zero diagonal (`dr.mds.euclidean`).
pub fn negative_ratio(sq: &Matrix) -> f64 {
    todo!("return the negative eigenvalue mass of B = −½ J Δ² J relative to its positive mass")
}
