//! `dimred`: embed a CSV file or a built-in data set with PCA, classical MDS, kernel PCA,
//! Isomap, metric MDS (SMACOF), diffusion maps, sketch-map, t-SNE or SNE; write the embedding as CSV and an SVG scatter plot; print the eigenvalues or
//! explained variance and the quality of the embedding.
//!
//! ```text
//! dimred --dataset digits --method isomap --neighbours 10 -o digits.csv --plot digits.svg
//! dimred --input mine.csv --label-column species --method kpca --kernel rbf --gamma 0.5
//! ```
#![forbid(unsafe_code)]

/// `println!` that ends the program quietly when stdout is closed (`dimred ... | head`):
/// std's `println!` panics on a broken pipe. Shadows the prelude macro for this file.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

use clap::{Parser, ValueEnum};
use dimred::data::{self, CsvOptions, Dataset};
use dimred::diffusion::{DiffusionMaps, EpsilonRule};
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::mds::ClassicalMds;
use dimred::pca::{Pca, PcaSolver};
use dimred::plot::{Colouring, Scatter};
use dimred::sketchmap::SketchMap;
use dimred::smacof::Smacof;
use dimred::tsne::{GradientMethod, LowDimKernel, TSne};
use dimred::{quality, EigenSolver};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use linalg::Matrix;
use std::io::IsTerminal;
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
struct Cli {
    /// A built-in data set: digits, iris (shipped), or a generated one: swiss_roll, s_curve,
    /// blobs, circles, noisy_circle.
    #[arg(long, conflicts_with = "input", required_unless_present = "input")]
    dataset: Option<String>,

    /// A CSV file with one sample per row. A header is detected; every column except the
    /// label column must be numeric.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,

    /// Name of the CSV column holding class labels (used for colours, not as a feature).
    #[arg(long, value_name = "NAME", requires = "input")]
    label_column: Option<String>,

    /// Field separator of the CSV file: one character, or `tab` (also `\t` as typed).
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    delimiter: char,

    /// Generated data sets: number of samples.
    #[arg(long, default_value_t = 1000)]
    n_samples: usize,

    /// Generated data sets: standard deviation of the Gaussian noise added.
    #[arg(long, default_value_t = 0.0)]
    noise: f64,

    /// Seed of the generated data sets (same seed, same data).
    #[arg(long, default_value_t = 0)]
    seed: u64,

    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Pca)]
    method: Method,

    /// Number of dimensions of the embedding.
    #[arg(short = 'd', long, default_value_t = 2)]
    dimensions: usize,

    /// Kernel PCA: the kernel.
    #[arg(long, value_enum, default_value_t = KernelName::Rbf)]
    kernel: KernelName,

    /// Kernel PCA: γ of the RBF and polynomial kernels [default: 1 / number of features].
    #[arg(long)]
    gamma: Option<f64>,

    /// Kernel PCA: degree of the polynomial kernel.
    #[arg(long, default_value_t = 3)]
    degree: u32,

    /// Kernel PCA: offset c0 of the polynomial kernel (γ <x, y> + c0)^degree.
    #[arg(long, default_value_t = 1.0)]
    coef0: f64,

    /// Isomap: number of nearest neighbours of the graph.
    #[arg(short = 'k', long, visible_alias = "neighbors", default_value_t = 10)]
    neighbours: usize,

    /// Isomap: link all points within this distance instead of the k nearest.
    #[arg(long)]
    epsilon: Option<f64>,

    /// Isomap, top-k solver: also compute the M most negative eigenvalues of B by a second
    /// Lanczos run (the dense solver always reports them all).
    #[arg(long, value_name = "M", default_value_t = 0)]
    n_negative: usize,

    /// Eigensolver of MDS, kernel PCA and Isomap: full Jacobi (dense), Lanczos (topk), or by size.
    #[arg(long, value_enum, default_value_t = SolverName::Auto)]
    solver: SolverName,

    /// SMACOF, sketch-map, t-SNE, SNE: number of iterations [default: 300, 1000, 1000, 1000].
    #[arg(long)]
    max_iter: Option<usize>,

    /// t-SNE and SNE: perplexity, the effective number of neighbours (1 < perplexity < N - 1).
    #[arg(long, default_value_t = 30.0)]
    perplexity: f64,

    /// t-SNE: Barnes–Hut opening angle θ (0 = exact gradient) [default: 0.5 for N > 1000, else exact].
    #[arg(long)]
    theta: Option<f64>,

    /// Diffusion maps: density normalisation α (0, 0.5 or 1).
    #[arg(long, default_value_t = 1.0)]
    alpha: f64,

    /// Diffusion maps: diffusion time t.
    #[arg(long, default_value_t = 1)]
    diffusion_time: u32,

    /// Diffusion maps: kernel scale ε of exp(-||x - y||^2 / ε) [default: median squared
    /// distance to the 10-th nearest neighbour].
    #[arg(long)]
    kernel_epsilon: Option<f64>,

    /// Sketch-map: switching distance σ of both sigmoids [default: median landmark distance].
    #[arg(long)]
    sigma: Option<f64>,

    /// Sketch-map: number of landmark points.
    #[arg(long, default_value_t = 300)]
    landmarks: usize,

    /// Write the embedding here as CSV (columns y1..yd, then the label if there is one).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Write a scatter plot of the first two coordinates here as SVG.
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,

    /// Neighbourhood size of trustworthiness and continuity (scikit-learn's default is 5).
    #[arg(long, default_value_t = 5)]
    quality_k: usize,

    /// Skip the quality metrics (O(N^2) time).
    #[arg(long)]
    no_quality: bool,
}

