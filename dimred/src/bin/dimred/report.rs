//! What the command prints and writes apart from the method itself: the data's description
//! and warnings, the quality of the embedding, the CSV of the embedding and the SVG plot.

use crate::methods::Embedded;
use dimred::data::{self, Dataset};
use dimred::plot::{Colouring, Scatter};
use dimred::{quality, DimredError, Result};
use linalg::Matrix;
use std::path::Path;

/// Numbers in the one format every spectrum line uses.
pub(crate) fn fmt_values(v: &[f64]) -> String {
    let s: Vec<String> = v.iter().map(|x| format!("{x:.6e}")).collect();
    s.join(", ")
}

/// The data's size and classes, and a warning when some or all columns do not vary: the
/// methods still return, but on data without spread their ratios and scales mean nothing.
pub(crate) fn describe_data(ds: &Dataset) {
    let (n, dim) = ds.x.shape();
    println!("data: {} ({n} samples x {dim} features)", ds.name);
    if let Some(l) = &ds.labels {
        let mut u = l.clone();
        u.sort();
        u.dedup();
        println!("labels: {} classes", u.len());
    }
    let constant: Vec<&str> = (0..dim)
        .filter(|&j| (1..n).all(|i| ds.x[(i, j)] == ds.x[(0, j)]))
        .map(|j| ds.feature_names.get(j).map_or("?", String::as_str))
        .collect();
    if n > 0 && constant.len() == dim {
        eprintln!(
            "dimred: warning: the data have no spread (all {n} points are identical): \
             explained-variance ratios are undefined and every embedding is a single point"
        );
    } else if !constant.is_empty() {
        eprintln!(
            "dimred: warning: {} of {dim} columns are constant and carry no information: {}",
            constant.len(),
            constant.join(", ")
        );
    }
}

/// The folder of `path` must exist and `path` must not be a folder.
pub(crate) fn check_writable(path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(DimredError::Io(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    if path.is_dir() {
        return Err(DimredError::Io(format!(
            "cannot write {}: it is a folder; give a file name",
            path.display()
        )));
    }
    Ok(())
}

/// Eigenvalues of B, its negative eigenvalues (`when_none` says what an empty list means for
/// this method and solver), and the trace check.
pub(crate) fn print_mds_spectrum(fit: &dimred::mds::MdsFit, d: usize, when_none: &str) {
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

/// Trustworthiness and continuity with k neighbours.
pub(crate) fn quality(ds: &Dataset, y: &Matrix, k: usize) -> Result<()> {
    let t = quality::trustworthiness(&ds.x, y, k)?;
    let c = quality::continuity(&ds.x, y, k)?;
    println!("trustworthiness (k = {k}): {t:.4}");
    println!("continuity      (k = {k}): {c:.4}");
    Ok(())
}

/// For generated data: how well the first coordinates follow the true manifold parameter.
pub(crate) fn parameter_correlation(ds: &Dataset, y: &Matrix) {
    if let Some(p) = &ds.parameter {
        for j in 0..y.ncols().min(2) {
            if let Ok(rho) = quality::spearman(&y.col(j), p) {
                println!(
                    "Spearman correlation of coordinate {} with the true parameter: {rho:.4}",
                    j + 1
                );
            }
        }
    }
}

/// The embedding as CSV: columns y1..yd, then the label if there is one.
pub(crate) fn write_embedding(path: &Path, ds: &Dataset, y: &Matrix) -> Result<()> {
    let file = std::fs::File::create(path)
        .map_err(|e| DimredError::Io(format!("cannot create {}: {e}", path.display())))?;
    let header: Vec<String> = (1..=y.ncols()).map(|i| format!("y{i}")).collect();
    let labels = ds.labels.as_deref().map(|l| ("label", l));
    data::write_csv(std::io::BufWriter::new(file), &header, y, labels)?;
    println!("wrote the embedding to {}", path.display());
    Ok(())
}

/// A scatter plot of the first two coordinates, coloured by label (the legend titled with the
/// label column's name) or by the true parameter of generated data.
pub(crate) fn write_plot(
    path: &Path,
    ds: &Dataset,
    label_column: &str,
    out: &Embedded,
    method: &str,
) -> Result<()> {
    let (colouring, legend) = match (&ds.labels, &ds.parameter) {
        (Some(l), _) => (Colouring::Labels(l), label_column),
        (None, Some(p)) => (Colouring::Values(p), "true parameter"),
        (None, None) => (Colouring::None, ""),
    };
    let y_label = match out.axis_names.get(1) {
        Some(name) => name.clone(),
        None => "sample index".to_string(),
    };
    let svg = Scatter {
        title: format!("{method} of {} (N = {})", ds.name, ds.len()),
        x_label: out.axis_names[0].clone(),
        y_label,
        points: &out.y,
        colouring,
        legend_title: legend.to_string(),
    }
    .to_svg();
    std::fs::write(path, svg)
        .map_err(|e| DimredError::Io(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote the plot to {}", path.display());
    Ok(())
}
