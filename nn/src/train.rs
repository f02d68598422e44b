//! The training loop: one loop for every model of the crate (the multilayer perceptron and
//! the deep autoencoder, the variational autoencoder, the linear autoencoder), with the
//! minibatch schedule, the per-epoch history, early stopping and the divergence guard written
//! once.
//!
//! A model takes part through the small trait [`Trainable`]: it computes a batch's loss and
//! gradients and takes the optimiser's step ([`Trainable::step`]), and says what the epoch's
//! loss is ([`Trainable::end_epoch`]: the full objective for the MLP, the mean of the batch
//! losses for the VAE). The loop does the rest:
//!
//! 1. before the first step, the data must be finite ([`TrainError::NonFiniteData`]);
//! 2. every epoch visits the batches of a fresh permutation (`nn.sgd`), gathered into reused
//!    buffers; with no batch size the one batch is the data themselves, uncopied, and the
//!    epoch is a plain gradient-descent step (`nn.gd`);
//! 3. the first non-finite loss, gradient or parameter ends the run with [`Diverged`], naming
//!    the epoch (and batch) and the last finite loss;
//! 4. after each epoch the observer receives an [`Epoch`] event (linalg's observer
//!    convention, [`linalg::observe`]) and may stop the run ([`TrainError::Stopped`]);
//! 5. early stopping, when asked for, restores the best epoch's parameters.
//!
//! One MLP update ([`step`]) is the lecture's inner loop: forward pass, loss, backward pass
//! (`nn.backprop`), the regularizer's smooth gradient added, the optimiser's step, then the
//! regularizer's proximal step (`nn.regularization`).

use crate::{Gradients, Loss, Minibatches, Mlp, Optimizer, Penalty, TapeWorkspace, Workspace};
use autodiff::AutodiffError;
use linalg::observe::{Observer, Silent};
use linalg::{LinalgError, Matrix};
use std::fmt;

/// A model the training loop can train: it supplies the loss and the gradients, the loop the
/// rest (see the module docs).
pub trait Trainable {
    /// What each epoch reports beside its loss (the VAE's reconstruction and KL parts, the
    /// linear autoencoder's balance); `()` when there is nothing more.
    type Measures;

    /// The training objective on all of `data` before the first update, when the model
    /// evaluates one (the VAE's loss is a noisy estimate; it reports none).
    ///
    /// # Errors
    /// A [`StepError`] when the evaluation fails.
    fn initial_loss(&mut self, data: Batch<'_>) -> Result<Option<f64>, StepError>;

    /// One update from `batch` with `opt`: returns the batch loss *before* the update.
    ///
    /// # Errors
    /// [`NonFinite`] (as a [`StepError`]) when the loss or a gradient is NaN or infinite; the
    /// parameters are then left as they were.
    fn step(&mut self, batch: Batch<'_>, opt: &mut dyn Optimizer) -> Result<f64, StepError>;

    /// The end of an epoch whose batch losses had the size-weighted mean `mean_batch_loss`:
    /// the epoch's loss (the full objective or that mean), the validation loss if any, and
    /// the measures.
    ///
    /// # Errors
    /// A [`StepError`] when a parameter is not finite or a measurement fails.
    fn end_epoch(
        &mut self,
        data: Batch<'_>,
        mean_batch_loss: f64,
    ) -> Result<EpochLoss<Self::Measures>, StepError>;

    /// All parameters in one vector (for early stopping's snapshot of the best epoch).
    fn params(&self) -> Vec<f64>;

    /// Set all parameters from a vector made by [`Trainable::params`].
    fn set_params(&mut self, params: &[f64]);
}

/// What [`Trainable::end_epoch`] reports.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochLoss<M> {
    /// The training loss of the epoch.
    pub loss: f64,
    /// The data loss on held-out samples, when the model has them.
    pub validation_loss: Option<f64>,
    /// The model's other per-epoch quantities.
    pub measures: M,
}

/// Rows of the training data: all of them, or one gathered minibatch.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The inputs, one sample per row.
    pub inputs: &'a Matrix,
    /// The targets; `None` for a model that reconstructs its inputs (an autoencoder).
    pub targets: Option<&'a Matrix>,
    /// True when the batch is the whole training set, in order (full-batch gradient descent).
    pub whole: bool,
}

impl<'a> Batch<'a> {
    /// All of the data `inputs` with their `targets` (`None`: the inputs are their own).
    pub fn all(inputs: &'a Matrix, targets: Option<&'a Matrix>) -> Self {
        Batch {
            inputs,
            targets,
            whole: true,
        }
    }

