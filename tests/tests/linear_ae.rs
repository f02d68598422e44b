//! The linear autoencoder: `nn.lae.optimal-code` (claim A), `nn.lae.trace` (claim B),
//! `nn.lae.training` (what GD finds from balanced and unbalanced starts, with and without
//! weight decay; the conserved quantity), and the three ways to PCA (covariance
//! eigendecomposition, classical MDS on distances, the trained linear autoencoder).

use dimred::mds::ClassicalMds;
use dimred::pca::Pca;
use linalg::{orthonormalize, svd, Matrix};
use nn::linear_ae::{
    least_squares_encoder, optimal_code, principal_angles, reconstruction_loss, trace_form_loss,
    LaeConfig, LinearAutoencoder, Start,
};
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

fn cases() -> ProptestConfig {
    ProptestConfig::with_cases(24)
}

fn sq(m: &Matrix) -> f64 {
    m.as_slice().iter().map(|v| v * v).sum()
}

/// σ_1² of the centred data: the largest eigenvalue of C = X_cᵀX_c.
fn top_sq_singular(x: &Matrix) -> f64 {
    let (xc, _) = x.center_columns();
    let s = svd(&xc).unwrap().singular_values[0];
    s * s
}

fn max_angle(a: &Matrix, b: &Matrix) -> f64 {
    principal_angles(a, b)
        .unwrap()
        .into_iter()
        .fold(0.0, f64::max)
}

