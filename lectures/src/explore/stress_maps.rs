//! Page 5, metric MDS by SMACOF and sketch-map, live (`dr.mds.stress`, `dr.sketchmap.stress`):
//! the stress falling step by step while the configuration moves, with dimred's own
//! `Smacof::fit_points_observed` and `SketchMap::fit_observed`.
//!
//! SMACOF publishes every Guttman transform's configuration of all N points and its raw
//! stress. Sketch-map optimises the landmarks only (L-BFGS on the weighted landmark stress),
//! so its frames are the L landmarks, coloured through their row indices
//! (`SketchMap::landmarks`); when the landmarks have settled, the other points are placed
//! against them and the last frame shows all N. Its σ is given as a multiple of the median
//! distance between the landmarks (dimred's default σ, the multiple 1), because a σ in the
//! data's units means nothing until one knows the data's scale.

use super::datasets;
use super::jobs::{self, Job, Pace};
use super::params::{Checked, Query};
use dimred::sketchmap::{SketchMap, SketchMapIteration};
use dimred::smacof::{Smacof, SmacofInit, SmacofIteration};
use linalg::observe::ControlFlow;
use linalg::Matrix;
use serde_json::{json, Value};
use std::time::Instant;

/// Largest N (SMACOF's Guttman transform costs O(N²) per iteration).
pub const MAX_N: usize = 1000;
/// Most sketch-map landmarks.
pub const MAX_LANDMARKS: usize = 400;

const KNOWN: [&str; 11] = [
    "session",
    "method",
    "data",
    "n",
    "noise",
    "seed",
    "init",
    "iterations",
    "sigma",
    "landmarks",
    "pace",
];

/// `GET /api/stress?session=…&method=smacof|sketchmap&data=…&n=…&init=random|mds&
/// iterations=…&sigma=…&landmarks=…&pace=…`: start the run; answer its id and colours (and for
/// sketch-map the landmarks' rows and σ).
pub fn handle(q: &Query) -> Checked<Value> {
    let session = jobs::session(q)?;
    q.only(&KNOWN)?;
    let method = q.choice("method", &["smacof", "sketchmap"])?;
    let data = datasets::from_query(q, MAX_N)?;
    let seed = q.usize_in("seed", 0..=1_000_000, 0)? as u64;
    let iterations = q.usize_in("iterations", 1..=2000, 300)?;
    let pace = q.usize_in("pace", 0..=1000, 0)?;
    let mut reply = json!({
        "method": method, "data": data.name, "n": data.len(), "dim": data.x.ncols(),
        "colour": datasets::colouring(&data), "iterations": iterations,
    });
    let x = data.x;
    let job = if method == "smacof" {
        let init = match q.choice("init", &["random", "mds"])? {
            "random" => SmacofInit::Random { seed },
            _ => SmacofInit::ClassicalMds,
        };
        let smacof = Smacof {
            max_iter: iterations,
            init,
            ..Smacof::new(2)
        };
        jobs::registry().start(&session, move |job| run_smacof(job, &smacof, &x, pace))?
    } else {
        let sm = SketchMap {
            n_landmarks: q.usize_in("landmarks", 3..=MAX_LANDMARKS, 100)?,
            max_iter: iterations,
            ..SketchMap::new(2)
        };
        let (landmarks, median) = sm.landmarks(&x);
        let sigma = q.f64_in("sigma", 0.05..=20.0, 1.0)? * median;
        let sm = SketchMap {
            sigma: Some(sigma),
            ..sm
        };
        reply["landmarks"] = json!(landmarks);
        reply["sigma"] = json!(sigma);
        reply["median_landmark_distance"] = json!(median);
        jobs::registry().start(&session, move |job| run_sketchmap(job, &sm, &x, pace))?
    };
    reply["job"] = json!(job.id);
    Ok(reply)
}

/// Publish one step: its points and its stress.
fn step(job: &Job, k: usize, stress: f64, points: &[f64], pace: &Pace) -> ControlFlow<()> {
    job.frame(k, pace, |p| {
        Job::set_points(p, points, 2);
        p.extra = json!({ "all": false });
        p.records.push(json!([k, stress]));
    })
}

/// SMACOF with every configuration published.
fn run_smacof(job: &Job, smacof: &Smacof, x: &Matrix, pace: usize) -> Result<Value, String> {
    let (t0, pace) = (Instant::now(), Pace::new(pace));
    let fit = smacof
        .fit_points_observed(x, &mut |e: &SmacofIteration| {
            step(job, e.iteration, e.stress, e.embedding.as_slice(), &pace)
        })
        .map_err(|e| e.to_string())?;
    Ok(json!({
        "stress": fit.stress, "iterations": fit.iterations, "converged": fit.converged,
        "seconds": t0.elapsed().as_secs_f64(),
    }))
}