    /// The targets: the given ones, or the inputs themselves.
    pub fn targets(&self) -> &'a Matrix {
        self.targets.unwrap_or(self.inputs)
    }
}

/// The epochs and batches of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Maximum number of epochs (passes over the training data).
    pub epochs: usize,
    /// Minibatch size m; `None` means full-batch gradient descent (one update per epoch).
    /// A size above the number of samples N is one batch of N (in shuffled order); `Some(0)`
    /// is [`TrainError::ZeroBatchSize`].
    pub batch_size: Option<usize>,
    /// Seed of the minibatch shuffles.
    pub seed: u64,
    /// Stop when the monitored loss stops improving.
    pub early_stopping: Option<EarlyStopping>,
}

impl Default for Schedule {
    /// 100 epochs of full-batch gradient descent, seed 0, no early stopping.
    fn default() -> Self {
        Schedule {
            epochs: 100,
            batch_size: None,
            seed: 0,
            early_stopping: None,
        }
    }
}

/// Early stopping: stop after `patience` epochs without an improvement larger than `min_delta`
/// of the monitored loss (the validation loss when there is validation data, else the training
/// objective), and restore the parameters of the best epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarlyStopping {
    /// Epochs to wait for an improvement.
    pub patience: usize,
    /// The smallest decrease that counts as an improvement.
    pub min_delta: f64,
}

/// The observer's event after each epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Epoch<M = ()> {
    /// The epoch just finished (1-based).
    pub epoch: usize,
    /// The number of epochs asked for.
    pub epochs: usize,
    /// The training loss the notes plot (see [`Trainable::end_epoch`]).
    pub loss: f64,
    /// The data loss on held-out samples, if any.
    pub validation_loss: Option<f64>,
    /// The model's other per-epoch quantities.
    pub measures: M,
}

/// The record of a training run.
#[derive(Debug, Clone, PartialEq)]
pub struct History<M = ()> {
    /// The training objective before the first update (`None` for models that do not
    /// evaluate one, the VAE).
    pub initial_loss: Option<f64>,
    /// The training loss of each epoch ([`Epoch::loss`]).
    pub train_loss: Vec<f64>,
    /// The validation loss of each epoch (empty without held-out data).
    pub validation_loss: Vec<f64>,
    /// The model's measures of each epoch.
    pub measures: Vec<M>,
    /// The epoch (1-based) whose parameters the model holds at the end: the last one, or
    /// the best one when early stopping restored it.
    pub best_epoch: usize,
    /// True when early stopping triggered (and restored the best epoch's parameters).
    pub stopped_early: bool,
}

/// What became NaN or infinite.
#[derive(Debug, Clone, PartialEq)]
pub enum NonFinite {
    /// A loss (of a batch, of the epoch, on the validation data, or before training).
    Loss(f64),
    /// A gradient, while the loss was finite (the tape's report: which node, which operation).
    Gradient(String),
    /// A parameter at the end of an epoch (a saturated unit can hide it from the loss).
    Parameter {
        /// Which parameter ("W of layer 2").
        name: String,
        /// The offending value.
        value: f64,
    },
}

/// Why a model's step or end of epoch failed.
#[derive(Debug, Clone, PartialEq)]
pub enum StepError {
    /// A number became NaN or infinite.
    NonFinite(NonFinite),
    /// A linear-algebra failure while measuring the epoch (the linear autoencoder's
    /// principal angles of a rank-deficient decoder).
    Linalg(LinalgError),
}

impl From<NonFinite> for StepError {
    fn from(e: NonFinite) -> Self {
        StepError::NonFinite(e)
    }
}

impl From<LinalgError> for StepError {
    fn from(e: LinalgError) -> Self {
        StepError::Linalg(e)
    }
}

/// `Ok(loss)` when it is finite, else [`NonFinite::Loss`]: the check every step makes before
/// it updates anything.
///
/// # Errors
/// [`NonFinite::Loss`] for NaN or ±∞.
pub fn finite_loss(loss: f64) -> Result<f64, StepError> {
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(NonFinite::Loss(loss).into())
    }
}

/// Training diverged: a number became NaN or infinite, so the model is garbage.
#[derive(Debug, Clone, PartialEq)]
pub struct Diverged {
    /// The epoch (1-based; 0 means before training).
    pub epoch: usize,
    /// The batch within the epoch (1-based), when a step failed.
    pub batch: Option<usize>,
    /// What became non-finite.
    pub cause: NonFinite,
    /// The last finite training loss recorded (end of the previous epoch, or the initial
    /// loss), if any.
    pub last_finite_loss: Option<f64>,
}

