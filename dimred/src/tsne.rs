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
//! its points, which costs O(N log N). The decision is made once for each group of up to 16
//! neighbouring points, against the distance to the nearest of them (never coarser than per
//! point), and the groups are shared by the cores with the same bits for any number of them
//! (the notes' implementation section "t-SNE at large N").
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
use crate::parallel::{available_threads, for_each_row};
use crate::pca::{Pca, PcaSolver};
use crate::sne::{affinities, Affinities, Neighbours};
use linalg::observe::{Observer, Silent};
use linalg::{sq_dist, Matrix};

mod quadtree;
use quadtree::QuadTree;

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
    /// N / early_exaggeration / 4 without the floor of 50: the rule for SNE, whose attraction
    /// is not damped by the heavy tail, so that the floor makes it diverge for small N.
    /// [`TSne::sne`] uses it.
    AutoWithoutFloor,
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

    /// Symmetric SNE into `d` dimensions: the Gaussian kernel and
    /// [`LearningRate::AutoWithoutFloor`], otherwise as [`TSne::new`].
    pub fn sne(d: usize) -> Self {
        TSne {
            kernel: LowDimKernel::Gaussian,
            learning_rate: LearningRate::AutoWithoutFloor,
            ..TSne::new(d)
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

    /// The learning rate η this configuration uses for N points.
    ///
    /// # Errors
    /// `InvalidArgument` for a fixed η that is not positive.
    pub fn resolved_learning_rate(&self, n: usize) -> Result<f64> {
        let unfloored = n as f64 / self.early_exaggeration / 4.0;
        match self.learning_rate {
            LearningRate::Auto => Ok(unfloored.max(50.0)),
            LearningRate::AutoWithoutFloor => Ok(unfloored),
            LearningRate::Fixed(v) if v > 0.0 => Ok(v),
            LearningRate::Fixed(v) => Err(DimredError::InvalidArgument(format!(
                "t-SNE: the learning rate must be positive, got {v}"
            ))),
        }
    }

    /// The phase of iteration `it`: early exaggeration for the first `exaggeration_iter`.
    pub fn phase(&self, it: usize) -> TsnePhase {
        if it < self.exaggeration_iter {
            TsnePhase::EarlyExaggeration
        } else {
            TsnePhase::Refinement
        }
    }

    /// Fit on N x D data.
    ///
    /// # Errors
    /// `InvalidArgument` for a bad perplexity, d = 0, Barnes–Hut with d ≠ 2 or the Gaussian
    /// kernel or θ ∉ [0, 0.7], a non-positive learning rate, a given start of the wrong
    /// shape, or a run that diverges (a non-finite gradient: the learning rate is too large);
    /// `Linalg` for non-finite data or a failing PCA start.
    pub fn fit(&self, x: &Matrix) -> Result<TsneFit> {
        self.fit_observed(x, &mut Silent)
    }

    /// [`TSne::fit`] watched by an [`Observer`]: one [`TsneIteration`] for every iterate
    /// Y_0, ..., Y_max_iter (so `max_iter + 1` events), each with the iterate, its phase and,
    /// on the iterations that record it (every `kl_every`-th and the last), its KL divergence.
    ///
    /// # Errors
    /// As [`TSne::fit`], and `Stopped` when the observer breaks.
    pub fn fit_observed(
        &self,
        x: &Matrix,
        observer: &mut impl for<'a> Observer<TsneIteration<'a>>,
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
        let eta = self.resolved_learning_rate(n)?;
        let mut y = self.start(x)?;
        let p_log_p = p.p_log_p();
        let mut grad = Matrix::zeros(n, d);
        let mut update = vec![0.0; n * d];
        let mut gains = vec![1.0f64; n * d];
        let mut history = Vec::new();
        let every = self.kl_every.max(1);
        for it in 0..=self.max_iter {
            let phase = self.phase(it);
            let (exaggeration, momentum) = match phase {
                TsnePhase::EarlyExaggeration => (self.early_exaggeration, self.momentum.0),
                TsnePhase::Refinement => (1.0, self.momentum.1),
            };
            let z = gradient(&p, &y, self.kernel, method, exaggeration, &mut grad);
            // The KL needs a logarithm per stored p_ij, as costly as the attraction itself:
            // only on the iterations that record it.
            let kl = (it % every == 0 || it == self.max_iter)
                .then(|| kl_divergence(p_log_p, p_log_w(&p, &y, self.kernel), z));
            if let Some(kl) = kl {
                history.push((it, kl));
            }
            if it < self.max_iter {
                check_gradient(&grad, it, eta)?;
            }
            let event = TsneIteration {
                iteration: it,
                phase,
                kl,
                embedding: &y,
            };
            if observer.observe(&event).is_break() {
                return Err(DimredError::Stopped {
                    method: "t-SNE",
                    iteration: it,
                });
            }
            if it < self.max_iter {
                momentum_step(
                    &mut y,
                    &grad,
                    &mut update,
                    &mut gains,
                    momentum,
                    eta,
                    self.min_gain,
                );
            }
        }
        let kl = history.last().expect("the last iterate records its KL").1;
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

    /// The starting configuration Y_0 (N x d), as [`TsneInit`] says.
    fn start(&self, x: &Matrix) -> Result<Matrix> {
        let (n, d) = (x.nrows(), self.n_components);
        match &self.init {
            TsneInit::Pca => {
                let (_, scores) = Pca {
                    n_components: d,
                    solver: PcaSolver::cheaper_for(n, x.ncols(), d),
                }
                .fit_transform(x)?;
                let col0 = scores.col(0);
                let mean = col0.iter().sum::<f64>() / n as f64;
                let var = col0.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
                // Constant data: PCA scores are all zero, keep them (t-SNE then spreads nothing).
                let s = if var > 0.0 { 1e-4 / var.sqrt() } else { 1.0 };
                Ok(scores.scale(s))
            }
            TsneInit::Random { seed } => {
                let mut r = linalg::rng(*seed);
                Ok(Matrix::from_fn(n, d, |_, _| {
                    1e-4 * linalg::standard_normal(&mut r)
                }))
            }
            TsneInit::Given(y0) if y0.shape() != (n, d) => {
                Err(DimredError::InvalidArgument(format!(
                    "t-SNE: the initial configuration is {}x{}, expected {n}x{d}",
                    y0.nrows(),
                    y0.ncols()
                )))
            }
            TsneInit::Given(y0) => Ok(y0.clone()),
        }
    }
}

/// The phases of the optimisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TsnePhase {
    /// The first `exaggeration_iter` iterations: P multiplied by `early_exaggeration`,
    /// momentum `momentum.0`. Clusters form here.
    EarlyExaggeration,
    /// The rest: P as it is, momentum `momentum.1`. The clusters spread out and settle.
    Refinement,
}

/// What t-SNE reports for each iterate Y_it: the phase whose P and momentum act on it, its KL
/// divergence when this iteration records it (every `kl_every`-th and the last; between those
/// the logarithms are skipped because they cost as much as the attraction), and the iterate
/// itself, borrowed for the duration of the call (copy it to keep a frame). The first event
/// of [`TsnePhase::Refinement`] marks the end of early exaggeration.
#[derive(Debug, Clone, Copy)]
pub struct TsneIteration<'a> {
    /// it: the number of gradient steps behind `embedding` (0 = the start).
    pub iteration: usize,
    /// Early exaggeration or refinement.
    pub phase: TsnePhase,
    /// KL(P || Q(Y_it)) with the true P, on recording iterations only.
    pub kl: Option<f64>,
    /// Y_it, N x d.
    pub embedding: &'a Matrix,
}

