//! Squared-error losses and their gradients with respect to the prediction.
//!
//! Two reductions, both common, and results differ by a constant factor, so we name them:
//!
//! - [`Loss::SumSquared`]: L = Σ_i Σ_j (ŷ_ij - y_ij)², the lecture's Σ_i ||y_i - ŷ_i||²;
//!   ∂L/∂ŷ = 2 (Ŷ - Y).
//! - [`Loss::MeanSquared`]: L = (1 / (N D)) Σ_i Σ_j (ŷ_ij - y_ij)², the mean over all N·D
//!   entries (PyTorch's `MSELoss`, scikit-learn's `mean_squared_error`);
//!   ∂L/∂ŷ = 2 (Ŷ - Y) / (N D).
//!
//! With the mean, the size of a gradient step does not depend on how many samples the batch
//! has, which is why minibatch SGD is usually run on it: the mean of the minibatch gradients
//! over an epoch's partition is then the full gradient (`nn.sgd`).

use linalg::Matrix;

/// A squared-error loss with a stated reduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Σ over all entries of (ŷ - y)².
    SumSquared,
    /// The mean over all N·D entries of (ŷ - y)².
    MeanSquared,
}

impl Loss {
    /// The factor c in L = c Σ (ŷ - y)² for an N x D prediction.
    fn scale(self, shape: (usize, usize)) -> f64 {
        match self {
            Loss::SumSquared => 1.0,
            Loss::MeanSquared => 1.0 / (shape.0 * shape.1).max(1) as f64,
        }
    }

    /// L(Ŷ, Y).
    ///
    /// # Panics
    /// If the shapes differ.
    ///
    /// ```
    /// use linalg::Matrix;
    /// use nn::Loss;
    /// let y = Matrix::from_rows(&[[1.0, 2.0]]);
    /// let p = Matrix::from_rows(&[[0.0, 4.0]]);
    /// assert_eq!(Loss::SumSquared.value(&p, &y), 5.0);
    /// assert_eq!(Loss::MeanSquared.value(&p, &y), 2.5);
    /// ```
    #[track_caller]
    pub fn value(self, prediction: &Matrix, target: &Matrix) -> f64 {
        check(prediction, target, "Loss::value");
        let s: f64 = prediction
            .as_slice()
            .iter()
            .zip(target.as_slice())
            .map(|(p, y)| (p - y) * (p - y))
            .sum();
        self.scale(prediction.shape()) * s
    }

    /// L(Ŷ, Y), and `grad = ∂L/∂Ŷ` written into `grad` (reused storage).
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn value_and_gradient_into(
        self,
        prediction: &Matrix,
        target: &Matrix,
        grad: &mut Matrix,
    ) -> f64 {
        check(prediction, target, "Loss::value_and_gradient_into");
        assert_eq!(
            grad.shape(),
            prediction.shape(),
            "Loss::value_and_gradient_into: gradient buffer {:?} for a {:?} prediction",
            grad.shape(),
            prediction.shape()
        );
        let c = self.scale(prediction.shape());
        let mut s = 0.0;
        for ((g, p), y) in grad
            .as_mut_slice()
            .iter_mut()
            .zip(prediction.as_slice())
            .zip(target.as_slice())
        {
            let r = p - y;
            s += r * r;
            *g = 2.0 * c * r;
        }
        c * s
    }

    /// ∂L/∂Ŷ as a new matrix.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn gradient(self, prediction: &Matrix, target: &Matrix) -> Matrix {
        let mut g = Matrix::zeros(prediction.nrows(), prediction.ncols());
        self.value_and_gradient_into(prediction, target, &mut g);
        g
    }
}

#[track_caller]
fn check(prediction: &Matrix, target: &Matrix, op: &str) {
    assert_eq!(
        prediction.shape(),
        target.shape(),
        "{op}: prediction {:?} and target {:?} differ",
        prediction.shape(),
        target.shape()
    );
}
