//! Optimisers (the update rule) and minibatch schedules (which samples feed each update).
//!
//! - Plain gradient descent (`nn.gd`): w_{t+1} = w_t - α ∇L(w_t) with the gradient over the
//!   whole training set, one update per epoch. On a quadratic ½ wᵀHw - bᵀw with
//!   0 ≤ eigenvalues ≤ λ_max, one step changes the loss by -α||g||² + ½α² gᵀHg
//!   ≤ -α||g||² (1 - α λ_max / 2), so any α < 2/λ_max lowers it; for α > 2/λ_max the error
//!   along the top eigenvector is multiplied by |1 - α λ_max| > 1 every step and diverges.
//! - Minibatch SGD (`nn.sgd`): the same update rule, applied once per minibatch, where the
//!   minibatches partition a fresh random permutation of the data each epoch ([`Minibatches`]).
//! - [`Momentum`] (heavy ball) and [`Adam`].
//!
//! An optimiser sees parameters as a list of slices ("tensors": W^1, b^1, W^2, ...) and the
//! matching gradients; it keeps any state (velocities, moments) per tensor.

use linalg::SeededRng;
use rand::seq::SliceRandom;

/// An update rule: changes the parameters given their gradients.
pub trait Optimizer {
    /// One update of every tensor `params[k]` from its gradient `grads[k]`.
    ///
    /// # Panics
    /// If the number or lengths of tensors differ from each other or from the previous call.
    fn step(&mut self, params: &mut [&mut [f64]], grads: &[&[f64]]);

    /// The base learning rate α (a proximal regularization step uses it as its step size).
    fn learning_rate(&self) -> f64;
}

#[track_caller]
fn check_lengths(params: &[&mut [f64]], grads: &[&[f64]], op: &str) {
    assert_eq!(
        params.len(),
        grads.len(),
        "{op}: {} parameter tensors, {} gradients",
        params.len(),
        grads.len()
    );
    for (k, (p, g)) in params.iter().zip(grads).enumerate() {
        assert_eq!(
            p.len(),
            g.len(),
            "{op}: tensor {k} has {} parameters, its gradient {}",
            p.len(),
            g.len()
        );
    }
}

/// Gradient descent with a fixed learning rate: w ← w - α g (`nn.gd`).
///
/// Fed full-batch gradients this is plain GD; fed minibatch gradients it is SGD (`nn.sgd`).
///
/// ```
/// use nn::{Gd, Optimizer};
/// let mut w = vec![1.0, -2.0];
/// Gd::new(0.5).step(&mut [&mut w[..]], &[&[2.0, 2.0][..]]);
/// assert_eq!(w, vec![0.0, -3.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gd {
    /// The learning rate α.
    pub lr: f64,
}

impl Gd {
    /// GD with learning rate `lr`.
    pub fn new(lr: f64) -> Self {
        Gd { lr }
    }
}

impl Optimizer for Gd {
    #[track_caller]
    fn step(&mut self, params: &mut [&mut [f64]], grads: &[&[f64]]) {
        check_lengths(params, grads, "Gd::step");
        for (p, g) in params.iter_mut().zip(grads) {
            linalg::axpy(-self.lr, g, p);
        }
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }
}

/// Heavy-ball momentum: v ← β v + g, w ← w - α v (v starts at 0).
///
/// Along a direction of constant gradient the step grows to α/(1 - β) times the GD step.
#[derive(Debug, Clone, PartialEq)]
pub struct Momentum {
    /// The learning rate α.
    pub lr: f64,
    /// The momentum β in [0, 1).
    pub beta: f64,
    velocity: Vec<Vec<f64>>,
}

impl Momentum {
    /// Momentum with learning rate `lr` and coefficient `beta` (0.9 is customary).
    pub fn new(lr: f64, beta: f64) -> Self {
        Momentum {
            lr,
            beta,
            velocity: Vec::new(),
        }
    }
}

