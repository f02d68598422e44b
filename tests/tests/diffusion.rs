//! Diffusion maps: `dr.diffusion.markov` (P = D_α^{-1} K^(α) is row-stochastic with λ_0 = 1 and
//! ψ_0 constant; its spectrum comes from the symmetric S; the diffusion distance equals the
//! Euclidean distance of the full diffusion coordinates).

use dimred::diffusion::{diffusion_distances, DiffusionMaps, EpsilonRule};
use dimred::EigenSolver;
use linalg::Matrix;
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

fn alpha_of(k: usize) -> f64 {
    [0.0, 0.5, 1.0][k]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `dr.diffusion.markov`: rows of P sum to 1, π^T P = π^T, all eigenvalues of S lie in
    /// [0, 1] with λ_0 = 1, and ψ_0 ≡ 1, for α ∈ {0, ½, 1} and ε from the data or given.
    #[test]
    fn diffusion_markov_chain_is_stochastic(
        n in 6usize..40,
        a in 0usize..3,
        fixed_eps in proptest::option::of(0.1f64..10.0),
        seed in 0u64..1000,
    ) {
        let x = Matrix::random_normal(n, 3, seed);
        let dm = DiffusionMaps {
            alpha: alpha_of(a),
            epsilon: fixed_eps.map_or(EpsilonRule::MedianKnn { k: 3.min(n - 1) }, EpsilonRule::Fixed),
            solver: EigenSolver::Dense,
            ..DiffusionMaps::new(2)
        };
        let chain = dm.markov_chain(&x).unwrap();
        let p = chain.transition_matrix();
        let pi = chain.stationary();
        // Row sums and π^T P are sums of N terms of size ≤ 1: error ≤ N ε.
        let tol = 4.0 * n as f64 * EPS;
        for i in 0..n {
            let s: f64 = p.row(i).iter().sum();
            prop_assert!((s - 1.0).abs() <= tol, "row {} sums to {}", i, s);
            let left: f64 = (0..n).map(|m| pi[m] * p[(m, i)]).sum();
            prop_assert!((left - pi[i]).abs() <= tol * pi[i].max(1.0 / n as f64));
        }
        let fit = dm.fit(&x).unwrap();
        // Jacobi's eigenvalues are exact to about N ε ||S||, and ||S||_2 = 1.
        prop_assert!((fit.eigenvalues[0] - 1.0).abs() <= tol);
        for &l in &fit.eigenvalues {
            prop_assert!(l >= -tol && l <= 1.0 + tol, "eigenvalue {}", l);
        }
        // ψ_0 = sqrt(vol / d) φ_0 with φ_0 = sqrt(d / vol): 1 up to the eigenvector's error,
        // about N ε / gap; the gap λ_0 - λ_1 is bounded away from 0 for these connected data
        // (checked, not assumed).
        let gap = fit.eigenvalues[0] - fit.eigenvalues[1];
        prop_assume!(gap > 1e-3);
        for i in 0..n {
            prop_assert!((fit.psi[(i, 0)] - 1.0).abs() <= 100.0 * tol / gap, "ψ_0[{}] = {}", i, fit.psi[(i, 0)]);
        }
    }

    /// `dr.diffusion.markov`: P is the definition, built here from scratch: K_ij =
    /// exp(-||x_i - x_j||² / ε), q_i = Σ_j K_ij, K^(α)_ij = K_ij / (q_i q_j)^α, P_ij =
    /// K^(α)_ij / Σ_m K^(α)_im, for α ∈ {0, ½, 1}, and ε given or by the median-k-NN rule
    /// (the (N/2)-th smallest over i of the squared distance to the k-th nearest other point).
    /// Stochasticity alone would not see a wrong α, a wrong ε convention or a wrong ε rule.
    #[test]
    fn diffusion_transition_matrix_is_the_definition(
        n in 4usize..30,
        a in 0usize..3,
        fixed_eps in proptest::option::of(0.1f64..10.0),
        k in 1usize..4,
        seed in 0u64..1000,
    ) {
        let x = Matrix::random_normal(n, 3, seed);
        let alpha = alpha_of(a);
        let dm = DiffusionMaps {
            alpha,
            epsilon: fixed_eps.map_or(EpsilonRule::MedianKnn { k }, EpsilonRule::Fixed),
            ..DiffusionMaps::new(2)
        };
        let chain = dm.markov_chain(&x).unwrap();
        let sq = Matrix::from_fn(n, n, |i, j| (0..3).map(|c| (x[(i, c)] - x[(j, c)]).powi(2)).sum());
        let eps = fixed_eps.unwrap_or_else(|| {
            let mut kth: Vec<f64> = (0..n)
                .map(|i| {
                    let mut row: Vec<f64> = (0..n).filter(|&j| j != i).map(|j| sq[(i, j)]).collect();
                    row.sort_by(f64::total_cmp);
                    row[k - 1]
                })
                .collect();
            kth.sort_by(f64::total_cmp);
            kth[n / 2]
        });
        // The same squared distance summed in another order: 4ε relative.
        prop_assert!((chain.epsilon - eps).abs() <= 4.0 * EPS * eps, "ε {} vs {}", chain.epsilon, eps);
        let kern = sq.map(|v| (-v / eps).exp());
        let q: Vec<f64> = kern.rows().map(|r| r.iter().sum()).collect();
        let ka = Matrix::from_fn(n, n, |i, j| kern[(i, j)] / (q[i] * q[j]).powf(alpha));
        let p = chain.transition_matrix();
        for i in 0..n {
            let d: f64 = ka.row(i).iter().sum();
            for j in 0..n {
                let want = ka[(i, j)] / d;
                // Sums of N positive terms (q, d) are N ε relative each, through the powers α ≤ 1
                // and the similarity D^{-1/2} S D^{1/2}: 8 N ε; exp(-Δ²/ε) adds 4 (Δ²/ε) ε for
                // the rounding of Δ².
                let tol = (8.0 * n as f64 + 4.0 * sq[(i, j)] / eps) * EPS * want;
                prop_assert!((p[(i, j)] - want).abs() <= tol, "P[{},{}] = {} vs {}", i, j, p[(i, j)], want);
            }
        }
    }

    /// `dr.diffusion.markov`: D_t(i, j)^2 = Σ_m (P^t_im - P^t_jm)^2 / π_m equals
    /// ||Ψ_t(x_i) - Ψ_t(x_j)||^2 with all N - 1 non-trivial coordinates, for t = 1, 2, 3.
    #[test]
    fn diffusion_distance_equals_coordinate_distance(
        n in 5usize..30,
        a in 0usize..3,
        t in 1u32..4,
        seed in 0u64..1000,
    ) {
        let x = Matrix::random_normal(n, 2, seed);
        let dm = DiffusionMaps {
            n_components: n - 1,
            alpha: alpha_of(a),
            t,
            epsilon: EpsilonRule::MedianKnn { k: 3.min(n - 1) },
            solver: EigenSolver::Dense,
        };
        let fit = dm.fit(&x).unwrap();
        let chain = dm.markov_chain(&x).unwrap();
        let dd = diffusion_distances(&chain.transition_matrix(), &chain.stationary(), t);
        let y = &fit.embedding;
        let pi_min = fit.stationary.iter().copied().fold(f64::INFINITY, f64::min);
        let scale = dd.max_abs();
        // Both sides are computed to about N ε relative to the entries of P^t, and the weights
        // 1/π_m (or the factors sqrt(1/π_i) of ψ) amplify that by at most 1/π_min. The
        // coordinates also drop ψ_0 as exactly constant, but the computed ψ_0 and ψ_1 mix by an
        // angle of about N ε / (1 - λ_1): a nearly disconnected point (λ_1 within 1e-12 of 1,
        // seen for small ε) makes that term dominate, so such draws are skipped.
        let gap = 1.0 - fit.eigenvalues[1];
        prop_assume!(gap > 1e-6);
        let tol = 100.0 * n as f64 * EPS * (1.0 / pi_min + 1.0 / gap) * scale.max(1.0);
        for i in 0..n {
            for j in 0..n {
                let e = linalg::sq_dist(y.row(i), y.row(j)).sqrt();
                prop_assert!((e - dd[(i, j)]).abs() <= tol, "({},{}): {} vs {} (tol {})", i, j, e, dd[(i, j)], tol);
            }
        }
    }
}

