//! The tests of exercise 29, `lectures/exercises/ex29_linear_code.rs` (`lectures exercises check ex29`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex29_linear_code.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex29_linear_code.rs")]
mod ex29_linear_code;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.lae.optimal-code`): μ, orthonormal U, Z = (X − 1μᵀ)U, and the reconstruction
    /// error (N − 1) Σ_{k>d} λ_k that no other orthonormal U beats.
    #[test]
    fn linear_code_is_optimal(x in spread_points(5..30, 2..6), d_raw in 0usize..6, g in matrix_of(6, 6, 2.0)) {
        let (n, dim) = x.shape();
        let d = 1 + d_raw % dim;
        let code = ex29_linear_code::linear_code(&x, d);
        let (xc, mean) = x.center_columns();
        let nd = (n * dim) as f64;
        close_vec("μ", &code.mean, &mean, 4.0 * n as f64 * EPS * x.max_abs())?;
        prop_assert!(code.u.shape() == (dim, d), "U is {:?}, should be {dim}x{d}", code.u.shape());
        prop_assert!(orthonormality_error(&code.u) <= 16.0 * dim as f64 * EPS,
            "the columns of U are not orthonormal: UᵀU − I has an entry {:e}", orthonormality_error(&code.u));
        close("Z", &code.z, &xc.matmul(&code.u), 16.0 * dim as f64 * EPS * xc.max_abs())?;
        let error = |u: &Matrix| {
            let z = xc.matmul(u);
            (&xc - &z.matmul_tr(u)).frobenius_norm().powi(2)
        };
        let lambda = linalg::eigvalsh(&x.covariance()).unwrap();
        let want = (n - 1) as f64 * lambda[d..].iter().sum::<f64>();
        // Sums of N D squares of entries up to max|X_c|; eigenvalues to D ε ||C||.
        let tol = 64.0 * nd * EPS * xc.frobenius_norm().powi(2);
        close_scalar("||X − X̂||²", error(&code.u), want, tol)?;
        let Ok(q) = linalg::orthonormalize(&Matrix::from_fn(dim, d, |i, j| g[(i, j)])) else { return Ok(()) };
        prop_assert!(error(&q) >= want - tol, "a random orthonormal U reconstructs better ({} < {want})", error(&q));
    }
}
