//! The variational autoencoder (`nn.vae.elbo`).
//!
//! # The model
//!
//! A prior p(y) = N(0, I) on the d-dimensional code and a Gaussian decoder
//! p_φ(x | y) = N(f_φ(y), s² I). Maximum likelihood of the data needs log p(x) = log ∫ p(x|y)
//! p(y) dy, which has no closed form; the encoder q_θ(y | x) = N(μ_θ(x), diag σ_θ²(x)) gives
//! the lower bound (ELBO)
//!
//! ```text
//! log p(x) ≥ E_{y~q}[log p_φ(x | y)] - KL(q_θ(y|x) || N(0, I))
//! KL = ½ Σ_j (μ_j² + σ_j² - log σ_j² - 1)                      (closed form, ≥ 0)
//! ```
//!
//! The KL is between the encoder's posterior q_θ(y|x) and the prior (the lecture's
//! transcript wrote it on the decoder; the standard formulation puts it on the encoder).
//!
//! # The loss we minimise, and its variance convention
//!
//! -log p_φ(x|y) = ||x - f_φ(y)||² / (2s²) + const. Multiplying the negative ELBO by 2s²,
//! per sample:
//!
//! ```text
//! ℓ(x) = ||x - f_φ(y)||² + β · ½ Σ_j (μ_j² + σ_j² - log σ_j² - 1),   β = 2 s²
//! ```
//!
//! so β = 1 (the default) is the ELBO of a decoder with variance s² = ½, and other β are other
//! decoder variances. A batch's loss is the mean of ℓ over its m samples.
//!
//! # The reparameterisation trick
//!
//! y = μ + σ ⊙ ε with ε ~ N(0, I) drawn outside the network: the randomness no longer depends
//! on θ, so for fixed ε the loss is an ordinary differentiable function of θ and
//! ∂y/∂μ = 1, ∂y/∂(log σ²) = ½ σ ⊙ ε. The encoder's last layer outputs [μ, log σ²] (2d
//! columns, identity activation); predicting log σ² keeps σ² = exp(·) positive without a
//! constraint.

use crate::train::{
    finite_loss, fit_observed, Batch, Epoch, EpochLoss, History, Schedule, StepError, TrainError,
    Trainable,
};
use crate::{Activation, Gradients, Loss, Mlp, Optimizer, Workspace};
use linalg::observe::{Observer, Silent};
use linalg::{standard_normal, Matrix, SeededRng};

/// The closed-form KL of the encoder's Gaussian to the prior (`nn.vae.elbo`), written once in
/// `autodiff` (the tape's `gaussian_kl` node uses the same function).
pub use autodiff::ops::{gaussian_kl, gaussian_kl_term};

/// A Monte-Carlo estimate of the same KL: the mean over `samples` draws y ~ q of
/// log q(y) - log p(y) = Σ_j [-½ ε_j² - ½ ℓ_j + ½ y_j²] with y = μ + σ ε (the log 2π terms
/// cancel), and its standard error (sample standard deviation / sqrt(samples)).
///
/// # Panics
/// If the lengths differ or `samples < 2`.
#[track_caller]
pub fn gaussian_kl_monte_carlo(
    mu: &[f64],
    logvar: &[f64],
    samples: usize,
    seed: u64,
) -> (f64, f64) {
    assert_eq!(
        mu.len(),
        logvar.len(),
        "gaussian_kl_monte_carlo: lengths differ"
    );
    assert!(
        samples >= 2,
        "gaussian_kl_monte_carlo: need 2 samples, got {samples}"
    );
    let mut g = linalg::rng(seed);
    let (mut mean, mut m2) = (0.0, 0.0);
    for k in 0..samples {
        let mut v = 0.0;
        for (&m, &l) in mu.iter().zip(logvar) {
            let e = standard_normal(&mut g);
            let y = m + (0.5 * l).exp() * e;
            v += 0.5 * (y * y - e * e - l);
        }
        // Welford's update: no cancellation in the variance.
        let delta = v - mean;
        mean += delta / (k + 1) as f64;
        m2 += delta * (v - mean);
    }
    let var = m2 / (samples - 1) as f64;
    (mean, (var / samples as f64).sqrt())
}

/// A VAE: encoder x ↦ [μ, log σ²] (2d outputs) and decoder y ↦ x̂.
#[derive(Debug, Clone, PartialEq)]
pub struct Vae {
    /// D → ... → 2d, identity last layer: columns 0..d are μ, d..2d are log σ².
    pub encoder: Mlp,
    /// d → ... → D.
    pub decoder: Mlp,
    /// β = 2 s², the weight of the KL (1: the ELBO with decoder variance ½).
    pub beta: f64,
}

