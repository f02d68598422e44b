//! `la.eig.top-k`: the iterative top-k eigensolver (thick-restart Lanczos, Rayleigh–Ritz by
//! Jacobi) agrees with the full Jacobi decomposition on the k leading pairs.
//!
//! Tolerances come from the solver's stopping test: a Ritz pair (θ, y) is accepted when
//! ||A y - θ y|| ≤ tol·max|θ| ≤ tol·||A||_F. For symmetric A such a residual r bounds the
//! distance from θ to the spectrum by ||r||, and (Davis–Kahan) the sine of the angle between
//! the Ritz subspace and the leading eigenspace by ||R||_F / gap. Both solvers also round:
//! a small multiple of n·ε·||A||_F.

use linalg::{
    eigh, orthonormalize, top_k_eigh, top_k_eigh_matrix, LinalgError, Matrix, SymmetricOperator,
    TopKOptions,
};
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

/// Q diag(λ) Q^T with a random orthogonal Q. The k leading eigenvalues are 2 + (k - i) + u_i/2
/// (spacing ≥ 1/2), the rest uniform in [-1.5, 1.5] plus one at -5: the gap after the k-th
/// is at least 1/2, and the eigenvalue of largest magnitude is negative, so "largest" must mean
/// algebraically largest.
fn gapped_symmetric(n: usize, k: usize, seed: u64) -> Matrix {
    let q = orthonormalize(&Matrix::random_normal(n, n, seed)).unwrap();
    let u = Matrix::random_uniform(n, 1, 0.0, 1.0, seed + 1);
    let lambda: Vec<f64> = (0..n)
        .map(|i| match i {
            i if i < k => 2.0 + (k - i) as f64 + 0.5 * u[(i, 0)],
            i if i == n - 1 => -5.0,
            _ => -1.5 + 3.0 * u[(i, 0)],
        })
        .collect();
    let ql = Matrix::from_fn(n, n, |i, j| q[(i, j)] * lambda[j]);
    let mut a = ql.matmul_tr(&q);
    a.symmetrize();
    a
}

/// A rank-p PSD Gram matrix X X^T of points with column scales 2^{-j}: distinct, decaying
/// eigenvalues and an exact null space of dimension n - p (Lanczos meets an invariant
/// subspace and must restart with a fresh direction).
fn psd_gram(n: usize, p: usize, seed: u64) -> Matrix {
    let z = Matrix::random_normal(n, p, seed);
    let x = Matrix::from_fn(n, p, |i, j| z[(i, j)] * 0.5f64.powi(j as i32));
    let mut g = x.gram();
    g.symmetrize();
    g
}

