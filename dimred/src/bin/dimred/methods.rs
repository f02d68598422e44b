//! One function per method: build the configuration from the flags (the policies, such as
//! SNE's learning rate or PCA's solver, are the library's), fit with a progress display, and
//! print what the method knows about itself (spectrum, stress, KL).

use crate::report::{fmt_values, print_mds_spectrum};
use crate::{Cli, KernelName, Method, SolverName};
use dimred::cli::Progress;
use dimred::data::Dataset;
use dimred::diffusion::{DiffusionMaps, EpsilonRule};
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::landmark::LandmarkIsomap;
use dimred::mds::ClassicalMds;
use dimred::model::Fitted;
use dimred::nystrom::{NystromDiffusion, NystromKernelPca};
use dimred::pca::{Pca, PcaSolver};
use dimred::sketchmap::SketchMap;
use dimred::smacof::Smacof;
use dimred::tsne::{GradientMethod, TSne};
use dimred::{EigenSolver, Result};
use linalg::Matrix;

/// An embedding and the names of its axes (for the plot).
pub(crate) struct Embedded {
    pub(crate) y: Matrix,
    pub(crate) axis_names: Vec<String>,
    /// The fit, for the methods with an out-of-sample map (`--save-model`).
    pub(crate) fitted: Option<Fitted>,
}

/// Run the method the flags name on `ds`.
pub(crate) fn embed(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    match cli.method {
        Method::Pca | Method::PcaSvd => embed_pca(cli, ds),
        Method::Mds => embed_mds(cli, ds),
        Method::Kpca => embed_kpca(cli, ds),
        Method::Isomap => embed_isomap(cli, ds),
        Method::Smacof => embed_smacof(cli, ds),
        Method::Diffusion => embed_diffusion(cli, ds),
        Method::Sketchmap => embed_sketchmap(cli, ds),
        Method::Tsne | Method::Sne => embed_tsne(cli, ds),
    }
}

fn eigen_solver(cli: &Cli) -> EigenSolver {
    match cli.solver {
        SolverName::Auto => EigenSolver::Auto,
        SolverName::Dense => EigenSolver::Dense,
        SolverName::Topk => EigenSolver::TopK,
    }
}

/// "prefix 1", ..., "prefix d".
fn numbered_axes(prefix: &str, d: usize) -> Vec<String> {
    (1..=d).map(|i| format!("{prefix} {i}")).collect()
}

fn embed_pca(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let ((n, dim), d) = (ds.x.shape(), cli.dimensions.dimensions);
    let solver = if cli.method == Method::PcaSvd {
        PcaSolver::Svd
    } else {
        PcaSolver::cheaper_for(n, dim, d)
    };
    if cli.method == Method::Pca && solver == PcaSolver::Svd {
        println!(
            "note: D = {dim} > N = {n}: PCA by the SVD of the centred data instead of \
             the {dim} x {dim} covariance (same variances and directions)"
        );
    }
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
    let total = fit.total_variance;
    if total == 0.0 {
        // 0 / 0: no direction explains any share of a variance that is not there.
        println!("explained variance ratio: undefined (the data have no spread)");
        return Ok(Embedded {
            fitted: Some(Fitted::Pca(fit)),
            y,
            axis_names: numbered_axes("PC", d),
        });
    }
    let ratio: Vec<String> = fit
        .explained_variance_ratio
        .iter()
        .map(|r| format!("{:.2}%", 100.0 * r))
        .collect();
    let kept: f64 = fit.explained_variance_ratio.iter().sum();
    println!(
        "explained variance ratio of the {d} kept: {} (total {:.2}%)",
        ratio.join(", "),
        100.0 * kept
    );
    let axis_names = ratio
        .iter()
        .enumerate()
        .map(|(i, r)| format!("PC{} ({r} of variance)", i + 1))
        .collect();
    Ok(Embedded {
        fitted: Some(Fitted::Pca(fit)),
        axis_names,
        y,
    })
}