impl fmt::Display for Diverged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match self.batch {
            Some(b) => format!("in epoch {} at batch {b}", self.epoch),
            None => format!("in epoch {}", self.epoch),
        };
        let what = match &self.cause {
            NonFinite::Loss(v) => format!("the loss became {v}"),
            NonFinite::Gradient(detail) => format!("a gradient became non-finite ({detail})"),
            NonFinite::Parameter { name, value } => format!("{name} became {value}"),
        };
        let last = match self.last_finite_loss {
            Some(v) => format!("the last finite loss was {v:e}"),
            None => "no finite loss was recorded".to_string(),
        };
        write!(
            f,
            "training diverged: {what} {at}; {last}; lower the learning rate"
        )
    }
}

/// Why training stopped without a result.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainError {
    /// There are no training samples.
    NoSamples,
    /// A minibatch size of 0 (`None` means full batch).
    ZeroBatchSize,
    /// The training or validation data hold a NaN or infinite entry (checked before the first
    /// step, so that bad data are not reported as a diverged run).
    NonFiniteData {
        /// "inputs", "targets", "validation inputs" or "validation targets".
        what: &'static str,
        /// (row, column) of the first such entry.
        at: (usize, usize),
        /// The offending value.
        value: f64,
    },
    /// A loss, gradient or parameter became NaN or infinite.
    Diverged(Diverged),
    /// The observer asked to stop after this epoch.
    Stopped {
        /// The epoch (1-based).
        epoch: usize,
    },
    /// A linear-algebra failure while measuring an epoch.
    Linalg(LinalgError),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::NoSamples => write!(f, "no training samples"),
            TrainError::ZeroBatchSize => write!(
                f,
                "batch size 0: a minibatch needs at least 1 sample (no size means full batch)"
            ),
            TrainError::NonFiniteData { what, at, value } => write!(
                f,
                "the training {what} hold {value} at row {}, column {}; every entry must be \
                 finite",
                at.0, at.1
            ),
            TrainError::Diverged(d) => d.fmt(f),
            TrainError::Stopped { epoch } => write!(f, "training stopped after epoch {epoch}"),
            TrainError::Linalg(e) => write!(f, "training: {e}"),
        }
    }
}

impl std::error::Error for TrainError {}

/// [`TrainError::NonFiniteData`] for the first NaN or infinite entry of `m`.
///
/// # Errors
/// As described.
pub fn check_finite_data(what: &'static str, m: &Matrix) -> Result<(), TrainError> {
    match m.find_non_finite() {
        Some((at, value)) => Err(TrainError::NonFiniteData { what, at, value }),
        None => Ok(()),
    }
}

/// The minibatch gatherer: copies a batch's rows into buffers reused by every update.
#[derive(Debug, Clone)]
pub struct BatchBuffers {
    inputs: Matrix,
    targets: Matrix,
}

impl Default for BatchBuffers {
    fn default() -> Self {
        BatchBuffers {
            inputs: Matrix::zeros(0, 0),
            targets: Matrix::zeros(0, 0),
        }
    }
}

impl BatchBuffers {
    /// The batch `idx` (sorted row indices) of `data`: `data` itself when `idx` is every row
    /// in order (no copy: plain GD), else the rows copied into the buffers.
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn gather<'a>(&'a mut self, data: Batch<'a>, idx: &[usize]) -> Batch<'a> {
        let n = data.inputs.nrows();
        if idx.len() == n && idx.iter().enumerate().all(|(i, &j)| i == j) {
            return Batch::all(data.inputs, data.targets);
        }
        gather_rows(data.inputs, idx, &mut self.inputs);
        let targets = data.targets.map(|t| {
            gather_rows(t, idx, &mut self.targets);
            &self.targets
        });
        Batch {
            inputs: &self.inputs,
            targets,
            whole: false,
        }
    }
}

/// Copy the rows `idx` of `src` into `dst` (resized if needed).
fn gather_rows(src: &Matrix, idx: &[usize], dst: &mut Matrix) {
    if dst.shape() != (idx.len(), src.ncols()) {
        dst.resize_zeroed(idx.len(), src.ncols());
    }
    let c = src.ncols();
    for (row, &i) in dst.as_mut_slice().chunks_exact_mut(c.max(1)).zip(idx) {
        row.copy_from_slice(src.row(i));
    }
}

