//! Helpers shared by the exercise tests (`lectures/tests/exercises/exNN_*.rs`, one test target
//! per exercise; each includes this module).
//!
//! Rules the tests keep:
//! - properties over random inputs (proptest), checked against the library (linalg, dimred,
//!   nn, autodiff) as an oracle or against an identity the answer must satisfy, so neither a
//!   constant nor a hard-coded answer can pass;
//! - never another exercise's function: each exercise stands alone;
//! - tolerances from the number of rounded operations times ε, with the reason beside them;
//! - inputs drawn as concrete, short numbers ([`matrix`], [`symmetric`], [`points`]) that
//!   print exactly ([`M`]), so that a failure shows the input a student can paste;
//! - messages in plain words, since `lectures exercises check` shows them to the student.
#![allow(dead_code)] // each exercise's tests use a few of these helpers

use std::fmt;
use std::ops::Deref;

#[allow(unused_imports)] // used by the autodiff exercises
pub use autodiff::Tape;
pub use linalg::Matrix;
#[allow(unused_imports)]
pub use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Machine epsilon.
pub const EPS: f64 = f64::EPSILON;

/// Modest case counts (CI runs on two cores); no regression files written next to the tests
/// (a failing stub would otherwise leave one behind); enough shrinking to reach a small input.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        max_shrink_iters: 256,
        ..ProptestConfig::with_cases(32)
    }
}

/// A matrix that prints as its rows, `[[1.25, -3], [0.5, 2]]`, with every entry exact (Rust's
/// shortest round-trip form), so a failing input can be pasted into `Matrix::from_rows`.
#[derive(Clone, PartialEq)]
pub struct M(pub Matrix);

impl Deref for M {
    type Target = Matrix;
    fn deref(&self) -> &Matrix {
        &self.0
    }
}

impl fmt::Debug for M {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, row) in self.0.rows().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "[")?;
            for (j, v) in row.iter().enumerate() {
                if j > 0 {
                    write!(f, ", ")?;
                }
                write!(f, "{v}")?;
            }
            write!(f, "]")?;
        }
        write!(f, "]")
    }
}

/// An entry: a multiple of 1/8 in [−lim, lim], exact in binary and short in decimal; shrinks
/// towards 0.
pub fn entry(lim: f64) -> impl Strategy<Value = f64> + Clone {
    let k = (8.0 * lim) as i64;
    (-k..=k).prop_map(|v| v as f64 / 8.0)
}

/// A `rows × cols` matrix of [`entry`] values (shrinks entries towards 0).
pub fn matrix_of(rows: usize, cols: usize, lim: f64) -> impl Strategy<Value = M> {
    proptest::collection::vec(entry(lim), rows * cols)
        .prop_map(move |v| M(Matrix::from_vec(rows, cols, v)))
}

/// A matrix with rows in `rows` and columns in `cols` (shrinks the shape, then the entries).
pub fn matrix(
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    lim: f64,
) -> impl Strategy<Value = M> {
    (rows, cols).prop_flat_map(move |(r, c)| matrix_of(r, c, lim))
}

/// A symmetric `n × n` matrix, n in `n`, entries multiples of 1/8 in [−lim, lim].
pub fn symmetric(n: std::ops::Range<usize>, lim: f64) -> impl Strategy<Value = M> {
    n.prop_flat_map(move |n| {
        proptest::collection::vec(entry(lim), n * (n + 1) / 2).prop_map(move |v| {
            let mut a = Matrix::zeros(n, n);
            let mut k = 0;
            for i in 0..n {
                for j in 0..=i {
                    a[(i, j)] = v[k];
                    a[(j, i)] = v[k];
                    k += 1;
                }
            }
            M(a)
        })
    })
}

/// N points in `dim` dimensions (rows), N in `n`, coordinates multiples of 1/8 in [−lim, lim].
pub fn points(n: std::ops::Range<usize>, dim: usize, lim: f64) -> impl Strategy<Value = M> {
    n.prop_flat_map(move |n| matrix_of(n, dim, lim))
}

