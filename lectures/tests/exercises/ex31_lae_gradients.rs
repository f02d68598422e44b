//! The tests of exercise 31, `lectures/exercises/ex31_lae_gradients.rs` (`lectures exercises check ex31`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex31_lae_gradients.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex31_lae_gradients.rs")]
mod ex31_lae_gradients;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.lae.training`): both gradients equal the tape's.
    #[test]
    fn gradients_match_the_tape(
        (xc, w, u) in (2usize..8, 1usize..5, 1usize..3).prop_flat_map(|(n, dim, d)| (matrix_of(n, dim, 2.0), matrix_of(d, dim, 1.0), matrix_of(dim, d, 1.0)))
    ) {
        let mut tape = Tape::new();
        let x = tape.constant(&xc);
        let wt = tape.param(&w.transpose());
        let ut = tape.param(&u.transpose());
        let y = tape.matmul(x, wt);
        let xhat = tape.matmul(y, ut);
        let r = tape.sub(x, xhat);
        let r2 = tape.square(r);
        let loss = tape.sum(r2);
        tape.backward(loss).unwrap();
        let (gw, gu) = ex31_lae_gradients::lae_gradients(&xc, &w, &u);
        let (n, dim) = xc.shape();
        // Chains of three products of length ≤ N + D with entries ≤ 2.
        let tol = 64.0 * (n + dim) as f64 * EPS * (1.0 + xc.max_abs()).powi(3) * (1.0 + w.max_abs() + u.max_abs()).powi(3);
        close("∂L/∂W", &gw, &tape.grad(wt).transpose(), tol)?;
        close("∂L/∂U", &gu, &tape.grad(ut).transpose(), tol)?;
    }
}

/// (`nn.lae.training`): gradient descent with your gradients, from a small balanced start,
/// on fixed data with variances about 9, 4, 0.25, 0.04: span(U) becomes PCA's top-2 subspace
/// and the loss reaches its minimum (N − 1)(λ_3 + λ_4). Step 0.4/||X_c||₂² (stable: the
/// Hessian is about 2 ||X_c||₂² ||U||²). U's components outside the subspace shrink at a rate
/// set by YᵀY ≈ N·4 (fast); W's component along the smallest direction only at a rate set by
/// λ_4, which is why W need not equal Uᵀ and the check is on span(U) and the loss, not on W.
#[test]
fn training_finds_the_pca_subspace() {
    let z = Matrix::random_normal(60, 4, 17);
    let scales = [3.0, 2.0, 0.5, 0.2];
    let (xc, _) = Matrix::from_fn(60, 4, |i, j| scales[j] * z[(i, j)]).center_columns();
    let eig = linalg::eigh(&xc.tr_matmul(&xc)).unwrap();
    let lr = 0.4 / eig.values[0];
    let mut u = Matrix::random_normal(4, 2, 5).scale(0.1);
    let mut w = u.transpose();
    for _ in 0..8000 {
        let (gw, gu) = ex31_lae_gradients::lae_gradients(&xc, &w, &u);
        w.add_scaled(-lr, &gw);
        u.add_scaled(-lr, &gu);
    }
    let v = eig.vectors.leading_columns(2);
    let q = linalg::orthonormalize(&u).expect("U keeps full rank");
    let err = (&q.matmul_tr(&q) - &v.matmul_tr(&v)).max_abs();
    // The subspace error decays like (1 − 2·lr·N·(λ_2 − λ_3))^t: below 1e-8 after 8000 steps.
    assert!(
        err < 1e-8,
        "after 8000 gradient steps span(U) is not PCA's subspace: the projectors differ by {err:e}; U = {:?}",
        M(u)
    );
    let loss = (&xc - &xc.matmul_tr(&w).matmul_tr(&u))
        .frobenius_norm()
        .powi(2);
    let minimum: f64 = eig.values[2..].iter().sum();
    // W's slow component along the smallest direction costs at most λ_4-weighted residue.
    assert!(
        loss <= minimum * (1.0 + 1e-3),
        "after 8000 gradient steps the loss is {loss}, the minimum is {minimum}"
    );
}
