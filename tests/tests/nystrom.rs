//! The Nyström extension (`dr.kpca.centering` and `dr.diffusion.markov` at scale): with every
//! point a landmark it is exact kernel PCA and exact diffusion maps; with fewer landmarks the
//! eigenvalues and eigenvectors stay within the bounds of Weyl and Davis–Kahan for the
//! kernel's Nyström residual, computed here densely from its definition.

use dimred::diffusion::{DiffusionMaps, EpsilonRule};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::nystrom::{NystromDiffusion, NystromKernelPca, NystromMap};
use dimred::EigenSolver;
use linalg::Matrix;
use proptest::prelude::*;
use tests::max_diff_up_to_column_signs;

const EPS: f64 = f64::EPSILON;

/// Smallest gap λ_k − λ_{k+1} for k < d among descending eigenvalues.
fn min_gap(lam: &[f64], d: usize) -> f64 {
    (0..d)
        .map(|k| lam[k] - lam[k + 1])
        .fold(f64::INFINITY, f64::min)
}

/// The two-norm of a matrix symmetric up to rounding: its largest |eigenvalue| (full Jacobi,
/// on the symmetrised matrix: K̂ and J E J are formed by products in a fixed order).
fn norm2_symmetric(a: &Matrix) -> f64 {
    let mut a = a.clone();
    a.symmetrize();
    let v = linalg::eigvalsh(&a).unwrap();
    v[0].abs().max(v[v.len() - 1].abs())
}

/// ‖sin Θ‖₂ between the column spaces of the orthonormal N x d `u` and `v`: the largest
/// singular value of (I − U Uᵀ) V, the square root of the top eigenvalue of its Gram matrix.
fn sin_theta(u: &Matrix, v: &Matrix) -> f64 {
    let r = v - &u.matmul(&u.tr_matmul(v));
    linalg::eigvalsh(&r.gram_columns()).unwrap()[0]
        .max(0.0)
        .sqrt()
}

/// Columns scaled to unit length.
fn unit_columns(a: &Matrix) -> Matrix {
    let mut out = a.clone();
    for j in 0..a.ncols() {
        let c = a.col(j);
        let n = linalg::norm2(&c);
        out.set_col(j, &c.iter().map(|v| v / n).collect::<Vec<_>>());
    }
    out
}

/// J A J for a symmetric A.
fn double_centre(a: &Matrix) -> Matrix {
    let n = a.nrows();
    let j = Matrix::from_fn(n, n, |r, c| f64::from(u8::from(r == c)) - 1.0 / n as f64);
    j.matmul(a).matmul(&j)
}

