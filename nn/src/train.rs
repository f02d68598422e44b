//! The training loop: minibatch (or full-batch) gradient steps, the loss history per epoch,
//! held-out evaluation, early stopping, a progress bar, and a hard stop on a non-finite loss.
//!
//! One update (see [`step`]) is the lecture's inner loop: forward pass, loss, backward pass
//! (`nn.backprop`), the regularizer's smooth gradient added, the optimiser's step, then the
//! regularizer's proximal step (`nn.regularization`). One epoch (see [`run_epoch`]) visits the
//! batches of a fresh permutation (`nn.sgd`); with a single batch of all N samples it is plain
//! gradient descent (`nn.gd`).

use crate::{Gradients, Loss, Minibatches, Mlp, Optimizer, Penalty, TapeWorkspace, Workspace};
use autodiff::AutodiffError;
use linalg::Matrix;
use std::fmt;
use std::io::IsTerminal;

/// What [`train`] does.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Maximum number of epochs (passes over the training data).
    pub epochs: usize,
    /// Minibatch size m; `None` means full-batch gradient descent (one update per epoch).
    pub batch_size: Option<usize>,
    /// The data loss.
    pub loss: Loss,
    /// The penalty on the weights.
    pub penalty: Penalty,
    /// Seed of the minibatch shuffles.
    pub seed: u64,
    /// Which code computes the gradients.
    pub engine: Engine,
    /// Stop when the monitored loss stops improving.
    pub early_stopping: Option<EarlyStopping>,
    /// Draw a progress bar on stderr; it is drawn only when stderr is a terminal, so logs and
    /// CI output stay clean either way.
    pub progress: bool,
}

impl Default for TrainConfig {
    /// 100 epochs of full-batch GD on the mean squared error, no penalty, no early stopping,
    /// seed 0, hand-written backprop, progress bar on a terminal.
    fn default() -> Self {
        TrainConfig {
            epochs: 100,
            batch_size: None,
            loss: Loss::MeanSquared,
            penalty: Penalty::None,
            seed: 0,
            engine: Engine::HandWritten,
            early_stopping: None,
            progress: true,
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

/// The record of a training run.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The training objective (data loss on all training samples plus the penalty) before
    /// the first update.
    pub initial_loss: f64,
    /// The training objective at the end of each epoch (a forward pass over all training
    /// samples, with the weights the epoch ended with).
    pub train_loss: Vec<f64>,
    /// The data loss on the held-out samples at the end of each epoch (empty without them).
    pub validation_loss: Vec<f64>,
    /// The epoch (1-based) whose parameters the network holds at the end: the last one, or
    /// the best one when early stopping restored it.
    pub best_epoch: usize,
    /// True when early stopping triggered (and restored the best epoch's parameters).
    pub stopped_early: bool,
}

/// Training stopped because a number became NaN or infinite: the model would be garbage.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainError {
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
    /// A loss (of a minibatch, of the epoch or on the validation data) is not finite.
    NonFiniteLoss {
        /// The epoch (1-based; 0 means before training).
        epoch: usize,
        /// The batch within the epoch (1-based), when a minibatch loss was the first to fail.
        batch: Option<usize>,
        /// The offending value.
        value: f64,
        /// The last finite training objective recorded (end of the previous epoch, or the
        /// initial loss), if any.
        last_finite_loss: Option<f64>,
    },
    /// The loss is finite but the tape found a non-finite gradient.
    NonFiniteGradient {
        /// The epoch (1-based).
        epoch: usize,
        /// The batch within the epoch (1-based).
        batch: usize,
        /// The tape's report (which node, which operation).
        detail: String,
        /// The last finite training objective recorded.
        last_finite_loss: Option<f64>,
    },
    /// A parameter is not finite at the end of an epoch (the loss cannot show it yet).
    NonFiniteParameter {
        /// The epoch (1-based).
        epoch: usize,
        /// Which layer (1-based) and tensor ("W" or "b").
        layer: usize,
        /// "W" or "b".
        tensor: &'static str,
        /// The offending value.
        value: f64,
        /// The last finite training objective recorded.
        last_finite_loss: Option<f64>,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = |l: &Option<f64>| match l {
            Some(v) => format!("the last finite loss was {v:e}"),
            None => "no finite loss was recorded".to_string(),
        };
        match self {
            TrainError::NonFiniteData { what, at, value } => write!(
                f,
                "the training {what} hold {value} at row {}, column {}; every entry must be \
                 finite",
                at.0, at.1
            ),
            TrainError::NonFiniteLoss {
                epoch,
                batch,
                value,
                last_finite_loss,
            } => {
                let at = match batch {
                    Some(b) => format!(" at batch {b}"),
                    None => String::new(),
                };
                write!(
                    f,
                    "training diverged: the loss became {value} in epoch {epoch}{at}; {}; \
                     lower the learning rate or check the data for NaN/inf",
                    last(last_finite_loss)
                )
            }
            TrainError::NonFiniteGradient {
                epoch,
                batch,
                detail,
                last_finite_loss,
            } => write!(
                f,
                "training diverged: a gradient became non-finite in epoch {epoch} at batch {batch} \
                 ({detail}); {}",
                last(last_finite_loss)
            ),
            TrainError::NonFiniteParameter {
                epoch,
                layer,
                tensor,
                value,
                last_finite_loss,
            } => write!(
                f,
                "training diverged: {tensor} of layer {layer} holds {value} after epoch {epoch}; {}; \
                 lower the learning rate",
                last(last_finite_loss)
            ),
        }
    }
}

impl std::error::Error for TrainError {}

/// Which code computes the gradient of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The layers' hand-written backward passes ([`Mlp::loss_and_gradient`]).
    HandWritten,
    /// The autodiff tape ([`Mlp::loss_and_gradient_tape`]).
    Tape,
}

