//! The lecture's single neuron (`nn.neuron.tanh`): two inputs, a bias, tanh.
//!
//! ŷ = tanh(w₀ x₀ + w₁ x₁ + w₂ x₂) with x₀ = 1, so w₀ is the bias. Labels: blue = -1,
//! green = +1. Loss: L = Σ_i (y_i - ŷ_i)² (a sum over the samples). With the net input
//! s_i = w · (1, x_i1, x_i2) and tanh' = 1 - tanh², the chain rule gives
//!
//! ∂L/∂w_j = Σ_i -2 (y_i - ŷ_i) (1 - ŷ_i²) x_ij     (x_i0 = 1).
//!
//! The neuron predicts green where s > 0 and blue where s < 0: its decision boundary is the
//! line w₀ + w₁ x₁ + w₂ x₂ = 0. Gradient descent from w = 0 moves w along Σ_i y_i (1, x_i)
//! first and then keeps pushing every misclassified or low-margin point to its side, so on
//! linearly separable data it ends with every point on the right side (tested on random
//! separable data sets with a margin). It is a [`crate::Mlp`] with one tanh layer [2, 1]; the
//! tests check the two give the same gradient.

use linalg::Matrix;
use rand::Rng;

/// The label of a blue point.
pub const BLUE: f64 = -1.0;
/// The label of a green point.
pub const GREEN: f64 = 1.0;

/// ŷ = tanh(w₀ + w₁ x₁ + w₂ x₂) (`nn.neuron.tanh`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TanhNeuron {
    /// (w₀, w₁, w₂); w₀ is the bias (the weight of the constant input x₀ = 1).
    pub w: [f64; 3],
}

#[track_caller]
fn check_data(x: &Matrix, y: &[f64], op: &str) {
    assert!(
        x.ncols() == 2 && x.nrows() == y.len(),
        "{op}: needs an N x 2 input and N labels, got {}x{} and {}",
        x.nrows(),
        x.ncols(),
        y.len()
    );
}

impl TanhNeuron {
    /// The neuron with weights (w₀, w₁, w₂).
    pub fn new(w: [f64; 3]) -> Self {
        TanhNeuron { w }
    }

    /// The net input s = w₀ + w₁ x₁ + w₂ x₂ of a point (x₁, x₂).
    #[inline]
    pub fn net_input(&self, x: &[f64]) -> f64 {
        self.w[0] + self.w[1] * x[0] + self.w[2] * x[1]
    }

    /// ŷ = tanh(s) ∈ (-1, 1).
    #[inline]
    pub fn predict(&self, x: &[f64]) -> f64 {
        self.net_input(x).tanh()
    }

    /// The predicted class: GREEN (+1) when s > 0, else BLUE (-1).
    pub fn classify(&self, x: &[f64]) -> f64 {
        if self.net_input(x) > 0.0 {
            GREEN
        } else {
            BLUE
        }
    }

    /// L = Σ_i (y_i - ŷ_i)².
    ///
    /// # Panics
    /// If `x` is not N x 2 with N = `y.len()`.
    #[track_caller]
    pub fn loss(&self, x: &Matrix, y: &[f64]) -> f64 {
        check_data(x, y, "TanhNeuron::loss");
        x.rows()
            .zip(y)
            .map(|(xi, &yi)| (yi - self.predict(xi)).powi(2))
            .sum()
    }

    /// ∇_w L = Σ_i -2 (y_i - ŷ_i)(1 - ŷ_i²) (1, x_i1, x_i2).
    ///
    /// # Panics
    /// If `x` is not N x 2 with N = `y.len()`.
    #[track_caller]
    pub fn gradient(&self, x: &Matrix, y: &[f64]) -> [f64; 3] {
        check_data(x, y, "TanhNeuron::gradient");
        let mut g = [0.0; 3];
        for (xi, &yi) in x.rows().zip(y) {
            let yhat = self.predict(xi);
            let d = -2.0 * (yi - yhat) * (1.0 - yhat * yhat);
            g[0] += d;
            g[1] += d * xi[0];
            g[2] += d * xi[1];
        }
        g
    }

    /// `epochs` steps of gradient descent w ← w - α ∇_w L on all the data; returns the loss
    /// before each step and after the last (epochs + 1 values).
    ///
    /// # Panics
    /// If `x` is not N x 2 with N = `y.len()`.
    #[track_caller]
    pub fn train_gd(&mut self, x: &Matrix, y: &[f64], lr: f64, epochs: usize) -> Vec<f64> {
        let mut history = Vec::with_capacity(epochs + 1);
        for _ in 0..epochs {
            history.push(self.loss(x, y));
            let g = self.gradient(x, y);
            for (w, gj) in self.w.iter_mut().zip(g) {
                *w -= lr * gj;
            }
        }
        history.push(self.loss(x, y));
        history
    }

    /// How many points the neuron puts on the wrong side.
    #[track_caller]
    pub fn misclassified(&self, x: &Matrix, y: &[f64]) -> usize {
        check_data(x, y, "TanhNeuron::misclassified");
        x.rows()
            .zip(y)
            .filter(|(xi, &yi)| self.classify(xi) != yi)
            .count()
    }
}

/// `n` points uniform in the square [-1, 1]², labelled by a random line u · x = c
/// (green on the side u · x > c), keeping only points at distance ≥ `margin` from it.
/// Returns the N x 2 points, their labels, and the line as (u, c) with |u| = 1.
///
/// # Panics
/// If `margin >= 0.5` (the square would have too little room left).
pub fn separable_points(n: usize, margin: f64, seed: u64) -> (Matrix, Vec<f64>, ([f64; 2], f64)) {
    assert!(
        (0.0..0.5).contains(&margin),
        "separable_points: margin {margin} must be in [0, 0.5)"
    );
    let mut g = linalg::rng(seed);
    let theta = std::f64::consts::TAU * g.random::<f64>();
    let u = [theta.cos(), theta.sin()];
    // |c| ≤ 0.3 keeps the line through the middle of the square, so both classes have room.
    let c = 0.6 * g.random::<f64>() - 0.3;
    let mut data = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    while labels.len() < n {
        let p = [2.0 * g.random::<f64>() - 1.0, 2.0 * g.random::<f64>() - 1.0];
        let s = u[0] * p[0] + u[1] * p[1] - c;
        if s.abs() >= margin {
            data.extend_from_slice(&p);
            labels.push(if s > 0.0 { GREEN } else { BLUE });
        }
    }
    (Matrix::from_vec(n, 2, data), labels, (u, c))
}
