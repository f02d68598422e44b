//! # dimred: dimension reduction written from scratch for reading
//!
//! Data flow: a [`data::Dataset`] (generated, built in, or read from CSV) goes into a method,
//! which returns an embedding; [`quality`] scores it against the data.
//!
//! | module | what | claims |
//! |---|---|---|
//! | [`pca`] | PCA by covariance eigendecomposition and by SVD; the solver choice | `dr.pca.covariance`, `dr.pca.svd`, `dr.pca.reconstruction` |
//! | [`mds`] | classical MDS from distances or points | `dr.mds.classical`, `dr.mds.euclidean` |
//! | [`kernels`] | linear, polynomial and RBF kernels and their Gram matrices | |
//! | [`kpca`] | kernel PCA on the centred Gram matrix | `dr.kpca.centering` |
//! | [`graph`] | k-NN and ε neighbour graphs, components, Dijkstra, geodesic distances | `dr.isomap.geodesic` |
//! | [`isomap`] | Isomap: classical MDS on graph geodesics | `dr.isomap.geodesic` |
//! | [`landmark`] | landmark Isomap: n landmarks, Gower's formula for the rest, no N x N matrix | `dr.isomap.geodesic` |
//! | [`nystrom`] | the Nyström extension: kernel PCA and diffusion maps from n landmarks, no N x N matrix | `dr.kpca.centering`, `dr.diffusion.markov` |
//! | [`model`] | saved models: fitted PCA, kernel PCA, classical MDS as JSON, applied to new rows | `dr.mds.classical` |
//! | [`diffusion`] | diffusion maps: the Markov matrix of a Gaussian kernel | `dr.diffusion.markov` |
//! | [`smacof`] | metric MDS: the stress minimised by majorisation | `dr.mds.stress` |
//! | [`sketchmap`] | sketch-map: sigmoid-transformed stress on landmarks, L-BFGS | `dr.sketchmap.stress` |
//! | [`vantage_point_tree`] | exact k nearest neighbours by a vantage-point tree (the sparse P at large N) | `dr.sne.affinities` |
//! | [`sne`] | SNE affinities P: perplexity calibration, sparse symmetric P | `dr.sne.affinities` |
//! | [`tsne`] | t-SNE and SNE: KL(P ‖ Q), exact and Barnes–Hut gradients | `dr.tsne.gradient` |
//! | [`quality`] | trustworthiness, continuity, Procrustes, Spearman | `dr.quality` |
//! | [`data`] | generators, built-in digits and iris, CSV in and out, one loader by name | |
//! | [`plot`] | dependency-free SVG figures: scatter plots, line plots (log axes), histograms | |
//! | [`error`] | [`DimredError`]: failures that depend on the data; the one finiteness check | |
//! | [`observe`] | (from `linalg`) the observer convention: every iterative method has `*_observed` | |
//! | `cli` | (feature `cli`, on by default) the commands' shared flags and progress display | |
//!
//! Every N x N eigenproblem goes through one private function (`spectral::top_eigenpairs`):
//! full Jacobi for small N, the Lanczos top-k solver for large N ([`EigenSolver`]).
//!
//! The notes' chapters `lectures/notes/01-pca-and-mds.md` and
//! `lectures/notes/03-spectral-and-kernel.md` explain the mathematics.
#![forbid(unsafe_code)]

mod centering;
#[cfg(feature = "cli")]
pub mod cli;
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
pub mod nystrom;
mod parallel;
pub mod pca;
pub mod plot;
pub mod quality;
pub mod sketchmap;
pub mod smacof;
pub mod sne;
mod spectral;
pub mod tsne;
pub mod vantage_point_tree;

pub use error::{DimredError, Result};
pub use linalg::observe;
pub use spectral::{EigenSolver, DENSE_MAX_N};
