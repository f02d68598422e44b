//! `la.svd.one-sided-jacobi`: one-sided (Hestenes) Jacobi gives X = U Σ V^T with orthonormal
//! U, V, σ descending, and σ_i^2 the eigenvalues of X^T X.
//!
//! Inputs: random m x n shapes 1..=30 of three kinds (full rank, rank-deficient products
//! A B with a small inner dimension, and badly scaled D_1 Z D_2 with diagonal scalings over
//! 8 orders of magnitude). Oracles: the definition (reconstruction, orthogonality), our Jacobi
//! eigensolver on X^T X, and nalgebra's bidiagonal-QR SVD (independent code).

use linalg::{svd, svd_right, svd_with, LinalgError, Matrix, SvdOptions};
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

/// The three kinds of test matrix, from a seed.
fn test_matrix(m: usize, n: usize, kind: u8, seed: u64) -> Matrix {
    match kind {
        0 => Matrix::random_normal(m, n, seed),
        1 => {
            // Rank at most `inner` < min(m, n) when min(m, n) > 1: exact zero singular values
            // in exact arithmetic, rounding-level ones in floating point.
            let inner = (m.min(n) / 2).max(1);
            Matrix::random_normal(m, inner, seed).matmul(&Matrix::random_normal(inner, n, seed + 1))
        }
        _ => {
            // Rows and columns scaled by 10^{-4..4}: singular values spread over many decades.
            let z = Matrix::random_normal(m, n, seed);
            let r = Matrix::random_uniform(m, 1, -4.0, 4.0, seed + 1);
            let c = Matrix::random_uniform(1, n, -4.0, 4.0, seed + 2);
            Matrix::from_fn(m, n, |i, j| {
                z[(i, j)] * 10f64.powf(r[(i, 0)]) * 10f64.powf(c[(0, j)])
            })
        }
    }
}

fn orthogonality_error(q: &Matrix) -> f64 {
    (&q.tr_matmul(q) - &Matrix::identity(q.ncols())).frobenius_norm()
}

