//! # linalg: dense linear algebra written from scratch for reading
//!
//! The bottom layer of the workspace. Everything the dimension-reduction and neural-network
//! crates compute reduces to the routines here:
//!
//! | module | what | claims |
//! |---|---|---|
//! | [`matrix`] | `Matrix`: dense row-major f64 with an explicit shape | |
//! | [`ops`] | products, norms, centering, covariance, Gram matrices, distances | |
//! | [`jacobi`] | cyclic Jacobi eigensolver and its sweep-by-sweep trace | `la.jacobi.*` |
//! | [`cholesky`], [`qr`] | SPD solves, orthonormalisation | |
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
pub mod ops;
pub mod qr;
pub mod random;
pub mod svd;
pub mod topk;

pub use cholesky::Cholesky;
pub use error::LinalgError;
pub use jacobi::{
    check_symmetric, eigh, eigh_traced, eigh_with, eigvalsh, fix_sign, jacobi_rotation, off_norm,
    Eigh, JacobiOptions, SweepStats,
};
pub use ky_fan::ky_fan_max;
pub use matrix::Matrix;
pub use ops::{axpy, dot, norm2, sq_dist};
pub use qr::{orthonormalize, qr, Qr};
pub use random::{rng, standard_normal, SeededRng};
pub use svd::{svd, svd_with, Svd, SvdOptions};
pub use topk::{top_k_eigh, top_k_eigh_matrix, SymmetricOperator, TopKOptions};
