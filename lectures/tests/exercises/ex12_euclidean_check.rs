//! The tests of exercise 12, `lectures/exercises/ex12_euclidean_check.rs` (`lectures exercises check ex12`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex12_euclidean_check.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex12_euclidean_check.rs"
)]
mod ex12_euclidean_check;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.mds.euclidean`): dimred's negative ratio on symmetric, mostly non-Euclidean Δ².
    #[test]
    fn negative_ratio_matches_dimred(m in symmetric(3..12, 4.0)) {
        let n = m.nrows();
        let sq = Matrix::from_fn(n, n, |i, j| if i == j { 0.0 } else { m[(i, j)].abs() });
        let got = ex12_euclidean_check::negative_ratio(&sq);
        let fit = dimred::mds::ClassicalMds::new(1).fit_squared_distances(&sq).unwrap();
        let want = fit.negative_ratio();
        if want.is_infinite() {
            prop_assert!(got.is_infinite(), "no eigenvalue of B is positive: the ratio is +∞, not {got}");
        } else {
            // Eigenvalues within N ε max|λ|, N of them summed, relative to the positive mass.
            close_scalar("the negative ratio", got, want, 1e-9 * (1.0 + want))?;
        }
    }

    /// (`dr.mds.euclidean`): distances of real points give (almost) 0.
    #[test]
    fn euclidean_distances_give_zero(x in points(2..15, 3, 4.0)) {
        prop_assume!(x.covariance().trace() > 0.0, "all points equal: B = 0");
        let n = x.nrows();
        let got = ex12_euclidean_check::negative_ratio(&x.pairwise_sq_distances());
        // Only rounding-level eigenvalues below −N ε max|λ| can count.
        prop_assert!(got <= 1e-10 * n as f64, "the points are Euclidean but the ratio is {got:e}");
    }
}

/// (`dr.mds.euclidean`): three points with distances 1, 1, 3 break the triangle inequality.
#[test]
fn a_broken_triangle_is_not_euclidean() {
    let sq = Matrix::from_rows(&[[0.0, 1.0, 9.0], [1.0, 0.0, 1.0], [9.0, 1.0, 0.0]]);
    let got = ex12_euclidean_check::negative_ratio(&sq);
    // B has eigenvalues 4.5, 0 and −5/6: the ratio is 5/27 up to rounding.
    assert!(
        (got - 5.0 / 27.0).abs() < 1e-12,
        "distances 1, 1, 3 give the ratio {got}, but B has eigenvalues 4.5, 0, −5/6: it should be 5/27"
    );
}
