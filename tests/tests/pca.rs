//! PCA two ways: `dr.pca.covariance`, `dr.pca.svd`, `dr.pca.reconstruction`, and agreement
//! with scikit-learn's PCA on iris (same sign convention, so no sign freedom is needed).

#[path = "../fixtures/sklearn/fixture.rs"]
mod fixture;

use dimred::pca::{Pca, PcaSolver};
use linalg::{orthonormalize, Matrix};
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

fn data(n: usize, d: usize, seed: u64) -> Matrix {
    tests::anisotropic_data(n, d, seed, 3.0)
}

fn cases() -> ProptestConfig {
    ProptestConfig::with_cases(32)
}

proptest! {
    #![proptest_config(cases())]

    /// `dr.pca.covariance`: C V_d = V_d Λ_d, V_d^T V_d = I, and the scores Y = Xc V_d have the
    /// diagonal covariance diag(λ_1..λ_d).
    #[test]
    fn dr_pca_covariance_scores_have_diagonal_covariance(n in 8usize..40, d in 2usize..6, seed in 0u64..1000) {
        let x = data(n, d, seed);
        let k = d - 1;
        let (fit, y) = Pca::new(k).fit_transform(&x).unwrap();
        let c = x.covariance();
        let v = &fit.components;
        let lam = &fit.explained_variance;
        // Residual of a Jacobi eigenpair: a few n·ε·||C|| (Jacobi is backward stable).
        let tol = 50.0 * d as f64 * EPS * lam[0];
        let cv = c.matmul(v);
        for j in 0..k {
            for i in 0..d {
                prop_assert!((cv[(i, j)] - lam[j] * v[(i, j)]).abs() <= tol);
            }
        }
        let vtv = v.tr_matmul(v);
        prop_assert!((&vtv - &Matrix::identity(k)).max_abs() <= 50.0 * d as f64 * EPS);
        // Covariance of the scores: V^T C V = Λ up to the same residual, plus the rounding of
        // forming Y (N·ε relative).
        let cy = y.covariance();
        let tol_y = tol + 10.0 * n as f64 * EPS * lam[0];
        for a in 0..k {
            for b in 0..k {
                let expect = if a == b { lam[a] } else { 0.0 };
                prop_assert!((cy[(a, b)] - expect).abs() <= tol_y, "cov(Y)[{a},{b}] = {} vs {expect}", cy[(a, b)]);
            }
        }
        // Total variance: Σ λ = trace(C) (divide by N - 1, as scikit-learn).
        let total: f64 = lam.iter().sum();
        prop_assert!((total - c.trace()).abs() <= tol * d as f64);
    }

    /// `dr.pca.svd`: the SVD path gives the same variances λ = σ²/(N-1) and the same
    /// directions (the sign rule makes them equal, not only up to sign).
    #[test]
    fn dr_pca_svd_agrees_with_covariance(n in 8usize..40, d in 2usize..6, seed in 0u64..1000) {
        let x = data(n, d, seed);
        let cov = Pca { n_components: d, solver: PcaSolver::Covariance }.fit(&x).unwrap();
        let svd = Pca { n_components: d, solver: PcaSolver::Svd }.fit(&x).unwrap();
        // Eigenvalues of C = Xc^T Xc/(N-1) carry absolute errors of order D ε λ_1 from forming
        // C; the SVD's are relatively accurate. Compare at that absolute level.
        let tol = 100.0 * (n + d) as f64 * EPS * cov.explained_variance[0];
        for (a, b) in cov.explained_variance.iter().zip(&svd.explained_variance) {
            prop_assert!((a - b).abs() <= tol, "λ: {a} vs {b}");
        }
        // Eigenvector error ≤ residual / gap; the gaps here are ≥ ~2x in variance (column
        // scales spread by √10 per column), i.e. ≥ λ_{j}/3 for consecutive j.
        for j in 0..d {
            let gap = if j + 1 < d { cov.explained_variance[j] - cov.explained_variance[j + 1] } else { cov.explained_variance[j - 1] - cov.explained_variance[j] };
            let tol_v = 1e3 * (n + d) as f64 * EPS * cov.explained_variance[0] / gap;
            let a = cov.components.col(j);
            let b = svd.components.col(j);
            let diff = a.iter().zip(&b).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max);
            prop_assert!(diff <= tol_v, "component {j}: max diff {diff}, tol {tol_v}");
        }
    }

    /// `dr.pca.reconstruction`: Σ ||xc - V_d V_d^T xc||² = (N-1) Σ_{k>d} λ_k, and no other
    /// rank-d orthogonal projection does better (Eckart–Young).
    #[test]
    fn dr_pca_reconstruction_equals_tail_eigenvalues(n in 8usize..40, d in 3usize..7, k in 1usize..3, seed in 0u64..1000) {
        let x = data(n, d, seed);
        let fit = Pca::new(k).fit(&x).unwrap();
        let err = fit.reconstruction_error(&x);
        let predicted = fit.predicted_reconstruction_error();
        // Both sides sum N·D squares of numbers of size ≤ ||Xc||: rounding n·d·ε·||Xc||_F².
        let scale = (n - 1) as f64 * fit.explained_variance.iter().sum::<f64>();
        let tol = 100.0 * (n * d) as f64 * EPS * scale;
        prop_assert!((err - predicted).abs() <= tol, "error {err} vs (N-1) Σ tail λ {predicted}");
        // Any other orthonormal U (random) reconstructs no better.
        let (xc, _) = x.center_columns();
        let u = orthonormalize(&Matrix::random_normal(d, k, seed + 7)).unwrap();
        let proj = xc.matmul(&u).matmul_tr(&u);
        let err_u: f64 = (&xc - &proj).as_slice().iter().map(|v| v * v).sum();
        prop_assert!(err_u >= err - tol, "random subspace {err_u} beat PCA {err}");
    }
}

