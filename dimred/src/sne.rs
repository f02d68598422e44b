//! The high-dimensional side of SNE and t-SNE (`dr.sne.affinities`): from distances Δ to a
//! probability distribution P over pairs (the P(N) of the lecture's picture).
//!
//! Row i is a Gaussian around x_i, p_{j|i} = exp(-β_i ||x_i - x_j||^2) / Σ_{k≠i} exp(-β_i ||x_i - x_k||^2)
//! with β_i = 1 / (2σ_i^2), and β_i is chosen so that the perplexity of the row,
//! Perp(P_i) = 2^{H(P_i)} with H in bits (= e^{H} with H in nats), equals the user's value: a
//! smooth "number of effective neighbours", the same for every point whatever the local
//! density. The joint distribution is symmetrised, p_ij = (p_{j|i} + p_{i|j}) / 2N, so every
//! point carries at least 1/2N of the mass (an outlier is not forgotten) and Σ_ij p_ij = 1.
//!
//! The bandwidth search. H(β) decreases monotonically in β (from ln k at β = 0, k the number of
//! neighbours, to ln m as β → ∞, m the number tied at the smallest distance). It is solved by
//! bisection on ln β — in log space, because β ranges over many orders of magnitude between
//! dense and sparse regions and bisection on β itself would spend its steps on the wrong
//! scale. A bracket [ln β_lo, ln β_hi] is first grown in steps of 2 from ln(1 / mean distance²),
//! then halved until |H - ln Perp| ≤ [`ENTROPY_TOL`] (nats), i.e. the perplexity is reached to
//! a relative error of about 1e-10. Distances are shifted by the row's smallest before
//! exponentiating (this does not change p_{j|i}), so the largest term is exp(0) = 1, the sum
//! is at least 1, and duplicate points (zero distances) or huge β never give 0/0.
//!
//! Conventions. Perplexity must satisfy 1 < Perp < N - 1: Perp ≥ N - 1 can only be met by the
//! uniform distribution, β = 0, which no finite bisection reaches, and is an error (so
//! Perp ≥ N is an error). When 3·Perp > N - 1 the result is still computed exactly, but a
//! warning is returned in [`Affinities::warnings`]: every point is then a neighbour of every
//! other and the k = 3·Perp nearest-neighbour sparsification used for large N is no
//! sparsification at all (scikit-learn and openTSNE fail or warn in the same place). When ties
//! make the target unreachable (more than Perp points at exactly the same smallest distance),
//! the row becomes uniform over the ties and [`Affinities::max_perplexity_error`] reports it.

use crate::error::{DimredError, Result};
use crate::parallel::for_each_row;
use crate::vantage_point_tree::{VantagePointTree, VP_TREE_MAX_DIM};
use linalg::{sq_dist, Matrix};

/// Bisection stops when |H(P_i) - ln Perp| ≤ this (in nats): a relative perplexity error of
/// about 1e-10.
pub const ENTROPY_TOL: f64 = 1e-10;

/// Which pairs get a probability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neighbours {
    /// Every pair: the exact P of SNE. O(N^2) memory.
    All,
    /// Only the k nearest neighbours of each point (before symmetrisation): the sparse P of
    /// Barnes–Hut t-SNE (van der Maaten 2014 uses k = ⌊3·Perp⌋, where the Gaussian with that
    /// perplexity has nearly all its mass).
    Nearest(usize),
}

/// The symmetric joint probabilities P in compressed sparse rows: the entries of row i are
/// `values[offsets[i]..offsets[i + 1]]` in the columns `indices[..]` (sorted, no diagonal).
#[derive(Debug, Clone, PartialEq)]
pub struct Affinities {
    /// Row pointers, length N + 1.
    pub offsets: Vec<usize>,
    /// Column of each stored entry.
    pub indices: Vec<usize>,
    /// p_ij of each stored entry; the values sum to 1 and the pattern is symmetric.
    pub values: Vec<f64>,
    /// β_i = 1 / (2σ_i^2) of each row's Gaussian.
    pub betas: Vec<f64>,
    /// max_i |Perp(P_i) - Perp| / Perp over the rows: ≤ about 1e-10 unless ties prevented it.
    pub max_perplexity_error: f64,
    /// Conditions worth telling the user (see the module documentation).
    pub warnings: Vec<String>,
}

impl Affinities {
    /// Σ_ij p_ij ln p_ij over the stored entries (0 ln 0 = 0): the constant part of
    /// KL(P || Q) = Σ p ln p − Σ p ln q.
    pub fn p_log_p(&self) -> f64 {
        self.values
            .iter()
            .filter(|&&v| v > 0.0)
            .map(|v| v * v.ln())
            .sum()
    }

