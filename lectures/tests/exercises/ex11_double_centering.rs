//! The tests of exercise 11, `lectures/exercises/ex11_double_centering.rs` (`lectures exercises check ex11`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex11_double_centering.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex11_double_centering.rs"
)]
mod ex11_double_centering;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.mds.classical`): for Euclidean distances, B is the Gram matrix of the centred
    /// points.
    #[test]
    fn double_centering_recovers_the_centred_gram(x in spread_points(2..20, 1..5)) {
        let (n, dim) = x.shape();
        let sq = x.pairwise_sq_distances();
        let (xc, _) = x.center_columns();
        let want = xc.matmul_tr(&xc);
        // Each b_ij is a few means of N entries: error about N ε max δ². The reference X_c X_cᵀ
        // carries the rounding of centring, ε max|X| per entry of X_c, times max|X_c| · dim.
        let tol = 16.0 * (n + dim) as f64 * EPS * (sq.max_abs() + x.max_abs() * xc.max_abs());
        close("B", &ex11_double_centering::double_center(&sq), &want, tol)?;
    }

    /// (`dr.mds.classical`): −½ J Δ² J with J formed explicitly, for any symmetric Δ² (not
    /// only Euclidean ones).
    #[test]
    fn double_centering_equals_the_product_with_j(m in symmetric(2..20, 2.0)) {
        let n = m.nrows();
        let sq = Matrix::from_fn(n, n, |i, j| if i == j { 0.0 } else { m[(i, j)].abs() });
        let j = Matrix::from_fn(n, n, |a, b| f64::from(u8::from(a == b)) - 1.0 / n as f64);
        let want = j.matmul(&sq).matmul(&j).scale(-0.5);
        // Two products of length N against an O(N) formula.
        close("B", &ex11_double_centering::double_center(&sq), &want, 16.0 * n as f64 * EPS * sq.max_abs())?;
    }
}
