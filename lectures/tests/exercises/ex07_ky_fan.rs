//! The tests of exercise 07, `lectures/exercises/ex07_ky_fan.rs` (`lectures exercises check ex07`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex07_ky_fan.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex07_ky_fan.rs")]
mod ex07_ky_fan;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`la.ky-fan`): the maximum of Tr(UᵀCU), attained by the returned U, beaten by no
    /// random orthonormal U.
    #[test]
    fn ky_fan_maximum_and_maximiser(c in symmetric(1..8, 4.0), d_raw in 0usize..8, g in matrix_of(8, 8, 2.0)) {
        let n = c.nrows();
        let d = 1 + d_raw % n;
        let (best, u) = ex07_ky_fan::ky_fan(&c, d);
        let (oracle, _) = linalg::ky_fan_max(&c, d).unwrap();
        // Eigenvalues are accurate to n ε ||C||_F (backward stable); d of them are summed.
        let tol = 16.0 * (n * d) as f64 * EPS * c.frobenius_norm();
        close_scalar("the maximum λ_1 + … + λ_d", best, oracle, tol)?;
        prop_assert!(u.shape() == (n, d), "U is {:?}, should be {n}x{d}", u.shape());
        prop_assert!(
            orthonormality_error(&u) <= 16.0 * n as f64 * EPS,
            "the columns of U are not orthonormal: UᵀU − I has an entry {:e}",
            orthonormality_error(&u)
        );
        close_scalar("Tr(UᵀCU) for your U", u.tr_matmul(&c).matmul(&u).trace(), oracle, tol)?;
        // Another orthonormal U (when this block of G has full rank).
        let Ok(q) = linalg::orthonormalize(&Matrix::from_fn(n, d, |i, j| g[(i, j)])) else { return Ok(()) };
        let other = q.tr_matmul(&c).matmul(&q).trace();
        prop_assert!(
            other <= oracle + tol,
            "a random orthonormal U reaches {} > {}: the returned value is not the maximum",
            other, oracle
        );
    }
}
