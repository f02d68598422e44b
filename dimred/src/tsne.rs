//! t-SNE and SNE (`dr.tsne.gradient`; van der Maaten & Hinton 2008, van der Maaten 2014): the
//! low-dimensional side Q(N) of the lecture's picture, fitted to P by minimising KL(P || Q).
//!
//! q_ij = w_ij / Z, Z = Σ_{k≠l} w_kl, with the Student-t (Cauchy) kernel w_ij = (1 + ||y_i - y_j||^2)^{-1}
//! for t-SNE or the Gaussian w_ij = exp(-||y_i - y_j||^2) for (symmetric) SNE. The loss
//! KL(P || Q) = Σ p_ij ln(p_ij / q_ij) has the gradients
//!
//! - t-SNE: ∂KL/∂y_i = 4 Σ_j (p_ij - q_ij) w_ij (y_i - y_j),
//! - SNE:   ∂KL/∂y_i = 4 Σ_j (p_ij - q_ij) (y_i - y_j).
//!
//! Both split into an attractive part over the stored entries of the sparse P and a repulsive
//! part over all pairs, Σ_j q_ij w_ij (y_i - y_j) = (1/Z) Σ_j w_ij^2 (y_i - y_j) for t-SNE.
//! The repulsive sum costs O(N^2) exactly ([`exact_gradient`]); Barnes–Hut
//! ([`barnes_hut_gradient`], 2-D only) replaces every quadtree cell that looks small from y_i
//! (cell side < θ · distance to the cell's centre of mass) by its centre of mass carrying all
//! its points, which costs O(N log N).
//!
//! Why the heavy tail (the crowding problem): in d dimensions the volume at distance r grows
//! like r^{D-1}, so moderately distant neighbours in high dimension cannot all be placed at
//! matching distances in 2-D. A Gaussian Q forces them too close and squashes clusters into
//! each other; the Cauchy kernel lets moderate distances become large ones at little cost.
//! Keeping [`LowDimKernel::Gaussian`] beside [`LowDimKernel::StudentT`] shows the difference.
//!
//! Conventions (scikit-learn's, stated because libraries differ): the factor 4 is in the
//! gradient; learning rate "auto" = max(N / early_exaggeration / 4, 50); early exaggeration 12
//! for the first 250 iterations with momentum 0.5, then momentum 0.8; gains as in van der
//! Maaten's code (+0.2 when the gradient's sign disagrees with the previous update, ×0.8
//! otherwise, at least 0.01); PCA initialisation rescaled so that the first coordinate has
//! standard deviation 1e-4; P from the ⌊3·Perp⌋ nearest neighbours. The reported KL always
//! uses the true P (not the exaggerated one); with Barnes–Hut, Z is the approximate one.

use crate::error::{DimredError, Result};
use crate::parallel::for_each_row;
use crate::pca::{Pca, PcaSolver};
use crate::sne::{affinities, Affinities, Neighbours};
use linalg::Matrix;

/// The low-dimensional similarity kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LowDimKernel {
    /// w = (1 + ||y_i - y_j||^2)^{-1}: t-SNE.
    #[default]
    StudentT,
    /// w = exp(-||y_i - y_j||^2): symmetric SNE (shows the crowding problem).
    Gaussian,
}

/// How the repulsive part of the gradient is computed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum GradientMethod {
    /// Barnes–Hut with θ = 0.5 when d = 2, the kernel is Student-t and N > [`EXACT_MAX_N`];
    /// exact otherwise.
    #[default]
    Auto,
    /// All N^2 pairs.
    Exact,
    /// Quadtree approximation (2-D, Student-t only), 0 ≤ θ ≤ 0.7.
    BarnesHut {
        /// Opening angle θ: a cell of side s at distance r from y_i is summarised when s < θ r.
        theta: f64,
    },
}

/// Largest N for which [`GradientMethod::Auto`] uses the exact gradient.
pub const EXACT_MAX_N: usize = 1000;

/// The learning rate η of the gradient steps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum LearningRate {
    /// max(N / early_exaggeration / 4, 50), scikit-learn's "auto" (Belkina et al. 2019).
    #[default]
    Auto,
    /// A fixed η > 0.
    Fixed(f64),
}

