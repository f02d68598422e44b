//! The tests of exercise 38, `lectures/exercises/ex38_tsne_digits.rs` (`lectures exercises check ex38`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.
//!
//! A project step: this target also compiles the earlier steps it uses (ex35, ex36, ex37): if
//! one of them does not compile, this step cannot either..

mod common;
#[allow(dead_code)] // only the function this step calls is used here
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex35_tsne_affinities.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex35_tsne_affinities.rs"
)]
mod ex35_tsne_affinities;
#[allow(dead_code)] // only the function this step calls is used here
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex36_tsne_kl_gradient.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex36_tsne_kl_gradient.rs"
)]
mod ex36_tsne_kl_gradient;
#[allow(dead_code)] // only the function this step calls is used here
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex37_tsne_optimiser.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex37_tsne_optimiser.rs")]
mod ex37_tsne_optimiser;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex38_tsne_digits.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex38_tsne_digits.rs")]
mod ex38_tsne_digits;

use common::*;

/// Every `step`-th digit (the built-in 1797 handwritten digits, 8×8 pixels).
fn digits(step: usize) -> Matrix {
    let ds = dimred::data::load("digits").expect("the built-in digits parse");
    let idx: Vec<usize> = (0..ds.x.nrows()).step_by(step).collect();
    ds.x.select_rows(&idx)
}

/// (`dr.quality`): your t-SNE keeps the digits' neighbourhoods (a fixed test on real data,
/// judged by dimred's trustworthiness).
#[test]
fn your_tsne_embeds_the_digits() {
    let x = digits(4);
    let y = ex38_tsne_digits::tsne(&x, 30.0, 500, 7);
    assert_eq!(y.shape(), (x.nrows(), 2), "the map should be N×2");
    assert!(
        y.as_slice().iter().all(|v| v.is_finite()),
        "the map has a NaN or an infinity"
    );
    let t = dimred::quality::trustworthiness(&x, &y, 10).unwrap();
    // The reference solution reaches 0.984 on these 450 digits (500 steps, seed 7).
    assert!(
        t >= 0.95,
        "trustworthiness T(10) of your map of {} digits is {t:.4}, should be at least 0.95",
        x.nrows()
    );
}

proptest! {
    #![proptest_config(config())]

    /// The wiring: one step of your t-SNE is the first step dimred's pieces give (your P, the
    /// seeded start, η, the exaggeration 12 and the first gain 0.8), on random points.
    #[test]
    fn your_first_step_is_tsnes_first_step(x in points(6..30, 4, 2.0), seed in 0u64..1000) {
        use dimred::sne::{affinities, Neighbours};
        let n = x.nrows();
        prop_assume!(distinct(&x, 0.0), "two points coincide");
        let perplexity = ((n as f64 - 1.0) / 3.0).max(1.5);
        let got = ex38_tsne_digits::tsne(&x, perplexity, 1, seed);
        let aff = affinities(&x, perplexity, Neighbours::All).unwrap();
        let y0 = Matrix::random_normal(n, 2, seed).scale(1e-4);
        let mut g = Matrix::zeros(n, 2);
        dimred::tsne::exact_gradient(&aff, &y0, dimred::tsne::LowDimKernel::StudentT, 12.0, &mut g);
        let eta = (n as f64 / 12.0 / 4.0).max(50.0);
        let want = Matrix::from_fn(n, 2, |i, k| y0[(i, k)] - eta * 0.8 * g[(i, k)]);
        // One step: the gradient's n-term sums (relative n ε, ex36) and P's calibration
        // (relative 1e-7, ex35) scaled by η·0.8.
        close("Y after one step", &got, &want, 1e-7 * eta * g.max_abs() + 1e-18)?;
    }
}
