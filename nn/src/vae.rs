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

use crate::{Activation, Adam, Gradients, Loss, Minibatches, Mlp, Optimizer, Workspace};
use linalg::{standard_normal, Matrix, SeededRng};
use std::fmt;

/// KL(N(μ, diag e^ℓ) || N(0, I)) = ½ Σ_j (μ_j² + e^{ℓ_j} - ℓ_j - 1), ℓ = log σ²
/// (`nn.vae.elbo`). Each term is ≥ 0 (e^ℓ ≥ 1 + ℓ and μ² ≥ 0), with equality exactly at
/// μ_j = 0, ℓ_j = 0 (σ_j = 1). `exp_m1` keeps e^ℓ - ℓ - 1 accurate for small ℓ.
///
/// ```
/// assert_eq!(nn::vae::gaussian_kl(&[0.0, 0.0], &[0.0, 0.0]), 0.0);
/// assert!((nn::vae::gaussian_kl(&[1.0], &[0.0]) - 0.5).abs() < 1e-15);
/// ```
///
/// # Panics
/// If the lengths differ.
#[track_caller]
pub fn gaussian_kl(mu: &[f64], logvar: &[f64]) -> f64 {
    assert_eq!(
        mu.len(),
        logvar.len(),
        "gaussian_kl: {} means and {} log-variances",
        mu.len(),
        logvar.len()
    );
    0.5 * mu
        .iter()
        .zip(logvar)
        .map(|(&m, &l)| m * m + (l.exp_m1() - l))
        .sum::<f64>()
}

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
#[derive(Debug, Clone, Copy, PartialEq)]
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

/// Training stopped on a non-finite loss.
#[derive(Debug, Clone, PartialEq)]
pub struct VaeDiverged {
    /// Epoch (1-based).
    pub epoch: usize,
    /// The value.
    pub value: f64,
}

impl fmt::Display for VaeDiverged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "VAE training diverged: loss {} in epoch {}; lower the learning rate",
            self.value, self.epoch
        )
    }
}

impl std::error::Error for VaeDiverged {}

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
                    kl += mu * mu + (l.exp_m1() - l);
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

    /// One update from the batch `x` with fresh noise from `g`; returns the loss before it.
    ///
    /// # Panics
    /// If the shapes do not fit.
    #[track_caller]
    pub fn step(
        &mut self,
        x: &Matrix,
        opt: &mut dyn Optimizer,
        g: &mut SeededRng,
        buf: &mut VaeStepBuffers,
    ) -> VaeLoss {
        let d = self.latent_dim();
        if buf.eps.shape() != (x.nrows(), d) {
            buf.eps.resize_zeroed(x.nrows(), d);
        }
        buf.eps
            .as_mut_slice()
            .iter_mut()
            .for_each(|e| *e = standard_normal(g));
        let l = self.loss_and_gradient(x, &buf.eps, &mut buf.ws, &mut buf.grads);
        let mut gs = buf.grads.encoder.slices();
        gs.extend(buf.grads.decoder.slices());
        opt.step(&mut self.param_slices_mut(), &gs);
        l
    }

    /// Minibatch training with Adam at learning rate `lr` for `epochs` epochs of batches of
    /// `batch` rows; the batch order and ε come from `seed`. Returns the per-epoch mean of the
    /// batch losses (weighted by batch size).
    ///
    /// # Errors
    /// [`VaeDiverged`] at the first non-finite epoch loss.
    ///
    /// # Panics
    /// If `x.ncols() != D` or `batch == 0`.
    #[track_caller]
    pub fn train_adam(
        &mut self,
        x: &Matrix,
        lr: f64,
        epochs: usize,
        batch: usize,
        seed: u64,
    ) -> Result<Vec<VaeLoss>, VaeDiverged> {
        let mut opt = Adam::new(lr);
        let mut sched = Minibatches::new(x.nrows(), batch, seed);
        let mut g = linalg::rng(seed.wrapping_add(0x5eed));
        let mut buf = VaeStepBuffers::new(self, batch);
        let mut history = Vec::with_capacity(epochs);
        for epoch in 1..=epochs {
            let l = self.run_epoch(x, &sched.next_epoch(), &mut opt, &mut g, &mut buf);
            if !l.total.is_finite() {
                return Err(VaeDiverged {
                    epoch,
                    value: l.total,
                });
            }
            history.push(l);
        }
        Ok(history)
    }

    /// One epoch over `batches` (index lists into x's rows): the mean batch loss weighted by
    /// batch size.
    ///
    /// # Panics
    /// If the shapes do not fit or an index is out of range.
    #[track_caller]
    pub fn run_epoch(
        &mut self,
        x: &Matrix,
        batches: &[Vec<usize>],
        opt: &mut dyn Optimizer,
        g: &mut SeededRng,
        buf: &mut VaeStepBuffers,
    ) -> VaeLoss {
        let mut sum = VaeLoss {
            reconstruction: 0.0,
            kl: 0.0,
            total: 0.0,
        };
        let mut n = 0usize;
        for idx in batches {
            if buf.xb.shape() != (idx.len(), x.ncols()) {
                buf.xb.resize_zeroed(idx.len(), x.ncols());
            }
            for (row, &i) in buf
                .xb
                .as_mut_slice()
                .chunks_exact_mut(x.ncols().max(1))
                .zip(idx)
            {
                row.copy_from_slice(x.row(i));
            }
            let xb = std::mem::replace(&mut buf.xb, Matrix::zeros(0, 0));
            let l = self.step(&xb, opt, g, buf);
            buf.xb = xb;
            let w = idx.len() as f64;
            sum.reconstruction += w * l.reconstruction;
            sum.kl += w * l.kl;
            sum.total += w * l.total;
            n += idx.len();
        }
        let n = n.max(1) as f64;
        VaeLoss {
            reconstruction: sum.reconstruction / n,
            kl: sum.kl / n,
            total: sum.total / n,
        }
    }
}

/// Buffers reused by every [`Vae::step`].
#[derive(Debug, Clone)]
pub struct VaeStepBuffers {
    ws: VaeWorkspace,
    grads: VaeGradients,
    eps: Matrix,
    xb: Matrix,
}

impl VaeStepBuffers {
    /// Buffers for `vae` and batches of `batch` rows.
    pub fn new(vae: &Vae, batch: usize) -> Self {
        VaeStepBuffers {
            ws: vae.workspace(batch),
            grads: vae.zero_gradients(),
            eps: Matrix::zeros(batch, vae.latent_dim()),
            xb: Matrix::zeros(batch, vae.input_dim()),
        }
    }
}
