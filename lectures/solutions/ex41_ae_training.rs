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
    // BEGIN SOLUTION: train the layers with minibatch Adam on the mean squared reconstruction error; return every epoch's loss
    let (b1, b2, eps) = (0.9, 0.999, 1e-8);
    let (n, dim) = x.shape();
    let zeros = |m: &Matrix| Matrix::zeros(m.nrows(), m.ncols());
    // First and second moments of every W and b, in the order (W¹, b¹, W², …).
    let mut m: Vec<Matrix> = layers
        .iter()
        .flat_map(|l| [zeros(&l.w), zeros(&l.b)])
        .collect();
    let mut v = m.clone();
    let mut t = 0;
    let mut batches = nn::Minibatches::new(n, batch_size.min(n), seed);
    let mut tape = Tape::new();
    let mut history = Vec::with_capacity(epochs);
    for _ in 0..epochs {
        let mut total = 0.0;
        for batch in batches.next_epoch() {
            let xb = x.select_rows(&batch);
            tape.clear();
            let xv = tape.constant(&xb);
            let (out, vars) = forward(&mut tape, xv, layers);
            let se = tape.squared_error(out, xv);
            let loss = tape.scale(se, 1.0 / (batch.len() * dim) as f64);
            tape.backward(loss).expect("a finite loss");
            total += tape.scalar(loss) * batch.len() as f64;
            t += 1;
            let (c1, c2) = (1.0 - f64::powi(b1, t), 1.0 - f64::powi(b2, t));
            let params = layers.iter_mut().flat_map(|l| [&mut l.w, &mut l.b]);
            let grads = vars.iter().flat_map(|&(w, b)| [w, b]);
            for (((p, g), m), v) in params.zip(grads).zip(&mut m).zip(&mut v) {
                let g = tape.grad(g).as_slice();
                let (p, m, v) = (p.as_mut_slice(), m.as_mut_slice(), v.as_mut_slice());
                for k in 0..g.len() {
                    m[k] = b1 * m[k] + (1.0 - b1) * g[k];
                    v[k] = b2 * v[k] + (1.0 - b2) * g[k] * g[k];
                    p[k] -= lr * (m[k] / c1) / ((v[k] / c2).sqrt() + eps);
                }
            }
        }
        history.push(total / n as f64);
    }
    history
    // END SOLUTION
}