proptest! {
    #![proptest_config(cases())]

    /// `nn.lae.optimal-code`: α = (UᵀU)⁻¹Uᵀx satisfies the normal equations Uᵀ(x - Uα) = 0,
    /// and any other code α + δ costs exactly ||Uδ||² more (so α is the unique minimiser).
    #[test]
    fn lae_optimal_code_solves_normal_equations(dim in 4usize..9, d in 1usize..4, n in 1usize..6, seed in 0u64..1000) {
        let u = Matrix::random_normal(dim, d, seed);
        let x = Matrix::random_normal(n, dim, seed + 1);
        let a = optimal_code(&x, &u).unwrap();
        let r = &x - &a.matmul_tr(&u); // rows x_i - U α_i
        let normal = r.matmul(&u); // rows (Uᵀ r_i)ᵀ
        // Cholesky on UᵀU is backward stable: the residual of the normal equations is a few
        // dim·ε·κ(UᵀU)·||U||²·||α|| plus the rounding of forming r (dim·ε·||U||·||x||).
        let s = svd(&u).unwrap().singular_values;
        let kappa = (s[0] / s[d - 1]).powi(2);
        let scale = s[0] * (s[0] * a.max_abs() + x.max_abs());
        prop_assert!(normal.max_abs() <= 16.0 * dim as f64 * EPS * kappa * scale, "{}", normal.max_abs());
        let delta = Matrix::random_normal(n, d, seed + 2);
        let other = &a + &delta;
        let l_best = sq(&r);
        let l_other = sq(&(&x - &other.matmul_tr(&u)));
        let gap = sq(&delta.matmul_tr(&u));
        // Pythagoras (r ⟂ span U): exact up to rounding of the three sums of squares.
        prop_assert!((l_other - l_best - gap).abs() <= 1e-10 * (l_other + 1.0), "{l_other} {l_best} {gap}");
    }

    /// `nn.lae.optimal-code`: for orthonormal U the least-squares encoder is Uᵀ.
    #[test]
    fn lae_optimal_code_is_transpose_for_orthonormal_decoder(dim in 3usize..9, d in 1usize..4, seed in 0u64..1000) {
        prop_assume!(d <= dim);
        let u = orthonormalize(&Matrix::random_normal(dim, d, seed)).unwrap();
        let w = least_squares_encoder(&u).unwrap();
        // UᵀU = I up to the QR's rounding (≈ dim·ε), so (UᵀU)⁻¹Uᵀ = Uᵀ to that level.
        prop_assert!((&w - &u.transpose()).max_abs() <= 32.0 * dim as f64 * EPS);
    }

    /// `nn.lae.trace`: with W = Uᵀ and UᵀU = I, Σ||x - UUᵀx||² = Σ||x||² - Tr(YᵀY), Y = XU.
    #[test]
    fn lae_trace_form_equals_reconstruction_loss(dim in 2usize..8, d in 1usize..4, n in 2usize..30, seed in 0u64..1000) {
        prop_assume!(d <= dim);
        let u = orthonormalize(&Matrix::random_normal(dim, d, seed)).unwrap();
        let x = Matrix::random_normal(n, dim, seed + 1);
        let direct = reconstruction_loss(&x, &u.transpose(), &u);
        let trace = trace_form_loss(&x, &u);
        // Both are sums of n·dim squares of O(||x||) numbers; the trace form subtracts two of
        // them, so its error is relative to Σ||x||², not to the (possibly small) difference.
        prop_assert!((direct - trace).abs() <= 8.0 * (n * dim) as f64 * EPS * sq(&x), "{direct} vs {trace}");
    }

    /// `nn.lae.trace`: the top-d principal subspace attains (N-1)Σ_{k>d}λ_k, and no
    /// orthonormal U does better (Ky Fan).
    #[test]
    fn lae_trace_optimum_is_pca_loss(dim in 2usize..7, n in 8usize..40, seed in 0u64..1000) {
        let x = tests::anisotropic_data(n, dim, seed, 2.0);
        let d = 1 + (seed as usize) % (dim - 1).max(1);
        let best = LinearAutoencoder::pca_optimum(&x, d).unwrap();
        let (xc, _) = x.center_columns();
        let l_best = reconstruction_loss(&xc, &best.w, &best.u);
        let lam = Pca::new(d).fit(&x).unwrap().explained_variance;
        let predicted: f64 = (n - 1) as f64 * lam[d..].iter().sum::<f64>();
        // Eigenvalues to ~dim·ε·λ_1 each (Jacobi / Lanczos), times N-1; the loss itself sums
        // n·dim squares: both errors ≤ c·n·dim·ε·||Xc||².
        let tol = 64.0 * (n * dim) as f64 * EPS * sq(&xc);
        prop_assert!((l_best - predicted).abs() <= tol, "{l_best} vs {predicted}");
        let u = orthonormalize(&Matrix::random_normal(dim, d, seed + 7)).unwrap();
        prop_assert!(trace_form_loss(&xc, &u) >= l_best - tol);
    }

    /// `nn.lae.training`: under GD without weight decay, Q = UᵀU - WWᵀ changes by exactly
    /// η²(G_UᵀG_U - G_W G_Wᵀ) per step, so its drift stays below η²Σ(||G_U||² + ||G_W||²)
    /// (the recorded bound), and halving the step for the same total time t = Tη halves the
    /// drift (O(η), not conserved exactly as gradient flow would).
    #[test]
    fn lae_training_conserved_quantity_drifts_order_step(dim in 3usize..7, n in 10usize..40, seed in 0u64..1000) {
        let x = tests::anisotropic_data(n, dim, seed, 1.0);
        let s1 = top_sq_singular(&x);
        let d = 2.min(dim - 1);
        let mut drifts = vec![];
        for (lr, epochs) in [(0.1 / s1, 100usize), (0.05 / s1, 200)] {
            let mut ae = LinearAutoencoder::new(x.column_means(), d, &Start::Unbalanced { u_scale: 0.8, w_scale: 0.3 }, seed);
            let rec = ae.train(&x, &LaeConfig { epochs, lr, weight_decay: 0.0, batch_size: None, seed }, None).unwrap();
            for (q, b) in rec.q_drift.iter().zip(&rec.drift_bound) {
                // The bound holds in exact arithmetic; rounding adds ≈ steps·d·ε·||U||² per step.
                prop_assert!(*q <= b * (1.0 + 1e-6) + (epochs * d) as f64 * 64.0 * EPS, "{q} > {b}");
            }
            drifts.push(*rec.q_drift.last().unwrap());
        }
        // Σ_t η² ||G||² ≈ η ∫||G||² dt: halving η halves it (≈ 0.5); 0.75 leaves room for the
        // O(η²) difference between the two discrete paths.
        prop_assume!(drifts[0] > 1e-12);
        prop_assert!(drifts[1] <= 0.75 * drifts[0], "{drifts:?}");
    }
}

