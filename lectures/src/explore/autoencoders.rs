//! Page 8, autoencoders and the VAE trained live (`nn.ae.loss`, `nn.vae.elbo`): the loss curve
//! and the 2-D code space after every epoch, decoded codes on a grid, reconstructions of
//! chosen samples, β as a control for the VAE.
//!
//! The training is nn's one loop, [`nn::train::fit_observed`], with the models' own trainers
//! ([`MlpTrainer`] for the deep autoencoder, [`VaeTrainer`] for the VAE), exactly as
//! `Autoencoder::train_observed` and `Vae::train_observed` call it. The loop's [`Epoch`] event
//! carries the losses but not the model (the loop holds it mutably), so the trainer is wrapped
//! in [`Snapshots`], a [`Trainable`] that delegates every call and, at the end of each epoch,
//! adds to the epoch's measures what the page draws (the codes, decoded images), computed from
//! the weights the epoch ended with. Nothing in nn changes.

use super::datasets;
use super::jobs::{self, Job, Pace};
use super::params::{BadRequest, Checked, Query};
use linalg::observe::ControlFlow;
use linalg::Matrix;
use nn::train::{fit_observed, Batch, EpochLoss, MlpTrainer, StepError, Trainable};
use nn::vae::VaeTrainer;
use nn::{Activation, Adam, Autoencoder, Epoch, Loss, Mlp, Optimizer, Scaling, Schedule};
use nn::{TrainConfig, Vae};
use serde_json::{json, Value};
use std::time::Instant;

/// Largest N: all the digits.
pub const MAX_N: usize = 1797;
/// Most epochs of one run.
pub const MAX_EPOCHS: usize = 1000;
/// Side of the grid of decoded codes.
pub const GRID: usize = 10;
/// Most samples whose reconstructions are shown.
pub const MAX_SHOWN: usize = 12;

/// A [`Trainable`] that trains `inner` unchanged and appends `snapshot(inner)` to each epoch's
/// measures: the way to watch the model's state from the loop's observer.
pub struct Snapshots<T, F> {
    /// The model's own trainer.
    pub inner: T,
    /// What to record from the trainer at the end of each epoch.
    pub snapshot: F,
}

impl<T: Trainable, S, F: FnMut(&T) -> S> Trainable for Snapshots<T, F> {
    type Measures = (T::Measures, S);

    fn initial_loss(&mut self, data: Batch<'_>) -> Result<Option<f64>, StepError> {
        self.inner.initial_loss(data)
    }

    fn step(&mut self, batch: Batch<'_>, opt: &mut dyn Optimizer) -> Result<f64, StepError> {
        self.inner.step(batch, opt)
    }

    fn end_epoch(
        &mut self,
        data: Batch<'_>,
        mean_batch_loss: f64,
    ) -> Result<EpochLoss<Self::Measures>, StepError> {
        let e = self.inner.end_epoch(data, mean_batch_loss)?;
        Ok(EpochLoss {
            loss: e.loss,
            validation_loss: e.validation_loss,
            measures: (e.measures, (self.snapshot)(&self.inner)),
        })
    }

    fn params(&self) -> Vec<f64> {
        self.inner.params()
    }

    fn set_params(&mut self, params: &[f64]) {
        self.inner.set_params(params);
    }
}

/// What the page draws after an epoch: the codes of all samples, the reconstructions of the
/// chosen ones, and the decoder's output on a grid of codes.
pub struct View {
    /// N × 2 codes (the VAE's posterior means).
    pub codes: Matrix,
    /// Reconstructions of the chosen samples (one row each).
    pub reconstructions: Matrix,
    /// Decoded grid codes, GRID² rows, row by row from the top left.
    pub decoded_grid: Matrix,
}

/// The run a query asks for.
struct Run {
    vae: bool,
    x: Matrix,
    shown: Vec<usize>,
    hidden: usize,
    lr: f64,
    beta: f64,
    schedule: Schedule,
    pace: usize,
}

