//! The tests of exercise 17, `lectures/exercises/ex17_centered_rbf_gram.rs` (`lectures exercises check ex17`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex17_centered_rbf_gram.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex17_centered_rbf_gram.rs"
)]
mod ex17_centered_rbf_gram;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.kpca.centering`): J K J with K from dimred's RBF kernel and J formed explicitly.
    #[test]
    fn centred_rbf_gram_matches_jkj(x in matrix(2..15, 1..4, 2.0), gamma in 0.05..2.0f64) {
        let n = x.nrows();
        let k = dimred::kernels::Kernel::Rbf { gamma }.gram(&x);
        let j = Matrix::from_fn(n, n, |a, b| f64::from(u8::from(a == b)) - 1.0 / n as f64);
        let want = j.matmul(&k).matmul(&j);
        // Entries of K are in (0, 1]; means of N of them.
        close("K̃", &ex17_centered_rbf_gram::centered_rbf_gram(&x, gamma), &want, 16.0 * n as f64 * EPS)?;
    }
}
