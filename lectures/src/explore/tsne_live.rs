//! Page 4, t-SNE and SNE live (`dr.sne.affinities`, `dr.tsne.gradient`): the embedding moves
//! as dimred's own `TSne::fit_observed` iterates, with SNE (the Gaussian kernel) beside it to
//! show the crowding problem.
//!
//! `GET /api/tsne?session=…&kernel=student|gaussian&…` starts a run in the job registry
//! ([`super::jobs`]) and answers at once with the run's id and what the page needs to draw it
//! (colours, the resolved learning rate, where early exaggeration ends); the page then polls
//! `/api/job` for frames. Every iterate is published (N × 2 numbers copied under a lock), and
//! every [`KL_EVERY`]-th iteration also its KL divergence, so the page draws the KL curve as
//! it grows. A new request from the same page session cancels the superseded run: its observer
//! answers `Break` and dimred returns `Stopped`.
//!
//! Sizes: t-SNE takes all 1797 digits (Barnes–Hut above `dimred::tsne::EXACT_MAX_N`); SNE's
//! Gaussian kernel has no fast approximation (every pair, every iteration), so its side takes
//! at most [`SNE_MAX_N`] points.

use super::datasets;
use super::jobs::{self, Job, Pace};
use super::params::{BadRequest, Checked, Query};
use dimred::tsne::{LearningRate, TSne, TsneIteration, TsnePhase};
use linalg::Matrix;
use serde_json::{json, Value};
use std::time::Instant;

/// Largest N of the t-SNE side: all the digits.
pub const MAX_N: usize = 1797;
/// Largest N of the SNE side (exact O(N²) gradient per iteration).
pub const SNE_MAX_N: usize = 600;
/// KL(P || Q) is recorded every this many iterations: a logarithm per stored p_ij, as costly as
/// the attraction itself, so not at every one.
pub const KL_EVERY: usize = 10;

const KNOWN: [&str; 13] = [
    "session",
    "kernel",
    "data",
    "n",
    "noise",
    "seed",
    "perplexity",
    "lr",
    "exaggeration",
    "exag_iter",
    "iterations",
    "pace",
    "init",
];

/// The run a query asks for: the configured [`TSne`], the data and the pace.
struct Run {
    tsne: TSne,
    data: dimred::data::Dataset,
    /// Iterations per second at most (0: as fast as the machine goes).
    pace: usize,
}

/// Read and check every parameter of a t-SNE or SNE run.
fn parse(q: &Query) -> Checked<Run> {
    q.only(&KNOWN)?;
    let gaussian = q.choice("kernel", &["student", "gaussian"])? == "gaussian";
    let data = datasets::from_query(q, if gaussian { SNE_MAX_N } else { MAX_N })?;
    let n = data.len();
    let perplexity = q.f64_in("perplexity", 2.0..=100.0, 30.0)?;
    if perplexity >= (n - 1) as f64 {
        return Err(BadRequest(format!(
            "perplexity {perplexity} needs more than {} points (Perp < N − 1: a perplexity \
             is an effective number of neighbours); N = {n}",
            perplexity.ceil() + 1.0
        )));
    }
    let base = if gaussian { TSne::sne(2) } else { TSne::new(2) };
    let learning_rate = match q.raw("lr") {
        None | Some("auto") => base.learning_rate,
        Some(_) => LearningRate::Fixed(q.f64_in("lr", 1.0..=5000.0, 200.0)?),
    };
    let init = match q.choice("init", &["pca", "random"])? {
        "pca" => dimred::tsne::TsneInit::Pca,
        _ => dimred::tsne::TsneInit::Random {
            seed: q.usize_in("seed", 0..=1_000_000, 0)? as u64,
        },
    };
    let tsne = TSne {
        perplexity,
        learning_rate,
        init,
        early_exaggeration: q.f64_in("exaggeration", 1.0..=50.0, 12.0)?,
        exaggeration_iter: q.usize_in("exag_iter", 0..=1000, 250)?,
        max_iter: q.usize_in("iterations", 10..=3000, 1000)?,
        kl_every: KL_EVERY,
        ..base
    };
    let pace = q.usize_in("pace", 0..=2000, 0)?;
    Ok(Run { tsne, data, pace })
}

/// `GET /api/tsne?session=…&kernel=…&data=…&n=…&perplexity=…&lr=auto|η&exaggeration=…&
/// exag_iter=…&iterations=…&pace=…`: start the run, answer its id and drawing details.
pub fn handle(q: &Query) -> Checked<Value> {
    let session = jobs::session(q)?;
    let Run { tsne, data, pace } = parse(q)?;
    let n = data.len();
    let eta = tsne
        .resolved_learning_rate(n)
        .map_err(|e| BadRequest(e.to_string()))?;
    let reply = json!({
        "kernel": if tsne.kernel == dimred::tsne::LowDimKernel::Gaussian { "gaussian" } else { "student" },
        "data": data.name, "n": n, "dim": data.x.ncols(), "colour": datasets::colouring(&data),
        "learning_rate": eta, "method": format!("{:?}", tsne.resolved_method(n)),
        "exaggeration_iter": tsne.exaggeration_iter.min(tsne.max_iter),
        "iterations": tsne.max_iter, "perplexity": tsne.perplexity,
    });
    let job = jobs::registry().start(&session, move |job| run(job, &tsne, &data.x, pace))?;
    let mut reply = reply;
    reply["job"] = json!(job.id);
    Ok(reply)
}

