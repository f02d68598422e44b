//! Exercise 34 · the reparameterisation trick and its backward pass (`nn.vae.elbo`).
//!
//! Task: the VAE samples z ~ N(μ, diag σ²) as z = μ + σ ⊙ ε with σ = e^{ℓ/2} (ℓ = log σ²) and ε
//! a fixed standard-normal draw, so that z is a differentiable function of μ and ℓ. Given μ, ℓ,
//! ε and the upstream gradient Z̄ = ∂L/∂z (all the same shape), return z, ∂L/∂μ = Z̄ and
//! ∂L/∂ℓ = Z̄ ⊙ ½ σ ⊙ ε.
//!
//! Claim: `nn.vae.elbo`. Notes: lectures/notes/02-autodiff.md, section
//! "Every operation and its vector–Jacobian product".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// The sample and its backward pass.
pub struct Reparameterized {
    /// z = μ + e^{ℓ/2} ⊙ ε.
    pub z: Matrix,
    /// ∂L/∂μ.
    pub grad_mu: Matrix,
    /// ∂L/∂ℓ.
    pub grad_logvar: Matrix,
}

/// z = μ + e^{ℓ/2} ⊙ ε, with ∂L/∂μ and ∂L/∂ℓ from Z̄ (`nn.vae.elbo`).
pub fn reparameterize(mu: &Matrix, logvar: &Matrix, eps: &Matrix, g: &Matrix) -> Reparameterized {
    todo!("return z = μ + e^{{ℓ/2}} ⊙ ε and the gradients that flow back to μ and ℓ when z receives Z̄")
}
