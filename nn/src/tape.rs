//! The same network on the `autodiff` tape: the forward pass recorded node by node, the
//! gradient from the tape's reverse sweep instead of the hand-written formulas of
//! [`crate::layer`] (`nn.backprop`: the two agree, and both agree with finite differences).
//!
//! Layer ℓ is recorded as three nodes, the same three lines as the hand-written forward pass:
//! `matmul(X^{ℓ-1}, W^ℓ)`, `add_row_broadcast(·, b^ℓ)`, then the activation. The tape's
//! vector–Jacobian products of these nodes are exactly Δ^ℓ, (X^{ℓ-1})ᵀΔ^ℓ, 1ᵀΔ^ℓ and Δ^ℓ(W^ℓ)ᵀ.

use crate::{Activation, Gradients, Loss, Mlp};
use autodiff::{AutodiffError, Tape, Var};
use linalg::Matrix;

/// A tape plus the 1 x n bias rows copied onto it, reused across steps (after the first step
/// nothing is allocated).
#[derive(Default)]
pub struct TapeWorkspace {
    /// The tape; cleared at the start of every [`Mlp::loss_and_gradient_tape`].
    pub tape: Tape,
    bias_rows: Vec<Matrix>,
}

impl std::fmt::Debug for TapeWorkspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TapeWorkspace {{ {} nodes }}", self.tape.len())
    }
}

impl TapeWorkspace {
    /// An empty workspace.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The tape variables of one layer's parameters.
#[derive(Debug, Clone, Copy)]
pub struct LayerVars {
    /// W^ℓ.
    pub w: Var,
    /// b^ℓ as a 1 x n row.
    pub b: Var,
}

impl Mlp {
    /// Record the forward pass of `x` (a tape variable) on `tape`, binding every weight and
    /// bias as a parameter (biases as the 1 x n rows in `bias_rows`, which must hold the
    /// current biases). Returns X^L and the parameter variables.
    ///
    /// # Panics
    /// If the shapes do not fit the network.
    #[track_caller]
    pub fn forward_tape(
        &self,
        tape: &mut Tape,
        x: Var,
        bias_rows: &[Matrix],
    ) -> (Var, Vec<LayerVars>) {
        let mut a = x;
        let mut vars = Vec::with_capacity(self.layers.len());
        for (layer, b_row) in self.layers.iter().zip(bias_rows) {
            let w = tape.param(&layer.w);
            let b = tape.param(b_row);
            // Z^ℓ = X^{ℓ-1} W^ℓ + 1 b^ℓ
            let z = tape.matmul(a, w);
            let z = tape.add_row_broadcast(z, b);
            // X^ℓ = f(Z^ℓ)
            a = match layer.activation {
                Activation::Identity => z,
                Activation::Tanh => tape.tanh(z),
                Activation::Sigmoid => tape.sigmoid(z),
                Activation::Relu => tape.relu(z),
            };
            vars.push(LayerVars { w, b });
        }
        (a, vars)
    }

    /// The loss on (x, y) and its gradient with respect to every weight and bias, written into
    /// `grads`, computed on the autodiff tape (the counterpart of [`Mlp::loss_and_gradient`];
    /// `nn.backprop`: the two agree to rounding).
    ///
    /// # Errors
    /// The tape's [`AutodiffError`] when the loss or a gradient is NaN or infinite.
    ///
    /// # Panics
    /// If the shapes do not fit the network.
    #[track_caller]
    pub fn loss_and_gradient_tape(
        &self,
        x: &Matrix,
        y: &Matrix,
        loss: Loss,
        tw: &mut TapeWorkspace,
        grads: &mut Gradients,
    ) -> Result<f64, AutodiffError> {
        // Copy the biases into 1 x n rows (kept between steps).
        tw.bias_rows
            .resize_with(self.layers.len(), || Matrix::zeros(0, 0));
        for (row, layer) in tw.bias_rows.iter_mut().zip(&self.layers) {
            if row.shape() != (1, layer.b.len()) {
                row.resize_zeroed(1, layer.b.len());
            }
            row.as_mut_slice().copy_from_slice(&layer.b);
        }
        let tape = &mut tw.tape;
        tape.clear();
        let xv = tape.constant(x);
        let yv = tape.constant(y);
        let (out, vars) = self.forward_tape(tape, xv, &tw.bias_rows);
        let se = tape.squared_error(out, yv);
        let l = match loss {
            Loss::SumSquared => se,
            Loss::MeanSquared => tape.scale(se, 1.0 / (y.nrows() * y.ncols()).max(1) as f64),
        };
        tape.backward(l)?;
        for (g, v) in grads.layers.iter_mut().zip(&vars) {
            g.w.as_mut_slice()
                .copy_from_slice(tape.grad(v.w).as_slice());
            g.b.copy_from_slice(tape.grad(v.b).as_slice());
        }
        Ok(tape.scalar(l))
    }
}
