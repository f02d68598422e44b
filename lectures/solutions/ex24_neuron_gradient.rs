//! Exercise 24 · the gradient of the tanh neuron's loss (`nn.neuron.tanh`).
//!
//! Task: for the neuron ŷ = tanh(w₀ + w₁ x₁ + w₂ x₂), points x_i (rows of the N×2 matrix X)
//! with labels y_i ∈ {−1, +1} and the loss L = Σ_i (y_i − ŷ_i)², return
//! ∇_w L = Σ_i −2 (y_i − ŷ_i)(1 − ŷ_i²) (1, x_i1, x_i2).
//!
//! Claim: `nn.neuron.tanh`. Notes: lectures/notes/05-neural-networks.md, section
//! "`nn.neuron.tanh`: one neuron, one line".

use linalg::Matrix;

/// ∇_w L for the tanh neuron with weights (w₀, w₁, w₂) (`nn.neuron.tanh`).
pub fn neuron_gradient(w: [f64; 3], x: &Matrix, y: &[f64]) -> [f64; 3] {
    // BEGIN SOLUTION: return the gradient of the neuron's squared loss with respect to (w₀, w₁, w₂)
    let mut g = [0.0; 3];
    for (xi, &yi) in x.rows().zip(y) {
        let yhat = (w[0] + w[1] * xi[0] + w[2] * xi[1]).tanh();
        let factor = -2.0 * (yi - yhat) * (1.0 - yhat * yhat);
        g[0] += factor;
        g[1] += factor * xi[0];
        g[2] += factor * xi[1];
    }
    g
    // END SOLUTION
}
