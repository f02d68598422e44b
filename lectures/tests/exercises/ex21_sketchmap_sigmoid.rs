//! The tests of exercise 21, `lectures/exercises/ex21_sketchmap_sigmoid.rs` (`lectures exercises check ex21`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex21_sketchmap_sigmoid.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex21_sketchmap_sigmoid.rs"
)]
mod ex21_sketchmap_sigmoid;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.sketchmap.stress`): value and derivative of dimred's sigmoid transform.
    #[test]
    fn sigmoid_matches_dimred(
        r in 0.0..10.0f64, sigma in 0.1..5.0f64, a in 1.0..10.0f64, b in 1.0..10.0f64,
    ) {
        let t = dimred::sketchmap::Transform::Sigmoid { sigma, a, b };
        let (s, ds) = ex21_sketchmap_sigmoid::sigmoid(r, sigma, a, b);
        // powf and exp2 are accurate to an ulp; a dozen operations in all.
        close_scalar("s(r)", s, t.apply(r), 64.0 * EPS)?;
        close_scalar("s'(r)", ds, t.derivative(r), 64.0 * EPS * (1.0 + t.derivative(r).abs()))?;
        let (half, _) = ex21_sketchmap_sigmoid::sigmoid(sigma, sigma, a, b);
        close_scalar("s(σ)", half, 0.5, 8.0 * EPS)?;
    }
}