/// The Nyström approximation K̂ = C W⁺ Cᵀ from its definition, W⁺ by the full
/// eigendecomposition with the same cut-off as the library (eigenvalues ≤ n ε σ_1 dropped).
fn nystrom_kernel(x: &Matrix, kernel: Kernel, landmarks: &[usize]) -> Matrix {
    let xl = x.select_rows(landmarks);
    let c = kernel.cross(x, &xl);
    let e = linalg::eigh(&kernel.gram(&xl)).unwrap();
    let tol = landmarks.len() as f64 * EPS * e.values[0];
    let pinv = Matrix::from_fn(landmarks.len(), landmarks.len(), |a, b| {
        (0..landmarks.len())
            .filter(|&k| e.values[k] > tol)
            .map(|k| e.vectors[(a, k)] * e.vectors[(b, k)] / e.values[k])
            .sum()
    });
    c.matmul(&pinv).matmul_tr(&c)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// `dr.kpca.centering`: every point a landmark: K̂ = K, so Nyström kernel PCA is exact
    /// kernel PCA, eigenvalues and coordinates.
    #[test]
    fn every_point_a_landmark_is_exact_kernel_pca(n in 20usize..60, seed in 0u64..500) {
        let x = tests::anisotropic_data(n, 3, seed, 1.0);
        let kernel = Kernel::Rbf { gamma: 0.5 };
        let exact = KernelPca { solver: EigenSolver::Dense, ..KernelPca::new(kernel, 2) }.fit(&x).unwrap();
        let fit = NystromKernelPca::new(kernel, 2, n).fit(&x).unwrap();
        let lam = &exact.eigenvalues;
        // Both paths are backward stable for K̃ (K̂ = Φ Φᵀ differs from K by about n ε ‖K‖,
        // the whitening's large errors sit in columns of size √σ, see the module doc): each
        // eigenvalue within a few N ε λ_1, each eigenvector within N ε λ_1 / gap (Davis–Kahan),
        // coordinates √λ_1 times that. The factor 10 covers the few sums of N terms on each
        // path (kernel, centring, products, Jacobi); measured: below 1e-3 of this bound.
        let vec_tol = 10.0 * n as f64 * EPS * lam[0] / min_gap(lam, 2) * lam[0].sqrt();
        let diff = max_diff_up_to_column_signs(&fit.embedding, &exact.embedding);
        prop_assert!(diff <= vec_tol, "Nyström (all points) vs exact kernel PCA: {diff:e} > {vec_tol:e}");
        for k in 0..2 {
            let e = (fit.eigenvalues[k] - lam[k]).abs();
            prop_assert!(e <= 100.0 * n as f64 * EPS * lam[0], "λ_{k}: {e:e}");
        }
        // Every kernel value is recovered: the residual is rounding, n ε per diagonal entry.
        prop_assert!(fit.residual_trace.abs() <= 100.0 * (n * n) as f64 * EPS);
        // transform on the training points reproduces the embedding (a product of the same
        // features with W_d: rounding of the size of the coordinates).
        let again = fit.transform(&x);
        prop_assert!((&again - &fit.embedding).max_abs() <= vec_tol);
    }

    /// `dr.diffusion.markov`: every point a landmark: the chain of K̂ is the chain of K, so
    /// Nyström diffusion maps are exact diffusion maps, for α ∈ {0, ½, 1}.
    #[test]
    fn every_point_a_landmark_is_exact_diffusion_maps(n in 20usize..60, a in 0usize..3, seed in 0u64..500) {
        let x = Matrix::random_normal(n, 3, seed);
        let dm = DiffusionMaps {
            alpha: [0.0, 0.5, 1.0][a],
            epsilon: EpsilonRule::MedianKnn { k: 8 },
            solver: EigenSolver::Dense,
            ..DiffusionMaps::new(2)
        };
        let exact = dm.fit(&x).unwrap();
        let fit = NystromDiffusion::new(dm, n).fit(&x).unwrap();
        let lam = &exact.eigenvalues;
        // ε is the same number (the same k-th neighbour distances, summed differently).
        prop_assert!((fit.diffusion.epsilon - exact.epsilon).abs() <= 8.0 * EPS * exact.epsilon);
        // S has ‖S‖ = 1; each eigenvector within a few N ε / gap (Davis–Kahan), and ψ scales
        // φ by √(vol / d_i) ≤ √(N max d / min d): the factor below. 10 covers the sums of
        // N terms in q, d and the products on both paths, and the whitening by W^{-1/2}
        // (measured: below 1e-2 of this bound).
        let degrees_ratio = exact.stationary.iter().cloned().fold(0.0, f64::max)
            / exact.stationary.iter().cloned().fold(f64::INFINITY, f64::min);
        let amp = (n as f64 * degrees_ratio).sqrt();
        let tol = 10.0 * n as f64 * EPS / min_gap(lam, 3) * amp;
        let diff = max_diff_up_to_column_signs(&fit.diffusion.embedding, &exact.embedding);
        prop_assert!(diff <= tol, "Nyström (all points) vs exact diffusion maps: {diff:e} > {tol:e}");
        for k in 0..3 {
            let e = (fit.diffusion.eigenvalues[k] - lam[k]).abs();
            prop_assert!(e <= 1e3 * n as f64 * EPS, "λ_{k}: {e:e}");
        }
    }
}