/// Check the k leading pairs of `a` from `top_k_eigh` against a full `eigh`.
fn check_against_eigh(a: &Matrix, k: usize) -> Result<(), TestCaseError> {
    let n = a.nrows();
    let options = TopKOptions::default();
    let top = top_k_eigh(a, k, &options).unwrap();
    let full = eigh(a).unwrap();
    let af = a.frobenius_norm();
    prop_assert_eq!(top.values.len(), k);
    prop_assert_eq!(top.vectors.shape(), (n, k));
    // Rounding of both solvers: a small multiple of n·ε·||A||_F.
    let round = 10.0 * n as f64 * EPS * af;
    // The accepted residual: tol·max|θ| ≤ tol·||A||_F.
    let res = options.tol * af;

    for i in 0..k {
        let y = top.vectors.col(i);
        // The residual the solver promises, recomputed independently.
        let ay = a.matvec(&y);
        let r: f64 = ay
            .iter()
            .zip(&y)
            .map(|(p, q)| (p - top.values[i] * q).powi(2))
            .sum::<f64>()
            .sqrt();
        prop_assert!(
            r <= res + round,
            "pair {i}: residual {r:e} > {:e}",
            res + round
        );
        // |θ_i - λ_i| ≤ ||r_i|| (a symmetric residual bound) plus rounding.
        prop_assert!(
            (top.values[i] - full.values[i]).abs() <= res + round,
            "pair {i}: {} vs {}",
            top.values[i],
            full.values[i]
        );
        // Sign rule of eigh: the largest-magnitude entry is positive.
        let big = y
            .iter()
            .fold(0.0f64, |m, &v| if v.abs() > m.abs() { v } else { m });
        prop_assert!(big > 0.0, "pair {i} breaks the sign rule");
    }
    // Davis–Kahan: ||(I - V_k V_k^T) Y||_F ≤ ||R||_F / δ', with δ' ≥ δ/2 once the Ritz values
    // are within δ/2 of the eigenvalues (checked above, as res + round ≪ δ here).
    let gap = full.values[k - 1] - full.values[k]; // k < n in every test
    let vk = full.vectors.leading_columns(k);
    let y = &top.vectors;
    let proj = &y.clone() - &vk.matmul(&vk.tr_matmul(y));
    let bound = 2.0 * ((k as f64).sqrt() * res + round) / gap;
    prop_assert!(
        proj.frobenius_norm() <= bound,
        "subspace distance {:e} > {bound:e} (gap {gap:e})",
        proj.frobenius_norm()
    );
    // Orthonormal Ritz vectors: full reorthogonalisation keeps Q^T Q = I to a few ε.
    let ortho = (&y.tr_matmul(y) - &Matrix::identity(k)).frobenius_norm();
    prop_assert!(ortho <= 10.0 * n as f64 * EPS, "Y^T Y - I: {ortho:e}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// la.eig.top-k: on random symmetric matrices with a spectral gap (n = 20..=160, so both
    /// the dense path n ≤ 64 and Lanczos are exercised), the k leading pairs agree with eigh.
    #[test]
    fn top_k_agrees_with_eigh_random_symmetric(n in 20usize..=160, k in 1usize..=5, seed in 0u64..1_000_000) {
        check_against_eigh(&gapped_symmetric(n, k, seed), k)?;
    }

    /// la.eig.top-k: the same on rank-p PSD Gram matrices (k ≤ p), whose null space makes the
    /// Krylov space invariant after p + 1 steps.
    #[test]
    fn top_k_agrees_with_eigh_psd_gram(n in 65usize..=160, p in 3usize..=8, k in 1usize..=3, seed in 0u64..1_000_000) {
        check_against_eigh(&psd_gram(n, p, seed), k.min(p))?;
    }

    /// The operator for `Matrix` reads only the upper triangle; for a symmetric matrix it is
    /// A x to rounding: each entry sums the same n products in another order, an error of at
    /// most 2n·ε·Σ_j |a_ij x_j|.
    #[test]
    fn top_k_matrix_operator_is_the_product(n in 1usize..=40, seed in 0u64..1_000_000) {
        let a = Matrix::random_symmetric(n, seed);
        let x = Matrix::random_normal(n, 1, seed + 1).into_vec();
        let mut y = vec![f64::NAN; n];
        a.apply(&x, &mut y);
        let want = a.matvec(&x);
        for i in 0..n {
            let scale: f64 = a.row(i).iter().zip(&x).map(|(p, q)| (p * q).abs()).sum();
            prop_assert!((y[i] - want[i]).abs() <= 2.0 * n as f64 * EPS * scale);
        }
    }
}

/// la.eig.top-k: a dense RBF Gram matrix at n = 300 (the kind of matrix kernel PCA and
/// diffusion maps hand to the solver), k = 4.
#[test]
fn top_k_agrees_with_eigh_rbf_n300() {
    let x = Matrix::random_uniform(300, 3, 0.0, 1.0, 3);
    let k = x.pairwise_sq_distances().map(|d| (-4.0 * d).exp());
    check_against_eigh(&k, 4).unwrap();
}

/// A matrix-free operator: A = X X^T applied as X (X^T v), never formed.
struct GramOperator {
    x: Matrix,
}

impl SymmetricOperator for GramOperator {
    fn dim(&self) -> usize {
        self.x.nrows()
    }
    fn apply(&self, v: &[f64], y: &mut [f64]) {
        let t = self.x.transpose().matvec(v);
        y.copy_from_slice(&self.x.matvec(&t));
    }
}

/// la.eig.top-k: the solver works on an implicit operator and agrees with the stored matrix.
#[test]
fn top_k_implicit_operator_matches_matrix() {
    let x = Matrix::random_normal(150, 6, 11);
    let op = GramOperator { x: x.clone() };
    let implicit = top_k_eigh(&op, 3, &TopKOptions::default()).unwrap();
    let dense = top_k_eigh_matrix(&x.gram(), 3).unwrap();
    let scale = implicit.values[0];
    for i in 0..3 {
        // Both converge to residual tol·max|θ|; their values agree within twice that, plus
        // rounding n·ε·||A||.
        let tol = 2.0 * 1e-10 * scale + 1e3 * EPS * scale;
        assert!((implicit.values[i] - dense.values[i]).abs() <= tol);
    }
}

/// la.eig.top-k: the same seed gives bit-identical results; another seed gives the same pairs
/// within the convergence tolerance.
#[test]
fn top_k_is_deterministic_per_seed() {
    let a = gapped_symmetric(120, 3, 5);
    let opts = TopKOptions::default();
    let first = top_k_eigh(&a, 3, &opts).unwrap();
    let again = top_k_eigh(&a, 3, &opts).unwrap();
    assert_eq!(first, again);
    let other = top_k_eigh(&a, 3, &TopKOptions { seed: 99, ..opts }).unwrap();
    let af = a.frobenius_norm();
    for i in 0..3 {
        // Each within tol·||A||_F (+ rounding) of λ_i, so within twice that of each other.
        assert!((first.values[i] - other.values[i]).abs() <= 2.0 * opts.tol * af + 1e3 * EPS * af);
    }
}

/// la.eig.top-k: argument and data errors are reported, not hidden.
#[test]
fn top_k_errors() {
    let a = gapped_symmetric(100, 2, 8);
    let opts = TopKOptions::default();
    // k > n.
    assert!(matches!(
        top_k_eigh(&a, 101, &opts),
        Err(LinalgError::InvalidArgument(_))
    ));
    // A basis that cannot hold k Ritz vectors and a new direction.
    let tiny = TopKOptions {
        basis_size: Some(3),
        ..opts
    };
    assert!(matches!(
        top_k_eigh(&a, 2, &tiny),
        Err(LinalgError::InvalidArgument(_))
    ));
    // k = 0 is an empty answer, not an error.
    let none = top_k_eigh(&a, 0, &opts).unwrap();
    assert!(none.values.is_empty() && none.vectors.shape() == (100, 0));
    // Not symmetric, NaN: checked by the matrix entry point.
    let mut b = a.clone();
    b[(3, 7)] += 1.0;
    assert!(matches!(
        top_k_eigh_matrix(&b, 2),
        Err(LinalgError::NotSymmetric { at: (3, 7), .. })
    ));
    let mut c = a.clone();
    c[(5, 5)] = f64::NAN;
    assert!(matches!(
        top_k_eigh_matrix(&c, 2),
        Err(LinalgError::NonFinite { at: (5, 5), .. })
    ));
    // ...and by the iteration itself for an operator (A q contains the NaN).
    assert!(matches!(
        top_k_eigh(&c, 2, &opts),
        Err(LinalgError::NonFinite { .. })
    ));
    // No convergence: four Lanczos vectors, no restart, a tolerance near ε.
    let starved = TopKOptions {
        basis_size: Some(4),
        max_restarts: 0,
        tol: 1e-15,
        ..opts
    };
    match top_k_eigh(&a, 2, &starved) {
        Err(LinalgError::NoConvergence {
            iterations,
            residual,
            ..
        }) => {
            assert_eq!(iterations, 0);
            assert!(residual > 1e-15 * a.frobenius_norm());
        }
        other => panic!("expected NoConvergence, got {other:?}"),
    }
}
