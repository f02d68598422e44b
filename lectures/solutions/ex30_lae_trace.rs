//! Exercise 30 · the linear autoencoder's loss is a constant minus the latent variance
//! (`nn.lae.trace`).
//!
//! Task: for N×D data X and a decoder U (D×d, orthonormal columns) with the encoder Uᵀ, the
//! reconstruction loss L(U) = Σ_i ||x_i − μ − U Uᵀ(x_i − μ)||² equals
//! Σ_i ||x_i − μ||² − Tr(YᵀY) with Y = X_c U, the centred data's codes. Return that value of
//! L(U) from the trace form (no reconstruction), and the smallest L over all orthonormal U,
//! which the trace form turns into a Ky Fan problem: (N − 1)(λ_{d+1} + … + λ_D) for the
//! eigenvalues λ of the covariance.
//!
//! Claim: `nn.lae.trace`. Notes: lectures/notes/06-autoencoders.md, section "`nn.lae.trace`:
//! claim (B), the loss is a constant minus the latent variance".

use linalg::Matrix;

/// (L(U) by the trace form, min over orthonormal U of L) for the data `x` and decoder `u`
/// (`nn.lae.trace`).
pub fn trace_form(x: &Matrix, u: &Matrix) -> (f64, f64) {
    // BEGIN SOLUTION: return the loss at U computed as a constant minus Tr(YᵀY), and the smallest loss any orthonormal U can reach
    let (xc, _) = x.center_columns();
    let y = xc.matmul(u);
    let total: f64 = xc.as_slice().iter().map(|v| v * v).sum();
    let latent: f64 = y.as_slice().iter().map(|v| v * v).sum();
    let lambda = linalg::eigvalsh(&x.covariance()).expect("a covariance is symmetric");
    let d = u.ncols();
    let minimum = (x.nrows() - 1) as f64 * lambda[d..].iter().sum::<f64>();
    (total - latent, minimum)
    // END SOLUTION
}
