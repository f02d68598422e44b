//! Tour chapter `04-losses-and-probabilistic`: metric MDS by SMACOF, sketch-map, SNE
//! affinities, the t-SNE gradient, and the quality scores comparing them on the digits.
//!
//! Each method's embedding of the digits is computed once and kept (a `OnceLock`), so that
//! `dr.quality` compares the same embeddings the figures show.

use super::{evidence, scatter, Chapter, Evidence, Section, EPS};
use dimred::mds::ClassicalMds;
use dimred::plot::{Colouring, Lines, Series};
use dimred::sketchmap::{stress_gradient, transform_distances, SketchMap, Transform};
use dimred::smacof::Smacof;
use dimred::sne::{affinities, Neighbours};
use dimred::tsne::{barnes_hut_gradient, exact_gradient, LowDimKernel, TSne};
use linalg::Matrix;
use std::sync::{Mutex, OnceLock};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "04-losses-and-probabilistic",
    title: "Losses and probabilistic embeddings: metric MDS, sketch-map, SNE and t-SNE",
    sections: &[
        Section {
            claim: "dr.mds.stress",
            run: mds_stress,
        },
        Section {
            claim: "dr.sketchmap.stress",
            run: sketchmap_stress,
        },
        Section {
            claim: "dr.sne.affinities",
            run: sne_affinities,
        },
        Section {
            claim: "dr.tsne.gradient",
            run: tsne_gradient,
        },
        Section {
            claim: "dr.quality",
            run: quality,
        },
    ],
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The digits (all 1797).
fn digits() -> &'static dimred::data::Dataset {
    static D: OnceLock<dimred::data::Dataset> = OnceLock::new();
    D.get_or_init(|| dimred::data::load("digits").expect("the built-in digits parse"))
}

