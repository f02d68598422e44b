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
//! - `reconstructions.svg`: originals beside their reconstructions (image tiles for 8 x 8 data,
//!   otherwise the first two columns of both);
//! - `prior-samples.svg` (the VAE, 64-column data): images decoded from draws of the prior;
//! - `model.json`: the trained model with its scaling and training record
//!   ([`nn::ModelFile`], versioned, written atomically), for `lectures encode | decode |
//!   reconstruct | sample`.
//!
//! Preprocessing, stated: the linear autoencoder sees the raw data (it centres them itself);
//! the deep autoencoder and the VAE see the data min-max scaled to [0, 1] as a whole (one
//! minimum and one maximum, so relative scales between columns are kept) and end in a
//! sigmoid layer, so their outputs live where the data do. The scaling is stored in the model
//! file and undone on decoding, so every error the command prints is in the data's own units,
//! beside PCA's at the same d and the mean row's on the same rows.
//!
//! The VAE's β (the weight of the KL term, β = 2s² for a decoder noise standard deviation s in
//! scaled units): by default s² is a quarter of the mean column variance of the scaled data,
//! so a code direction is worth keeping when it explains more than a quarter of a typical
//! column's variance. β = 1 (s² = ½, larger than any variance of data in [0, 1]) drives the
//! codes to the prior; the command warns when a code dimension collapses.

