//! Classical MDS: `dr.mds.classical` (B = -½ J Δ² J, Y = V_d Λ_d^{1/2}, = PCA scores up to
//! sign) and `dr.mds.euclidean` (B ⪰ 0 iff Δ Euclidean; negative eigenvalues reported).

use dimred::mds::ClassicalMds;
use dimred::pca::Pca;
use dimred::EigenSolver;
use linalg::Matrix;
use proptest::prelude::*;
use tests::max_diff_up_to_column_signs;

const EPS: f64 = f64::EPSILON;

/// Points with column scales spread by √10 per column (well separated eigenvalues).
fn data(n: usize, d: usize, seed: u64) -> Matrix {
    tests::anisotropic_data(n, d, seed, 1.0)
}

fn distances(x: &Matrix) -> Matrix {
    x.pairwise_sq_distances().map(f64::sqrt)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `dr.mds.classical`: on Euclidean distances classical MDS returns the PCA scores up to
    /// column signs, and its eigenvalues are (N - 1) times PCA's explained variances.
    #[test]
    fn dr_mds_classical_equals_pca_scores_up_to_sign(n in 6usize..40, d in 2usize..5, seed in 0u64..1000) {
        let x = data(n, d, seed);
        let k = d - 1;
        let mds = ClassicalMds::new(k).fit_distances(&distances(&x)).unwrap();
        let (pca, y) = Pca::new(k).fit_transform(&x).unwrap();
        let lam0 = pca.explained_variance[0] * (n - 1) as f64;
        for j in 0..k {
            let expect = pca.explained_variance[j] * (n - 1) as f64;
            // Squaring distances and double centering lose ~N ε ||B|| absolutely.
            prop_assert!((mds.eigenvalues[j] - expect).abs() <= 100.0 * n as f64 * EPS * lam0);
        }
        // Scores are O(sqrt(λ_1)); eigenvector errors ~ N ε λ_1 / gap with gaps ≥ λ_j / 3.
        let min_gap = (0..k).map(|j| pca.explained_variance[j] - pca.explained_variance[j + 1]).fold(f64::INFINITY, f64::min) * (n - 1) as f64;
        let tol = 1e3 * n as f64 * EPS * lam0 / min_gap * lam0.sqrt();
        let diff = max_diff_up_to_column_signs(&mds.embedding, &y);
        prop_assert!(diff <= tol, "MDS vs PCA scores: {diff} > {tol}");
    }

    /// `dr.mds.classical`, out of sample: Gower's formula y_k = (1/2√λ_k) Σ_i v_ik (ā_i − δ²_i)
    /// places a training point (its own row of Δ²) exactly on its training coordinates, and a
    /// new point of Euclidean data on its PCA projection (x − μ) V_d, with the signs the
    /// training embedding chose. Dropping the ½, or the mean ā, fails both.
    #[test]
    fn dr_mds_classical_gower_out_of_sample(n in 8usize..40, seed in 0u64..1000) {
        let x = data(n, 4, seed);
        let k = 2;
        let fit = ClassicalMds::new(k).fit_distances(&distances(&x)).unwrap();
        let again = fit.transform_squared_distances(&x.pairwise_sq_distances());
        // Both sides are the same eigenpairs combined two ways: their difference is the
        // eigen-residual ‖BV − VΛ‖ ≈ N ε ‖B‖ divided by √λ_k, plus N ε rounding of the sums.
        let lam = &fit.eigenvalues;
        let scale = fit.embedding.max_abs();
        let tol = 64.0 * n as f64 * EPS * lam[0] / lam[k - 1].sqrt() + 8.0 * n as f64 * EPS * scale;
        let diff = (&again - &fit.embedding).max_abs();
        prop_assert!(diff <= tol, "training points: {diff} > {tol}");

        // New points: compare with PCA's projection, signs fixed by the training rows.
        let new = Matrix::random_normal(5, 4, seed + 1).scale(2.0);
        let d2 = Matrix::from_fn(5, n, |m, i| linalg::sq_dist(new.row(m), x.row(i)));
        let gower = fit.transform_squared_distances(&d2);
        let (pca, y) = Pca::new(k).fit_transform(&x).unwrap();
        let stack = |top: &Matrix, bottom: &Matrix| {
            Matrix::from_fn(n + 5, k, |i, j| if i < n { top[(i, j)] } else { bottom[(i - n, j)] })
        };
        let ours = stack(&fit.embedding, &gower);
        let theirs = stack(&y, &pca.transform(&new));
        // As in dr_mds_classical_equals_pca_scores_up_to_sign: eigenvector errors
        // N ε λ_1 / gap times the size of the coordinates.
        let lam0 = lam[0];
        let min_gap = (0..k).map(|j| lam[j] - lam[j + 1]).fold(f64::INFINITY, f64::min);
        let size = theirs.max_abs().max(lam0.sqrt());
        let tol = 1e3 * n as f64 * EPS * lam0 / min_gap * size;
        let diff = max_diff_up_to_column_signs(&ours, &theirs);
        prop_assert!(diff <= tol, "new points vs PCA projection: {diff} > {tol}");
    }

    /// `dr.mds.classical`: the three entry points agree: plain distances, squared distances
    /// (no second squaring), and points (B = Xc Xc^T directly).
    #[test]
    fn dr_mds_classical_entry_points_agree(n in 6usize..30, seed in 0u64..1000) {
        let x = data(n, 3, seed);
        let mds = ClassicalMds::new(2);
        let a = mds.fit_distances(&distances(&x)).unwrap();
        let b = mds.fit_squared_distances(&x.pairwise_sq_distances()).unwrap();
        let c = mds.fit_points(&x).unwrap();
        let scale = a.embedding.max_abs();
        // The same B up to rounding (sqrt then square: 1 ulp per entry), so the same pairs.
        prop_assert!(max_diff_up_to_column_signs(&a.embedding, &b.embedding) <= 1e-9 * scale);
        prop_assert!(max_diff_up_to_column_signs(&a.embedding, &c.embedding) <= 1e-9 * scale);
        // Squaring the squared distances instead (the classic mix-up) gives something else.
        let wrong = mds.fit_distances(&x.pairwise_sq_distances()).unwrap();
        prop_assert!(max_diff_up_to_column_signs(&a.embedding, &wrong.embedding) > 1e-3 * scale);
    }

    /// `dr.mds.classical`: Y minimises the strain: ||B - Y Y^T||_F² = Σ_{k>d} λ_k² for
    /// positive semidefinite B, and a perturbed Y does worse.
    #[test]
    fn dr_mds_classical_strain_is_tail_of_spectrum(n in 6usize..25, seed in 0u64..1000) {
        let x = data(n, 4, seed);
        let fit = ClassicalMds { solver: EigenSolver::Dense, ..ClassicalMds::new(2) }.fit_points(&x).unwrap();
        let (xc, _) = x.center_columns();
        let b = xc.matmul_tr(&xc);
        let strain = |y: &Matrix| (&b - &y.matmul_tr(y)).frobenius_norm().powi(2);
        let tail: f64 = fit.eigenvalues[2..].iter().map(|l| l * l).sum();
        let tol = 1e3 * n as f64 * EPS * fit.eigenvalues[0].powi(2);
        prop_assert!((strain(&fit.embedding) - tail).abs() <= tol);
        let bumped = &fit.embedding + &Matrix::random_normal(n, 2, seed).scale(1e-3 * fit.embedding.max_abs());
        prop_assert!(strain(&bumped) >= strain(&fit.embedding) - tol);
    }

    /// `dr.mds.euclidean`: Euclidean distances give a positive semidefinite B: no eigenvalue
    /// below the rounding level, nothing reported as negative.
    #[test]
    fn dr_mds_euclidean_psd_for_euclidean_distances(n in 4usize..30, d in 1usize..5, seed in 0u64..1000) {
        let x = data(n, d, seed);
        let fit = ClassicalMds { solver: EigenSolver::Dense, ..ClassicalMds::new(1) }.fit_distances(&distances(&x)).unwrap();
        prop_assert!(fit.spectrum_complete && fit.eigenvalues.len() == n);
        prop_assert!(fit.negative_eigenvalues.is_empty(), "reported {:?}", fit.negative_eigenvalues);
        let tol = 100.0 * n as f64 * EPS * fit.eigenvalues[0];
        prop_assert!(*fit.eigenvalues.last().unwrap() >= -tol);
        // trace(B) = Σ λ (all of them on the dense path).
        prop_assert!(fit.unresolved_trace().abs() <= tol * n as f64);
    }

    /// `dr.mds.euclidean`: break the triangle inequality (then Δ is not even a metric, so not
    /// Euclidean) and B has negative eigenvalues, reported exactly as an independent solver
    /// (nalgebra) finds them.
    #[test]
    fn dr_mds_euclidean_negative_eigenvalues_reported(n in 4usize..25, seed in 0u64..1000, extra in 0.5f64..5.0) {
        let x = data(n, 2, seed);
        let mut delta = distances(&x);
        let v = delta[(0, 2)] + delta[(2, 1)] + extra;
        delta[(0, 1)] = v;
        delta[(1, 0)] = v;
        let fit = ClassicalMds { solver: EigenSolver::Dense, ..ClassicalMds::new(2) }.fit_distances(&delta).unwrap();
        prop_assert!(!fit.negative_eigenvalues.is_empty(), "non-metric Δ but no negative eigenvalue reported");
        // Reference: B built here from the definition, eigenvalues by nalgebra.
        let j = Matrix::from_fn(n, n, |a, b| if a == b { 1.0 } else { 0.0 } - 1.0 / n as f64);
        let b = j.matmul(&delta.map(|v| -0.5 * v * v)).matmul(&j);
        let mut reference: Vec<f64> = nalgebra::SymmetricEigen::new(nalgebra::DMatrix::from_row_slice(n, n, b.as_slice())).eigenvalues.iter().copied().collect();
        reference.sort_by(f64::total_cmp);
        let scale = reference.iter().map(|v| v.abs()).fold(0.0, f64::max);
        for (i, &neg) in fit.negative_eigenvalues.iter().enumerate() {
            prop_assert!((neg - reference[i]).abs() <= 100.0 * n as f64 * EPS * scale, "{neg} vs {}", reference[i]);
        }
        prop_assert!(fit.negative_ratio() > 0.0);
    }
}

