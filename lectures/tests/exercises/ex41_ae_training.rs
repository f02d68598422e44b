//! The tests of exercise 41, `lectures/exercises/ex41_ae_training.rs` (`lectures exercises check ex41`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.
//!
//! A project step: this target also compiles the earlier steps it uses (ex40): if
//! one of them does not compile, this step cannot either.

mod common;
#[allow(dead_code)] // only what this step calls is used here
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex40_ae_forward.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex40_ae_forward.rs")]
mod ex40_ae_forward;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex41_ae_training.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex41_ae_training.rs")]
mod ex41_ae_training;

use common::*;
use ex40_ae_forward::Layer;
use nn::Activation::{self, *};

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![Just(Tanh), Just(Sigmoid), Just(Identity)]
}

fn layers_of(net: &nn::Mlp) -> Vec<Layer> {
    net.layers
        .iter()
        .map(|l| Layer {
            w: l.w.clone(),
            b: Matrix::from_vec(1, l.b.len(), l.b.clone()),
            activation: l.activation,
        })
        .collect()
}

/// nn's autoencoder trained by nn's loop (Adam, minibatches, mean squared error).
fn nn_trained(
    ae: &nn::Autoencoder,
    x: &Matrix,
    epochs: usize,
    batch: usize,
    lr: f64,
    seed: u64,
) -> nn::Autoencoder {
    let mut ae = ae.clone();
    let cfg = nn::TrainConfig {
        schedule: nn::Schedule {
            epochs,
            batch_size: Some(batch),
            seed,
            ..Default::default()
        },
        loss: nn::Loss::MeanSquared,
        engine: nn::Engine::Tape,
        ..Default::default()
    };
    ae.train(x, &mut nn::Adam::new(lr), &cfg).unwrap();
    ae
}

proptest! {
    #![proptest_config(config())]

    /// (`nn.sgd`): the same parameters as nn's training loop with Adam, epoch for epoch.
    #[test]
    fn training_matches_nn(
        (x, batch) in (3usize..16, 2usize..5).prop_flat_map(|(n, d)| (matrix_of(n, d, 1.0), 1..=n)),
        hidden in 1usize..4, acts in proptest::collection::vec(activation(), 2),
        epochs in 1usize..4, lr in 1e-3..0.1f64, seed in 0u64..1000,
    ) {
        let d = x.ncols();
        let ae = nn::Autoencoder::new(&[d, hidden], &acts[..1], &[hidden, d], &acts[1..], seed);
        let want = nn_trained(&ae, &x, epochs, batch, lr, seed);
        let mut layers = layers_of(&ae.net);
        let history = ex41_ae_training::train(&mut layers, &x, epochs, batch, lr, seed);
        prop_assert!(history.len() == epochs, "{} losses for {epochs} epochs", history.len());
        for (l, (got, w)) in layers.iter().zip(layers_of(&want.net)).enumerate() {
            // Each Adam step moves a parameter by at most about lr; the gradients agree to
            // rounding (the same tape), so the parameters agree far below that.
            let tol = 1e-9 * (1.0 + w.w.max_abs());
            close(&format!("W of layer {} after {epochs} epochs (batch {batch}, lr {lr})", l + 1), &got.w, &w.w, tol)?;
            close(&format!("b of layer {} after {epochs} epochs (batch {batch}, lr {lr})", l + 1), &got.b, &w.b, tol)?;
        }
    }

    /// (`nn.sgd`): with one batch of all the data, the first epoch's loss is the mean squared
    /// error of the untrained network.
    #[test]
    fn first_loss_is_the_untrained_error(x in matrix(2..12, 2..5, 1.0), seed in 0u64..1000) {
        let d = x.ncols();
        let ae = nn::Autoencoder::new(&[d, 2], &[Tanh], &[2, d], &[Identity], seed);
        let mut layers = layers_of(&ae.net);
        let history = ex41_ae_training::train(&mut layers, &x, 1, x.nrows(), 0.01, seed);
        // A sum of N·D squares in another order: N·D ε relative.
        close_scalar("the first epoch's loss", history[0], ae.mse(&x), 8.0 * (x.nrows() * d) as f64 * EPS * (1.0 + ae.mse(&x)))?;
    }
}
