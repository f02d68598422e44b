//! The tests of exercise 03, `lectures/exercises/ex03_jacobi_eigenvalues.rs` (`lectures exercises check ex03`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex03_jacobi_eigenvalues.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex03_jacobi_eigenvalues.rs"
)]
mod ex03_jacobi_eigenvalues;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`la.jacobi.invariants`): the spectrum of linalg, and the two invariants of every
    /// rotation: Σ λ = trace(A), Σ λ² = ||A||_F².
    #[test]
    fn eigenvalues_keep_trace_and_frobenius_norm(a in symmetric(1..9, 4.0)) {
        let n = a.nrows();
        let got = ex03_jacobi_eigenvalues::jacobi_eigenvalues(&a);
        let want = linalg::eigvalsh(&a).unwrap();
        let fro = a.frobenius_norm();
        // Backward stable: every eigenvalue within a few n ε ||A||_F.
        close_vec("the eigenvalues", &got, &want, 16.0 * n as f64 * EPS * fro)?;
        close_scalar("Σ λ (should be trace(A))", got.iter().sum(), a.trace(), 16.0 * n as f64 * EPS * fro)?;
        close_scalar(
            "Σ λ² (should be ||A||_F²)",
            got.iter().map(|v| v * v).sum(),
            fro * fro,
            32.0 * n as f64 * EPS * fro * fro,
        )?;
    }
}