const KNOWN: [&str; 13] = [
    "session", "model", "data", "n", "noise", "seed", "hidden", "lr", "batch", "epochs", "beta",
    "show", "pace",
];

/// `GET /api/ae?session=…&model=deep|vae&data=…&n=…&hidden=…&lr=…&batch=…&epochs=…&beta=…&
/// show=i,j,…&pace=…`: start a training run; answer its id, the data's colours, the chosen
/// samples as they are, and the image shape when the data are the 8 × 8 digits.
pub fn handle(q: &Query) -> Checked<Value> {
    let session = jobs::session(q)?;
    q.only(&KNOWN)?;
    let data = datasets::from_query(q, MAX_N)?;
    let run = parse(q, &data)?;
    let images = data.x.ncols() == 64;
    let originals = run.x.select_rows(&run.shown);
    let reply = json!({
        "model": if run.vae { "vae" } else { "deep" }, "data": data.name, "n": data.len(),
        "dim": data.x.ncols(), "colour": datasets::colouring(&data), "shown": run.shown,
        "originals": pixels_or_points(&originals, images), "images": images,
        "beta": run.beta, "epochs": run.schedule.epochs,
        "points": if images { Value::Null } else { json!(first_and_last_columns(&run.x)) },
    });
    let job = jobs::registry().start(&session, move |job| train(job, &run, images))?;
    let mut reply = reply;
    reply["job"] = json!(job.id);
    Ok(reply)
}

/// Read and check the parameters (the data are already read).
fn parse(q: &Query, data: &dimred::data::Dataset) -> Checked<Run> {
    let vae = q.choice("model", &["deep", "vae"])? == "vae";
    // The data scaled to [0, 1], as `lectures train` does: the sigmoid output can reach them.
    let x = Scaling::min_max(&data.x).apply(&data.x);
    let n = x.nrows();
    let shown = match q.raw("show") {
        Some(list) => indices(list, n)?,
        None => first_of_each_class(data),
    };
    let beta = match q.raw("beta") {
        Some(_) => q.f64_in("beta", 1e-4..=10.0, 0.05)?,
        None => crate::train::default_beta(&x),
    };
    let schedule = Schedule {
        epochs: q.usize_in("epochs", 1..=MAX_EPOCHS, 100)?,
        batch_size: Some(q.usize_in("batch", 1..=n, 32.min(n))?),
        seed: q.usize_in("seed", 0..=1_000_000, 0)? as u64,
        ..Default::default()
    };
    Ok(Run {
        vae,
        x,
        shown,
        hidden: q.usize_in("hidden", 2..=256, 32)?,
        lr: q.f64_in("lr", 1e-5..=0.5, 1e-3)?,
        beta,
        schedule,
        pace: q.usize_in("pace", 0..=1000, 0)?,
    })
}

/// `i,j,k`: distinct row numbers below n, at most [`MAX_SHOWN`].
fn indices(list: &str, n: usize) -> Checked<Vec<usize>> {
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let i: usize = part
            .parse()
            .map_err(|_| BadRequest(format!("show = `{list}`: `{part}` is not a row number")))?;
        if i >= n {
            return Err(BadRequest(format!(
                "show: row {i} does not exist (N = {n}, rows 0 to {})",
                n - 1
            )));
        }
        if !out.contains(&i) {
            out.push(i);
        }
    }
    if out.is_empty() || out.len() > MAX_SHOWN {
        return Err(BadRequest(format!(
            "show: give 1 to {MAX_SHOWN} row numbers separated by commas, got `{list}`"
        )));
    }
    Ok(out)
}

/// The first row of each class (the digits 0 to 9), or the first rows of unlabelled data.
fn first_of_each_class(data: &dimred::data::Dataset) -> Vec<usize> {
    let Some(labels) = &data.labels else {
        return (0..data.len().min(8)).collect();
    };
    let mut seen: Vec<&String> = Vec::new();
    let mut rows = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        if !seen.contains(&l) && rows.len() < MAX_SHOWN {
            seen.push(l);
            rows.push(i);
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| seen[a].cmp(seen[b]));
    order.into_iter().map(|k| rows[k]).collect()
}