/// N x D data with a prescribed spectrum: centred singular values σ_k = sqrt(N)·2^{-k/2}
/// (k = 0, 1, ...; each σ_k² half the previous), random orientation, every entry shifted by
/// `offset`. The fixed ratio 2 keeps every gap, hence every convergence rate below, known.
fn spectrum_data(n: usize, dim: usize, seed: u64, offset: f64) -> Matrix {
    let (z, _) = Matrix::random_normal(n, dim, seed).center_columns();
    let q = orthonormalize(&z).unwrap(); // centred orthonormal columns
    let rot = orthonormalize(&Matrix::random_normal(dim, dim, seed + 1)).unwrap();
    let s = Matrix::from_fn(n, dim, |i, k| {
        q[(i, k)] * (n as f64).sqrt() * 0.5f64.powf(k as f64 / 2.0)
    });
    s.matmul_tr(&rot).map(|v| v + offset)
}

/// Train by full-batch GD with η = step/σ_1² (step 0.1 is below the stability limit ≈ 0.5 of
/// the Hessian near ||U||, ||W|| ≈ 1) until converged; returns the model, the record and PCA's
/// basis.
///
/// How long "converged" takes: near a minimum with W = Uᵀ, the components of (u_j, w_j)
/// along an unused direction v_k (j ≤ d < k, a = σ_j², b = σ_k²) see the loss
/// b + a p² + b q² - 2b pq + …, whose Hessian [[2a, -2b], [-2b, 2b]] has smallest eigenvalue
/// ≈ 2b(a - b)/(a + b): GD contracts that mode by 1 - η·2b(a - b)/(a + b) per step (slow
/// when b is small: the encoder's weight on a direction without variance barely matters).
/// With weight decay the imbalance Q contracts by 1 - 4ηλ, collapsed directions by
/// 1 - 2η(λ - σ_k²), kept ones by 1 - 2η(σ_j² - λ). We take the slowest rate r and run
/// 40/r steps (e^{-40} ≈ 4e-18 of the initial error), plus 20000 for the escape from the
/// initial saddle region (2000 was too few for some unbalanced starts: the encoder's small
/// initial weights make the escape slow; the steps are cheap at these sizes).
fn run(
    x: &Matrix,
    d: usize,
    start: Start,
    weight_decay: f64,
    seed: u64,
    step: f64,
) -> (LinearAutoencoder, nn::linear_ae::TrainRecord, Matrix) {
    let pca = Pca::new(d).fit(x).unwrap();
    let (xc, _) = x.center_columns();
    let sig2: Vec<f64> = svd(&xc)
        .unwrap()
        .singular_values
        .iter()
        .map(|s| s * s)
        .collect();
    let lr = step / sig2[0];
    let mut rate = f64::INFINITY;
    for &a in &sig2[..d] {
        for &b in &sig2[d..] {
            rate = rate.min(lr * 2.0 * b * (a - b) / (a + b));
            if weight_decay > 0.0 {
                rate = rate.min(2.0 * lr * (weight_decay - b));
            }
        }
        if weight_decay > 0.0 {
            rate = rate
                .min(4.0 * lr * weight_decay)
                .min(2.0 * lr * (a - weight_decay));
        }
    }
    let epochs = 20_000 + (40.0 / rate).ceil() as usize;
    assert!(
        epochs < 400_000,
        "gap too small for a quick test: rate {rate}"
    );
    let mut ae = LinearAutoencoder::new(x.column_means(), d, &start, seed);
    let rec = ae
        .train(
            x,
            &LaeConfig {
                epochs,
                lr,
                weight_decay,
                batch_size: None,
                seed,
            },
            Some(&pca.components),
        )
        .unwrap();
    (ae, rec, pca.components)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// `nn.lae.training`: from a balanced start UW → PCA's projector (principal angles ≈ 0)
    /// and W ≈ Uᵀ, UᵀU ≈ I, up to the O(η) drift of Q (at UW = P with UᵀU - WWᵀ = ΔQ,
    /// UᵀU = I + ΔQ/2 + O(ΔQ²)).
    #[test]
    fn lae_training_balanced_start_gives_w_equal_ut(dim in 3usize..7, n in 12usize..40, seed in 0u64..500) {
        let x = spectrum_data(n, dim, seed, 3.0);
        let d = 1 + (seed as usize) % 2;
        let (ae, rec, _) = run(&x, d, Start::Balanced { scale: 0.5 }, 0.0, seed, 0.1);
        let angle = *rec.largest_angle.last().unwrap();
        // Converged (see `run`): the angle is limited by the eigenvector conditioning
        // ε·λ_1/(λ_d - λ_{d+1}); 1e-6 is far above it.
        prop_assert!(angle < 1e-6, "angle {angle}");
        let drift = *rec.drift_bound.last().unwrap();
        let utu = ae.u.tr_matmul(&ae.u);
        let id_err = (&utu - &Matrix::identity(d)).max_abs();
        prop_assert!(ae.w_minus_ut() <= drift + 1e-6, "||W-Uᵀ|| {} drift bound {drift}", ae.w_minus_ut());
        prop_assert!(id_err <= drift + 1e-6, "UᵀU - I {id_err}, drift bound {drift}");
    }

    /// `nn.lae.training`: from an unbalanced start UW still → the projector, but W ≠ Uᵀ:
    /// ||UᵀU - WWᵀ|| ≤ ||W - Uᵀ||(||U|| + ||W||) and UᵀU - WWᵀ = Q₀ + ΔQ with the measured
    /// drift ||ΔQ|| (O(η)), so ||W - Uᵀ|| ≥ (||Q₀|| - ||ΔQ||)/(||U|| + ||W||) > 0.
    #[test]
    fn lae_training_unbalanced_start_keeps_w_not_ut(dim in 3usize..7, n in 12usize..40, seed in 0u64..500) {
        let x = spectrum_data(n, dim, seed, 3.0);
        let d = 1 + (seed as usize) % 2;
        let start = Start::Unbalanced { u_scale: 1.0, w_scale: 0.2 };
        let q0 = LinearAutoencoder::new(x.column_means(), d, &start, seed).balance().frobenius_norm();
        // A small step: the drift of Q is O(η) and must stay below the start's imbalance.
        let (ae, rec, _) = run(&x, d, start, 0.0, seed, 0.02);
        let angle = *rec.largest_angle.last().unwrap();
        prop_assert!(angle < 1e-6, "angle {angle}");
        // The measured drift of Q (exact: Q_T = Q₀ + ΔQ), not its a-priori bound.
        let drift = *rec.q_drift.last().unwrap();
        // Conservation: the drift is O(η) and small against the start's imbalance, whatever
        // the imbalance of this random draw (a fixed threshold on ||Q₀|| failed on draws that
        // happened to start nearly balanced).
        prop_assert!(drift <= 0.25 * q0, "Q0 {q0}, drift {drift}");
        let lower = (q0 - drift) / (ae.u.frobenius_norm() + ae.w.frobenius_norm());
        // The bound is attained when d = 1 and u ∥ wᵀ (then |u|² - |w|² = (|u| - |w|)(|u| + |w|)
        // and |u - w| = ||u| - |w||), so allow the rounding of the norms (a few ε relative).
        prop_assert!(ae.w_minus_ut() >= lower * (1.0 - 1e-12), "{} < {lower}", ae.w_minus_ut());
    }

    /// `nn.lae.training` with weight decay λ(||U||² + ||W||²) on the summed loss: at the
    /// minimum W = Uᵀ from any start, and U's singular values are sqrt(1 - λ/σ_i²) (σ_i the
    /// centred data's singular values) for σ_i² > λ, 0 otherwise.
    #[test]
    fn lae_training_weight_decay_gives_w_equal_ut_and_shrunk_decoder(dim in 3usize..7, n in 12usize..40, seed in 0u64..500) {
        let x = spectrum_data(n, dim, seed, 3.0);
        let d = 1 + (seed as usize) % 2;
        let (xc, _) = x.center_columns();
        let sig = svd(&xc).unwrap().singular_values;
        // λ = ¾σ_d²: direction d keeps s² = ¼, direction d+1 (σ² = ⅔λ) collapses.
        let lambda = 0.75 * sig[d - 1] * sig[d - 1];
        let (ae, rec, _) = run(&x, d, Start::Unbalanced { u_scale: 1.0, w_scale: 0.2 }, lambda, seed, 0.1);
        // Converged (see `run`): e^{-40} of the initial error is left; 1e-6 is far above it.
        prop_assert!(ae.w_minus_ut() <= 1e-6, "||W - Uᵀ|| = {}", ae.w_minus_ut());
        prop_assert!(*rec.largest_angle.last().unwrap() < 1e-6);
        let su = svd(&ae.u).unwrap().singular_values;
        for i in 0..d {
            let want = (1.0 - lambda / (sig[i] * sig[i])).max(0.0).sqrt();
            prop_assert!((su[i] - want).abs() <= 1e-6, "s_{i} = {} want {want}", su[i]);
        }
    }
}

