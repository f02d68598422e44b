//! `lectures train`: train a linear autoencoder, a deep autoencoder or a VAE on a built-in
//! data set or a CSV file, and write what a student wants to look at afterwards.
//!
//! It lives here, not in `nn`, because `nn` depends only on `linalg` and `autodiff`: the data
//! sets, the CSV reader, PCA and the plots are in `dimred`, and `lectures` is the one crate
//! that sees both.
//!
//! Written into `--out` (default `out/train`):
//! - `loss.csv`: the loss per epoch (for the VAE also its reconstruction and KL parts);
//! - `embedding.csv`: the code of every sample (the VAE's posterior mean), with its label;
//! - `loss.svg` (log scale) and `embedding.svg` (the first two code coordinates, coloured by
//!   label or by the generator's manifold parameter);
//! - `model.json`: the trained model ([`nn::model_io`], versioned, written atomically).
//!
//! Preprocessing, stated: the linear autoencoder sees the raw data (it centres them itself);
//! the deep autoencoder and the VAE see the data min-max scaled to [0, 1] as a whole (one
//! minimum and one maximum, so relative scales between columns are kept) and end in a
//! sigmoid layer, so their outputs live where the data do. The saved model works on the
//! scaled data; the scaling is printed and recorded in `loss.csv`'s header comment.

use dimred::data::{self, CsvOptions, Dataset};
use dimred::plot::{Colouring, Lines, Scatter, Series};
use linalg::observe::{ControlFlow, Observer};
use linalg::Matrix;
use nn::linear_ae::{LaeConfig, LinearAutoencoder, Start};
use nn::{Activation, Adam, Autoencoder, Epoch, Loss, Model, Schedule, TrainConfig, Vae};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which model to train.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelKind {
    /// Linear autoencoder, full-batch gradient descent from a balanced start.
    Linear,
    /// Deep autoencoder (tanh hidden layers, linear code, sigmoid output), Adam.
    Deep,
    /// Variational autoencoder (tanh hidden layers, sigmoid output), Adam.
    Vae,
}

/// Arguments of `lectures train`.
#[derive(clap::Args, Debug, Clone)]
// Negative numbers are values, not flags: `--lr -1` must reach our validation.
#[command(allow_negative_numbers = true)]
pub struct TrainArgs {
    /// The model: linear, deep or vae.
    #[arg(long, value_enum, default_value = "deep")]
    pub model: ModelKind,
    /// A built-in data set (digits, iris), a generator (swiss_roll, s_curve, noisy_circle)
    /// or the path of a CSV file.
    #[arg(long, default_value = "digits")]
    pub data: String,
    /// Name of the CSV's label column (used only for colouring).
    #[arg(long)]
    pub label: Option<String>,
    /// Number of samples for the generators.
    #[arg(long, default_value_t = 1000)]
    pub n: usize,
    /// Code size d.
    #[arg(long, default_value_t = 2)]
    pub dim: usize,
    /// Hidden widths of the encoder, comma separated (the decoder mirrors them).
    #[arg(long, default_value = "32", value_delimiter = ',')]
    pub hidden: Vec<usize>,
    /// Epochs (default 50 for deep and vae, 500 full-batch GD steps for linear).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Learning rate: Adam's (default 1e-3) for deep and vae; for linear the GD step in units
    /// of 1/σ_1² (default 0.2; GD on the summed loss is stable below about 0.5).
    #[arg(long)]
    pub lr: Option<f64>,
    /// Minibatch size (deep and vae).
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// L2 weight decay λ (linear model only).
    #[arg(long, default_value_t = 0.0)]
    pub weight_decay: f64,
    /// Seed of the initial weights, the batch order and the VAE's noise.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output folder.
    #[arg(long, default_value = "out/train")]
    pub out: PathBuf,
}

/// What a training run produced (the files are written by [`cli`]).
#[derive(Debug, Clone)]
pub struct TrainOutput {
    /// The trained model.
    pub model: Model,
    /// The data the model was trained on (after preprocessing).
    pub x: Matrix,
    /// Column names of the loss history, then one row per epoch.
    pub history_header: Vec<String>,
    /// The loss history.
    pub history: Vec<Vec<f64>>,
    /// The codes of the training data.
    pub embedding: Matrix,
    /// A sentence on the preprocessing.
    pub preprocessing: String,
}

