//! The tests of exercise 32, `lectures/exercises/ex32_curved_manifold.rs` (`lectures exercises check ex32`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex32_curved_manifold.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex32_curved_manifold.rs"
)]
mod ex32_curved_manifold;

use common::*;

/// N points near a circle of radius r around (c0, c1): angles 2πk/N + jitter, radii r + noise.
fn noisy_circle() -> impl Strategy<Value = M> {
    (10usize..60, 1..=16i32, -8..=8i32, -8..=8i32).prop_flat_map(|(n, r8, c0, c1)| {
        proptest::collection::vec((-0.05..0.05f64, -0.05..0.05f64), n).prop_map(move |noise| {
            let r = r8 as f64 / 4.0;
            M(Matrix::from_fn(n, 2, |i, j| {
                let t = std::f64::consts::TAU * i as f64 / n as f64 + noise[i].0;
                let rad = r * (1.0 + noise[i].1);
                let c = [c0 as f64 / 8.0, c1 as f64 / 8.0];
                c[j] + rad * if j == 0 { t.cos() } else { t.sin() }
            }))
        })
    })
}

proptest! {
    #![proptest_config(config())]

    /// (`nn.ae.loss`): PCA's MSE is dimred's reconstruction error / (N D).
    #[test]
    fn pca_mse_matches_dimred(x in spread_points(5..30, 2..6), d_raw in 0usize..6) {
        let (n, dim) = x.shape();
        let d = 1 + d_raw % dim;
        let fit = dimred::pca::Pca::new(d).fit(&x).unwrap();
        let want = fit.reconstruction_error(&x) / (n * dim) as f64;
        let scale = x.covariance().trace();
        close_scalar("PCA's MSE", ex32_curved_manifold::pca_mse(&x, d), want, 64.0 * (n * dim) as f64 * EPS * scale)?;
    }

    /// (`nn.ae.loss`): on a noisy circle the 1-number angle code beats PCA's 1-number code:
    /// PCA keeps one axis and loses the other's variance (about r²/2 per point, r²/4 per
    /// entry); the angle code loses only the radial noise (≤ 5 % of r).
    #[test]
    fn the_curved_code_beats_pca_on_a_circle(x in noisy_circle()) {
        let n = x.nrows();
        let pca = ex32_curved_manifold::pca_mse(&x, 1);
        let ae = ex32_curved_manifold::circle_mse(&x);
        // The angle code's error is the radial deviation from the mean radius, per entry.
        let (xc, _) = x.center_columns();
        let radii: Vec<f64> = (0..n).map(|i| xc[(i, 0)].hypot(xc[(i, 1)])).collect();
        let mean_r = radii.iter().sum::<f64>() / n as f64;
        let want = radii.iter().map(|r| (r - mean_r).powi(2)).sum::<f64>() / (2 * n) as f64;
        close_scalar("the angle code's MSE", ae, want, 1e-12 * (1.0 + mean_r * mean_r))?;
        prop_assert!(
            ae < 0.1 * pca,
            "the angle code's MSE {ae:e} should be far below PCA's {pca:e} with one number per point"
        );
    }
}
