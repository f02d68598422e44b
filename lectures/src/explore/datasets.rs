//! The data sets the pages offer: the built-in digits and iris (parsed once and kept), and the
//! seeded generators (swiss roll, s-curve, circles, blobs), all from `dimred::data`.

use super::params::{BadRequest, Checked, Query};
use dimred::data::{self, Dataset};
use std::sync::{Arc, OnceLock};

/// The names the pages may ask for.
pub const NAMES: [&str; 6] = [
    "swiss_roll",
    "s_curve",
    "circles",
    "blobs",
    "iris",
    "digits",
];

/// A built-in data set, parsed on first use and shared afterwards.
pub fn builtin(name: &str) -> Checked<Arc<Dataset>> {
    static DIGITS: OnceLock<Arc<Dataset>> = OnceLock::new();
    static IRIS: OnceLock<Arc<Dataset>> = OnceLock::new();
    let cell = match name {
        "digits" => &DIGITS,
        "iris" => &IRIS,
        _ => return Err(BadRequest(format!("no built-in data set `{name}`"))),
    };
    if let Some(d) = cell.get() {
        return Ok(d.clone());
    }
    let d = Arc::new(data::load(name).map_err(|e| BadRequest(e.to_string()))?);
    Ok(cell.get_or_init(|| d).clone())
}

/// The data set named by `data=` with `n=` points (at most `max_n`), `noise=` and `seed=`.
/// Built-in sets take their first n rows (iris has 150).
pub fn from_query(q: &Query, max_n: usize) -> Checked<Dataset> {
    let name = q.choice("data", &NAMES)?;
    let n = q.usize_in("n", 20..=max_n, 500.min(max_n))?;
    let seed = q.usize_in("seed", 0..=1_000_000, 0)? as u64;
    let noise = q.f64_in("noise", 0.0..=2.0, 0.05)?;
    Ok(match name {
        "swiss_roll" => data::swiss_roll(n, noise, seed),
        "s_curve" => data::s_curve(n, noise, seed),
        "circles" => data::circles(n, 0.5, noise, seed),
        "blobs" => data::blobs(n, 4, 3, 1.0 + 4.0 * noise, seed),
        builtin_name => builtin(builtin_name)?.head(n),
    })
}

/// What colours the points: class labels (as small integers) or the manifold coordinate.
pub fn colouring(d: &Dataset) -> serde_json::Value {
    if let Some(labels) = &d.labels {
        let mut names: Vec<&String> = labels.iter().collect();
        names.sort();
        names.dedup();
        let ids: Vec<usize> = labels
            .iter()
            .map(|l| names.binary_search(&l).unwrap_or(0))
            .collect();
        serde_json::json!({"classes": ids, "names": names})
    } else if let Some(t) = &d.parameter {
        serde_json::json!({"values": t})
    } else {
        serde_json::json!({})
    }
}
