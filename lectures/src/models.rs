//! `lectures encode | decode | reconstruct | sample`: use a trained model on new data.
//!
//! `lectures train` writes `model.json` ([`nn::ModelFile`]): the network, the scaling its
//! training data went through, and the training columns. These commands read it and
//!
//! - `encode`: rows (a CSV or a named data set) → codes (the VAE's posterior means μ, and with
//!   `--with-variance` also log σ²);
//! - `decode`: codes → rows in the data's own units (the scaling undone);
//! - `reconstruct`: rows → reconstructions, printing the mean squared error in the data's own
//!   units beside two honest baselines on the same rows: PCA with the same number d of
//!   components, and the mean row (predicting every row by the column means);
//! - `sample`: draws from a VAE's prior N(0, I), decoded; with `--plot` an image grid.
//!
//! Every command checks before it writes: the model file (missing, truncated, another
//! version), the columns of the data against the training columns (count and names), NaN in
//! the data, the width of a code file, the kind of model (`sample` needs a VAE). On any error
//! nothing is written, and the output file is written atomically, so it is either the old
//! file or the complete new one.

use dimred::cli::DataArgs;
use dimred::data::{self, CsvOptions, Dataset};
use dimred::pca::Pca;
use linalg::Matrix;
use nn::{Loss, ModelFile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `lectures encode`.
#[derive(clap::Args, Debug, Clone)]
pub struct EncodeArgs {
    /// The model file written by `lectures train`.
    #[arg(long)]
    pub model: PathBuf,
    /// Where the rows come from (the flags every command shares).
    #[command(flatten)]
    pub rows: DataArgs,
    /// The VAE only: also write log σ² beside the posterior means.
    #[arg(long)]
    pub with_variance: bool,
    /// Output CSV of codes.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
}

/// Arguments of `lectures decode`.
#[derive(clap::Args, Debug, Clone)]
pub struct DecodeArgs {
    /// The model file written by `lectures train`.
    #[arg(long)]
    pub model: PathBuf,
    /// A CSV of codes (as `lectures encode` writes them: columns y1 … yd, optional label).
    #[arg(long)]
    pub input: PathBuf,
    /// The label column of the code file, if any (`encode` writes one named "label").
    #[arg(long)]
    pub label_column: Option<String>,
    /// Output CSV of rows in the data's units.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
}

/// Arguments of `lectures reconstruct`.
#[derive(clap::Args, Debug, Clone)]
pub struct ReconstructArgs {
    /// The model file written by `lectures train`.
    #[arg(long)]
    pub model: PathBuf,
    /// Where the rows come from (the flags every command shares).
    #[command(flatten)]
    pub rows: DataArgs,
    /// Output CSV of reconstructed rows in the data's units.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
}

/// Arguments of `lectures sample`.
#[derive(clap::Args, Debug, Clone)]
pub struct SampleArgs {
    /// A VAE model file written by `lectures train --model vae`.
    #[arg(long)]
    pub model: PathBuf,
    /// Number of draws from the prior.
    #[arg(long, default_value_t = 16)]
    pub n_samples: usize,
    /// Seed of the draws.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Output CSV of decoded samples in the data's units.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// Also draw the samples as a grid of images (SVG).
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Image shape ROWSxCOLS for `--plot` (default 8x8 when the data have 64 columns).
    #[arg(long)]
    pub image_shape: Option<String>,
}

/// Read the model file, or say what is wrong with it.
fn load_model(path: &Path) -> Result<ModelFile, String> {
    ModelFile::load(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The rows the flags name, as a [`Dataset`].
fn load_rows(rows: &DataArgs) -> Result<Dataset, String> {
    if rows.dataset.is_none() && rows.input.is_none() {
        return Err("give the rows with --input FILE.csv or --dataset NAME".into());
    }
    rows.load("iris").map_err(|e| e.to_string())
}

/// Write `x` as CSV with `header` (and the labels, if any) to `path`, atomically.
fn write_rows(
    path: &Path,
    header: &[String],
    x: &Matrix,
    labels: Option<&[String]>,
) -> Result<(), String> {
    let mut buf = Vec::new();
    data::write_csv(&mut buf, header, x, labels.map(|l| ("label", l)))
        .map_err(|e| e.to_string())?;
    linalg::persist::write_atomically(path, &buf)
        .map_err(|(p, e)| format!("cannot write {}: {e}", p.display()))
}

/// The folder of `path` must exist: checked before anything is written, so a typo in the
/// second of two outputs does not leave the first one behind.
fn check_folder(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => Err(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            dir.display()
        )),
        _ => Ok(()),
    }
}

fn numbered(prefix: &str, d: usize) -> Vec<String> {
    (1..=d).map(|k| format!("{prefix}{k}")).collect()
}

/// `lectures encode`.
///
/// # Errors
/// A message naming the file, the columns or the model kind that is wrong.
pub fn encode(args: &EncodeArgs) -> Result<String, String> {
    let file = load_model(&args.model)?;
    let ds = load_rows(&args.rows)?;
    let (codes, header) = if args.with_variance {
        let (mu, logvar) = file
            .encode_with_variance(&ds.x, &ds.feature_names)
            .map_err(|e| e.to_string())?;
        let d = mu.ncols();
        let both = Matrix::from_fn(mu.nrows(), 2 * d, |i, j| {
            if j < d {
                mu[(i, j)]
            } else {
                logvar[(i, j - d)]
            }
        });
        let mut header = numbered("y", d);
        header.extend(numbered("log_var", d));
        (both, header)
    } else {
        let codes = file
            .encode(&ds.x, &ds.feature_names)
            .map_err(|e| e.to_string())?;
        let d = codes.ncols();
        (codes, numbered("y", d))
    };
    write_rows(&args.output, &header, &codes, ds.labels.as_deref())?;
    Ok(format!(
        "encoded {} rows of {} into {} codes: {}",
        ds.x.nrows(),
        ds.name,
        file.model.code_dim(),
        args.output.display()
    ))
}

/// `lectures decode`.
///
/// # Errors
/// A message naming the file or the width that is wrong.
pub fn decode(args: &DecodeArgs) -> Result<String, String> {
    let file = load_model(&args.model)?;
    let options = match &args.label_column {
        Some(l) => CsvOptions::with_label(l),
        None => CsvOptions::default(),
    };
    let codes = data::read_csv_file(&args.input, &options)
        .map_err(|e| format!("{}: {e}", args.input.display()))?;
    let d = file.model.code_dim();
    if codes.x.ncols() != d {
        return Err(format!(
            "{}: {} columns [{}], but the model's codes have d = {d} (columns y1 … y{d}); \
             with a label column, name it with --label-column",
            args.input.display(),
            codes.x.ncols(),
            codes.feature_names.join(", ")
        ));
    }
    let rows = file.decode(&codes.x).map_err(|e| e.to_string())?;
    write_rows(
        &args.output,
        &file.training.columns,
        &rows,
        codes.labels.as_deref(),
    )?;
    Ok(format!(
        "decoded {} codes into rows of {} columns ({} units): {}",
        rows.nrows(),
        rows.ncols(),
        file.training.data,
        args.output.display()
    ))
}

/// The mean squared errors a student should compare: the model's, PCA's with the same d on
/// the same rows, and the mean row's, all in the data's own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baselines {
    /// The model's reconstruction MSE.
    pub model: f64,
    /// PCA's with as many components as the model has code dimensions (fitted on these rows).
    pub pca: f64,
    /// Predicting every row by the column means (PCA with d = 0).
    pub mean_row: f64,
}