const EXAMPLES: &str = "Examples:
  dimred --dataset iris --plot iris.svg
  dimred --dataset swiss_roll --n-samples 2000 --method isomap -k 10 --plot roll.svg
  dimred --dataset digits --method kpca --kernel rbf --gamma 4e-4 -o digits.csv
  dimred --input mine.csv --label-column species --method mds
  dimred --dataset digits --method tsne --perplexity 30 --plot digits-tsne.svg
  dimred --dataset swiss_roll --n-samples 2000 --method diffusion --alpha 1 --diffusion-time 2";

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Method {
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
enum KernelName {
    /// <x, y>
    Linear,
    /// (γ <x, y> + c0)^degree
    Poly,
    /// exp(-γ ||x - y||^2)
    Rbf,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum SolverName {
    /// Dense up to N = 200, top-k above.
    Auto,
    /// Full cyclic Jacobi: all eigenvalues.
    Dense,
    /// Lanczos: the top d eigenpairs only.
    Topk,
}

/// One character, or a tab given as `tab` or as the two characters `\t` (a shell passes
/// '\t' literally, and a real tab is awkward to type).
fn parse_delimiter(s: &str) -> Result<char, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok('\t'),
        _ => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c != '"' => Ok(c),
                (Some('"'), None) => Err("the quote character cannot be the delimiter".into()),
                _ => Err(format!(
                    "\"{s}\" is not one character (use `tab` for a tab)"
                )),
            }
        }
    }
}

fn load(cli: &Cli) -> dimred::Result<Dataset> {
    if let Some(path) = &cli.input {
        let options = CsvOptions {
            delimiter: cli.delimiter,
            label_column: cli.label_column.clone(),
            header: None,
        };
        return data::read_csv_file(path, &options);
    }
    let name = cli.dataset.as_deref().unwrap_or("iris");
    let (n, noise, seed) = (cli.n_samples, cli.noise, cli.seed);
    if !(noise >= 0.0 && noise.is_finite()) {
        // The generators multiply N(0, 1) draws by it: NaN or inf would fill the data.
        return Err(dimred::DimredError::InvalidArgument(format!(
            "--noise is a standard deviation: it must be finite and ≥ 0, got {noise}"
        )));
    }
    Ok(match name {
        "swiss_roll" => data::swiss_roll(n, noise, seed),
        "s_curve" => data::s_curve(n, noise, seed),
        "blobs" => data::blobs(n, 4, 10, 1.0 + noise, seed),
        "circles" => data::circles(n, 0.5, noise, seed),
        "noisy_circle" => data::noisy_circle(n, noise, seed),
        other => data::load(other).map_err(|_| {
            dimred::DimredError::InvalidArgument(format!(
                "no data set \"{other}\"; built in: digits, iris; generated: swiss_roll, \
                 s_curve, blobs, circles, noisy_circle"
            ))
        })?,
    })
}

