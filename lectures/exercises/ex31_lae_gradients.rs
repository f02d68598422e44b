//! Exercise 31 · training the linear autoencoder by hand (`nn.lae.training`).
//!
//! Task: the gradients of the linear autoencoder's loss L(W, U) = ||X_c − X_c Wᵀ Uᵀ||²_F
//! (encoder W: d×D, decoder U: D×d, rows of the N×D X_c are centred points) with respect to
//! W and U. The tests then train with your gradients by plain gradient descent from a small
//! balanced start (W = Uᵀ) and check where training ends: U W must become the projector onto
//! PCA's subspace, although W and U themselves are not PCA's eigenvectors.
//!
//! Claim: `nn.lae.training`. Notes: lectures/notes/06-autoencoders.md, section
//! "`nn.lae.training`: what gradient descent really finds".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// (∂L/∂W, ∂L/∂U) for L = ||X_c − X_c Wᵀ Uᵀ||²_F, shaped like W and U (`nn.lae.training`).
pub fn lae_gradients(xc: &Matrix, w: &Matrix, u: &Matrix) -> (Matrix, Matrix) {
    todo!("return the gradients of the reconstruction loss with respect to the encoder W and the decoder U")
}
