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

use linalg::Matrix;

/// Σ|negative eigenvalues| / Σ positive eigenvalues of B = −½ J Δ² J for the symmetric `sq`
/// = Δ² with zero diagonal (`dr.mds.euclidean`).
pub fn negative_ratio(sq: &Matrix) -> f64 {
    // BEGIN SOLUTION: return the negative eigenvalue mass of B = −½ J Δ² J relative to its positive mass
    let n = sq.nrows();
    let means = sq.column_means();
    let grand = means.iter().sum::<f64>() / n as f64;
    let b = Matrix::from_fn(n, n, |i, j| {
        -0.5 * (sq[(i, j)] - means[i] - means[j] + grand)
    });
    let lambda = linalg::eigvalsh(&b).expect("B is symmetric");
    let tol = n as f64 * f64::EPSILON * lambda.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let pos: f64 = lambda.iter().filter(|&&v| v > 0.0).sum();
    let neg: f64 = lambda.iter().filter(|&&v| v < -tol).map(|v| -v).sum();
    if pos > 0.0 {
        neg / pos
    } else {
        f64::INFINITY
    }
    // END SOLUTION
}
