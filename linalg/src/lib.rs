//! # linalg: dense linear algebra written from scratch for reading
//!
//! The bottom layer of the workspace. Everything the dimension-reduction and neural-network
//! crates compute reduces to the routines here:
//!
//! | module | what | claims |
//! |---|---|---|
//! | [`matrix`] | `Matrix`: dense row-major f64 with an explicit shape | |
//! | [`ops`] | products, norms, centering, covariance, Gram matrices, distances | |
//! | [`jacobi`] | cyclic Jacobi eigensolver, watched sweep by sweep | `la.jacobi.*` |
//! | [`svd`] | one-sided Jacobi SVD | `la.svd.one-sided-jacobi` |
//! | [`topk`] | thick-restart Lanczos for the top k eigenpairs of a symmetric operator | `la.eig.top-k` |
//! | [`ky_fan`] | the Ky Fan maximum Σ of the d largest eigenvalues | `la.ky-fan` |
//! | [`cholesky`] | Cholesky factorisation and SPD solves | |
//! | [`qr`] | QR by Gram–Schmidt twice, orthonormalisation | |
//! | [`random`] | the seeded ChaCha8 generator and standard normals | |
//! | [`observe`] | the observer convention of every iterative algorithm | |
//! | [`persist`] | matrices as plain data and atomic file writes, for model files | |
//! | [`error`] | `LinalgError`: failures that depend on the data | |
//!
//! The notes' chapter `lectures/notes/00-linear-algebra.md` explains the mathematics.
//!
//! Conventions: shape mistakes panic with the operation's name and both shapes (each function
//! documents this under `# Panics`); failures that depend on the data (not symmetric, not
//! positive definite, no convergence) are a [`LinalgError`].
#![forbid(unsafe_code)]

pub mod cholesky;
pub mod error;
pub mod jacobi;
pub mod ky_fan;
pub mod matrix;
pub mod observe;
pub mod ops;
pub mod persist;
pub mod qr;
pub mod random;
pub mod svd;
pub mod topk;

pub use cholesky::Cholesky;
pub use error::LinalgError;
pub use jacobi::{
    check_symmetric, eigh, eigh_observed, eigh_with, eigvalsh, fix_sign, jacobi_rotation, off_norm,
    Eigh, JacobiOptions, SweepStats,
};
pub use ky_fan::ky_fan_max;
pub use matrix::Matrix;
pub use ops::{axpy, dot, norm2, sq_dist};
pub use qr::{orthonormalize, qr, Qr};
pub use random::{rng, standard_normal, SeededRng};
pub use svd::{svd, svd_right, svd_with, RightSvd, Svd, SvdOptions};
pub use topk::{
    top_k_eigh, top_k_eigh_matrix, top_k_eigh_observed, LanczosRestart, SymmetricOperator,
    TopKOptions,
};