/// Zero state shaped like `grads`, created on the first step.
fn ensure_state(state: &mut Vec<Vec<f64>>, grads: &[&[f64]]) {
    if state.is_empty() {
        *state = grads.iter().map(|g| vec![0.0; g.len()]).collect();
    }
}

impl Optimizer for Momentum {
    #[track_caller]
    fn step(&mut self, params: &mut [&mut [f64]], grads: &[&[f64]]) {
        check_lengths(params, grads, "Momentum::step");
        ensure_state(&mut self.velocity, grads);
        for ((p, g), v) in params.iter_mut().zip(grads).zip(&mut self.velocity) {
            assert_eq!(v.len(), g.len(), "Momentum::step: tensor sizes changed");
            for ((pi, &gi), vi) in p.iter_mut().zip(*g).zip(v.iter_mut()) {
                *vi = self.beta * *vi + gi;
                *pi -= self.lr * *vi;
            }
        }
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }
}

/// Adam (Kingma & Ba, 2015): running means of the gradient and of its square,
/// m ← β₁ m + (1 - β₁) g, v ← β₂ v + (1 - β₂) g², bias-corrected m̂ = m / (1 - β₁^t),
/// v̂ = v / (1 - β₂^t), and w ← w - α m̂ / (sqrt(v̂) + ε).
#[derive(Debug, Clone, PartialEq)]
pub struct Adam {
    /// The learning rate α.
    pub lr: f64,
    /// Decay of the first moment, β₁ (0.9).
    pub beta1: f64,
    /// Decay of the second moment, β₂ (0.999).
    pub beta2: f64,
    /// ε in the denominator (1e-8).
    pub eps: f64,
    t: i32,
    m: Vec<Vec<f64>>,
    v: Vec<Vec<f64>>,
}

impl Adam {
    /// Adam with learning rate `lr` and the customary β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    pub fn new(lr: f64) -> Self {
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            t: 0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }
}

impl Optimizer for Adam {
    #[track_caller]
    fn step(&mut self, params: &mut [&mut [f64]], grads: &[&[f64]]) {
        check_lengths(params, grads, "Adam::step");
        ensure_state(&mut self.m, grads);
        ensure_state(&mut self.v, grads);
        self.t = self.t.saturating_add(1);
        let c1 = 1.0 / (1.0 - self.beta1.powi(self.t));
        let c2 = 1.0 / (1.0 - self.beta2.powi(self.t));
        let (b1, b2) = (self.beta1, self.beta2);
        for (((p, g), m), v) in params
            .iter_mut()
            .zip(grads)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            assert_eq!(m.len(), g.len(), "Adam::step: tensor sizes changed");
            for (((pi, &gi), mi), vi) in p.iter_mut().zip(*g).zip(m.iter_mut()).zip(v.iter_mut()) {
                *mi = b1 * *mi + (1.0 - b1) * gi;
                *vi = b2 * *vi + (1.0 - b2) * gi * gi;
                *pi -= self.lr * (*mi * c1) / ((*vi * c2).sqrt() + self.eps);
            }
        }
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }
}

/// The minibatch schedule of SGD (`nn.sgd`): every epoch, a fresh uniformly random permutation
/// of the N sample indices (from a seeded generator, so runs reproduce), cut into consecutive
/// batches of `batch_size`; the last batch is smaller when `batch_size` does not divide N.
///
/// A minibatch is a set of samples: its indices are returned sorted, so its rows are gathered
/// in data order. Besides being cache-friendlier, this makes one batch of size N exactly plain
/// GD, bit for bit (the sum over the batch runs in the same order).
///
/// ```
/// use nn::Minibatches;
/// let mut mb = Minibatches::new(10, 4, 7);
/// let epoch = mb.next_epoch();
/// assert_eq!(epoch.iter().map(|b| b.len()).collect::<Vec<_>>(), vec![4, 4, 2]);
/// let mut all: Vec<usize> = epoch.concat();
/// all.sort();
/// assert_eq!(all, (0..10).collect::<Vec<_>>());
/// ```
#[derive(Debug, Clone)]
pub struct Minibatches {
    batch_size: usize,
    perm: Vec<usize>,
    rng: SeededRng,
}