/// The run itself: `fit_observed`, each iterate published to the page, at most `pace`
/// iterations per second when `pace` > 0.
fn run(job: &Job, tsne: &TSne, x: &Matrix, pace: usize) -> Result<Value, String> {
    let started = Instant::now();
    let pace = Pace::new(pace);
    let fit = tsne.fit_observed(x, &mut |e: &TsneIteration| {
        job.frame(e.iteration, &pace, |p| {
            Job::set_points(p, e.embedding.as_slice(), e.embedding.ncols());
            p.extra = json!({ "phase": phase_name(e.phase) });
            if let Some(kl) = e.kl {
                p.records.push(json!([e.iteration, kl]));
            }
        })
    });
    let fit = fit.map_err(|e| e.to_string())?;
    Ok(json!({
        "kl": fit.kl, "learning_rate": fit.learning_rate, "method": format!("{:?}", fit.method),
        "max_perplexity_error": fit.max_perplexity_error, "warnings": fit.warnings,
        "seconds": started.elapsed().as_secs_f64(),
    }))
}

fn phase_name(p: TsnePhase) -> &'static str {
    match p {
        TsnePhase::EarlyExaggeration => "early exaggeration",
        TsnePhase::Refinement => "refinement",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> Checked<Run> {
        parse(&Query::parse(s).unwrap())
    }

    #[test]
    fn parameters_become_the_tsne_configuration() {
        let r = parsed(
            "session=a&data=digits&n=300&perplexity=12.5&lr=150&exaggeration=4&exag_iter=100&\
             iterations=400&pace=50",
        )
        .unwrap();
        assert_eq!(r.data.len(), 300);
        assert_eq!(r.tsne.perplexity, 12.5);
        assert_eq!(r.tsne.learning_rate, LearningRate::Fixed(150.0));
        assert_eq!(r.tsne.early_exaggeration, 4.0);
        assert_eq!(
            (r.tsne.exaggeration_iter, r.tsne.max_iter, r.pace),
            (100, 400, 50)
        );
        assert_eq!(r.tsne.kernel, dimred::tsne::LowDimKernel::StudentT);
        // Defaults: scikit-learn's, and SNE's own learning-rate rule for the Gaussian kernel.
        let d = parsed("session=a&kernel=gaussian&data=blobs&n=100").unwrap();
        assert_eq!(d.tsne.learning_rate, LearningRate::AutoWithoutFloor);
        assert_eq!(d.tsne.kernel, dimred::tsne::LowDimKernel::Gaussian);
        assert_eq!((d.tsne.perplexity, d.tsne.max_iter), (30.0, 1000));
    }

    #[test]
    fn bad_parameters_are_refused_with_a_message() {
        for (bad, says) in [
            ("n=50&perplexity=60", "Perp < N − 1"),
            ("perplexity=abc", "not a number"),
            ("perplexity=1", "out of range"),
            ("lr=0", "out of range"),
            ("lr=fast", "not a number"),
            ("exaggeration=0.5", "out of range"),
            ("iterations=5", "out of range"),
            ("kernel=gaussian&n=1797&data=digits", "allowed 20 to 600"),
            ("n=5000&data=digits", "allowed 20 to 1797"),
            ("kernel=cauchy", "not one of"),
            ("theta=0.5", "unknown parameter"),
        ] {
            let e = parsed(&format!("session=a&{bad}")).err().unwrap();
            assert!(e.0.contains(says), "{bad}: {e}");
        }
        let e = handle(&Query::parse("data=iris").unwrap()).unwrap_err();
        assert!(e.0.contains("session"), "{e}");
    }

    /// The streamed frames are the library's iterates: the last frame equals the embedding
    /// the same configuration gives without an observer (dimred is deterministic), and the KL
    /// records are dimred's own KL history.
    #[test]
    fn the_last_frame_is_the_fit_and_the_records_its_kl_history() {
        let q = "session=test-tsne-live&data=blobs&n=120&perplexity=10&iterations=120&\
                 exag_iter=50";
        let reply = handle(&Query::parse(q).unwrap()).unwrap();
        assert_eq!(reply["exaggeration_iter"], 50);
        let id = reply["job"].as_u64().unwrap();
        let (mut after, mut records, mut last) = (0, Vec::new(), Value::Null);
        loop {
            let poll = format!("id={id}&after={after}&have={}", records.len());
            let v = jobs::poll(&Query::parse(&poll).unwrap()).unwrap();
            records.extend(v["records"].as_array().unwrap().iter().cloned());
            after = v["seq"].as_u64().unwrap();
            if !v["points"].is_null() {
                last = v["points"].clone();
            }
            if v["done"] == true {
                assert_eq!(v["error"], Value::Null, "{v}");
                break;
            }
        }
        let Run { tsne, data, .. } = parsed(q).unwrap();
        let fit = tsne.fit(&data.x).unwrap();
        let kl: Vec<(usize, f64)> = records
            .iter()
            .map(|r| (r[0].as_u64().unwrap() as usize, r[1].as_f64().unwrap()))
            .collect();
        assert_eq!(kl, fit.kl_history);
        assert_eq!(kl.len(), 120 / KL_EVERY + 1);
        let last = last.as_array().unwrap();
        assert_eq!(last.len(), 120);
        for (i, p) in last.iter().enumerate() {
            for k in 0..2 {
                // The frame carries f32: equal to the f64 iterate up to f32 rounding.
                let (got, want) = (p[k].as_f64().unwrap(), fit.embedding[(i, k)]);
                assert!(
                    (got - want).abs() <= f64::from(f32::EPSILON) * want.abs(),
                    "point {i}: {got} vs {want}"
                );
            }
        }
    }
}
