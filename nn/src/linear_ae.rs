//! The linear autoencoder: encoder W (d x D), decoder U (D x d), code y = W (x - μ),
//! reconstruction x̂ = μ + U y, and what gradient descent on it really finds.
//!
//! # Conventions
//!
//! Samples are rows of X (N x D); μ is the column mean of the training data, and the
//! mathematics below is on the centred data X_c (rows x - μ). In row form Y = X_c Wᵀ and
//! X̂_c = Y Uᵀ. The loss is the **sum** (not the mean) over samples, and weight decay is
//! added with weight λ as in Kunin, Bloom, Goeva & Seed (2019):
//!
//! ```text
//! L_λ(W, U) = Σ_i ||x_i - U W x_i||² + λ (||U||_F² + ||W||_F²)         (x_i centred)
//!           = Tr((I - UW) C (I - UW)ᵀ) + λ (||U||_F² + ||W||_F²),  C = X_cᵀ X_c
//! ∇_U L_λ = -2 (I - UW) C Wᵀ + 2λ U,       ∇_W L_λ = -2 Uᵀ (I - UW) C + 2λ W
//! ```
//!
//! With this scaling the singular values σ_i of the centred data X_c (σ_i² = (N-1) λ_i^cov)
//! are the ones in the weight-decay formula below; with a mean loss, λ would be compared with
//! σ_i²/N instead.
//!
//! # The claims
//!
//! - `nn.lae.optimal-code` (claim A, [`optimal_code`], [`least_squares_encoder`]): for a fixed
//!   decoder U the code α minimising ||x - Uα||² solves the normal equations UᵀU α = Uᵀx, so
//!   the best encoder is (UᵀU)⁻¹Uᵀ, and Uᵀ when U has orthonormal columns.
//! - `nn.lae.trace` (claim B, [`trace_form_loss`], [`LinearAutoencoder::pca_optimum`]):
//!   with W = Uᵀ and UᵀU = I, ||x - UUᵀx||² = ||x||² - ||Uᵀx||², so L = Σ||x_i||² - Tr(YᵀY):
//!   minimising L maximises Tr(Uᵀ C U), which by Ky Fan (`la.ky-fan`) is the top-d
//!   eigenvectors of C, leaving min L = (N-1) Σ_{k>d} λ_k (covariance eigenvalues λ_k).
//! - `nn.lae.training` ([`LinearAutoencoder::train`]): gradient descent drives UW to the
//!   projector onto the top-d principal subspace, but it does not make W = Uᵀ by itself.
//!   Under gradient flow (λ = 0), Q = UᵀU - WWᵀ is conserved: d(UᵀU)/dt = 2(W C Eᵀ U + Uᵀ E C Wᵀ)
//!   = d(WWᵀ)/dt with E = I - UW. A balanced start (W₀ = U₀ᵀ, so Q = 0) therefore ends with
//!   UᵀU = WWᵀ, and at the minimum (UW = the projector P) that forces W = Uᵀ and UᵀU = I; an
//!   unbalanced start keeps Q ≠ 0 and ends with W ≠ Uᵀ. A GD step of size η changes Q by
//!   exactly η² (G_Uᵀ G_U - G_W G_Wᵀ) (the first-order terms cancel), which
//!   [`TrainRecord::drift_bound`] accumulates. With weight decay, dQ/dt = -4λQ and every
//!   critical point has W = Uᵀ; at the minimum U = V_d diag(sqrt(1 - λ/σ_i²)) G (G orthogonal,
//!   directions with σ_i² ≤ λ collapse to 0), because along a direction with U = s v_i the
//!   loss is σ_i²(1 - s²)² + 2λs², minimised at s² = 1 - λ/σ_i².

use crate::train::{
    finite_loss, fit_observed, Batch, Epoch, EpochLoss, Schedule, StepError, TrainError, Trainable,
};
use crate::Optimizer;
use linalg::observe::{Observer, Silent};
use linalg::{Cholesky, LinalgError, Matrix};