/// MSEs of `reconstruction` of `x`, of PCA with `d` components, and of the mean row.
///
/// # Errors
/// PCA's own errors (fewer than two rows, d larger than the columns).
pub fn baselines(x: &Matrix, reconstruction: &Matrix, d: usize) -> Result<Baselines, String> {
    let (pca, y) = Pca::new(d.min(x.ncols()))
        .fit_transform(x)
        .map_err(|e| format!("PCA baseline: {e}"))?;
    let mean_row = Matrix::from_fn(x.nrows(), x.ncols(), |_, j| pca.mean[j]);
    Ok(Baselines {
        model: Loss::MeanSquared.value(reconstruction, x),
        pca: Loss::MeanSquared.value(&pca.inverse_transform(&y), x),
        mean_row: Loss::MeanSquared.value(&mean_row, x),
    })
}

impl Baselines {
    /// Three lines for the terminal, with a verdict.
    pub fn report(&self, d: usize) -> String {
        let verdict = if self.model <= self.pca {
            "the model beats PCA at the same d".to_string()
        } else {
            format!(
                "the model is {:.2}× worse than PCA at the same d: train longer, widen it, or use PCA",
                self.model / self.pca
            )
        };
        format!(
            "reconstruction MSE (data units): model {:.6}\n  PCA, d = {d}: {:.6}\n  mean row: {:.6}\n  {verdict}",
            self.model, self.pca, self.mean_row
        )
    }
}

