//! Sketch-map (`dr.sketchmap.stress`; Ceriotti, Tribello & Parrinello, PNAS 2011): metric MDS
//! on sigmoid-transformed distances,
//!
//! σ(Y) = Σ_{i<j} w_ij [F(Δ_ij) - f(Θ_ij)]^2,   Θ_ij = ||y_i - y_j||,
//!
//! with F = s_{σ,A,B} on the data side and f = s_{σ,a,b} on the map side, where
//!
//! s_{σ,a,b}(r) = 1 - (1 + (2^{a/b} - 1)(r/σ)^a)^{-b/a}.
//!
//! s rises from 0 to 1, is ½ exactly at r = σ, grows like r^a near 0 and approaches 1 like
//! 1 - c r^{-b} far away. The idea: distances much shorter than σ (noise inside one basin) all
//! map to about 0, distances much longer than σ (unrelated basins) all map to about 1, and the
//! stress is spent on the intermediate scale around σ, which is what a 2-D map can show. With
//! F = f = identity the loss is metric MDS's stress ([`crate::smacof::stress`]).
//!
//! Choosing the parameters. σ is the length scale that separates "the same" from "different":
//! look at the histogram of pairwise distances and put σ between the peak of short distances
//! and the bulk of long ones. Our default, when σ is not given, is the median pairwise distance
//! between the landmarks (half the pairs are "near", half "far"; s(σ) = ½). Defaults for the
//! exponents: A = 8, B = 2 on the data side, a = 2, b = 2 on the map side. A large A makes the
//! high-dimensional switch sharp, because in many dimensions distances concentrate and the
//! interesting contrast is narrow; a = 2 keeps short map distances quadratic (smooth, so the
//! optimiser has a well-defined gradient at Θ = 0); B = b lets the long-range tails decay alike.
//!
//! The algorithm. (1) Landmarks: L points chosen by farthest-point sampling (deterministic),
//! each with the weight n_l = number of points whose nearest landmark it is, and pair weights
//! w_ij = n_i n_j, so the landmark stress stands for the stress of all N points. (2) Global
//! start: classical MDS of the landmark distances. (3) Local minimisation by L-BFGS with an
//! Armijo backtracking line search, which lowers the stress at every accepted step.
//! (4) Out-of-sample: each other point is placed by minimising its own stress against the
//! fixed landmarks, Σ_l n_l [F(Δ_xl) - f(||y - y_l||)]^2, started from the best of the map
//! positions of its five nearest landmarks. So N in the thousands costs O(L^2) per iteration
//! plus O(N L) per out-of-sample sweep, instead of O(N^2).

use crate::error::{DimredError, Result};
use crate::mds::ClassicalMds;
use crate::parallel::for_each_row;
use crate::smacof::check_dissimilarities;
use linalg::observe::{ControlFlow, Observer, Silent};
use linalg::{sq_dist, Matrix};

/// A distance transform for sketch-map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transform {
    /// r ↦ r (metric MDS).
    Identity,
    /// s_{σ,a,b}(r) = 1 - (1 + (2^{a/b} - 1)(r/σ)^a)^{-b/a}.
    Sigmoid {
        /// Switching distance σ > 0: s(σ) = ½.
        sigma: f64,
        /// Short-range exponent a > 0: s ~ r^a near 0.
        a: f64,
        /// Long-range exponent b > 0: 1 - s ~ r^{-b} far away.
        b: f64,
    },
}

impl Transform {
    /// The transform's value at r ≥ 0.
    ///
    /// ```
    /// use dimred::sketchmap::Transform;
    /// let s = Transform::Sigmoid { sigma: 2.0, a: 2.0, b: 6.0 };
    /// assert!((s.apply(2.0) - 0.5).abs() < 1e-15); // s(σ) = ½
    /// ```
    pub fn apply(&self, r: f64) -> f64 {
        match *self {
            Transform::Identity => r,
            Transform::Sigmoid { sigma, a, b } => {
                let c = (a / b).exp2() - 1.0;
                1.0 - (1.0 + c * (r / sigma).powf(a)).powf(-b / a)
            }
        }
    }