/// A progress bar on stderr when it is a terminal; hidden (and free) when piped.
fn progress_bar(len: u64, message: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

fn fmt_values(v: &[f64]) -> String {
    let s: Vec<String> = v.iter().map(|x| format!("{x:.6e}")).collect();
    s.join(", ")
}

struct Embedded {
    y: Matrix,
    axis_names: Vec<String>,
}

fn run(cli: &Cli) -> dimred::Result<()> {
    let ds = load(cli)?;
    let (n, dim) = ds.x.shape();
    println!("data: {} ({n} samples x {dim} features)", ds.name);
    if let Some(l) = &ds.labels {
        let mut u = l.clone();
        u.sort();
        u.dedup();
        println!("labels: {} classes", u.len());
    }
    // Everything that can be checked without the embedding is checked before the (possibly
    // long) fit, so that a typo in a path or in --quality-k does not cost a whole run.
    if !cli.no_quality {
        quality::check_k(
            n,
            cli.quality_k,
            "--quality-k (trustworthiness, continuity)",
        )?;
    }
    for path in cli.output.iter().chain(&cli.plot) {
        check_writable(path)?;
    }
    let d = cli.dimensions;
    let solver = match cli.solver {
        SolverName::Auto => EigenSolver::Auto,
        SolverName::Dense => EigenSolver::Dense,
        SolverName::Topk => EigenSolver::TopK,
    };
    let generic_axes = |prefix: &str| (1..=d).map(|i| format!("{prefix} {i}")).collect();
    let out = match cli.method {
        Method::Pca | Method::PcaSvd => {
            let solver = if cli.method == Method::PcaSvd {
                PcaSolver::Svd
            } else if PcaSolver::cheaper_for(n, dim) == PcaSolver::Svd && d <= n {
                // The D x D covariance of wide data costs minutes; the SVD milliseconds.
                println!(
                    "note: D = {dim} > N = {n}: PCA by the SVD of the centred data instead of \
                     the {dim} x {dim} covariance (same variances and directions)"
                );
                PcaSolver::Svd
            } else {
                PcaSolver::Covariance
            };
            let (fit, y) = Pca {
                n_components: d,
                solver,
            }
            .fit_transform(&ds.x)?;
            println!("method: PCA ({solver:?}), d = {d}");
            // The Lanczos path (d ≪ D) finds only the kept eigenvalues; the total is tr C.
            let which = if fit.explained_variance.len() == dim {
                "all"
            } else {
                "leading"
            };
            println!(
                "explained variance ({which}, divided by N - 1): {}; total (tr C) {}",
                fmt_values(&fit.explained_variance),
                fmt_values(&[fit.total_variance])
            );
            let ratio: Vec<String> = fit
                .explained_variance_ratio
                .iter()
                .map(|r| format!("{:.2}%", 100.0 * r))
                .collect();
            let total: f64 = fit.explained_variance_ratio.iter().sum();
            println!(
                "explained variance ratio of the {d} kept: {} (total {:.2}%)",
                ratio.join(", "),
                100.0 * total
            );
            Embedded {
                axis_names: ratio
                    .iter()
                    .enumerate()
                    .map(|(i, r)| format!("PC{} ({r} of variance)", i + 1))
                    .collect(),
                y,
            }
        }
        Method::Mds => {
            let fit = ClassicalMds {
                n_components: d,
                solver,
                n_negative: 5,
            }
            .fit_points(&ds.x)?;
            println!("method: classical MDS on Euclidean distances, d = {d}");
            let when_none = if fit.spectrum_complete {
                "none beyond rounding (the distances are Euclidean)"
            } else {
                "none: B = Xc Xc^T is positive semidefinite by construction"
            };
            print_mds_spectrum(&fit, d, when_none);
            Embedded {
                y: fit.embedding,
                axis_names: generic_axes("MDS coordinate"),
            }
        }
        Method::Kpca => {
            let gamma = cli.gamma.unwrap_or(1.0 / dim as f64);
            let kernel = match cli.kernel {
                KernelName::Linear => Kernel::Linear,
                KernelName::Poly => Kernel::Polynomial {
                    degree: cli.degree,
                    gamma,
                    coef0: cli.coef0,
                },
                KernelName::Rbf => Kernel::Rbf { gamma },
            };
            let fit = KernelPca {
                kernel,
                n_components: d,
                solver,
            }
            .fit(&ds.x)?;
            println!("method: kernel PCA, kernel {kernel}, d = {d}");
            let shown = fit.eigenvalues.len().min(d.max(10));
            println!(
                "eigenvalues of the centred kernel matrix (top {shown}): {}",
                fmt_values(&fit.eigenvalues[..shown])
            );
            Embedded {
                y: fit.embedding,
                axis_names: generic_axes("kernel PC"),
            }
        }
        Method::Isomap => {
            let neighbourhood = match cli.epsilon {
                Some(e) => Neighbourhood::Epsilon(e),
                None => Neighbourhood::Knn(cli.neighbours),
            };
            let iso = Isomap {
                neighbourhood,
                n_components: d,
                solver,
                n_negative: cli.n_negative,
            };
            let bar = progress_bar(n as u64, "geodesics");
            let fit = iso.fit_with_progress(&ds.x, &|k| bar.inc(k as u64));
            bar.finish_and_clear();
            let fit = fit?;
            println!(
                "method: Isomap, graph of {neighbourhood} ({} edges), d = {d}",
                fit.n_edges
            );
            let when_none = if fit.mds.spectrum_complete {
                "none beyond rounding (the geodesic distances are Euclidean)"
            } else if cli.n_negative == 0 {
                "not computed on the top-k path (--n-negative M computes the M most negative)"
            } else {
                "none found beyond rounding"
            };
            print_mds_spectrum(&fit.mds, d, when_none);
            Embedded {
                y: fit.embedding,
                axis_names: generic_axes("Isomap coordinate"),
            }
        }
        Method::Smacof => {
            let s = Smacof {
                max_iter: cli.max_iter.unwrap_or(300),
                ..Smacof::new(d)
            };
            let bar = progress_bar(s.max_iter as u64, "SMACOF");
            let fit = s.fit_points_with_progress(&ds.x, &|k| bar.inc(k as u64));
            bar.finish_and_clear();
            let fit = fit?;
            let h = &fit.stress_history;
            println!(
                "method: metric MDS by SMACOF from classical MDS, d = {d}, {} iterations{}",
                fit.iterations,
                if fit.converged { " (converged)" } else { "" }
            );
            println!(
                "raw stress Σ_(i<j) (Δ - Θ)^2: start {:.6e}, end {:.6e}",
                h[0], fit.stress
            );
            Embedded {
                y: fit.embedding,
                axis_names: generic_axes("MDS coordinate"),
            }
        }
        Method::Diffusion => {
            let dm = DiffusionMaps {
                n_components: d,
                epsilon: cli
                    .kernel_epsilon
                    .map_or(EpsilonRule::MedianKnn { k: 10 }, EpsilonRule::Fixed),
                alpha: cli.alpha,
                t: cli.diffusion_time,
                solver,
            };
            let fit = dm.fit(&ds.x)?;
            println!(
                "method: diffusion maps, ε = {:.6e}, α = {}, t = {}, d = {d}",
                fit.epsilon, cli.alpha, cli.diffusion_time
            );
            let shown = fit.eigenvalues.len().min(d.max(10) + 1);
            println!(
                "eigenvalues of P (λ_0 = 1 first, top {shown}): {}",
                fmt_values(&fit.eigenvalues[..shown])
            );
            Embedded {
                y: fit.embedding,
                axis_names: (1..=d).map(|i| format!("λ_{i}^t ψ_{i}")).collect(),
            }
        }
        Method::Sketchmap => {
            let sm = SketchMap {
                sigma: cli.sigma,
                n_landmarks: cli.landmarks,
                max_iter: cli.max_iter.unwrap_or(1000),
                ..SketchMap::new(d)
            };
            let bar = progress_bar(sm.max_iter as u64, "sketch-map");
            let fit = sm.fit_with_progress(&ds.x, &|k| bar.inc(k as u64));
            bar.finish_and_clear();
            let fit = fit?;
            let h = &fit.stress_history;
            println!(
                "method: sketch-map, σ = {:.6e}, (A, B) = {:?}, (a, b) = {:?}, {} landmarks, d = {d}",
                fit.sigma,
                sm.high_exponents,
                sm.low_exponents,
                fit.landmarks.len()
            );
            println!(
                "landmark stress: start {:.6e}, end {:.6e} after {} L-BFGS steps",
                h[0],
                h[h.len() - 1],
                h.len() - 1
            );
            Embedded {
                y: fit.embedding,
                axis_names: generic_axes("sketch-map coordinate"),
            }
        }
        Method::Tsne | Method::Sne => {
            let kernel = if cli.method == Method::Tsne {
                LowDimKernel::StudentT
            } else {
                LowDimKernel::Gaussian
            };
            let mut t = TSne {
                perplexity: cli.perplexity,
                max_iter: cli.max_iter.unwrap_or(1000),
                kernel,
                ..TSne::new(d)
            };
            if kernel == LowDimKernel::Gaussian {
                // SNE's attraction is not damped by the heavy tail: scikit-learn's floor of 50
                // on the learning rate makes it diverge for small N.
                t.learning_rate =
                    dimred::tsne::LearningRate::Fixed(n as f64 / t.early_exaggeration / 4.0);
            }
            if let Some(theta) = cli.theta {
                t.method = if theta == 0.0 {
                    GradientMethod::Exact
                } else {
                    GradientMethod::BarnesHut { theta }
                };
            }
            let bar = progress_bar(t.max_iter as u64, "t-SNE");
            let fit = t.fit_with_progress(&ds.x, &|k| bar.inc(k as u64));
            bar.finish_and_clear();
            let fit = fit?;
            for w in &fit.warnings {
                eprintln!("dimred: warning: {w}");
            }
            println!(
                "method: {}, perplexity {}, gradient {:?}, learning rate {:.1}, d = {d}",
                if kernel == LowDimKernel::StudentT {
                    "t-SNE"
                } else {
                    "SNE"
                },
                cli.perplexity,
                fit.method,
                fit.learning_rate
            );
            let h: Vec<String> = fit
                .kl_history
                .iter()
                .map(|(it, kl)| format!("{it}: {kl:.4}"))
                .collect();
            println!("KL(P || Q) by iteration: {}", h.join(", "));
            Embedded {
                y: fit.embedding,
                axis_names: generic_axes(if kernel == LowDimKernel::StudentT {
                    "t-SNE coordinate"
                } else {
                    "SNE coordinate"
                }),
            }
        }
    };

    if !cli.no_quality {
        let k = cli.quality_k;
        let t = quality::trustworthiness(&ds.x, &out.y, k)?;
        let c = quality::continuity(&ds.x, &out.y, k)?;
        println!("trustworthiness (k = {k}): {t:.4}");
        println!("continuity      (k = {k}): {c:.4}");
    }
    if let Some(p) = &ds.parameter {
        for j in 0..out.y.ncols().min(2) {
            if let Ok(rho) = quality::spearman(&out.y.col(j), p) {
                println!(
                    "Spearman correlation of coordinate {} with the true parameter: {rho:.4}",
                    j + 1
                );
            }
        }
    }
    if let Some(path) = &cli.output {
        let file = std::fs::File::create(path).map_err(|e| {
            dimred::DimredError::Io(format!("cannot create {}: {e}", path.display()))
        })?;
        let header: Vec<String> = (1..=d).map(|i| format!("y{i}")).collect();
        let labels = ds.labels.as_deref().map(|l| ("label", l));
        data::write_csv(std::io::BufWriter::new(file), &header, &out.y, labels)?;
        println!("wrote the embedding to {}", path.display());
    }
    if let Some(path) = &cli.plot {
        let (colouring, legend) = match (&ds.labels, &ds.parameter) {
            (Some(l), _) => (Colouring::Labels(l), "label"),
            (None, Some(p)) => (Colouring::Values(p), "true parameter"),
            (None, None) => (Colouring::None, ""),
        };
        let method = match cli.method {
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
        };
        let y_label = if d >= 2 {
            out.axis_names[1].clone()
        } else {
            "sample index".to_string()
        };
        let svg = Scatter {
            title: format!("{method} of {} (N = {n})", ds.name),
            x_label: out.axis_names[0].clone(),
            y_label,
            points: &out.y,
            colouring,
            legend_title: legend.to_string(),
        }
        .to_svg();
        std::fs::write(path, svg).map_err(|e| {
            dimred::DimredError::Io(format!("cannot write {}: {e}", path.display()))
        })?;
        println!("wrote the plot to {}", path.display());
    }
    Ok(())
}

/// The folder of `path` must exist and `path` must not be a folder.
fn check_writable(path: &std::path::Path) -> dimred::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !parent.is_dir() {
        return Err(dimred::DimredError::Io(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    if path.is_dir() {
        return Err(dimred::DimredError::Io(format!(
            "cannot write {}: it is a folder; give a file name",
            path.display()
        )));
    }
    Ok(())
}

/// Eigenvalues of B, its negative eigenvalues (`when_none` says what an empty list means for
/// this method and solver), and the trace check.
fn print_mds_spectrum(fit: &dimred::mds::MdsFit, d: usize, when_none: &str) {
    let shown = fit.eigenvalues.len().min(d.max(10));
    println!(
        "eigenvalues of B = -1/2 J D^2 J (top {shown}{}): {}",
        if fit.spectrum_complete {
            ", all computed"
        } else {
            ", top-k solver"
        },
        fmt_values(&fit.eigenvalues[..shown])
    );
    if fit.negative_eigenvalues.is_empty() {
        println!("negative eigenvalues: {when_none}");
    } else {
        let shown = fit.negative_eigenvalues.len().min(5);
        println!(
            "negative eigenvalues: {} found, most negative: {} (|negative| / positive = {:.3e}; the distances are not Euclidean)",
            fit.negative_eigenvalues.len(),
            fmt_values(&fit.negative_eigenvalues[..shown]),
            fit.negative_ratio()
        );
    }
    println!(
        "trace(B) = {:.6e}; not accounted for by the computed eigenvalues: {:.6e}",
        fit.trace,
        fit.unresolved_trace()
    );
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