/// One epoch: an update per batch of `batches` (sorted index lists into the rows of `data`).
/// Returns the mean of the batch losses weighted by batch size, or `Err((batch, error))`
/// (batch 1-based) at the first failed step.
///
/// # Panics
/// If an index is out of range or the shapes do not fit the model.
#[track_caller]
pub fn run_epoch<T: Trainable + ?Sized>(
    model: &mut T,
    opt: &mut dyn Optimizer,
    data: Batch<'_>,
    batches: &[Vec<usize>],
    buf: &mut BatchBuffers,
) -> Result<f64, (usize, StepError)> {
    let mut total = 0.0;
    let mut count = 0usize;
    for (k, idx) in batches.iter().enumerate() {
        let batch = buf.gather(data, idx);
        let value = model.step(batch, opt).map_err(|e| (k + 1, e))?;
        total += value * idx.len() as f64;
        count += idx.len();
    }
    Ok(total / count.max(1) as f64)
}

/// Train `model` on `data` with `opt` as `schedule` says: the one training loop of the crate
/// (see the module docs). The plain [`fit`] is this with [`Silent`].
///
/// On [`TrainError::Diverged`] the model holds the parameters of the failed update's start
/// (for a loss or gradient) or the non-finite ones (for a parameter); do not use it. On
/// [`TrainError::Stopped`] it holds the parameters of the epoch the observer stopped.
///
/// # Errors
/// [`TrainError`]: bad data or batch size before any step, divergence, a stop by the
/// observer, a failed measurement.
///
/// # Panics
/// If inputs and targets have different numbers of rows, or shapes that do not fit the model.
#[track_caller]
pub fn fit_observed<T: Trainable + ?Sized>(
    model: &mut T,
    opt: &mut dyn Optimizer,
    data: Batch<'_>,
    schedule: &Schedule,
    observer: &mut impl Observer<Epoch<T::Measures>>,
) -> Result<History<T::Measures>, TrainError> {
    let n = check_data(data, schedule)?;
    let mut batches = schedule
        .batch_size
        .map(|m| Minibatches::new(n, m.min(n), schedule.seed));
    let mut buf = BatchBuffers::default();
    let diverged = |epoch, batch, e: StepError, last: Option<f64>| match e {
        StepError::NonFinite(cause) => TrainError::Diverged(Diverged {
            epoch,
            batch,
            cause,
            last_finite_loss: last,
        }),
        StepError::Linalg(e) => TrainError::Linalg(e),
    };
    let initial_loss = model
        .initial_loss(data)
        .and_then(|l| l.map(finite_loss).transpose())
        .map_err(|e| diverged(0, None, e, None))?;
    let mut history = History {
        initial_loss,
        train_loss: Vec::with_capacity(schedule.epochs),
        validation_loss: Vec::new(),
        measures: Vec::with_capacity(schedule.epochs),
        best_epoch: 0,
        stopped_early: false,
    };
    let mut last_finite = initial_loss;
    let mut best = BestEpoch::default();
    let everything = [(0..n).collect::<Vec<usize>>()];
    for epoch in 1..=schedule.epochs {
        let order = batches.as_mut().map(Minibatches::next_epoch);
        let order = order.as_deref().unwrap_or(&everything[..]);
        let mean = run_epoch(model, opt, data, order, &mut buf)
            .map_err(|(b, e)| diverged(epoch, Some(b), e, last_finite))?;
        let end = model
            .end_epoch(data, mean)
            .and_then(|end| {
                finite_loss(end.loss)?;
                end.validation_loss.map(finite_loss).transpose()?;
                Ok(end)
            })
            .map_err(|e| diverged(epoch, None, e, last_finite))?;
        last_finite = Some(end.loss);
        history.best_epoch = epoch;
        let event = Epoch {
            epoch,
            epochs: schedule.epochs,
            loss: end.loss,
            validation_loss: end.validation_loss,
            measures: end.measures,
        };
        if observer.observe(&event).is_break() {
            return Err(TrainError::Stopped { epoch });
        }
        history.train_loss.push(event.loss);
        history.validation_loss.extend(event.validation_loss);
        history.measures.push(event.measures);
        if let Some(es) = schedule.early_stopping {
            let monitored = event.validation_loss.unwrap_or(event.loss);
            if let Some(best_epoch) = best.update(es, epoch, monitored, model) {
                history.best_epoch = best_epoch;
                history.stopped_early = true;
                break;
            }
        }
    }
    Ok(history)
}