    /// The derivative at r ≥ 0: b c (r/σ)^{a-1} / σ · (1 + c (r/σ)^a)^{-b/a - 1} for the sigmoid.
    pub fn derivative(&self, r: f64) -> f64 {
        match *self {
            Transform::Identity => 1.0,
            Transform::Sigmoid { sigma, a, b } => {
                let c = (a / b).exp2() - 1.0;
                let x = r / sigma;
                b * c * x.powf(a - 1.0) / sigma * (1.0 + c * x.powf(a)).powf(-b / a - 1.0)
            }
        }
    }

    /// f'(r) / r, the factor of (y_i - y_j) in the gradient. At r = 0 the limit where it is
    /// finite (the sigmoid with a = 2: b c / σ^2; a > 2: 0), else 0: the pair's term is then a
    /// subgradient, as SMACOF's B_ij = 0 for coincident points.
    fn derivative_over_r(&self, r: f64) -> f64 {
        if r > 0.0 {
            return self.derivative(r) / r;
        }
        match *self {
            Transform::Sigmoid { sigma, a, b } if a == 2.0 => {
                let c = (a / b).exp2() - 1.0;
                b * c / (sigma * sigma)
            }
            _ => 0.0,
        }
    }

    fn check(&self, side: &str) -> Result<()> {
        if let Transform::Sigmoid { sigma, a, b } = *self {
            if !(sigma > 0.0 && a > 0.0 && b > 0.0 && sigma.is_finite()) {
                return Err(DimredError::InvalidArgument(format!(
                    "sketch-map: the {side} sigmoid needs σ, a, b > 0, got σ = {sigma}, a = {a}, \
                     b = {b}"
                )));
            }
        }
        Ok(())
    }
}

/// The sketch-map stress Σ_{i<j} w_ij [F_ij - f(||y_i - y_j||)]^2 for already transformed
/// data distances F_ij = F(Δ_ij) (`dr.sketchmap.stress`); all weights 1 when `weights` is
/// `None`. With `low = Transform::Identity` and F = Δ it is [`crate::smacof::stress`].
///
/// # Panics
/// If the shapes disagree.
#[track_caller]
pub fn stress(f_high: &Matrix, y: &Matrix, low: Transform, weights: Option<&Matrix>) -> f64 {
    let mut g = Matrix::zeros(y.nrows(), y.ncols());
    stress_gradient(f_high, y, low, weights, &mut g)
}

/// The stress (as [`stress`]) and its analytic gradient
/// ∂σ/∂y_i = Σ_{j≠i} 2 w_ij (f(Θ_ij) - F_ij) f'(Θ_ij) (y_i - y_j) / Θ_ij into `grad`
/// (`dr.sketchmap.stress`).
///
/// # Panics
/// If the shapes disagree.
#[track_caller]
pub fn stress_gradient(
    f_high: &Matrix,
    y: &Matrix,
    low: Transform,
    weights: Option<&Matrix>,
    grad: &mut Matrix,
) -> f64 {
    let (n, d) = y.shape();
    assert!(
        f_high.shape() == (n, n)
            && grad.shape() == (n, d)
            && weights.is_none_or(|w| w.shape() == (n, n)),
        "sketch-map stress: transformed distances {}x{}, configuration {n}x{d}, gradient {}x{}",
        f_high.nrows(),
        f_high.ncols(),
        grad.nrows(),
        grad.ncols()
    );
    let ys = y.as_slice();
    let mut rows = vec![0.0; n * (d + 1)];
    for_each_row(&mut rows, d + 1, |i, out| {
        let yi = &ys[i * d..(i + 1) * d];
        let fi = f_high.row(i);
        let wi = weights.map(|w| w.row(i));
        let mut s = 0.0;
        for (j, yj) in ys.chunks_exact(d).enumerate() {
            if j == i {
                continue;
            }
            let w = wi.map_or(1.0, |w| w[j]);
            let theta = sq_dist(yi, yj).sqrt();
            let r = low.apply(theta) - fi[j];
            s += w * r * r;
            let c = 2.0 * w * r * low.derivative_over_r(theta);
            for k in 0..d {
                out[k] += c * (yi[k] - yj[k]);
            }
        }
        out[d] = s;
    });
    let mut total = 0.0;
    for (g, row) in grad
        .as_mut_slice()
        .chunks_exact_mut(d)
        .zip(rows.chunks_exact(d + 1))
    {
        g.copy_from_slice(&row[..d]);
        total += row[d];
    }
    // Every pair was visited from both ends; the gradient of the i<j sum counts each once per end.
    0.5 * total
}

