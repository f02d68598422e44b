//! Activation functions f, applied entry by entry: X^ℓ = f(Z^ℓ).
//!
//! tanh is `autodiff::tanh::tanh` (within a few ulps of the C library's, and vectorisable:
//! the C library's call would cost as much as the rest of a small network's step), so the
//! hand-written network and the tape compute the same numbers.
//!
//! Backprop needs f'(Z^ℓ). For tanh and the logistic sigmoid the derivative is cheaper from the
//! output x = f(z) than from z (tanh' = 1 - x², σ' = x(1 - x)), and the forward pass has
//! already computed x, so [`Activation::derivative_from_output`] is what the layers use; it is
//! the same number as [`Activation::derivative`] at z (tested in this module).

use linalg::Matrix;

/// An element-wise activation function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// f(z) = z (a linear layer; the usual output layer of a regression or an autoencoder).
    Identity,
    /// f(z) = tanh z, values in (-1, 1), f'(z) = 1 - tanh² z.
    Tanh,
    /// The logistic sigmoid f(z) = 1 / (1 + e^{-z}), values in (0, 1), f' = f (1 - f).
    Sigmoid,
    /// f(z) = max(z, 0). Not differentiable at 0; we use f'(0) = 0 (the usual convention).
    Relu,
}

impl Activation {
    /// f(z).
    ///
    /// ```
    /// use nn::Activation;
    /// assert_eq!(Activation::Relu.apply(-2.0), 0.0);
    /// assert_eq!(Activation::Sigmoid.apply(0.0), 0.5);
    /// ```
    #[inline]
    pub fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Identity => z,
            Activation::Tanh => autodiff::tanh::tanh(z),
            Activation::Sigmoid => sigmoid(z),
            Activation::Relu => z.max(0.0),
        }
    }

    /// f'(z), computed from z.
    #[inline]
    pub fn derivative(self, z: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Tanh => {
                let t = autodiff::tanh::tanh(z);
                1.0 - t * t
            }
            Activation::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// f'(z) computed from the output x = f(z) (for relu, x > 0 exactly when z > 0).
    #[inline]
    pub fn derivative_from_output(self, x: f64) -> f64 {
        match self {
            Activation::Identity => 1.0,
            Activation::Tanh => 1.0 - x * x,
            Activation::Sigmoid => x * (1.0 - x),
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// `out = f(z)` entry by entry, reusing `out`'s storage.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn apply_into(self, z: &Matrix, out: &mut Matrix) {
        assert_eq!(
            z.shape(),
            out.shape(),
            "Activation::apply_into: input {:?} and output {:?} differ",
            z.shape(),
            out.shape()
        );
        out.as_mut_slice().copy_from_slice(z.as_slice());
        self.apply_in_place(out);
    }

    /// Z ← f(Z) in place (the forward pass computes Z^ℓ in the buffer that becomes X^ℓ).
    pub fn apply_in_place(self, z: &mut Matrix) {
        let v = z.as_mut_slice();
        match self {
            // Each arm is its own loop so the compiler can vectorise the cheap ones.
            Activation::Identity => {}
            Activation::Tanh => v.iter_mut().for_each(|x| *x = autodiff::tanh::tanh(*x)),
            Activation::Sigmoid => v.iter_mut().for_each(|x| *x = sigmoid(*x)),
            Activation::Relu => v.iter_mut().for_each(|x| *x = x.max(0.0)),
        }
    }

    /// `g ← g ⊙ f'(Z)` in place, with f'(Z) taken from the layer's output X = f(Z):
    /// turns ∇_X L into Δ = ∇_X L ⊙ f'(Z).
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn mul_derivative_from_output(self, x: &Matrix, g: &mut Matrix) {
        assert_eq!(
            x.shape(),
            g.shape(),
            "Activation::mul_derivative_from_output: output {:?} and gradient {:?} differ",
            x.shape(),
            g.shape()
        );
        let (xs, gs) = (x.as_slice(), g.as_mut_slice());
        match self {
            Activation::Identity => {}
            Activation::Tanh => gs.iter_mut().zip(xs).for_each(|(g, &x)| *g *= 1.0 - x * x),
            Activation::Sigmoid => gs
                .iter_mut()
                .zip(xs)
                .for_each(|(g, &x)| *g *= x * (1.0 - x)),
            Activation::Relu => gs.iter_mut().zip(xs).for_each(|(g, &x)| {
                if x <= 0.0 {
                    *g = 0.0
                }
            }),
        }
    }

    /// The name used in figures and error messages.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Relu => "relu",
        }
    }
}

/// The logistic sigmoid 1 / (1 + e^{-z}), written so that neither branch overflows:
/// for z < 0 it uses e^{z} / (1 + e^{z}).
#[inline]
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Activation; 4] = [
        Activation::Identity,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Relu,
    ];

    #[test]
    fn derivative_from_output_equals_derivative() {
        for act in ALL {
            for k in -40..=40 {
                let z = 0.173 * k as f64 + 0.01; // avoids relu's kink at 0
                let a = act.derivative(z);
                let b = act.derivative_from_output(act.apply(z));
                // Both are O(1) expressions of the same rounded tanh/sigmoid value.
                assert!(
                    (a - b).abs() <= 4.0 * f64::EPSILON,
                    "{act:?} at {z}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn derivative_matches_central_difference() {
        for act in ALL {
            for k in -20..=20 {
                let z = 0.31 * k as f64 + 0.05;
                let h = 1e-5;
                let fd = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
                // Central differences: truncation O(h² f''') ≈ 1e-10, rounding ε/h ≈ 1e-11.
                assert!((fd - act.derivative(z)).abs() < 1e-8, "{act:?} at {z}");
            }
        }
    }

    #[test]
    fn sigmoid_does_not_overflow() {
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
    }
}
