//! Metric MDS by SMACOF (`dr.mds.stress`): the loss view L = f(Δ, Θ) with the raw stress
//!
//! σ(Y) = Σ_{i<j} w_ij (Δ_ij - Θ_ij)^2,   Θ_ij = ||y_i - y_j||,
//!
//! minimised by majorisation (de Leeuw 1977; Borg & Groenen, *Modern Multidimensional
//! Scaling*, ch. 8). Classical MDS fits inner products (the strain); this fits the distances
//! themselves, so it also accepts distances that are not Euclidean and weights that ignore
//! some pairs.
//!
//! Why it never increases the stress. Expand σ(Y) = Σ w Δ² + tr(Y^T V Y) - 2 tr(Y^T B(Y) Y),
//! with V = Σ_{i<j} w_ij (e_i - e_j)(e_i - e_j)^T and B(Z)_ij = -w_ij Δ_ij / ||z_i - z_j||
//! (i ≠ j, 0 where z_i = z_j), B_ii = -Σ_{j≠i} B_ij. By Cauchy–Schwarz
//! tr(Y^T B(Z) Z) ≤ tr(Y^T B(Y) Y) for every Z, so
//! τ(Y, Z) = Σ w Δ² + tr(Y^T V Y) - 2 tr(Y^T B(Z) Z) lies above σ and touches it at Y = Z.
//! τ is a convex quadratic in Y,
//! minimised by the Guttman transform Y⁺ = V⁺ B(Z) Z; hence
//! σ(Y⁺) ≤ τ(Y⁺, Z) ≤ τ(Z, Z) = σ(Z). With all weights 1, V⁺ acts on centred matrices as
//! 1/N, so Y⁺ = B(Z) Z / N; row i of it is (1/N) Σ_{j≠i} (Δ_ij / Θ_ij) (z_i - z_j).
//!
//! Conventions (stated because libraries differ): the stress is the raw sum over pairs i < j,
//! not normalised (scikit-learn's `MDS(normalized_stress=False)` reports the same quantity);
//! coincident points contribute B_ij = 0 (the standard choice, and the one that keeps the
//! majorisation inequality); the iteration stops after `max_iter` Guttman transforms or when
//! the relative decrease (σ_k - σ_{k+1}) / σ_k falls below `tol`.

use crate::error::{DimredError, Result};
use crate::mds::ClassicalMds;
use crate::parallel::for_each_row;
use linalg::observe::{ControlFlow, Observer, Silent};
use linalg::{Cholesky, Matrix};
use rand::Rng;

/// Where SMACOF starts.
#[derive(Debug, Clone, PartialEq)]
pub enum SmacofInit {
    /// Classical MDS of the same distances (deterministic and usually close to a good minimum).
    ClassicalMds,
    /// Coordinates uniform in [0, 1) from `linalg::rng(seed)` (scikit-learn's random start).
    Random {
        /// Seed of the generator.
        seed: u64,
    },
    /// A given N x d configuration.
    Given(Matrix),
}

/// Metric MDS by SMACOF into `n_components` dimensions (`dr.mds.stress`).
///
/// ```
/// use dimred::smacof::Smacof;
/// use linalg::Matrix;
/// // Four corners of a unit square: their distances are Euclidean in 2-D, so stress → 0.
/// let x = Matrix::from_rows(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]);
/// let fit = Smacof::new(2).fit_points(&x).unwrap();
/// assert!(fit.stress < 1e-20);
/// assert!(fit.stress_history.windows(2).all(|w| w[1] <= w[0]));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Smacof {
    /// Embedding dimension d.
    pub n_components: usize,
    /// Maximum number of Guttman transforms. Default 300 (scikit-learn's default).
    pub max_iter: usize,
    /// Stop when (σ_k - σ_{k+1}) / σ_k < tol. Default 1e-6; 0 runs all `max_iter` steps.
    pub tol: f64,
    /// Starting configuration. Default [`SmacofInit::ClassicalMds`].
    pub init: SmacofInit,
}