/// `dr.diffusion.markov`: the top-k Lanczos path (N > 200) and the full Jacobi path give the
/// same eigenvalues and the same coordinates up to sign.
#[test]
fn diffusion_top_k_matches_dense() {
    let d = dimred::data::swiss_roll(260, 0.05, 2);
    let base = DiffusionMaps::new(3);
    let dense = DiffusionMaps {
        solver: EigenSolver::Dense,
        ..base
    }
    .fit(&d.x)
    .unwrap();
    let topk = DiffusionMaps {
        solver: EigenSolver::TopK,
        ..base
    }
    .fit(&d.x)
    .unwrap();
    // Lanczos stops at residual 1e-10 ||S||; eigenvalue errors are below that.
    for k in 0..4 {
        assert!((dense.eigenvalues[k] - topk.eigenvalues[k]).abs() < 1e-9);
    }
    // Eigenvector angle ≤ residual / gap; gaps here are ≥ 1e-3 (printed on failure).
    let gaps: Vec<f64> = (0..4)
        .map(|k| dense.eigenvalues[k] - dense.eigenvalues[k + 1])
        .collect();
    for k in 0..3 {
        let (a, b) = (dense.embedding.col(k), topk.embedding.col(k));
        let s = if linalg::dot(&a, &b) < 0.0 { -1.0 } else { 1.0 };
        let err = a
            .iter()
            .zip(&b)
            .map(|(p, q)| (p - s * q).abs())
            .fold(0.0, f64::max);
        let size = a.iter().map(|v| v.abs()).fold(0.0, f64::max);
        assert!(err <= 1e-6 * size, "column {k}: error {err}, gaps {gaps:?}");
    }
}

