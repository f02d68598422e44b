//! The tests of exercise 10, `lectures/exercises/ex10_pca_reconstruction.rs` (`lectures exercises check ex10`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex10_pca_reconstruction.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex10_pca_reconstruction.rs"
)]
mod ex10_pca_reconstruction;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.pca.reconstruction`): ||X − X̂||² = (N − 1) Σ_{k>d} λ_k; X̂ keeps the mean; the
    /// centred X̂ has rank ≤ d.
    #[test]
    fn reconstruction_error_is_the_discarded_variance(x in spread_points(5..30, 2..6), d_raw in 0usize..6) {
        let (n, dim) = x.shape();
        let d = 1 + d_raw % dim;
        let xhat = ex10_pca_reconstruction::reconstruct(&x, d);
        prop_assert!(xhat.shape() == x.shape(), "X̂ is {:?}, should be {:?}", xhat.shape(), x.shape());
        let lambda = linalg::eigvalsh(&x.covariance()).unwrap();
        let want = (n - 1) as f64 * lambda[d..].iter().sum::<f64>();
        let (xc, mean) = x.center_columns();
        let scale = xc.frobenius_norm().powi(2);
        // Sums of N D squares; eigenvalues to D ε ||C||.
        let tol = 64.0 * (n * dim) as f64 * EPS * scale;
        close_scalar("||X − X̂||²", (&*x - &xhat).frobenius_norm().powi(2), want, tol)?;
        close_vec("the mean of X̂", &xhat.column_means(), &mean, 16.0 * n as f64 * EPS * x.max_abs())?;
        if d < dim {
            let (xhc, _) = xhat.center_columns();
            let sigma = linalg::svd(&xhc).unwrap().singular_values;
            prop_assert!(
                sigma[d] <= 1e-8 * (1.0 + sigma[0]),
                "X̂ − mean has rank > d = {d}: its singular value {} is {:e}", d + 1, sigma[d]
            );
        }
    }
}