/// Points whose columns have different spreads and non-zero means (so that centring and the
/// order of the principal directions matter): column j is (j + 1)·z + 3 − j.
pub fn spread_points(
    n: std::ops::Range<usize>,
    dim: std::ops::Range<usize>,
) -> impl Strategy<Value = M> {
    (n, dim).prop_flat_map(|(n, dim)| {
        matrix_of(n, dim, 2.0).prop_map(move |z| {
            M(Matrix::from_fn(n, dim, |i, j| {
                (j + 1) as f64 * z[(i, j)] + 3.0 - j as f64
            }))
        })
    })
}

/// Whether the points are pairwise distinct (squared distances above `min_sq`).
pub fn distinct(x: &Matrix, min_sq: f64) -> bool {
    let d = x.pairwise_sq_distances();
    (0..x.nrows()).all(|i| (0..i).all(|j| d[(i, j)] > min_sq))
}

/// Entry-wise comparison with a message that names the worst entry.
pub fn close(what: &str, got: &Matrix, want: &Matrix, tol: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        got.shape() == want.shape(),
        "{} has shape {:?} but should have shape {:?}",
        what,
        got.shape(),
        want.shape()
    );
    let (mut worst, mut at) = (0.0f64, (0, 0));
    for i in 0..got.nrows() {
        for j in 0..got.ncols() {
            let e = (got[(i, j)] - want[(i, j)]).abs();
            // A NaN is the worst possible error.
            let e = if e.is_nan() { f64::INFINITY } else { e };
            if e > worst {
                worst = e;
                at = (i, j);
            }
        }
    }
    prop_assert!(
        worst <= tol,
        "{} entry {:?} is {} but should be {} (off by {:.2e}, allowed {:.2e})\n  yours:    {:?}\n  expected: {:?}",
        what,
        at,
        got[at],
        want[at],
        worst,
        tol,
        M(got.clone()),
        M(want.clone())
    );
    Ok(())
}

/// [`close`] for vectors.
pub fn close_vec(what: &str, got: &[f64], want: &[f64], tol: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        got.len() == want.len(),
        "{} has {} entries but should have {}",
        what,
        got.len(),
        want.len()
    );
    let worst = got
        .iter()
        .zip(want)
        .map(|(a, b)| (a - b).abs())
        .map(|e| if e.is_nan() { f64::INFINITY } else { e })
        .enumerate()
        .fold((0, 0.0f64), |w, (k, e)| if e > w.1 { (k, e) } else { w });
    prop_assert!(
        worst.1 <= tol,
        "{} entry {} is {} but should be {} (off by {:.2e}, allowed {:.2e})\n  yours:    {:?}\n  expected: {:?}",
        what,
        worst.0,
        got[worst.0],
        want[worst.0],
        worst.1,
        tol,
        got,
        want
    );
    Ok(())
}

/// Scalar comparison: "X is a but should be b (off by …, allowed …)".
pub fn close_scalar(what: &str, got: f64, want: f64, tol: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        (got - want).abs() <= tol,
        "{} is {} but should be {} (off by {:.2e}, allowed {:.2e})",
        what,
        got,
        want,
        (got - want).abs(),
        tol
    );
    Ok(())
}

/// ||UᵀU − I||_max for a matrix that should have orthonormal columns.
pub fn orthonormality_error(u: &Matrix) -> f64 {
    let mut g = u.tr_matmul(u);
    for i in 0..g.nrows() {
        g[(i, i)] -= 1.0;
    }
    g.max_abs()
}

/// The centring matrix J = I − 11ᵀ/N, formed explicitly (the tests' slow, obvious reference).
pub fn centring(n: usize) -> Matrix {
    Matrix::from_fn(n, n, |a, b| f64::from(u8::from(a == b)) - 1.0 / n as f64)
}
