//! Orthonormalisation by Gram–Schmidt with reorthogonalisation ("twice is enough").

use crate::ops::{axpy, dot, norm2};
use crate::{LinalgError, Matrix};

/// A thin QR factorisation A = Q R: Q (m x n) with orthonormal columns, R (n x n) upper triangular
/// with a positive diagonal.
#[derive(Debug, Clone)]
pub struct Qr {
    /// Orthonormal columns spanning the columns of A.
    pub q: Matrix,
    /// Upper triangular, positive diagonal.
    pub r: Matrix,
}

/// Thin QR of an m x n matrix (m ≥ n) with full column rank.
///
/// Classical Gram–Schmidt run twice per column: one pass leaves an error of order
/// ε·κ(A) in Q^T Q - I, the second pass brings it down to a few ε (Giraud, Langou & Rozložník
/// 2005). Columns are handled as rows of A^T, so every loop is contiguous.
///
/// # Errors
/// `InvalidArgument` if m < n or a column is (numerically) dependent on the earlier ones:
/// its remaining norm after two passes is below m·ε times its original norm.
pub fn qr(a: &Matrix) -> Result<Qr, LinalgError> {
    let (m, n) = a.shape();
    if m < n {
        return Err(LinalgError::InvalidArgument(format!(
            "qr needs at least as many rows as columns, got {m}x{n}"
        )));
    }
    if let Some((at, value)) = a.find_non_finite() {
        return Err(LinalgError::NonFinite { at, value });
    }
    let mut qt = a.transpose(); // row j = column j of A
    let mut r = Matrix::zeros(n, n);
    for j in 0..n {
        let original = norm2(qt.row(j));
        for _pass in 0..2 {
            for k in 0..j {
                let (qk, qj) = qt.two_rows_mut(k, j);
                let h = dot(qk, qj);
                axpy(-h, qk, qj);
                r[(k, j)] += h;
            }
        }
        let nj = norm2(qt.row(j));
        if nj <= (m as f64) * f64::EPSILON * original || nj == 0.0 {
            return Err(LinalgError::InvalidArgument(format!(
                "qr: column {j} is linearly dependent on the columns before it"
            )));
        }
        r[(j, j)] = nj;
        qt.row_mut(j).iter_mut().for_each(|v| *v /= nj);
    }
    Ok(Qr {
        q: qt.transpose(),
        r,
    })
}

/// An orthonormal basis of the column space of `a` (full column rank): the Q of [`qr`].
///
/// # Errors
/// As [`qr`].
pub fn orthonormalize(a: &Matrix) -> Result<Matrix, LinalgError> {
    qr(a).map(|f| f.q)
}