/// [`fit_observed`] with nobody watching.
///
/// # Errors
/// As [`fit_observed`].
///
/// # Panics
/// As [`fit_observed`].
#[track_caller]
pub fn fit<T: Trainable + ?Sized>(
    model: &mut T,
    opt: &mut dyn Optimizer,
    data: Batch<'_>,
    schedule: &Schedule,
) -> Result<History<T::Measures>, TrainError> {
    fit_observed(model, opt, data, schedule, &mut Silent)
}

/// The checks before the first step; returns the number of samples N.
#[track_caller]
fn check_data(data: Batch<'_>, schedule: &Schedule) -> Result<usize, TrainError> {
    let n = data.inputs.nrows();
    if let Some(t) = data.targets {
        assert_eq!(n, t.nrows(), "train: {n} inputs but {} targets", t.nrows());
    }
    if n == 0 {
        return Err(TrainError::NoSamples);
    }
    if schedule.batch_size == Some(0) {
        return Err(TrainError::ZeroBatchSize);
    }
    check_finite_data("inputs", data.inputs)?;
    if let Some(t) = data.targets {
        check_finite_data("targets", t)?;
    }
    Ok(n)
}

/// Early stopping's memory: the best monitored loss, its parameters, epochs since.
#[derive(Debug, Default)]
struct BestEpoch {
    best: Option<(f64, Vec<f64>)>,
    waited: usize,
}

impl BestEpoch {
    /// Record the epoch's monitored loss; after `patience` epochs without an improvement,
    /// restore the best parameters and return the best epoch.
    fn update<T: Trainable + ?Sized>(
        &mut self,
        es: EarlyStopping,
        epoch: usize,
        monitored: f64,
        model: &mut T,
    ) -> Option<usize> {
        match &self.best {
            // An improvement must be a decrease by more than min_delta.
            Some((b, _)) if monitored >= b - es.min_delta => self.waited += 1,
            _ => {
                self.best = Some((monitored, model.params()));
                self.waited = 0;
            }
        }
        if self.waited < es.patience.max(1) {
            return None;
        }
        // Restore the best epoch's parameters: the extra epochs only overfitted.
        let (_, params) = self.best.take().expect("set in the first epoch");
        model.set_params(&params);
        Some(epoch - self.waited)
    }
}

/// What [`train`] does with a multilayer perceptron: the loop's schedule and the objective.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Epochs, batches, shuffle seed, early stopping.
    pub schedule: Schedule,
    /// The data loss.
    pub loss: Loss,
    /// The penalty on the weights.
    pub penalty: Penalty,
    /// Which code computes the gradients.
    pub engine: Engine,
}

impl Default for TrainConfig {
    /// The default schedule (100 epochs of full-batch GD), the mean squared error, no
    /// penalty, hand-written backprop.
    fn default() -> Self {
        TrainConfig {
            schedule: Schedule::default(),
            loss: Loss::MeanSquared,
            penalty: Penalty::None,
            engine: Engine::HandWritten,
        }
    }
}

impl TrainConfig {
    /// The objective: the data loss plus the penalty.
    pub fn objective(&self) -> Objective {
        Objective {
            loss: self.loss,
            penalty: self.penalty,
        }
    }
}

/// Which code computes the gradient of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The layers' hand-written backward passes ([`Mlp::loss_and_gradient`]).
    HandWritten,
    /// The autodiff tape ([`Mlp::loss_and_gradient_tape`]).
    Tape,
}

/// A gradient engine with its reusable buffers: the network's workspace or the tape, and the
/// gradients. Allocation happens only when the batch size changes.
#[derive(Debug)]
pub struct Backprop {
    /// Which code computes the gradient.
    pub engine: Engine,
    /// Activations and backward buffers of the hand-written path.
    pub workspace: Workspace,
    /// The tape of the autodiff path.
    pub tape: TapeWorkspace,
    /// ∇L for every layer, filled by [`Backprop::loss_and_gradient`].
    pub grads: Gradients,
}

impl Backprop {
    /// Buffers for `net`, batches of `batch` rows and the given engine.
    pub fn new(net: &Mlp, batch: usize, engine: Engine) -> Self {
        Backprop {
            engine,
            workspace: net.workspace(if engine == Engine::HandWritten {
                batch
            } else {
                0
            }),
            tape: TapeWorkspace::new(),
            grads: net.zero_gradients(),
        }
    }