/// The result of SMACOF.
#[derive(Debug, Clone, PartialEq)]
pub struct SmacofFit {
    /// N x d configuration Y, centred.
    pub embedding: Matrix,
    /// The raw stress σ(Y) of `embedding`.
    pub stress: f64,
    /// σ of the start and of every iterate: `iterations + 1` values, never increasing (up to
    /// rounding in the last digits of the sum).
    pub stress_history: Vec<f64>,
    /// Number of Guttman transforms done.
    pub iterations: usize,
    /// True when the relative decrease fell below `tol` before `max_iter`.
    pub converged: bool,
}

impl Smacof {
    /// SMACOF into `d` dimensions with the defaults above.
    pub fn new(d: usize) -> Self {
        Smacof {
            n_components: d,
            max_iter: 300,
            tol: 1e-6,
            init: SmacofInit::ClassicalMds,
        }
    }

    /// Fit the Euclidean distances between the rows of `x` (N x D), all weights 1.
    ///
    /// # Errors
    /// As [`Smacof::fit_distances`].
    pub fn fit_points(&self, x: &Matrix) -> Result<SmacofFit> {
        self.fit_points_observed(x, &mut Silent)
    }

    /// [`Smacof::fit_points`] watched by an [`Observer`] (see [`SmacofIteration`]).
    ///
    /// # Errors
    /// As [`Smacof::fit_distances_observed`].
    pub fn fit_points_observed(
        &self,
        x: &Matrix,
        observer: &mut impl for<'a> Observer<SmacofIteration<'a>>,
    ) -> Result<SmacofFit> {
        crate::error::check_finite(x)?;
        self.fit_distances_observed(&pairwise_distances(x), None, observer)
    }

    /// Fit the dissimilarities Δ (N x N, symmetric, non-negative, zero diagonal) with optional
    /// weights W (N x N, symmetric, non-negative; the diagonal is ignored).
    ///
    /// # Errors
    /// `InvalidArgument` for a bad Δ or W, a shape mismatch, d = 0 or d > N, or weights whose
    /// graph is disconnected (then V is singular: the pieces could be moved independently);
    /// `Linalg` if the classical-MDS start fails.
    pub fn fit_distances(&self, delta: &Matrix, weights: Option<&Matrix>) -> Result<SmacofFit> {
        self.fit_distances_observed(delta, weights, &mut Silent)
    }

    /// [`Smacof::fit_distances`] watched by an [`Observer`]: one [`SmacofIteration`] per entry
    /// of `stress_history`, in order (the start, then every Guttman transform's result), each
    /// with the configuration whose stress it reports.
    ///
    /// # Errors
    /// As [`Smacof::fit_distances`], and `Stopped` when the observer breaks.
    pub fn fit_distances_observed(
        &self,
        delta: &Matrix,
        weights: Option<&Matrix>,
        observer: &mut impl for<'a> Observer<SmacofIteration<'a>>,
    ) -> Result<SmacofFit> {
        let n = delta.nrows();
        let d = self.n_components;
        check_dissimilarities(delta, "SMACOF")?;
        if d == 0 || d > n {
            return Err(DimredError::InvalidArgument(format!(
                "SMACOF: n_components = {d} must be between 1 and N = {n}"
            )));
        }
        // With weights: V⁺ B Z is the solution of (V + 1 1^T / N) Y = B Z, because B Z has zero
        // column sums (the rows of B sum to zero and B is symmetric) and V + 1 1^T / N is
        // positive definite exactly when the weight graph is connected.
        let v_factor = match weights {
            None => None,
            Some(w) => Some(weight_laplacian_factor(w, n)?),
        };
        let mut y = self.start(delta, n)?;
        let mut next = Matrix::zeros(n, d);
        let mut history = Vec::with_capacity(self.max_iter + 1);
        let mut converged = false;
        let mut iterations = 0;
        let mut watch = |k: usize, stress: f64, embedding: &Matrix| {
            let event = SmacofIteration {
                iteration: k,
                stress,
                embedding,
            };
            match observer.observe(&event) {
                ControlFlow::Continue(()) => Ok(()),
                ControlFlow::Break(()) => Err(DimredError::Stopped {
                    method: "SMACOF",
                    iteration: k,
                }),
            }
        };
        for k in 0..self.max_iter {
            // σ(Y_k) comes out of the same pass as Y_{k+1}.
            let s = guttman_transform(delta, weights, v_factor.as_ref(), &y, &mut next);
            history.push(s);
            watch(k, s, &y)?;
            if k > 0 && history[k - 1] - s < self.tol * history[k - 1] {
                converged = true;
                break;
            }
            std::mem::swap(&mut y, &mut next);
            iterations += 1;
        }
        if !converged {
            let s = stress(delta, &y, weights);
            history.push(s);
            watch(iterations, s, &y)?;
        }
        let stress = *history.last().expect("at least one stress value");
        Ok(SmacofFit {
            embedding: y,
            stress,
            stress_history: history,
            iterations,
            converged,
        })
    }