/// A linear autoencoder x ↦ μ + U W (x - μ).
#[derive(Debug, Clone, PartialEq)]
pub struct LinearAutoencoder {
    /// The encoder W, d x D.
    pub w: Matrix,
    /// The decoder U, D x d.
    pub u: Matrix,
    /// The centre μ subtracted before encoding and added after decoding (length D).
    pub mean: Vec<f64>,
}

/// How the weights start.
#[derive(Debug, Clone, PartialEq)]
pub enum Start {
    /// U₀ with N(0, scale²) entries and W₀ = U₀ᵀ: Q = U₀ᵀU₀ - W₀W₀ᵀ = 0.
    Balanced {
        /// Standard deviation of the entries.
        scale: f64,
    },
    /// U₀ and W₀ independent, N(0, u_scale²) and N(0, w_scale²): Q ≠ 0.
    Unbalanced {
        /// Standard deviation of U₀'s entries.
        u_scale: f64,
        /// Standard deviation of W₀'s entries.
        w_scale: f64,
    },
}

/// What [`LinearAutoencoder::train`] does.
#[derive(Debug, Clone, PartialEq)]
pub struct LaeConfig {
    /// Number of epochs.
    pub epochs: usize,
    /// The step size η (of the summed loss, see the module docs).
    pub lr: f64,
    /// The weight decay λ of λ(||U||² + ||W||²); 0 for none.
    pub weight_decay: f64,
    /// `None`: full-batch GD, one step per epoch. `Some(m)`: SGD over minibatches of m rows,
    /// each step using (N/m) × the batch gradient (an unbiased estimate of the full gradient,
    /// so the same η is comparable).
    pub batch_size: Option<usize>,
    /// Seed of the minibatch shuffles.
    pub seed: u64,
}

/// Per-epoch measurements of a training run (`nn.lae.training`), index 0 = before training.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrainRecord {
    /// L_λ at the end of each epoch (full batch: computed from C = X_cᵀX_c, so to within
    /// about ε·Tr(C)).
    pub loss: Vec<f64>,
    /// ||W - Uᵀ||_F.
    pub w_minus_ut: Vec<f64>,
    /// ||UᵀU - WWᵀ - Q₀||_F: how far the conserved quantity has moved.
    pub q_drift: Vec<f64>,
    /// η² Σ_steps (||G_U||_F² + ||G_W||_F²) ≥ ||Σ_steps η²(G_UᵀG_U - G_W G_Wᵀ)||_F: the bound on
    /// `q_drift` that GD without weight decay obeys in exact arithmetic.
    pub drift_bound: Vec<f64>,
    /// The largest principal angle between span(U) and the reference subspace, if given.
    pub largest_angle: Vec<f64>,
}

/// What the observer of [`LinearAutoencoder::train_observed`] sees beside the loss each
/// epoch: the quantities of `nn.lae.training` (the last entries of [`TrainRecord`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaeMeasures {
    /// ||W - Uᵀ||_F.
    pub w_minus_ut: f64,
    /// ||UᵀU - WWᵀ - Q₀||_F.
    pub q_drift: f64,
    /// The bound on `q_drift` without weight decay.
    pub drift_bound: f64,
    /// The largest principal angle to the reference subspace, when one was given.
    pub largest_angle: Option<f64>,
}

/// The least-squares encoder (UᵀU)⁻¹Uᵀ of a decoder U with independent columns
/// (`nn.lae.optimal-code`): row-wise, the code α = (UᵀU)⁻¹Uᵀx minimises ||x - Uα||², because
/// ∂/∂α ||x - Uα||² = 2UᵀUα - 2Uᵀx vanishes there and the Hessian 2UᵀU is positive definite.
/// Solved with a Cholesky factorisation of UᵀU (never an explicit inverse).
///
/// ```
/// use linalg::Matrix;
/// let u = Matrix::from_rows(&[[2.0], [0.0]]);
/// let w = nn::linear_ae::least_squares_encoder(&u).unwrap();
/// assert_eq!(w.as_slice(), &[0.5, 0.0]);
/// ```
///
/// # Errors
/// `NotPositiveDefinite` when U's columns are linearly dependent (the code is not unique).
pub fn least_squares_encoder(u: &Matrix) -> Result<Matrix, LinalgError> {
    Ok(Cholesky::new(&u.tr_matmul(u))?.solve(&u.transpose()))
}

