//! The tests of exercise 26, `lectures/exercises/ex26_gd_step_limit.rs` (`lectures exercises check ex26`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex26_gd_step_limit.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex26_gd_step_limit.rs")]
mod ex26_gd_step_limit;

use common::*;

/// H = Q diag(λ) Qᵀ with λ in [1/8, 4] (positive definite), Q orthogonal.
fn spd() -> impl Strategy<Value = M> {
    (1usize..7).prop_flat_map(|n| {
        (
            matrix_of(n, n, 2.0),
            proptest::collection::vec(1..=32i32, n),
        )
            .prop_filter_map("Q must have full rank", move |(g, l)| {
                let q = linalg::orthonormalize(&g).ok()?;
                (orthonormality_error(&q) < 1e-12).then_some(())?;
                let lambda: Vec<f64> = l.iter().map(|&v| v as f64 / 8.0).collect();
                let h = q.matmul(&Matrix::from_diag(&lambda)).matmul_tr(&q);
                Some(M(Matrix::from_fn(n, n, |i, j| {
                    0.5 * (h[(i, j)] + h[(j, i)])
                })))
            })
    })
}

/// ||x_T|| / ||x_0|| after T steps x ← x − α H x from x_0 = the sum of H's eigenvectors (every
/// mode excited).
fn growth(h: &Matrix, alpha: f64, steps: usize) -> f64 {
    let e = linalg::eigh(h).unwrap();
    let n = h.nrows();
    let mut x = Matrix::from_fn(n, 1, |i, _| e.vectors.row(i).iter().sum());
    let start = x.frobenius_norm();
    for _ in 0..steps {
        let hx = h.matmul(&x);
        x.add_scaled(-alpha, &hx);
    }
    x.frobenius_norm() / start
}

proptest! {
    #![proptest_config(config())]

    /// (`nn.gd`): the critical step is 2/λ_max: GD converges at 0.9 of it and diverges at 1.1.
    #[test]
    fn gd_converges_below_and_diverges_above_the_critical_step(h in spd()) {
        let alpha = ex26_gd_step_limit::critical_step(&h);
        let lmax = linalg::eigvalsh(&h).unwrap()[0];
        // Eigenvalues to n ε ||H||; one division.
        close_scalar("α*", alpha, 2.0 / lmax, 64.0 * h.nrows() as f64 * EPS * 2.0 / lmax)?;
        // At 0.9 α*, the slowest mode shrinks by max(|1 − 0.9·2|, 1 − 0.9·2λ_min/λ_max) per
        // step; at 1.1 α* the top mode grows by |1 − 2.2| = 1.2 per step.
        let below = growth(&h, 0.9 * alpha, 400);
        let above = growth(&h, 1.1 * alpha, 400);
        prop_assert!(below < 1.0, "at 0.9·α* = {} gradient descent did not converge: ||x|| grew by {below}", 0.9 * alpha);
        prop_assert!(above > 1e6, "at 1.1·α* = {} gradient descent did not diverge: ||x|| changed by {above}", 1.1 * alpha);
    }
}