    /// The data loss on (x, y) and its gradient (into `self.grads`) by the chosen engine.
    ///
    /// # Errors
    /// [`NonFinite`] when the loss or (tape only) a gradient is not finite.
    ///
    /// # Panics
    /// If the shapes do not fit the network.
    #[track_caller]
    pub fn loss_and_gradient(
        &mut self,
        net: &Mlp,
        x: &Matrix,
        y: &Matrix,
        loss: Loss,
    ) -> Result<f64, StepError> {
        match self.engine {
            Engine::HandWritten => {
                finite_loss(net.loss_and_gradient(x, y, loss, &mut self.workspace, &mut self.grads))
            }
            Engine::Tape => net
                .loss_and_gradient_tape(x, y, loss, &mut self.tape, &mut self.grads)
                .map_err(|e| match e {
                    AutodiffError::NonFiniteValue { value, .. } => NonFinite::Loss(value).into(),
                    other => NonFinite::Gradient(other.to_string()).into(),
                }),
        }
    }
}

/// One MLP update from the batch (x, y): returns the batch's data loss *before* the update.
///
/// forward → L and ∂L/∂X^L → backward → ∇W += 2λ₂W → optimiser step → W ← prox(W).
/// On an error the parameters are left untouched.
///
/// # Errors
/// [`NonFinite`] when the loss or a gradient is not finite.
///
/// # Panics
/// If the shapes do not fit the network.
#[track_caller]
pub fn step(
    net: &mut Mlp,
    opt: &mut dyn Optimizer,
    x: &Matrix,
    y: &Matrix,
    objective: Objective,
    bp: &mut Backprop,
) -> Result<f64, StepError> {
    let Objective { loss, penalty } = objective;
    let value = bp.loss_and_gradient(net, x, y, loss)?;
    let grads = &mut bp.grads;
    if !penalty.is_none() {
        for (layer, g) in net.layers.iter().zip(&mut grads.layers) {
            penalty.add_smooth_gradient(layer.w.as_slice(), g.w.as_mut_slice());
        }
    }
    opt.step(&mut net.param_slices_mut(), &grads.slices());
    if !penalty.is_none() {
        let lr = opt.learning_rate();
        for layer in &mut net.layers {
            penalty.prox(layer.w.as_mut_slice(), lr);
        }
    }
    Ok(value)
}

/// The training objective: a data loss plus a penalty on every weight matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    /// The data loss.
    pub loss: Loss,
    /// The penalty on the weights W^ℓ (not the biases).
    pub penalty: Penalty,
}

impl Objective {
    /// Data loss on (x, y) plus Σ_ℓ penalty(W^ℓ).
    ///
    /// # Panics
    /// If the shapes do not fit the network.
    #[track_caller]
    pub fn value(self, net: &Mlp, x: &Matrix, y: &Matrix) -> f64 {
        let data = net.loss(x, y, self.loss);
        let reg: f64 = net
            .layers
            .iter()
            .map(|l| self.penalty.value(l.w.as_slice()))
            .sum();
        data + reg
    }
}

/// A multilayer perceptron in training: the network, its objective, its gradient engine and
/// the held-out data it is evaluated on after every epoch.
#[derive(Debug)]
pub struct MlpTrainer<'a> {
    /// The network being trained.
    pub net: &'a mut Mlp,
    objective: Objective,
    backprop: Backprop,
    validation: Option<(&'a Matrix, &'a Matrix)>,
}

impl<'a> MlpTrainer<'a> {
    /// `net` trained on `objective` with gradients by `engine`, buffers sized for batches of
    /// `batch` rows, evaluated on `validation` (inputs, targets) when given.
    pub fn new(
        net: &'a mut Mlp,
        objective: Objective,
        engine: Engine,
        batch: usize,
        validation: Option<(&'a Matrix, &'a Matrix)>,
    ) -> Self {
        let backprop = Backprop::new(net, batch, engine);
        MlpTrainer {
            net,
            objective,
            backprop,
            validation,
        }
    }

    /// `net` trained as `config` says on `n` samples, evaluated on `validation`.
    pub fn from_config(
        net: &'a mut Mlp,
        config: &TrainConfig,
        n: usize,
        validation: Option<(&'a Matrix, &'a Matrix)>,
    ) -> Self {
        let batch = config.schedule.batch_size.unwrap_or(n).clamp(1, n.max(1));
        MlpTrainer::new(net, config.objective(), config.engine, batch, validation)
    }
}

