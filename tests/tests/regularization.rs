//! `nn.regularization`: L + λ Σ|w_k|^p. Ridge (p = 2, weight decay) trained by GD converges to
//! the closed form (XᵀX + λI)⁻¹Xᵀy; the lasso (p = 1, proximal soft-thresholding steps) with an
//! orthonormal design converges to soft thresholding of Xᵀy (and the elastic net to its
//! scaled version); L1 produces exact zeros where L2 does not. All through the real training loop: a one-layer linear `Mlp` with the summed
//! squared loss L = ||y - Xw - b1||², on centred data (then the free bias is 0 at the optimum
//! and the penalised w solves the intercept-free problem).

use linalg::{eigh, Cholesky, Matrix};
use nn::{soft_threshold, train, Activation, Gd, Loss, Mlp, Penalty, Schedule, TrainConfig};
use proptest::prelude::*;

/// Centred X (n x d) and y = X w_true + noise (centred).
fn regression(n: usize, d: usize, w_true: &[f64], noise: f64, seed: u64) -> (Matrix, Matrix) {
    let (x, _) = Matrix::random_normal(n, d, seed).center_columns();
    let e = Matrix::random_normal(n, 1, seed ^ 7).scale(noise);
    let w = Matrix::from_vec(d, 1, w_true.to_vec());
    let (y, _) = (x.matmul(&w) + e).center_columns();
    (x, y)
}

/// Full-batch GD (`nn.gd`) of a linear unit on (x, y) with `penalty` for `epochs` epochs at a
/// step size that is stable for both the weights and the bias; returns (w, b).
fn fit(x: &Matrix, y: &Matrix, penalty: Penalty, epochs: usize, seed: u64) -> (Vec<f64>, f64) {
    let n = x.nrows();
    // Hessians: 2(XᵀX + λ₂I) for w, 2N for b (decoupled, since Xᵀ1 = 0). α = 0.9/largest.
    let lmax = eigh(&x.tr_matmul(x)).unwrap().values[0];
    let lambda2 = match penalty {
        Penalty::L2 { lambda } => lambda,
        Penalty::ElasticNet { lambda, alpha } => lambda * (1.0 - alpha),
        _ => 0.0,
    };
    let lr = 0.9 / (2.0 * (lmax + lambda2)).max(2.0 * n as f64);
    let mut net = Mlp::new(&[x.ncols(), 1], &[Activation::Identity], seed);
    let config = TrainConfig {
        schedule: Schedule {
            epochs,
            ..Default::default()
        },
        loss: Loss::SumSquared,
        penalty,
        ..Default::default()
    };
    train(&mut net, &mut Gd::new(lr), x, y, None, &config).expect("stable step size");
    let layer = &net.layers[0];
    (layer.w.as_slice().to_vec(), layer.b[0])
}