/// `nn.lae.training`: minibatch SGD (batch 8) also ends near PCA's subspace; with a constant
/// step the iterates keep fluctuating at O(η), so the angle tolerance is loose.
#[test]
fn lae_training_sgd_reaches_principal_subspace() {
    let x = tests::anisotropic_data(200, 5, 11, 1.0);
    let pca = Pca::new(2).fit(&x).unwrap();
    let lr = 0.02 / top_sq_singular(&x);
    let mut ae = LinearAutoencoder::new(x.column_means(), 2, &Start::Balanced { scale: 0.5 }, 3);
    let cfg = LaeConfig {
        epochs: 400,
        lr,
        weight_decay: 0.0,
        batch_size: Some(8),
        seed: 5,
    };
    let rec = ae.train(&x, &cfg, Some(&pca.components)).unwrap();
    let angle = *rec.largest_angle.last().unwrap();
    // The gradient noise scales with η·(N/m)·||x||²: an angle of a few 1e-3 is typical.
    assert!(angle < 0.05, "angle {angle}");
}

/// Three ways to PCA (`nn.lae.trace`, `nn.lae.training`, `dr.mds.classical`): the covariance
/// eigenvectors, classical MDS on the distance matrix (the feature-space directions are
/// X_cᵀY) and the trained linear autoencoder's span(U) are the same subspace.
#[test]
fn three_ways_to_pca_agree() {
    for (seed, dim, d) in [(1u64, 5usize, 2usize), (2, 6, 1), (3, 4, 2)] {
        let x = spectrum_data(60, dim, seed, 5.0);
        let pca = Pca::new(d).fit(&x).unwrap().components;
        let dist = x.pairwise_sq_distances().map(f64::sqrt);
        let mds = ClassicalMds::new(d).fit_distances(&dist).unwrap();
        let (xc, _) = x.center_columns();
        let mds_dirs = xc.tr_matmul(&mds.embedding);
        let (ae, _, _) = run(&x, d, Start::Balanced { scale: 0.5 }, 0.0, seed, 0.1);
        // Covariance vs MDS: both exact eigen-solvers; the distances' square roots and the
        // re-squaring cost a few ε·max Δ², amplified by 1/gap (λ ratio 2): 1e-8 is generous.
        assert!(max_angle(&pca, &mds_dirs) < 1e-8);
        // The autoencoder converged (see `run`).
        assert!(max_angle(&pca, &ae.u) < 1e-6);
        assert!(max_angle(&mds_dirs, &ae.u) < 1e-6);
    }
}

/// `principal_angles`: a known angle in the plane, and accuracy at tiny angles (where acos
/// of the cosine would lose half the digits).
#[test]
fn principal_angles_known_values() {
    for t in [0.3f64, 1e-9] {
        let a = Matrix::from_rows(&[[1.0], [0.0], [0.0]]);
        let b = Matrix::from_rows(&[[t.cos()], [t.sin()], [0.0]]);
        let got = principal_angles(&a, &b).unwrap()[0];
        // atan2(sin, cos) is accurate to a few ε relative.
        assert!((got - t).abs() <= 8.0 * EPS * t, "{got} vs {t}");
    }
}
