//! Exercise 25 · the backward pass of one dense tanh layer (`nn.backprop`).
//!
//! Task: the layer computes X = tanh(Z), Z = X_prev W + 1 bᵀ (a batch of B rows). Given X_prev
//! (B×n_in), W (n_in×n_out), the layer's output X (B×n_out) and the upstream gradient
//! G = ∂L/∂X, return the four quantities of backprop:
//! Δ = G ⊙ (1 − X²)   (tanh' from the output, so Z is not needed),
//! ∇_W L = X_prevᵀ Δ,  ∇_b L = 1ᵀ Δ (column sums),  ∇_{X_prev} L = Δ Wᵀ.
//!
//! Claim: `nn.backprop`. Notes: lectures/notes/05-neural-networks.md, section
//! "`nn.backprop`: the four lines of the backward pass".

use linalg::Matrix;

/// The backward pass of one tanh layer (`nn.backprop`).
pub struct DenseBackward {
    /// Δ = ∂L/∂Z, B×n_out.
    pub delta: Matrix,
    /// ∂L/∂W, n_in×n_out.
    pub grad_w: Matrix,
    /// ∂L/∂b, length n_out.
    pub grad_b: Vec<f64>,
    /// ∂L/∂X_prev, B×n_in.
    pub grad_x_prev: Matrix,
}

/// Δ, ∇_W L, ∇_b L and ∇_{X_prev} L of a tanh layer (`nn.backprop`).
pub fn dense_tanh_backward(
    x_prev: &Matrix,
    w: &Matrix,
    x_out: &Matrix,
    g: &Matrix,
) -> DenseBackward {
    // BEGIN SOLUTION: return Δ and the gradients with respect to W, b and X_prev for this layer
    let delta = g.zip_map(x_out, |gi, xi| gi * (1.0 - xi * xi));
    DenseBackward {
        grad_w: x_prev.tr_matmul(&delta),
        grad_b: (0..delta.ncols())
            .map(|j| delta.col(j).iter().sum())
            .collect(),
        grad_x_prev: delta.matmul_tr(w),
        delta,
    }
    // END SOLUTION
}