/// Train as `run` says, publishing the codes, images and losses after every epoch.
fn train(job: &Job, run: &Run, images: bool) -> Result<Value, String> {
    let (dim, h, seed) = (run.x.ncols(), run.hidden, run.schedule.seed);
    let chosen = run.x.select_rows(&run.shown);
    let (started, pace) = (Instant::now(), Pace::new(run.pace));
    let data = Batch::all(&run.x, None);
    let mut adam = Adam::new(run.lr);
    let (tanh, sigmoid) = (Activation::Tanh, Activation::Sigmoid);
    let losses = if run.vae {
        let mut vae = Vae::new(dim, &[h], 2, tanh, sigmoid, seed);
        vae.beta = run.beta;
        let mut trainer = Snapshots {
            inner: VaeTrainer::new(&mut vae, seed.wrapping_add(0x5eed)),
            snapshot: |t: &VaeTrainer<'_>| vae_view(t.vae, &run.x, &chosen),
        };
        let mut observer = |e: &Epoch<(nn::VaeLoss, View)>| {
            let (l, view) = &e.measures;
            let parts = json!({"reconstruction": l.reconstruction, "kl": l.kl});
            publish_epoch(job, e, parts, view, images, &pace)
        };
        fit_observed(&mut trainer, &mut adam, data, &run.schedule, &mut observer)
            .map(|h| h.train_loss)
    } else {
        let id = Activation::Identity;
        let mut ae = Autoencoder::new(
            &[dim, h, 2],
            &[tanh, id],
            &[2, h, dim],
            &[tanh, sigmoid],
            seed,
        );
        let code_layer = ae.code_layer;
        let config = TrainConfig {
            schedule: run.schedule.clone(),
            loss: Loss::MeanSquared,
            ..TrainConfig::default()
        };
        let mut trainer = Snapshots {
            inner: MlpTrainer::from_config(&mut ae.net, &config, run.x.nrows(), None),
            snapshot: |t: &MlpTrainer<'_>| ae_view(t.net, code_layer, &run.x, &chosen),
        };
        let mut observer = |e: &Epoch<((), View)>| {
            publish_epoch(job, e, Value::Null, &e.measures.1, images, &pace)
        };
        fit_observed(&mut trainer, &mut adam, data, &run.schedule, &mut observer)
            .map(|h| h.train_loss)
    };
    let losses = losses.map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(json!({
        "epochs": losses.len(), "final_loss": losses.last(), "seconds": seconds,
        "epochs_per_second": losses.len() as f64 / seconds,
    }))
}

/// The observer's work after an epoch: publish the codes, the images and the loss record.
fn publish_epoch<M>(
    job: &Job,
    e: &Epoch<M>,
    parts: Value,
    view: &View,
    images: bool,
    pace: &Pace,
) -> ControlFlow<()> {
    job.frame(e.epoch, pace, |p| {
        Job::set_points(p, view.codes.as_slice(), 2);
        p.extra = json!({
            "reconstructions": pixels_or_points(&view.reconstructions, images),
            "grid": pixels_or_points(&view.decoded_grid, images),
        });
        p.records
            .push(json!({"epoch": e.epoch, "loss": e.loss, "parts": parts}));
    })
}

/// The deep autoencoder's view: codes from the first `code_layer` layers, the decoder (the
/// other layers) on a grid spanning the codes' range, full reconstructions of `chosen`.
fn ae_view(net: &Mlp, code_layer: usize, x: &Matrix, chosen: &Matrix) -> View {
    let through = |layers: &[nn::Dense], input: &Matrix| {
        layers.iter().fold(input.clone(), |h, l| l.forward(&h))
    };
    let codes = through(&net.layers[..code_layer], x);
    let grid = code_grid(&codes);
    View {
        decoded_grid: through(&net.layers[code_layer..], &grid),
        reconstructions: net.forward(chosen),
        codes,
    }
}