/// ∇ of a batch loss with respect to both networks.
#[derive(Debug, Clone, PartialEq)]
pub struct VaeGradients {
    /// Encoder gradients.
    pub encoder: Gradients,
    /// Decoder gradients.
    pub decoder: Gradients,
}

/// The two parts of a batch loss (each a mean over the batch's samples).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct VaeLoss {
    /// Mean of ||x - x̂||².
    pub reconstruction: f64,
    /// Mean of KL(q(y|x) || N(0, I)).
    pub kl: f64,
    /// reconstruction + β kl: the minimised loss.
    pub total: f64,
}

/// Reusable buffers for [`Vae::loss_and_gradient`].
#[derive(Debug, Clone)]
pub struct VaeWorkspace {
    enc: Workspace,
    dec: Workspace,
    y: Matrix,
    gy: Matrix,
}

impl Vae {
    /// A VAE for D = `input_dim` with hidden widths `hidden` (encoder order; the decoder
    /// mirrors them), code size `latent`, activation `activation` on hidden layers and
    /// `output` on the decoder's last layer (identity for unbounded data, sigmoid for data in
    /// [0, 1]); KL weight β = 1.
    ///
    /// ```
    /// use nn::{Activation::*, Vae};
    /// let vae = Vae::new(64, &[32], 2, Tanh, Identity, 0);
    /// assert_eq!(vae.encoder.output_dim(), 4); // μ and log σ²
    /// ```
    pub fn new(
        input_dim: usize,
        hidden: &[usize],
        latent: usize,
        activation: Activation,
        output: Activation,
        seed: u64,
    ) -> Self {
        let mut enc_sizes = vec![input_dim];
        enc_sizes.extend_from_slice(hidden);
        enc_sizes.push(2 * latent);
        let mut enc_acts = vec![activation; hidden.len()];
        enc_acts.push(Activation::Identity);
        let mut dec_sizes = vec![latent];
        dec_sizes.extend(hidden.iter().rev());
        dec_sizes.push(input_dim);
        let mut dec_acts = vec![activation; hidden.len()];
        dec_acts.push(output);
        Vae {
            encoder: Mlp::new(&enc_sizes, &enc_acts, seed),
            decoder: Mlp::new(&dec_sizes, &dec_acts, seed.wrapping_add(1)),
            beta: 1.0,
        }
    }

    /// Input width D.
    pub fn input_dim(&self) -> usize {
        self.encoder.input_dim()
    }

    /// Code size d.
    pub fn latent_dim(&self) -> usize {
        self.decoder.input_dim()
    }

    /// (μ, log σ²) for each row of x.
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn encode(&self, x: &Matrix) -> (Matrix, Matrix) {
        let h = self.encoder.forward(x);
        let d = self.latent_dim();
        (
            h.submatrix(0, h.nrows(), 0, d),
            h.submatrix(0, h.nrows(), d, 2 * d),
        )
    }

    /// The decoder's means f_φ(y).
    ///
    /// # Panics
    /// If `y.ncols() != d`.
    #[track_caller]
    pub fn decode(&self, y: &Matrix) -> Matrix {
        self.decoder.forward(y)
    }

    /// f_φ(μ(x)): the deterministic reconstruction at the posterior mean.
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn reconstruct(&self, x: &Matrix) -> Matrix {
        self.decode(&self.encode(x).0)
    }

    /// Zero gradients shaped like the networks.
    pub fn zero_gradients(&self) -> VaeGradients {
        VaeGradients {
            encoder: self.encoder.zero_gradients(),
            decoder: self.decoder.zero_gradients(),
        }
    }

    /// Buffers for batches of `batch` rows.
    pub fn workspace(&self, batch: usize) -> VaeWorkspace {
        VaeWorkspace {
            enc: self.encoder.workspace(batch),
            dec: self.decoder.workspace(batch),
            y: Matrix::zeros(batch, self.latent_dim()),
            gy: Matrix::zeros(batch, self.latent_dim()),
        }
    }