    /// The starting configuration Y_0 (N x d).
    fn start(&self, delta: &Matrix, n: usize) -> Result<Matrix> {
        let d = self.n_components;
        Ok(match &self.init {
            SmacofInit::ClassicalMds => ClassicalMds::new(d).fit_distances(delta)?.embedding,
            SmacofInit::Random { seed } => {
                let mut r = linalg::rng(*seed);
                Matrix::from_fn(n, d, |_, _| r.random::<f64>())
            }
            SmacofInit::Given(y0) => {
                if y0.shape() != (n, d) {
                    return Err(DimredError::InvalidArgument(format!(
                        "SMACOF: the initial configuration is {}x{}, expected {n}x{d}",
                        y0.nrows(),
                        y0.ncols()
                    )));
                }
                y0.clone()
            }
        })
    }
}

/// What SMACOF reports after each step: configuration Y_k (after k Guttman transforms) and
/// its raw stress σ(Y_k), the quantity the notes plot. The stress is a by-product of the
/// transform, so watching costs nothing; `embedding` is borrowed for the duration of the call
/// (copy it to keep a frame).
#[derive(Debug, Clone, Copy)]
pub struct SmacofIteration<'a> {
    /// k: the number of Guttman transforms behind `embedding` (0 = the start).
    pub iteration: usize,
    /// σ(Y_k), raw (not normalised).
    pub stress: f64,
    /// Y_k, N x d.
    pub embedding: &'a Matrix,
}

/// The raw stress σ(Y) = Σ_{i<j} w_ij (Δ_ij - ||y_i - y_j||)^2 (`dr.mds.stress`); all
/// weights 1 when `weights` is `None`.
///
/// # Panics
/// If Δ is not N x N for the N rows of `y`, or W differs in shape from Δ.
#[track_caller]
pub fn stress(delta: &Matrix, y: &Matrix, weights: Option<&Matrix>) -> f64 {
    let n = y.nrows();
    assert_eq!(
        delta.shape(),
        (n, n),
        "stress: Δ is {}x{}, the configuration has {n} rows",
        delta.nrows(),
        delta.ncols()
    );
    if let Some(w) = weights {
        assert_eq!(
            w.shape(),
            delta.shape(),
            "stress: weights are {}x{}, Δ is {n}x{n}",
            w.nrows(),
            w.ncols()
        );
    }
    let mut s = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let r = delta[(i, j)] - linalg::sq_dist(y.row(i), y.row(j)).sqrt();
            s += weights.map_or(1.0, |w| w[(i, j)]) * r * r;
        }
    }
    s
}