/// `dr.pca.reconstruction`: keeping all D directions reconstructs the data (the inverse
/// transform undoes the transform).
#[test]
fn dr_pca_reconstruction_full_rank_is_identity() {
    let x = data(30, 4, 5);
    let fit = Pca::new(4).fit(&x).unwrap();
    let back = fit.inverse_transform(&fit.transform(&x));
    // Two products with an orthogonal V: a few D·ε relative to the largest entry.
    assert!((&back - &x).max_abs() <= 100.0 * 4.0 * EPS * x.max_abs());
}

/// `dr.pca.covariance`, `dr.pca.svd`: scikit-learn's PCA on iris (LAPACK SVD) gives the same
/// explained variances, ratios, components and scores, with the same signs: scikit-learn's
/// rule (largest |loading| positive) is ours.
#[test]
fn dr_pca_sklearn_iris_fixture() {
    let f = fixture::load();
    let p = &f["pca_iris"];
    let x = dimred::data::load("iris").unwrap().x;
    let expect_y = fixture::matrix(&p["scores"]);
    let expect_var = fixture::vector(&p["explained_variance"]);
    let expect_ratio = fixture::vector(&p["explained_variance_ratio"]);
    let expect_comp = fixture::matrix(&p["components"]).transpose();
    for solver in [PcaSolver::Covariance, PcaSolver::Svd] {
        let (fit, y) = Pca {
            n_components: 2,
            solver,
        }
        .fit_transform(&x)
        .unwrap();
        // Iris: λ = 4.23, 0.243, 0.078, 0.024; the smallest gap (0.054) bounds eigenvector
        // errors by ~ε·4.23/0.054 ≈ 80ε; entries are O(1): 1e-12 leaves ample room.
        for (a, b) in fit.explained_variance.iter().zip(&expect_var) {
            assert!(
                (a - b).abs() <= 1e-12 * expect_var[0],
                "{solver:?}: λ {a} vs {b}"
            );
        }
        for (a, b) in fit.explained_variance_ratio.iter().zip(&expect_ratio) {
            assert!((a - b).abs() <= 1e-12, "{solver:?}: ratio {a} vs {b}");
        }
        assert!(
            (&fit.components - &expect_comp).max_abs() <= 1e-12,
            "{solver:?}: components"
        );
        assert!(
            (&y - &expect_y).max_abs() <= 1e-11,
            "{solver:?}: scores differ by {}",
            (&y - &expect_y).max_abs()
        );
    }
}

/// `dr.pca.covariance`: invalid d is an error, not a panic or garbage.
#[test]
fn dr_pca_covariance_rejects_bad_dimension() {
    let x = data(10, 3, 1);
    assert!(Pca::new(0).fit(&x).is_err());
    assert!(Pca::new(4).fit(&x).is_err());
    assert!(Pca::new(2).fit(&Matrix::zeros(1, 3)).is_err());
    // Wide data (N = 3 < D = 5): the SVD has only 3 right singular vectors.
    let wide = Matrix::random_normal(3, 5, 2);
    let svd = |d| Pca {
        n_components: d,
        solver: PcaSolver::Svd,
    };
    assert!(svd(3).fit(&wide).is_ok());
    assert!(svd(4).fit(&wide).is_err());
    assert!(Pca::new(4).fit(&wide).is_ok());
}