impl Trainable for MlpTrainer<'_> {
    type Measures = ();

    fn initial_loss(&mut self, data: Batch<'_>) -> Result<Option<f64>, StepError> {
        Ok(Some(self.objective.value(
            self.net,
            data.inputs,
            data.targets(),
        )))
    }

    fn step(&mut self, batch: Batch<'_>, opt: &mut dyn Optimizer) -> Result<f64, StepError> {
        step(
            self.net,
            opt,
            batch.inputs,
            batch.targets(),
            self.objective,
            &mut self.backprop,
        )
    }

    /// The objective on all training samples with the weights the epoch ended with, and the
    /// data loss on the validation samples.
    fn end_epoch(&mut self, data: Batch<'_>, _mean: f64) -> Result<EpochLoss<()>, StepError> {
        if let Some((layer, tensor, value)) = self.net.find_non_finite() {
            let name = format!("{tensor} of layer {}", layer + 1);
            return Err(NonFinite::Parameter { name, value }.into());
        }
        let loss = self.objective.value(self.net, data.inputs, data.targets());
        let validation_loss = self
            .validation
            .map(|(x, y)| self.net.loss(x, y, self.objective.loss));
        Ok(EpochLoss {
            loss,
            validation_loss,
            measures: (),
        })
    }

    fn params(&self) -> Vec<f64> {
        self.net.params()
    }

    fn set_params(&mut self, params: &[f64]) {
        self.net.set_params(params);
    }
}

/// Train `net` on (x, y) with `opt` as `config` says, evaluated on `validation` after every
/// epoch when given, each epoch reported to `observer`: [`fit_observed`] with an
/// [`MlpTrainer`]. The epoch's loss is the objective on all training samples.
///
/// # Errors
/// As [`fit_observed`]; the validation data are checked for NaN and inf too.
///
/// # Panics
/// If x and y have different numbers of rows, or shapes that do not fit the network.
///
/// ```
/// use linalg::Matrix;
/// use nn::{train, Activation, Gd, Mlp, Schedule, TrainConfig};
/// // Learn y = 2x - 1 with one linear unit.
/// let x = Matrix::from_fn(20, 1, |i, _| i as f64 / 20.0);
/// let y = x.map(|v| 2.0 * v - 1.0);
/// let mut net = Mlp::new(&[1, 1], &[Activation::Identity], 0);
/// let schedule = Schedule { epochs: 2000, ..Default::default() };
/// let cfg = TrainConfig { schedule, ..Default::default() };
/// let h = train(&mut net, &mut Gd::new(0.5), &x, &y, None, &cfg).unwrap();
/// assert!(h.train_loss.last().unwrap() < &1e-10);
/// ```
#[track_caller]
pub fn train_observed(
    net: &mut Mlp,
    opt: &mut dyn Optimizer,
    x: &Matrix,
    y: &Matrix,
    validation: Option<(&Matrix, &Matrix)>,
    config: &TrainConfig,
    observer: &mut impl Observer<Epoch>,
) -> Result<History, TrainError> {
    if let Some((vx, vy)) = validation {
        check_finite_data("validation inputs", vx)?;
        check_finite_data("validation targets", vy)?;
    }
    let mut trainer = MlpTrainer::from_config(net, config, x.nrows(), validation);
    let data = Batch::all(x, Some(y));
    fit_observed(&mut trainer, opt, data, &config.schedule, observer)
}