/// Load `name`: a built-in set, a generator, or a CSV path.
///
/// # Errors
/// A message naming the data set or the file and what is wrong.
pub fn load_data(name: &str, n: usize, label: Option<&str>, seed: u64) -> Result<Dataset, String> {
    match name {
        "swiss_roll" => Ok(data::swiss_roll(n, 0.1, seed)),
        "s_curve" => Ok(data::s_curve(n, 0.1, seed)),
        "noisy_circle" => Ok(data::noisy_circle(n, 0.05, seed)),
        _ if Path::new(name).is_file() => {
            let opts = match label {
                Some(l) => CsvOptions::with_label(l),
                None => CsvOptions::default(),
            };
            data::read_csv_file(Path::new(name), &opts).map_err(|e| e.to_string())
        }
        _ => data::load(name).map_err(|e| {
            format!("{e} (or a generator: swiss_roll, s_curve, noisy_circle; or a CSV path)")
        }),
    }
}

/// Train as `args` says on `ds` (no files written); every model runs nn's one training loop
/// ([`nn::train`](mod@nn::train)) with a `Progress` display watching.
///
/// # Errors
/// A message when the arguments do not fit the data or training diverges.
pub fn run(args: &TrainArgs, ds: &Dataset) -> Result<TrainOutput, String> {
    let (epochs, lr) = check_args(args, ds)?;
    match args.model {
        ModelKind::Linear => train_linear(args, ds, epochs, lr),
        ModelKind::Deep => train_deep(args, ds, epochs, lr),
        ModelKind::Vae => train_vae(args, ds, epochs, lr),
    }
}

/// Check the arguments against the data; returns the epochs and the learning rate (the
/// model's defaults when not given).
fn check_args(args: &TrainArgs, ds: &Dataset) -> Result<(usize, f64), String> {
    let (n, dim) = ds.x.shape();
    if n < 2 {
        return Err(format!("{}: need at least 2 samples, got {n}", ds.name));
    }
    if args.dim == 0 || args.dim >= dim {
        return Err(format!(
            "--dim {} must be between 1 and {} (the data have {dim} columns)",
            args.dim,
            dim - 1
        ));
    }
    if args.hidden.contains(&0) {
        return Err("--hidden: widths must be positive".into());
    }
    if args.batch == 0 {
        return Err("--batch 0: a minibatch needs at least 1 sample".into());
    }
    if !(args.weight_decay >= 0.0 && args.weight_decay.is_finite()) {
        // A negative penalty rewards large weights: the objective has no minimum.
        return Err(format!(
            "--weight-decay must be 0 or positive, got {}",
            args.weight_decay
        ));
    }
    let linear = args.model == ModelKind::Linear;
    let epochs = args.epochs.unwrap_or(if linear { 500 } else { 50 });
    if epochs == 0 {
        return Err("--epochs 0: nothing would be trained; give at least 1".into());
    }
    let lr = args.lr.unwrap_or(if linear { 0.2 } else { 1e-3 });
    if !(lr > 0.0 && lr.is_finite()) {
        return Err(format!("--lr must be positive, got {lr}"));
    }
    Ok((epochs, lr))
}

/// The linear autoencoder: full-batch GD on the raw data from a balanced start, with the
/// step `lr_arg / σ_1²`.
fn train_linear(
    args: &TrainArgs,
    ds: &Dataset,
    epochs: usize,
    lr_arg: f64,
) -> Result<TrainOutput, String> {
    let x = ds.x.clone();
    let (n, dim) = x.shape();
    let (xc, _) = x.center_columns();
    let s1 = linalg::svd(&xc).map_err(|e| e.to_string())?.singular_values[0];
    // Centring constant columns leaves rounding of order N·ε·max|x| in each entry, so
    // σ_1 ≤ sqrt(N D)·N·ε·max|x| (Frobenius bound); below that the data have no
    // direction to learn, and the relative step below would be ~1e307.
    let max_abs = x.as_slice().iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let rounding = ((n * dim) as f64).sqrt() * n as f64 * f64::EPSILON * max_abs;
    if s1 <= rounding {
        return Err(format!(
            "{}: every column is constant (largest singular value of the centred data \
             {s1:.3e}); a linear autoencoder has no direction to learn",
            ds.name
        ));
    }
    // --lr is relative here: GD on the summed loss is stable below ≈ 0.5/σ_1².
    let lr = lr_arg / (s1 * s1).max(f64::MIN_POSITIVE);
    let start = Start::Balanced { scale: 0.1 };
    let mut ae = LinearAutoencoder::new(x.column_means(), args.dim, &start, args.seed);
    let cfg = LaeConfig {
        epochs,
        lr,
        weight_decay: args.weight_decay,
        batch_size: None,
        seed: args.seed,
    };
    let rec = ae
        .train_observed(&x, &cfg, None, &mut Progress::new())
        .map_err(|e| e.to_string())?;
    let history = (rec.loss.iter().zip(&rec.w_minus_ut).enumerate())
        .map(|(e, (l, w))| vec![e as f64, *l, *w])
        .collect();
    let embedding = ae.encode(&x);
    Ok(TrainOutput {
        model: Model::Linear(ae),
        x,
        history_header: vec!["epoch".into(), "loss".into(), "w_minus_ut".into()],
        history,
        embedding,
        preprocessing: format!(
            "raw data (centred by the model); GD step {lr:.3e} = {lr_arg} / σ_1²"
        ),
    })
}

