//! The tests of exercise 09, `lectures/exercises/ex09_pca_svd.rs` (`lectures exercises check ex09`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex09_pca_svd.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex09_pca_svd.rs")]
mod ex09_pca_svd;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.pca.svd`): dimred's PCA variances; orthonormal directions; scores = X_c V whose
    /// covariance is diag(λ).
    #[test]
    fn pca_by_svd_matches_the_covariance_road(x in spread_points(6..30, 2..6), d_raw in 0usize..6) {
        let (n, dim) = x.shape();
        let d = 1 + d_raw % dim;
        let got = ex09_pca_svd::pca_by_svd(&x, d);
        let fit = dimred::pca::Pca::new(d).fit(&x).unwrap();
        let (xc, _) = x.center_columns();
        let total = x.covariance().trace();
        // Eigenvalues and σ²/(N − 1) both within a few N D ε of tr C.
        let tol = 64.0 * (n * dim) as f64 * EPS * total;
        close_vec("the variances λ", &got.variances, &fit.explained_variance[..d], tol)?;
        prop_assert!(got.components.shape() == (dim, d), "the directions are {:?}, should be {dim}x{d}", got.components.shape());
        prop_assert!(
            orthonormality_error(&got.components) <= 16.0 * dim as f64 * EPS,
            "the directions are not orthonormal: VᵀV − I has an entry {:e}", orthonormality_error(&got.components)
        );
        close("the scores", &got.scores, &xc.matmul(&got.components), 16.0 * dim as f64 * EPS * xc.max_abs())?;
        // Scores along principal directions are uncorrelated with variances λ.
        let cov = got.scores.tr_matmul(&got.scores).scale(1.0 / (n - 1) as f64);
        close("the covariance of the scores (should be diag(λ))", &cov, &Matrix::from_diag(&fit.explained_variance[..d]), tol)?;
    }
}
