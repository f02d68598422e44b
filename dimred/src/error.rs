//! The errors of dimension reduction that depend on the data (shape mistakes panic instead).

use linalg::LinalgError;
use std::fmt;

/// A failure that correct code can meet on unlucky data or input files.
#[derive(Debug, Clone, PartialEq)]
pub enum DimredError {
    /// A linear-algebra routine failed (no convergence, non-finite entries, ...).
    Linalg(LinalgError),
    /// The neighbour graph of Isomap falls apart: geodesic distances between components are
    /// infinite, so no embedding of all points exists (`dr.isomap.geodesic`). Also the
    /// kernel graph of diffusion maps when exp(-Δ²/ε) underflows to 0 between groups.
    DisconnectedGraph {
        /// Sizes of the connected components, largest first.
        component_sizes: Vec<usize>,
        /// What the graph was built from, e.g. "k = 5 nearest neighbours".
        neighbourhood: String,
    },
    /// A parameter is outside its valid range (the message says which and why).
    InvalidArgument(String),
    /// A CSV file could not be read as numbers.
    Csv {
        /// 1-based line number in the file.
        line: usize,
        /// 1-based column number, when the problem is one field.
        column: Option<usize>,
        /// The column's header name, when there is a header.
        column_name: Option<String>,
        /// What went wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    Io(String),
    /// The observer of an iterative method asked it to stop (see [`crate::observe`]): the run
    /// was cancelled, not converged.
    Stopped {
        /// Which method.
        method: &'static str,
        /// The step (iteration, block of rows) after which it stopped.
        iteration: usize,
    },
}

impl fmt::Display for DimredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DimredError::Linalg(e) => write!(f, "{e}"),
            DimredError::DisconnectedGraph {
                component_sizes,
                neighbourhood,
            } => {
                let sizes: Vec<String> = component_sizes.iter().map(|s| s.to_string()).collect();
                write!(
                    f,
                    "the neighbour graph ({neighbourhood}) has {} connected components of sizes \
                     [{}]; geodesic distances between them are infinite. Use more neighbours \
                     (a larger k or ε) so that the graph is connected, or embed each component \
                     separately",
                    component_sizes.len(),
                    sizes.join(", ")
                )
            }
            DimredError::InvalidArgument(m) => write!(f, "invalid argument: {m}"),
            DimredError::Csv {
                line,
                column,
                column_name,
                message,
            } => {
                write!(f, "CSV line {line}")?;
                if let Some(c) = column {
                    write!(f, ", column {c}")?;
                }
                if let Some(n) = column_name {
                    write!(f, " (\"{n}\")")?;
                }
                write!(f, ": {message}")
            }
            DimredError::Io(m) => write!(f, "{m}"),
            DimredError::Stopped { method, iteration } => {
                write!(
                    f,
                    "{method} was stopped by its observer after step {iteration}"
                )
            }
        }
    }
}

impl std::error::Error for DimredError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DimredError::Linalg(e) => Some(e),
            _ => None,
        }
    }
}

impl From<LinalgError> for DimredError {
    fn from(e: LinalgError) -> Self {
        DimredError::Linalg(e)
    }
}

/// The check every method makes on its input before anything else: the first NaN or ±∞ entry
/// of `x`, if any, as `Linalg(NonFinite)` naming its row, column and value.
///
/// # Errors
/// `Linalg(LinalgError::NonFinite)` when some entry is not finite.
pub fn check_finite(x: &linalg::Matrix) -> Result<()> {
    match x.find_non_finite() {
        Some((at, value)) => Err(LinalgError::NonFinite { at, value }.into()),
        None => Ok(()),
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, DimredError>;