/// Sketch-map with every landmark configuration published, then all N points.
fn run_sketchmap(job: &Job, sm: &SketchMap, x: &Matrix, pace: usize) -> Result<Value, String> {
    let (t0, pace) = (Instant::now(), Pace::new(pace));
    let fit = sm
        .fit_observed(x, &mut |e: &SketchMapIteration| {
            step(job, e.iteration, e.stress, e.landmark_coordinates, &pace)
        })
        .map_err(|e| e.to_string())?;
    job.publish(|p| {
        Job::set_points(p, fit.embedding.as_slice(), 2);
        p.extra = json!({ "all": true });
    });
    Ok(json!({
        "stress": fit.stress_history.last(), "iterations": fit.stress_history.len() - 1,
        "sigma": fit.sigma, "seconds": t0.elapsed().as_secs_f64(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::parse(s).unwrap()
    }

    /// Poll run `job` to its end: (every record, the last points, the last reply).
    fn follow(job: u64) -> (Vec<Value>, Value, Value) {
        let (mut after, mut records, mut points) = (0, Vec::new(), Value::Null);
        loop {
            let poll = format!("id={job}&after={after}&have={}", records.len());
            let v = jobs::poll(&q(&poll)).unwrap();
            records.extend(v["records"].as_array().unwrap().iter().cloned());
            after = v["seq"].as_u64().unwrap();
            if !v["points"].is_null() {
                points = v["points"].clone();
            }
            if v["done"] == true {
                return (records, points, v);
            }
        }
    }

    /// The streamed stresses are SMACOF's own history, which majorisation keeps from rising,
    /// and the last frame is its configuration.
    #[test]
    fn smacof_streams_its_stress_history_and_configurations() {
        let s = "session=test-smacof&method=smacof&data=blobs&n=80&init=random&iterations=60";
        let reply = handle(&q(s)).unwrap();
        let (records, points, last) = follow(reply["job"].as_u64().unwrap());
        assert_eq!(last["error"], Value::Null, "{last}");
        let fit = Smacof {
            max_iter: 60,
            init: SmacofInit::Random { seed: 0 },
            ..Smacof::new(2)
        }
        .fit_points(
            &datasets::from_query(&q("data=blobs&n=80"), MAX_N)
                .unwrap()
                .x,
        )
        .unwrap();
        let stress: Vec<f64> = records.iter().map(|r| r[1].as_f64().unwrap()).collect();
        assert_eq!(stress, fit.stress_history);
        assert_eq!(points.as_array().unwrap().len(), 80);
        let y = points[79][1].as_f64().unwrap();
        // f32 in the frame: equal to the f64 coordinate up to f32 rounding.
        assert!((y - fit.embedding[(79, 1)]).abs() <= f64::from(f32::EPSILON) * y.abs());
    }

    /// Sketch-map streams the landmarks (as many points as landmarks, its stress never
    /// rising: Armijo steps), then all N points.
    #[test]
    fn sketchmap_streams_landmarks_then_every_point() {
        let s = "session=test-sketchmap&method=sketchmap&data=blobs&n=120&landmarks=30&\
                 iterations=40&sigma=0.5";
        let reply = handle(&q(s)).unwrap();
        assert_eq!(reply["landmarks"].as_array().unwrap().len(), 30);
        let median = reply["median_landmark_distance"].as_f64().unwrap();
        assert_eq!(reply["sigma"].as_f64().unwrap(), 0.5 * median);
        let (records, points, last) = follow(reply["job"].as_u64().unwrap());
        assert_eq!(last["error"], Value::Null, "{last}");
        assert!(records.len() > 2);
        let stress: Vec<f64> = records.iter().map(|r| r[1].as_f64().unwrap()).collect();
        assert!(stress.windows(2).all(|w| w[1] < w[0]), "{stress:?}");
        assert_eq!(points.as_array().unwrap().len(), 120);
    }

    #[test]
    fn bad_parameters_are_refused_with_a_message() {
        for (bad, says) in [
            ("method=lle", "not one of"),
            ("n=5000", "out of range"),
            ("iterations=0", "out of range"),
            ("method=sketchmap&landmarks=2", "out of range"),
            ("method=sketchmap&sigma=0", "out of range"),
            ("init=pca", "not one of"),
            ("tol=1", "unknown parameter"),
        ] {
            let e = handle(&q(&format!("session=t&{bad}"))).unwrap_err();
            assert!(e.0.contains(says), "{bad}: {e}");
        }
    }
}
