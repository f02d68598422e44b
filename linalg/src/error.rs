//! Errors that depend on the data (as opposed to shape mistakes, which panic).

use std::fmt;

/// A failure of a linear-algebra routine that depends on the values of its input.
///
/// Shape mismatches are programming errors and panic (documented under `# Panics`);
/// everything here can happen to correct code on unlucky data, so it is a `Result`.
#[derive(Debug, Clone, PartialEq)]
pub enum LinalgError {
    /// The routine needs a square matrix.
    NotSquare {
        /// Number of rows received.
        rows: usize,
        /// Number of columns received.
        cols: usize,
    },
    /// The matrix is not symmetric beyond the stated tolerance.
    NotSymmetric {
        /// Largest |a_ij - a_ji| found.
        max_asymmetry: f64,
        /// Where it was found, (i, j) with i < j.
        at: (usize, usize),
        /// The tolerance it exceeded (relative to the largest |a_ij|).
        tolerance: f64,
    },
    /// An entry is NaN or infinite.
    NonFinite {
        /// The first non-finite entry, row-major order.
        at: (usize, usize),
        /// Its value.
        value: f64,
    },
    /// An iterative method stopped before meeting its convergence test.
    NoConvergence {
        /// Which method.
        method: &'static str,
        /// Iterations (sweeps for Jacobi) performed.
        iterations: usize,
        /// What was left: the off-norm for Jacobi, the largest residual for iterative solvers.
        residual: f64,
    },
    /// The observer of an iterative method asked it to stop (see [`crate::observe`]).
    Stopped {
        /// Which method.
        method: &'static str,
        /// The step (sweep, restart) after which it stopped.
        iteration: usize,
    },
    /// A Cholesky factorisation met a non-positive pivot.
    NotPositiveDefinite {
        /// The pivot index.
        pivot: usize,
        /// The value that should have been positive.
        value: f64,
    },
    /// An argument is out of its valid range (for example k > n).
    InvalidArgument(String),
}

impl fmt::Display for LinalgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinalgError::NotSquare { rows, cols } => {
                write!(f, "matrix must be square, got {rows}x{cols}")
            }
            LinalgError::NotSymmetric {
                max_asymmetry,
                at,
                tolerance,
            } => write!(
                f,
                "matrix is not symmetric: |a[{i}][{j}] - a[{j}][{i}]| = {max_asymmetry:e} exceeds \
                 the tolerance {tolerance:e}; symmetrise it with (A + A^T)/2 if the asymmetry is rounding",
                i = at.0,
                j = at.1
            ),
            LinalgError::NonFinite { at, value } => {
                write!(f, "matrix entry ({}, {}) is {value}; all entries must be finite", at.0, at.1)
            }
            LinalgError::Stopped { method, iteration } => {
                write!(f, "{method} was stopped by its observer after step {iteration}")
            }
            LinalgError::NoConvergence {
                method,
                iterations,
                residual,
            } => write!(
                f,
                "{method} did not converge after {iterations} iterations (residual left: {residual:e})"
            ),
            LinalgError::NotPositiveDefinite { pivot, value } => write!(
                f,
                "matrix is not positive definite: pivot {pivot} is {value:e}"
            ),
            LinalgError::InvalidArgument(msg) => write!(f, "invalid argument: {msg}"),
        }
    }
}

impl std::error::Error for LinalgError {}