/// `dr.diffusion.markov`: the diffusion time only scales coordinate k by λ_k^t.
#[test]
fn diffusion_time_scales_coordinates() {
    let d = dimred::data::noisy_circle(80, 0.05, 4);
    let one = DiffusionMaps::new(2).fit(&d.x).unwrap();
    let three = DiffusionMaps {
        t: 3,
        ..DiffusionMaps::new(2)
    }
    .fit(&d.x)
    .unwrap();
    for k in 0..2 {
        let l2 = one.eigenvalues[k + 1].powi(2);
        for i in 0..80 {
            let want = one.embedding[(i, k)] * l2;
            assert!((three.embedding[(i, k)] - want).abs() <= 1e-12 * (1.0 + want.abs()));
        }
    }
}

/// Regression (careless input): with ε = 1e-300 every off-diagonal kernel entry underflows to
/// 0, P = I, all eigenvalues are 1 and the "embedding" was an arbitrary basis of that
/// eigenspace, returned without complaint. Now a `DisconnectedGraph` error naming ε and the
/// component sizes.
#[test]
fn diffusion_kernel_that_underflows_is_a_disconnected_graph_error() {
    let x = Matrix::from_fn(12, 2, |i, j| (i * (j + 1)) as f64 * 0.37);
    let dm = DiffusionMaps {
        epsilon: EpsilonRule::Fixed(1e-300),
        ..DiffusionMaps::new(2)
    };
    let err = dm.fit(&x).map(|_| ()).unwrap_err();
    assert!(
        matches!(&err, dimred::DimredError::DisconnectedGraph { component_sizes, .. }
            if component_sizes.len() == 12),
        "{err}"
    );
    assert!(err.to_string().contains("ε = 1e-300"), "{err}");
}