/// The best codes for the rows of `x` (each a vector x_i) under the decoder U: row i is
/// argmin_α ||x_i - Uα||² = (UᵀU)⁻¹Uᵀx_i (`nn.lae.optimal-code`). For orthonormal U this
/// is Uᵀx_i.
///
/// # Errors
/// As [`least_squares_encoder`].
///
/// # Panics
/// If `x.ncols() != u.nrows()`.
#[track_caller]
pub fn optimal_code(x: &Matrix, u: &Matrix) -> Result<Matrix, LinalgError> {
    assert_eq!(
        x.ncols(),
        u.nrows(),
        "optimal_code: data {:?} and decoder {:?}",
        x.shape(),
        u.shape()
    );
    Ok(x.matmul_tr(&least_squares_encoder(u)?))
}

/// Σ_i ||x_i - U W x_i||² for rows x_i of `x` (no centring: pass centred data).
///
/// # Panics
/// If the shapes do not chain (x: N x D, W: d x D, U: D x d).
#[track_caller]
pub fn reconstruction_loss(x: &Matrix, w: &Matrix, u: &Matrix) -> f64 {
    check_shapes(x.ncols(), w, u, "reconstruction_loss");
    let xhat = x.matmul_tr(w).matmul_tr(u);
    sq_frobenius_diff(x, &xhat)
}

/// The trace form of the loss (`nn.lae.trace`): Σ_i ||x_i||² - Tr(YᵀY) with Y = X U, which
/// equals `reconstruction_loss(x, &u.transpose(), u)` when UᵀU = I.
///
/// # Panics
/// If `x.ncols() != u.nrows()`.
#[track_caller]
pub fn trace_form_loss(x: &Matrix, u: &Matrix) -> f64 {
    assert_eq!(
        x.ncols(),
        u.nrows(),
        "trace_form_loss: data {:?} and decoder {:?}",
        x.shape(),
        u.shape()
    );
    let y = x.matmul(u);
    let sx: f64 = x.as_slice().iter().map(|v| v * v).sum();
    let sy: f64 = y.as_slice().iter().map(|v| v * v).sum();
    sx - sy
}

/// The principal angles θ_1 ≤ … ≤ θ_d between span(A) and span(B) (both D x d, full column
/// rank): with orthonormal bases Q_A, Q_B, cos θ_i are the singular values of Q_AᵀQ_B
/// (descending). acos loses half the digits near 0 (an error ε in cos θ moves θ by sqrt(2ε)),
/// so we also take sin θ_i from the singular values of Q_B - Q_A(Q_AᵀQ_B) (the part of Q_B
/// outside span(A), ascending) and return atan2(sin, cos), accurate at every angle.
///
/// # Errors
/// `InvalidArgument` from `linalg::orthonormalize` when a basis is rank deficient (or has
/// more columns than rows); `NonFinite` for NaN or infinite entries.
///
/// # Panics
/// If the shapes differ.
#[track_caller]
pub fn principal_angles(a: &Matrix, b: &Matrix) -> Result<Vec<f64>, LinalgError> {
    assert_eq!(
        a.shape(),
        b.shape(),
        "principal_angles: bases {:?} and {:?} differ",
        a.shape(),
        b.shape()
    );
    let qa = linalg::orthonormalize(a)?;
    let qb = linalg::orthonormalize(b)?;
    let m = qa.tr_matmul(&qb);
    let cos = linalg::svd(&m)?.singular_values;
    let mut outside = qb.clone();
    outside.add_scaled(-1.0, &qa.matmul(&m));
    let mut sin = linalg::svd(&outside)?.singular_values;
    sin.reverse(); // ascending, paired with the descending cosines
    Ok(cos
        .iter()
        .zip(&sin)
        .map(|(&c, &s)| s.atan2(c.min(1.0)))
        .collect())
}

