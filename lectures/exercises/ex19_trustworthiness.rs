//! Exercise 19 · trustworthiness of an embedding (`dr.quality`).
//!
//! Task: T(k) = 1 − 2 / (N k (2N − 3k − 1)) Σ_i Σ_{j ∈ N_k^Y(i)} max(0, r(i, j) − k), where
//! N_k^Y(i) are the k nearest neighbours of point i in the embedding Y (a point is not its
//! own neighbour) and r(i, j) ≥ 1 is the rank of j among the neighbours of i in the data X
//! (1 = nearest). Euclidean distances; break ties by the smaller index.
//!
//! Claim: `dr.quality`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.quality`: comparing the methods on one scale".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

use linalg::{sq_dist, Matrix};

/// Trustworthiness T(k) of the embedding `y` of the data `x` (`dr.quality`).
pub fn trustworthiness(x: &Matrix, y: &Matrix, k: usize) -> f64 {
    todo!("return the trustworthiness T(k) of the embedding Y of X")
}