/// `dr.mds.euclidean`: the top-k path (N above the dense limit) reports the most negative
/// eigenvalues from a second Lanczos run on -B; they equal the dense path's.
#[test]
fn dr_mds_euclidean_topk_reports_most_negative() {
    let n = 240;
    let x = data(n, 3, 11);
    // L1 (Manhattan) distances on random 3-D points are not Euclidean.
    let delta = Matrix::from_fn(n, n, |i, j| {
        x.row(i)
            .iter()
            .zip(x.row(j))
            .map(|(a, b)| (a - b).abs())
            .sum()
    });
    let dense = ClassicalMds {
        solver: EigenSolver::Dense,
        ..ClassicalMds::new(2)
    }
    .fit_distances(&delta)
    .unwrap();
    let topk = ClassicalMds {
        solver: EigenSolver::TopK,
        n_negative: 3,
        ..ClassicalMds::new(2)
    }
    .fit_distances(&delta)
    .unwrap();
    assert!(!topk.spectrum_complete && topk.eigenvalues.len() == 2);
    assert_eq!(topk.negative_eigenvalues.len(), 3);
    // Lanczos stops at residual 1e-10 · |λ_max|; the eigenvalue error is at most that.
    let tol = 1e-9 * dense.eigenvalues[0];
    for i in 0..3 {
        assert!((topk.negative_eigenvalues[i] - dense.negative_eigenvalues[i]).abs() <= tol);
    }
    for i in 0..2 {
        assert!((topk.eigenvalues[i] - dense.eigenvalues[i]).abs() <= tol);
    }
    // The part of trace(B) in eigenvalues not computed equals, on the dense spectrum, the
    // sum of the eigenvalues between the top 2 and the 3 most negative.
    let middle: f64 = dense.eigenvalues[2..n - 3].iter().sum();
    assert!((topk.unresolved_trace() - middle).abs() <= n as f64 * tol);
}

