//! Kernel PCA (`dr.kpca.centering`): centring in feature space, the α normalisation, the
//! linear kernel is PCA, new points centred with training statistics, fit-then-transform =
//! fit_transform, no NaN from zero eigenvalues; agreement with scikit-learn's KernelPCA.

#[path = "../fixtures/sklearn/fixture.rs"]
mod fixture;

use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::pca::Pca;
use dimred::quality::procrustes_disparity;
use dimred::EigenSolver;
use linalg::Matrix;
use proptest::prelude::*;
use tests::max_diff_up_to_column_signs;

const EPS: f64 = f64::EPSILON;

fn data(n: usize, d: usize, seed: u64) -> Matrix {
    tests::anisotropic_data(n, d, seed, 2.0)
}

fn kernel_strategy() -> impl Strategy<Value = Kernel> {
    prop_oneof![
        Just(Kernel::Linear),
        (0.05f64..2.0).prop_map(|gamma| Kernel::Rbf { gamma }),
        (2u32..4, 0.05f64..0.5, 0.0f64..2.0).prop_map(|(degree, gamma, coef0)| {
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `dr.kpca.centering`: with the linear kernel, kernel PCA's training projections are the
    /// PCA scores up to column signs, and its eigenvalues are (N - 1) λ_PCA.
    #[test]
    fn dr_kpca_centering_linear_kernel_equals_pca(n in 6usize..40, seed in 0u64..1000) {
        let x = data(n, 3, seed);
        let fit = KernelPca::new(Kernel::Linear, 2).fit(&x).unwrap();
        let (pca, y) = Pca::new(2).fit_transform(&x).unwrap();
        let lam0 = (n - 1) as f64 * pca.explained_variance[0];
        for j in 0..2 {
            let expect = (n - 1) as f64 * pca.explained_variance[j];
            prop_assert!((fit.eigenvalues[j] - expect).abs() <= 100.0 * n as f64 * EPS * lam0);
        }
        // Eigenvector error ~ N ε λ_1/gap (gap: the smaller of λ_1 - λ_2, λ_2 - λ_3 of K̃, all
        // N on the dense path); scores O(sqrt(λ_1)). Measured ≤ 3 N ε sqrt(λ_1) λ_1/gap.
        let e = &fit.eigenvalues;
        let cond = e[0] / (e[0] - e[1]).min(e[1] - e[2]);
        let tol = 32.0 * n as f64 * EPS * lam0.sqrt() * cond;
        prop_assert!(max_diff_up_to_column_signs(&fit.embedding, &y) <= tol);
    }

    /// `dr.kpca.centering`: fit-then-transform of the training points equals fit_transform,
    /// and the α scaling is λ_k ||α_k||² = 1.
    #[test]
    fn dr_kpca_centering_fit_then_transform_equals_fit_transform(n in 6usize..30, seed in 0u64..1000, kernel in kernel_strategy()) {
        let x = data(n, 3, seed);
        let fit = KernelPca::new(kernel, 2).fit(&x).unwrap();
        let again = fit.transform(&x);
        // K̃ α vs sqrt(λ) u: the eigen-residual of K̃ (n ε ||K̃||) divided by sqrt(λ_k).
        let lam0 = fit.eigenvalues[0];
        for k in 0..2 {
            let lam = fit.eigenvalues[k];
            if lam <= 1e-8 * lam0 {
                continue; // a (near) null direction has no scores to compare
            }
            let tol = 1e3 * n as f64 * EPS * lam0 / lam.sqrt();
            let a = fit.alphas.col(k);
            let norm2: f64 = a.iter().map(|v| v * v).sum();
            prop_assert!((lam * norm2 - 1.0).abs() <= 1e3 * n as f64 * EPS, "λ||α||² = {}", lam * norm2);
            for i in 0..n {
                prop_assert!((again[(i, k)] - fit.embedding[(i, k)]).abs() <= tol);
            }
        }
    }

    /// `dr.kpca.centering`: new points are centred with the training statistics. With the
    /// linear kernel, projecting new points must equal PCA's transform of them (which
    /// subtracts the *training* mean); centring the test kernel by its own means would not.
    #[test]
    fn dr_kpca_centering_new_points_use_training_statistics(n in 8usize..30, m in 1usize..6, seed in 0u64..1000) {
        let x = data(n, 3, seed);
        let new = data(m, 3, seed + 99).map(|v| v + 1.5); // shifted: a different mean
        let fit = KernelPca::new(Kernel::Linear, 2).fit(&x).unwrap();
        let pca = Pca::new(2).fit(&x).unwrap();
        let got = fit.transform(&new);
        let expect = pca.transform(&new);
        // Align signs on the training scores, then compare the new points' projections.
        let train_pca = pca.transform(&x);
        let scale = expect.max_abs().max(train_pca.max_abs());
        // Two eigensolvers' directions (K̃ of order N, the covariance) differ by N ε λ_1/gap;
        // projections of points at distance ≤ scale inherit that. Measured ≤ 5 N ε scale λ_1/gap.
        let e = &fit.eigenvalues;
        let tol = 32.0 * n as f64 * EPS * scale * e[0] / (e[0] - e[1]).min(e[1] - e[2]);
        for k in 0..2 {
            let s = if linalg::dot(&fit.embedding.col(k), &train_pca.col(k)) >= 0.0 { 1.0 } else { -1.0 };
            for i in 0..m {
                prop_assert!((got[(i, k)] - s * expect[(i, k)]).abs() <= tol, "{} vs {} (tol {tol:e})", got[(i, k)], s * expect[(i, k)]);
            }
        }
    }
}

/// `dr.kpca.centering`: in the projection of a new point x, Σ_j k̃(x, x_j) α_jk, the two
/// terms of k̃ that do not depend on j (x's own kernel mean (1/N) Σ_l k(x, x_l) and the grand
/// mean of K) multiply 1ᵀα_k, which is 0 because α_k is an eigenvector of K̃ = J K J with a
/// positive eigenvalue and K̃ 1 = 0. So subtracting only the training column means gives the
/// same projection; the column means themselves do matter.
#[test]
fn dr_kpca_centering_own_and_grand_means_drop_out_of_the_projection() {
    let x = data(25, 3, 7);
    let new = data(6, 3, 8).map(|v| v + 0.7);
    for kernel in [
        Kernel::Linear,
        Kernel::Rbf { gamma: 0.5 },
        Kernel::Polynomial {
            degree: 3,
            gamma: 0.3,
            coef0: 1.0,
        },
    ] {
        let fit = KernelPca::new(kernel, 2).fit(&x).unwrap();
        let n = x.nrows();
        let full = fit.transform(&new);
        // k(x, x_j) − (1/N) Σ_i k(x_i, x_j): the column means only.
        let mut kt = kernel.cross(&new, &x);
        for row in kt.as_mut_slice().chunks_exact_mut(n) {
            row.iter_mut()
                .zip(&fit.k_col_means)
                .for_each(|(v, cm)| *v -= cm);
        }
        let cols_only = kt.matmul(&fit.alphas);
        // And without the column means (own and grand means kept): a different answer.
        let mut kw = kernel.cross(&new, &x);
        for row in kw.as_mut_slice().chunks_exact_mut(n) {
            let own = row.iter().sum::<f64>() / n as f64;
            row.iter_mut()
                .for_each(|v| *v = *v - own + fit.k_grand_mean);
        }
        let no_cols = kw.matmul(&fit.alphas);
        let lam0 = fit.eigenvalues[0];
        for k in 0..2 {
            let lam = fit.eigenvalues[k];
            let a = fit.alphas.col(k);
            // 1ᵀu_k for a computed eigenvector u_k: its component along the null vector 1/√N
            // is the eigenvector error, about N ε λ_max/λ_k (the gap to the eigenvalue 0),
            // times √N; α_k = u_k/√λ_k.
            let one_t_alpha: f64 = a.iter().sum();
            let bound = 16.0 * (n as f64).powf(1.5) * EPS * lam0 / lam.powf(1.5);
            assert!(
                one_t_alpha.abs() <= bound,
                "{kernel}: 1ᵀα_{k} = {one_t_alpha:e} (bound {bound:e})"
            );
            for i in 0..new.nrows() {
                // The dropped term is (own_i − grand)·1ᵀα_k; own_i − grand ≤ 2 max|K|.
                let scale = 2.0 * kt.max_abs().max(fit.k_grand_mean.abs()) + 1.0;
                let tol = scale * bound + 64.0 * n as f64 * EPS * full.max_abs();
                let (f, c) = (full[(i, k)], cols_only[(i, k)]);
                assert!((f - c).abs() <= tol, "{kernel}: {f} vs {c} (tol {tol:e})");
            }
        }
        let gap = (&full - &no_cols).max_abs();
        assert!(
            gap > 1e-3 * full.max_abs(),
            "{kernel}: dropping the training column means changed nothing ({gap:e})"
        );
    }
}

/// `dr.kpca.centering`: K̃ = J K J always has the eigenvalue 0 (eigenvector 1); asking for all
/// N components keeps it, and its scores are 0, not NaN from 1/sqrt(0).
#[test]
fn dr_kpca_centering_zero_eigenvalue_gives_zero_scores_not_nan() {
    let x = data(12, 2, 3);
    for kernel in [Kernel::Linear, Kernel::Rbf { gamma: 0.7 }] {
        let fit = KernelPca {
            kernel,
            n_components: 12,
            solver: EigenSolver::Dense,
        }
        .fit(&x)
        .unwrap();
        assert!(fit.embedding.find_non_finite().is_none());
        assert!(fit.alphas.find_non_finite().is_none());
        assert!(fit.transform(&x).find_non_finite().is_none());
        let last = fit.embedding.col(11);
        assert!(
            last.iter().all(|&v| v == 0.0),
            "null direction has scores {last:?}"
        );
    }
}

/// `dr.kpca.centering`: scikit-learn's KernelPCA (dense solver) on iris: the same eigenvalues
/// and embeddings up to column signs (Procrustes disparity < 1e-6 as the issue asks, and
/// entrywise), and the same projections of new points after fitting on the first 100.
#[test]
fn dr_kpca_centering_sklearn_iris_fixture() {
    let f = fixture::load();
    let x = dimred::data::load("iris").unwrap().x;
    let train = x.submatrix(0, 100, 0, 4);
    let test = x.submatrix(100, 150, 0, 4);
    for (name, kernel) in [
        ("rbf", Kernel::Rbf { gamma: 0.5 }),
        (
            "poly",
            Kernel::Polynomial {
                degree: 3,
                gamma: 0.25,
                coef0: 1.0,
            },
        ),
        ("linear", Kernel::Linear),
    ] {
        let r = &f["kpca_iris"][name];
        let fit = KernelPca::new(kernel, 2).fit(&x).unwrap();
        let expect = fixture::matrix(&r["embedding"]);
        let ev = fixture::vector(&r["eigenvalues"]);
        for k in 0..2 {
            // Both are eigenvalues of the same 150 x 150 matrix: ~N ε λ_1 apart.
            assert!(
                (fit.eigenvalues[k] - ev[k]).abs() <= 1e3 * 150.0 * EPS * ev[0],
                "{name}: λ_{k}"
            );
        }
        let disparity = procrustes_disparity(&fit.embedding, &expect).unwrap();
        assert!(disparity < 1e-6, "{name}: disparity {disparity}");
        // Entrywise up to sign: eigenvector error ~ N ε λ_1 / gap; the iris gaps are ≥ 5% of λ_1.
        let tol = 1e-9 * expect.max_abs();
        assert!(
            max_diff_up_to_column_signs(&fit.embedding, &expect) <= tol,
            "{name}"
        );

        let fit100 = KernelPca::new(kernel, 2).fit(&train).unwrap();
        let got = fit100.transform(&test);
        let expect = fixture::matrix(&r["transform_fit_first_100"]);
        assert!(
            max_diff_up_to_column_signs(&got, &expect) <= 1e-9 * expect.max_abs(),
            "{name}: new points"
        );
    }
}

/// Regression (careless input): a polynomial kernel with c0 = NaN or an overflowing degree used
/// to fail with a bare "matrix entry (0, 0) is inf" that named neither kernel PCA nor the
/// kernel; degree 0 silently gave an all-zero embedding. Now each is an `InvalidArgument`
/// naming the kernel's parameters.
#[test]
fn polynomial_kernel_parameters_are_validated() {
    let x = data(20, 3, 1);
    let fit = |degree: u32, gamma: f64, coef0: f64| {
        KernelPca::new(
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            },
            2,
        )
        .fit(&x)
        .map(|_| ())
        .unwrap_err()
        .to_string()
    };
    let e = fit(2, 1.0, f64::NAN);
    assert!(e.contains("kernel PCA") && e.contains("c0 = NaN"), "{e}");
    let e = fit(0, 1.0, 1.0);
    assert!(e.contains("degree 0"), "{e}");
    // (γ <x, y> + 1)^1000 with γ = 10 exceeds f64::MAX on this data.
    let e = fit(1000, 10.0, 1.0);
    assert!(e.contains("overflows") && e.contains("degree 1000"), "{e}");
}

/// `dr.kpca.centering`: the worked example of the notes (chapter 3): four points, the kernel
/// (xᵀy)², one non-zero eigenvalue 17, training scores ±√17/2 and the new point (1, 1)
/// projected to 9/(2√17). Every number is O(1) and the eigenproblem is 4 x 4, so the
/// agreement is to a few ulps; 1e-13 leaves room for the eigensolver's rounding.
#[test]
fn dr_kpca_centering_worked_example_of_the_notes() {
    let x = Matrix::from_rows(&[[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0], [0.0, -2.0]]);
    let kernel = Kernel::Polynomial {
        degree: 2,
        gamma: 1.0,
        coef0: 0.0,
    };
    let fit = KernelPca {
        kernel,
        n_components: 1,
        solver: EigenSolver::Dense,
    }
    .fit(&x)
    .unwrap();
    assert!((fit.eigenvalues[0] - 17.0).abs() < 1e-13 * 17.0);
    assert_eq!(fit.k_col_means, vec![0.5, 0.5, 8.0, 8.0]);
    assert_eq!(fit.k_grand_mean, 17.0 / 4.0);
    // The four entries of the eigenvector tie in magnitude, so rounding decides which one
    // the sign rule sees as the largest: compare up to one common sign.
    let sign = fit.embedding[(0, 0)].signum();
    let half = 17f64.sqrt() / 2.0;
    for (i, expect) in [half, half, -half, -half].iter().enumerate() {
        let got = sign * fit.embedding[(i, 0)];
        assert!((got - expect).abs() < 1e-13, "score {i}: {got} vs {expect}");
    }
    let new = fit.transform(&Matrix::from_rows(&[[1.0, 1.0]]));
    let expect = 9.0 / (2.0 * 17f64.sqrt());
    let got = sign * new[(0, 0)];
    assert!((got - expect).abs() < 1e-13, "{got} vs {expect}");
}

/// `dr.kpca.centering` on the top-k path, which computes, centres and reads only the upper
/// triangle of K (N = 300 ≥ 256: the Gram, the centring and the Lanczos products run on both
/// cores): the same eigenvalues and embedding as the dense path, which centres the full matrix
/// and diagonalises it by Jacobi, and fit-then-transform (full K of the test points, centred
/// with the stored statistics) gives the embedding back.
///
/// Tolerances: Lanczos stops at residuals r ≤ 1e-10 ||K̃|| (its default), so eigenvalues agree
/// to r ||K̃|| (λ_1 ≤ N) and unit eigenvectors to r / gap; the relative gap of the top three
/// eigenvalues here is above 1e-2, so scores sqrt(λ) u agree to about 1e-8 sqrt(λ_1); 1e-6 of
/// λ_1 and of the largest score leaves room for the gap and nothing more.
#[test]
fn dr_kpca_centering_upper_triangle_top_k_path_matches_the_dense_path() {
    let x = data(300, 3, 11);
    let kernel = Kernel::Rbf { gamma: 0.5 };
    let fit = |solver| {
        KernelPca {
            kernel,
            n_components: 3,
            solver,
        }
        .fit(&x)
        .unwrap()
    };
    let (top, dense) = (fit(EigenSolver::TopK), fit(EigenSolver::Dense));
    let lambda_1 = dense.eigenvalues[0];
    for k in 0..3 {
        let (a, b) = (top.eigenvalues[k], dense.eigenvalues[k]);
        assert!(
            (a - b).abs() <= 1e-6 * lambda_1,
            "λ_{k}: top-k {a}, dense {b}"
        );
        assert!(
            k == 0 || (dense.eigenvalues[k - 1] - b) > 1e-2 * lambda_1,
            "gap at {k}"
        );
    }
    let scale = dense.embedding.max_abs();
    let diff = max_diff_up_to_column_signs(&top.embedding, &dense.embedding);
    assert!(
        diff <= 1e-6 * scale,
        "embeddings differ by {diff:e} (scale {scale})"
    );
    assert_eq!(top.k_col_means.len(), 300);
    // K̃ α recomputed from the full test kernel: N-term sums of entries ≤ 1 times α.
    let again = top.transform(&x);
    assert!((&again - &top.embedding).max_abs() <= 1e-9 * scale);
}