#[track_caller]
fn check_shapes(dim: usize, w: &Matrix, u: &Matrix, op: &str) {
    assert!(
        w.ncols() == dim && u.nrows() == dim && w.nrows() == u.ncols(),
        "{op}: data width {dim}, encoder W {:?} (want d x {dim}), decoder U {:?} (want {dim} x d)",
        w.shape(),
        u.shape()
    );
}

fn sq_frobenius_diff(a: &Matrix, b: &Matrix) -> f64 {
    a.as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(p, q)| (p - q) * (p - q))
        .sum()
}

fn sq_norm(a: &Matrix) -> f64 {
    a.as_slice().iter().map(|v| v * v).sum()
}

impl LinearAutoencoder {
    /// A linear autoencoder for D-dimensional data with a d-dimensional code, centred at
    /// `mean`, with weights drawn from `start` with `linalg::rng(seed)`.
    ///
    /// # Panics
    /// If d = 0, d > D or `mean.len() != D`.
    #[track_caller]
    pub fn new(mean: Vec<f64>, d: usize, start: &Start, seed: u64) -> Self {
        let dim = mean.len();
        assert!(
            d >= 1 && d <= dim,
            "LinearAutoencoder::new: code size {d} for data of width {dim}"
        );
        let mut g = linalg::rng(seed);
        let mut normal = |rows, cols, s: f64| {
            Matrix::from_fn(rows, cols, |_, _| s * linalg::standard_normal(&mut g))
        };
        let (w, u) = match *start {
            Start::Balanced { scale } => {
                let u = normal(dim, d, scale);
                (u.transpose(), u)
            }
            Start::Unbalanced { u_scale, w_scale } => {
                let u = normal(dim, d, u_scale);
                (normal(d, dim, w_scale), u)
            }
        };
        LinearAutoencoder { w, u, mean }
    }

    /// The minimiser of claim B (`nn.lae.trace`) for the data `x`: μ = the column means,
    /// U = the top-d eigenvectors of C = X_cᵀX_c (Ky Fan, [`linalg::ky_fan_max`]), W = Uᵀ.
    ///
    /// # Errors
    /// From the eigensolver; `InvalidArgument` if d > D.
    pub fn pca_optimum(x: &Matrix, d: usize) -> Result<Self, LinalgError> {
        let (xc, mean) = x.center_columns();
        let (_, u) = linalg::ky_fan_max(&xc.tr_matmul(&xc), d)?;
        Ok(LinearAutoencoder {
            w: u.transpose(),
            u,
            mean,
        })
    }

    /// Input width D.
    pub fn input_dim(&self) -> usize {
        self.u.nrows()
    }

    /// Code size d.
    pub fn code_dim(&self) -> usize {
        self.u.ncols()
    }

    /// Codes Y = (X - 1μᵀ) Wᵀ, one row per sample.
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn encode(&self, x: &Matrix) -> Matrix {
        self.centre(x, "LinearAutoencoder::encode")
            .matmul_tr(&self.w)
    }

    /// Reconstructions 1μᵀ + Y Uᵀ of codes Y.
    ///
    /// # Panics
    /// If `y.ncols() != d`.
    #[track_caller]
    pub fn decode(&self, y: &Matrix) -> Matrix {
        assert_eq!(
            y.ncols(),
            self.code_dim(),
            "LinearAutoencoder::decode: codes {:?} for a code size {}",
            y.shape(),
            self.code_dim()
        );
        let mut out = y.matmul_tr(&self.u);
        for row in out.as_mut_slice().chunks_exact_mut(self.mean.len()) {
            linalg::axpy(1.0, &self.mean, row);
        }
        out
    }