/// `dr.mds.euclidean`: a kept eigenvalue ≤ 0 gives a zero column, not NaN.
#[test]
fn dr_mds_euclidean_nonpositive_kept_eigenvalue_is_zero_column() {
    // Five collinear points: B has rank 1, so components 2.. have eigenvalue 0 (± rounding).
    let x = Matrix::from_fn(5, 2, |i, j| (i * (j + 1)) as f64);
    let fit = ClassicalMds {
        solver: EigenSolver::Dense,
        ..ClassicalMds::new(4)
    }
    .fit_points(&x)
    .unwrap();
    assert!(fit.embedding.find_non_finite().is_none());
    let rounding = 100.0 * 5.0 * EPS * fit.eigenvalues[0];
    for j in 1..4 {
        let col_max = fit
            .embedding
            .col(j)
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        // sqrt(max(λ, 0)) with |λ| ≤ rounding: at most sqrt(rounding) per unit vector entry.
        assert!(col_max <= rounding.sqrt(), "column {j}: {col_max}");
    }
}

/// `dr.mds.classical`: a matrix that cannot be a distance matrix is refused with a reason.
#[test]
fn dr_mds_classical_rejects_invalid_distances() {
    let mds = ClassicalMds::new(1);
    let mut d = distances(&data(4, 2, 1));
    d[(1, 1)] = 0.5;
    let e = mds.fit_distances(&d).unwrap_err().to_string();
    assert!(e.contains("diagonal"), "{e}");
    let mut d = distances(&data(4, 2, 1));
    d[(0, 3)] = -1.0;
    d[(3, 0)] = -1.0;
    let e = mds.fit_distances(&d).unwrap_err().to_string();
    assert!(e.contains("negative"), "{e}");
    assert!(mds.fit_distances(&Matrix::zeros(3, 4)).is_err());
}

/// Regression (careless input): zero points used to panic inside `column_means`; now the
/// entry point refuses them with an `InvalidArgument` naming n_components and N.
#[test]
fn fit_points_with_no_rows_is_an_error_not_a_panic() {
    let err = ClassicalMds::new(1)
        .fit_points(&Matrix::zeros(0, 3))
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("classical MDS") && msg.contains("N = 0"),
        "{msg}"
    );
}
