//! Regularization: a penalty λ R(w) added to the loss, on the weights W^ℓ (not the biases,
//! which only shift units and are customarily left free) (`nn.regularization`).
//!
//! - L2, ridge: R = ||w||₂² = Σ w_k². Its gradient 2λw is smooth, so it is added to the loss
//!   gradient; a GD step becomes w ← (1 - 2αλ) w - α ∇L, which shrinks every weight by a
//!   constant factor: "weight decay".
//! - L1, lasso: R = ||w||₁ = Σ |w_k|. Not differentiable at 0, and a subgradient step only
//!   makes weights oscillate around 0. The proximal step instead solves
//!   argmin_v ½||v - u||² + αλ||v||₁ exactly: entry by entry it is soft thresholding
//!   S_t(u) = sign(u) max(|u| - t, 0) with t = αλ, which sets every |u_k| ≤ αλ to exactly 0.
//!   A proximal-gradient step is u = w - α ∇L, then w ← S_{αλ}(u) (ISTA).
//! - Elastic net: λ(a ||w||₁ + (1 - a) ||w||₂²), a ∈ [0, 1], the lecture's mixture: the L2 part
//!   goes into the gradient, the L1 part into the proximal step with threshold αλa.

/// A penalty λ R(w) on the weights (`nn.regularization`): L1 by a proximal step, L2 as weight
/// decay, or the elastic net.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Penalty {
    /// No regularization.
    None,
    /// λ ||w||₁, by proximal soft thresholding.
    L1 {
        /// λ ≥ 0.
        lambda: f64,
    },
    /// λ ||w||₂², as weight decay.
    L2 {
        /// λ ≥ 0.
        lambda: f64,
    },
    /// λ (α ||w||₁ + (1 - α) ||w||₂²).
    ElasticNet {
        /// λ ≥ 0.
        lambda: f64,
        /// The L1 share α ∈ [0, 1] (1 is the lasso, 0 is ridge).
        alpha: f64,
    },
}

impl Penalty {
    /// (λ₁, λ₂) with penalty λ₁ ||w||₁ + λ₂ ||w||₂².
    fn weights(self) -> (f64, f64) {
        match self {
            Penalty::None => (0.0, 0.0),
            Penalty::L1 { lambda } => (lambda, 0.0),
            Penalty::L2 { lambda } => (0.0, lambda),
            Penalty::ElasticNet { lambda, alpha } => (lambda * alpha, lambda * (1.0 - alpha)),
        }
    }

    /// The penalty λ R(w) of one weight tensor (sum it over the tensors).
    ///
    /// ```
    /// use nn::Penalty;
    /// let w = [3.0, -4.0];
    /// assert_eq!(Penalty::L1 { lambda: 0.5 }.value(&w), 3.5);
    /// assert_eq!(Penalty::L2 { lambda: 0.5 }.value(&w), 12.5);
    /// assert_eq!(Penalty::ElasticNet { lambda: 1.0, alpha: 0.5 }.value(&w), 0.5 * 7.0 + 0.5 * 25.0);
    /// ```
    pub fn value(self, w: &[f64]) -> f64 {
        let (l1, l2) = self.weights();
        let mut s = 0.0;
        if l1 != 0.0 {
            s += l1 * w.iter().map(|v| v.abs()).sum::<f64>();
        }
        if l2 != 0.0 {
            s += l2 * linalg::dot(w, w);
        }
        s
    }

    /// g ← g + ∇(smooth part): adds 2 λ₂ w (the L2 share) to a loss gradient.
    ///
    /// # Panics
    /// If the lengths differ.
    #[track_caller]
    pub fn add_smooth_gradient(self, w: &[f64], g: &mut [f64]) {
        assert_eq!(
            w.len(),
            g.len(),
            "Penalty::add_smooth_gradient: {} weights, {} gradients",
            w.len(),
            g.len()
        );
        let (_, l2) = self.weights();
        if l2 != 0.0 {
            linalg::axpy(2.0 * l2, w, g);
        }
    }

    /// The proximal step of the non-smooth part after a gradient step of size `lr`:
    /// w ← S_{lr·λ₁}(w) (soft thresholding; nothing for L2 or no penalty).
    pub fn prox(self, w: &mut [f64], lr: f64) {
        let (l1, _) = self.weights();
        if l1 != 0.0 {
            let t = lr * l1;
            w.iter_mut().for_each(|v| *v = soft_threshold(*v, t));
        }
    }

    /// True when there is nothing to do.
    pub fn is_none(self) -> bool {
        self.weights() == (0.0, 0.0)
    }
}

/// Soft thresholding S_t(u) = sign(u) max(|u| - t, 0), the proximal map of t|·|:
/// argmin_v ½(v - u)² + t|v|. Returns exactly 0 for |u| ≤ t.
///
/// ```
/// use nn::soft_threshold;
/// assert_eq!(soft_threshold(3.0, 1.0), 2.0);
/// assert_eq!(soft_threshold(-3.0, 1.0), -2.0);
/// assert_eq!(soft_threshold(0.5, 1.0), 0.0);
/// ```
#[inline]
pub fn soft_threshold(u: f64, t: f64) -> f64 {
    if u > t {
        u - t
    } else if u < -t {
        u + t
    } else {
        0.0
    }
}