/// One Guttman transform: writes Y⁺ = V⁺ B(Y) Y into `out` and returns σ(Y) (computed in the
/// same pass over the pairs, from the same distances).
///
/// Each pair i < j is visited once and adds c_ij (y_i - y_j) to row i of B(Y) Y and subtracts
/// it from row j (c_ij = w_ij Δ_ij / Θ_ij). The pairs are split into [`PARTS`] equal shares
/// (row p together with row N - 1 - p, so that every task has N - 1 pairs), each summed into
/// its own N x d buffer on its own scoped thread, and the buffers are added in a fixed order:
/// the result does not depend on the number of cores.
fn guttman_transform(
    delta: &Matrix,
    weights: Option<&Matrix>,
    v_factor: Option<&Cholesky>,
    y: &Matrix,
    out: &mut Matrix,
) -> f64 {
    let (n, d) = y.shape();
    let ys = y.as_slice();
    let half = n.div_ceil(2);
    let per_part = half.div_ceil(PARTS);
    let partials: Vec<(Vec<f64>, f64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..PARTS)
            .map(|t| {
                scope.spawn(move || {
                    let mut acc = vec![0.0; n * d];
                    let mut s = 0.0;
                    for p in (t * per_part)..((t + 1) * per_part).min(half) {
                        let q = n - 1 - p;
                        s += pair_sweep(delta, weights, ys, d, p, &mut acc);
                        if q != p {
                            s += pair_sweep(delta, weights, ys, d, q, &mut acc);
                        }
                    }
                    (acc, s)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("SMACOF worker thread panicked"))
            .collect()
    });
    let mut bz = vec![0.0; n * d];
    let mut s = 0.0;
    for (acc, sp) in &partials {
        bz.iter_mut().zip(acc).for_each(|(a, b)| *a += b);
        s += sp;
    }
    match v_factor {
        None => {
            let inv_n = 1.0 / n as f64;
            for (o, b) in out.as_mut_slice().iter_mut().zip(&bz) {
                *o = b * inv_n;
            }
        }
        Some(f) => *out = f.solve(&Matrix::from_vec(n, d, bz)),
    }
    s
}

/// Number of shares the pairs of a Guttman transform are split into (one scoped thread each).
/// Fixed, not the core count, so that results are the same on every machine.
const PARTS: usize = 2;

/// The pairs (r, j), j > r: adds c_rj (y_r - y_j) to acc_r, subtracts it from acc_j, and
/// returns Σ_j w_rj (Δ_rj - Θ_rj)^2. Coincident points (Θ = 0) get c = 0.
fn pair_sweep(
    delta: &Matrix,
    weights: Option<&Matrix>,
    ys: &[f64],
    d: usize,
    r: usize,
    acc: &mut [f64],
) -> f64 {
    let n = ys.len() / d;
    if d == 2 && weights.is_none() {
        return pair_sweep_2d(delta.row(r), ys, r, acc);
    }
    let dr = &delta.row(r)[r + 1..];
    let mut s = 0.0;
    let wr = weights.map(|w| &w.row(r)[r + 1..]);
    let mut diff = vec![0.0; d];
    for (jj, &dl) in dr.iter().enumerate() {
        let j = r + 1 + jj;
        let mut t2 = 0.0;
        for k in 0..d {
            diff[k] = ys[r * d + k] - ys[j * d + k];
            t2 += diff[k] * diff[k];
        }
        let t = t2.sqrt();
        let w = wr.map_or(1.0, |w| w[jj]);
        let e = dl - t;
        s += w * e * e;
        if t > 0.0 {
            let c = w * dl / t;
            for k in 0..d {
                acc[r * d + k] += c * diff[k];
                acc[j * d + k] -= c * diff[k];
            }
        }
    }
    debug_assert!(r < n);
    s
}

/// [`pair_sweep`] for unweighted 2-D SMACOF, its hot loop: `delta_r` is row r of Δ.
fn pair_sweep_2d(delta_r: &[f64], ys: &[f64], r: usize, acc: &mut [f64]) -> f64 {
    let dr = &delta_r[r + 1..];
    // The hot loop of unweighted 2-D SMACOF, written out for two pairs at a time with
    // separate sums (lanes a and b), so that the square roots, divisions and sums can use
    // both halves of a vector register.
    let (rx, ry) = (ys[2 * r], ys[2 * r + 1]);
    let (head, tail) = acc.split_at_mut(2 * (r + 1));
    let yt = &ys[2 * (r + 1)..];
    let m = dr.len();
    let pairs = m / 2;
    let (mut sa, mut sb) = (0.0, 0.0);
    let (mut axa, mut axb, mut aya, mut ayb) = (0.0, 0.0, 0.0, 0.0);
    for ((yc, ac), dl) in yt[..4 * pairs]
        .chunks_exact(4)
        .zip(tail[..4 * pairs].chunks_exact_mut(4))
        .zip(dr[..2 * pairs].chunks_exact(2))
    {
        let (dxa, dya) = (rx - yc[0], ry - yc[1]);
        let (dxb, dyb) = (rx - yc[2], ry - yc[3]);
        let ta = (dxa * dxa + dya * dya).sqrt();
        let tb = (dxb * dxb + dyb * dyb).sqrt();
        let (ea, eb) = (dl[0] - ta, dl[1] - tb);
        sa += ea * ea;
        sb += eb * eb;
        let ca = if ta > 0.0 { dl[0] / ta } else { 0.0 };
        let cb = if tb > 0.0 { dl[1] / tb } else { 0.0 };
        axa += ca * dxa;
        aya += ca * dya;
        axb += cb * dxb;
        ayb += cb * dyb;
        ac[0] -= ca * dxa;
        ac[1] -= ca * dya;
        ac[2] -= cb * dxb;
        ac[3] -= cb * dyb;
    }
    let (mut ax, mut ay) = (axa + axb, aya + ayb);
    let mut s = sa + sb;
    if m % 2 == 1 {
        let (yc, dl) = (&yt[2 * (m - 1)..], dr[m - 1]);
        let (dx, dy) = (rx - yc[0], ry - yc[1]);
        let t = (dx * dx + dy * dy).sqrt();
        s += (dl - t) * (dl - t);
        let c = if t > 0.0 { dl / t } else { 0.0 };
        ax += c * dx;
        ay += c * dy;
        tail[2 * (m - 1)] -= c * dx;
        tail[2 * (m - 1) + 1] -= c * dy;
    }
    head[2 * r] += ax;
    head[2 * r + 1] += ay;
    s
}

/// Cholesky factor of V + 1 1^T / N for the weighted Guttman transform.
fn weight_laplacian_factor(w: &Matrix, n: usize) -> Result<Cholesky> {
    if w.shape() != (n, n) {
        return Err(DimredError::InvalidArgument(format!(
            "SMACOF: weights are {}x{}, Δ is {n}x{n}",
            w.nrows(),
            w.ncols()
        )));
    }
    for i in 0..n {
        for j in 0..n {
            let v = w[(i, j)];
            if i != j && (!v.is_finite() || v < 0.0 || v != w[(j, i)]) {
                return Err(DimredError::InvalidArgument(format!(
                    "SMACOF: weights must be finite, non-negative and symmetric; w[{i},{j}] = \
                     {v}, w[{j},{i}] = {}",
                    w[(j, i)]
                )));
            }
        }
    }
    let inv_n = 1.0 / n as f64;
    let mut v = Matrix::from_fn(n, n, |i, j| if i == j { 0.0 } else { -w[(i, j)] });
    for i in 0..n {
        let s: f64 = v.row(i).iter().sum();
        v[(i, i)] = -s;
    }
    let v = v.map(|a| a + inv_n);
    Cholesky::new(&v).map_err(|_| {
        DimredError::InvalidArgument(
            "SMACOF: the graph of positive weights is disconnected, so the pieces could move \
             independently and the majorisation step is not unique; connect it or fit each \
             piece separately"
                .into(),
        )
    })
}

/// A dissimilarity matrix must be square, finite, symmetric, non-negative, with zero diagonal.
pub(crate) fn check_dissimilarities(delta: &Matrix, what: &str) -> Result<()> {
    if !delta.is_square() {
        return Err(DimredError::InvalidArgument(format!(
            "{what}: the dissimilarity matrix must be square, got {}x{}",
            delta.nrows(),
            delta.ncols()
        )));
    }
    crate::error::check_finite(delta)?;
    let n = delta.nrows();
    for i in 0..n {
        if delta[(i, i)] != 0.0 {
            return Err(DimredError::InvalidArgument(format!(
                "{what}: Δ[{i},{i}] = {} but a point is at distance 0 from itself",
                delta[(i, i)]
            )));
        }
        for j in i + 1..n {
            let (a, b) = (delta[(i, j)], delta[(j, i)]);
            if a < 0.0 || a != b {
                return Err(DimredError::InvalidArgument(format!(
                    "{what}: Δ must be symmetric and non-negative; Δ[{i},{j}] = {a}, \
                     Δ[{j},{i}] = {b}"
                )));
            }
        }
    }
    Ok(())
}

/// Euclidean distances ||x_i - x_j|| between the rows of `x` (N x N, exactly symmetric, zero
/// diagonal), from differences as [`Matrix::pairwise_sq_distances`] but parallel over rows:
/// the O(N^2 D) step in front of SMACOF, diffusion maps and SNE.
pub(crate) fn pairwise_distances(x: &Matrix) -> Matrix {
    let mut d = pairwise_sq_distances_parallel(x);
    d.as_mut_slice().iter_mut().for_each(|v| *v = v.sqrt());
    d
}

/// Squared Euclidean distances between the rows of `x` (exactly symmetric, zero diagonal),
/// parallel. Only the upper triangle is computed, and row p is paired with row N - 1 - p so
/// that every task does the same N - 1 distances (contiguous blocks of plain rows would give
/// the first thread three quarters of the triangle); a serial pass mirrors the result.
pub(crate) fn pairwise_sq_distances_parallel(x: &Matrix) -> Matrix {
    let n = x.nrows();
    let half = n.div_ceil(2);
    // Task p: row p's entries j > p, then (if it is another row) row N-1-p's entries j > N-1-p.
    let width = n.max(1);
    let mut tasks = vec![0.0; half * width];
    for_each_row(&mut tasks, width, |p, out| {
        let q = n - 1 - p;
        let mut t = 0;
        for r in if q != p { vec![p, q] } else { vec![p] } {
            let xr = x.row(r);
            for j in r + 1..n {
                out[t] = linalg::sq_dist(xr, x.row(j));
                t += 1;
            }
        }
    });
    // Row r's upper part (its entries j > r) is one slice of `tasks`: the head of task r for
    // r < half, the tail of task N-1-r (after that row's N-1-(N-1-r) = r entries) otherwise.
    let upper = |r: usize| -> &[f64] {
        let start = if r < half {
            r * width
        } else {
            (n - 1 - r) * width + r
        };
        &tasks[start..start + n - 1 - r]
    };
    // Output rows j0..j0+rows into `block`: the upper part is a copy, the lower part gathers
    // column j of the rows above, TILE rows at a time so that the rows read stay in cache.
    const TILE: usize = 64;
    let fill = |j0: usize, block: &mut [f64]| {
        let rows = block.len() / n.max(1);
        for t0 in (0..rows).step_by(TILE) {
            let t1 = (t0 + TILE).min(rows);
            for jj in t0..t1 {
                let j = j0 + jj;
                block[jj * n + j + 1..(jj + 1) * n].copy_from_slice(upper(j));
            }
            for i in 0..j0 + t1 {
                let src = upper(i);
                for jj in t0..t1 {
                    let j = j0 + jj;
                    if i < j {
                        block[jj * n + i] = src[j - i - 1];
                    }
                }
            }
        }
    };
    // Every row has N - 1 entries to fill, so two halves of the rows are equal work.
    let mut d = vec![0.0; n * n];
    let split = n / 2;
    let (top, bottom) = d.split_at_mut(split * n);
    std::thread::scope(|scope| {
        scope.spawn(|| fill(0, top));
        fill(split, bottom);
    });
    Matrix::from_vec(n, n, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paired, tiled, two-thread assembly gives exactly the serial distance matrix, for
    /// odd and even N and N around the tile size.
    #[test]
    fn parallel_distances_equal_serial() {
        for n in [0, 1, 2, 3, 5, 63, 64, 65, 130, 131, 200] {
            let x = Matrix::random_normal(n, 3, n as u64);
            let serial = x.pairwise_sq_distances();
            assert_eq!(pairwise_sq_distances_parallel(&x), serial, "N = {n}");
        }
    }
}
