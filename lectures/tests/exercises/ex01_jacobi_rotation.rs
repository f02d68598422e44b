//! The tests of exercise 01, `lectures/exercises/ex01_jacobi_rotation.rs` (`lectures exercises check ex01`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex01_jacobi_rotation.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex01_jacobi_rotation.rs"
)]
mod ex01_jacobi_rotation;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`la.jacobi.converges`): the rotation zeroes a_pq, is a rotation, takes the small angle.
    #[test]
    fn rotation_zeroes_the_pair_with_the_small_angle(
        app in -10.0..10.0f64, aqq in -10.0..10.0f64, mag in 1e-3..10.0f64, neg: bool,
    ) {
        let apq = if neg { -mag } else { mag };
        let (c, s) = ex01_jacobi_rotation::rotation(app, aqq, apq);
        // c² + s² is a handful of roundings away from 1.
        close_scalar("c² + s²", c * c + s * s, 1.0, 8.0 * EPS)?;
        let new_apq = c * s * (app - aqq) + (c * c - s * s) * apq;
        // A few products of numbers up to |a_pp| + |a_qq| + |a_pq|: rounding is ~ε of that.
        let scale = app.abs() + aqq.abs() + apq.abs();
        prop_assert!(
            new_apq.abs() <= 16.0 * EPS * scale,
            "after the rotation the off-diagonal entry is {:e}; it should be 0 (up to {:.1e})",
            new_apq, 16.0 * EPS * scale
        );
        prop_assert!(
            c > 0.0 && s.abs() <= c * (1.0 + 4.0 * EPS),
            "c = {}, s = {}: take the smaller angle, with c > 0 and |s| ≤ c", c, s
        );
    }

    /// (`la.jacobi.converges`): the same (c, s) as `linalg::jacobi_rotation`.
    #[test]
    fn rotation_matches_linalg(
        app in -10.0..10.0f64, aqq in -10.0..10.0f64, apq in 1e-3..10.0f64,
    ) {
        let mut a = Matrix::from_rows(&[[app, apq], [apq, aqq]]);
        let (c0, s0) = linalg::jacobi_rotation(&mut a, None, 0, 1).unwrap();
        let (c, s) = ex01_jacobi_rotation::rotation(app, aqq, apq);
        // c, s ≤ 1 in magnitude; equivalent stable formulas agree to a few ulps.
        close_scalar("c", c, c0, 1e-14)?;
        close_scalar("s", s, s0, 1e-14)?;
    }
}