/// The deep autoencoder on the data scaled to [0, 1]: tanh hidden layers, a linear code, a
/// sigmoid output, Adam on the mean squared error.
fn train_deep(
    args: &TrainArgs,
    ds: &Dataset,
    epochs: usize,
    lr: f64,
) -> Result<TrainOutput, String> {
    let (x, preprocessing) = unit_scale(&ds.x);
    let mut enc = vec![x.ncols()];
    enc.extend(&args.hidden);
    enc.push(args.dim);
    let dec: Vec<usize> = enc.iter().rev().copied().collect();
    let mut ea = vec![Activation::Tanh; args.hidden.len()];
    ea.push(Activation::Identity);
    let mut da = vec![Activation::Tanh; args.hidden.len()];
    da.push(Activation::Sigmoid);
    let mut ae = Autoencoder::new(&enc, &ea, &dec, &da, args.seed);
    let cfg = TrainConfig {
        schedule: Schedule {
            epochs,
            batch_size: Some(args.batch),
            seed: args.seed,
            ..Default::default()
        },
        loss: Loss::MeanSquared,
        ..TrainConfig::default()
    };
    let h = ae
        .train_observed(&x, &mut Adam::new(lr), &cfg, &mut Progress::new())
        .map_err(|e| e.to_string())?;
    let initial = h.initial_loss.expect("the MLP evaluates its initial loss");
    check_not_saturated(initial, &h.train_loss, lr)?;
    let history = (std::iter::once(initial).chain(h.train_loss.iter().copied()))
        .enumerate()
        .map(|(e, l)| vec![e as f64, l])
        .collect();
    let embedding = ae.encode(&x);
    Ok(TrainOutput {
        model: Model::Deep(ae),
        x,
        history_header: vec!["epoch".into(), "mse".into()],
        history,
        embedding,
        preprocessing,
    })
}

/// A huge step saturates tanh and sigmoid instead of overflowing: the loss stays finite but
/// ends above where it started, with every code collapsed. That is a diverged run, not a
/// result.
fn check_not_saturated(initial: f64, losses: &[f64], lr: f64) -> Result<(), String> {
    let end = losses.last().copied().unwrap_or(initial);
    if end <= initial {
        return Ok(());
    }
    let first = losses
        .iter()
        .position(|&l| l > initial)
        .map_or(losses.len(), |e| e + 1);
    Err(format!(
        "deep autoencoder training diverged: the loss rose above its start {initial:.4e} in \
         epoch {first} and ended at {end:.4e}; lower --lr (now {lr})"
    ))
}

/// The VAE on the data scaled to [0, 1]: tanh hidden layers, a sigmoid output, Adam; the
/// history records the loss and its reconstruction and KL parts per epoch.
fn train_vae(
    args: &TrainArgs,
    ds: &Dataset,
    epochs: usize,
    lr: f64,
) -> Result<TrainOutput, String> {
    let (x, preprocessing) = unit_scale(&ds.x);
    let (tanh, sigmoid) = (Activation::Tanh, Activation::Sigmoid);
    let mut vae = Vae::new(x.ncols(), &args.hidden, args.dim, tanh, sigmoid, args.seed);
    let schedule = Schedule {
        epochs,
        batch_size: Some(args.batch),
        seed: args.seed,
        ..Default::default()
    };
    let h = vae
        .train_observed(&x, &mut Adam::new(lr), &schedule, &mut Progress::new())
        .map_err(|e| e.to_string())?;
    let history = (h.measures.iter().enumerate())
        .map(|(e, l)| vec![(e + 1) as f64, l.total, l.reconstruction, l.kl])
        .collect();
    let embedding = vae.encode(&x).0;
    Ok(TrainOutput {
        model: Model::Vae(vae),
        x,
        history_header: ["epoch", "loss", "reconstruction", "kl"]
            .map(String::from)
            .to_vec(),
        history,
        embedding,
        preprocessing,
    })
}

