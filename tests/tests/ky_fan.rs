//! `la.ky-fan`: max over U^T U = I_d of Tr(U^T C U) is the sum of the d largest eigenvalues
//! of the symmetric C, attained by the top-d eigenvectors.
//!
//! The sum of eigenvalues comes from nalgebra (an independent solver); the random competitors
//! U are orthonormalised random matrices, both far from and close to the maximiser.

use linalg::{ky_fan_max, orthonormalize, LinalgError, Matrix};
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

/// Tr(U^T C U).
fn trace_form(c: &Matrix, u: &Matrix) -> f64 {
    u.tr_matmul(&c.matmul(u)).trace()
}

/// Symmetric test matrices: Gaussian, or with repeated eigenvalues (Q diag(λ) Q^T with λ drawn
/// from three values), so the maximiser is not unique and λ_d may equal λ_{d+1}.
fn symmetric(n: usize, repeated: bool, seed: u64) -> Matrix {
    if !repeated {
        return Matrix::random_symmetric(n, seed);
    }
    let q = orthonormalize(&Matrix::random_normal(n, n, seed)).unwrap();
    let pick = Matrix::random_uniform(n, 1, 0.0, 3.0, seed + 1);
    let lam: Vec<f64> = (0..n)
        .map(|i| [-1.0, 0.5, 2.0][pick[(i, 0)] as usize])
        .collect();
    let mut a = Matrix::from_fn(n, n, |i, j| q[(i, j)] * lam[j]).matmul_tr(&q);
    a.symmetrize();
    a
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// la.ky-fan: the returned value is the sum of the d largest eigenvalues (nalgebra), the
    /// returned U is orthonormal and attains it, and no orthonormal U, random or a perturbation
    /// of the maximiser, exceeds it.
    #[test]
    fn ky_fan_bound_and_attainment(n in 1usize..=40, d_frac in 0.0f64..1.0, repeated in any::<bool>(), seed in 0u64..1_000_000) {
        let d = 1 + ((n as f64 * d_frac) as usize).min(n - 1);
        let c = symmetric(n, repeated, seed);
        let cf = c.frobenius_norm();
        // Rounding in a trace of a product of n x d and n x n factors: each of the d diagonal
        // entries is a sum of about n^2 products, bounded by ||C||_F; 4·d·n·ε·||C||_F with room.
        let tol = 4.0 * (d * n) as f64 * EPS * cf.max(f64::MIN_POSITIVE);

        let (best, u) = ky_fan_max(&c, d).unwrap();
        let na = nalgebra::DMatrix::from_row_slice(n, n, c.as_slice());
        let mut ev: Vec<f64> = nalgebra::SymmetricEigen::new(na).eigenvalues.iter().copied().collect();
        ev.sort_by(|a, b| b.total_cmp(a));
        let sum: f64 = ev[..d].iter().sum();
        // Two backward-stable solvers: each eigenvalue within a few n·ε·||C||_F.
        prop_assert!((best - sum).abs() <= tol, "ky_fan_max {best} vs nalgebra {sum}");

        prop_assert_eq!(u.shape(), (n, d));
        let ortho = (&u.tr_matmul(&u) - &Matrix::identity(d)).frobenius_norm();
        prop_assert!(ortho <= 10.0 * n as f64 * EPS, "U^T U - I: {ortho:e}");
        prop_assert!((trace_form(&c, &u) - best).abs() <= tol, "maximiser does not attain the bound");

        for trial in 0..4u64 {
            let g = Matrix::random_normal(n, d, seed.wrapping_mul(31).wrapping_add(trial));
            // Far: a random subspace. Near: the maximiser nudged by 1e-3, re-orthonormalised,
            // where Tr(U^T C U) is within O(1e-6) of the maximum and the bound is tight.
            let far = orthonormalize(&g).unwrap();
            let near = orthonormalize(&(&u + &g.scale(1e-3))).unwrap();
            for w in [far, near] {
                let t = trace_form(&c, &w);
                prop_assert!(t <= best + tol, "Tr(U^T C U) = {t} exceeds the bound {best}");
            }
        }
    }
}

/// la.ky-fan: d > n and non-symmetric C are errors.
#[test]
fn ky_fan_errors() {
    let c = Matrix::random_symmetric(5, 1);
    assert!(matches!(
        ky_fan_max(&c, 6),
        Err(LinalgError::InvalidArgument(_))
    ));
    let mut b = c.clone();
    b[(0, 1)] += 1.0;
    assert!(matches!(
        ky_fan_max(&b, 2),
        Err(LinalgError::NotSymmetric { .. })
    ));
}