/// Where the embedding starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TsneInit {
    /// The first d principal components, scaled so that column 0 has standard deviation 1e-4.
    #[default]
    Pca,
    /// 1e-4 · N(0, 1) entries from `linalg::rng(seed)`.
    Random {
        /// Seed of the generator.
        seed: u64,
    },
    /// A given N x d configuration, used as it is.
    Given(Matrix),
}

/// t-SNE (or SNE with [`LowDimKernel::Gaussian`]) into `n_components` dimensions.
///
/// ```
/// use dimred::tsne::TSne;
/// let d = dimred::data::blobs(90, 3, 10, 0.5, 4);
/// let t = TSne { perplexity: 10.0, max_iter: 300, ..TSne::new(2) };
/// let fit = t.fit(&d.x).unwrap();
/// assert_eq!(fit.embedding.shape(), (90, 2));
/// let kl: Vec<f64> = fit.kl_history.iter().map(|h| h.1).collect();
/// assert!(kl.last().unwrap() < &kl[0]); // the loss went down
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TSne {
    /// Embedding dimension d (2 for Barnes–Hut).
    pub n_components: usize,
    /// Perplexity, the effective number of neighbours: 1 < Perp < N - 1. Default 30.
    pub perplexity: f64,
    /// Which pairs get a probability; `None` = the ⌊3·Perp⌋ nearest neighbours (capped at N - 1).
    pub neighbours: Option<Neighbours>,
    /// Factor on P during the first `exaggeration_iter` iterations. Default 12.
    pub early_exaggeration: f64,
    /// Length of the early-exaggeration phase. Default 250.
    pub exaggeration_iter: usize,
    /// Total number of iterations (including the exaggeration phase). Default 1000.
    pub max_iter: usize,
    /// η. Default [`LearningRate::Auto`].
    pub learning_rate: LearningRate,
    /// Momentum during and after early exaggeration. Default (0.5, 0.8).
    pub momentum: (f64, f64),
    /// Smallest gain. Default 0.01.
    pub min_gain: f64,
    /// Start. Default [`TsneInit::Pca`].
    pub init: TsneInit,
    /// Exact or Barnes–Hut repulsion. Default [`GradientMethod::Auto`].
    pub method: GradientMethod,
    /// Student-t (t-SNE) or Gaussian (SNE). Default Student-t.
    pub kernel: LowDimKernel,
    /// Record KL(P || Q) every this many iterations (and at the last one). Default 50.
    pub kl_every: usize,
}

/// The result of t-SNE.
#[derive(Debug, Clone, PartialEq)]
pub struct TsneFit {
    /// N x d embedding.
    pub embedding: Matrix,
    /// (iteration, KL(P || Q)) at the start of every `kl_every`-th iteration and at the end.
    pub kl_history: Vec<(usize, f64)>,
    /// The KL divergence of the final embedding.
    pub kl: f64,
    /// The η used.
    pub learning_rate: f64,
    /// The gradient method used (Auto resolved).
    pub method: GradientMethod,
    /// The affinities' largest relative perplexity error.
    pub max_perplexity_error: f64,
    /// Warnings from the affinity computation.
    pub warnings: Vec<String>,
}

impl TSne {
    /// t-SNE into `d` dimensions with scikit-learn's defaults (see the module documentation).
    pub fn new(d: usize) -> Self {
        TSne {
            n_components: d,
            perplexity: 30.0,
            neighbours: None,
            early_exaggeration: 12.0,
            exaggeration_iter: 250,
            max_iter: 1000,
            learning_rate: LearningRate::Auto,
            momentum: (0.5, 0.8),
            min_gain: 0.01,
            init: TsneInit::Pca,
            method: GradientMethod::Auto,
            kernel: LowDimKernel::StudentT,
            kl_every: 50,
        }
    }

