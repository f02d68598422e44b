//! Kernels k(x, y) for kernel PCA: inner products in a feature space that is never built.
//!
//! Parameterised as scikit-learn's `pairwise_kernels`, so the same numbers mean the same
//! kernels: linear <x, y>; polynomial (γ <x, y> + c_0)^p; RBF exp(-γ ||x - y||^2).

use linalg::{dot, sq_dist, Matrix};

/// A positive semidefinite kernel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// k(x, y) = <x, y>. Kernel PCA with it is PCA.
    Linear,
    /// k(x, y) = (γ <x, y> + c_0)^p.
    Polynomial {
        /// Degree p.
        degree: u32,
        /// Scale γ of the inner product (scikit-learn's default is 1 / D).
        gamma: f64,
        /// Offset c_0 ≥ 0 (scikit-learn's default is 1).
        coef0: f64,
    },
    /// k(x, y) = exp(-γ ||x - y||^2), γ = 1 / (2σ^2) for a Gaussian of width σ.
    Rbf {
        /// Inverse squared length scale γ > 0.
        gamma: f64,
    },
}

impl Kernel {
    /// k(x, y) for two samples of equal length.
    pub fn eval(&self, x: &[f64], y: &[f64]) -> f64 {
        match *self {
            Kernel::Linear => dot(x, y),
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            } => (gamma * dot(x, y) + coef0).powi(degree as i32),
            Kernel::Rbf { gamma } => (-gamma * sq_dist(x, y)).exp(),
        }
    }

    /// The N x N Gram matrix K_ij = k(x_i, x_j) of the rows of `x`; exactly symmetric (only
    /// the upper triangle is evaluated).
    pub fn gram(&self, x: &Matrix) -> Matrix {
        let n = x.nrows();
        let mut k = Matrix::zeros(n, n);
        for i in 0..n {
            let xi = x.row(i);
            for j in i..n {
                let v = self.eval(xi, x.row(j));
                k[(i, j)] = v;
                k[(j, i)] = v;
            }
        }
        k
    }

    /// The M x N cross kernel K_ij = k(y_i, x_j) between the rows of `y` (new points) and of
    /// `x` (training points).
    ///
    /// # Panics
    /// If the column counts differ.
    #[track_caller]
    pub fn cross(&self, y: &Matrix, x: &Matrix) -> Matrix {
        assert_eq!(
            y.ncols(),
            x.ncols(),
            "Kernel::cross: new points have {} features, training points {}",
            y.ncols(),
            x.ncols()
        );
        Matrix::from_fn(y.nrows(), x.nrows(), |i, j| self.eval(y.row(i), x.row(j)))
    }
}

impl std::fmt::Display for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kernel::Linear => write!(f, "linear"),
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            } => write!(
                f,
                "polynomial (degree {degree}, γ = {}, c0 = {})",
                Short(*gamma),
                Short(*coef0)
            ),
            Kernel::Rbf { gamma } => write!(f, "RBF (γ = {})", Short(*gamma)),
        }
    }
}

/// A parameter as the user would write it: `{}` of f64 never uses an exponent, so γ = 1e300
/// printed 301 digits; very large or small magnitudes use scientific notation instead.
struct Short(f64);

impl std::fmt::Display for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = self.0.abs();
        if a != 0.0 && a.is_finite() && !(1e-4..1e6).contains(&a) {
            write!(f, "{:e}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: γ = 1e300 printed as 301 digits in the CLI's summary line.
    #[test]
    fn parameters_print_compactly() {
        assert_eq!(Kernel::Rbf { gamma: 1e300 }.to_string(), "RBF (γ = 1e300)");
        assert_eq!(Kernel::Rbf { gamma: 0.25 }.to_string(), "RBF (γ = 0.25)");
        let p = Kernel::Polynomial {
            degree: 2,
            gamma: 1e-9,
            coef0: 1.0,
        };
        assert_eq!(p.to_string(), "polynomial (degree 2, γ = 1e-9, c0 = 1)");
    }
}
