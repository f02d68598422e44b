//! The tests of exercise 28, `lectures/exercises/ex28_soft_threshold.rs` (`lectures exercises check ex28`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex28_soft_threshold.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex28_soft_threshold.rs")]
mod ex28_soft_threshold;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.regularization`): nn's soft threshold, and the minimiser of ½(v − u)² + t|v|.
    #[test]
    fn soft_threshold_is_the_prox_of_l1(u in -10.0..10.0f64, t in 0.0..5.0f64, dv in 1e-3..1.0f64) {
        let v = ex28_soft_threshold::soft_threshold(u, t);
        // One subtraction each way: bit for bit.
        prop_assert!(v == nn::soft_threshold(u, t), "S_{t}({u}) = {v}, should be {}", nn::soft_threshold(u, t));
        let obj = |v: f64| 0.5 * (v - u).powi(2) + t * v.abs();
        for other in [v + dv, v - dv, 0.0, u] {
            prop_assert!(obj(v) <= obj(other) + 8.0 * EPS * (1.0 + u * u),
                "½(v − u)² + t|v| is {} at your v = {v} but {} at v = {other}", obj(v), obj(other));
        }
    }
}