    /// decode(encode(x)).
    ///
    /// # Panics
    /// If `x.ncols() != D`.
    #[track_caller]
    pub fn reconstruct(&self, x: &Matrix) -> Matrix {
        self.decode(&self.encode(x))
    }

    #[track_caller]
    fn centre(&self, x: &Matrix, op: &str) -> Matrix {
        assert_eq!(
            x.ncols(),
            self.input_dim(),
            "{op}: data {:?} for an autoencoder of input width {}",
            x.shape(),
            self.input_dim()
        );
        x.sub_row_vector(&self.mean)
    }

    /// L_λ on centred data `xc` (see the module docs).
    ///
    /// # Panics
    /// If `xc.ncols() != D`.
    #[track_caller]
    pub fn objective(&self, xc: &Matrix, weight_decay: f64) -> f64 {
        reconstruction_loss(xc, &self.w, &self.u) + weight_decay * self.weight_norms()
    }

    /// Q = UᵀU - WWᵀ, conserved by gradient flow without weight decay (`nn.lae.training`).
    pub fn balance(&self) -> Matrix {
        let mut q = self.u.tr_matmul(&self.u);
        q.add_scaled(-1.0, &self.w.matmul_tr(&self.w));
        q
    }

    /// ||W - Uᵀ||_F.
    pub fn w_minus_ut(&self) -> f64 {
        let mut diff = self.w.clone();
        diff.add_scaled(-1.0, &self.u.transpose());
        diff.frobenius_norm()
    }

    /// λ's factor ||U||_F² + ||W||_F² in L_λ.
    fn weight_norms(&self) -> f64 {
        sq_norm(&self.u) + sq_norm(&self.w)
    }

    /// L_λ and its gradients ∇_U, ∇_W on the centred rows `xc`, with the data part scaled by
    /// `scale` (the weight decay is added unscaled): with R = X_c Wᵀ Uᵀ - X_c and Y = X_c Wᵀ,
    /// the data part is ||R||², ∇_U = 2 Rᵀ Y and ∇_W = 2 Uᵀ Rᵀ X_c, the row form of the formulas
    /// in the module docs.
    fn loss_and_gradients(
        &self,
        xc: &Matrix,
        scale: f64,
        weight_decay: f64,
    ) -> (f64, Matrix, Matrix) {
        let y = xc.matmul_tr(&self.w);
        let mut r = y.matmul_tr(&self.u);
        r.add_scaled(-1.0, xc);
        let mut gu = r.tr_matmul(&y).scale(2.0 * scale);
        let mut gw = self.u.tr_matmul(&r.tr_matmul(xc)).scale(2.0 * scale);
        if weight_decay != 0.0 {
            gu.add_scaled(2.0 * weight_decay, &self.u);
            gw.add_scaled(2.0 * weight_decay, &self.w);
        }
        let loss = scale * sq_norm(&r) + weight_decay * self.weight_norms();
        (loss, gu, gw)
    }

