//! Exercise 40 · project "your own autoencoder on the tape", step 2 of 4: the network's
//! forward pass, recorded on the autodiff tape (`nn.backprop`).
//!
//! Task: record the multilayer perceptron X⁰ = X, Xˡ = f_l(Xˡ⁻¹ Wˡ + 1 bˡ) on `tape`, one
//! layer of `layers` after the other, so that one `tape.backward` gives the gradient of any
//! loss built on the output with respect to every weight and bias. Bind each layer's W and b
//! as parameters of the tape (`tape.param`) and return the output variable and, per layer,
//! the variables of (W, b), so that the caller can read their gradients. The tape's own
//! operations run the VJPs of step 39 backwards.
//!
//! Claim: `nn.backprop`. Notes: lectures/notes/05-neural-networks.md, sections "The network"
//! and "`nn.backprop`: the four lines of the backward pass"; the tape:
//! lectures/notes/02-autodiff.md, section "The tape".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use autodiff::{Tape, Var};
use linalg::Matrix;
pub use nn::Activation;

/// One dense layer: X ↦ f(X W + 1 b).
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// W, n_in × n_out.
    pub w: Matrix,
    /// b as a 1 × n_out row.
    pub b: Matrix,
    /// f.
    pub activation: Activation,
}

/// Record the forward pass of `x` through `layers` on `tape`; returns the output and the
/// (W, b) variables of every layer, in order (`nn.backprop`).
pub fn forward(tape: &mut Tape, x: Var, layers: &[Layer]) -> (Var, Vec<(Var, Var)>) {
    todo!("record the network's forward pass on the tape; return the output and every layer's (W, b) variables")
}
