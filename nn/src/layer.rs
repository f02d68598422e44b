//! A dense (fully connected) layer and its hand-written backward pass (`nn.backprop`).
//!
//! # Index convention
//!
//! Samples are rows. Layer ℓ (ℓ = 1, ..., L) maps the previous layer's output X^{ℓ-1}
//! (batch × n_{ℓ-1}; X^0 is the input) to
//!
//! ```text
//! Z^ℓ = X^{ℓ-1} W^ℓ + 1 b^ℓ      W^ℓ: n_{ℓ-1} × n_ℓ, b^ℓ: a row of n_ℓ biases, 1: a column of ones
//! X^ℓ = f(Z^ℓ)                   f applied entry by entry
//! ```
//!
//! Given ∇_{X^ℓ} L (same shape as X^ℓ), the backward pass of layer ℓ is
//!
//! ```text
//! Δ^ℓ           = ∇_{X^ℓ} L ⊙ f'(Z^ℓ)
//! ∇_{W^ℓ} L     = (X^{ℓ-1})^T Δ^ℓ
//! ∇_{b^ℓ} L     = 1^T Δ^ℓ          (column sums of Δ^ℓ)
//! ∇_{X^{ℓ-1}} L = Δ^ℓ (W^ℓ)^T
//! ```
//!
//! The lecture's transcript writes ∇_{W^L} L = (X^{L+1})^T Δ^{L+1}: its superscripts are shifted
//! by one (it numbers a weight matrix by the layer it leaves, the activations by the layer they
//! enter). The mathematics is the same; the convention above numbers W^ℓ, b^ℓ, Z^ℓ, X^ℓ, Δ^ℓ
//! all by the layer that computes them.

use crate::{Activation, Init};
use linalg::{Matrix, SeededRng};

/// A dense layer X ↦ f(X W + 1 b).
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// The weights W, n_in × n_out (one column per output unit).
    pub w: Matrix,
    /// The biases b, one per output unit.
    pub b: Vec<f64>,
    /// The activation f.
    pub activation: Activation,
}

/// The gradient of a loss with respect to one layer's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseGrad {
    /// ∇_W L, same shape as W.
    pub w: Matrix,
    /// ∇_b L, one entry per output unit.
    pub b: Vec<f64>,
}

impl DenseGrad {
    /// Zero gradients for a layer of the given shape.
    pub fn zeros(n_in: usize, n_out: usize) -> Self {
        DenseGrad {
            w: Matrix::zeros(n_in, n_out),
            b: vec![0.0; n_out],
        }
    }
}

impl Dense {
    /// A layer with weights drawn from `init` (biases 0).
    pub fn new(
        n_in: usize,
        n_out: usize,
        activation: Activation,
        init: Init,
        g: &mut SeededRng,
    ) -> Self {
        Dense {
            w: init.weights(n_in, n_out, g),
            b: vec![0.0; n_out],
            activation,
        }
    }

    /// A layer from given weights and biases.
    ///
    /// # Panics
    /// If `b.len() != w.ncols()`.
    #[track_caller]
    pub fn from_parts(w: Matrix, b: Vec<f64>, activation: Activation) -> Self {
        assert_eq!(
            b.len(),
            w.ncols(),
            "Dense::from_parts: {} biases for a {}x{} weight matrix",
            b.len(),
            w.nrows(),
            w.ncols()
        );
        Dense { w, b, activation }
    }

    /// Number of inputs n_{ℓ-1}.
    pub fn n_in(&self) -> usize {
        self.w.nrows()
    }

    /// Number of outputs n_ℓ.
    pub fn n_out(&self) -> usize {
        self.w.ncols()
    }

    /// X^ℓ = f(X^{ℓ-1} W + 1 b) as a new matrix.
    ///
    /// # Panics
    /// If `x.ncols() != n_in()`.
    #[track_caller]
    pub fn forward(&self, x: &Matrix) -> Matrix {
        let mut out = Matrix::zeros(x.nrows(), self.n_out());
        self.forward_into(x, &mut out);
        out
    }

    /// `out = f(x W + 1 b)`, reusing `out`'s storage. Z^ℓ is computed in `out` and overwritten
    /// by X^ℓ = f(Z^ℓ): backprop needs only f'(Z^ℓ), which tanh, sigmoid and relu give from X^ℓ.
    ///
    /// # Panics
    /// If `x.ncols() != n_in()` or `out` is not `x.nrows() x n_out()`.
    #[track_caller]
    pub fn forward_into(&self, x: &Matrix, out: &mut Matrix) {
        // Z = X W
        x.matmul_into(&self.w, out);
        // Z += 1 b  (b added to every row)
        for row in out.as_mut_slice().chunks_exact_mut(self.b.len().max(1)) {
            linalg::axpy(1.0, &self.b, row);
        }
        // X = f(Z)
        self.activation.apply_in_place(out);
    }

    /// The backward pass of this layer, following `nn.backprop` line by line.
    ///
    /// Inputs: `x_prev` = X^{ℓ-1}, `x_out` = X^ℓ (from the forward pass) and `grad` = ∇_{X^ℓ} L.
    /// On return `grad` holds Δ^ℓ, `grads` holds ∇_{W^ℓ} L and ∇_{b^ℓ} L (overwritten, not
    /// accumulated), and `grad_x_prev`, if given, holds ∇_{X^{ℓ-1}} L. Allocation-free.
    ///
    /// # Panics
    /// If any shape disagrees with the layer and the batch size.
    #[track_caller]
    pub fn backward(
        &self,
        x_prev: &Matrix,
        x_out: &Matrix,
        grad: &mut Matrix,
        grads: &mut DenseGrad,
        grad_x_prev: Option<&mut Matrix>,
    ) {
        // Δ^ℓ = ∇_{X^ℓ} L ⊙ f'(Z^ℓ)             (f'(Z^ℓ) from X^ℓ = f(Z^ℓ))
        self.activation.mul_derivative_from_output(x_out, grad);
        let delta: &Matrix = grad;
        // ∇_{W^ℓ} L = (X^{ℓ-1})^T Δ^ℓ
        grads.w.as_mut_slice().fill(0.0);
        grads.w.add_tr_matmul(x_prev, delta);
        // ∇_{b^ℓ} L = 1^T Δ^ℓ
        grads.b.fill(0.0);
        for row in delta.rows() {
            linalg::axpy(1.0, row, &mut grads.b);
        }
        // ∇_{X^{ℓ-1}} L = Δ^ℓ (W^ℓ)^T
        if let Some(gx) = grad_x_prev {
            gx.as_mut_slice().fill(0.0);
            gx.add_matmul_tr(delta, &self.w);
        }
    }
}
