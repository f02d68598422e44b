//! The tests of exercise 05, `lectures/exercises/ex05_one_sided_jacobi.rs` (`lectures exercises check ex05`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex05_one_sided_jacobi.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex05_one_sided_jacobi.rs"
)]
mod ex05_one_sided_jacobi;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`la.svd.one-sided-jacobi`): σ as linalg::svd, V orthogonal, XV with orthogonal
    /// columns of norms σ.
    #[test]
    fn singular_values_and_right_vectors(x in matrix(1..7, 1..6, 4.0)) {
        let (m, n) = x.shape();
        let (sigma, v) = ex05_one_sided_jacobi::one_sided_jacobi(&x);
        prop_assert!(sigma.len() == n, "{} singular values for {n} columns", sigma.len());
        prop_assert!(v.shape() == (n, n), "V is {:?}, should be {n}x{n}", v.shape());
        let reference = linalg::svd(&x).unwrap().singular_values;
        let mut want = reference.clone();
        want.resize(n, 0.0); // the columns beyond rank m have σ = 0
        let s1 = want[0].max(1.0);
        // Backward stable: σ to a few (m + n) ε σ_1.
        let tol = 16.0 * (m + n) as f64 * EPS * s1;
        close_vec("σ", &sigma, &want, tol)?;
        prop_assert!(
            orthonormality_error(&v) <= 16.0 * n as f64 * EPS,
            "V is not orthogonal: VᵀV − I has an entry {:e}", orthonormality_error(&v)
        );
        let xv = x.matmul(&v);
        let gram = xv.tr_matmul(&xv);
        let diag = Matrix::from_diag(&sigma.iter().map(|s| s * s).collect::<Vec<_>>());
        close("(XV)ᵀ(XV) (should be diag(σ²))", &gram, &diag, 32.0 * (m + n) as f64 * EPS * s1 * s1)?;
    }
}