/// `dr.kpca.centering` with n < N landmarks: E = K − K̂ ⪰ 0, so (Weyl) every eigenvalue of
/// J K̂ J lies in [λ_k − ‖J E J‖₂, λ_k] and ‖J E J‖₂ ≤ tr E = the fit's `residual_trace`;
/// and (Davis–Kahan) the top-d eigenvectors turn by at most ‖J E J‖₂ / (λ_d − λ_{d+1}).
/// On 300 swiss-roll points with 20, 40 and 80 landmarks, the bound is checked with the
/// dense K̂ formed from its definition, and it tightens as landmarks are added.
#[test]
fn nystrom_kernel_pca_obeys_weyl_and_davis_kahan() {
    let roll = dimred::data::swiss_roll(300, 0.0, 5);
    let x = roll.x.scale(0.1);
    let kernel = Kernel::Rbf { gamma: 0.5 };
    let d = 2;
    let exact = KernelPca {
        solver: EigenSolver::Dense,
        ..KernelPca::new(kernel, d)
    }
    .fit(&x)
    .unwrap();
    let lam = &exact.eigenvalues;
    let u = unit_columns(&exact.embedding);
    // Rounding on both sides: a few N ε λ_1 on each eigenvalue.
    let round = 100.0 * 300.0 * EPS * lam[0];
    let mut last_bound = f64::INFINITY;
    for n_landmarks in [20, 40, 80] {
        let fit = NystromKernelPca::new(kernel, d, n_landmarks)
            .fit(&x)
            .unwrap();
        let k_hat = nystrom_kernel(&x, kernel, &fit.map.landmarks);
        let jej = double_centre(&(&kernel.gram(&x) - &k_hat));
        let e_norm = norm2_symmetric(&jej);
        assert!(
            e_norm <= fit.residual_trace + round,
            "‖JEJ‖ {e_norm:e} > tr E"
        );
        for k in 0..d {
            let drop = lam[k] - fit.eigenvalues[k];
            assert!(
                (-round..=e_norm + round).contains(&drop),
                "{n_landmarks} landmarks, λ_{k}: exact − Nyström = {drop:e}, bound [0, {e_norm:e}]"
            );
        }
        let gap = lam[d - 1] - lam[d];
        let angle = sin_theta(&u, &unit_columns(&fit.embedding));
        let bound = e_norm / gap;
        assert!(
            angle <= bound + 1e-10,
            "{n_landmarks} landmarks: sin Θ = {angle:e} > ‖JEJ‖ / gap = {bound:e}"
        );
        assert!(
            bound < last_bound,
            "the bound must tighten with more landmarks"
        );
        last_bound = bound;
    }
    // With 80 landmarks the bound itself says the subspace is resolved (angle below 0.1 rad).
    assert!(
        last_bound < 0.1,
        "Davis–Kahan bound at 80 landmarks: {last_bound}"
    );
}

