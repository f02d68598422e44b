//! One loader by name for every command: a built-in set, a generator with its parameters, or
//! a CSV file. The `dimred` command and `lectures` reach their data through [`load_source`],
//! so a name means the same data, with the same defaults, everywhere.

use super::{
    blobs, circles, load, noisy_circle, read_csv_file, s_curve, swiss_roll, CsvOptions, Dataset,
    BUILTIN,
};
use crate::error::{DimredError, Result};
use std::path::PathBuf;

/// The generators [`generate`] knows, with what their parameters mean.
pub const GENERATORS: &[(&str, &str)] = &[
    (
        "swiss_roll",
        "a 2-D sheet rolled up in 3-D; noise = std of Gaussian noise on each coordinate",
    ),
    (
        "s_curve",
        "a 2-D sheet bent into an S in 3-D; noise = std of Gaussian noise",
    ),
    (
        "blobs",
        "4 Gaussian clusters in 10-D; cluster std = 1 + noise",
    ),
    (
        "circles",
        "two concentric circles in 2-D (radius ratio 0.5); noise = std of Gaussian noise",
    ),
    (
        "noisy_circle",
        "one circle in 2-D; noise = std of Gaussian noise",
    ),
];

/// Default number of samples of a generated set.
pub const DEFAULT_N_SAMPLES: usize = 1000;

/// Default noise of a generated set: none. The generators then draw the exact manifold
/// (scikit-learn's `make_swiss_roll` and `make_s_curve` default to no noise too), and noise is
/// something a user asks for, never something a command adds silently.
pub const DEFAULT_NOISE: f64 = 0.0;

/// Where a data set comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// A built-in set ([`BUILTIN`]) or a generator ([`GENERATORS`]) by name; the generator
    /// parameters are ignored by the built-in sets.
    Named {
        /// The name (`-` and `_` are interchangeable: `swiss-roll` is `swiss_roll`).
        name: String,
        /// Number of samples of a generator.
        n_samples: usize,
        /// Noise of a generator (see [`GENERATORS`]).
        noise: f64,
        /// Seed of a generator: same seed, same data.
        seed: u64,
    },
    /// A CSV file.
    Csv {
        /// Its path.
        path: PathBuf,
        /// How to read it.
        options: CsvOptions,
    },
}

/// Load the data a [`DataSource`] names.
///
/// ```
/// use dimred::data::{load_source, DataSource};
/// let roll = load_source(&DataSource::Named {
///     name: "swiss-roll".into(), n_samples: 200, noise: 0.0, seed: 1,
/// }).unwrap();
/// assert_eq!(roll.x.shape(), (200, 3));
/// ```
///
/// # Errors
/// `InvalidArgument` for an unknown name (listing the known ones) or a bad noise; the CSV
/// reader's errors for a file.
pub fn load_source(source: &DataSource) -> Result<Dataset> {
    match source {
        DataSource::Csv { path, options } => read_csv_file(path, options),
        DataSource::Named {
            name,
            n_samples,
            noise,
            seed,
        } => {
            let name = name.replace('-', "_");
            if BUILTIN.iter().any(|(b, _)| *b == name) {
                return load(&name);
            }
            generate(&name, *n_samples, *noise, *seed)
        }
    }
}

/// Generate `n` samples of the generator `name` (see [`GENERATORS`]).
///
/// # Errors
/// `InvalidArgument` for an unknown name (listing built-in sets and generators) or a noise
/// that is not a finite standard deviation ≥ 0.
pub fn generate(name: &str, n: usize, noise: f64, seed: u64) -> Result<Dataset> {
    if !(noise >= 0.0 && noise.is_finite()) {
        // The generators multiply N(0, 1) draws by it: NaN or inf would fill the data.
        return Err(DimredError::InvalidArgument(format!(
            "--noise is a standard deviation: it must be finite and ≥ 0, got {noise}"
        )));
    }
    Ok(match name {
        "swiss_roll" => swiss_roll(n, noise, seed),
        "s_curve" => s_curve(n, noise, seed),
        "blobs" => blobs(n, 4, 10, 1.0 + noise, seed),
        "circles" => circles(n, 0.5, noise, seed),
        "noisy_circle" => noisy_circle(n, noise, seed),
        other => {
            let builtin: Vec<&str> = BUILTIN.iter().map(|(b, _)| *b).collect();
            let generated: Vec<&str> = GENERATORS.iter().map(|(g, _)| *g).collect();
            return Err(DimredError::InvalidArgument(format!(
                "no data set \"{other}\"; built in: {}; generated: {}",
                builtin.join(", "),
                generated.join(", ")
            )));
        }
    })
}
