//! The tests of exercise 37, `lectures/exercises/ex37_tsne_optimiser.rs` (`lectures exercises check ex37`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex37_tsne_optimiser.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex37_tsne_optimiser.rs")]
mod ex37_tsne_optimiser;

use common::*;

use dimred::sne::{affinities, Affinities, Neighbours};
use dimred::tsne::{exact_gradient, LearningRate, LowDimKernel, TSne, TsneInit};
use ex37_tsne_optimiser::{optimise, Schedule};

/// The library's exact gradient as the closure the optimiser asks.
fn library_gradient(aff: &Affinities) -> impl FnMut(&Matrix, f64) -> Matrix + '_ {
    move |y, alpha| {
        let mut g = Matrix::zeros(y.nrows(), y.ncols());
        exact_gradient(aff, y, LowDimKernel::StudentT, alpha, &mut g);
        g
    }
}

fn schedule_strategy() -> impl Strategy<Value = Schedule> {
    (
        1usize..30,
        0.0..1.0f64,
        1.0..12.0f64,
        1.0..20.0f64,
        0.0..0.9f64,
        0.0..0.9f64,
        0.0..0.5f64,
    )
        .prop_map(
            |(iterations, e, exaggeration, learning_rate, m0, m1, min_gain)| Schedule {
                iterations,
                learning_rate,
                exaggeration,
                exaggeration_iters: (e * iterations as f64) as usize,
                momentum: (m0, m1),
                min_gain,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// (`dr.tsne.gradient`): the same iterates as dimred's `TSne` from the same start.
    #[test]
    fn optimiser_matches_dimred(
        (x, y0) in (5usize..16).prop_flat_map(|n| (matrix_of(n, 4, 2.0), matrix_of(n, 2, 1.0))),
        s in schedule_strategy(),
    ) {
        let n = x.nrows();
        prop_assume!(distinct(&x, 0.0), "two points coincide");
        let perplexity = ((n as f64 - 1.0) / 3.0).max(1.5);
        let aff = affinities(&x, perplexity, Neighbours::All).unwrap();
        let got = optimise(&y0, &s, library_gradient(&aff));
        let tsne = TSne {
            perplexity,
            neighbours: Some(Neighbours::All),
            early_exaggeration: s.exaggeration,
            exaggeration_iter: s.exaggeration_iters,
            max_iter: s.iterations,
            learning_rate: LearningRate::Fixed(s.learning_rate),
            momentum: s.momentum,
            min_gain: s.min_gain,
            init: TsneInit::Given(y0.0.clone()),
            method: dimred::tsne::GradientMethod::Exact,
            kl_every: s.iterations,
            ..TSne::new(2)
        };
        let want = tsne.fit(&x).unwrap().embedding;
        // The same few roundings per step in any correct order; under 30 steps they grow by
        // at most a few orders of magnitude.
        close(&format!("Y after {} steps ({:?})", s.iterations, s), &got, &want, 1e-9 * (1.0 + want.max_abs()))?;
    }

    /// The schedule: α (and the momentum with it) switches after `exaggeration_iters` steps,
    /// and the gradient is asked once per step, at the current map.
    #[test]
    fn exaggeration_schedule(y0 in matrix_of(6, 2, 1.0), s in schedule_strategy()) {
        prop_assume!(y0.max_abs() > 0.0, "all points at the origin: nothing moves");
        let mut asked = Vec::new();
        let mut last = y0.0.clone();
        let mut moved = true;
        let y = optimise(&y0, &s, |y, alpha| {
            asked.push(alpha);
            moved &= asked.len() == 1 || y != &last;
            last = y.clone();
            // A pull of every point towards the origin.
            y.clone()
        });
        let want: Vec<f64> = (0..s.iterations)
            .map(|t| if t < s.exaggeration_iters { s.exaggeration } else { 1.0 })
            .collect();
        prop_assert!(asked == want, "the gradient was asked with α = {asked:?}, expected {want:?} ({s:?})");
        prop_assert!(moved, "the gradient was asked twice at the same map: take a step after each call");
        prop_assert!(y != y0.0, "the map did not move");
    }
}
