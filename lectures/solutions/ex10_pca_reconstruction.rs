//! Exercise 10 · the best rank-d reconstruction (`dr.pca.reconstruction`).
//!
//! Task: reconstruct the N×D data X from its first d principal components: project every
//! centred point onto the span of the d leading eigenvectors of the covariance and map it back
//! into data space (add the mean back). The result X̂ is the closest matrix to X of the form
//! "mean plus rank d", and the tests check how close: ||X − X̂||²_F must be
//! (N − 1)(λ_{d+1} + … + λ_D).
//!
//! Claim: `dr.pca.reconstruction`. Notes: lectures/notes/01-pca-and-mds.md, section
//! "`dr.pca.reconstruction`: the best rank-d reconstruction".

use linalg::Matrix;

/// PCA's rank-d reconstruction X̂ of `x` (N×D, same shape as `x`) (`dr.pca.reconstruction`).
pub fn reconstruct(x: &Matrix, d: usize) -> Matrix {
    // BEGIN SOLUTION: return the reconstruction of x from its first d principal components, mean included
    let (xc, mean) = x.center_columns();
    let eig = linalg::eigh(&x.covariance()).expect("a covariance is symmetric");
    let v = eig.vectors.leading_columns(d);
    let mut xhat = xc.matmul(&v).matmul_tr(&v);
    for i in 0..xhat.nrows() {
        for (value, m) in xhat.row_mut(i).iter_mut().zip(&mean) {
            *value += m;
        }
    }
    xhat
    // END SOLUTION
}