impl Minibatches {
    /// A schedule over `n` samples with batches of `batch_size`, shuffled by `linalg::rng(seed)`.
    ///
    /// # Panics
    /// If `batch_size == 0`.
    #[track_caller]
    pub fn new(n: usize, batch_size: usize, seed: u64) -> Self {
        assert!(batch_size > 0, "Minibatches::new: batch size 0");
        Minibatches {
            batch_size,
            perm: (0..n).collect(),
            rng: linalg::rng(seed),
        }
    }

    /// The batch size m.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The number of batches per epoch, ⌈N / m⌉.
    pub fn batches_per_epoch(&self) -> usize {
        self.perm.len().div_ceil(self.batch_size)
    }

    /// Reshuffle and return the next epoch's batches (each sorted; together a partition of 0..N).
    pub fn next_epoch(&mut self) -> Vec<Vec<usize>> {
        self.perm.shuffle(&mut self.rng);
        self.perm
            .chunks(self.batch_size)
            .map(|c| {
                let mut b = c.to_vec();
                b.sort_unstable();
                b
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_first_step_is_lr_times_the_sign_of_the_gradient() {
        // After one step the bias-corrected moments are m̂ = g and v̂ = g², so the step is
        // α g / (|g| + ε): α·sign(g) up to a relative ε/|g|.
        let mut w = [1.0, -2.0, 0.5];
        let g = [3.0, -0.25, 1e-3];
        let mut adam = Adam::new(0.1);
        adam.step(&mut [&mut w[..]], &[&g[..]]);
        for ((wi, w0), gi) in w.iter().zip([1.0, -2.0, 0.5]).zip(g) {
            let want = w0 - 0.1 * gi / (gi.abs() + 1e-8);
            assert!((wi - want).abs() <= 4.0 * f64::EPSILON, "{wi} vs {want}");
        }
    }

    #[test]
    fn momentum_with_constant_gradient_accelerates_to_lr_over_one_minus_beta() {
        // v_t = Σ_{s<t} β^s g → g / (1 - β): the step approaches α g / (1 - β).
        let mut w = [0.0];
        let mut opt = Momentum::new(0.1, 0.9);
        let mut previous = 0.0;
        let mut last_step = 0.0;
        for _ in 0..400 {
            opt.step(&mut [&mut w[..]], &[&[1.0][..]]);
            last_step = previous - w[0];
            previous = w[0];
        }
        // 0.9^400 ≈ 5e-19: the geometric series has converged to rounding.
        assert!((last_step - 1.0).abs() <= 1e-12, "{last_step}");
    }

    #[test]
    fn momentum_and_adam_minimise_a_quadratic() {
        // f(w) = Σ k (w_k - 1)², gradient 2k(w_k - 1), minimum at w = 1.
        let grad = |w: &[f64]| -> Vec<f64> {
            w.iter()
                .enumerate()
                .map(|(k, v)| 2.0 * (k + 1) as f64 * (v - 1.0))
                .collect()
        };
        let mut opts: Vec<Box<dyn Optimizer>> = vec![
            Box::new(Momentum::new(0.02, 0.9)),
            Box::new(Adam::new(0.05)),
        ];
        for opt in &mut opts {
            let mut w = vec![0.0; 4];
            for _ in 0..3000 {
                let g = grad(&w);
                opt.step(&mut [&mut w[..]], &[&g[..]]);
            }
            // Both contract geometrically here; 3000 steps leave far less than 1e-6.
            assert!(w.iter().all(|v| (v - 1.0).abs() < 1e-6), "{w:?}");
        }
    }
}