/// Sketch-map into `n_components` dimensions (`dr.sketchmap.stress`).
///
/// ```
/// use dimred::sketchmap::SketchMap;
/// let d = dimred::data::blobs(120, 3, 6, 0.5, 3);
/// let fit = SketchMap { n_landmarks: 40, ..SketchMap::new(2) }.fit(&d.x).unwrap();
/// assert_eq!(fit.embedding.shape(), (120, 2));
/// let h = &fit.stress_history;
/// assert!(h.last().unwrap() < &h[0]); // the optimisation lowered the stress
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SketchMap {
    /// Embedding dimension d.
    pub n_components: usize,
    /// σ of the data-side sigmoid F; `None` = median pairwise distance between landmarks.
    pub sigma: Option<f64>,
    /// σ of the map-side sigmoid f; `None` = the same as the data side (the usual choice:
    /// "different" means the same distance in both spaces).
    pub low_sigma: Option<f64>,
    /// (A, B) of the data-side sigmoid. Default (8, 2).
    pub high_exponents: (f64, f64),
    /// (a, b) of the map-side sigmoid. Default (2, 2).
    pub low_exponents: (f64, f64),
    /// Number of landmarks L (capped at N). Default 300.
    pub n_landmarks: usize,
    /// Maximum L-BFGS iterations on the landmarks. Default 1000.
    pub max_iter: usize,
    /// Stop when the gradient norm is below `gtol` times its initial value. Default 1e-6.
    pub gtol: f64,
}

/// The result of sketch-map.
#[derive(Debug, Clone, PartialEq)]
pub struct SketchMapFit {
    /// N x d map.
    pub embedding: Matrix,
    /// Indices of the landmarks, in the order farthest-point sampling chose them.
    pub landmarks: Vec<usize>,
    /// n_l: how many points have each landmark as nearest landmark (Σ = N).
    pub landmark_weights: Vec<f64>,
    /// The weighted landmark stress after the classical-MDS start and after every L-BFGS step:
    /// strictly decreasing (Armijo condition).
    pub stress_history: Vec<f64>,
    /// The data-side σ used (the map side uses `low_sigma` if given, else this).
    pub sigma: f64,
}

/// What sketch-map reports after each L-BFGS step on the landmarks: the step k (0 = the
/// classical-MDS start), the weighted landmark stress (the quantity the notes plot, computed by
/// every step anyway) and the landmarks' map coordinates, borrowed for the duration of the
/// call (row-major L x d: landmark t at `[t * n_components..(t + 1) * n_components]`, in the
/// order of `SketchMapFit::landmarks`).
#[derive(Debug, Clone, Copy)]
pub struct SketchMapIteration<'a> {
    /// k: the number of L-BFGS steps behind the coordinates.
    pub iteration: usize,
    /// The weighted landmark stress.
    pub stress: f64,
    /// The landmarks' map coordinates, row-major L x d.
    pub landmark_coordinates: &'a [f64],
    /// d, the length of one landmark's row.
    pub n_components: usize,
}

impl SketchMap {
    /// Sketch-map into `d` dimensions with the defaults above.
    pub fn new(d: usize) -> Self {
        SketchMap {
            n_components: d,
            sigma: None,
            low_sigma: None,
            high_exponents: (8.0, 2.0),
            low_exponents: (2.0, 2.0),
            n_landmarks: 300,
            max_iter: 1000,
            gtol: 1e-6,
        }
    }

    /// The landmarks [`SketchMap::fit`] chooses for `x` (farthest-point sampling from row 0,
    /// at most N of them), as row indices in the order of
    /// [`SketchMapIteration::landmark_coordinates`], and the data-side σ it uses when `sigma`
    /// is `None` (the median distance between the landmarks). For observers that draw the
    /// landmarks while they move.
    pub fn landmarks(&self, x: &Matrix) -> (Vec<usize>, f64) {
        let (landmarks, _) = farthest_point_sampling(x, self.n_landmarks.min(x.nrows()));
        let delta = crate::smacof::pairwise_distances(&x.select_rows(&landmarks));
        (landmarks, median_off_diagonal(&delta))
    }