    /// The batch loss at fixed noise ε (m x d) and its gradient (`nn.vae.elbo`), by hand:
    ///
    /// ```text
    /// forward:  [μ, ℓ] = enc(X),  σ = e^{ℓ/2},  Y = μ + σ ⊙ ε,  X̂ = dec(Y)
    ///           L = (1/m) [ ||X̂ - X||² + β ½ Σ (μ² + e^ℓ - ℓ - 1) ]
    /// backward: ∇_X̂ = (2/m)(X̂ - X) → decoder backward → ∇_Y
    ///           ∇_μ = ∇_Y + (β/m) μ,   ∇_ℓ = ∇_Y ⊙ ε ⊙ σ/2 + (β/m) ½ (e^ℓ - 1)
    ///           → encoder backward
    /// ```
    ///
    /// # Panics
    /// If the shapes do not fit.
    #[track_caller]
    pub fn loss_and_gradient(
        &self,
        x: &Matrix,
        eps: &Matrix,
        ws: &mut VaeWorkspace,
        grads: &mut VaeGradients,
    ) -> VaeLoss {
        let (m, d) = (x.nrows(), self.latent_dim());
        assert_eq!(
            eps.shape(),
            (m, d),
            "Vae::loss_and_gradient: noise {:?} for {m} samples and code size {d}",
            eps.shape()
        );
        let inv_m = 1.0 / m.max(1) as f64;
        let beta = self.beta;
        self.encoder.forward_cached(x, &mut ws.enc);
        if ws.y.shape() != (m, d) {
            ws.y.resize_zeroed(m, d);
            ws.gy.resize_zeroed(m, d);
        }
        // Reparameterised sample and the KL, row by row.
        let mut kl = 0.0;
        {
            let h = ws.enc.output();
            for i in 0..m {
                let (hr, er, yr) = (h.row(i), eps.row(i), ws.y.row_mut(i));
                for j in 0..d {
                    let (mu, l) = (hr[j], hr[d + j]);
                    yr[j] = mu + (0.5 * l).exp() * er[j];
                    kl += gaussian_kl_term(mu, l);
                }
            }
        }
        kl *= 0.5;
        // Decoder: ∇_X̂ of Σ||X̂ - X||², then scaled by 1/m.
        self.decoder.forward_cached(&ws.y, &mut ws.dec);
        let last = ws.dec.activations.len() - 1;
        let recon = Loss::SumSquared.value_and_gradient_into(
            &ws.dec.activations[last],
            x,
            &mut ws.dec.grads[last],
        );
        ws.dec.grads[last]
            .as_mut_slice()
            .iter_mut()
            .for_each(|g| *g *= inv_m);
        self.decoder
            .backward_to_input(&ws.y, &mut ws.dec, &mut grads.decoder, Some(&mut ws.gy));
        // Through the sampling step and the KL into the encoder's output gradient.
        let elast = ws.enc.activations.len() - 1;
        {
            let (acts, gs) = (&ws.enc.activations, &mut ws.enc.grads);
            let (h, gh) = (&acts[elast], &mut gs[elast]);
            for i in 0..m {
                let (hr, er, gyr, ghr) = (h.row(i), eps.row(i), ws.gy.row(i), gh.row_mut(i));
                for j in 0..d {
                    let (mu, l) = (hr[j], hr[d + j]);
                    ghr[j] = gyr[j] + beta * inv_m * mu;
                    ghr[d + j] =
                        gyr[j] * er[j] * 0.5 * (0.5 * l).exp() + beta * inv_m * 0.5 * l.exp_m1();
                }
            }
        }
        self.encoder.backward(x, &mut ws.enc, &mut grads.encoder);
        let (reconstruction, kl) = (recon * inv_m, kl * inv_m);
        VaeLoss {
            reconstruction,
            kl,
            total: reconstruction + beta * kl,
        }
    }

    /// The batch loss at fixed ε (no gradient).
    ///
    /// # Panics
    /// If the shapes do not fit.
    #[track_caller]
    pub fn loss(&self, x: &Matrix, eps: &Matrix) -> VaeLoss {
        let mut ws = self.workspace(x.nrows());
        let mut g = self.zero_gradients();
        self.loss_and_gradient(x, eps, &mut ws, &mut g)
    }

    /// All parameters as slices: encoder's (W^1, b^1, ...), then decoder's.
    pub fn param_slices_mut(&mut self) -> Vec<&mut [f64]> {
        let mut v = self.encoder.param_slices_mut();
        v.extend(self.decoder.param_slices_mut());
        v
    }

