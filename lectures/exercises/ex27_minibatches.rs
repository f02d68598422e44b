//! Exercise 27 · minibatches: a seeded shuffle, cut into batches (`nn.sgd`).
//!
//! Task: return one epoch's minibatches for N samples: shuffle 0..N with the Fisher–Yates
//! algorithm driven by `linalg::rng(seed)` (for i from N − 1 down to 1, swap entry i with a
//! uniformly random entry j ∈ {0, …, i}: `rng.random_range(0..=i)`), cut the result into
//! consecutive batches of `batch_size` (the last may be shorter) and sort each batch. Every
//! one of the N! orders must be equally likely — the tests count them.
//!
//! Claim: `nn.sgd`. Notes: lectures/notes/05-neural-networks.md, section
//! "`nn.sgd`: minibatches, reshuffled every epoch".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use rand::Rng;

/// One epoch of minibatches, a partition of 0..n (`nn.sgd`).
///
/// # Panics
/// If `batch_size == 0`.
pub fn minibatches(n: usize, batch_size: usize, seed: u64) -> Vec<Vec<usize>> {
    assert!(batch_size > 0, "minibatches: batch size 0");
    todo!("return the samples 0..n in a seeded random order, cut into batches of batch_size (each batch sorted)")
}