    /// The method `Auto` resolves to for N points.
    pub fn resolved_method(&self, n: usize) -> GradientMethod {
        match self.method {
            GradientMethod::Auto
                if n > EXACT_MAX_N
                    && self.n_components == 2
                    && self.kernel == LowDimKernel::StudentT =>
            {
                GradientMethod::BarnesHut { theta: 0.5 }
            }
            GradientMethod::Auto => GradientMethod::Exact,
            m => m,
        }
    }

    /// The affinities P this configuration uses for the rows of `x`.
    ///
    /// # Errors
    /// As [`crate::sne::affinities`].
    pub fn affinities(&self, x: &Matrix) -> Result<Affinities> {
        let n = x.nrows();
        let nb = self.neighbours.unwrap_or_else(|| {
            let k = (3.0 * self.perplexity).floor() as usize;
            if k >= n.saturating_sub(1) {
                Neighbours::All
            } else {
                Neighbours::Nearest(k)
            }
        });
        affinities(x, self.perplexity, nb)
    }

    /// Fit on N x D data.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad perplexity, d = 0, Barnes–Hut with d ≠ 2 or the Gaussian
    /// kernel or θ ∉ [0, 0.7], a non-positive learning rate, a given start of the wrong
    /// shape, or a run that diverges (a non-finite gradient: the learning rate is too large);
    /// `Linalg` for non-finite data or a failing PCA start.
    pub fn fit(&self, x: &Matrix) -> Result<TsneFit> {
        self.fit_with_progress(x, &|_| {})
    }