fn embed_mds(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let fit = ClassicalMds {
        n_components: d,
        solver: eigen_solver(cli),
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
    Ok(Embedded {
        y: fit.embedding.clone(),
        fitted: Some(Fitted::ClassicalMds {
            fit,
            x_train: ds.x.clone(),
        }),
        axis_names: numbered_axes("MDS coordinate", d),
    })
}

fn embed_kpca(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let gamma = cli.gamma.unwrap_or(1.0 / ds.x.ncols() as f64);
    let kernel = match cli.kernel {
        KernelName::Linear => Kernel::Linear,
        KernelName::Poly => Kernel::Polynomial {
            degree: cli.degree,
            gamma,
            coef0: cli.coef0,
        },
        KernelName::Rbf => Kernel::Rbf { gamma },
    };
    if let Some(l) = cli.landmarks {
        return embed_kpca_nystrom(cli, kernel, l, ds);
    }
    let fit = KernelPca {
        kernel,
        n_components: d,
        solver: eigen_solver(cli),
    }
    .fit(&ds.x)?;
    println!("method: kernel PCA, kernel {kernel}, d = {d}");
    let shown = fit.eigenvalues.len().min(d.max(10));
    println!(
        "eigenvalues of the centred kernel matrix (top {shown}): {}",
        fmt_values(&fit.eigenvalues[..shown])
    );
    Ok(Embedded {
        y: fit.embedding.clone(),
        fitted: Some(Fitted::KernelPca(fit)),
        axis_names: numbered_axes("kernel PC", d),
    })
}

/// `--method kpca --landmarks M`: the Nyström extension from M landmarks.
fn embed_kpca_nystrom(cli: &Cli, kernel: Kernel, l: usize, ds: &Dataset) -> Result<Embedded> {
    if cli.save_model.is_some() {
        return Err(dimred::DimredError::InvalidArgument(
            "--save-model: kernel PCA with --landmarks (the Nyström extension) has no saved \
             form yet; fit without --landmarks to save the model"
                .into(),
        ));
    }
    let d = cli.dimensions.dimensions;
    let fit = NystromKernelPca::new(kernel, d, l).fit(&ds.x)?;
    println!(
        "method: kernel PCA by the Nyström extension, kernel {kernel}, {} landmarks kept of \
         {l}, d = {d}",
        fit.map.landmarks.len()
    );
    let shown = fit.eigenvalues.len().min(d.max(10));
    println!(
        "eigenvalues of the centred Nyström kernel matrix (top {shown}): {}; each is below \
         the exact one by at most tr(K - K̂) = {}",
        fmt_values(&fit.eigenvalues[..shown]),
        fmt_values(&[fit.residual_trace])
    );
    Ok(Embedded {
        y: fit.embedding,
        fitted: None,
        axis_names: numbered_axes("kernel PC", d),
    })
}

fn embed_isomap(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let neighbourhood = match cli.epsilon {
        Some(e) => Neighbourhood::Epsilon(e),
        None => Neighbourhood::Knn(cli.neighbours),
    };
    if let Some(l) = cli.landmarks {
        let fit = LandmarkIsomap::new(neighbourhood, d, l).fit(&ds.x)?;
        println!(
            "method: landmark Isomap, graph of {neighbourhood} ({} edges), {l} landmarks, d = {d} \
             (the spectrum is of the landmarks' B)",
            fit.n_edges
        );
        print_mds_spectrum(&fit.mds, d, "not computed (landmark block, top-k path)");
        return Ok(Embedded {
            fitted: None,
            y: fit.embedding,
            axis_names: numbered_axes("Isomap coordinate", d),
        });
    }
    let iso = Isomap {
        neighbourhood,
        n_components: d,
        solver: eigen_solver(cli),
        n_negative: cli.n_negative,
    };
    let mut progress = Progress::new("geodesics", ds.len() as u64);
    let fit = iso.fit_observed(&ds.x, &mut progress);
    progress.finish();
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
    Ok(Embedded {
        fitted: None,
        y: fit.embedding,
        axis_names: numbered_axes("Isomap coordinate", d),
    })
}

fn embed_smacof(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let s = Smacof {
        max_iter: cli.max_iter.unwrap_or(300),
        ..Smacof::new(d)
    };
    let mut progress = Progress::new("SMACOF", s.max_iter as u64);
    let fit = s.fit_points_observed(&ds.x, &mut progress);
    progress.finish();
    let fit = fit?;
    println!(
        "method: metric MDS by SMACOF from classical MDS, d = {d}, {} iterations{}",
        fit.iterations,
        if fit.converged { " (converged)" } else { "" }
    );
    println!(
        "raw stress Σ_(i<j) (Δ - Θ)^2: start {:.6e}, end {:.6e}",
        fit.stress_history[0], fit.stress
    );
    Ok(Embedded {
        fitted: None,
        y: fit.embedding,
        axis_names: numbered_axes("MDS coordinate", d),
    })
}

fn embed_diffusion(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let dm = DiffusionMaps {
        n_components: d,
        epsilon: cli
            .kernel_epsilon
            .map_or(EpsilonRule::MedianKnn { k: 10 }, EpsilonRule::Fixed),
        alpha: cli.alpha,
        t: cli.diffusion_time,
        solver: eigen_solver(cli),
    };
    let fit = match cli.landmarks {
        None => {
            let fit = dm.fit(&ds.x)?;
            println!(
                "method: diffusion maps, ε = {:.6e}, α = {}, t = {}, d = {d}",
                fit.epsilon, cli.alpha, cli.diffusion_time
            );
            fit
        }
        Some(l) => {
            let n = NystromDiffusion::new(dm, l).fit(&ds.x)?;
            println!(
                "method: diffusion maps by the Nyström extension, {} landmarks kept of {l}, \
                 ε = {:.6e}, α = {}, t = {}, d = {d}; tr(K - K̂) = {}",
                n.map.landmarks.len(),
                n.diffusion.epsilon,
                cli.alpha,
                cli.diffusion_time,
                fmt_values(&[n.residual_trace])
            );
            n.diffusion
        }
    };
    let shown = fit.eigenvalues.len().min(d.max(10) + 1);
    println!(
        "eigenvalues of P (λ_0 = 1 first, top {shown}): {}",
        fmt_values(&fit.eigenvalues[..shown])
    );
    Ok(Embedded {
        fitted: None,
        y: fit.embedding,
        axis_names: (1..=d).map(|i| format!("λ_{i}^t ψ_{i}")).collect(),
    })
}

fn embed_sketchmap(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let sm = SketchMap {
        sigma: cli.sigma,
        n_landmarks: cli.landmarks.unwrap_or(300),
        max_iter: cli.max_iter.unwrap_or(1000),
        ..SketchMap::new(d)
    };
    let mut progress = Progress::new("sketch-map", sm.max_iter as u64);
    let fit = sm.fit_observed(&ds.x, &mut progress);
    progress.finish();
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
    Ok(Embedded {
        fitted: None,
        y: fit.embedding,
        axis_names: numbered_axes("sketch-map coordinate", d),
    })
}

fn embed_tsne(cli: &Cli, ds: &Dataset) -> Result<Embedded> {
    let d = cli.dimensions.dimensions;
    let name = if cli.method == Method::Tsne {
        "t-SNE"
    } else {
        "SNE"
    };
    let base = if cli.method == Method::Tsne {
        TSne::new(d)
    } else {
        TSne::sne(d)
    };
    let mut t = TSne {
        perplexity: cli.perplexity,
        max_iter: cli.max_iter.unwrap_or(1000),
        ..base
    };
    if let Some(theta) = cli.theta {
        t.method = if theta == 0.0 {
            GradientMethod::Exact
        } else {
            GradientMethod::BarnesHut { theta }
        };
    }
    let mut progress = Progress::new(name, t.max_iter as u64);
    let fit = t.fit_observed(&ds.x, &mut progress);
    progress.finish();
    let fit = fit?;
    for w in &fit.warnings {
        eprintln!("dimred: warning: {w}");
    }
    println!(
        "method: {name}, perplexity {}, gradient {:?}, learning rate {:.1}, d = {d}",
        cli.perplexity, fit.method, fit.learning_rate
    );
    let h: Vec<String> = fit
        .kl_history
        .iter()
        .map(|(it, kl)| format!("{it}: {kl:.4}"))
        .collect();
    println!("KL(P || Q) by iteration: {}", h.join(", "));
    Ok(Embedded {
        fitted: None,
        y: fit.embedding,
        axis_names: numbered_axes(&format!("{name} coordinate"), d),
    })
}
