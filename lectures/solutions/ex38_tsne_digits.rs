//! Exercise 38 · project "your own t-SNE", step 4 of 4: the handwritten digits
//! (`dr.quality`).
//!
//! Task: put your three pieces together into t-SNE. From the rows of `x`, compute P with
//! your `joint_affinities` (step 35), start from a seeded random map (10⁻⁴ times standard
//! normal entries, `Matrix::random_normal(n, 2, seed)`), and run your `optimise` (step 37)
//! with your `kl_and_gradient` (step 36) as the gradient, with the notes' settings: early
//! exaggeration 12 for the first 250 steps, momentum 0.5 then 0.8, minimum gain 0.01, η =
//! max(N / 12 / 4, 50). Return the N×2 map after `iterations` steps. The test embeds digits
//! and holds the map to trustworthiness ≥ 0.95 (dimred's `quality::trustworthiness`).
//!
//! This file uses your steps 35, 36 and 37: if one of them does not compile or is wrong, this
//! step fails too; check them first.
//!
//! Claim: `dr.quality`. Notes: lectures/notes/04-losses-and-probabilistic.md, sections
//! "`dr.tsne.gradient`" (its "Optimisation" list) and "`dr.quality`: comparing the methods on
//! one scale".

use linalg::Matrix;

use super::ex35_tsne_affinities::joint_affinities;
use super::ex36_tsne_kl_gradient::kl_and_gradient;
use super::ex37_tsne_optimiser::{optimise, Schedule};

/// Your t-SNE: the N×2 map of the rows of `x` after `iterations` steps (`dr.quality`).
pub fn tsne(x: &Matrix, perplexity: f64, iterations: usize, seed: u64) -> Matrix {
    // BEGIN SOLUTION: return the 2-D t-SNE map of the rows of x, built from your steps 35, 36 and 37
    let n = x.nrows();
    let p = joint_affinities(x, perplexity);
    let y0 = Matrix::random_normal(n, 2, seed).scale(1e-4);
    let schedule = Schedule {
        iterations,
        learning_rate: (n as f64 / 12.0 / 4.0).max(50.0),
        exaggeration: 12.0,
        exaggeration_iters: 250.min(iterations),
        momentum: (0.5, 0.8),
        min_gain: 0.01,
    };
    optimise(&y0, &schedule, |y, alpha| kl_and_gradient(&p, y, alpha).1)
    // END SOLUTION
}
