//! The tests of exercise 30, `lectures/exercises/ex30_lae_trace.rs` (`lectures exercises check ex30`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex30_lae_trace.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex30_lae_trace.rs")]
mod ex30_lae_trace;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.lae.trace`): the trace form equals the reconstruction loss with W = Uᵀ (and nn's
    /// trace_form_loss); the minimum is (N − 1) Σ_{k>d} λ_k and no U goes below it.
    #[test]
    fn trace_form_and_its_minimum(x in spread_points(5..30, 2..6), d_raw in 0usize..6, g in matrix_of(6, 6, 2.0)) {
        let (n, dim) = x.shape();
        let d = 1 + d_raw % dim;
        let Ok(u) = linalg::orthonormalize(&Matrix::from_fn(dim, d, |i, j| g[(i, j)])) else { return Ok(()) };
        let (loss, minimum) = ex30_lae_trace::trace_form(&x, &u);
        let (xc, _) = x.center_columns();
        let scale = xc.frobenius_norm().powi(2);
        // Sums of N D squares of entries ≤ max|X_c|: rounding 64 N D ε of their total.
        let tol = 64.0 * (n * dim) as f64 * EPS * scale;
        let direct = nn::linear_ae::reconstruction_loss(&xc, &u.transpose(), &u);
        close_scalar("L(U)", loss, direct, tol)?;
        close_scalar("L(U) (nn's trace form)", loss, nn::linear_ae::trace_form_loss(&xc, &u), tol)?;
        let lambda = linalg::eigvalsh(&x.covariance()).unwrap();
        close_scalar("min L", minimum, (n - 1) as f64 * lambda[d..].iter().sum::<f64>(), tol)?;
        prop_assert!(loss >= minimum - tol, "L(U) = {loss} is below the claimed minimum {minimum}");
    }
}