use crate::models::baselines;
use crate::tour::autoencoders::tiles;
use dimred::cli::{DataArgs, DimensionsArgs, Progress as Bar};
use dimred::data::{self, Dataset};
use dimred::plot::{Colouring, Lines, Scatter, Series};
use linalg::observe::{ControlFlow, Observer};
use linalg::Matrix;
use nn::linear_ae::{LaeConfig, LinearAutoencoder, Start};
use nn::model_io::{ModelFile, Scaling, Training};
use nn::{Activation, Adam, Autoencoder, Epoch, Loss, Model, Schedule, TrainConfig, Vae};
use std::fmt::Write as _;
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
    /// The data (the flags every command shares); `--seed` also seeds the initial weights,
    /// the batch order and the VAE's noise.
    #[command(flatten)]
    pub data: DataArgs,
    /// The code size d.
    #[command(flatten)]
    pub dimensions: DimensionsArgs,
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
    /// The VAE's KL weight β = 2s² (s: the decoder's noise standard deviation in the scaled
    /// units) [default: half the mean column variance of the scaled data, i.e. s² a quarter
    /// of it; β = 1 collapses the codes to the prior on data in [0, 1]].
    #[arg(long)]
    pub beta: Option<f64>,
    /// Output folder.
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        default_value = "out/train"
    )]
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
    /// The preprocessing the network saw (stored in the model file, undone on decoding).
    pub scaling: Scaling,
    /// A sentence on the preprocessing.
    pub preprocessing: String,
    /// What the student should know about the result (a collapsed VAE code, ...).
    pub warnings: Vec<String>,
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
    if args.dimensions.dimensions == 0 || args.dimensions.dimensions >= dim {
        return Err(format!(
            "-d/--dimensions {} must be between 1 and {} (the data have {dim} columns)",
            args.dimensions.dimensions,
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
    if let Some(beta) = args.beta {
        if !(beta > 0.0 && beta.is_finite()) {
            return Err(format!("--beta must be positive, got {beta}"));
        }
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
    let mut ae = LinearAutoencoder::new(
        x.column_means(),
        args.dimensions.dimensions,
        &start,
        args.data.seed,
    );
    let cfg = LaeConfig {
        epochs,
        lr,
        weight_decay: args.weight_decay,
        batch_size: None,
        seed: args.data.seed,
    };
    let rec = ae
        .train_observed(&x, &cfg, None, &mut EpochBar::new(epochs))
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
        scaling: Scaling::Identity,
        preprocessing: format!(
            "raw data (centred by the model); GD step {lr:.3e} = {lr_arg} / σ_1²"
        ),
        warnings: Vec::new(),
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
    let scaling = Scaling::min_max(&ds.x);
    let (x, preprocessing) = (scaling.apply(&ds.x), scaling.describe());
    let mut enc = vec![x.ncols()];
    enc.extend(&args.hidden);
    enc.push(args.dimensions.dimensions);
    let dec: Vec<usize> = enc.iter().rev().copied().collect();
    let mut ea = vec![Activation::Tanh; args.hidden.len()];
    ea.push(Activation::Identity);
    let mut da = vec![Activation::Tanh; args.hidden.len()];
    da.push(Activation::Sigmoid);
    let mut ae = Autoencoder::new(&enc, &ea, &dec, &da, args.data.seed);
    let cfg = TrainConfig {
        schedule: Schedule {
            epochs,
            batch_size: Some(args.batch),
            seed: args.data.seed,
            ..Default::default()
        },
        loss: Loss::MeanSquared,
        ..TrainConfig::default()
    };
    let h = ae
        .train_observed(&x, &mut Adam::new(lr), &cfg, &mut EpochBar::new(epochs))
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
        scaling,
        preprocessing,
        warnings: Vec::new(),
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
    let scaling = Scaling::min_max(&ds.x);
    let x = scaling.apply(&ds.x);
    let (tanh, sigmoid) = (Activation::Tanh, Activation::Sigmoid);
    let mut vae = Vae::new(
        x.ncols(),
        &args.hidden,
        args.dimensions.dimensions,
        tanh,
        sigmoid,
        args.data.seed,
    );
    vae.beta = args.beta.unwrap_or_else(|| default_beta(&x));
    let schedule = Schedule {
        epochs,
        batch_size: Some(args.batch),
        seed: args.data.seed,
        ..Default::default()
    };
    let h = vae
        .train_observed(
            &x,
            &mut Adam::new(lr),
            &schedule,
            &mut EpochBar::new(epochs),
        )
        .map_err(|e| e.to_string())?;
    let history = (h.measures.iter().enumerate())
        .map(|(e, l)| vec![(e + 1) as f64, l.total, l.reconstruction, l.kl])
        .collect();
    let embedding = vae.encode(&x).0;
    let preprocessing = format!("{}; β = {:.4}", scaling.describe(), vae.beta);
    let warnings = collapsed_codes(&embedding, vae.beta);
    Ok(TrainOutput {
        model: Model::Vae(vae),
        x,
        history_header: ["epoch", "loss", "reconstruction", "kl"]
            .map(String::from)
            .to_vec(),
        history,
        embedding,
        scaling,
        preprocessing,
        warnings,
    })
}

/// The default β = 2s² with s² a quarter of the mean column variance of the (scaled) data:
/// a code direction pays for its KL cost when it explains more than a quarter of a typical
/// column's variance (on the digits scaled to [0, 1], β ≈ 0.037; the tour uses 0.05).
pub fn default_beta(x: &Matrix) -> f64 {
    let (n, dim) = x.shape();
    let mean = x.column_means();
    let var: f64 = (0..n)
        .map(|i| {
            x.row(i)
                .iter()
                .zip(&mean)
                .map(|(v, m)| (v - m).powi(2))
                .sum::<f64>()
        })
        .sum::<f64>()
        / ((n.max(2) - 1) * dim) as f64;
    // Constant data have no variance to explain: any positive β gives the same (prior) codes.
    if var > 0.0 {
        0.5 * var
    } else {
        1.0
    }
}

/// Code dimensions the KL term pushed onto the prior: the posterior means barely move across
/// the data (standard deviation below 0.1, against the prior's 1), so they carry almost no
/// information about x.
fn collapsed_codes(mu: &Matrix, beta: f64) -> Vec<String> {
    let (n, d) = mu.shape();
    let mean = mu.column_means();
    (0..d)
        .filter_map(|j| {
            let var = (0..n).map(|i| (mu[(i, j)] - mean[j]).powi(2)).sum::<f64>() / n as f64;
            (var.sqrt() < 0.1).then(|| {
                format!(
                    "code dimension {} collapsed to the prior (its posterior means vary by a \
                     standard deviation of {:.3}, the prior's is 1): the KL term outweighs what \
                     it explains; lower --beta (now {beta:.4})",
                    j + 1,
                    var.sqrt()
                )
            })
        })
        .collect()
}

/// The progress display of `lectures train`: the workspace's one display
/// ([`dimred::cli::Progress`], a bar on a terminal, plain lines when piped) fed by the training
/// loop's [`Epoch`] events.
struct EpochBar(Option<Bar>);

impl EpochBar {
    fn new(epochs: usize) -> Self {
        EpochBar(Some(Bar::new("epochs", epochs as u64)))
    }
}

impl<M> Observer<Epoch<M>> for EpochBar {
    fn observe(&mut self, e: &Epoch<M>) -> ControlFlow<()> {
        match &mut self.0 {
            Some(bar) => bar.step(e.epoch as u64, Some(format!("loss {:.4e}", e.loss))),
            None => ControlFlow::Continue(()),
        }
    }
}

impl Drop for EpochBar {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish();
        }
    }
}

impl TrainOutput {
    /// The model file: the network, its scaling, and what it was trained on.
    pub fn model_file(&self, ds: &Dataset, seed: u64) -> ModelFile {
        ModelFile {
            model: self.model.clone(),
            scaling: self.scaling,
            training: Training {
                data: ds.name.clone(),
                n_samples: ds.len(),
                columns: ds.feature_names.clone(),
                seed,
            },
        }
    }
}

/// Write the outputs of a run into `out`: tables, figures, and the model file last.
///
/// # Errors
/// A message naming the file that could not be written.
pub fn write_outputs(out: &Path, ds: &Dataset, r: &TrainOutput, seed: u64) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let file = r.model_file(ds, seed);
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
    let labels = ds.labels.as_ref().map(|l| ("label", l.as_slice()));
    data::write_csv(&mut buf, &header, &r.embedding, labels).map_err(|e| e.to_string())?;
    write("embedding.csv", &String::from_utf8_lossy(&buf))?;
    write("loss.svg", &loss_figure(ds, r))?;
    write("embedding.svg", &codes_figure(ds, r))?;
    let rec = file
        .reconstruct(&ds.x, &ds.feature_names)
        .map_err(|e| e.to_string())?;
    write("reconstructions.svg", &reconstruction_figure(ds, &rec))?;
    if let (Model::Vae(_), 64) = (&r.model, ds.x.ncols()) {
        let draws = file.sample(16, seed).map_err(|e| e.to_string())?;
        let unit = Scaling::min_max(&ds.x).apply(&draws);
        let rows = vec![
            ("draws 1–8".to_string(), rows_of(&unit, 0..8)),
            ("draws 9–16".to_string(), rows_of(&unit, 8..16)),
        ];
        let title = format!("{}: VAE, decoded draws from the prior", ds.name);
        write("prior-samples.svg", &tiles(&title, &rows, (8, 8)))?;
    }
    file.save(&out.join("model.json"))
        .map_err(|e| e.to_string())
}

