//! # nn: neural networks from scratch, on `linalg`
//!
//! The notes' chapter `lectures/notes/05-neural-networks.md` explains the mathematics; every
//! item that implements a claim names its id.
//!
//! | module | what | claims |
//! |---|---|---|
//! | [`neuron`] | the lecture's single tanh neuron and separable 2-D data | `nn.neuron.tanh` |
//! | [`activation`] | identity, tanh, sigmoid, relu and their derivatives | |
//! | [`init`] | Xavier/Glorot and He initialisation, seeded | |
//! | [`layer`] | a dense layer, its forward pass and hand-written backward pass | `nn.backprop` |
//! | [`network`] | [`Mlp`]: a stack of layers, forward with cached activations, backward | `nn.backprop` |
//! | [`tape`] | the same network recorded on the `autodiff` tape | `nn.backprop` |
//! | [`loss`] | squared error, summed or averaged (stated) | |
//! | [`optim`] | GD, momentum, Adam; the SGD minibatch schedule | `nn.gd`, `nn.sgd` |
//! | [`regularize`] | L1 (proximal), L2 (weight decay), elastic net | `nn.regularization` |
//! | [`train`](mod@train) | the one training loop of every model: minibatches, history, early stopping, divergence guard, `Epoch` events | `nn.gd`, `nn.sgd` |
//! | [`linear_ae`] | the linear autoencoder, its optimal code, trace form, and what GD finds | `nn.lae.optimal-code`, `nn.lae.trace`, `nn.lae.training` |
//! | [`autoencoder`] | the deep autoencoder: encoder and decoder stacks in one [`Mlp`] | `nn.ae.loss` |
//! | [`vae`] | the variational autoencoder: reparameterised sampling, closed-form KL | `nn.vae.elbo` |
//! | [`model_io`] | model files: the network, its data scaling and training record, versioned JSON | |
//!
//! Data are matrices with one sample per row; layer ℓ computes Z^ℓ = X^{ℓ-1} W^ℓ + 1 b^ℓ and
//! X^ℓ = f(Z^ℓ) (see [`layer`] for the index convention).
//!
//! ```
//! use linalg::Matrix;
//! use nn::{Activation::*, Loss, Mlp};
//! let net = Mlp::new(&[3, 5, 2], &[Tanh, Identity], 42);
//! let x = Matrix::random_normal(4, 3, 1);
//! let y = net.forward(&x);
//! assert_eq!(y.shape(), (4, 2));
//! // The gradient of the loss with respect to every weight and bias, by backprop:
//! let mut ws = net.workspace(4);
//! let mut grads = net.zero_gradients();
//! let target = Matrix::zeros(4, 2);
//! let l = net.loss_and_gradient(&x, &target, Loss::SumSquared, &mut ws, &mut grads);
//! assert_eq!(l, Loss::SumSquared.value(&y, &target));
//! ```
#![forbid(unsafe_code)]

pub mod activation;
pub mod autoencoder;
pub mod init;
pub mod layer;
pub mod linear_ae;
pub mod loss;
pub mod model_io;
pub mod network;
pub mod neuron;
pub mod optim;
pub mod regularize;
pub mod tape;
pub mod train;
pub mod vae;

pub use activation::{sigmoid, Activation};
pub use autoencoder::Autoencoder;
pub use init::Init;
pub use layer::{Dense, DenseGrad};
pub use linear_ae::{LaeConfig, LinearAutoencoder, Start};
pub use loss::Loss;
pub use model_io::{Model, ModelFile, ModelIoError, Scaling, Training};
pub use network::{Gradients, Mlp, Workspace};
pub use neuron::{separable_points, TanhNeuron, BLUE, GREEN};
pub use optim::{Adam, Gd, Minibatches, Momentum, Optimizer};
pub use regularize::{soft_threshold, Penalty};
pub use tape::{LayerVars, TapeWorkspace};
pub use train::{
    fit, fit_observed, run_epoch, step, train, train_observed, Backprop, Batch, BatchBuffers,
    Diverged, EarlyStopping, Engine, Epoch, History, MlpTrainer, NonFinite, Objective, Schedule,
    StepError, TrainConfig, TrainError, Trainable,
};
pub use vae::{Vae, VaeLoss};