/// Epochs for GD's contraction 1 - 2αλ_min to reach 1e-14 from O(1).
fn epochs_for(x: &Matrix, lambda2: f64) -> usize {
    let e = eigh(&x.tr_matmul(x)).unwrap();
    let (lmax, lmin) = (
        e.values[0] + lambda2,
        e.values[e.values.len() - 1] + lambda2,
    );
    let n = x.nrows() as f64;
    let lr = 0.9 / (2.0 * lmax).max(2.0 * n);
    let rate = (1.0 - 2.0 * lr * lmin).max(1.0 - 2.0 * lr * n).abs();
    (32.0 / -rate.ln()).ceil() as usize + 10
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// `nn.regularization`: ridge by weight decay, trained by full-batch GD, converges to
    /// w* = (XᵀX + λI)⁻¹Xᵀy (solved with linalg's Cholesky), with bias 0.
    #[test]
    fn regularization_ridge_gd_converges_to_closed_form(
        seed in any::<u64>(), n in 10usize..40, d in 1usize..6, lambda in 0.1f64..20.0,
    ) {
        let w_true: Vec<f64> = (0..d).map(|k| k as f64 - 1.5).collect();
        let (x, y) = regression(n, d, &w_true, 0.3, seed);
        let a = x.tr_matmul(&x) + Matrix::identity(d).scale(lambda);
        let wstar = Cholesky::new(&a).unwrap().solve_vec(&x.tr_matmul(&y).into_vec());
        let (w, b) = fit(&x, &y, Penalty::L2 { lambda }, epochs_for(&x, lambda), seed);
        let scale = 1.0 + linalg::norm2(&wstar);
        // GD stopped at contraction ≤ e^-32; the fixed point's rounding is κ(XᵀX + λI)·n·ε
        // relative, κ ≤ 1e3 here: 1e-9 covers both with a wide margin.
        for (wi, si) in w.iter().zip(&wstar) {
            prop_assert!((wi - si).abs() <= 1e-9 * scale, "{:?} vs {:?}", w, wstar);
        }
        prop_assert!(b.abs() <= 1e-9 * scale);
    }

    /// `nn.regularization`: with an orthonormal design (QᵀQ = I) the lasso
    /// min ||y - Qw||² + λ||w||₁ is solved coordinate by coordinate: w* = S_{λ/2}(Qᵀy).
    /// Proximal GD reaches it, with exact zeros where |Qᵀy|_k ≤ λ/2.
    #[test]
    fn regularization_lasso_orthonormal_design_is_soft_thresholding(
        seed in any::<u64>(), n in 8usize..30, d in 1usize..6, lambda in 0.05f64..3.0,
    ) {
        let (xc, _) = Matrix::random_normal(n, d, seed).center_columns();
        // Columns of Q span the centred columns, so they stay centred (Qᵀ1 = 0).
        let q = linalg::orthonormalize(&xc).unwrap();
        let (y, _) = Matrix::random_normal(n, 1, seed ^ 3).center_columns();
        let qty = q.tr_matmul(&y).into_vec();
        let t = lambda / 2.0;
        // Coordinates at the threshold itself would converge to 0 only in the limit.
        prop_assume!(qty.iter().all(|v| (v.abs() - t).abs() > 1e-6));
        let wstar: Vec<f64> = qty.iter().map(|&v| soft_threshold(v, t)).collect();
        let (w, b) = fit(&q, &y, Penalty::L1 { lambda }, epochs_for(&q, 0.0), seed);
        for (wi, si) in w.iter().zip(&wstar) {
            if *si == 0.0 {
                prop_assert_eq!(*wi, 0.0, "exact zero expected: {:?} vs {:?}", w, wstar);
            } else {
                // Contraction ≤ e^-32 and O(n ε) rounding of Qᵀy.
                prop_assert!((wi - si).abs() <= 1e-10 * (1.0 + si.abs()), "{:?} vs {:?}", w, wstar);
            }
        }
        prop_assert!(b.abs() <= 1e-10);
    }

    /// `nn.regularization`: the elastic net λ(a||w||₁ + (1 - a)||w||₂²) with an orthonormal
    /// design decouples too: per coordinate (w - c)² + λa|w| + λ(1 - a)w² with c = Qᵀy, whose
    /// minimiser is w* = S_{λa/2}(c) / (1 + λ(1 - a)).
    #[test]
    fn regularization_elastic_net_orthonormal_design_closed_form(
        seed in any::<u64>(), n in 8usize..30, d in 1usize..6, lambda in 0.05f64..3.0, a in 0.0f64..1.0,
    ) {
        let (xc, _) = Matrix::random_normal(n, d, seed).center_columns();
        let q = linalg::orthonormalize(&xc).unwrap();
        let (y, _) = Matrix::random_normal(n, 1, seed ^ 3).center_columns();
        let c = q.tr_matmul(&y).into_vec();
        let t = lambda * a / 2.0;
        prop_assume!(c.iter().all(|v| (v.abs() - t).abs() > 1e-6));
        let wstar: Vec<f64> = c
            .iter()
            .map(|&v| soft_threshold(v, t) / (1.0 + lambda * (1.0 - a)))
            .collect();
        let penalty = Penalty::ElasticNet { lambda, alpha: a };
        let (w, _) = fit(&q, &y, penalty, epochs_for(&q, lambda * (1.0 - a)), seed);
        for (wi, si) in w.iter().zip(&wstar) {
            if *si == 0.0 {
                prop_assert_eq!(*wi, 0.0, "exact zero expected: {:?} vs {:?}", w, wstar);
            } else {
                // Contraction ≤ e^-32 and O(n ε) rounding of Qᵀy.
                prop_assert!((wi - si).abs() <= 1e-10 * (1.0 + si.abs()), "{:?} vs {:?}", w, wstar);
            }
        }
    }

    /// `nn.regularization`: on a sparse problem (3 of 8 true weights are 0), L1 training ends
    /// with weights that are exactly 0.0, each justified by the lasso's optimality condition
    /// |2 X_kᵀ r| ≤ λ (r the residual), and nonzero weights satisfy 2 X_kᵀ r = λ sign(w_k);
    /// L2 training of the same strength leaves no weight exactly 0.
    #[test]
    fn regularization_l1_gives_exact_zeros_l2_does_not(seed in any::<u64>()) {
        let w_true = [2.0, -1.5, 1.0, 0.0, 0.0, 0.0, 1.2, -2.0];
        let (x, y) = regression(80, 8, &w_true, 0.05, seed);
        let lambda = 8.0;
        let (w1, b1) = fit(&x, &y, Penalty::L1 { lambda }, epochs_for(&x, 0.0), seed);
        let (w2, _) = fit(&x, &y, Penalty::L2 { lambda }, epochs_for(&x, lambda), seed);
        let zeros1 = w1.iter().filter(|v| **v == 0.0).count();
        prop_assert!(zeros1 >= 1, "L1 weights {:?}", w1);
        prop_assert_eq!(w2.iter().filter(|v| **v == 0.0).count(), 0, "L2 weights {:?}", w2);
        // KKT of min ||y - Xw - b||² + λ||w||₁: g_k = -2 X_kᵀ r.
        let wm = Matrix::from_vec(8, 1, w1.clone());
        let r = &(&y - &x.matmul(&wm)) - &Matrix::filled(80, 1, b1);
        let g = x.tr_matmul(&r).scale(-2.0).into_vec();
        // ε-level rounding of sums of 80 terms of size |X||r| ≲ 10, and e^-32 convergence.
        let tol = 1e-8 * lambda;
        for (wk, gk) in w1.iter().zip(&g) {
            if *wk == 0.0 {
                prop_assert!(gk.abs() <= lambda + tol, "zero weight with |g| = {}", gk.abs());
            } else {
                prop_assert!((gk + lambda * wk.signum()).abs() <= tol, "g {} w {}", gk, wk);
            }
        }
    }
}