    /// Fit on N x D data.
    ///
    /// # Errors
    /// `InvalidArgument` for d = 0, fewer landmarks than d + 1, bad sigmoid parameters, or
    /// landmarks all at one point; `Linalg` for non-finite data or a failing MDS start.
    pub fn fit(&self, x: &Matrix) -> Result<SketchMapFit> {
        self.fit_observed(x, &mut Silent)
    }

    /// [`SketchMap::fit`] watched by an [`Observer`]: one [`SketchMapIteration`] per entry of
    /// `stress_history` (the classical-MDS start, then every L-BFGS step on the landmarks).
    ///
    /// # Errors
    /// As [`SketchMap::fit`], and `Stopped` when the observer breaks.
    pub fn fit_observed(
        &self,
        x: &Matrix,
        observer: &mut impl for<'a> Observer<SketchMapIteration<'a>>,
    ) -> Result<SketchMapFit> {
        crate::error::check_finite(x)?;
        let n = x.nrows();
        let d = self.n_components;
        let l = self.n_landmarks.min(n);
        if d == 0 || l < d + 1 {
            return Err(DimredError::InvalidArgument(format!(
                "sketch-map: need 1 ≤ d and at least d + 1 landmarks; d = {d}, landmarks = {l}"
            )));
        }
        let (landmarks, counts) = farthest_point_sampling(x, l);
        let xl = x.select_rows(&landmarks);
        let delta = crate::smacof::pairwise_distances(&xl);
        let sigma = match self.sigma {
            Some(s) => s,
            None => median_off_diagonal(&delta),
        };
        let high = Transform::Sigmoid {
            sigma,
            a: self.high_exponents.0,
            b: self.high_exponents.1,
        };
        let low = Transform::Sigmoid {
            sigma: self.low_sigma.unwrap_or(sigma),
            a: self.low_exponents.0,
            b: self.low_exponents.1,
        };
        high.check("high-dimensional")?;
        low.check("low-dimensional")?;
        let f_high = delta.map(|r| high.apply(r));
        let w = Matrix::from_fn(l, l, |i, j| counts[i] * counts[j]);
        let y0 = ClassicalMds::new(d).fit_distances(&delta)?.embedding;
        let mut history = Vec::new();
        let y_flat = lbfgs(
            y0.into_vec(),
            |v, g| {
                let y = Matrix::from_vec(l, d, v.to_vec());
                let mut gm = Matrix::zeros(l, d);
                let s = stress_gradient(&f_high, &y, low, Some(&w), &mut gm);
                g.copy_from_slice(gm.as_slice());
                s
            },
            self.max_iter,
            self.gtol,
            |iteration, stress, coordinates| {
                history.push(stress);
                observer.observe(&SketchMapIteration {
                    iteration,
                    stress,
                    landmark_coordinates: coordinates,
                    n_components: d,
                })
            },
        )
        .map_err(|iteration| DimredError::Stopped {
            method: "sketch-map",
            iteration,
        })?;
        let yl = Matrix::from_vec(l, d, y_flat);
        let embedding = project_out_of_sample(x, &xl, &yl, &counts, &landmarks, high, low);
        Ok(SketchMapFit {
            embedding,
            landmarks,
            landmark_weights: counts,
            stress_history: history,
            sigma,
        })
    }
}

