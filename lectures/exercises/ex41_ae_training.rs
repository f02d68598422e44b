//! Exercise 41 · project "your own autoencoder on the tape", step 3 of 4: the training loop,
//! minibatches and Adam (`nn.sgd`).
//!
//! Task: train `layers` as an autoencoder of the rows of `x` (the target is the input) for
//! `epochs` epochs and return each epoch's loss. Every epoch visits the minibatches of
//! `nn::Minibatches::new(N, batch_size, seed)` (one `next_epoch()` per epoch; exercise 27 wrote
//! them). For a batch X_B of B rows: record your `forward` (step 40) on a tape, the loss
//! L = Σ (X̂ − X_B)² / (B·D) (the mean squared error), run `backward`, and update every
//! weight and bias θ with Adam (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸, one step count t shared by all
//! parameters, starting at 1): m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g²,
//! θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), with m = v = 0 at the start. An
//! epoch's loss is the mean of its batch losses weighted by batch size.
//!
//! This file uses your step 40: if it does not compile or is wrong, this step fails too.
//!
//! Claim: `nn.sgd`. Notes: lectures/notes/05-neural-networks.md, sections "`nn.sgd`:
//! minibatches, reshuffled every epoch" and "The training loop".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use autodiff::Tape;
use linalg::Matrix;

use super::ex40_ae_forward::{forward, Layer};

/// Train `layers` to reconstruct the rows of `x` with minibatch Adam; the loss of every epoch
/// (`nn.sgd`).
pub fn train(
    layers: &mut [Layer],
    x: &Matrix,
    epochs: usize,
    batch_size: usize,
    lr: f64,
    seed: u64,
) -> Vec<f64> {
    todo!("train the layers with minibatch Adam on the mean squared reconstruction error; return every epoch's loss")
}