/// Regression (careless input): 30 samples of 3000 features took 5 minutes by the default
/// covariance path (a 3000 x 3000 Jacobi) against 0.04 s by the SVD. `cheaper_for` sends wide
/// data to the SVD; `dr.pca.svd`: on wide data both paths give the same leading variances.
#[test]
fn dr_pca_svd_is_the_cheaper_path_for_wide_data() {
    assert_eq!(PcaSolver::cheaper_for(30, 3000, 2), PcaSolver::Svd);
    assert_eq!(PcaSolver::cheaper_for(3000, 30, 2), PcaSolver::Covariance);
    // The SVD of 30 samples has at most 30 directions: more are asked of the covariance.
    assert_eq!(PcaSolver::cheaper_for(30, 3000, 31), PcaSolver::Covariance);
    let x = data(8, 40, 5);
    let fit = |solver| {
        Pca {
            n_components: 3,
            solver,
        }
        .fit(&x)
        .unwrap()
    };
    let (cov, svd) = (fit(PcaSolver::Covariance), fit(PcaSolver::Svd));
    let top = cov.explained_variance[0];
    for k in 0..3 {
        // Both backward stable: eigenvalue errors of order D·ε·λ_max (Weyl).
        let tol = 40.0 * 40.0 * f64::EPSILON * top;
        let diff = (cov.explained_variance[k] - svd.explained_variance[k]).abs();
        assert!(diff <= tol, "λ_{k}: {diff:e} > {tol:e}");
    }
}

/// `dr.pca.covariance`: for d ≪ D the covariance path takes the d leading eigenpairs from
/// Lanczos and the total variance from the trace; on the digits (D = 64) it agrees with the
/// full Jacobi path (all 64 components) in values, ratios, directions and the reconstruction
/// error it predicts.
#[test]
fn dr_pca_covariance_lanczos_path_agrees_with_full_jacobi() {
    let x = dimred::data::load("digits").unwrap().x;
    let dim = x.ncols();
    assert!(dimred::pca::lanczos_pays(2, dim) && !dimred::pca::lanczos_pays(dim, dim));
    let top = Pca::new(2).fit(&x).unwrap();
    let full = Pca::new(dim).fit(&x).unwrap();
    assert_eq!(
        top.explained_variance.len(),
        2,
        "the Lanczos path finds the kept pairs only"
    );
    assert_eq!(full.explained_variance.len(), dim);
    let lam = &full.explained_variance;
    // Both are backward stable for C to D·ε·λ_1 (Lanczos: residual ≤ D·ε·λ_1 by its
    // tolerance; Jacobi: a few D·ε·||C||), so eigenvalues agree to that (Weyl) and directions
    // to it over the gap to the next eigenvalue (Davis–Kahan); 10x for the constants.
    let tol = 10.0 * dim as f64 * EPS * lam[0];
    let total: f64 = lam.iter().sum();
    assert!((top.total_variance - total).abs() <= tol, "tr C vs Σ λ");
    for j in 0..2 {
        let gap = (lam[j] - lam[j + 1]).min(if j > 0 {
            lam[j - 1] - lam[j]
        } else {
            f64::INFINITY
        });
        assert!((top.explained_variance[j] - lam[j]).abs() <= tol, "λ_{j}");
        let ratio = (top.explained_variance_ratio[j] - full.explained_variance_ratio[j]).abs();
        assert!(ratio <= 2.0 * tol / total, "ratio {j}");
        let (a, b) = (top.components.col(j), full.components.col(j));
        let diff = a
            .iter()
            .zip(&b)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f64::max);
        assert!(
            diff <= tol / gap,
            "direction {j}: {diff:e} > {:e}",
            tol / gap
        );
    }
    // Σ_{k>2} λ_k from tr C − λ_1 − λ_2 against the sum of the 62 trailing eigenvalues.
    let tail: f64 = lam[2..].iter().sum();
    assert!((top.tail_variance() - tail).abs() <= 3.0 * tol);
}
