//! The tests of exercise 36, `lectures/exercises/ex36_tsne_kl_gradient.rs` (`lectures exercises check ex36`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex36_tsne_kl_gradient.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex36_tsne_kl_gradient.rs"
)]
mod ex36_tsne_kl_gradient;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.tsne.gradient`): dimred's exact KL and gradient, with and without exaggeration.
    #[test]
    fn kl_and_gradient_match_dimred(
        (x, y) in (4usize..20).prop_flat_map(|n| (matrix_of(n, 5, 2.0), matrix_of(n, 2, 8.0))),
        exaggeration in prop_oneof![Just(1.0), 1.0..12.0f64],
    ) {
        use dimred::sne::{affinities, Neighbours};
        let n = x.nrows();
        prop_assume!(distinct(&x, 0.0), "two points coincide: their affinity is undefined");
        let perplexity = ((n as f64 - 1.0) / 3.0).max(1.5);
        let aff = affinities(&x, perplexity, Neighbours::All).unwrap();
        let mut want = Matrix::zeros(n, 2);
        let kl = dimred::tsne::exact_gradient(&aff, &y, dimred::tsne::LowDimKernel::StudentT, exaggeration, &mut want);
        let (got_kl, got) = ex36_tsne_kl_gradient::kl_and_gradient(&aff.to_dense(), &y, exaggeration);
        // Sums of n² terms of size at most ln(1/q) ≤ 40: n² ε per logarithm, relative.
        close_scalar("KL(P‖Q)", got_kl, kl, 64.0 * (n * n) as f64 * EPS * (1.0 + kl.abs()))?;
        // Sums of n terms, each at most 4 |y_i − y_j| ≤ 8 max|y| times α p or q ≤ α.
        close("∇KL", &got, &want, 64.0 * n as f64 * EPS * (want.max_abs() + 8.0 * exaggeration * y.max_abs()))?;
    }
}
