//! Exercise 26 · gradient descent and its step-size limit (`nn.gd`).
//!
//! Predict, then run. On the quadratic f(x) = ½ xᵀ H x (H symmetric positive definite) one
//! gradient step is x ← x − α H x = (I − α H) x. Before writing any code, predict for
//! H = diag(1, 10): from which step size α on does x grow without bound instead of shrinking
//! to the minimum at 0?
//!
//! Task: return that critical step size for any symmetric positive definite H (`linalg`
//! gives you the eigenvalues). The tests then run gradient descent at 0.9 and at 1.1 times
//! your answer: the first must converge, the second diverge.
//!
//! Claim: `nn.gd`. Notes: lectures/notes/05-neural-networks.md, section "`nn.gd`: gradient
//! descent and its step-size limit".

use linalg::Matrix;

/// The step size above which gradient descent on ½ xᵀ H x diverges (`nn.gd`).
pub fn critical_step(h: &Matrix) -> f64 {
    // BEGIN SOLUTION: return the step size α at which gradient descent on ½ xᵀ H x turns from converging to diverging
    // (I − αH) has eigenvalues 1 − αλ_i; every one stays inside (−1, 1) iff α < 2/λ_max.
    let lambda = linalg::eigvalsh(h).expect("H is symmetric");
    2.0 / lambda[0]
    // END SOLUTION
}
