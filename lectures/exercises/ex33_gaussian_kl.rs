//! Exercise 33 · the Gaussian KL of the VAE and its gradient (`nn.vae.elbo`).
//!
//! Task: for the encoder's means μ and log-variances ℓ = log σ² (same shape: batch × latent),
//! return KL(N(μ, diag e^ℓ) ‖ N(0, I)) = ½ Σ_ij (μ_ij² + e^{ℓ_ij} − ℓ_ij − 1), summed over
//! every entry, and its gradients ∂KL/∂μ = μ and ∂KL/∂ℓ = ½ (e^ℓ − 1).
//!
//! Claim: `nn.vae.elbo`. Notes: lectures/notes/02-autodiff.md, section
//! "Every operation and its vector–Jacobian product" (the `gaussian_kl` row).
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// (KL, ∂KL/∂μ, ∂KL/∂ℓ) (`nn.vae.elbo`).
pub fn gaussian_kl(mu: &Matrix, logvar: &Matrix) -> (f64, Matrix, Matrix) {
    todo!("return the KL divergence of N(μ, e^ℓ) from N(0, 1), summed over all entries, and its gradients with respect to μ and ℓ")
}
