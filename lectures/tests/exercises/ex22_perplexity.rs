//! The tests of exercise 22, `lectures/exercises/ex22_perplexity.rs` (`lectures exercises check ex22`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex22_perplexity.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex22_perplexity.rs")]
mod ex22_perplexity;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.sne.affinities`): p is a Gibbs distribution e^{−β d}/Z with perplexity P, and β
    /// agrees with dimred's calibration.
    #[test]
    fn perplexity_is_calibrated(
        d in proptest::collection::vec(0.0..10.0f64, 5..30), log_scale in -3i32..3, frac in 0.05..0.8f64,
    ) {
        let d: Vec<f64> = d.iter().map(|v| v * 10f64.powi(log_scale)).collect();
        let m = d.len();
        prop_assume!(d.iter().any(|&v| v != d[0]), "all distances equal: every β has the same p");
        let perplexity = 1.5 + frac * (m as f64 - 1.5);
        let (beta, p) = ex22_perplexity::calibrate(&d, perplexity);
        prop_assert!(p.len() == m, "p has {} entries for {m} distances", p.len());
        close_scalar("Σ p_j", p.iter().sum(), 1.0, 4.0 * m as f64 * EPS)?;
        let h: f64 = -p.iter().filter(|&&v| v > 0.0).map(|v| v * v.ln()).sum::<f64>();
        // The target is |H − ln P| ≤ 1e-10; our own sum of m terms adds m ε.
        close_scalar("the entropy H(p)", h, perplexity.ln(), 1e-9)?;
        let (k0, _) = d.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        for (j, (&pj, &dj)) in p.iter().zip(&d).enumerate() {
            if pj > 1e-300 {
                let want = -beta * (dj - d[k0]);
                // ln of a number with relative error m ε, against β Δd with a few roundings.
                prop_assert!(
                    (pj.ln() - p[k0].ln() - want).abs() <= 1e-9 * (1.0 + want.abs()),
                    "p_{j}/p_{k0} = {} is not e^(−β (d_{j} − d_{k0})) = {}: p must be e^(−β d)/Z for the returned β",
                    pj / p[k0], want.exp()
                );
            }
        }
        let mut q = vec![0.0; m];
        let (beta0, _) = dimred::sne::calibrate_row(&d, perplexity, &mut q);
        // Both stop within 1e-10 of ln P; |dH/d ln β| = β² Var(d) is far from 0 here.
        close_scalar("β / β(dimred)", beta / beta0, 1.0, 1e-6)?;
    }
}