/// A non-finite gradient entry means the steps diverged: say where and what to change.
fn check_gradient(grad: &Matrix, it: usize, eta: f64) -> Result<()> {
    let d = grad.ncols();
    match grad.as_slice().iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(bad) => Err(DimredError::InvalidArgument(format!(
            "t-SNE diverged at iteration {it}: gradient entry {} of point {} is {} \
             (learning rate {eta} is too large for these data and this kernel; \
             the Gaussian kernel of SNE needs about N / early_exaggeration / 4 or less)",
            bad % d,
            bad / d,
            grad.as_slice()[bad]
        ))),
    }
}

/// One gradient step with momentum and van der Maaten's gains: a gain grows by 0.2 while the
/// gradient's sign disagrees with the previous update and shrinks by a factor 0.8 otherwise.
fn momentum_step(
    y: &mut Matrix,
    grad: &Matrix,
    update: &mut [f64],
    gains: &mut [f64],
    momentum: f64,
    eta: f64,
    min_gain: f64,
) {
    let ys = y.as_mut_slice();
    for (t, &g) in grad.as_slice().iter().enumerate() {
        let gain = if update[t] * g < 0.0 {
            gains[t] + 0.2
        } else {
            gains[t] * 0.8
        };
        gains[t] = gain.max(min_gain);
        update[t] = momentum * update[t] - eta * gains[t] * g;
        ys[t] += update[t];
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
    let z = gradient(p, y, kernel, GradientMethod::Exact, exaggeration, grad);
    kl_divergence(p.p_log_p(), p_log_w(p, y, kernel), z)
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
    let kernel = LowDimKernel::StudentT;
    let z = gradient(
        p,
        y,
        kernel,
        GradientMethod::BarnesHut { theta },
        exaggeration,
        grad,
    );
    kl_divergence(p.p_log_p(), p_log_w(p, y, kernel), z)
}

/// KL(P || Q) = Σ p ln p - Σ p ln q with ln q_ij = ln w_ij - ln Z:
/// KL = Σ p ln p - (Σ p ln w - ln Z).
fn kl_divergence(p_log_p: f64, p_log_w: f64, z: f64) -> f64 {
    p_log_p - (p_log_w - z.ln())
}

/// Σ_ij p_ij ln w_ij over the stored entries of P (t-SNE: ln w = -ln(1 + d²); SNE: -d²).
fn p_log_w(p: &Affinities, y: &Matrix, kernel: LowDimKernel) -> f64 {
    let (n, d) = y.shape();
    let ys = y.as_slice();
    let mut rows = vec![0.0; n];
    for_each_row(&mut rows, 1, |i, out| {
        let yi = &ys[i * d..(i + 1) * d];
        let mut s = 0.0;
        for (j, pij) in p.row(i) {
            let d2 = sq_dist(yi, &ys[j * d..(j + 1) * d]);
            s += pij
                * match kernel {
                    LowDimKernel::StudentT => -d2.ln_1p(),
                    LowDimKernel::Gaussian => -d2,
                };
        }
        out[0] = s;
    });
    rows.iter().sum()
}

/// The gradient 4 Σ_j (exaggeration · p_ij - q_ij) w_ij (y_i - y_j) (SNE: without w_ij) into
/// `grad`, as attraction over the stored p_ij minus repulsion / Z over all pairs; returns
/// Z = Σ_{i≠j} w_ij (approximate with Barnes–Hut).
#[track_caller]
fn gradient(
    p: &Affinities,
    y: &Matrix,
    kernel: LowDimKernel,
    method: GradientMethod,
    exaggeration: f64,
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
    // Row i: attraction (d), repulsion (d), z_i = Σ_j w_ij.
    let width = 2 * d + 1;
    let mut rows = vec![0.0; n * width];
    let tree = match method {
        GradientMethod::BarnesHut { .. } => Some(QuadTree::new(y)),
        _ => None,
    };
    for_each_row(&mut rows, width, |i, out| {
        let (attr, rest) = out.split_at_mut(d);
        let (rep, tail) = rest.split_at_mut(d);
        attraction(p, i, ys, d, kernel, attr);
        if tree.is_none() {
            tail[0] = exact_repulsion(i, ys, d, kernel, rep);
        }
    });
    if let (Some(t), GradientMethod::BarnesHut { theta }) = (&tree, method) {
        // Row i of `bh`: the repulsion (2) and z_i, copied into the rows' slots.
        let mut bh = vec![0.0; 3 * n];
        t.repulsion(theta * theta, available_threads(), &mut bh);
        for (row, b) in rows.chunks_exact_mut(width).zip(bh.chunks_exact(3)) {
            row[d..].copy_from_slice(b);
        }
    }
    let z: f64 = rows.chunks_exact(width).map(|row| row[2 * d]).sum();
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
    z
}

/// The factor of (y_i - y_j) in the attraction: w_ij for t-SNE, 1 for SNE (whose gradient has
/// no kernel factor).
#[inline]
fn attraction_weight(kernel: LowDimKernel, d2: f64) -> f64 {
    match kernel {
        LowDimKernel::StudentT => 1.0 / (1.0 + d2),
        LowDimKernel::Gaussian => 1.0,
    }
}

/// Σ_j p_ij w_ij (y_i - y_j) over the stored p_ij into `attr` (zero on entry).
fn attraction(
    p: &Affinities,
    i: usize,
    ys: &[f64],
    d: usize,
    kernel: LowDimKernel,
    attr: &mut [f64],
) {
    if d == 2 {
        return attraction_fixed::<2>(p, i, ys, kernel, attr);
    }
    let yi = &ys[i * d..(i + 1) * d];
    for (j, pij) in p.row(i) {
        let yj = &ys[j * d..(j + 1) * d];
        let c = pij * attraction_weight(kernel, sq_dist(yi, yj));
        for k in 0..d {
            attr[k] += c * (yi[k] - yj[k]);
        }
    }
}

/// [`attraction`] for a dimension D known at compile time: the sums live in registers rather
/// than in `attr` (a store per pair would chain every update through store-to-load
/// forwarding). Same operations in the same order, so the same bits.
fn attraction_fixed<const D: usize>(
    p: &Affinities,
    i: usize,
    ys: &[f64],
    kernel: LowDimKernel,
    attr: &mut [f64],
) {
    let yi = &ys[i * D..(i + 1) * D];
    let mut acc = [0.0f64; D];
    for (j, pij) in p.row(i) {
        let yj = &ys[j * D..(j + 1) * D];
        let c = pij * attraction_weight(kernel, sq_dist(yi, yj));
        for k in 0..D {
            acc[k] += c * (yi[k] - yj[k]);
        }
    }
    attr.copy_from_slice(&acc);
}

/// Σ_{j≠i} w_ij (t-SNE: w_ij^2, SNE: w_ij) (y_i - y_j) into `rep`; returns z_i = Σ_{j≠i} w_ij.
fn exact_repulsion(i: usize, ys: &[f64], d: usize, kernel: LowDimKernel, rep: &mut [f64]) -> f64 {
    if d == 2 && kernel == LowDimKernel::StudentT {
        return exact_repulsion_tsne_2d(i, ys, rep);
    }
    let mut z = 0.0;
    let yi = &ys[i * d..(i + 1) * d];
    for (j, yj) in ys.chunks_exact(d).enumerate() {
        if j == i {
            continue;
        }
        let d2 = sq_dist(yi, yj);
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

/// [`exact_repulsion`] for t-SNE in 2-D, the hot loop of exact t-SNE: written out with two
/// points per step and separate sums per lane, so that the divisions and sums fill both halves
/// of a vector register instead of waiting on one another.
fn exact_repulsion_tsne_2d(i: usize, ys: &[f64], rep: &mut [f64]) -> f64 {
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
    rep[0] = rxa + rxb;
    rep[1] = rya + ryb;
    za + zb - 1.0
}
