//! The tests of exercise 23, `lectures/exercises/ex23_tsne_gradient.rs` (`lectures exercises check ex23`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex23_tsne_gradient.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex23_tsne_gradient.rs")]
mod ex23_tsne_gradient;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.tsne.gradient`): dimred's exact t-SNE gradient for real affinities.
    #[test]
    fn tsne_gradient_matches_dimred((x, y) in (4usize..20).prop_flat_map(|n| (matrix_of(n, 5, 2.0), matrix_of(n, 2, 8.0)))) {
        use dimred::sne::{affinities, Neighbours};
        let n = x.nrows();
        prop_assume!(distinct(&x, 0.0), "two points coincide: their affinity is undefined");
        let perplexity = ((n as f64 - 1.0) / 3.0).max(1.5);
        let aff = affinities(&x, perplexity, Neighbours::All).unwrap();
        let mut want = Matrix::zeros(n, 2);
        dimred::tsne::exact_gradient(&aff, &y, dimred::tsne::LowDimKernel::StudentT, 1.0, &mut want);
        let got = ex23_tsne_gradient::tsne_gradient(&aff.to_dense(), &y);
        // Sums of n terms, each at most 4 |y_i − y_j| ≤ 8 max|y| times p or q ≤ 1.
        close("∇KL", &got, &want, 64.0 * n as f64 * EPS * (want.max_abs() + 8.0 * y.max_abs() / n as f64))?;
    }
}