/// The VAE's view: posterior means as codes, the decoder on a grid over [−2, 2]² (two prior
/// standard deviations: where the prior puts 91 % of its mass per axis), reconstructions at
/// the posterior mean.
fn vae_view(vae: &Vae, x: &Matrix, chosen: &Matrix) -> View {
    let axis = |k: usize| -2.0 + 4.0 * k as f64 / (GRID - 1) as f64;
    let grid = Matrix::from_fn(GRID * GRID, 2, |r, c| {
        if c == 0 {
            axis(r % GRID)
        } else {
            -axis(r / GRID)
        }
    });
    View {
        codes: vae.encode(x).0,
        reconstructions: vae.reconstruct(chosen),
        decoded_grid: vae.decode(&grid),
    }
}

/// GRID × GRID codes spanning the range of `codes` (rows from the top: y decreasing), so the
/// grid matches the scatter of the codes drawn beside it.
fn code_grid(codes: &Matrix) -> Matrix {
    let range = |c: usize| {
        let v = codes.col(c);
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let ((x0, x1), (y0, y1)) = (range(0), range(1));
    let at = |lo: f64, hi: f64, k: usize| lo + (hi - lo) * (k as f64 + 0.5) / GRID as f64;
    Matrix::from_fn(GRID * GRID, 2, |r, c| {
        if c == 0 {
            at(x0, x1, r % GRID)
        } else {
            at(y1, y0, r / GRID)
        }
    })
}

/// Rows as 8 × 8 grey levels 0–255 (images), or as their first and last coordinates (points).
fn pixels_or_points(m: &Matrix, images: bool) -> Value {
    if images {
        let rows: Vec<Vec<u8>> = m
            .rows()
            .map(|r| {
                r.iter()
                    .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
                    .collect()
            })
            .collect();
        json!(rows)
    } else {
        json!(first_and_last_columns(m))
    }
}

/// (first, last) coordinate of each row, as f32: the plane the page draws generated data in
/// (the swiss roll's and s-curve's rolled-up plane is x–z).
fn first_and_last_columns(m: &Matrix) -> Vec<[f32; 2]> {
    m.rows()
        .map(|r| [r[0] as f32, r[r.len() - 1] as f32])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::parse(s).unwrap()
    }

    #[test]
    fn parameters_and_defaults() {
        let data = datasets::from_query(&q("data=digits&n=200"), MAX_N).unwrap();
        let r = parse(
            &q("model=vae&hidden=16&lr=0.01&batch=20&epochs=7&beta=0.2&show=3,1,3"),
            &data,
        )
        .unwrap();
        assert!(r.vae);
        assert_eq!((r.hidden, r.lr, r.beta), (16, 0.01, 0.2));
        assert_eq!((r.schedule.epochs, r.schedule.batch_size), (7, Some(20)));
        assert_eq!(r.shown, vec![3, 1]);
        // The data are scaled to [0, 1] for the sigmoid output.
        let (lo, hi) =
            r.x.as_slice()
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
        assert_eq!((lo, hi), (0.0, 1.0));
        // Without `show`, one sample of each digit 0..9, in the order of the labels.
        let d = parse(&q(""), &data).unwrap();
        let labels = data.labels.as_ref().unwrap();
        let shown: Vec<&str> = d.shown.iter().map(|&i| labels[i].as_str()).collect();
        assert_eq!(shown, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(d.beta, crate::train::default_beta(&d.x));
    }

    #[test]
    fn bad_parameters_are_refused_with_a_message() {
        for (bad, says) in [
            ("model=gan", "not one of"),
            ("show=1,x", "not a row number"),
            ("show=5000", "does not exist"),
            ("show=", "1 to 12"),
            ("lr=2", "out of range"),
            ("beta=0", "out of range"),
            ("epochs=0", "out of range"),
            ("batch=0", "out of range"),
            ("hidden=1", "out of range"),
            ("n=2000", "out of range"),
            ("depth=3", "unknown parameter"),
        ] {
            let e = handle(&q(&format!("session=t&data=digits&{bad}"))).unwrap_err();
            assert!(e.0.contains(says), "{bad}: {e}");
        }
    }

    /// The wrapper changes nothing in the training: the losses per epoch equal those of
    /// `Autoencoder::train` with the same configuration, and the last snapshot's codes are the
    /// trained model's codes.
    #[test]
    fn snapshots_watch_without_changing_the_training() {
        let raw = dimred::data::load("digits")
            .unwrap()
            .x
            .submatrix(0, 150, 0, 64);
        let x = Scaling::min_max(&raw).apply(&raw);
        let (t, s, i) = (Activation::Tanh, Activation::Sigmoid, Activation::Identity);
        let make = || Autoencoder::new(&[64, 8, 2], &[t, i], &[2, 8, 64], &[t, s], 3);
        let config = TrainConfig {
            schedule: Schedule {
                epochs: 4,
                batch_size: Some(16),
                seed: 5,
                ..Default::default()
            },
            loss: Loss::MeanSquared,
            ..TrainConfig::default()
        };
        let mut plain = make();
        let h = plain.train(&x, &mut Adam::new(0.01), &config).unwrap();
        let mut watched = make();
        let code_layer = watched.code_layer;
        let mut trainer = Snapshots {
            inner: MlpTrainer::from_config(&mut watched.net, &config, x.nrows(), None),
            snapshot: |t: &MlpTrainer<'_>| {
                ae_view(t.net, code_layer, &x, &x.submatrix(0, 2, 0, 64)).codes
            },
        };
        let hw = fit_observed(
            &mut trainer,
            &mut Adam::new(0.01),
            Batch::all(&x, None),
            &config.schedule,
            &mut linalg::observe::Silent,
        )
        .unwrap();
        assert_eq!(h.train_loss, hw.train_loss);
        assert_eq!(hw.measures.last().unwrap().1, plain.encode(&x));
    }

    /// A short run on the digits streams one frame per epoch with N codes, the reconstructions
    /// and the 10 × 10 decoded grid as 8 × 8 images, and losses that fall.
    #[test]
    fn a_run_streams_codes_images_and_losses() {
        for model in ["deep", "vae"] {
            let reply = handle(&q(&format!(
                "session=test-ae-{model}&model={model}&data=digits&n=300&epochs=6&lr=0.01"
            )))
            .unwrap();
            assert_eq!(reply["originals"].as_array().unwrap().len(), 10);
            let job = reply["job"].as_u64().unwrap();
            let (mut after, mut records, mut last) = (0, Vec::new(), Value::Null);
            loop {
                let poll = format!("id={job}&after={after}&have={}", records.len());
                let v = jobs::poll(&q(&poll)).unwrap();
                records.extend(v["records"].as_array().unwrap().iter().cloned());
                after = v["seq"].as_u64().unwrap();
                if !v["points"].is_null() {
                    last = v.clone();
                }
                if v["done"] == true {
                    assert_eq!(v["error"], Value::Null, "{model}: {v}");
                    break;
                }
            }
            assert_eq!(records.len(), 6, "{model}");
            assert_eq!(last["points"].as_array().unwrap().len(), 300);
            assert_eq!(last["extra"]["grid"].as_array().unwrap().len(), GRID * GRID);
            assert_eq!(last["extra"]["grid"][0].as_array().unwrap().len(), 64);
            assert_eq!(
                last["extra"]["reconstructions"].as_array().unwrap().len(),
                10
            );
            let loss = |r: &Value| r["loss"].as_f64().unwrap();
            // Adam at 0.01 on 300 digits lowers the loss well within 6 epochs (measured: by
            // about a third); a run that does not learn would not.
            assert!(
                loss(&records[5]) < loss(&records[0]),
                "{model}: {records:?}"
            );
        }
    }
}