    /// Train on the rows of `x` (centred with this model's `mean`) by GD or SGD with step
    /// `config.lr` (`nn.lae.training`), recording per epoch the objective, ||W - Uᵀ||_F, the
    /// drift of Q = UᵀU - WWᵀ with its bound, and, when `reference` (a D x d basis, e.g. PCA's
    /// components) is given, the largest principal angle between span(U) and it; each epoch
    /// is reported to `observer`. This is the training loop ([`train`](mod@crate::train))
    /// with a [`LaeTrainer`]: full batch, each step uses C = X_cᵀX_c; minibatches of m rows use
    /// (N/m) × the batch gradient (an unbiased estimate of the full one, so the same η is
    /// comparable).
    ///
    /// # Errors
    /// As [`crate::train::fit_observed`]: [`TrainError::Diverged`] at the first non-finite
    /// objective (the weights are then garbage), [`TrainError::ZeroBatchSize`],
    /// [`TrainError::Linalg`] if the principal angles cannot be computed.
    ///
    /// # Panics
    /// If `x.ncols() != D` or `reference` is not D x d.
    #[track_caller]
    pub fn train_observed(
        &mut self,
        x: &Matrix,
        config: &LaeConfig,
        reference: Option<&Matrix>,
        observer: &mut impl Observer<Epoch<LaeMeasures>>,
    ) -> Result<TrainRecord, TrainError> {
        let xc = self.centre(x, "LinearAutoencoder::train");
        let schedule = Schedule {
            epochs: config.epochs,
            batch_size: config.batch_size,
            seed: config.seed,
            early_stopping: None,
        };
        let mut trainer = LaeTrainer::new(self, &xc, config.weight_decay, reference);
        let mut opt = crate::Gd::new(config.lr);
        fit_observed(
            &mut trainer,
            &mut opt,
            Batch::all(&xc, None),
            &schedule,
            observer,
        )?;
        Ok(trainer.record)
    }

    /// [`LinearAutoencoder::train_observed`] with nobody watching.
    ///
    /// # Errors
    /// As [`LinearAutoencoder::train_observed`].
    ///
    /// # Panics
    /// As [`LinearAutoencoder::train_observed`].
    #[track_caller]
    pub fn train(
        &mut self,
        x: &Matrix,
        config: &LaeConfig,
        reference: Option<&Matrix>,
    ) -> Result<TrainRecord, TrainError> {
        self.train_observed(x, config, reference, &mut Silent)
    }

    /// The same gradients from C = X_cᵀX_c (full batch): ∇_U = 2(UWC - C)Wᵀ and
    /// ∇_W = 2Uᵀ(UWC - C), D x D work per step instead of N x D.
    fn gradients_cov(&self, c: &Matrix, weight_decay: f64) -> (Matrix, Matrix) {
        let mut m = self.u.matmul(&self.w.matmul(c)); // U W C
        m.add_scaled(-1.0, c); // -(I - UW) C
        let mut gu = m.matmul_tr(&self.w).scale(2.0);
        let mut gw = self.u.tr_matmul(&m).scale(2.0);
        if weight_decay != 0.0 {
            gu.add_scaled(2.0 * weight_decay, &self.u);
            gw.add_scaled(2.0 * weight_decay, &self.w);
        }
        (gu, gw)
    }

    /// L_λ from C = X_cᵀX_c: Tr(C) - 2 Tr(WCU) + Tr(UᵀU · WCWᵀ) + λ(||U||² + ||W||²).
    fn objective_cov(&self, c: &Matrix, weight_decay: f64) -> f64 {
        let wc = self.w.matmul(c);
        let cross = wc.matmul(&self.u).trace();
        let quad = self
            .u
            .tr_matmul(&self.u)
            .hadamard(&wc.matmul_tr(&self.w))
            .as_slice()
            .iter()
            .sum::<f64>();
        c.trace() - 2.0 * cross + quad + weight_decay * self.weight_norms()
    }

    fn apply(&mut self, opt: &mut dyn Optimizer, gu: &Matrix, gw: &Matrix) {
        opt.step(
            &mut [self.u.as_mut_slice(), self.w.as_mut_slice()],
            &[gu.as_slice(), gw.as_slice()],
        );
    }
}

/// A linear autoencoder in training: the model, the centred data's C = X_cᵀX_c, the balance Q₀
/// at the start, and the record of `nn.lae.training`.
#[derive(Debug)]
pub struct LaeTrainer<'a> {
    /// The model being trained.
    pub ae: &'a mut LinearAutoencoder,
    cov: Matrix,
    weight_decay: f64,
    q0: Matrix,
    bound: f64,
    reference: Option<&'a Matrix>,
    n: usize,
    /// The measurements so far, index 0 = before training.
    pub record: TrainRecord,
}

