//! Exercise 33 · the Gaussian KL of the VAE and its gradient (`nn.vae.elbo`).
//!
//! Task: for the encoder's means μ and log-variances ℓ = log σ² (same shape: batch × latent),
//! return KL(N(μ, diag e^ℓ) ‖ N(0, I)) = ½ Σ_ij (μ_ij² + e^{ℓ_ij} − ℓ_ij − 1), summed over
//! every entry, and its gradients ∂KL/∂μ = μ and ∂KL/∂ℓ = ½ (e^ℓ − 1).
//!
//! Claim: `nn.vae.elbo`. Notes: lectures/notes/02-autodiff.md, section
//! "Every operation and its vector–Jacobian product" (the `gaussian_kl` row).

use linalg::Matrix;

/// (KL, ∂KL/∂μ, ∂KL/∂ℓ) (`nn.vae.elbo`).
pub fn gaussian_kl(mu: &Matrix, logvar: &Matrix) -> (f64, Matrix, Matrix) {
    // BEGIN SOLUTION: return the KL divergence of N(μ, e^ℓ) from N(0, 1), summed over all entries, and its gradients with respect to μ and ℓ
    let kl = 0.5
        * mu.as_slice()
            .iter()
            .zip(logvar.as_slice())
            .map(|(m, l)| m * m + l.exp() - l - 1.0)
            .sum::<f64>();
    (kl, mu.clone(), logvar.map(|l| 0.5 * l.exp_m1()))
    // END SOLUTION
}
