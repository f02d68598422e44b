//! Data: seeded generators of the classic manifolds, the built-in digits and iris sets, and a
//! CSV reader and writer for users' own data. Everything produces a [`Dataset`]; [`named`]
//! picks one of them by name for the commands.

pub mod builtin;
pub mod csv;
pub mod generators;
pub mod named;

use linalg::Matrix;

pub use builtin::{load, BUILTIN};
pub use csv::{read_csv, read_csv_file, write_csv, CsvOptions};
pub use generators::{blobs, circles, noisy_circle, s_curve, swiss_roll};
pub use named::{generate, load_source, DataSource, GENERATORS};

/// A data matrix with what is known about its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Where it came from ("iris", "swiss_roll", a file name).
    pub name: String,
    /// N x D, one sample per row.
    pub x: Matrix,
    /// One name per column of `x`.
    pub feature_names: Vec<String>,
    /// A class label per row (for colouring plots), if the data have classes.
    pub labels: Option<Vec<String>>,
    /// The true manifold coordinate per row, if the data were generated on one (the swiss
    /// roll's angle t, the circle's angle θ): the yardstick for "did it unroll?".
    pub parameter: Option<Vec<f64>>,
}

impl Dataset {
    /// Number of samples N.
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.x.nrows() == 0
    }

    /// The first `n` rows (or all, if there are fewer): a quick way to subsample the
    /// built-in sets for tests and demos.
    pub fn head(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        let idx: Vec<usize> = (0..n).collect();
        Dataset {
            name: self.name.clone(),
            x: self.x.select_rows(&idx),
            feature_names: self.feature_names.clone(),
            labels: self.labels.as_ref().map(|l| l[..n].to_vec()),
            parameter: self.parameter.as_ref().map(|p| p[..n].to_vec()),
        }
    }
}

/// Default column names x0, x1, ... for generated data.
pub(crate) fn numbered_names(prefix: &str, d: usize) -> Vec<String> {
    (0..d).map(|j| format!("{prefix}{j}")).collect()
}
