//! Page 3, spectral methods with sliders (`dr.kpca.centering`, `dr.isomap.geodesic`,
//! `dr.diffusion.markov`): one request computes one embedding with dimred's own code.
//!
//! N is capped at [`MAX_N`] so a slider redraws within the 150 ms budget: above
//! `dimred::DENSE_MAX_N` the methods switch to the Lanczos top-k solver, and the N x N kernel,
//! graph or Markov matrix is the main cost.

use super::datasets;
use super::params::{BadRequest, Checked, Query};
use dimred::diffusion::{DiffusionMaps, EpsilonRule};
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use serde_json::{json, Value};
use std::time::Instant;

/// Largest N the page computes.
pub const MAX_N: usize = 1000;

const KNOWN: [&str; 15] = [
    "method", "data", "n", "seed", "noise", "kernel", "gamma", "degree", "coef0", "graph", "k",
    "eps", "alpha", "t", "dkeps",
];

/// `GET /api/spectral?method=kpca|isomap|diffusion&data=…&n=…&…`.
pub fn handle(q: &Query) -> Checked<Value> {
    q.only(&KNOWN)?;
    let method = q.choice("method", &["kpca", "isomap", "diffusion"])?;
    let d = datasets::from_query(q, MAX_N)?;
    let started = Instant::now();
    let (embedding, detail) = match method {
        "kpca" => kernel_pca(q, &d.x)?,
        "isomap" => isomap(q, &d.x)?,
        _ => diffusion(q, &d.x)?,
    };
    let ms = started.elapsed().as_secs_f64() * 1e3;
    let points: Vec<[f64; 2]> = embedding.rows().map(|r| [r[0], r[1]]).collect();
    Ok(json!({
        "method": method, "data": d.name, "n": d.len(), "dim": d.x.ncols(),
        "points": points, "colour": datasets::colouring(&d), "detail": detail,
        "compute_ms": ms,
    }))
}

fn refuse(e: dimred::DimredError) -> BadRequest {
    BadRequest(e.to_string())
}

/// Kernel PCA into 2 dimensions: kernel, γ, degree and c0 from the query.
fn kernel_pca(q: &Query, x: &linalg::Matrix) -> Checked<(linalg::Matrix, Value)> {
    let gamma = q.f64_in("gamma", 1e-4..=1e4, 1.0)?;
    let kernel = match q.choice("kernel", &["rbf", "poly", "linear"])? {
        "rbf" => Kernel::Rbf { gamma },
        "poly" => Kernel::Polynomial {
            degree: q.usize_in("degree", 1..=8, 3)? as u32,
            gamma,
            coef0: q.f64_in("coef0", 0.0..=10.0, 1.0)?,
        },
        _ => Kernel::Linear,
    };
    let fit = KernelPca::new(kernel, 2).fit(x).map_err(refuse)?;
    let top: Vec<f64> = fit.eigenvalues.iter().take(6).copied().collect();
    let detail = json!({"kernel": kernel.to_string(), "eigenvalues": top});
    Ok((fit.embedding, detail))
}

/// Isomap into 2 dimensions on the k-NN or ε graph; a disconnected graph is refused with
/// dimred's message (it names the component sizes).
fn isomap(q: &Query, x: &linalg::Matrix) -> Checked<(linalg::Matrix, Value)> {
    let neighbourhood = match q.choice("graph", &["knn", "eps"])? {
        "knn" => Neighbourhood::Knn(q.usize_in("k", 1..=50, 10)?),
        _ => Neighbourhood::Epsilon(q.f64_in("eps", 1e-6..=1e4, 5.0)?),
    };
    let fit = Isomap::new(neighbourhood, 2).fit(x).map_err(refuse)?;
    let top: Vec<f64> = fit.mds.eigenvalues.iter().take(6).copied().collect();
    let detail = json!({"graph": neighbourhood.to_string(), "edges": fit.n_edges,
                        "eigenvalues": top});
    Ok((fit.embedding, detail))
}

/// Diffusion maps into 2 dimensions: α, t and ε (the median k-NN rule unless ε is given).
fn diffusion(q: &Query, x: &linalg::Matrix) -> Checked<(linalg::Matrix, Value)> {
    let mut dm = DiffusionMaps::new(2);
    dm.alpha = q.f64_in("alpha", 0.0..=1.0, 1.0)?;
    dm.t = q.usize_in("t", 1..=50, 1)? as u32;
    dm.epsilon = match q.raw("eps") {
        Some(_) => EpsilonRule::Fixed(q.f64_in("eps", 1e-8..=1e8, 1.0)?),
        None => EpsilonRule::MedianKnn {
            k: q.usize_in("dkeps", 1..=50, 10)?,
        },
    };
    let fit = dm.fit(x).map_err(refuse)?;
    let top: Vec<f64> = fit.eigenvalues.iter().take(6).copied().collect();
    let detail = json!({"epsilon": fit.epsilon, "eigenvalues": top, "alpha": dm.alpha, "t": dm.t});
    Ok((fit.embedding, detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(s: &str) -> Checked<Value> {
        handle(&Query::parse(s).unwrap())
    }

    #[test]
    fn each_method_returns_one_point_per_sample() {
        for s in [
            "method=kpca&data=circles&n=100&kernel=rbf&gamma=2",
            "method=kpca&data=iris&n=150&kernel=poly&degree=2&gamma=0.1",
            "method=isomap&data=swiss_roll&n=200&k=8",
            "method=diffusion&data=blobs&n=120&alpha=0.5&t=2",
        ] {
            let v = get(s).unwrap();
            let n = v["n"].as_u64().unwrap() as usize;
            assert_eq!(v["points"].as_array().unwrap().len(), n, "{s}");
            assert!(v["points"][0][1].as_f64().unwrap().is_finite(), "{s}");
        }
    }

    #[test]
    fn a_disconnected_isomap_graph_is_a_message() {
        let e = get("method=isomap&data=blobs&n=200&k=2").unwrap_err();
        assert!(
            e.0.contains("disconnected") || e.0.contains("component"),
            "{e}"
        );
    }

    #[test]
    fn out_of_range_parameters_are_refused() {
        for bad in [
            "n=5000",
            "n=3",
            "gamma=0",
            "gamma=abc",
            "method=pca",
            "data=mnist",
            "method=isomap&k=0",
            "method=diffusion&alpha=2",
            "method=diffusion&t=0",
            "method=kpca&kernel=poly&degree=99",
        ] {
            assert!(get(bad).is_err(), "{bad}");
        }
    }
}