    /// Train with `opt` as `schedule` says, each epoch reported to `observer`: the training
    /// loop ([`train`](mod@crate::train)) with a [`VaeTrainer`] whose noise ε comes from
    /// `linalg::rng(schedule.seed + 0x5eed)`. The epoch's loss is the mean of its batch losses
    /// (each at its own ε), with the reconstruction and KL parts as the measures.
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
        schedule: &Schedule,
        observer: &mut impl Observer<Epoch<VaeLoss>>,
    ) -> Result<History<VaeLoss>, TrainError> {
        let mut trainer = VaeTrainer::new(self, schedule.seed.wrapping_add(0x5eed));
        fit_observed(&mut trainer, opt, Batch::all(x, None), schedule, observer)
    }

    /// [`Vae::train_observed`] with nobody watching.
    ///
    /// # Errors
    /// As [`Vae::train_observed`].
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn train(
        &mut self,
        x: &Matrix,
        opt: &mut dyn Optimizer,
        schedule: &Schedule,
    ) -> Result<History<VaeLoss>, TrainError> {
        self.train_observed(x, opt, schedule, &mut Silent)
    }
}

/// A VAE in training: the model, the generator of the noise ε and the reused buffers.
#[derive(Debug)]
pub struct VaeTrainer<'a> {
    /// The model being trained.
    pub vae: &'a mut Vae,
    noise: SeededRng,
    ws: VaeWorkspace,
    grads: VaeGradients,
    eps: Matrix,
    /// Size-weighted sums of the epoch's batch losses so far, and their weight.
    sum: VaeLoss,
    rows: usize,
}

impl<'a> VaeTrainer<'a> {
    /// `vae` in training with noise from `linalg::rng(noise_seed)`.
    pub fn new(vae: &'a mut Vae, noise_seed: u64) -> Self {
        VaeTrainer {
            ws: vae.workspace(0),
            grads: vae.zero_gradients(),
            eps: Matrix::zeros(0, vae.latent_dim()),
            noise: linalg::rng(noise_seed),
            vae,
            sum: VaeLoss::default(),
            rows: 0,
        }
    }
}

impl Trainable for VaeTrainer<'_> {
    type Measures = VaeLoss;

    /// None: the loss is an estimate at random ε; the first epoch's mean is the first record.
    fn initial_loss(&mut self, _data: Batch<'_>) -> Result<Option<f64>, StepError> {
        Ok(None)
    }

    /// Fresh noise ε, the loss and gradient at it ([`Vae::loss_and_gradient`]), one step of
    /// `opt` on both networks.
    fn step(&mut self, batch: Batch<'_>, opt: &mut dyn Optimizer) -> Result<f64, StepError> {
        let (x, d) = (batch.inputs, self.vae.latent_dim());
        if self.eps.shape() != (x.nrows(), d) {
            self.eps.resize_zeroed(x.nrows(), d);
        }
        let noise = &mut self.noise;
        (self.eps.as_mut_slice().iter_mut()).for_each(|e| *e = standard_normal(noise));
        let l = self
            .vae
            .loss_and_gradient(x, &self.eps, &mut self.ws, &mut self.grads);
        finite_loss(l.total)?;
        let mut gs = self.grads.encoder.slices();
        gs.extend(self.grads.decoder.slices());
        opt.step(&mut self.vae.param_slices_mut(), &gs);
        let w = x.nrows() as f64;
        self.sum.reconstruction += w * l.reconstruction;
        self.sum.kl += w * l.kl;
        self.sum.total += w * l.total;
        self.rows += x.nrows();
        Ok(l.total)
    }

    /// The epoch's size-weighted means of the batch losses and of their two parts.
    fn end_epoch(&mut self, _data: Batch<'_>, mean: f64) -> Result<EpochLoss<VaeLoss>, StepError> {
        let n = self.rows.max(1) as f64;
        let measures = VaeLoss {
            reconstruction: self.sum.reconstruction / n,
            kl: self.sum.kl / n,
            total: self.sum.total / n,
        };
        (self.sum, self.rows) = (VaeLoss::default(), 0);
        Ok(EpochLoss {
            loss: mean,
            validation_loss: None,
            measures,
        })
    }

    fn params(&self) -> Vec<f64> {
        let mut p = self.vae.encoder.params();
        p.extend(self.vae.decoder.params());
        p
    }

    fn set_params(&mut self, params: &[f64]) {
        let k = self.vae.encoder.num_params();
        self.vae.encoder.set_params(&params[..k]);
        self.vae.decoder.set_params(&params[k..]);
    }
}
