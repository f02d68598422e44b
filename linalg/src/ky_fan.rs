//! Ky Fan's maximum principle (`la.ky-fan`): over all n x d matrices U with orthonormal
//! columns, Tr(U^T C U) is at most λ_1 + … + λ_d, the sum of the d largest eigenvalues of the
//! symmetric C, and the top-d eigenvectors attain it.
//!
//! Why it holds, in two lines: write U = V W with C = V Λ V^T, so Tr(U^T C U) = Σ_i λ_i p_i with
//! p_i = ||row i of W||^2; the weights satisfy 0 ≤ p_i ≤ 1 and Σ p_i = d (W has orthonormal
//! columns), and a sum of λ_i with such weights is largest when the weight 1 sits on the d
//! largest λ_i. This is the step that turns "minimise the linear autoencoder's loss" and
//! "maximise the variance of a d-dimensional projection" into "take the top-d eigenvectors".

use crate::topk::top_k_eigh_matrix;
use crate::{LinalgError, Matrix};

/// max_{U^T U = I_d} Tr(U^T C U) and a maximiser (`la.ky-fan`).
///
/// Returns (λ_1 + … + λ_d, U) with U the n x d matrix of the top-d eigenvectors of C
/// (from [`top_k_eigh_matrix`], so large C is fine; same sign rule as [`crate::eigh`]).
/// The maximiser is unique up to U ← U G, G orthogonal d x d, exactly when λ_d > λ_{d+1}.
///
/// ```
/// use linalg::{ky_fan_max, Matrix};
/// let c = Matrix::from_diag(&[1.0, 5.0, 3.0]);
/// let (best, u) = ky_fan_max(&c, 2).unwrap();
/// assert!((best - 8.0).abs() < 1e-14);
/// assert!((u.tr_matmul(&c).matmul(&u).trace() - 8.0).abs() < 1e-14);
/// ```
///
/// # Errors
/// `InvalidArgument` if d > n; `NotSquare`, `NonFinite`, `NotSymmetric`, `NoConvergence` as
/// for [`top_k_eigh_matrix`].
pub fn ky_fan_max(c: &Matrix, d: usize) -> Result<(f64, Matrix), LinalgError> {
    let top = top_k_eigh_matrix(c, d)?;
    Ok((top.values.iter().sum(), top.vectors))
}