/// [`train_observed`] with nobody watching, on inputs `x` and targets `y`.
///
/// # Errors
/// As [`train_observed`].
///
/// # Panics
/// As [`train_observed`].
#[track_caller]
pub fn train(
    net: &mut Mlp,
    opt: &mut dyn Optimizer,
    x: &Matrix,
    y: &Matrix,
    validation: Option<(&Matrix, &Matrix)>,
    config: &TrainConfig,
) -> Result<History, TrainError> {
    train_observed(net, opt, x, y, validation, config, &mut Silent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activation, Gd};
    use linalg::observe::ControlFlow;

    fn data() -> (Matrix, Matrix) {
        let x = Matrix::random_normal(40, 3, 1);
        let y = Matrix::from_fn(40, 1, |i, _| x[(i, 0)] - 2.0 * x[(i, 1)] + 0.5);
        (x, y)
    }

    /// Regression (careless input): NaN in the data was reported as "training diverged ...
    /// in epoch 0"; a zero batch size was silently clamped to one sample by one model and a
    /// panic in another; now both are errors naming the problem.
    #[test]
    fn non_finite_data_and_zero_batch_are_named() {
        let (mut x, y) = data();
        x[(7, 2)] = f64::NAN;
        let mut net = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            schedule: Schedule {
                epochs: 3,
                ..Default::default()
            },
            ..Default::default()
        };
        let err = train(&mut net, &mut Gd::new(0.1), &x, &y, None, &cfg).unwrap_err();
        assert!(
            matches!(err, TrainError::NonFiniteData { what: "inputs", at: (7, 2), value }
                if value.is_nan()),
            "{err:?}"
        );
        assert!(err.to_string().contains("row 7, column 2"), "{err}");
        let (x, y) = data();
        let zero = TrainConfig {
            schedule: Schedule {
                batch_size: Some(0),
                ..Default::default()
            },
            ..cfg
        };
        let err = train(&mut net, &mut Gd::new(0.1), &x, &y, None, &zero).unwrap_err();
        assert_eq!(err, TrainError::ZeroBatchSize);
        assert!(err.to_string().contains("batch size 0"), "{err}");
    }

    #[test]
    fn a_diverging_run_stops_with_the_epoch_and_the_last_finite_loss() {
        let (x, y) = data();
        let mut net = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            schedule: Schedule {
                epochs: 10_000,
                ..Default::default()
            },
            ..Default::default()
        };
        // α = 10 is far above 2/λ_max of this least-squares problem: the loss grows ~10x per
        // epoch and overflows long before 10 000 epochs.
        let err = train(&mut net, &mut Gd::new(10.0), &x, &y, None, &cfg).unwrap_err();
        let TrainError::Diverged(d) = &err else {
            panic!("unexpected error {err:?}")
        };
        assert!(d.epoch > 1 && d.epoch < 10_000);
        assert!(d.last_finite_loss.is_some_and(f64::is_finite));
        let msg = err.to_string();
        assert!(msg.contains(&format!("epoch {}", d.epoch)), "{msg}");
        assert!(msg.contains("last finite loss"), "{msg}");
    }

    #[test]
    fn early_stopping_stops_after_patience_epochs_without_improvement() {
        let (x, y) = data();
        let mut net = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            schedule: Schedule {
                epochs: 50,
                early_stopping: Some(EarlyStopping {
                    patience: 3,
                    min_delta: 0.0,
                }),
                ..Default::default()
            },
            ..Default::default()
        };
        // A zero learning rate: the loss never improves after epoch 1.
        let h = train(&mut net, &mut Gd::new(0.0), &x, &y, Some((&x, &y)), &cfg).unwrap();
        assert!(h.stopped_early);
        assert_eq!(h.train_loss.len(), 4);
        assert_eq!(h.validation_loss.len(), 4);
        assert_eq!(h.best_epoch, 1);
    }

    /// The observer sees one event per epoch, with the loss the history records, and a
    /// `Break` ends the run with `Stopped` naming that epoch.
    #[test]
    fn the_observer_sees_every_epoch_and_can_stop_the_run() {
        let (x, y) = data();
        let net0 = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            schedule: Schedule {
                epochs: 6,
                batch_size: Some(8),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut net = net0.clone();
        let mut seen = linalg::observe::Recorder::default();
        let h =
            train_observed(&mut net, &mut Gd::new(0.05), &x, &y, None, &cfg, &mut seen).unwrap();
        let losses: Vec<f64> = seen.events.iter().map(|e: &Epoch| e.loss).collect();
        assert_eq!(losses, h.train_loss);
        assert_eq!(
            seen.events.last().map(|e| (e.epoch, e.epochs)),
            Some((6, 6))
        );
        let mut net = net0;
        let mut stop_at_3 = |e: &Epoch| {
            if e.epoch == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let err = train_observed(
            &mut net,
            &mut Gd::new(0.05),
            &x,
            &y,
            None,
            &cfg,
            &mut stop_at_3,
        )
        .unwrap_err();
        assert_eq!(err, TrainError::Stopped { epoch: 3 });
    }

    #[test]
    fn the_tape_engine_trains_like_the_hand_written_one() {
        let (x, y) = data();
        let net0 = Mlp::new(&[3, 4, 1], &[Activation::Tanh, Activation::Identity], 3);
        let mut histories = Vec::new();
        for engine in [Engine::HandWritten, Engine::Tape] {
            let mut net = net0.clone();
            let cfg = TrainConfig {
                schedule: Schedule {
                    epochs: 20,
                    batch_size: Some(8),
                    ..Default::default()
                },
                engine,
                ..Default::default()
            };
            histories.push(train(&mut net, &mut Gd::new(0.05), &x, &y, None, &cfg).unwrap());
        }
        for (a, b) in histories[0].train_loss.iter().zip(&histories[1].train_loss) {
            // Same steps, gradients equal to rounding; 20 epochs of 5 steps cannot amplify
            // 1e-16 differences beyond 1e-10 with a learning rate this small.
            assert!((a - b).abs() <= 1e-10 * (1.0 + a.abs()), "{a} vs {b}");
        }
    }
}
