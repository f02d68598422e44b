//! What can go wrong in a backward sweep that depends on the data or on which node the caller
//! chose (shape mistakes while building the graph are programming errors and panic instead).

use std::fmt;

/// A failure of [`Tape::backward`](crate::Tape::backward) or of the gradient checker.
#[derive(Debug, Clone, PartialEq)]
pub enum AutodiffError {
    /// Backward needs a scalar (1x1) output: the gradient of a matrix-valued output is a
    /// Jacobian, which reverse mode does not build. Reduce it first (`sum`, `mean`, a loss).
    NotScalar {
        /// Which node was passed.
        node: usize,
        /// Its number of rows.
        rows: usize,
        /// Its number of columns.
        cols: usize,
    },
    /// The output depends on no parameter (`Tape::param`): there is nothing to differentiate.
    NoParameters {
        /// Which node was passed.
        node: usize,
    },
    /// A forward value is NaN or infinite (for example `log` of 0, `sqrt` of a negative number,
    /// `exp` of a large number). Reported for the first such node in forward order.
    NonFiniteValue {
        /// The node whose value is not finite.
        node: usize,
        /// The operation that produced it.
        op: &'static str,
        /// The first non-finite entry, row-major order.
        at: (usize, usize),
        /// Its value.
        value: f64,
    },
    /// The forward pass is finite but a gradient is not: some operation's derivative is
    /// infinite at its input (`sqrt` at 0, `log` at 0, `powi` with a negative exponent at 0).
    /// Reported for the node nearest the output whose gradient is not finite.
    NonFiniteGradient {
        /// The node whose gradient is not finite.
        node: usize,
        /// The operation that produced that node.
        op: &'static str,
        /// The first non-finite entry, row-major order.
        at: (usize, usize),
        /// Its value.
        value: f64,
    },
}

impl fmt::Display for AutodiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutodiffError::NotScalar { node, rows, cols } => write!(
                f,
                "backward needs a scalar (1x1) output, but node v{node} is {rows}x{cols}; \
                 reduce it first with sum, mean or a loss"
            ),
            AutodiffError::NoParameters { node } => write!(
                f,
                "node v{node} depends on no parameter (Tape::param), so it has no gradient to compute"
            ),
            AutodiffError::NonFiniteValue {
                node,
                op,
                at,
                value,
            } => write!(
                f,
                "the forward value of node v{node} ({op}) is {value} at entry ({}, {}); \
                 the loss and its gradient would be meaningless",
                at.0, at.1
            ),
            AutodiffError::NonFiniteGradient {
                node,
                op,
                at,
                value,
            } => write!(
                f,
                "the gradient reaching node v{node} ({op}) is {value} at entry ({}, {}): an \
                 operation that uses v{node} has an infinite derivative there \
                 (sqrt or log at 0, powi with a negative exponent at 0)",
                at.0, at.1
            ),
        }
    }
}

impl std::error::Error for AutodiffError {}
