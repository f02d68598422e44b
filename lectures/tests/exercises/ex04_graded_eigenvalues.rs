//! The tests of exercise 04, `lectures/exercises/ex04_graded_eigenvalues.rs` (`lectures exercises check ex04`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex04_graded_eigenvalues.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex04_graded_eigenvalues.rs"
)]
mod ex04_graded_eigenvalues;

use common::*;

/// A graded matrix D H D: H = I + E/(2n) with E symmetric, entries in [−1, 1] (Gershgorin:
/// the eigenvalues of H lie in [½, 3/2], so κ(H) ≤ 3), D = diag(1, g, g², …).
fn graded() -> impl Strategy<Value = (M, M)> {
    (symmetric(2..8, 1.0), 1i32..4).prop_map(|(e, k)| {
        let n = e.nrows();
        let g = 10f64.powi(-k);
        let h = Matrix::from_fn(n, n, |i, j| {
            f64::from(u8::from(i == j)) + e[(i, j)] / (2 * n) as f64
        });
        let a = Matrix::from_fn(n, n, |i, j| g.powi(i as i32) * h[(i, j)] * g.powi(j as i32));
        (M(a), M(h))
    })
}

proptest! {
    #![proptest_config(config())]

    /// (`la.jacobi.relative-accuracy`): every eigenvalue of D H D, down to g^{2(n−1)} ≥ 1e-36,
    /// to a relative error of a small multiple of n κ(H) ε (linalg::eigvalsh, the reference,
    /// has the same accuracy).
    #[test]
    fn every_eigenvalue_to_relative_accuracy((a, h) in graded()) {
        let n = a.nrows();
        let got = ex04_graded_eigenvalues::graded_eigenvalues(&a);
        let want = linalg::eigvalsh(&a).unwrap();
        prop_assert!(got.len() == n, "{} eigenvalues for a {n}x{n} matrix", got.len());
        let mu = linalg::eigvalsh(&h).unwrap();
        let kappa = mu[0] / mu[n - 1];
        // Both computations err by about n κ(H) ε relative; 64 covers the constants.
        let tol = 64.0 * n as f64 * kappa * EPS;
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            prop_assert!(
                ((g - w) / w).abs() <= tol,
                "eigenvalue {k} is {g:e} but should be {w:e}: relative error {:.1e}, allowed {tol:.1e}",
                ((g - w) / w).abs()
            );
        }
    }
}
