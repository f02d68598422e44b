//! Exercise 35 · project "your own t-SNE", step 1 of 4: the affinities P (`dr.sne.affinities`).
//!
//! Task: for the N rows of `x` and a perplexity 1 < Perp < N − 1, return the N×N matrix of
//! t-SNE's joint probabilities. Row i first gets its own conditional distribution
//! p_{j|i} = e^{−β_i d_ij} / Σ_{k≠i} e^{−β_i d_ik} over the other points (d_ij = ||x_i − x_j||²,
//! p_{i|i} = 0), with β_i chosen so that the entropy −Σ_j p_{j|i} ln p_{j|i} equals ln Perp to
//! within 1e-10; then P is symmetrised, p_ij = (p_{j|i} + p_{i|j}) / (2N), so that it is
//! symmetric, has a zero diagonal and sums to 1.
//!
//! The project: steps 35 (P), 36 (KL and its gradient), 37 (the optimiser) and 38 (your
//! t-SNE on the handwritten digits, which uses your three pieces).
//!
//! Claim: `dr.sne.affinities`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.sne.affinities`: from distances to neighbour probabilities, P(N)".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::{sq_dist, Matrix};

/// t-SNE's symmetric joint probabilities P of the rows of `x` (`dr.sne.affinities`).
pub fn joint_affinities(x: &Matrix, perplexity: f64) -> Matrix {
    todo!("return the symmetric N×N matrix P whose rows are calibrated to the perplexity")
}