/// Why a step could not produce a usable gradient.
#[derive(Debug, Clone, PartialEq)]
pub enum StepError {
    /// The loss (or a value on the way to it) is NaN or infinite.
    NonFiniteLoss(f64),
    /// The loss is finite but a gradient is not (reported by the tape).
    NonFiniteGradient(String),
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
    /// A [`StepError`] when the loss or (tape only) a gradient is not finite.
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
                let v = net.loss_and_gradient(x, y, loss, &mut self.workspace, &mut self.grads);
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(StepError::NonFiniteLoss(v))
                }
            }
            Engine::Tape => net
                .loss_and_gradient_tape(x, y, loss, &mut self.tape, &mut self.grads)
                .map_err(|e| match e {
                    AutodiffError::NonFiniteValue { value, .. } => StepError::NonFiniteLoss(value),
                    other => StepError::NonFiniteGradient(other.to_string()),
                }),
        }
    }
}

/// Buffers reused by every update: the gradient engine and the gathered minibatch.
#[derive(Debug)]
pub struct StepBuffers {
    /// The gradient engine and its buffers.
    pub backprop: Backprop,
    xb: Matrix,
    yb: Matrix,
}

impl StepBuffers {
    /// Buffers for `net`, batches of `batch` rows and the given engine.
    pub fn new(net: &Mlp, batch: usize, engine: Engine) -> Self {
        StepBuffers {
            backprop: Backprop::new(net, batch, engine),
            xb: Matrix::zeros(batch, net.input_dim()),
            yb: Matrix::zeros(batch, net.output_dim()),
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

/// One update from the batch (x, y): returns the batch's data loss *before* the update.
///
/// forward → L and ∂L/∂X^L → backward → ∇W += 2λ₂W → optimiser step → W ← prox(W).
/// On a [`StepError`] the parameters are left untouched.
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

/// One epoch: an update per batch of `batches` (index lists into the rows of x and y).
/// Returns the mean of the batch losses weighted by batch size, or `Err((batch, error))`
/// (batch 1-based) at the first failed step.
///
/// # Panics
/// If the shapes do not fit the network or an index is out of range.
#[track_caller]
pub fn run_epoch(
    net: &mut Mlp,
    opt: &mut dyn Optimizer,
    x: &Matrix,
    y: &Matrix,
    batches: &[Vec<usize>],
    objective: Objective,
    buf: &mut StepBuffers,
) -> Result<f64, (usize, StepError)> {
    assert_eq!(
        x.nrows(),
        y.nrows(),
        "run_epoch: {} inputs but {} targets",
        x.nrows(),
        y.nrows()
    );
    let mut total = 0.0;
    let mut count = 0usize;
    for (k, idx) in batches.iter().enumerate() {
        // A sorted batch of all N rows is the data itself: no copy (plain GD).
        let full = idx.len() == x.nrows() && idx.iter().enumerate().all(|(i, &j)| i == j);
        let value = if full {
            step(net, opt, x, y, objective, &mut buf.backprop)
        } else {
            gather_rows(x, idx, &mut buf.xb);
            gather_rows(y, idx, &mut buf.yb);
            step(net, opt, &buf.xb, &buf.yb, objective, &mut buf.backprop)
        };
        let value = value.map_err(|v| (k + 1, v))?;
        total += value * idx.len() as f64;
        count += idx.len();
    }
    Ok(total / count.max(1) as f64)
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

/// Train `net` on (x, y) with `opt` as `config` says; evaluate on `validation` after every
/// epoch when given.
///
/// Errors: [`TrainError::NonFiniteData`] before any step when the data hold NaN or inf;
/// otherwise [`TrainError`] as soon as a loss or parameter becomes NaN or infinite, naming the
/// epoch and the last finite loss. The network then holds the parameters of the failed
/// update's start (for a loss) or the non-finite ones (for a parameter); do not use it.
///
/// # Panics
/// If x and y have different numbers of rows, no rows, or shapes that do not fit the network;
/// if `config.batch_size` is `Some(0)`.
///
/// ```
/// use linalg::Matrix;
/// use nn::{train, Activation, Gd, Mlp, TrainConfig};
/// // Learn y = 2x - 1 with one linear unit.
/// let x = Matrix::from_fn(20, 1, |i, _| i as f64 / 20.0);
/// let y = x.map(|v| 2.0 * v - 1.0);
/// let mut net = Mlp::new(&[1, 1], &[Activation::Identity], 0);
/// let cfg = TrainConfig { epochs: 2000, progress: false, ..Default::default() };
/// let h = train(&mut net, &mut Gd::new(0.5), &x, &y, None, &cfg).unwrap();
/// assert!(h.train_loss.last().unwrap() < &1e-10);
/// ```
#[track_caller]
pub fn train(
    net: &mut Mlp,
    opt: &mut dyn Optimizer,
    x: &Matrix,
    y: &Matrix,
    validation: Option<(&Matrix, &Matrix)>,
    config: &TrainConfig,
) -> Result<History, TrainError> {
    let n = x.nrows();
    assert!(n > 0, "train: no training samples");
    assert_eq!(n, y.nrows(), "train: {n} inputs but {} targets", y.nrows());
    assert!(
        config.batch_size != Some(0),
        "train: batch_size Some(0); a minibatch needs at least 1 sample (None means full batch)"
    );
    let mut data = vec![("inputs", x), ("targets", y)];
    if let Some((vx, vy)) = validation {
        data.extend([("validation inputs", vx), ("validation targets", vy)]);
    }
    for (what, m) in data {
        if let Some((at, value)) = m.find_non_finite() {
            return Err(TrainError::NonFiniteData { what, at, value });
        }
    }
    let m = config.batch_size.unwrap_or(n).clamp(1, n);
    let mut schedule = Minibatches::new(n, m, config.seed);
    let mut buf = StepBuffers::new(net, m, config.engine);

    let objective = Objective {
        loss: config.loss,
        penalty: config.penalty,
    };
    let initial_loss = objective.value(net, x, y);
    if !initial_loss.is_finite() {
        return Err(TrainError::NonFiniteLoss {
            epoch: 0,
            batch: None,
            value: initial_loss,
            last_finite_loss: None,
        });
    }
    let mut history = History {
        initial_loss,
        train_loss: Vec::with_capacity(config.epochs),
        validation_loss: Vec::new(),
        best_epoch: 0,
        stopped_early: false,
    };
    let mut last_finite = initial_loss;
    let mut best: Option<(f64, Vec<f64>)> = None;
    let mut waited = 0usize;

    let bar = if config.progress && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(config.epochs as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };

    for epoch in 1..=config.epochs {
        let batches = schedule.next_epoch();
        run_epoch(net, opt, x, y, &batches, objective, &mut buf).map_err(|(batch, e)| match e {
            StepError::NonFiniteLoss(value) => TrainError::NonFiniteLoss {
                epoch,
                batch: Some(batch),
                value,
                last_finite_loss: Some(last_finite),
            },
            StepError::NonFiniteGradient(detail) => TrainError::NonFiniteGradient {
                epoch,
                batch,
                detail,
                last_finite_loss: Some(last_finite),
            },
        })?;
        if let Some((layer, tensor, value)) = net.find_non_finite() {
            return Err(TrainError::NonFiniteParameter {
                epoch,
                layer: layer + 1,
                tensor,
                value,
                last_finite_loss: Some(last_finite),
            });
        }
        let train_loss = objective.value(net, x, y);
        let non_finite = |value: f64| TrainError::NonFiniteLoss {
            epoch,
            batch: None,
            value,
            last_finite_loss: Some(last_finite),
        };
        if !train_loss.is_finite() {
            return Err(non_finite(train_loss));
        }
        history.train_loss.push(train_loss);
        let mut monitored = train_loss;
        if let Some((xv, yv)) = validation {
            let v = net.loss(xv, yv, config.loss);
            if !v.is_finite() {
                return Err(non_finite(v));
            }
            history.validation_loss.push(v);
            monitored = v;
        }
        last_finite = train_loss;
        history.best_epoch = epoch;
        bar.set_message(format!("loss {train_loss:.4e}"));
        bar.inc(1);

        if let Some(es) = config.early_stopping {
            match &best {
                // An improvement must be a decrease by more than min_delta.
                Some((b, _)) if monitored >= b - es.min_delta => waited += 1,
                _ => {
                    best = Some((monitored, net.params()));
                    waited = 0;
                }
            }
            if waited >= es.patience.max(1) {
                // Restore the best epoch's parameters: the extra epochs only overfitted.
                let (_, params) = best.take().expect("set in the first epoch");
                net.set_params(&params);
                history.best_epoch = epoch - waited;
                history.stopped_early = true;
                break;
            }
        }
    }
    bar.finish_and_clear();
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activation, Gd};

    fn data() -> (Matrix, Matrix) {
        let x = Matrix::random_normal(40, 3, 1);
        let y = Matrix::from_fn(40, 1, |i, _| x[(i, 0)] - 2.0 * x[(i, 1)] + 0.5);
        (x, y)
    }

    /// Regression (careless input): NaN in the data was reported as "training diverged ...
    /// in epoch 0"; a zero batch size was silently clamped to one sample.
    #[test]
    fn non_finite_data_and_zero_batch_are_named() {
        let (mut x, y) = data();
        x[(7, 2)] = f64::NAN;
        let mut net = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            epochs: 3,
            progress: false,
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
            batch_size: Some(0),
            ..cfg
        };
        let r = std::panic::catch_unwind(move || {
            let _ = train(&mut net, &mut Gd::new(0.1), &x, &y, None, &zero);
        });
        let payload = r.unwrap_err();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|m| m.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap();
        assert!(msg.contains("batch_size Some(0)"), "{msg}");
    }

    #[test]
    fn a_diverging_run_stops_with_the_epoch_and_the_last_finite_loss() {
        let (x, y) = data();
        let mut net = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            epochs: 10_000,
            progress: false,
            ..Default::default()
        };
        // α = 10 is far above 2/λ_max of this least-squares problem: the loss grows ~10x per
        // epoch and overflows long before 10 000 epochs.
        let err = train(&mut net, &mut Gd::new(10.0), &x, &y, None, &cfg).unwrap_err();
        let (epoch, last) = match &err {
            TrainError::NonFiniteLoss {
                epoch,
                last_finite_loss,
                ..
            }
            | TrainError::NonFiniteParameter {
                epoch,
                last_finite_loss,
                ..
            } => (*epoch, *last_finite_loss),
            other => panic!("unexpected error {other:?}"),
        };
        assert!(epoch > 1 && epoch < 10_000);
        assert!(last.is_some_and(f64::is_finite));
        let msg = err.to_string();
        assert!(msg.contains(&format!("epoch {epoch}")), "{msg}");
        assert!(msg.contains("last finite loss"), "{msg}");
    }

    #[test]
    fn early_stopping_stops_after_patience_epochs_without_improvement() {
        let (x, y) = data();
        let mut net = Mlp::new(&[3, 1], &[Activation::Identity], 2);
        let cfg = TrainConfig {
            epochs: 50,
            early_stopping: Some(EarlyStopping {
                patience: 3,
                min_delta: 0.0,
            }),
            progress: false,
            ..Default::default()
        };
        // A zero learning rate: the loss never improves after epoch 1.
        let h = train(&mut net, &mut Gd::new(0.0), &x, &y, Some((&x, &y)), &cfg).unwrap();
        assert!(h.stopped_early);
        assert_eq!(h.train_loss.len(), 4);
        assert_eq!(h.validation_loss.len(), 4);
        assert_eq!(h.best_epoch, 1);
    }

    #[test]
    fn the_tape_engine_trains_like_the_hand_written_one() {
        let (x, y) = data();
        let net0 = Mlp::new(&[3, 4, 1], &[Activation::Tanh, Activation::Identity], 3);
        let mut histories = Vec::new();
        for engine in [Engine::HandWritten, Engine::Tape] {
            let mut net = net0.clone();
            let cfg = TrainConfig {
                epochs: 20,
                batch_size: Some(8),
                engine,
                progress: false,
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
