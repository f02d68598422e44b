//! Exercise 29 · the optimal linear code z = Uᵀ(x − μ) (`nn.lae.optimal-code`).
//!
//! Task: for data X (N×D) and 1 ≤ d ≤ D, return the mean μ, the D×d matrix U of the top-d
//! eigenvectors of the covariance (orthonormal columns), and the codes Z = (X − 1μᵀ) U (N×d).
//! For an orthonormal U, z = Uᵀ(x − μ) is the least-squares code (it minimises
//! ||x − μ − U z||), and with U spanning the top-d principal subspace the reconstruction
//! X̂ = 1μᵀ + Z Uᵀ is the best rank-d linear autoencoder: no linear encoder/decoder pair does
//! better.
//!
//! Claim: `nn.lae.optimal-code`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.ky-fan`: the maximum principle behind PCA" (the linear autoencoder's optimum).
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::Matrix;

/// The optimal linear code of `x` in d dimensions.
pub struct LinearCode {
    /// The column means μ, length D.
    pub mean: Vec<f64>,
    /// D×d, orthonormal columns spanning the top-d principal subspace.
    pub u: Matrix,
    /// N×d, the codes (X − 1μᵀ) U.
    pub z: Matrix,
}

/// μ, U and Z = (X − 1μᵀ) U for the best rank-d linear autoencoder (`nn.lae.optimal-code`).
pub fn linear_code(x: &Matrix, d: usize) -> LinearCode {
    todo!("return μ, an orthonormal decoder U and the codes Z of the best rank-d code")
}