fn rows_of(m: &Matrix, range: std::ops::Range<usize>) -> Vec<Vec<f64>> {
    range
        .filter(|&i| i < m.nrows())
        .map(|i| m.row(i).to_vec())
        .collect()
}

/// The loss per epoch, log scale.
fn loss_figure(ds: &Dataset, r: &TrainOutput) -> String {
    let series = Series {
        name: r.history_header[1].clone(),
        points: r.history.iter().map(|row| (row[0], row[1])).collect(),
        dashed: false,
    };
    Lines {
        title: format!("{}: training loss", ds.name),
        x_label: "epoch".into(),
        y_label: r.history_header[1].clone(),
        series: vec![series],
        log_y: true,
        point_colours: Vec::new(),
        points: vec![],
    }
    .to_svg()
}

/// The first two code coordinates, coloured by label or by the generator's parameter.
fn codes_figure(ds: &Dataset, r: &TrainOutput) -> String {
    let colouring = match (&ds.labels, &ds.parameter) {
        (Some(l), _) => Colouring::Labels(l),
        (None, Some(p)) => Colouring::Values(p),
        _ => Colouring::None,
    };
    Scatter {
        title: format!("{}: codes", ds.name),
        x_label: "y1".into(),
        y_label: if r.embedding.ncols() > 1 {
            "y2"
        } else {
            "sample"
        }
        .into(),
        points: &r.embedding,
        colouring,
        legend_title: if ds.labels.is_some() { "label" } else { "t" }.into(),
    }
    .to_svg()
}

