//! Exercise 42 · project "your own autoencoder on the tape", step 4 of 4: an autoencoder of
//! the handwritten digits that beats PCA (`nn.ae.loss`).
//!
//! Task: build an autoencoder for the rows of `x` (pixels in [0, 1]) with a code of `code_dim`
//! numbers: the encoder D → 32 → code_dim and the decoder code_dim → 32 → D, tanh on the
//! hidden layers and on the code, a sigmoid on the output (the pixels lie in [0, 1]); start
//! from seeded random weights (Xavier: standard normal entries times √(2 / (n_in + n_out)),
//! `Matrix::random_normal`), zero biases. Train it with your `train` (step 41) for `epochs`
//! epochs, batch size 32, learning rate 3·10⁻³ and the given seed, and return the trained
//! layers. The test compares its reconstruction error on the digits with PCA's at the same
//! code size: yours must be lower.
//!
//! This file uses your steps 40 and 41: if one of them does not compile or is wrong, this step
//! fails too; check them first.
//!
//! Claim: `nn.ae.loss`. Notes: lectures/notes/06-autoencoders.md, section "`nn.ae.loss`: the
//! nonlinear autoencoder".

use linalg::Matrix;

use super::ex40_ae_forward::{Activation, Layer};
use super::ex41_ae_training::train;

/// The layers of an autoencoder with a `code_dim` code, trained on the rows of `x`
/// (`nn.ae.loss`).
pub fn digits_autoencoder(x: &Matrix, code_dim: usize, epochs: usize, seed: u64) -> Vec<Layer> {
    // BEGIN SOLUTION: return the trained layers of a D-32-code-32-D autoencoder (tanh inside, sigmoid output)
    let d = x.ncols();
    let sizes = [d, 32, code_dim, 32, d];
    let acts = [
        Activation::Tanh,
        Activation::Tanh,
        Activation::Tanh,
        Activation::Sigmoid,
    ];
    let mut layers: Vec<Layer> = (0..4)
        .map(|l| {
            let (n_in, n_out) = (sizes[l], sizes[l + 1]);
            let scale = (2.0 / (n_in + n_out) as f64).sqrt();
            Layer {
                w: Matrix::random_normal(n_in, n_out, seed + l as u64).scale(scale),
                b: Matrix::zeros(1, n_out),
                activation: acts[l],
            }
        })
        .collect();
    train(&mut layers, x, epochs, 32, 3e-3, seed);
    layers
    // END SOLUTION
}