/// Each point's map position: landmarks keep theirs; every other point minimises
/// Σ_l n_l [F(Δ_xl) - f(||y - y_l||)]^2 over y by L-BFGS, started from the best of the map
/// positions of its five nearest landmarks (nudged by 1e-3 σ so that no distance is 0).
fn project_out_of_sample(
    x: &Matrix,
    xl: &Matrix,
    yl: &Matrix,
    counts: &[f64],
    landmarks: &[usize],
    high: Transform,
    low: Transform,
) -> Matrix {
    let (n, d) = (x.nrows(), yl.ncols());
    let l = xl.nrows();
    let mut is_landmark = vec![usize::MAX; n];
    for (t, &i) in landmarks.iter().enumerate() {
        is_landmark[i] = t;
    }
    let nudge = match high {
        Transform::Sigmoid { sigma, .. } => 1e-3 * sigma,
        Transform::Identity => 1e-3,
    };
    let mut out = vec![0.0; n * d];
    for_each_row(&mut out, d, |i, row| {
        if is_landmark[i] != usize::MAX {
            row.copy_from_slice(yl.row(is_landmark[i]));
            return;
        }
        let xi = x.row(i);
        let dist: Vec<f64> = (0..l).map(|t| sq_dist(xi, xl.row(t)).sqrt()).collect();
        let fh: Vec<f64> = dist.iter().map(|&r| high.apply(r)).collect();
        let point_stress = |y: &[f64], g: &mut [f64]| -> f64 {
            g.iter_mut().for_each(|v| *v = 0.0);
            let mut s = 0.0;
            for t in 0..l {
                let ylt = yl.row(t);
                let theta = sq_dist(y, ylt).sqrt();
                let r = low.apply(theta) - fh[t];
                s += counts[t] * r * r;
                let c = 2.0 * counts[t] * r * low.derivative_over_r(theta);
                for k in 0..d {
                    g[k] += c * (y[k] - ylt[k]);
                }
            }
            s
        };
        let mut order: Vec<usize> = (0..l).collect();
        let m = 5.min(l);
        order.select_nth_unstable_by(m - 1, |&a, &b| dist[a].total_cmp(&dist[b]));
        let mut g = vec![0.0; d];
        let mut best = (f64::INFINITY, vec![0.0; d]);
        for &t in &order[..m] {
            let mut y: Vec<f64> = yl.row(t).to_vec();
            y[0] += nudge;
            let s = point_stress(&y, &mut g);
            if s < best.0 {
                best = (s, y);
            }
        }
        let y = lbfgs(best.1, point_stress, 100, 1e-8, |_, _, _| {
            ControlFlow::Continue(())
        })
        .expect("an observer that never breaks");
        row.copy_from_slice(&y);
    });
    Matrix::from_vec(n, d, out)
}

/// Farthest-point sampling of `l` rows, starting from row 0: each new landmark is the point
/// farthest from those chosen so far (ties: smallest index). Returns the landmarks and the
/// Voronoi counts n_l (how many points have landmark l as their nearest).
pub(crate) fn farthest_point_sampling(x: &Matrix, l: usize) -> (Vec<usize>, Vec<f64>) {
    let n = x.nrows();
    let mut chosen = Vec::with_capacity(l);
    let mut min_d = vec![f64::INFINITY; n];
    let mut owner = vec![0usize; n];
    let mut next = 0;
    for t in 0..l {
        chosen.push(next);
        let c = x.row(next);
        let mut far = (f64::NEG_INFINITY, 0);
        for i in 0..n {
            let v = sq_dist(x.row(i), c);
            if v < min_d[i] {
                min_d[i] = v;
                owner[i] = t;
            }
            if min_d[i] > far.0 {
                far = (min_d[i], i);
            }
        }
        next = far.1;
    }
    let mut counts = vec![0.0; l];
    for &o in &owner {
        counts[o] += 1.0;
    }
    (chosen, counts)
}

/// Median of the entries above the diagonal of a symmetric matrix.
fn median_off_diagonal(a: &Matrix) -> f64 {
    let n = a.nrows();
    let mut v: Vec<f64> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .map(|(i, j)| a[(i, j)])
        .collect();
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    *m
}

