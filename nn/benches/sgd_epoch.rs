//! One epoch of minibatch SGD (batch 32, learning rate 0.01 on the mean squared error, f64)
//! of a 64-32-2-32-64 tanh autoencoder with a linear output layer, on the 1797 digits scaled to
//! [0, 1]: the hand-written backprop against the same network on the autodiff tape.
//!
//! References measured for the same network, data and batch order (issue 6, quiet machine):
//! a hand-written NumPy loop 4.0 ms per epoch (OpenBLAS), PyTorch 20 ms (1 thread),
//! scikit-learn's MLPRegressor 14 ms. Targets: hand-written ≤ 4.0 ms, tape ≤ 1.3 x hand-written.
//!
//! The digits are read from `../dimred/data/digits.csv` (relative to this crate) when that file
//! exists (nn does not depend on dimred); otherwise seeded uniform data of the same shape is
//! used. The bench prints which.
#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use criterion::{criterion_group, criterion_main, Criterion};
use nn::{
    run_epoch, Activation, Batch, BatchBuffers, Engine, Gd, Loss, Minibatches, Mlp, MlpTrainer,
    Objective, Penalty,
};
use std::hint::black_box;

mod common;
use common::digits;

fn bench(c: &mut Criterion) {
    let (x, source) = digits();
    eprintln!("sgd_epoch: {} x {} inputs, {source}", x.nrows(), x.ncols());
    let acts = [
        Activation::Tanh,
        Activation::Tanh,
        Activation::Tanh,
        Activation::Identity,
    ];
    let objective = Objective {
        loss: Loss::MeanSquared,
        penalty: Penalty::None,
    };
    // One fixed batch order, the same for both engines.
    let batches = Minibatches::new(x.nrows(), 32, 7).next_epoch();

    let mut group = c.benchmark_group("sgd_epoch_ae_64-32-2-32-64");
    group.sample_size(30);
    for (name, engine) in [
        ("hand-written", Engine::HandWritten),
        ("tape", Engine::Tape),
    ] {
        let mut net = Mlp::new(&[64, 32, 2, 32, 64], &acts, 1);
        let mut model = MlpTrainer::new(&mut net, objective, engine, 32, None);
        let mut buf = BatchBuffers::default();
        let mut opt = Gd::new(0.01);
        // The epoch of the training loop, as `nn::train` runs it (an autoencoder: no targets).
        let data = Batch::all(&x, None);
        group.bench_function(name, |b| {
            b.iter(|| {
                let l =
                    run_epoch(&mut model, &mut opt, data, &batches, &mut buf).expect("finite loss");
                black_box(l)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
