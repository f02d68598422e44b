//! Seeded weight initialisation.
//!
//! The scale of the initial weights decides whether signals and gradients keep their size
//! through many layers. With n_in inputs of unit variance and independent weights of variance
//! s², a pre-activation z = Σ_k x_k w_k has variance n_in s². Two classic choices keep it near 1:
//!
//! - **Xavier/Glorot** (for tanh and sigmoid, roughly linear near 0): s² = 2 / (n_in + n_out),
//!   a compromise between keeping forward (n_in s² = 1) and backward (n_out s² = 1) variances;
//!   drawn uniformly from [-a, a] with a = sqrt(6 / (n_in + n_out)) (uniform variance a²/3).
//! - **He** (for relu, which zeroes half of its inputs and so halves the variance):
//!   s² = 2 / n_in, drawn from a normal distribution.
//!
//! Biases start at 0.

use crate::Activation;
use linalg::{standard_normal, Matrix, SeededRng};
use rand::Rng;

/// A weight initialisation scheme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Init {
    /// Xavier/Glorot uniform: U(-a, a), a = sqrt(6 / (n_in + n_out)).
    Xavier,
    /// He normal: N(0, 2 / n_in).
    He,
    /// N(0, std²) with a fixed standard deviation.
    Normal {
        /// The standard deviation.
        std: f64,
    },
}

impl Init {
    /// The customary scheme for an activation: He for relu, Xavier otherwise.
    pub fn for_activation(activation: Activation) -> Init {
        match activation {
            Activation::Relu => Init::He,
            _ => Init::Xavier,
        }
    }

    /// An `n_in x n_out` weight matrix drawn from this scheme with the generator `g`.
    pub fn weights(self, n_in: usize, n_out: usize, g: &mut SeededRng) -> Matrix {
        match self {
            Init::Xavier => {
                let a = (6.0 / (n_in + n_out) as f64).sqrt();
                Matrix::from_fn(n_in, n_out, |_, _| a * (2.0 * g.random::<f64>() - 1.0))
            }
            Init::He => {
                let s = (2.0 / n_in as f64).sqrt();
                Matrix::from_fn(n_in, n_out, |_, _| s * standard_normal(g))
            }
            Init::Normal { std } => Matrix::from_fn(n_in, n_out, |_, _| std * standard_normal(g)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variances_match_the_schemes() {
        let mut g = linalg::rng(1);
        let (n_in, n_out) = (200, 300);
        for (init, want) in [
            (Init::Xavier, 2.0 / (n_in + n_out) as f64),
            (Init::He, 2.0 / n_in as f64),
        ] {
            let w = init.weights(n_in, n_out, &mut g);
            let n = (n_in * n_out) as f64;
            let var = w.as_slice().iter().map(|v| v * v).sum::<f64>() / n;
            // 60000 draws: the sample variance has relative standard error sqrt(2/n) < 0.6%
            // (normal) and less for the uniform; 5% is over 8 standard errors.
            assert!((var / want - 1.0).abs() < 0.05, "{init:?}: {var} vs {want}");
        }
    }
}
