//! `dimred`: embed a CSV file or a built-in data set with PCA, classical MDS, kernel PCA,
//! Isomap, metric MDS (SMACOF), diffusion maps, sketch-map, t-SNE or SNE; write the embedding
//! as CSV and an SVG scatter plot; print the eigenvalues or explained variance and the quality
//! of the embedding.
//!
//! ```text
//! dimred --dataset digits --method isomap --neighbours 10 -o digits.csv --plot digits.svg
//! dimred --input mine.csv --label-column species --method kpca --kernel rbf --gamma 0.5
//! ```
//!
//! Reading order: this file (the flags and `run`, which loads, checks, embeds and reports),
//! `methods.rs` (one function per method: configure, fit with a progress display, print what
//! the method knows about itself) and `report.rs` (everything printed or written that does not
//! depend on the method).
#![forbid(unsafe_code)]

/// `println!` that ends the program quietly when stdout is closed (`dimred ... | head`):
/// std's `println!` panics on a broken pipe. Shadows the prelude macro for this crate.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod methods;
mod report;

use clap::{Parser, ValueEnum};
use dimred::cli::{DataArgs, DimensionsArgs, OutputArgs};
use dimred::data::Dataset;
use dimred::model::{Fitted, SavedModel, Training};
use std::path::PathBuf;
use std::process::ExitCode;

/// Embed data in a few dimensions and see how well it worked.
///
/// Reads a CSV file (numeric columns; an optional label column by name) or a built-in data
/// set, runs one method, prints its spectrum and the quality of the embedding
/// (trustworthiness and continuity), and optionally writes the embedding as CSV and a scatter
/// plot as SVG.
#[derive(Parser, Debug)]
// Negative numbers are values, not flags: `--gamma -1` must reach our validation.
#[command(
    name = "dimred",
    version,
    about,
    long_about,
    after_help = EXAMPLES,
    allow_negative_numbers = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) data: DataArgs,

    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Pca)]
    pub(crate) method: Method,

    #[command(flatten)]
    pub(crate) dimensions: DimensionsArgs,

    /// Kernel PCA: the kernel.
    #[arg(long, value_enum, default_value_t = KernelName::Rbf)]
    pub(crate) kernel: KernelName,

    /// Kernel PCA: γ of the RBF and polynomial kernels [default: 1 / number of features].
    #[arg(long)]
    pub(crate) gamma: Option<f64>,

    /// Kernel PCA: degree of the polynomial kernel.
    #[arg(long, default_value_t = 3)]
    pub(crate) degree: u32,

    /// Kernel PCA: offset c0 of the polynomial kernel (γ <x, y> + c0)^degree.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) coef0: f64,

    /// Isomap: number of nearest neighbours of the graph.
    #[arg(short = 'k', long, visible_alias = "neighbors", default_value_t = 10)]
    pub(crate) neighbours: usize,

    /// Isomap: link all points within this distance instead of the k nearest.
    #[arg(long)]
    pub(crate) epsilon: Option<f64>,

    /// Isomap, top-k solver: also compute the M most negative eigenvalues of B by a second
    /// Lanczos run (the dense solver always reports them all).
    #[arg(long, value_name = "M", default_value_t = 0)]
    pub(crate) n_negative: usize,

    /// Eigensolver of MDS, kernel PCA and Isomap: full Jacobi (dense), Lanczos (topk), or by size.
    #[arg(long, value_enum, default_value_t = SolverName::Auto)]
    pub(crate) solver: SolverName,

    /// SMACOF, sketch-map, t-SNE, SNE: number of iterations [default: 300, 1000, 1000, 1000].
    #[arg(long)]
    pub(crate) max_iter: Option<usize>,

    /// t-SNE and SNE: perplexity, the effective number of neighbours (1 < perplexity < N - 1).
    #[arg(long, default_value_t = 30.0)]
    pub(crate) perplexity: f64,

    /// t-SNE: Barnes–Hut opening angle θ (0 = exact gradient) [default: 0.5 for N > 1000, else exact].
    #[arg(long)]
    pub(crate) theta: Option<f64>,

    /// Diffusion maps: density normalisation α (0, 0.5 or 1).
    #[arg(long, default_value_t = 1.0)]
    pub(crate) alpha: f64,

    /// Diffusion maps: diffusion time t.
    #[arg(long, default_value_t = 1)]
    pub(crate) diffusion_time: u32,

    /// Diffusion maps: kernel scale ε of exp(-||x - y||^2 / ε) [default: median squared
    /// distance to the 10-th nearest neighbour].
    #[arg(long)]
    pub(crate) kernel_epsilon: Option<f64>,

    /// Sketch-map: switching distance σ of both sigmoids [default: median landmark distance].
    #[arg(long)]
    pub(crate) sigma: Option<f64>,

    /// Number of landmark points. Sketch-map: its landmarks [default: 300]. Isomap, kernel
    /// PCA, diffusion maps: fit from this many landmarks instead of all points (landmark
    /// Isomap, the Nyström extension; no N x N matrix, for large N).
    #[arg(long, value_name = "M")]
    pub(crate) landmarks: Option<usize>,

    #[command(flatten)]
    pub(crate) output: OutputArgs,

    /// Save the fitted model here (JSON), to project new rows later with --apply. Only PCA
    /// (pca, pca-svd), kernel PCA and classical MDS have an out-of-sample map; the other
    /// methods embed a fixed set of points.
    #[arg(long, value_name = "FILE")]
    pub(crate) save_model: Option<PathBuf>,

    /// Apply a model saved with --save-model to the data (instead of fitting): the new rows'
    /// coordinates go to -o. The data must have the training columns, by name and in order.
    #[arg(long, value_name = "FILE", conflicts_with = "save_model")]
    pub(crate) apply: Option<PathBuf>,

    /// Write a scatter plot of the first two coordinates here as SVG.
    #[arg(long, value_name = "FILE")]
    pub(crate) plot: Option<PathBuf>,

    /// Neighbourhood size of trustworthiness and continuity (scikit-learn's default is 5).
    #[arg(long, default_value_t = 5)]
    pub(crate) quality_k: usize,

    /// Skip the quality metrics (O(N^2) time).
    #[arg(long)]
    pub(crate) no_quality: bool,
}

