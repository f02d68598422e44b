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

/// (β, p) with e^{H(p)} = `perplexity` (`dr.sne.affinities`).
pub fn calibrate(d: &[f64], perplexity: f64) -> (f64, Vec<f64>) {
    // BEGIN SOLUTION: return the β (and the distribution p) whose entropy matches the perplexity to within 1e-10
    let d_min = d.iter().copied().fold(f64::INFINITY, f64::min);
    let target = perplexity.ln();
    let mut p = vec![0.0; d.len()];
    // H in nats for β = e^{log_beta}; fills p.
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
    // Bracket: H(lo) ≥ ln P ≥ H(hi).
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    while entropy(lo, &mut p) < target && lo > -700.0 {
        lo -= 2.0;
    }
    while entropy(hi, &mut p) > target && hi < 700.0 {
        hi += 2.0;
    }
    let mut log_beta = 0.5 * (lo + hi);
    for _ in 0..200 {
        log_beta = 0.5 * (lo + hi);
        let h = entropy(log_beta, &mut p);
        if (h - target).abs() <= 1e-10 {
            break;
        }
        if h > target {
            lo = log_beta;
        } else {
            hi = log_beta;
        }
    }
    entropy(log_beta, &mut p); // p must belong to the returned β
    (log_beta.exp(), p)
    // END SOLUTION
}
