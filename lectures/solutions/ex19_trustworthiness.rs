//! Exercise 19 · trustworthiness of an embedding (`dr.quality`).
//!
//! Task: T(k) = 1 − 2 / (N k (2N − 3k − 1)) Σ_i Σ_{j ∈ N_k^Y(i)} max(0, r(i, j) − k), where
//! N_k^Y(i) are the k nearest neighbours of point i in the embedding Y (a point is not its
//! own neighbour) and r(i, j) ≥ 1 is the rank of j among the neighbours of i in the data X
//! (1 = nearest). Euclidean distances; break ties by the smaller index.
//!
//! Claim: `dr.quality`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.quality`: comparing the methods on one scale".

use linalg::{sq_dist, Matrix};

/// Trustworthiness T(k) of the embedding `y` of the data `x` (`dr.quality`).
pub fn trustworthiness(x: &Matrix, y: &Matrix, k: usize) -> f64 {
    // BEGIN SOLUTION: return the trustworthiness T(k) of the embedding Y of X
    let n = x.nrows();
    // The other points sorted by distance to point i in `m`, ties by index.
    let order = |m: &Matrix, i: usize| -> Vec<usize> {
        let mut others: Vec<(f64, usize)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (sq_dist(m.row(i), m.row(j)), j))
            .collect();
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        others.into_iter().map(|(_, j)| j).collect()
    };
    let mut penalty = 0.0;
    let mut rank = vec![0usize; n];
    for i in 0..n {
        for (r, j) in order(x, i).into_iter().enumerate() {
            rank[j] = r + 1;
        }
        for &j in order(y, i).iter().take(k) {
            penalty += rank[j].saturating_sub(k) as f64;
        }
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty
    // END SOLUTION
}
