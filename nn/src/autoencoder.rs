//! The (deep, nonlinear) autoencoder (`nn.ae.loss`): an encoder q_θ: R^D → R^d and a decoder
//! p_φ: R^d → R^D trained to minimise
//!
//! ```text
//! L(θ, φ) = Σ_i ||x_i - p_φ(q_θ(x_i))||²
//! ```
//!
//! Both halves are stacks of dense layers, so the whole autoencoder is one [`Mlp`]
//! x → ... → code → ... → x̂ whose first `code_layer` layers are the encoder: training is the
//! ordinary training loop ([`train`](mod@crate::train)) with the input as its own target,
//! and the hand-written backprop (`nn.backprop`) runs through both halves unchanged.
//!
//! Why it beats PCA on a curved manifold: PCA's reconstructions all lie in a d-dimensional
//! *flat* subspace, so points of a circle projected to a line (d = 1) lose the whole
//! perpendicular coordinate; a nonlinear decoder can bend its d-dimensional image to follow
//! the curve. With linear activations throughout it is the linear autoencoder of
//! [`crate::linear_ae`], whose best is exactly PCA.

use crate::train::{fit_observed, Batch, Epoch, MlpTrainer};
use crate::{Activation, History, Mlp, Optimizer, TrainConfig, TrainError};
use linalg::observe::{Observer, Silent};
use linalg::Matrix;

/// An autoencoder: one [`Mlp`] whose first `code_layer` layers are the encoder.
#[derive(Debug, Clone, PartialEq)]
pub struct Autoencoder {
    /// Encoder and decoder layers, in order.
    pub net: Mlp,
    /// Number of encoder layers; the output of layer `code_layer` is the code.
    pub code_layer: usize,
}

impl Autoencoder {
    /// An autoencoder with encoder widths `encoder` = [D, h_1, ..., d] and decoder widths
    /// `decoder` = [d, ..., D], one activation per layer of each, initialised as [`Mlp::new`]
    /// with `seed`.
    ///
    /// ```
    /// use nn::{Activation::*, Autoencoder};
    /// let ae = Autoencoder::new(&[64, 32, 2], &[Tanh, Tanh], &[2, 32, 64], &[Tanh, Identity], 0);
    /// assert_eq!(ae.code_dim(), 2);
    /// ```
    ///
    /// # Panics
    /// If the code widths or the input/output widths do not match, or an activation count is
    /// wrong.
    #[track_caller]
    pub fn new(
        encoder: &[usize],
        encoder_activations: &[Activation],
        decoder: &[usize],
        decoder_activations: &[Activation],
        seed: u64,
    ) -> Self {
        assert!(
            encoder.len() >= 2
                && decoder.len() >= 2
                && encoder.last() == decoder.first()
                && encoder.first() == decoder.last(),
            "Autoencoder::new: encoder widths {encoder:?} and decoder widths {decoder:?} must \
             meet at the code and start/end at the same input width"
        );
        assert!(
            encoder_activations.len() == encoder.len() - 1
                && decoder_activations.len() == decoder.len() - 1,
            "Autoencoder::new: {} and {} activations for {} encoder and {} decoder layers",
            encoder_activations.len(),
            decoder_activations.len(),
            encoder.len() - 1,
            decoder.len() - 1
        );
        let sizes: Vec<usize> = encoder.iter().chain(&decoder[1..]).copied().collect();
        let acts: Vec<Activation> = encoder_activations
            .iter()
            .chain(decoder_activations)
            .copied()
            .collect();
        Autoencoder {
            net: Mlp::new(&sizes, &acts, seed),
            code_layer: encoder.len() - 1,
        }
    }

    /// Input width D.
    pub fn input_dim(&self) -> usize {
        self.net.input_dim()
    }

    /// Code width d.
    pub fn code_dim(&self) -> usize {
        self.net.layers[self.code_layer - 1].n_out()
    }

    /// Codes q_θ(x), one row per sample.
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn encode(&self, x: &Matrix) -> Matrix {
        assert_eq!(
            x.ncols(),
            self.input_dim(),
            "Autoencoder::encode: data {:?} for input width {}",
            x.shape(),
            self.input_dim()
        );
        let mut h = x.clone();
        for l in &self.net.layers[..self.code_layer] {
            h = l.forward(&h);
        }
        h
    }

    /// Reconstructions p_φ(y) of codes y.
    ///
    /// # Panics
    /// If `y.ncols() != d`.
    #[track_caller]
    pub fn decode(&self, y: &Matrix) -> Matrix {
        assert_eq!(
            y.ncols(),
            self.code_dim(),
            "Autoencoder::decode: codes {:?} for code width {}",
            y.shape(),
            self.code_dim()
        );
        let mut h = y.clone();
        for l in &self.net.layers[self.code_layer..] {
            h = l.forward(&h);
        }
        h
    }

    /// p_φ(q_θ(x)).
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn reconstruct(&self, x: &Matrix) -> Matrix {
        self.net.forward(x)
    }

    /// L = Σ_i ||x_i - p_φ(q_θ(x_i))||² (`nn.ae.loss`).
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn loss(&self, x: &Matrix) -> f64 {
        crate::Loss::SumSquared.value(&self.reconstruct(x), x)
    }

    /// The mean squared reconstruction error per entry, L / (N D) (the number PyTorch's
    /// `MSELoss` and the issue's 0.0524 for PCA report).
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn mse(&self, x: &Matrix) -> f64 {
        crate::Loss::MeanSquared.value(&self.reconstruct(x), x)
    }

    /// Train with the input as its own target: the training loop
    /// ([`train`](mod@crate::train)) with an [`MlpTrainer`] on x and no separate targets, each
    /// epoch reported to `observer`.
    ///
    /// # Errors
    /// As [`crate::train::fit_observed`] (bad data, divergence, a stop by the observer).
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn train_observed(
        &mut self,
        x: &Matrix,
        opt: &mut dyn Optimizer,
        config: &TrainConfig,
        observer: &mut impl Observer<Epoch>,
    ) -> Result<History, TrainError> {
        let mut trainer = MlpTrainer::from_config(&mut self.net, config, x.nrows(), None);
        fit_observed(
            &mut trainer,
            opt,
            Batch::all(x, None),
            &config.schedule,
            observer,
        )
    }

    /// [`Autoencoder::train_observed`] with nobody watching.
    ///
    /// # Errors
    /// As [`Autoencoder::train_observed`].
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn train(
        &mut self,
        x: &Matrix,
        opt: &mut dyn Optimizer,
        config: &TrainConfig,
    ) -> Result<History, TrainError> {
        self.train_observed(x, opt, config, &mut Silent)
    }
}