/// Limited-memory BFGS (memory 7) with an Armijo backtracking line search (c1 = 1e-4, halving):
/// every accepted step lowers f, so the values `on_step(k, f(x_k), x_k)` receives (k = 0 at
/// the start, then after each step) strictly decrease. Stops after `max_iter` steps, when
/// ||∇f|| ≤ gtol · ||∇f(x0)||, or when no step along the search direction decreases f (then
/// f is at a minimum to working precision); `Err(k)` when `on_step` breaks at step k.
pub(crate) fn lbfgs(
    mut x: Vec<f64>,
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    max_iter: usize,
    gtol: f64,
    mut on_step: impl FnMut(usize, f64, &[f64]) -> ControlFlow<()>,
) -> std::result::Result<Vec<f64>, usize> {
    const M: usize = 7;
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    if on_step(0, fx, &x).is_break() {
        return Err(0);
    }
    let g0 = linalg::norm2(&g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for step_number in 1..=max_iter {
        let gn = linalg::norm2(&g);
        if gn <= gtol * g0 || gn == 0.0 {
            break;
        }
        let mut p = two_loop_direction(&g, &s_hist, &y_hist, gn);
        let mut slope = linalg::dot(&g, &p);
        if slope >= 0.0 {
            // Not a descent direction (curvature information gone stale): restart with -g.
            s_hist.clear();
            y_hist.clear();
            p = g.iter().map(|v| -v / gn).collect();
            slope = linalg::dot(&g, &p);
        }
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..60 {
            for t in 0..n {
                x_new[t] = x[t] + step * p[t];
            }
            let f_new = f(&x_new, &mut g_new);
            if f_new <= fx + 1e-4 * step * slope && f_new < fx {
                let s: Vec<f64> = (0..n).map(|t| x_new[t] - x[t]).collect();
                let yv: Vec<f64> = (0..n).map(|t| g_new[t] - g[t]).collect();
                if linalg::dot(&s, &yv) > 1e-12 * linalg::norm2(&s) * linalg::norm2(&yv) {
                    if s_hist.len() == M {
                        s_hist.remove(0);
                        y_hist.remove(0);
                    }
                    s_hist.push(s);
                    y_hist.push(yv);
                }
                std::mem::swap(&mut x, &mut x_new);
                std::mem::swap(&mut g, &mut g_new);
                fx = f_new;
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
        if on_step(step_number, fx, &x).is_break() {
            return Err(step_number);
        }
    }
    Ok(x)
}

/// The L-BFGS search direction p = -H g by the two-loop recursion over the stored steps
/// s_k and gradient changes y_k, with H_0 = (s·y / y·y) I from the newest pair (the first
/// step, with no pairs: a step of length 1 along -g / ||g||, `gn` = ||g||).
fn two_loop_direction(g: &[f64], s_hist: &[Vec<f64>], y_hist: &[Vec<f64>], gn: f64) -> Vec<f64> {
    let mut q = g.to_vec();
    let mut alphas = vec![0.0; s_hist.len()];
    for k in (0..s_hist.len()).rev() {
        let rho = 1.0 / linalg::dot(&y_hist[k], &s_hist[k]);
        alphas[k] = rho * linalg::dot(&s_hist[k], &q);
        linalg::axpy(-alphas[k], &y_hist[k], &mut q);
    }
    let gamma = match (s_hist.last(), y_hist.last()) {
        (Some(s), Some(y)) => linalg::dot(s, y) / linalg::dot(y, y),
        // First step: a length-1 step along -g / ||g||.
        _ => 1.0 / gn,
    };
    q.iter_mut().for_each(|v| *v *= gamma);
    for k in 0..s_hist.len() {
        let rho = 1.0 / linalg::dot(&y_hist[k], &s_hist[k]);
        let beta = rho * linalg::dot(&y_hist[k], &q);
        linalg::axpy(alphas[k] - beta, &s_hist[k], &mut q);
    }
    q.iter().map(|v| -v).collect()
}

/// Check the dissimilarities and apply `high` to them: F_ij = F(Δ_ij), for users who bring
/// their own Δ to [`stress`].
///
/// # Errors
/// As the dissimilarity check of SMACOF, or bad sigmoid parameters.
pub fn transform_distances(delta: &Matrix, high: Transform) -> Result<Matrix> {
    check_dissimilarities(delta, "sketch-map")?;
    high.check("high-dimensional")?;
    Ok(delta.map(|r| high.apply(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn landmarks_are_those_the_fit_uses() {
        let x = crate::data::blobs(150, 3, 4, 1.0, 2).x;
        let sm = SketchMap {
            n_landmarks: 40,
            max_iter: 5,
            ..SketchMap::new(2)
        };
        let (landmarks, sigma) = sm.landmarks(&x);
        let fit = sm.fit(&x).unwrap();
        assert_eq!(landmarks, fit.landmarks);
        assert_eq!(sigma, fit.sigma);
    }
}