/// `dr.diffusion.markov` with n < N landmarks: Ŝ is a symmetric perturbation of S, so
/// (Weyl) |λ_k(Ŝ) − λ_k(S)| ≤ ‖S − Ŝ‖₂ and (Davis–Kahan) the top d + 1 eigenvectors φ turn
/// by at most ‖S − Ŝ‖₂ / (λ_d − λ_{d+1}); Ŝ is formed densely here from K̂ by the α- and
/// degree normalisation of the exact method.
#[test]
fn nystrom_diffusion_obeys_weyl_and_davis_kahan() {
    let roll = dimred::data::swiss_roll(300, 0.0, 7);
    let d = 2;
    let dm = DiffusionMaps {
        epsilon: EpsilonRule::MedianKnn { k: 30 },
        solver: EigenSolver::Dense,
        ..DiffusionMaps::new(d)
    };
    let chain = dm.markov_chain(&roll.x).unwrap();
    let exact = dm.fit(&roll.x).unwrap();
    let lam = &exact.eigenvalues;
    // φ_k = D^{1/2} ψ_k / √vol: the unit eigenvectors of S.
    let vol: f64 = chain.degrees.iter().sum();
    let phi = Matrix::from_fn(300, d + 1, |i, k| {
        exact.psi[(i, k)] * (chain.degrees[i] / vol).sqrt()
    });
    for n_landmarks in [60, 120] {
        let fit = NystromDiffusion::new(dm, n_landmarks).fit(&roll.x).unwrap();
        let kernel = Kernel::Rbf {
            gamma: 1.0 / fit.diffusion.epsilon,
        };
        let k_hat = nystrom_kernel(&roll.x, kernel, &fit.map.landmarks);
        let s_hat = normalised(&k_hat, dm.alpha);
        let delta = norm2_symmetric(&(&chain.s - &s_hat));
        for k in 0..=d {
            let e = (fit.diffusion.eigenvalues[k] - lam[k]).abs();
            assert!(
                e <= delta + 1e-12,
                "{n_landmarks} landmarks, λ_{k}: |Δλ| = {e:e} > ‖S − Ŝ‖ = {delta:e}"
            );
        }
        let vol_hat: f64 = fit.diffusion.stationary.iter().sum::<f64>();
        assert!((vol_hat - 1.0).abs() < 1e-12);
        let phi_hat = Matrix::from_fn(300, d + 1, |i, k| {
            fit.diffusion.psi[(i, k)] * fit.diffusion.stationary[i].sqrt()
        });
        let angle = sin_theta(&phi, &unit_columns(&phi_hat));
        let bound = delta / (lam[d] - lam[d + 1]);
        assert!(
            angle <= bound + 1e-10,
            "{n_landmarks} landmarks: sin Θ = {angle:e} > ‖S − Ŝ‖ / gap = {bound:e}"
        );
    }
}

/// D^{-1/2} K^(α) D^{-1/2} with K^(α) = Q^{-α} K Q^{-α}, q = K 1, d = K^(α) 1: the exact
/// method's normalisation applied to any symmetric kernel matrix.
fn normalised(k: &Matrix, alpha: f64) -> Matrix {
    let n = k.nrows();
    let q: Vec<f64> = (0..n).map(|i| k.row(i).iter().sum()).collect();
    let ka = Matrix::from_fn(n, n, |i, j| k[(i, j)] * (q[i] * q[j]).powf(-alpha));
    let deg: Vec<f64> = (0..n).map(|i| ka.row(i).iter().sum()).collect();
    Matrix::from_fn(n, n, |i, j| ka[(i, j)] / (deg[i] * deg[j]).sqrt())
}

/// Bad input is an error naming the parameter, never a panic or NaN.
#[test]
fn nystrom_rejects_bad_input() {
    let x = tests::anisotropic_data(30, 3, 1, 0.0);
    let rbf = Kernel::Rbf { gamma: 1.0 };
    for l in [0, 31] {
        let err = NystromMap::fit(&x, rbf, l).unwrap_err();
        assert!(err.to_string().contains("n_landmarks"), "{err}");
    }
    let err = NystromKernelPca::new(rbf, 5, 4).fit(&x).unwrap_err();
    assert!(err.to_string().contains("n_components"), "{err}");
    let err = NystromKernelPca::new(Kernel::Rbf { gamma: -1.0 }, 2, 10)
        .fit(&x)
        .unwrap_err();
    assert!(err.to_string().contains("γ > 0"), "{err}");
    let err = NystromDiffusion::new(DiffusionMaps::new(2), 2)
        .fit(&x)
        .unwrap_err();
    assert!(err.to_string().contains("n_landmarks"), "{err}");
    // A linear kernel has rank D = 3 on any landmarks: 4 components are not there.
    let err = NystromKernelPca::new(Kernel::Linear, 4, 10)
        .fit(&x)
        .unwrap_err();
    assert!(err.to_string().contains("more landmarks"), "{err}");
    let mut bad = x.clone();
    bad[(3, 2)] = f64::NAN;
    assert!(NystromKernelPca::new(rbf, 2, 10).fit(&bad).is_err());
    assert!(NystromDiffusion::new(DiffusionMaps::new(2), 10)
        .fit(&bad)
        .is_err());
}
