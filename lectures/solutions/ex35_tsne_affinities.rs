//! Exercise 35 · project "your own t-SNE", step 1 of 4: the affinities P (`dr.sne.affinities`).
//!
//! Task: for the N rows of `x` and a perplexity 1 < Perp < N − 1, return the N×N matrix of
//! t-SNE's joint probabilities. Row i first gets its own conditional distribution
//! p_{j|i} = e^{−β_i d_ij} / Σ_{k≠i} e^{−β_i d_ik} over the other points (d_ij = ||x_i − x_j||²,
//! p_{i|i} = 0), with β_i chosen so that the entropy −Σ_j p_{j|i} ln p_{j|i} equals ln Perp to
//! within 1e-10; then P is symmetrised, p_ij = (p_{j|i} + p_{i|j}) / (2N), so that it is
//! symmetric, has a zero diagonal and sums to 1.
//!
//! The project: steps 35 (P), 36 (KL and its gradient), 37 (the optimiser) and 38 (your
//! t-SNE on the handwritten digits, which uses your three pieces).
//!
//! Claim: `dr.sne.affinities`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.sne.affinities`: from distances to neighbour probabilities, P(N)".

use linalg::{sq_dist, Matrix};

/// t-SNE's symmetric joint probabilities P of the rows of `x` (`dr.sne.affinities`).
pub fn joint_affinities(x: &Matrix, perplexity: f64) -> Matrix {
    // BEGIN SOLUTION: return the symmetric N×N matrix P whose rows are calibrated to the perplexity
    /// Fill `p` with e^{−β d_j}/Z for the β (found by bisection on ln β) whose entropy is ln Perp.
    fn calibrate_row(d: &[f64], perplexity: f64, p: &mut [f64]) {
        // Shifting by min d leaves p unchanged and keeps the largest term at e^0 = 1.
        let d_min = d.iter().copied().fold(f64::INFINITY, f64::min);
        let target = perplexity.ln();
        let entropy = |log_beta: f64, p: &mut [f64]| -> f64 {
            let beta = log_beta.exp();
            let mut z = 0.0;
            for (pj, &dj) in p.iter_mut().zip(d) {
                *pj = (-beta * (dj - d_min)).exp();
                z += *pj;
            }
            let mut weighted = 0.0;
            for (pj, &dj) in p.iter_mut().zip(d) {
                *pj /= z;
                weighted += *pj * (dj - d_min);
            }
            z.ln() + beta * weighted
        };
        // H falls as β grows: widen [lo, hi] until H(lo) ≥ ln Perp ≥ H(hi), then bisect.
        let (mut lo, mut hi) = (-2.0, 2.0);
        while entropy(lo, p) < target && lo > -700.0 {
            lo -= 4.0;
        }
        while entropy(hi, p) > target && hi < 700.0 {
            hi += 4.0;
        }
        let mut mid = 0.5 * (lo + hi);
        for _ in 0..200 {
            mid = 0.5 * (lo + hi);
            let h = entropy(mid, p);
            if (h - target).abs() <= 1e-11 || hi - lo <= 1e-15 {
                break;
            }
            if h > target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        entropy(mid, p);
    }

    let n = x.nrows();
    let mut cond = Matrix::zeros(n, n);
    let mut d = vec![0.0; n - 1];
    let mut p = vec![0.0; n - 1];
    for i in 0..n {
        let others = (0..n).filter(|&j| j != i);
        for (dk, j) in d.iter_mut().zip(others.clone()) {
            *dk = sq_dist(x.row(i), x.row(j));
        }
        calibrate_row(&d, perplexity, &mut p);
        for (&pk, j) in p.iter().zip(others) {
            cond[(i, j)] = pk;
        }
    }
    Matrix::from_fn(n, n, |i, j| {
        (cond[(i, j)] + cond[(j, i)]) / (2.0 * n as f64)
    })
    // END SOLUTION
}