/// Originals beside reconstructions: 8 x 8 image tiles for 64-column data (the first ten
/// rows), otherwise the first two columns of both as one scatter plot.
fn reconstruction_figure(ds: &Dataset, rec: &Matrix) -> String {
    let title = format!("{}: originals and reconstructions (data units)", ds.name);
    if ds.x.ncols() == 64 {
        let unit = Scaling::min_max(&ds.x);
        let rows = vec![
            ("original".to_string(), rows_of(&unit.apply(&ds.x), 0..10)),
            (
                "reconstruction".to_string(),
                rows_of(&unit.apply(rec), 0..10),
            ),
        ];
        return tiles(&title, &rows, (8, 8));
    }
    let n = ds.len();
    let both = Matrix::from_fn(2 * n, 2.min(ds.x.ncols()), |i, j| {
        if i < n {
            ds.x[(i, j)]
        } else {
            rec[(i - n, j)]
        }
    });
    let kinds: Vec<String> = (0..2 * n)
        .map(|i| if i < n { "data" } else { "reconstruction" }.to_string())
        .collect();
    Scatter {
        title,
        x_label: ds.feature_names[0].clone(),
        y_label: ds
            .feature_names
            .get(1)
            .cloned()
            .unwrap_or_else(|| "sample".into()),
        points: &both,
        colouring: Colouring::Labels(&kinds),
        legend_title: "rows".into(),
    }
    .to_svg()
}