    /// Number of points N.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True when there are no points.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stored entries (j, p_ij) of row i.
    pub fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.offsets[i]..self.offsets[i + 1];
        self.indices[r.clone()]
            .iter()
            .copied()
            .zip(self.values[r].iter().copied())
    }

    /// P as a dense N x N matrix (zeros where nothing is stored).
    pub fn to_dense(&self) -> Matrix {
        let n = self.len();
        let mut p = Matrix::zeros(n, n);
        for i in 0..n {
            for (j, v) in self.row(i) {
                p[(i, j)] = v;
            }
        }
        p
    }
}

/// One row's conditional distribution: p_j ∝ exp(-β d_j) over the squared distances `d`, with β
/// set by bisection on ln β so that e^{H} = `perplexity` (`dr.sne.affinities`). Returns
/// (β, achieved perplexity) and writes the probabilities into `p`.
///
/// ```
/// // Four neighbours at squared distances 1, 2, 3, 4; perplexity 2 means "about two neighbours".
/// let mut p = [0.0; 4];
/// let (_beta, perp) = dimred::sne::calibrate_row(&[1.0, 2.0, 3.0, 4.0], 2.0, &mut p);
/// assert!((perp - 2.0).abs() < 1e-9);
/// assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-15);
/// ```
///
/// # Panics
/// If `p` and `d` differ in length or `d` is empty.
#[track_caller]
pub fn calibrate_row(d: &[f64], perplexity: f64, p: &mut [f64]) -> (f64, f64) {
    assert_eq!(
        d.len(),
        p.len(),
        "calibrate_row: {} distances, {} probabilities",
        d.len(),
        p.len()
    );
    assert!(!d.is_empty(), "calibrate_row: no neighbours");
    let d_min = d.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = d.iter().map(|v| v - d_min).sum::<f64>() / d.len() as f64;
    let target = perplexity.ln();
    // H(β) in nats for the shifted distances; fills p.
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
    let start = if mean > 0.0 {
        (-mean.ln()).clamp(-690.0, 690.0)
    } else {
        0.0
    };
    // Grow the bracket: H(lo) ≥ target ≥ H(hi). Each step multiplies β by e^2; ln β stays in
    // [-700, 700] so that β stays finite (e^709 is the largest f64): an unreachable target
    // (ties) stops at the edge, with a uniform row over the tied neighbours.
    let (mut lo, mut hi) = (start, start);
    let mut h_lo = entropy(lo, p);
    while h_lo < target && lo > -700.0 {
        hi = lo;
        lo -= 2.0;
        h_lo = entropy(lo, p);
    }
    let mut h_hi = if hi == lo { h_lo } else { entropy(hi, p) };
    while h_hi > target && hi < 700.0 {
        lo = hi;
        hi += 2.0;
        h_hi = entropy(hi, p);
    }
    let mut log_beta = hi;
    let mut h = h_hi;
    for _ in 0..200 {
        if (h - target).abs() <= ENTROPY_TOL || hi - lo <= 1e-15 * hi.abs().max(1.0) {
            break;
        }
        log_beta = 0.5 * (lo + hi);
        h = entropy(log_beta, p);
        if h > target {
            lo = log_beta;
        } else {
            hi = log_beta;
        }
    }
    // `p` must belong to the returned β.
    let h = entropy(log_beta, p);
    (log_beta.exp(), h.exp())
}

/// The symmetric SNE/t-SNE affinities P of the rows of `x` (`dr.sne.affinities`).
///
/// ```
/// use dimred::sne::{affinities, Neighbours};
/// let d = dimred::data::blobs(60, 3, 5, 1.0, 1);
/// let p = affinities(&d.x, 10.0, Neighbours::All).unwrap();
/// assert!((p.values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// assert!(p.max_perplexity_error < 1e-8);
/// ```
///
/// # Errors
/// `InvalidArgument` unless 1 < perplexity < N - 1 (see the module documentation), or when
/// `Neighbours::Nearest(k)` has k < perplexity or k ≥ N; `Linalg` for non-finite data.
pub fn affinities(x: &Matrix, perplexity: f64, neighbours: Neighbours) -> Result<Affinities> {
    crate::error::check_finite(x)?;
    let n = x.nrows();
    let (k, warnings) = neighbourhood_size(n, perplexity, neighbours)?;
    // Row i: k entries (j, p_{j|i}), then β_i and the achieved perplexity.
    let width = 2 * k + 2;
    let mut rows = vec![0.0; n * width];
    // The same k neighbours either way; the tree skips most distances in low dimension.
    let tree = (k < n - 1 && x.ncols() <= VP_TREE_MAX_DIM).then(|| VantagePointTree::new(x));
    for_each_row(&mut rows, width, |i, out| {
        let cand = match &tree {
            Some(t) => t
                .nearest(i, k)
                .into_iter()
                .map(|c| (c.sq_dist, c.index))
                .collect(),
            None => brute_force_nearest(x, i, k),
        };
        let d: Vec<f64> = cand.iter().map(|c| c.0).collect();
        let mut p = vec![0.0; k];
        let (beta, perp) = calibrate_row(&d, perplexity, &mut p);
        for (t, (c, pj)) in cand.iter().zip(&p).enumerate() {
            out[2 * t] = c.1 as f64;
            out[2 * t + 1] = *pj;
        }
        out[2 * k] = beta;
        out[2 * k + 1] = perp;
    });
    Ok(symmetrise(&rows, width, k, perplexity, warnings))
}