/// The progress display of `lectures train`, driven by the loop's [`Epoch`] events: a bar on
/// stderr when it is a terminal; when piped, a plain line at every tenth of the run.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    terminal: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            bar: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }
}

impl<M> Observer<Epoch<M>> for Progress {
    fn observe(&mut self, e: &Epoch<M>) -> ControlFlow<()> {
        if !self.terminal {
            if e.epoch % e.epochs.div_ceil(10) == 0 || e.epoch == e.epochs {
                eprintln!("epoch {}/{}: loss {:.4e}", e.epoch, e.epochs, e.loss);
            }
            return ControlFlow::Continue(());
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(e.epochs as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} epoch {pos}/{len} {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_message(format!("loss {:.4e}", e.loss));
        bar.set_position(e.epoch as u64);
        ControlFlow::Continue(())
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// (x - min) / (max - min) over all entries, and a sentence saying so.
fn unit_scale(x: &Matrix) -> (Matrix, String) {
    let lo = x.as_slice().iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x
        .as_slice()
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    (
        x.map(|v| (v - lo) / span),
        format!("data scaled to [0, 1] as (x - {lo}) / {span}"),
    )
}

/// Write the outputs of a run into `out`.
///
/// # Errors
/// A message naming the file that could not be written.
pub fn write_outputs(out: &Path, ds: &Dataset, r: &TrainOutput) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, text: &str| {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut csv = format!("# {}\n{}\n", r.preprocessing, r.history_header.join(","));
    for row in &r.history {
        let cells: Vec<String> = row.iter().map(|v| format!("{v}")).collect();
        let _ = writeln!(csv, "{}", cells.join(","));
    }
    write("loss.csv", &csv)?;
    let header: Vec<String> = (1..=r.embedding.ncols()).map(|k| format!("y{k}")).collect();
    let mut buf = Vec::new();
    data::write_csv(
        &mut buf,
        &header,
        &r.embedding,
        ds.labels.as_ref().map(|l| ("label", l.as_slice())),
    )
    .map_err(|e| e.to_string())?;
    write("embedding.csv", &String::from_utf8_lossy(&buf))?;
    let series = Series {
        name: r.history_header[1].clone(),
        points: r.history.iter().map(|row| (row[0], row[1])).collect(),
        dashed: false,
    };
    let lines = Lines {
        title: format!("{}: training loss", ds.name),
        x_label: "epoch".into(),
        y_label: r.history_header[1].clone(),
        series: vec![series],
        log_y: true,
        point_colours: Vec::new(),
        points: vec![],
    };
    write("loss.svg", &lines.to_svg())?;
    let colouring = match (&ds.labels, &ds.parameter) {
        (Some(l), _) => Colouring::Labels(l),
        (None, Some(p)) => Colouring::Values(p),
        _ => Colouring::None,
    };
    let scatter = Scatter {
        title: format!("{}: codes", ds.name),
        x_label: "y1".into(),
        y_label: if r.embedding.ncols() > 1 {
            "y2".into()
        } else {
            "sample".into()
        },
        points: &r.embedding,
        colouring,
        legend_title: if ds.labels.is_some() { "label" } else { "t" }.into(),
    };
    write("embedding.svg", &scatter.to_svg())?;
    r.model
        .save(&out.join("model.json"))
        .map_err(|e| e.to_string())
}

/// `lectures train`: load, train, write; prints a summary.
pub fn cli(args: TrainArgs) -> ExitCode {
    let result = load_data(&args.data, args.n, args.label.as_deref(), args.seed).and_then(|ds| {
        let r = run(&args, &ds)?;
        write_outputs(&args.out, &ds, &r)?;
        Ok((ds, r))
    });
    match result {
        Ok((ds, r)) => {
            let last = r.history.last().map_or(f64::NAN, |row| row[1]);
            let recon = r.model.reconstruct(&r.x).map_err(|e| e.to_string());
            let mse = recon.map(|xh| Loss::MeanSquared.value(&xh, &r.x));
            println!(
                "{} on {} ({} x {}), d = {}: final {} {last:.5}, reconstruction MSE {}",
                match args.model {
                    ModelKind::Linear => "linear autoencoder",
                    ModelKind::Deep => "deep autoencoder",
                    ModelKind::Vae => "variational autoencoder",
                },
                ds.name,
                ds.x.nrows(),
                ds.x.ncols(),
                args.dim,
                r.history_header[1],
                mse.map_or_else(|e| e, |m| format!("{m:.5}"))
            );
            println!("{}", r.preprocessing);
            println!(
                "wrote loss.csv, embedding.csv, loss.svg, embedding.svg, model.json in {}",
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(model: ModelKind, out: PathBuf) -> TrainArgs {
        TrainArgs {
            model,
            data: "noisy_circle".into(),
            label: None,
            n: 80,
            dim: 1,
            hidden: vec![8],
            epochs: Some(5),
            lr: None,
            batch: 16,
            weight_decay: 0.0,
            seed: 3,
            out,
        }
    }

    /// Every model trains, writes its five files, and the saved model reproduces the written
    /// codes bit for bit.
    #[test]
    fn train_writes_outputs_and_a_reloadable_model() {
        for model in [ModelKind::Linear, ModelKind::Deep, ModelKind::Vae] {
            let out = std::env::temp_dir()
                .join(format!("lectures-train-{model:?}-{}", std::process::id()));
            let a = args(model, out.clone());
            let ds = load_data(&a.data, a.n, None, a.seed).unwrap();
            let r = run(&a, &ds).unwrap();
            write_outputs(&out, &ds, &r).unwrap();
            for f in [
                "loss.csv",
                "embedding.csv",
                "loss.svg",
                "embedding.svg",
                "model.json",
            ] {
                assert!(out.join(f).is_file(), "{model:?}: {f} missing");
            }
            let back = Model::load(&out.join("model.json")).unwrap();
            let codes = back.encode(&r.x).unwrap();
            let same = codes
                .as_slice()
                .iter()
                .zip(r.embedding.as_slice())
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{model:?}: reloaded codes differ");
            let lines = std::fs::read_to_string(out.join("loss.csv")).unwrap();
            // A comment line, a header, then one row per epoch (plus the initial loss for
            // the linear and deep models, which record it).
            let rows = lines.lines().count() - 2;
            let want = if model == ModelKind::Vae { 5 } else { 6 };
            assert_eq!(rows, want, "{model:?}: loss.csv rows");
        }
    }

    /// Arguments that do not fit the data are errors naming the argument.
    #[test]
    fn train_rejects_bad_arguments() {
        let mut a = args(ModelKind::Deep, std::env::temp_dir());
        let ds = load_data(&a.data, a.n, None, a.seed).unwrap();
        a.dim = 2;
        assert!(run(&a, &ds).unwrap_err().contains("--dim"));
        a.dim = 1;
        a.lr = Some(-1.0);
        assert!(run(&a, &ds).unwrap_err().contains("--lr"));
        a.lr = None;
        // Regression (careless input): these used to train silently (batch 0 as 1, zero
        // epochs writing an untrained model, a negative penalty).
        a.batch = 0;
        assert!(run(&a, &ds).unwrap_err().contains("--batch"));
        a.batch = 16;
        a.epochs = Some(0);
        assert!(run(&a, &ds).unwrap_err().contains("--epochs"));
        a.epochs = Some(5);
        a.weight_decay = -1.0;
        assert!(run(&a, &ds).unwrap_err().contains("--weight-decay"));
        a.weight_decay = 0.0;
        // Regression: constant data gave the linear model a GD step of 9e306 and an
        // untrained model; now an error saying the columns are constant.
        let flat = Dataset {
            x: Matrix::from_fn(10, 3, |_, j| 0.1 * (j + 1) as f64),
            ..ds.clone()
        };
        let lin = args(ModelKind::Linear, std::env::temp_dir());
        assert!(run(&lin, &flat).unwrap_err().contains("constant"));
        // Regression: Adam with a step of 1e6 saturated every unit and wrote collapsed codes
        // with a finite loss above the starting one; now an error naming the epoch.
        a.lr = Some(1e6);
        let e = run(&a, &ds).unwrap_err();
        assert!(e.contains("diverged") && e.contains("epoch 1"), "{e}");
        assert!(load_data("no_such_set", 10, None, 0).is_err());
    }
}
