//! Exercise 37 · project "your own t-SNE", step 3 of 4: the optimiser, with momentum, gains
//! and early exaggeration (`dr.tsne.gradient`).
//!
//! Task: starting from Y₀, take `schedule.iterations` steps and return the final map. Step t
//! (t = 0, 1, …) asks `gradient(Y, α)` for the gradient with P multiplied by α: α =
//! `schedule.exaggeration` and momentum μ = `schedule.momentum.0` while t <
//! `schedule.exaggeration_iters`, then α = 1 and μ = `schedule.momentum.1`. Every entry keeps
//! an update u (0 at first) and a gain g (1 at first): the gain grows by 0.2 when the new
//! gradient entry and the previous update have opposite signs and shrinks by a factor 0.8
//! otherwise, never below `schedule.min_gain`; then u ← μ u − η g ∂, and y ← y + u, with η =
//! `schedule.learning_rate`. (These are the rules of the notes' "Optimisation" list, the same
//! as dimred's `TSne`.)
//!
//! Claim: `dr.tsne.gradient`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.tsne.gradient`: the embedding side Q(N), KL and its gradient" (its "Optimisation" list).
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// The settings of the optimiser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// Number of steps.
    pub iterations: usize,
    /// η.
    pub learning_rate: f64,
    /// α, the factor on P during the first `exaggeration_iters` steps.
    pub exaggeration: f64,
    /// The length of the early-exaggeration phase.
    pub exaggeration_iters: usize,
    /// Momentum during and after early exaggeration.
    pub momentum: (f64, f64),
    /// The smallest gain.
    pub min_gain: f64,
}

/// Y after `schedule.iterations` steps of t-SNE's optimiser from `y0`; `gradient(Y, α)` is the
/// gradient of KL(P ‖ Q) with P multiplied by α (`dr.tsne.gradient`).
pub fn optimise(
    y0: &Matrix,
    schedule: &Schedule,
    mut gradient: impl FnMut(&Matrix, f64) -> Matrix,
) -> Matrix {
    todo!("return the map after the scheduled steps of momentum with gains and early exaggeration")
}
