//! The shared flags, as clap `#[derive(Args)]` structs.

use crate::data::named::{DEFAULT_NOISE, DEFAULT_N_SAMPLES};
use crate::data::{load_source, CsvOptions, DataSource, Dataset};
use crate::error::Result;
use std::path::PathBuf;

/// Which data: a name (built-in or generated) or a CSV file, with the generators' parameters.
#[derive(clap::Args, Debug, Clone, PartialEq)]
pub struct DataArgs {
    /// A built-in data set: digits, iris (shipped), or a generated one: swiss_roll, s_curve,
    /// blobs, circles, noisy_circle [default: the command's, iris for `dimred`].
    #[arg(long, value_name = "NAME", conflicts_with = "input", alias = "data")]
    pub dataset: Option<String>,

    /// A CSV file with one sample per row. A header is detected; every column except the
    /// label column must be numeric. Lines starting with `#` are comments.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Name of the CSV column holding class labels (used for colours, not as a feature).
    #[arg(long, value_name = "NAME", requires = "input", alias = "label")]
    pub label_column: Option<String>,

    /// Field separator of the CSV file: one character, or `tab` (also `\t` as typed).
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: char,

    /// CSV: remove spaces around every field, labels and header names included (fields are
    /// taken as written otherwise).
    #[arg(long)]
    pub trim: bool,

    /// Generated data sets: number of samples.
    #[arg(long, default_value_t = DEFAULT_N_SAMPLES, alias = "n")]
    pub n_samples: usize,

    /// Generated data sets: standard deviation of the Gaussian noise added (none by default:
    /// the exact manifold).
    #[arg(long, default_value_t = DEFAULT_NOISE)]
    pub noise: f64,

    /// Seed of the generated data sets (same seed, same data).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

impl DataArgs {
    /// The data source these flags name; `default` is the data set when neither `--dataset`
    /// nor `--input` is given (each command picks its own).
    pub fn source(&self, default: &str) -> DataSource {
        match &self.input {
            Some(path) => DataSource::Csv {
                path: path.clone(),
                options: CsvOptions {
                    delimiter: self.delimiter,
                    label_column: self.label_column.clone(),
                    header: None,
                    trim: self.trim,
                },
            },
            None => DataSource::Named {
                name: self.dataset.clone().unwrap_or_else(|| default.into()),
                n_samples: self.n_samples,
                noise: self.noise,
                seed: self.seed,
            },
        }
    }

    /// Load the data (`default` as in [`DataArgs::source`]).
    ///
    /// # Errors
    /// As [`load_source`].
    pub fn load(&self, default: &str) -> Result<Dataset> {
        load_source(&self.source(default))
    }
}

/// The dimension of the result: `-d/--dimensions` (embedding or code size).
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct DimensionsArgs {
    /// Number of dimensions of the embedding (or of the code).
    #[arg(short = 'd', long, default_value_t = 2, alias = "dim")]
    pub dimensions: usize,
}

/// Where the result goes: `-o/--output`.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct OutputArgs {
    /// Write the result here (`dimred`: the embedding as CSV, columns y1..yd, then the label
    /// if there is one).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One character, or a tab given as `tab` or as the two characters `\t` (a shell passes
/// '\t' literally, and a real tab is awkward to type).
///
/// # Errors
/// A message for the quote character or more than one character.
pub fn parse_delimiter(s: &str) -> std::result::Result<char, String> {
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
