//! Exercise 22 · perplexity calibration of one point by bisection (`dr.sne.affinities`).
//!
//! Task: given the squared distances d_j from one point to its neighbours and a target
//! perplexity P (1 < P < number of neighbours), find β > 0 such that p_j = e^{−β d_j} / Σ_k
//! e^{−β d_k} has entropy H = −Σ p_j ln p_j = ln P. Return β and p. H falls as β grows, so
//! bisect — on ln β, since β may need to range over many orders of magnitude. Subtract
//! min_j d_j before exponentiating (p does not change, and nothing underflows). Aim for
//! |H − ln P| ≤ 1e-10.
//!
//! Claim: `dr.sne.affinities`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.sne.affinities`: from distances to neighbour probabilities, P(N)".
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

/// (β, p) with e^{H(p)} = `perplexity` (`dr.sne.affinities`).
pub fn calibrate(d: &[f64], perplexity: f64) -> (f64, Vec<f64>) {
    todo!("return the β (and the distribution p) whose entropy matches the perplexity to within 1e-10")
}
