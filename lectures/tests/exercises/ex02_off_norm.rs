//! The tests of exercise 02, `lectures/exercises/ex02_off_norm.rs` (`lectures exercises check ex02`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex02_off_norm.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex02_off_norm.rs")]
mod ex02_off_norm;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`la.jacobi.converges`): off(A), and the predicted off-norm after one rotation
    /// equals the off-norm of the rotated matrix.
    #[test]
    fn off_norm_and_its_update_match_a_real_rotation(
        a in symmetric(2..8, 4.0), p_raw in 0usize..100, q_raw in 0usize..100,
    ) {
        let n = a.nrows();
        let p = p_raw % n;
        let q = (p + 1 + q_raw % (n - 1)) % n;
        let (off, after) = ex02_off_norm::off_norm_and_update(&a, p, q);
        let fro2 = a.frobenius_norm().powi(2);
        // A sum of n² squares: relative error ≤ n² ε; compared as squares (no sqrt amplification).
        let tol = 4.0 * (n * n) as f64 * EPS * fro2;
        close_scalar("off(A)²", off * off, linalg::off_norm(&a).powi(2), tol)?;
        let mut rotated = a.0.clone();
        linalg::jacobi_rotation(&mut rotated, None, p, q);
        close_scalar(
            "the predicted off(JᵀAJ)²",
            after * after,
            linalg::off_norm(&rotated).powi(2),
            tol,
        )?;
    }
}