impl<'a> LaeTrainer<'a> {
    /// `ae` in training on the centred rows `xc` with weight decay λ, measured against the
    /// subspace `reference` when given.
    ///
    /// # Panics
    /// If `xc.ncols() != D` or `reference` is not D x d.
    #[track_caller]
    pub fn new(
        ae: &'a mut LinearAutoencoder,
        xc: &Matrix,
        weight_decay: f64,
        reference: Option<&'a Matrix>,
    ) -> Self {
        LaeTrainer {
            cov: xc.tr_matmul(xc),
            q0: ae.balance(),
            ae,
            weight_decay,
            bound: 0.0,
            reference,
            n: xc.nrows(),
            record: TrainRecord::default(),
        }
    }

    /// Append the current objective and measures to the record.
    fn record(&mut self) -> Result<EpochLoss<LaeMeasures>, StepError> {
        let loss = self.ae.objective_cov(&self.cov, self.weight_decay);
        let mut dq = self.ae.balance();
        dq.add_scaled(-1.0, &self.q0);
        let mut measures = LaeMeasures {
            w_minus_ut: self.ae.w_minus_ut(),
            q_drift: dq.frobenius_norm(),
            drift_bound: self.bound,
            largest_angle: None,
        };
        if let (Some(r), true) = (self.reference, loss.is_finite()) {
            let angles = principal_angles(&self.ae.u, r)?;
            measures.largest_angle = Some(angles.iter().copied().fold(0.0, f64::max));
        }
        let rec = &mut self.record;
        rec.loss.push(loss);
        rec.w_minus_ut.push(measures.w_minus_ut);
        rec.q_drift.push(measures.q_drift);
        rec.drift_bound.push(measures.drift_bound);
        rec.largest_angle.extend(measures.largest_angle);
        Ok(EpochLoss {
            loss,
            validation_loss: None,
            measures,
        })
    }
}

impl Trainable for LaeTrainer<'_> {
    type Measures = LaeMeasures;

    fn initial_loss(&mut self, _data: Batch<'_>) -> Result<Option<f64>, StepError> {
        Ok(Some(self.record()?.loss))
    }

    /// One GD step: from C for the whole data, else from the batch's rows scaled by N/m.
    /// Returns the batch's objective before the step (the same scaling).
    fn step(&mut self, batch: Batch<'_>, opt: &mut dyn Optimizer) -> Result<f64, StepError> {
        let (ae, wd) = (&mut *self.ae, self.weight_decay);
        let (loss, gu, gw) = if batch.whole {
            // One step per epoch: the loss before it is the one recorded after the last.
            let before = *self.record.loss.last().expect("recorded before training");
            let (gu, gw) = ae.gradients_cov(&self.cov, wd);
            (before, gu, gw)
        } else {
            let scale = self.n as f64 / batch.inputs.nrows() as f64;
            ae.loss_and_gradients(batch.inputs, scale, wd)
        };
        finite_loss(loss)?;
        let lr = opt.learning_rate();
        self.bound += lr * lr * (sq_norm(&gu) + sq_norm(&gw));
        ae.apply(opt, &gu, &gw);
        Ok(loss)
    }

    /// The objective on all the data (from C) after the epoch, and the measures.
    fn end_epoch(
        &mut self,
        _data: Batch<'_>,
        _mean: f64,
    ) -> Result<EpochLoss<LaeMeasures>, StepError> {
        self.record()
    }

    fn params(&self) -> Vec<f64> {
        let mut p = self.ae.u.as_slice().to_vec();
        p.extend_from_slice(self.ae.w.as_slice());
        p
    }

    fn set_params(&mut self, params: &[f64]) {
        let k = self.ae.u.as_slice().len();
        self.ae.u.as_mut_slice().copy_from_slice(&params[..k]);
        self.ae.w.as_mut_slice().copy_from_slice(&params[k..]);
    }
}