/// `lectures reconstruct`.
///
/// # Errors
/// As [`encode`].
pub fn reconstruct(args: &ReconstructArgs) -> Result<String, String> {
    let file = load_model(&args.model)?;
    let ds = load_rows(&args.rows)?;
    let rec = file
        .reconstruct(&ds.x, &ds.feature_names)
        .map_err(|e| e.to_string())?;
    let b = baselines(&ds.x, &rec, file.model.code_dim())?;
    write_rows(&args.output, &ds.feature_names, &rec, ds.labels.as_deref())?;
    Ok(format!(
        "reconstructed {} rows of {}: {}\n{}",
        ds.x.nrows(),
        ds.name,
        args.output.display(),
        b.report(file.model.code_dim())
    ))
}

/// Parse `ROWSxCOLS` (e.g. `8x8`) against the number of columns.
fn image_shape(text: Option<&str>, width: usize) -> Result<(usize, usize), String> {
    let text = match text {
        Some(t) => t,
        None if width == 64 => "8x8",
        None => {
            return Err(format!(
                "the samples have {width} columns: give --image-shape ROWSxCOLS with \
                 ROWS·COLS = {width}"
            ))
        }
    };
    let parsed = text
        .split_once('x')
        .and_then(|(r, c)| Some((r.trim().parse().ok()?, c.trim().parse().ok()?)));
    match parsed {
        Some((r, c)) if r * c == width && r > 0 => Ok((r, c)),
        _ => Err(format!(
            "--image-shape {text}: expected ROWSxCOLS with ROWS·COLS = {width} (the number of columns)"
        )),
    }
}

/// `lectures sample`.
///
/// # Errors
/// A message for a model that is not a VAE, a bad image shape or an unwritable file.
pub fn sample(args: &SampleArgs) -> Result<String, String> {
    let file = load_model(&args.model)?;
    if args.n_samples == 0 {
        return Err("--n-samples must be at least 1".into());
    }
    let draws = file
        .sample(args.n_samples, args.seed)
        .map_err(|e| e.to_string())?;
    let shape = match &args.plot {
        Some(path) => {
            check_folder(path)?;
            Some(image_shape(args.image_shape.as_deref(), draws.ncols())?)
        }
        None => None,
    };
    write_rows(&args.output, &file.training.columns, &draws, None)?;
    let mut said = format!(
        "{} draws from the prior N(0, I), decoded: {}",
        args.n_samples,
        args.output.display()
    );
    if let (Some(path), Some(shape)) = (&args.plot, shape) {
        // Grey levels in the network's own [0, 1] units: the stored scaling maps data back.
        let unit = file.scaling.apply(&draws);
        let images: Vec<Vec<f64>> = (0..unit.nrows()).map(|i| unit.row(i).to_vec()).collect();
        let rows: Vec<(String, Vec<Vec<f64>>)> = images
            .chunks(8)
            .enumerate()
            .map(|(k, c)| {
                (
                    format!("draws {}–{}", 8 * k + 1, 8 * k + c.len()),
                    c.to_vec(),
                )
            })
            .collect();
        let svg =
            crate::tour::autoencoders::tiles("VAE: decoded draws from the prior", &rows, shape);
        linalg::persist::write_atomically(path, svg.as_bytes())
            .map_err(|(p, e)| format!("cannot write {}: {e}", p.display()))?;
        said.push_str(&format!("; images: {}", path.display()));
    }
    Ok(said)
}

/// Print a command's summary, or its error with a non-zero exit.
pub fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