/// `lectures train`: load, train, write; prints the errors in data units beside PCA's.
pub fn cli(args: TrainArgs) -> ExitCode {
    let result = args
        .data
        .load("digits")
        .map_err(|e| e.to_string())
        .and_then(|ds| {
            let r = run(&args, &ds)?;
            write_outputs(&args.out, &ds, &r, args.data.seed)?;
            Ok((ds, r))
        });
    match result.and_then(|(ds, r)| summary(&args, &ds, &r)) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the run did, its reconstruction error in the data's units beside the baselines, the
/// warnings, and the files written.
fn summary(args: &TrainArgs, ds: &Dataset, r: &TrainOutput) -> Result<String, String> {
    let d = args.dimensions.dimensions;
    let last = r.history.last().map_or(f64::NAN, |row| row[1]);
    let rec = r
        .model_file(ds, args.data.seed)
        .reconstruct(&ds.x, &ds.feature_names)
        .map_err(|e| e.to_string())?;
    let kind = match args.model {
        ModelKind::Linear => "linear autoencoder",
        ModelKind::Deep => "deep autoencoder",
        ModelKind::Vae => "variational autoencoder",
    };
    let mut text = format!(
        "{kind} on {} ({} x {}), d = {d}: final training {} {last:.5}\n{}\n{}",
        ds.name,
        ds.x.nrows(),
        ds.x.ncols(),
        r.history_header[1],
        r.preprocessing,
        baselines(&ds.x, &rec, d)?.report(d)
    );
    for w in &r.warnings {
        text.push_str(&format!("\nwarning: {w}"));
    }
    text.push_str(&format!(
        "\nwrote loss.csv, embedding.csv, loss.svg, embedding.svg, reconstructions.svg{}, \
         model.json in {}",
        if ds.x.ncols() == 64 && args.model == ModelKind::Vae {
            ", prior-samples.svg"
        } else {
            ""
        },
        args.out.display()
    ));
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        train: TrainArgs,
    }

    /// The arguments as a student types them.
    fn parse(words: &[&str]) -> TrainArgs {
        Command::parse_from(std::iter::once("train").chain(words.iter().copied())).train
    }

    fn args(model: &str, out: &Path) -> TrainArgs {
        parse(&[
            "--model",
            model,
            "--dataset",
            "noisy_circle",
            "--n-samples",
            "80",
            "-d",
            "1",
            "--hidden",
            "8",
            "--epochs",
            "5",
            "--batch",
            "16",
            "--seed",
            "3",
            "-o",
            out.to_str().unwrap(),
        ])
    }

    /// Every model trains, writes its files, and the saved model file (scaling included)
    /// reproduces the written codes bit for bit from the raw rows.
    #[test]
    fn train_writes_outputs_and_a_reloadable_model() {
        for model in ["linear", "deep", "vae"] {
            let out =
                std::env::temp_dir().join(format!("lectures-train-{model}-{}", std::process::id()));
            let a = args(model, &out);
            let ds = a.data.load("digits").unwrap();
            let r = run(&a, &ds).unwrap();
            write_outputs(&out, &ds, &r, a.data.seed).unwrap();
            for f in [
                "loss.csv",
                "embedding.csv",
                "loss.svg",
                "embedding.svg",
                "reconstructions.svg",
                "model.json",
            ] {
                assert!(out.join(f).is_file(), "{model}: {f} missing");
            }
            let back = ModelFile::load(&out.join("model.json")).unwrap();
            let codes = back.encode(&ds.x, &ds.feature_names).unwrap();
            let same = codes
                .as_slice()
                .iter()
                .zip(r.embedding.as_slice())
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{model}: reloaded codes differ");
            let lines = std::fs::read_to_string(out.join("loss.csv")).unwrap();
            // A comment line, a header, then one row per epoch (plus the initial loss for
            // the linear and deep models, which record it).
            let rows = lines.lines().count() - 2;
            let want = if model == "vae" { 5 } else { 6 };
            assert_eq!(rows, want, "{model}: loss.csv rows");
            let _ = std::fs::remove_dir_all(&out);
        }
    }

    /// The default β = ½ · mean column variance (rows [0, 0] and [1, 1]: variances ½, β = ¼);
    /// with it a VAE on the noisy circle keeps its code, and with β = 1 the same run
    /// collapses it to the prior, which the run reports.
    #[test]
    fn default_beta_and_the_collapse_warning() {
        let two = Matrix::from_rows(&[[0.0, 0.0], [1.0, 1.0]]);
        assert_eq!(default_beta(&two), 0.25);
        let out = std::env::temp_dir().join(format!("lectures-train-beta-{}", std::process::id()));
        let mut a = args("vae", &out);
        a.epochs = Some(60);
        let ds = a.data.load("digits").unwrap();
        let kept = run(&a, &ds).unwrap();
        assert!(kept.warnings.is_empty(), "default β: {:?}", kept.warnings);
        a.beta = Some(1.0);
        let collapsed = run(&a, &ds).unwrap();
        assert!(
            collapsed.warnings.iter().any(|w| w.contains("collapsed")),
            "β = 1: {:?}",
            collapsed.warnings
        );
    }

    /// Arguments that do not fit the data are errors naming the argument.
    #[test]
    fn train_rejects_bad_arguments() {
        let mut a = args("deep", &std::env::temp_dir());
        let ds = a.data.load("digits").unwrap();
        a.dimensions.dimensions = 2;
        assert!(run(&a, &ds).unwrap_err().contains("--dimensions"));
        a.dimensions.dimensions = 1;
        a.lr = Some(-1.0);
        assert!(run(&a, &ds).unwrap_err().contains("--lr"));
        a.lr = None;
        a.beta = Some(0.0);
        assert!(run(&a, &ds).unwrap_err().contains("--beta"));
        a.beta = None;
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
        let lin = args("linear", &std::env::temp_dir());
        assert!(run(&lin, &flat).unwrap_err().contains("constant"));
        // Regression: Adam with a step of 1e6 saturated every unit and wrote collapsed codes
        // with a finite loss above the starting one; now an error naming the epoch.
        a.lr = Some(1e6);
        let e = run(&a, &ds).unwrap_err();
        assert!(e.contains("diverged") && e.contains("epoch 1"), "{e}");
    }
}