/// The k nearest rows to row i by computing all N - 1 distances, as (squared distance, row),
/// in no particular order; ties at the k-th distance go to the smaller index.
fn brute_force_nearest(x: &Matrix, i: usize, k: usize) -> Vec<(f64, usize)> {
    let xi = x.row(i);
    let mut cand: Vec<(f64, usize)> = (0..x.nrows())
        .filter(|&j| j != i)
        .map(|j| (sq_dist(xi, x.row(j)), j))
        .collect();
    if k < cand.len() {
        let cmp = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        cand.select_nth_unstable_by(k, cmp);
        cand.truncate(k);
    }
    cand
}

/// The number k of neighbours each row calibrates over, and the warnings about the choice.
fn neighbourhood_size(
    n: usize,
    perplexity: f64,
    neighbours: Neighbours,
) -> Result<(usize, Vec<String>)> {
    if !(perplexity > 1.0 && perplexity < n as f64 - 1.0) {
        return Err(DimredError::InvalidArgument(format!(
            "SNE affinities: perplexity {perplexity} must satisfy 1 < perplexity < N - 1 = {} \
             (it is the effective number of neighbours; only the uniform distribution, σ = ∞, \
             has perplexity N - 1)",
            n as f64 - 1.0
        )));
    }
    let k = match neighbours {
        Neighbours::All => n - 1,
        Neighbours::Nearest(k) => {
            if k >= n || (k as f64) <= perplexity {
                return Err(DimredError::InvalidArgument(format!(
                    "SNE affinities: k = {k} nearest neighbours must satisfy perplexity = \
                     {perplexity} < k < N = {n}"
                )));
            }
            k
        }
    };
    let mut warnings = Vec::new();
    if 3.0 * perplexity > (n - 1) as f64 {
        warnings.push(format!(
            "perplexity {perplexity} is large for N = {n}: 3·perplexity > N - 1, so every point \
             is a neighbour of nearly every other (use perplexity ≤ {:.1})",
            (n - 1) as f64 / 3.0
        ));
    }
    Ok((k, warnings))
}

/// The sparse symmetric P from the rows of conditional probabilities (each row: k pairs
/// (j, p_{j|i}), then β_i and the achieved perplexity).
fn symmetrise(
    rows: &[f64],
    width: usize,
    k: usize,
    perplexity: f64,
    warnings: Vec<String>,
) -> Affinities {
    // Symmetrise: p_ij = (p_{j|i} + p_{i|j}) / 2N on the union of the two patterns.
    let n = rows.len() / width;
    let scale = 1.0 / (2.0 * n as f64);
    let mut lists: Vec<Vec<(usize, f64)>> = vec![Vec::with_capacity(2 * k); n];
    let mut betas = Vec::with_capacity(n);
    let mut max_err: f64 = 0.0;
    for (i, out) in rows.chunks_exact(width).enumerate() {
        for t in 0..k {
            let j = out[2 * t] as usize;
            let v = out[2 * t + 1] * scale;
            lists[i].push((j, v));
            lists[j].push((i, v));
        }
        betas.push(out[2 * k]);
        max_err = max_err.max((out[2 * k + 1] - perplexity).abs() / perplexity);
    }
    let mut offsets = Vec::with_capacity(n + 1);
    let mut indices = Vec::new();
    let mut values = Vec::new();
    offsets.push(0);
    for list in &mut lists {
        list.sort_unstable_by_key(|e| e.0);
        let mut t = 0;
        while t < list.len() {
            let (j, mut v) = list[t];
            t += 1;
            while t < list.len() && list[t].0 == j {
                v += list[t].1;
                t += 1;
            }
            indices.push(j);
            values.push(v);
        }
        offsets.push(indices.len());
    }
    Affinities {
        offsets,
        indices,
        values,
        betas,
        max_perplexity_error: max_err,
        warnings,
    }
}
