//! # dimred: dimension reduction written from scratch for reading
//!
//! Data flow: a [`data::Dataset`] (generated, built in, or read from CSV) goes into a method,
//! which returns an embedding; [`quality`] scores it against the data.
//!
//! | module | what | claims |
//! |---|---|---|
//! | [`pca`] | PCA by covariance eigendecomposition and by SVD | `dr.pca.covariance`, `dr.pca.svd`, `dr.pca.reconstruction` |
//! | [`mds`] | classical MDS from distances or points | `dr.mds.classical`, `dr.mds.euclidean` |
//! | [`kernels`], [`kpca`] | kernel PCA (linear, polynomial, RBF) | `dr.kpca.centering` |
//! | [`graph`], [`isomap`] | neighbour graphs, Dijkstra, Isomap | `dr.isomap.geodesic` |
//! | [`landmark`] | landmark Isomap: n landmarks, Gower's formula for the rest, no N x N matrix | `dr.isomap.geodesic` |
//! | [`model`] | saved models: fitted PCA, kernel PCA, classical MDS as JSON, applied to new rows | `dr.mds.classical` |
//! | [`quality`] | trustworthiness, continuity, Procrustes, Spearman | `dr.quality` |
//! | [`data`] | generators, built-in digits and iris, CSV in and out | |
//! | [`plot`] | dependency-free SVG figures: scatter plots, line plots (log y), histograms | |
//!
//! Every N x N eigenproblem goes through one private function (`spectral::top_eigenpairs`):
//! full Jacobi for small N, the Lanczos top-k solver for large N ([`EigenSolver`]).
//!
//! The notes' chapters `lectures/notes/01-pca-and-mds.md` and
//! `lectures/notes/03-spectral-and-kernel.md` explain the mathematics.
#![forbid(unsafe_code)]

mod centering;
pub mod data;
pub mod diffusion;
pub mod error;
pub mod graph;
pub mod isomap;
pub mod kernels;
pub mod kpca;
pub mod landmark;
pub mod mds;
pub mod model;
mod parallel;
pub mod pca;
pub mod plot;
pub mod quality;
pub mod sketchmap;
pub mod smacof;
pub mod sne;
mod spectral;
pub mod tsne;

pub use error::{DimredError, Result};
pub use spectral::{EigenSolver, DENSE_MAX_N};
