//! The tests of exercise 08, `lectures/exercises/ex08_explained_variance.rs` (`lectures exercises check ex08`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex08_explained_variance.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex08_explained_variance.rs"
)]
mod ex08_explained_variance;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.pca.covariance`): the ratios of dimred's PCA.
    #[test]
    fn explained_variance_ratio_matches_pca(
        x in spread_points(5..30, 2..6), d_raw in 0usize..6,
    ) {
        let (n, dim) = x.shape();
        let d = 1 + d_raw % dim;
        prop_assume!(x.covariance().trace() > 0.0, "all points equal: no variance to explain");
        let got = ex08_explained_variance::explained_variance_ratio(&x, d);
        let fit = dimred::pca::Pca::new(d).fit(&x).unwrap();
        prop_assert!(got.len() == d, "returned {} ratios, expected d = {d}", got.len());
        // Ratios lie in [0, 1]; eigenvalues carry an error of about D ε relative to the total.
        close_vec("the ratios", &got, &fit.explained_variance_ratio, 64.0 * (n * dim) as f64 * EPS)?;
    }
}
