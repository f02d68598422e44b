//! The tests of exercise 06, `lectures/exercises/ex06_top_k.rs` (`lectures exercises check ex06`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex06_top_k.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex06_top_k.rs")]
mod ex06_top_k;

use common::*;

/// A = Q diag(λ) Qᵀ with k leading eigenvalues in [2, 4] and the rest in [0, 1] (a gap ratio
/// ≤ ½), Q orthogonal from the QR of a random matrix.
fn with_gap() -> impl Strategy<Value = (M, usize)> {
    (2usize..10).prop_flat_map(|n| {
        (1..n).prop_flat_map(move |k| {
            (
                matrix_of(n, n, 2.0),
                proptest::collection::vec(16..=32i32, k),
                proptest::collection::vec(0..=8i32, n - k),
            )
                .prop_filter_map("Q must have full rank", move |(g, top, rest)| {
                    let q = linalg::orthonormalize(&g).ok()?;
                    (orthonormality_error(&q) < 1e-12).then_some(())?;
                    let lambda: Vec<f64> =
                        top.iter().chain(&rest).map(|&v| v as f64 / 8.0).collect();
                    let a = q.matmul(&Matrix::from_diag(&lambda)).matmul_tr(&q);
                    let a = Matrix::from_fn(n, n, |i, j| 0.5 * (a[(i, j)] + a[(j, i)]));
                    Some((M(a), k))
                })
        })
    })
}

proptest! {
    #![proptest_config(config())]

    /// (`la.eig.top-k`): the k leading eigenvalues and the span of their eigenvectors agree
    /// with linalg's.
    #[test]
    fn top_k_agrees_with_the_full_spectrum((a, k) in with_gap()) {
        let n = a.nrows();
        let (values, vectors) = ex06_top_k::top_k(&a, k);
        let want = linalg::eigh(&a).unwrap();
        prop_assert!(values.len() == k, "{} eigenvalues, asked for k = {k}", values.len());
        prop_assert!(vectors.shape() == (n, k), "the vectors are {:?}, should be {n}x{k}", vectors.shape());
        let fro = a.frobenius_norm();
        // Ritz values err by the residual² / gap plus rounding n ε ||A||.
        close_vec("the eigenvalues", &values, &want.values[..k], 64.0 * n as f64 * EPS * fro)?;
        prop_assert!(
            orthonormality_error(&vectors) <= 1e-10,
            "the eigenvectors are not orthonormal: YᵀY − I has an entry {:e}", orthonormality_error(&vectors)
        );
        // Same subspace: the projectors agree. Davis–Kahan: residual 1e-12 ||A||_F over a gap ≥ 1.
        let v = want.vectors.leading_columns(k);
        close("the projector Y Yᵀ", &vectors.matmul_tr(&vectors), &v.matmul_tr(&v), 1e-9)?;
    }
}