/// Embeddings of the digits computed so far, by method name.
fn embeddings() -> &'static Mutex<Vec<(&'static str, Matrix)>> {
    static E: OnceLock<Mutex<Vec<(&'static str, Matrix)>>> = OnceLock::new();
    E.get_or_init(|| Mutex::new(Vec::new()))
}

/// The embedding `name`, computed by `compute` the first time.
fn embedding(name: &'static str, compute: impl FnOnce() -> Res<Matrix>) -> Res<Matrix> {
    if let Some((_, y)) = embeddings()
        .lock()
        .map_err(|_| "poisoned")?
        .iter()
        .find(|e| e.0 == name)
    {
        return Ok(y.clone());
    }
    let y = compute()?;
    embeddings()
        .lock()
        .map_err(|_| "poisoned")?
        .push((name, y.clone()));
    Ok(y)
}

fn classical() -> Res<Matrix> {
    embedding("classical MDS", || {
        Ok(ClassicalMds::new(2).fit_points(&digits().x)?.embedding)
    })
}

/// t-SNE with scikit-learn's defaults (perplexity 30, Barnes–Hut θ = 0.5 above 1000 points)
/// on all the digits.
fn tsne_fit() -> Res<dimred::tsne::TsneFit> {
    Ok(TSne::new(2).fit(&digits().x)?)
}

/// Every third digit (599 points): SNE's Gaussian map kernel has no Barnes–Hut tree, so it
/// costs O(N²) per iteration; on all 1797 digits it would take half a minute.
fn third_of_digits() -> Vec<usize> {
    (0..digits().len()).step_by(3).collect()
}

fn digits_figure(stem: &str, title: &str, y: &Matrix, caption: &str, ev: &mut Evidence) {
    let labels = digits().labels.clone().unwrap_or_default();
    let colour = if labels.len() == y.nrows() {
        Colouring::Labels(&labels)
    } else {
        Colouring::None
    };
    ev.figure(
        stem,
        caption,
        scatter(title, y, colour, "digit", ("coordinate 1", "coordinate 2")),
    );
}

fn mds_stress() -> Evidence {
    evidence("dr.mds.stress", |ev| {
        let x = &digits().x;
        let fit = Smacof::new(2).fit_points(x)?;
        embedding("SMACOF", || Ok(fit.embedding.clone()))?;
        let h = &fit.stress_history;
        let worst_rise = h
            .windows(2)
            .map(|w| (w[1] - w[0]) / w[0])
            .fold(f64::NEG_INFINITY, f64::max);
        ev.at_most(
            "max relative stress increase between SMACOF iterations",
            worst_rise.max(0.0),
            1e3 * EPS,
            "majorization never increases the stress; rounding of N² terms only",
        );
        let start = h.first().copied().unwrap_or(f64::NAN);
        ev.at_most(
            "final stress / stress of the classical-MDS start",
            fit.stress / start,
            1.0,
            "SMACOF starts from classical MDS and only goes down",
        );
        ev.remark(format!(
            "digits, N = 1797: stress {start:.4e} → {:.4e} in {} iterations",
            fit.stress, fit.iterations
        ));
        let mds = classical()?;
        digits_figure(
            "04-digits-mds",
            "Classical MDS of digits (N = 1797)",
            &mds,
            "Classical MDS of the digits (= PCA): the classes overlap in the middle.",
            ev,
        );
        digits_figure(
            "04-digits-smacof",
            "Metric MDS (SMACOF) of digits (N = 1797)",
            &fit.embedding,
            "Metric MDS by SMACOF from the classical start: lower stress, similar picture.",
            ev,
        );
        Ok(())
    })
}

/// max relative error of an analytic gradient against central differences of `f`.
fn fd_error(y: &Matrix, grad: &Matrix, mut f: impl FnMut(&Matrix) -> f64) -> f64 {
    let scale = grad.max_abs();
    let mut worst: f64 = 0.0;
    let mut yp = y.clone();
    for i in 0..y.nrows() {
        for j in 0..y.ncols() {
            let h = EPS.cbrt() * y[(i, j)].abs().max(1.0);
            let keep = yp[(i, j)];
            yp[(i, j)] = keep + h;
            let up = f(&yp);
            yp[(i, j)] = keep - h;
            let down = f(&yp);
            yp[(i, j)] = keep;
            worst = worst.max(((up - down) / (2.0 * h) - grad[(i, j)]).abs() / scale);
        }
    }
    worst
}

fn sketchmap_stress() -> Evidence {
    evidence("dr.sketchmap.stress", |ev| {
        // The gradient on 60 digits, against central differences.
        let x = digits()
            .x
            .select_rows(&(0..60).map(|i| 30 * i).collect::<Vec<_>>());
        let delta = x.pairwise_sq_distances().map(f64::sqrt);
        let sigma = 0.5 * delta.max_abs();
        let high = Transform::Sigmoid {
            sigma,
            a: 8.0,
            b: 2.0,
        };
        let low = Transform::Sigmoid {
            sigma,
            a: 2.0,
            b: 2.0,
        };
        let f_high = transform_distances(&delta, high)?;
        let y = Matrix::random_normal(60, 2, 3).scale(sigma);
        let mut g = Matrix::zeros(60, 2);
        stress_gradient(&f_high, &y, low, None, &mut g);
        let err = fd_error(&y, &g, |yy| {
            dimred::sketchmap::stress(&f_high, yy, low, None)
        });
        ev.at_most(
            "max |∇σ − central differences| / max |∇σ| (60 digits)",
            err,
            1e-6,
            "central differences with h = ε^(1/3): error about ε^(2/3) times the curvature",
        );
        let fit = SketchMap::new(2).fit(&digits().x)?;
        embedding("sketch-map", || Ok(fit.embedding.clone()))?;
        let h = &fit.stress_history;
        if let (Some(first), Some(last)) = (h.first(), h.last()) {
            ev.at_most(
                "final / initial sketch-map stress (landmarks)",
                last / first,
                1.0,
                "the optimiser only accepts steps that lower the stress",
            );
        }
        ev.remark(format!(
            "sketch-map on all 1797 digits, σ = {:.2}, {} landmarks",
            fit.sigma,
            fit.landmarks.len()
        ));
        digits_figure(
            "04-digits-sketchmap",
            "Sketch-map of digits (N = 1797)",
            &fit.embedding,
            "Sketch-map: the sigmoids keep only the middle range of distances, so clusters \
             separate without the far distances dominating.",
            ev,
        );
        Ok(())
    })
}

fn sne_affinities() -> Evidence {
    evidence("dr.sne.affinities", |ev| {
        let p = affinities(&digits().x, 30.0, Neighbours::All)?;
        ev.at_most(
            "max |Perp(Pᵢ) − 30| / 30",
            p.max_perplexity_error,
            1e-8,
            "bisection on ln β runs to about 1e-10 relative",
        );
        ev.at_most(
            "|Σᵢⱼ pᵢⱼ − 1|",
            (p.values.iter().sum::<f64>() - 1.0).abs(),
            p.values.len() as f64 * EPS,
            "a sum of N² terms: N²·ε",
        );
        let dense = p.to_dense();
        ev.at_most(
            "max |pᵢⱼ − pⱼᵢ| / max p",
            (&dense - &dense.transpose()).max_abs() / dense.max_abs(),
            EPS,
            "symmetrised as (p_j|i + p_i|j) / 2N: exact",
        );
        ev.remark("digits, N = 1797, perplexity 30, every pair.");
        Ok(())
    })
}

fn tsne_gradient() -> Evidence {
    evidence("dr.tsne.gradient", |ev| {
        // The exact gradient on 80 digits against central differences of KL.
        let x = digits()
            .x
            .select_rows(&(0..80).map(|i| 22 * i).collect::<Vec<_>>());
        let p = affinities(&x, 10.0, Neighbours::All)?;
        let y = Matrix::random_normal(80, 2, 5);
        let mut g = Matrix::zeros(80, 2);
        exact_gradient(&p, &y, LowDimKernel::StudentT, 1.0, &mut g);
        let mut scratch = Matrix::zeros(80, 2);
        let err = fd_error(&y, &g, |yy| {
            exact_gradient(&p, yy, LowDimKernel::StudentT, 1.0, &mut scratch)
        });
        ev.at_most(
            "max |∇KL − central differences| / max |∇KL| (80 digits)",
            err,
            1e-6,
            "central differences with h = ε^(1/3): error about ε^(2/3) times the curvature",
        );
        let fit = tsne_fit()?;
        embedding("t-SNE", || Ok(fit.embedding.clone()))?;
        // Barnes–Hut against the exact gradient at the final embedding.
        let pf = affinities(&digits().x, 30.0, Neighbours::Nearest(90))?;
        let n = digits().len();
        let (mut ge, mut gb, mut rep) = (
            Matrix::zeros(n, 2),
            Matrix::zeros(n, 2),
            Matrix::zeros(n, 2),
        );
        // Exaggeration 0 leaves the repulsive part alone: the part Barnes–Hut approximates.
        exact_gradient(&pf, &fit.embedding, LowDimKernel::StudentT, 0.0, &mut rep);
        let kl_exact = exact_gradient(&pf, &fit.embedding, LowDimKernel::StudentT, 1.0, &mut ge);
        let kl_bh = barnes_hut_gradient(&pf, &fit.embedding, 0.5, 1.0, &mut gb);
        ev.at_most(
            "‖∇_BH − ∇_exact‖_F / ‖repulsive part‖_F, θ = 0.5",
            (&gb - &ge).frobenius_norm() / rep.frobenius_norm(),
            0.02,
            "a cell seen under angle < θ replaced by its centre of mass: second order, ≈ θ²/8 per cell",
        );
        ev.at_most(
            "|KL_BH − KL_exact|",
            (kl_bh - kl_exact).abs(),
            0.03,
            "KL differs only through ln Z, a sum of positive terms each within ≈ 3 %",
        );
        let first = fit.kl_history.first().map(|k| k.1).unwrap_or(f64::NAN);
        ev.remark(format!(
            "t-SNE on all 1797 digits (Barnes–Hut, θ = 0.5): KL {first:.3} at iteration {} → {:.3}",
            fit.kl_history.first().map(|k| k.0).unwrap_or(0),
            fit.kl
        ));
        let pts: Vec<(f64, f64)> = fit.kl_history.iter().map(|&(i, k)| (i as f64, k)).collect();
        ev.figure(
            "04-tsne-kl",
            "KL(P‖Q) during t-SNE on the digits. The first 250 iterations exaggerate P by 12 \
             (the KL shown is that of the plain P).",
            Lines {
                title: "t-SNE on digits: KL(P‖Q) per iteration".into(),
                x_label: "iteration".into(),
                y_label: "KL(P‖Q)".into(),
                series: vec![Series {
                    name: "KL(P‖Q)".into(),
                    points: pts,
                    dashed: false,
                }],
                log_y: false,
                point_colours: Vec::new(),
                points: vec![],
            }
            .to_svg(),
        );
        digits_figure(
            "04-digits-tsne",
            "t-SNE of digits (N = 1797)",
            &fit.embedding,
            "t-SNE (perplexity 30): ten well separated clusters.",
            ev,
        );
        Ok(())
    })
}

fn quality() -> Evidence {
    evidence("dr.quality", |ev| {
        let x = &digits().x;
        let sub = third_of_digits();
        let x_sub = x.select_rows(&sub);
        let sne = embedding("SNE", || {
            Ok(TSne {
                kernel: LowDimKernel::Gaussian,
                ..TSne::new(2)
            }
            .fit(&x_sub)?
            .embedding)
        })?;
        let k = 10;
        let mut scores = Vec::new();
        for name in ["classical MDS", "SMACOF", "sketch-map", "SNE", "t-SNE"] {
            let y = match name {
                "classical MDS" => classical()?,
                "SMACOF" => embedding(name, || Ok(Smacof::new(2).fit_points(x)?.embedding))?,
                "sketch-map" => embedding(name, || Ok(SketchMap::new(2).fit(x)?.embedding))?,
                "SNE" => sne.clone(),
                _ => embedding(name, || Ok(tsne_fit()?.embedding))?,
            };
            let data = if name == "SNE" { &x_sub } else { x };
            let t = dimred::quality::trustworthiness(data, &y, k)?;
            let c = dimred::quality::continuity(data, &y, k)?;
            scores.push((name, t, c));
        }
        let t_of = |n: &str| {
            scores
                .iter()
                .find(|s| s.0 == n)
                .map(|s| s.1)
                .unwrap_or(f64::NAN)
        };
        ev.at_least(
            "trustworthiness(t-SNE), k = 10",
            t_of("t-SNE"),
            0.95,
            "t-SNE keeps neighbourhoods (scikit-learn reports ≈ 0.99 on digits)",
        );
        ev.at_least(
            "T(t-SNE) − T(classical MDS)",
            t_of("t-SNE") - t_of("classical MDS"),
            0.05,
            "the notes' point: the loss on neighbour probabilities keeps neighbours a projection mixes",
        );
        for (name, t, c) in &scores {
            ev.remark(format!(
                "{name:<14} trustworthiness {t:.4}  continuity {c:.4}"
            ));
        }
        let labels: Vec<String> = digits()
            .labels
            .clone()
            .map(|l| sub.iter().map(|&i| l[i].clone()).collect())
            .unwrap_or_default();
        let colour = if labels.len() == sne.nrows() {
            Colouring::Labels(&labels)
        } else {
            Colouring::None
        };
        ev.figure(
            "04-digits-sne",
            "SNE (Gaussian on the map side) of every third digit (599 points, to keep the \
             O(N²) iterations short): clusters crowd together in the middle.",
            scatter(
                "SNE of digits (599-point subsample)",
                &sne,
                colour,
                "digit",
                ("coordinate 1", "coordinate 2"),
            ),
        );
        Ok(())
    })
}
