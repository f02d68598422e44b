//! The tests of exercise 18, `lectures/exercises/ex18_diffusion_markov.rs` (`lectures exercises check ex18`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex18_diffusion_markov.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex18_diffusion_markov.rs"
)]
mod ex18_diffusion_markov;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.diffusion.markov`): dimred's P for a fixed ε; rows sum to 1; π P = π with
    /// π ∝ the degrees.
    #[test]
    fn transition_matrix_matches_dimred(x in points(2..15, 2, 2.0), eps in 0.25..4.0f64, alpha in 0.0..=1.0f64) {
        use dimred::diffusion::{DiffusionMaps, EpsilonRule};
        let n = x.nrows();
        let p = ex18_diffusion_markov::transition_matrix(&x, eps, alpha);
        let chain = DiffusionMaps { epsilon: EpsilonRule::Fixed(eps), alpha, ..DiffusionMaps::new(1) }
            .markov_chain(&x)
            .unwrap();
        // Entries ≤ 1, each a few products and a sum of N terms.
        close("P", &p, &chain.transition_matrix(), 16.0 * n as f64 * EPS)?;
        let ones = vec![1.0; n];
        let sums: Vec<f64> = (0..n).map(|i| p.row(i).iter().sum()).collect();
        close_vec("the row sums of P", &sums, &ones, 4.0 * n as f64 * EPS)?;
        let pi = chain.stationary();
        let pi_p: Vec<f64> = (0..n).map(|j| (0..n).map(|i| pi[i] * p[(i, j)]).sum()).collect();
        close_vec("π P (should be π)", &pi_p, &pi, 16.0 * n as f64 * EPS)?;
    }
}