/// The properties of `la.svd.one-sided-jacobi` for one matrix and one path.
fn check_svd(x: &Matrix, options: &SvdOptions) -> Result<(), TestCaseError> {
    let (m, n) = x.shape();
    let s = svd_with(x, options).unwrap();
    let r = m.min(n);
    let big = m.max(n) as f64;
    let xf = x.frobenius_norm();
    prop_assert_eq!(s.u.shape(), (m, r));
    prop_assert_eq!(s.v.shape(), (n, r));
    prop_assert_eq!(s.singular_values.len(), r);

    // Backward stability: each rotation perturbs the two columns it touches by O(ε)
    // relative, r - 1 rotations per column per sweep and a handful of sweeps give a
    // backward error of a modest multiple of max(m, n)·ε·||X||_F.
    let us = Matrix::from_fn(m, r, |i, j| s.u[(i, j)] * s.singular_values[j]);
    let recon = (x - &us.matmul_tr(&s.v)).frobenius_norm();
    prop_assert!(
        recon <= 10.0 * big * EPS * xf,
        "||X - U S V^T|| = {recon:e}, ||X|| = {xf:e}"
    );

    // Orthogonality: the stopping test leaves |cos| ≤ sqrt(len)·ε per pair, plus the
    // rounding of a length-len dot product; r^2 pairs: at most 4·r·max(m, n)·ε in norm.
    let ortho = 4.0 * r as f64 * big * EPS;
    prop_assert!(
        orthogonality_error(&s.u) <= ortho,
        "U^T U - I: {:e}",
        orthogonality_error(&s.u)
    );
    prop_assert!(
        orthogonality_error(&s.v) <= ortho,
        "V^T V - I: {:e}",
        orthogonality_error(&s.v)
    );

    for w in s.singular_values.windows(2) {
        prop_assert!(w[0] >= w[1], "not descending: {:?}", s.singular_values);
    }
    prop_assert!(s.singular_values.iter().all(|&v| v >= 0.0));

    // Sign rule: the largest-magnitude entry of each v_i is positive (first on a tie).
    for j in 0..r {
        let v = s.v.col(j);
        let top = v
            .iter()
            .fold(0.0f64, |a, &b| if b.abs() > a.abs() { b } else { a });
        prop_assert!(top > 0.0, "column {j} of V breaks the sign rule: {v:?}");
    }

    // σ_i^2 = λ_i(X^T X). Forming X^T X in floating point moves its eigenvalues by at most
    // m·ε·||X||_F^2 (Weyl), Jacobi adds n·ε·||X^T X||, and the SVD's backward error
    // contributes 2σ·(10 max(m, n) ε ||X||_F): together below 30·max(m, n)·ε·||X||_F^2.
    let lambda = linalg::eigvalsh(&x.tr_matmul(x)).unwrap();
    let tol2 = 30.0 * big * EPS * xf * xf;
    for (i, &l) in lambda.iter().enumerate() {
        let s2 = s.singular_values.get(i).map_or(0.0, |v| v * v);
        prop_assert!(
            (s2 - l).abs() <= tol2,
            "i = {i}: sigma^2 = {s2:e}, lambda = {l:e}"
        );
    }

    // nalgebra's SVD (Householder bidiagonalisation + implicit QR) is backward stable, so
    // both agree to an absolute error of a small multiple of max(m, n)·ε·||X||_F.
    let na = nalgebra::DMatrix::from_row_slice(m, n, x.as_slice());
    let mut sv: Vec<f64> = na.singular_values().iter().copied().collect();
    sv.sort_by(|a, b| b.total_cmp(a));
    for (i, (&ours, &theirs)) in s.singular_values.iter().zip(&sv).enumerate() {
        prop_assert!(
            (ours - theirs).abs() <= 20.0 * big * EPS * xf,
            "i = {i}: ours {ours:e}, nalgebra {theirs:e}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// la.svd.one-sided-jacobi: X = U Σ V^T, U^T U = I, V^T V = I, σ descending and ≥ 0,
    /// σ_i^2 = λ_i(X^T X), σ equal to nalgebra's singular values, sign rule on V.
    #[test]
    fn svd_one_sided_jacobi_properties(
        m in 1usize..=30,
        n in 1usize..=30,
        kind in 0u8..3,
        seed in 0u64..1_000_000,
    ) {
        let x = test_matrix(m, n, kind, seed);
        // Both paths: QR-preconditioned (the default) and plain.
        check_svd(&x, &SvdOptions::default())?;
        check_svd(&x, &SvdOptions { precondition: false, ..SvdOptions::default() })?;
    }

    /// la.svd.one-sided-jacobi without U ([`svd_right`], PCA's path): the same rotations, so
    /// the same σ and V as [`svd`], bit for bit, in both orientations; shapes up to 40 columns
    /// span three blocks of the blocked QR.
    #[test]
    fn svd_right_is_svd_without_u(
        m in 1usize..=60,
        n in 1usize..=40,
        kind in 0u8..3,
        seed in 0u64..1_000_000,
    ) {
        let x = test_matrix(m, n, kind, seed);
        let (full, right) = (svd(&x).unwrap(), svd_right(&x).unwrap());
        prop_assert_eq!(&full.singular_values, &right.singular_values);
        prop_assert_eq!(&full.v, &right.v);
        check_svd(&x, &SvdOptions::default())?;
    }
}

/// la.svd.one-sided-jacobi: exact zero singular values still give orthonormal U and V (the
/// missing directions are completed), in both orientations.
#[test]
fn svd_one_sided_jacobi_zero_singular_values_complete_u() {
    for (m, n) in [(6, 3), (3, 6), (5, 5)] {
        // Rank 1, plus an exactly zero matrix.
        let a = Matrix::from_fn(m, n, |i, j| (i + 1) as f64 * (j as f64 - 1.5));
        for x in [a, Matrix::zeros(m, n)] {
            let s = svd(&x).unwrap();
            let r = m.min(n);
            // Completion by Gram–Schmidt twice: orthonormal to a few ε per entry.
            let tol = 4.0 * r as f64 * m.max(n) as f64 * EPS;
            assert!(orthogonality_error(&s.u) <= tol, "{m}x{n}: U^T U - I");
            assert!(orthogonality_error(&s.v) <= tol, "{m}x{n}: V^T V - I");
            let us = Matrix::from_fn(m, r, |i, j| s.u[(i, j)] * s.singular_values[j]);
            let recon = (&x - &us.matmul_tr(&s.v)).frobenius_norm();
            // Backward error as in the property test.
            assert!(recon <= 10.0 * m.max(n) as f64 * EPS * x.frobenius_norm());
            // Rank ≤ 1: every singular value after the first is zero up to the backward error.
            for &v in &s.singular_values[1..] {
                assert!(v <= 10.0 * m.max(n) as f64 * EPS * x.frobenius_norm());
            }
        }
    }
}

/// la.svd.one-sided-jacobi: empty shapes give empty factors of the right shapes; 1 x 1 works.
#[test]
fn svd_one_sided_jacobi_empty_and_scalar() {
    for (m, n) in [(0, 0), (0, 4), (4, 0)] {
        let s = svd(&Matrix::zeros(m, n)).unwrap();
        assert_eq!(s.u.shape(), (m, 0));
        assert_eq!(s.v.shape(), (n, 0));
        assert!(s.singular_values.is_empty());
    }
    let s = svd(&Matrix::from_rows(&[[-3.0]])).unwrap();
    // σ = |x| exactly; the sign rule makes v = +1, so u carries the sign.
    assert_eq!(s.singular_values, vec![3.0]);
    assert_eq!((s.u[(0, 0)], s.v[(0, 0)]), (-1.0, 1.0));
}

/// la.svd.one-sided-jacobi: NaN or infinity is an error naming the entry; a sweep limit too
/// small to converge is a NoConvergence error reporting the sweeps.
#[test]
fn svd_one_sided_jacobi_errors() {
    let mut x = Matrix::random_normal(4, 3, 1);
    x[(2, 1)] = f64::NAN;
    match svd(&x) {
        Err(LinalgError::NonFinite { at, .. }) => assert_eq!(at, (2, 1)),
        other => panic!("expected NonFinite, got {other:?}"),
    }
    let x = Matrix::random_normal(12, 10, 2);
    match svd_with(
        &x,
        &SvdOptions {
            max_sweeps: 1,
            precondition: false,
        },
    ) {
        Err(LinalgError::NoConvergence {
            iterations,
            residual,
            ..
        }) => {
            assert_eq!(iterations, 1);
            // The first sweep of a random matrix rotates pairs far from orthogonal.
            assert!(residual > 1e-3, "residual {residual:e}");
        }
        other => panic!("expected NoConvergence, got {other:?}"),
    }
}
