//! The tests of exercise 27, `lectures/exercises/ex27_minibatches.rs` (`lectures exercises check ex27`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex27_minibatches.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex27_minibatches.rs")]
mod ex27_minibatches;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.sgd`): the batches partition 0..N into sorted batches of the right sizes.
    #[test]
    fn minibatches_partition_the_samples(n in 0usize..50, batch in 1usize..10, seed: u64) {
        let batches = ex27_minibatches::minibatches(n, batch, seed);
        prop_assert!(
            batches.len() == n.div_ceil(batch),
            "{} batches for N = {n}, m = {batch}; expected ⌈N/m⌉ = {}", batches.len(), n.div_ceil(batch)
        );
        for (k, bt) in batches.iter().enumerate() {
            let want = if k + 1 < batches.len() { batch } else { n - batch * k };
            prop_assert!(bt.len() == want, "batch {k} has {} samples, expected {want}", bt.len());
            prop_assert!(bt.windows(2).all(|w| w[0] < w[1]), "batch {k} = {bt:?} is not sorted");
        }
        let mut all: Vec<usize> = batches.concat();
        all.sort_unstable();
        prop_assert!(all == (0..n).collect::<Vec<_>>(), "the batches are not a partition of 0..{n}: {all:?}");
    }

    /// (`nn.sgd`): the order depends on the seed, and only on the seed.
    #[test]
    fn minibatches_are_seeded_shuffles(seed: u64) {
        let a = ex27_minibatches::minibatches(20, 1, seed);
        prop_assert!(a == ex27_minibatches::minibatches(20, 1, seed), "the same seed gave two different orders");
        // Two seeds (or the identity) give the same order of 20 with probability 1/20!.
        prop_assert!(a != ex27_minibatches::minibatches(20, 1, seed.wrapping_add(1)), "seeds {seed} and {} gave the same order", seed.wrapping_add(1));
        let order: Vec<usize> = a.concat();
        prop_assert!(order != (0..20).collect::<Vec<_>>(), "the samples were not shuffled");
    }
}

/// (`nn.sgd`): every order of 3 samples is equally likely. Over 6000 seeds the counts of
/// the 6 orders pass a χ² test (5 degrees of freedom; P(χ² > 30) ≈ 1.5e-5 for a fair shuffle).
/// The classic mistake, swapping with a random position in 0..N instead of 0..=i, makes some
/// orders 25% likelier than others: χ² is about 74 on average, 54 with these seeds.
#[test]
fn minibatch_orders_are_uniform() {
    let mut counts = std::collections::BTreeMap::new();
    let runs = 6000u64;
    for seed in 0..runs {
        let order: Vec<usize> = ex27_minibatches::minibatches(3, 1, seed).concat();
        *counts.entry(order).or_insert(0u64) += 1;
    }
    let expected = runs as f64 / 6.0;
    let chi2: f64 = counts
        .values()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum::<f64>()
        + (6 - counts.len().min(6)) as f64 * expected;
    assert!(
        counts.len() == 6 && chi2 < 30.0,
        "the 6 orders of 3 samples came out {counts:?} times in {runs} shuffles (χ² = {chi2:.1}, \
         a fair shuffle stays below 30): some orders are more likely than others"
    );
}