    /// [`TSne::fit`], calling `progress(1)` after every iteration.
    ///
    /// # Errors
    /// As [`TSne::fit`].
    pub fn fit_with_progress(
        &self,
        x: &Matrix,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<TsneFit> {
        let n = x.nrows();
        let d = self.n_components;
        if d == 0 || d > x.ncols().max(1) && matches!(self.init, TsneInit::Pca) {
            return Err(DimredError::InvalidArgument(format!(
                "t-SNE: n_components = {d} must be at least 1 (and at most D = {} for the PCA \
                 start)",
                x.ncols()
            )));
        }
        let method = self.resolved_method(n);
        check_method(method, d, self.kernel)?;
        let p = self.affinities(x)?;
        let eta = match self.learning_rate {
            LearningRate::Auto => (n as f64 / self.early_exaggeration / 4.0).max(50.0),
            LearningRate::Fixed(v) if v > 0.0 => v,
            LearningRate::Fixed(v) => {
                return Err(DimredError::InvalidArgument(format!(
                    "t-SNE: the learning rate must be positive, got {v}"
                )))
            }
        };
        let mut y = match &self.init {
            TsneInit::Pca => {
                // Wide data take the SVD path: the D x D covariance would dominate the run.
                let solver = match PcaSolver::cheaper_for(n, x.ncols()) {
                    PcaSolver::Svd if d <= n => PcaSolver::Svd,
                    _ => PcaSolver::Covariance,
                };
                let (_, scores) = Pca {
                    n_components: d,
                    solver,
                }
                .fit_transform(x)?;
                let col0 = scores.col(0);
                let mean = col0.iter().sum::<f64>() / n as f64;
                let var = col0.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                // Constant data: PCA scores are all zero, keep them (t-SNE then spreads nothing).
                let s = if var > 0.0 { 1e-4 / var.sqrt() } else { 1.0 };
                scores.scale(s)
            }
            TsneInit::Random { seed } => {
                let mut r = linalg::rng(*seed);
                Matrix::from_fn(n, d, |_, _| 1e-4 * linalg::standard_normal(&mut r))
            }
            TsneInit::Given(y0) => {
                if y0.shape() != (n, d) {
                    return Err(DimredError::InvalidArgument(format!(
                        "t-SNE: the initial configuration is {}x{}, expected {n}x{d}",
                        y0.nrows(),
                        y0.ncols()
                    )));
                }
                y0.clone()
            }
        };
        let p_log_p = p.p_log_p();
        let mut grad = Matrix::zeros(n, d);
        let mut update = vec![0.0; n * d];
        let mut gains = vec![1.0f64; n * d];
        let mut history = Vec::new();
        let every = self.kl_every.max(1);
        for it in 0..self.max_iter {
            let early = it < self.exaggeration_iter;
            let exaggeration = if early { self.early_exaggeration } else { 1.0 };
            let momentum = if early {
                self.momentum.0
            } else {
                self.momentum.1
            };
            // The KL needs a logarithm per stored p_ij, as costly as the gradient itself: only
            // on the iterations that record it.
            let record = it % every == 0;
            let plogw_z =
                gradient_parts(&p, &y, self.kernel, method, exaggeration, record, &mut grad);
            if record {
                history.push((it, p_log_p - plogw_z));
            }
            if let Some(bad) = grad.as_slice().iter().position(|v| !v.is_finite()) {
                return Err(DimredError::InvalidArgument(format!(
                    "t-SNE diverged at iteration {it}: gradient entry {} of point {} is {} \
                     (learning rate {eta} is too large for these data and this kernel; \
                     the Gaussian kernel of SNE needs about N / early_exaggeration / 4 or less)",
                    bad % d,
                    bad / d,
                    grad.as_slice()[bad]
                )));
            }
            let ys = y.as_mut_slice();
            for (t, &g) in grad.as_slice().iter().enumerate() {
                let gain = if update[t] * g < 0.0 {
                    gains[t] + 0.2
                } else {
                    gains[t] * 0.8
                };
                gains[t] = gain.max(self.min_gain);
                update[t] = momentum * update[t] - eta * gains[t] * g;
                ys[t] += update[t];
            }
            progress(1);
        }
        let kl = p_log_p - gradient_parts(&p, &y, self.kernel, method, 1.0, true, &mut grad);
        history.push((self.max_iter, kl));
        Ok(TsneFit {
            embedding: y,
            kl_history: history,
            kl,
            learning_rate: eta,
            method,
            max_perplexity_error: p.max_perplexity_error,
            warnings: p.warnings,
        })
    }
}

fn check_method(method: GradientMethod, d: usize, kernel: LowDimKernel) -> Result<()> {
    if let GradientMethod::BarnesHut { theta } = method {
        if d != 2 || kernel != LowDimKernel::StudentT {
            return Err(DimredError::InvalidArgument(format!(
                "t-SNE: Barnes–Hut is implemented for the Student-t kernel in 2-D (a quadtree); \
                 got d = {d} and the {kernel:?} kernel. Use GradientMethod::Exact"
            )));
        }
        // A cell that contains y_i has its centre of mass within √2·side of y_i; with
        // θ ≤ 1/√2 such a cell is always opened, so no point ever repels itself.
        if !(0.0..=0.7).contains(&theta) {
            return Err(DimredError::InvalidArgument(format!(
                "t-SNE: Barnes–Hut θ = {theta} must lie in [0, 0.7] (0 is exact; 0.5 is usual)"
            )));
        }
    }
    Ok(())
}

/// KL(P || Q) and its gradient (`dr.tsne.gradient`) with every pair in the repulsive sum;
/// P multiplied by `exaggeration` in the gradient (1 for the plain gradient). Writes the N x d
/// gradient into `grad` and returns the KL divergence (of the unexaggerated P).
///
/// # Panics
/// If `grad` and `y` differ in shape or P and `y` in the number of points.
#[track_caller]
pub fn exact_gradient(
    p: &Affinities,
    y: &Matrix,
    kernel: LowDimKernel,
    exaggeration: f64,
    grad: &mut Matrix,
) -> f64 {
    let plogp = p.p_log_p();
    plogp
        - gradient_parts(
            p,
            y,
            kernel,
            GradientMethod::Exact,
            exaggeration,
            true,
            grad,
        )
}

/// [`exact_gradient`] with the repulsive sum by Barnes–Hut on a quadtree with opening angle θ
/// (`dr.tsne.gradient`). The returned KL uses the approximate Z.
///
/// # Panics
/// If `y` is not N x 2, θ ∉ [0, 0.7], or the shapes disagree as in [`exact_gradient`].
#[track_caller]
pub fn barnes_hut_gradient(
    p: &Affinities,
    y: &Matrix,
    theta: f64,
    exaggeration: f64,
    grad: &mut Matrix,
) -> f64 {
    assert!(
        y.ncols() == 2 && (0.0..=0.7).contains(&theta),
        "barnes_hut_gradient: needs an N x 2 embedding and θ in [0, 0.7], got {}x{} and θ = {theta}",
        y.nrows(),
        y.ncols()
    );
    let plogp = p.p_log_p();
    plogp
        - gradient_parts(
            p,
            y,
            LowDimKernel::StudentT,
            GradientMethod::BarnesHut { theta },
            exaggeration,
            true,
            grad,
        )
}

/// The gradient into `grad`; returns Σ p_ij ln w_ij - ln Z, so that KL = Σ p ln p - this
/// (without `with_kl` the first sum is skipped, so the value is only -ln Z and not the KL).
#[track_caller]
fn gradient_parts(
    p: &Affinities,
    y: &Matrix,
    kernel: LowDimKernel,
    method: GradientMethod,
    exaggeration: f64,
    with_kl: bool,
    grad: &mut Matrix,
) -> f64 {
    let (n, d) = y.shape();
    assert_eq!(
        grad.shape(),
        (n, d),
        "t-SNE gradient: gradient buffer {}x{}, embedding {n}x{d}",
        grad.nrows(),
        grad.ncols()
    );
    assert_eq!(
        p.len(),
        n,
        "t-SNE gradient: P has {} points, the embedding {n}",
        p.len()
    );
    let ys = y.as_slice();
    // Row i: attraction (d), repulsion (d), z_i = Σ_j w_ij, Σ_j p_ij ln w_ij.
    let width = 2 * d + 2;
    let mut rows = vec![0.0; n * width];
    let tree = match method {
        GradientMethod::BarnesHut { .. } => Some(QuadTree::new(y)),
        _ => None,
    };
    for_each_row(&mut rows, width, |i, out| {
        let yi = &ys[i * d..(i + 1) * d];
        let (attr, rest) = out.split_at_mut(d);
        let (rep, tail) = rest.split_at_mut(d);
        // Attraction over the stored p_ij, accumulated in registers (not through `attr` in
        // memory: a store per pair would chain every update through store-to-load forwarding).
        let mut plogw = 0.0;
        let mut acc = [0.0f64; 2];
        for (j, pij) in p.row(i) {
            let yj = &ys[j * d..(j + 1) * d];
            let d2 = sq(yi, yj);
            let w = match kernel {
                LowDimKernel::StudentT => 1.0 / (1.0 + d2),
                LowDimKernel::Gaussian => 1.0,
            };
            if with_kl {
                plogw += pij
                    * match kernel {
                        LowDimKernel::StudentT => -d2.ln_1p(),
                        LowDimKernel::Gaussian => -d2,
                    };
            }
            let c = pij * w;
            if d == 2 {
                acc[0] += c * (yi[0] - yj[0]);
                acc[1] += c * (yi[1] - yj[1]);
            } else {
                for k in 0..d {
                    attr[k] += c * (yi[k] - yj[k]);
                }
            }
        }
        if d == 2 {
            attr.copy_from_slice(&acc);
        }
        let z = match (&tree, method) {
            (Some(t), GradientMethod::BarnesHut { theta }) => {
                t.repulsion(i, [yi[0], yi[1]], theta * theta, rep)
            }
            _ => exact_repulsion(i, ys, d, kernel, rep),
        };
        tail[0] = z;
        tail[1] = plogw;
    });
    let mut z = 0.0;
    let mut plogw = 0.0;
    for row in rows.chunks_exact(width) {
        z += row[2 * d];
        plogw += row[2 * d + 1];
    }
    let inv_z = 1.0 / z;
    for (g, row) in grad
        .as_mut_slice()
        .chunks_exact_mut(d)
        .zip(rows.chunks_exact(width))
    {
        for k in 0..d {
            g[k] = 4.0 * (exaggeration * row[k] - row[d + k] * inv_z);
        }
    }
    plogw - z.ln()
}

#[inline]
fn sq(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Σ_{j≠i} w_ij (t-SNE: w_ij^2, SNE: w_ij) (y_i - y_j) into `rep`; returns z_i = Σ_{j≠i} w_ij.
fn exact_repulsion(i: usize, ys: &[f64], d: usize, kernel: LowDimKernel, rep: &mut [f64]) -> f64 {
    let mut z = 0.0;
    if d == 2 && kernel == LowDimKernel::StudentT {
        // The hot loop of exact t-SNE, written out for d = 2 with two points per step and
        // separate sums per lane, so that the divisions and sums fill both halves of a vector
        // register instead of waiting on one another.
        let (xi, yi) = (ys[2 * i], ys[2 * i + 1]);
        let (mut za, mut zb, mut rxa, mut rxb, mut rya, mut ryb) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        // j = i is not skipped (a branch would stop vectorisation): it contributes
        // dx = dy = 0 to the forces and w = 1 to z, removed at the end.
        let body = ys.len() / 4 * 4;
        for c in ys[..body].chunks_exact(4) {
            let (dxa, dya) = (xi - c[0], yi - c[1]);
            let (dxb, dyb) = (xi - c[2], yi - c[3]);
            let wa = 1.0 / (1.0 + dxa * dxa + dya * dya);
            let wb = 1.0 / (1.0 + dxb * dxb + dyb * dyb);
            za += wa;
            zb += wb;
            rxa += wa * wa * dxa;
            rxb += wb * wb * dxb;
            rya += wa * wa * dya;
            ryb += wb * wb * dyb;
        }
        for c in ys[body..].chunks_exact(2) {
            let (dx, dy) = (xi - c[0], yi - c[1]);
            let w = 1.0 / (1.0 + dx * dx + dy * dy);
            za += w;
            rxa += w * w * dx;
            rya += w * w * dy;
        }
        z = za + zb;
        let (rx, ry) = (rxa + rxb, rya + ryb);
        rep[0] = rx;
        rep[1] = ry;
        return z - 1.0;
    }
    let yi = &ys[i * d..(i + 1) * d];
    for (j, yj) in ys.chunks_exact(d).enumerate() {
        if j == i {
            continue;
        }
        let d2 = sq(yi, yj);
        let (w, f) = match kernel {
            LowDimKernel::StudentT => {
                let w = 1.0 / (1.0 + d2);
                (w, w * w)
            }
            LowDimKernel::Gaussian => {
                let w = (-d2).exp();
                (w, w)
            }
        };
        z += w;
        for k in 0..d {
            rep[k] += f * (yi[k] - yj[k]);
        }
    }
    z
}

/// Leaves hold at most this many points; inside a leaf the sums are exact.
const LEAF_SIZE: usize = 4;
/// Below this depth a cell's side is 2^-48 of the root's: its points are equal to working
/// precision (duplicates), so it stays a leaf however many points it holds.
const MAX_DEPTH: usize = 48;

/// One cell of the quadtree.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    /// Centre of mass of the points in the cell.
    com: [f64; 2],
    /// Number of points.
    count: f64,
    /// Side length of the (square) cell.
    side: f64,
    /// Children are nodes first_child..first_child + n_children; none for a leaf.
    first_child: u32,
    n_children: u32,
    /// The cell's points are perm[start..end].
    start: u32,
    end: u32,
}

/// A 2-D quadtree over the rows of an N x 2 embedding, nodes in one vector (children of a node
/// contiguous), points permuted so that every cell's points are one slice.
struct QuadTree {
    nodes: Vec<Node>,
    perm: Vec<u32>,
    pts: Vec<[f64; 2]>,
}

impl QuadTree {
    fn new(y: &Matrix) -> QuadTree {
        let pts: Vec<[f64; 2]> = y.as_slice().chunks_exact(2).map(|c| [c[0], c[1]]).collect();
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in &pts {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let side = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(f64::MIN_POSITIVE) * (1.0 + 1e-12);
        let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
        let mut t = QuadTree {
            nodes: vec![Node::default()],
            perm: (0..pts.len() as u32).collect(),
            pts,
        };
        let mut scratch = vec![0u32; t.perm.len()];
        t.build(0, 0, t.perm.len(), centre, side, 0, &mut scratch);
        t
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        id: usize,
        start: usize,
        end: usize,
        centre: [f64; 2],
        side: f64,
        depth: usize,
        scratch: &mut [u32],
    ) {
        let count = end - start;
        let mut com = [0.0; 2];
        for &j in &self.perm[start..end] {
            let p = self.pts[j as usize];
            com[0] += p[0];
            com[1] += p[1];
        }
        com[0] /= count as f64;
        com[1] /= count as f64;
        self.nodes[id] = Node {
            com,
            count: count as f64,
            side,
            first_child: 0,
            n_children: 0,
            start: start as u32,
            end: end as u32,
        };
        if count <= LEAF_SIZE || depth >= MAX_DEPTH {
            return;
        }
        // Counting sort of the cell's points into quadrants q = [x ≥ cx] + 2 [y ≥ cy].
        let quadrant =
            |p: [f64; 2]| (p[0] >= centre[0]) as usize + 2 * (p[1] >= centre[1]) as usize;
        let mut counts = [0usize; 4];
        for &j in &self.perm[start..end] {
            counts[quadrant(self.pts[j as usize])] += 1;
        }
        let mut pos = [0usize; 4];
        for q in 1..4 {
            pos[q] = pos[q - 1] + counts[q - 1];
        }
        let bounds = pos;
        for &j in &self.perm[start..end] {
            let q = quadrant(self.pts[j as usize]);
            scratch[start + pos[q]] = j;
            pos[q] += 1;
        }
        self.perm[start..end].copy_from_slice(&scratch[start..end]);
        let first = self.nodes.len();
        let mut nonempty = [0usize; 4];
        let mut m = 0;
        for q in 0..4 {
            if counts[q] > 0 {
                nonempty[m] = q;
                m += 1;
            }
        }
        self.nodes.resize(first + m, Node::default());
        self.nodes[id].first_child = first as u32;
        self.nodes[id].n_children = m as u32;
        let h = 0.25 * side;
        for (c, &q) in nonempty[..m].iter().enumerate() {
            let child_centre = [
                centre[0] + if q & 1 == 1 { h } else { -h },
                centre[1] + if q & 2 == 2 { h } else { -h },
            ];
            let s = start + bounds[q];
            self.build(
                first + c,
                s,
                s + counts[q],
                child_centre,
                0.5 * side,
                depth + 1,
                scratch,
            );
        }
    }

    /// Barnes–Hut repulsion on point i at `yi`: adds Σ w^2 (y_i - y_c) over the accepted cells
    /// (times their counts) into `rep`; returns the approximate Σ_{j≠i} w_ij.
    fn repulsion(&self, i: usize, yi: [f64; 2], theta2: f64, rep: &mut [f64]) -> f64 {
        // Depth ≤ 48 and at most 4 children pushed per level: 256 slots never overflow.
        let mut stack = [0u32; 256];
        let mut top = 1;
        let (mut z, mut rx, mut ry) = (0.0, 0.0, 0.0);
        while top > 0 {
            top -= 1;
            let nd = &self.nodes[stack[top] as usize];
            if nd.n_children == 0 {
                for &j in &self.perm[nd.start as usize..nd.end as usize] {
                    if j as usize == i {
                        continue;
                    }
                    let p = self.pts[j as usize];
                    let (dx, dy) = (yi[0] - p[0], yi[1] - p[1]);
                    let w = 1.0 / (1.0 + dx * dx + dy * dy);
                    z += w;
                    rx += w * w * dx;
                    ry += w * w * dy;
                }
                continue;
            }
            let (dx, dy) = (yi[0] - nd.com[0], yi[1] - nd.com[1]);
            let d2 = dx * dx + dy * dy;
            if nd.side * nd.side < theta2 * d2 {
                let w = 1.0 / (1.0 + d2);
                let m = nd.count * w;
                z += m;
                rx += m * w * dx;
                ry += m * w * dy;
            } else {
                for c in 0..nd.n_children {
                    stack[top] = nd.first_child + c;
                    top += 1;
                }
            }
        }
        rep[0] = rx;
        rep[1] = ry;
        z
    }
}