const EXAMPLES: &str = "Examples:
  dimred --dataset iris --plot iris.svg
  dimred --dataset swiss_roll --n-samples 2000 --method isomap -k 10 --plot roll.svg
  dimred --dataset digits --method kpca --kernel rbf --gamma 4e-4 -o digits.csv
  dimred --input mine.csv --label-column species --method mds
  dimred --dataset digits --method tsne --perplexity 30 --plot digits-tsne.svg
  dimred --dataset swiss_roll --n-samples 2000 --method diffusion --alpha 1 --diffusion-time 2
  dimred --dataset swiss_roll --n-samples 20000 --method isomap --landmarks 1000 --no-quality
  dimred --input train.csv --method pca -d 2 --save-model pca.json
  dimred --apply pca.json --input new.csv -o new-coordinates.csv";

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Method {
    /// PCA by eigendecomposition of the covariance matrix.
    Pca,
    /// PCA by the SVD of the centred data.
    PcaSvd,
    /// Classical MDS on the Euclidean distances.
    Mds,
    /// Kernel PCA.
    Kpca,
    /// Isomap: classical MDS on graph geodesics.
    Isomap,
    /// Metric MDS: minimise the stress by SMACOF (from classical MDS).
    Smacof,
    /// Diffusion maps: eigenvectors of the Markov matrix of a Gaussian kernel.
    Diffusion,
    /// Sketch-map: metric MDS on sigmoid-transformed distances, with landmarks.
    Sketchmap,
    /// t-SNE: KL(P || Q) with a Student-t Q.
    Tsne,
    /// SNE: KL(P || Q) with a Gaussian Q (shows the crowding problem).
    Sne,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum KernelName {
    /// <x, y>
    Linear,
    /// (γ <x, y> + c0)^degree
    Poly,
    /// exp(-γ ||x - y||^2)
    Rbf,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SolverName {
    /// Dense up to N = 200, top-k above.
    Auto,
    /// Full cyclic Jacobi: all eigenvalues.
    Dense,
    /// Lanczos: the top d eigenpairs only.
    Topk,
}

fn run(cli: &Cli) -> dimred::Result<()> {
    if let Some(model) = &cli.apply {
        return apply(cli, model);
    }
    if cli.save_model.is_some() {
        SavedModel::for_method(cli.method.name()).map_err(model_error)?;
    }
    let ds = cli.data.load("iris")?;
    report::describe_data(&ds);
    // Everything that can be checked without the embedding is checked before the (possibly
    // long) fit, so that a typo in a path or in --quality-k does not cost a whole run.
    if !cli.no_quality {
        dimred::quality::check_k(
            ds.len(),
            cli.quality_k,
            "--quality-k (trustworthiness, continuity)",
        )?;
    }
    for path in cli
        .output
        .output
        .iter()
        .chain(&cli.plot)
        .chain(&cli.save_model)
    {
        report::check_writable(path)?;
    }
    let out = methods::embed(cli, &ds)?;
    if let (Some(path), Some(fitted)) = (&cli.save_model, &out.fitted) {
        save_model(path, &ds, fitted.clone())?;
    }
    if !cli.no_quality {
        report::quality(&ds, &out.y, cli.quality_k)?;
    }
    report::parameter_correlation(&ds, &out.y);
    if let Some(path) = &cli.output.output {
        report::write_embedding(path, &ds, &out.y)?;
    }
    if let Some(path) = &cli.plot {
        let label_column = cli.data.label_column.as_deref().unwrap_or("label");
        report::write_plot(path, &ds, label_column, &out, cli.method.title())?;
    }
    Ok(())
}

/// `--apply FILE`: project the rows with a saved model; no fit.
fn apply(cli: &Cli, model_path: &std::path::Path) -> dimred::Result<()> {
    let Some(out_path) = &cli.output.output else {
        return Err(dimred::DimredError::InvalidArgument(
            "--apply needs -o FILE for the projected coordinates".into(),
        ));
    };
    report::check_writable(out_path)?;
    if cli.data.dataset.is_none() && cli.data.input.is_none() {
        return Err(dimred::DimredError::InvalidArgument(
            "--apply needs the rows to project: --input FILE.csv or --dataset NAME".into(),
        ));
    }
    let model = SavedModel::load(model_path).map_err(model_error)?;
    let ds = cli.data.load("iris")?;
    let y = model
        .transform(&ds.x, &ds.feature_names)
        .map_err(model_error)?;
    report::write_embedding(out_path, &ds, &y)?;
    println!(
        "applied {} (fitted on {}, {} x {}) to {} rows of {}: {} coordinates written to {}",
        model_path.display(),
        model.training.data,
        model.training.n_samples,
        model.training.n_features,
        ds.len(),
        ds.name,
        model.n_components(),
        out_path.display()
    );
    Ok(())
}

/// `--save-model FILE`: the fit, the training columns and the data's name and shape.
fn save_model(path: &std::path::Path, ds: &Dataset, fitted: Fitted) -> dimred::Result<()> {
    let model = SavedModel {
        columns: ds.feature_names.clone(),
        training: Training {
            data: ds.name.clone(),
            n_samples: ds.len(),
            n_features: ds.x.ncols(),
        },
        fitted,
    };
    model.save(path).map_err(model_error)?;
    println!(
        "saved the fitted model to {} (apply it with --apply)",
        path.display()
    );
    Ok(())
}

fn model_error(e: dimred::model::ModelError) -> dimred::DimredError {
    dimred::DimredError::InvalidArgument(e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dimred: error: {e}");
            ExitCode::FAILURE
        }
    }
}

impl Method {
    /// The method's name on the command line.
    fn name(self) -> &'static str {
        match self {
            Method::Pca => "pca",
            Method::PcaSvd => "pca-svd",
            Method::Mds => "mds",
            Method::Kpca => "kpca",
            Method::Isomap => "isomap",
            Method::Smacof => "smacof",
            Method::Diffusion => "diffusion",
            Method::Sketchmap => "sketchmap",
            Method::Tsne => "tsne",
            Method::Sne => "sne",
        }
    }

    /// The method's name in plot titles.
    fn title(self) -> &'static str {
        match self {
            Method::Pca => "PCA",
            Method::PcaSvd => "PCA (SVD)",
            Method::Mds => "Classical MDS",
            Method::Kpca => "Kernel PCA",
            Method::Isomap => "Isomap",
            Method::Smacof => "Metric MDS (SMACOF)",
            Method::Diffusion => "Diffusion maps",
            Method::Sketchmap => "Sketch-map",
            Method::Tsne => "t-SNE",
            Method::Sne => "SNE",
        }
    }
}
