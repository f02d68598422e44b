//! Cholesky factorisation A = L L^T of a symmetric positive definite matrix, and solves with it.

use crate::ops::{axpy, dot};
use crate::{LinalgError, Matrix};

/// The Cholesky factor L (lower triangular, positive diagonal) with A = L L^T.
///
/// ```
/// use linalg::{Cholesky, Matrix};
/// let a = Matrix::from_rows(&[[4.0, 2.0], [2.0, 3.0]]);
/// let x = Cholesky::new(&a).unwrap().solve(&Matrix::from_rows(&[[2.0], [1.0]]));
/// assert!((a.matmul(&x)[(0, 0)] - 2.0).abs() < 1e-15);
/// ```
#[derive(Debug, Clone)]
pub struct Cholesky {
    l: Matrix,
}

impl Cholesky {
    /// Factor A = L L^T. Reads only the lower triangle of `a`.
    ///
    /// l_jj = sqrt(a_jj - Σ_{k<j} l_jk^2), l_ij = (a_ij - Σ_{k<j} l_ik l_jk) / l_jj for i > j;
    /// both sums are dot products of row prefixes, contiguous in row-major storage.
    ///
    /// # Errors
    /// `NotSquare`, `NonFinite`, or `NotPositiveDefinite` naming the first pivot that is not
    /// positive.
    pub fn new(a: &Matrix) -> Result<Self, LinalgError> {
        let (rows, cols) = a.shape();
        if rows != cols {
            return Err(LinalgError::NotSquare { rows, cols });
        }
        if let Some((at, value)) = a.find_non_finite() {
            return Err(LinalgError::NonFinite { at, value });
        }
        let n = rows;
        let mut l = Matrix::zeros(n, n);
        for j in 0..n {
            let d = a[(j, j)] - dot(&l.row(j)[..j], &l.row(j)[..j]);
            if d <= 0.0 || !d.is_finite() {
                return Err(LinalgError::NotPositiveDefinite { pivot: j, value: d });
            }
            let ljj = d.sqrt();
            l[(j, j)] = ljj;
            for i in j + 1..n {
                let s = a[(i, j)] - dot(&l.row(i)[..j], &l.row(j)[..j]);
                l[(i, j)] = s / ljj;
            }
        }
        Ok(Cholesky { l })
    }

    /// The factor L.
    pub fn l(&self) -> &Matrix {
        &self.l
    }

    /// Solve A X = B for X (B may have several columns): L Y = B forward, then L^T X = Y back.
    ///
    /// # Panics
    /// If `b.nrows()` differs from the order of A.
    #[track_caller]
    pub fn solve(&self, b: &Matrix) -> Matrix {
        let n = self.l.nrows();
        assert_eq!(
            b.nrows(),
            n,
            "Cholesky::solve: A is {n}x{n}, right-hand side is {}x{}",
            b.nrows(),
            b.ncols()
        );
        let mut x = b.clone();
        // Forward: row i of Y = (row i of B - Σ_{k<i} l_ik row k of Y) / l_ii.
        for i in 0..n {
            for k in 0..i {
                let lik = self.l[(i, k)];
                if lik != 0.0 {
                    let (yk, yi) = x.two_rows_mut(k, i);
                    axpy(-lik, yk, yi);
                }
            }
            let inv = 1.0 / self.l[(i, i)];
            x.row_mut(i).iter_mut().for_each(|v| *v *= inv);
        }
        // Back: row i of X = (row i of Y - Σ_{k>i} l_ki row k of X) / l_ii.
        for i in (0..n).rev() {
            for k in i + 1..n {
                let lki = self.l[(k, i)];
                if lki != 0.0 {
                    let (xk, xi) = x.two_rows_mut(k, i);
                    axpy(-lki, xk, xi);
                }
            }
            let inv = 1.0 / self.l[(i, i)];
            x.row_mut(i).iter_mut().for_each(|v| *v *= inv);
        }
        x
    }

    /// Solve A x = b for one vector.
    ///
    /// # Panics
    /// If `b.len()` differs from the order of A.
    #[track_caller]
    pub fn solve_vec(&self, b: &[f64]) -> Vec<f64> {
        self.solve(&Matrix::from_vec(b.len(), 1, b.to_vec()))
            .into_vec()
    }
}
