//! The tests of exercise 19, `lectures/exercises/ex19_trustworthiness.rs` (`lectures exercises check ex19`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex19_trustworthiness.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex19_trustworthiness.rs"
)]
mod ex19_trustworthiness;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.quality`): dimred's trustworthiness, for random linear projections to 2-D.
    #[test]
    fn trustworthiness_matches_dimred(x in points(12..40, 5, 2.0), p in matrix_of(5, 2, 1.0), k_raw in 0usize..20) {
        let n = x.nrows();
        let k = 1 + k_raw % (n.div_ceil(2) - 1);
        let y = x.matmul(&p);
        let want = dimred::quality::trustworthiness(&x, &y, k).unwrap();
        // A sum of integers times one factor: both sides round the same few operations.
        close_scalar("T(k)", ex19_trustworthiness::trustworthiness(&x, &y, k), want, 8.0 * EPS)?;
    }
}
