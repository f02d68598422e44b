//! `Matrix`: a dense, row-major matrix of `f64` with an explicit shape.
//!
//! Entry (i, j) lives at `data[i * cols + j]`, so a row is a contiguous slice. Algorithms in
//! this crate are written to walk rows, never columns, in their inner loops: that is what
//! makes them fast without `unsafe` (the compiler vectorises loops over slices).

use crate::random::{rng, standard_normal};
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::ops::{Index, IndexMut};

/// A dense row-major matrix of `f64`.
///
/// ```
/// use linalg::Matrix;
/// let a = Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]]);
/// assert_eq!(a.shape(), (2, 2));
/// assert_eq!(a[(1, 0)], 3.0);
/// assert_eq!(a.row(1), &[3.0, 4.0]);
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// The `rows x cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Self::filled(rows, cols, 0.0)
    }

    /// The `rows x cols` matrix with every entry equal to `value`.
    pub fn filled(rows: usize, cols: usize, value: f64) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![value; rows * cols],
        }
    }

    /// The `n x n` identity.
    pub fn identity(n: usize) -> Self {
        Self::from_diag(&vec![1.0; n])
    }

    /// The square diagonal matrix with `diag` on its diagonal.
    #[track_caller]
    pub fn from_diag(diag: &[f64]) -> Self {
        let n = diag.len();
        let mut m = Self::zeros(n, n);
        for (i, &d) in diag.iter().enumerate() {
            m.data[i * n + i] = d;
        }
        m
    }

    /// A matrix from its row-major entries.
    ///
    /// # Panics
    /// If `data.len() != rows * cols`.
    #[track_caller]
    pub fn from_vec(rows: usize, cols: usize, data: Vec<f64>) -> Self {
        assert_eq!(
            data.len(),
            rows * cols,
            "Matrix::from_vec: {rows}x{cols} needs {} entries, got {}",
            rows * cols,
            data.len()
        );
        Matrix { rows, cols, data }
    }

    /// A matrix from a list of rows.
    ///
    /// # Panics
    /// If the rows do not all have the same length.
    #[track_caller]
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Self {
        let cols = rows.first().map_or(0, |r| r.as_ref().len());
        let mut data = Vec::with_capacity(rows.len() * cols);
        for (i, r) in rows.iter().enumerate() {
            let r = r.as_ref();
            assert_eq!(
                r.len(),
                cols,
                "Matrix::from_rows: row {i} has {} entries, row 0 has {cols}",
                r.len()
            );
            data.extend_from_slice(r);
        }
        Matrix {
            rows: rows.len(),
            cols,
            data,
        }
    }

    /// A matrix whose columns are the given vectors.
    ///
    /// # Panics
    /// If the columns do not all have the same length.
    #[track_caller]
    pub fn from_columns<C: AsRef<[f64]>>(columns: &[C]) -> Self {
        Self::from_rows(columns).transpose()
    }

    /// The matrix with entries `f(i, j)`.
    ///
    /// ```
    /// let hilbert = linalg::Matrix::from_fn(3, 3, |i, j| 1.0 / (i + j + 1) as f64);
    /// assert_eq!(hilbert[(2, 2)], 0.2);
    /// ```
    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> f64) -> Self {
        let mut data = Vec::with_capacity(rows * cols);
        for i in 0..rows {
            for j in 0..cols {
                data.push(f(i, j));
            }
        }
        Matrix { rows, cols, data }
    }

    /// Entries drawn independently and uniformly from `[low, high)`, from a seeded generator.
    pub fn random_uniform(rows: usize, cols: usize, low: f64, high: f64, seed: u64) -> Self {
        let mut g = rng(seed);
        Self::from_fn(rows, cols, |_, _| low + (high - low) * g.random::<f64>())
    }

    /// Entries drawn independently from the standard normal distribution, from a seeded generator.
    pub fn random_normal(rows: usize, cols: usize, seed: u64) -> Self {
        let mut g = rng(seed);
        Self::from_fn(rows, cols, |_, _| standard_normal(&mut g))
    }

    /// A random symmetric matrix (A + A^T)/2 with standard normal A, from a seeded generator.
    pub fn random_symmetric(n: usize, seed: u64) -> Self {
        let a = Self::random_normal(n, n, seed);
        Self::from_fn(n, n, |i, j| 0.5 * (a[(i, j)] + a[(j, i)]))
    }

    /// Number of rows.
    #[inline]
    pub fn nrows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    #[inline]
    pub fn ncols(&self) -> usize {
        self.cols
    }

    /// `(rows, cols)`.
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// True when the matrix is square.
    #[inline]
    pub fn is_square(&self) -> bool {
        self.rows == self.cols
    }

    /// True when the matrix has no entries.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The row-major entries.
    #[inline]
    pub fn as_slice(&self) -> &[f64] {
        &self.data
    }

    /// The row-major entries, mutable.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [f64] {
        &mut self.data
    }

    /// The row-major entries, by value.
    pub fn into_vec(self) -> Vec<f64> {
        self.data
    }

    /// Become the `rows x cols` zero matrix, keeping the allocation when it is large enough
    /// (a training loop whose last minibatch is smaller reuses its buffers this way).
    ///
    /// ```
    /// let mut m = linalg::Matrix::filled(4, 3, 1.0);
    /// m.resize_zeroed(2, 3);
    /// assert_eq!(m, linalg::Matrix::zeros(2, 3));
    /// assert!(m.capacity() >= 12);
    /// ```
    pub fn resize_zeroed(&mut self, rows: usize, cols: usize) {
        self.data.clear();
        self.data.resize(rows * cols, 0.0);
        self.rows = rows;
        self.cols = cols;
    }

    /// How many entries the storage can hold without reallocating.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.data.capacity()
    }

    /// Row `i` as a slice.
    ///
    /// # Panics
    /// If `i >= nrows()`.
    #[inline]
    #[track_caller]
    pub fn row(&self, i: usize) -> &[f64] {
        assert!(
            i < self.rows,
            "Matrix::row: row {i} of a {}x{} matrix",
            self.rows,
            self.cols
        );
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Row `i` as a mutable slice.
    ///
    /// # Panics
    /// If `i >= nrows()`.
    #[inline]
    #[track_caller]
    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        assert!(
            i < self.rows,
            "Matrix::row_mut: row {i} of a {}x{} matrix",
            self.rows,
            self.cols
        );
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Two distinct rows, both mutable (the borrow checker's way to rotate rows p and q).
    ///
    /// # Panics
    /// If `p == q` or either is out of range.
    #[inline]
    #[track_caller]
    pub fn two_rows_mut(&mut self, p: usize, q: usize) -> (&mut [f64], &mut [f64]) {
        assert!(
            p != q && p < self.rows && q < self.rows,
            "Matrix::two_rows_mut: rows {p} and {q} of a {}x{} matrix",
            self.rows,
            self.cols
        );
        let c = self.cols;
        if p < q {
            let (head, tail) = self.data.split_at_mut(q * c);
            (&mut head[p * c..(p + 1) * c], &mut tail[..c])
        } else {
            let (head, tail) = self.data.split_at_mut(p * c);
            (&mut tail[..c], &mut head[q * c..(q + 1) * c])
        }
    }

    /// Iterator over the rows as slices.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[f64]> + '_ {
        (0..self.rows).map(move |i| &self.data[i * self.cols..(i + 1) * self.cols])
    }

    /// Column `j`, copied (columns are not contiguous in row-major storage).
    ///
    /// # Panics
    /// If `j >= ncols()`.
    #[track_caller]
    pub fn col(&self, j: usize) -> Vec<f64> {
        assert!(
            j < self.cols,
            "Matrix::col: column {j} of a {}x{} matrix",
            self.rows,
            self.cols
        );
        (0..self.rows)
            .map(|i| self.data[i * self.cols + j])
            .collect()
    }

    /// Overwrite column `j` with `values`.
    ///
    /// # Panics
    /// If `j >= ncols()` or `values.len() != nrows()`.
    #[track_caller]
    pub fn set_col(&mut self, j: usize, values: &[f64]) {
        assert!(
            j < self.cols && values.len() == self.rows,
            "Matrix::set_col: column {j} (length {}) of a {}x{} matrix",
            values.len(),
            self.rows,
            self.cols
        );
        for (i, &v) in values.iter().enumerate() {
            self.data[i * self.cols + j] = v;
        }
    }

    /// The diagonal entries a_ii, i < min(rows, cols).
    pub fn diag(&self) -> Vec<f64> {
        (0..self.rows.min(self.cols))
            .map(|i| self[(i, i)])
            .collect()
    }

    /// The submatrix of rows `r0..r1` and columns `c0..c1`, copied.
    ///
    /// # Panics
    /// If a range is reversed or out of bounds.
    #[track_caller]
    pub fn submatrix(&self, r0: usize, r1: usize, c0: usize, c1: usize) -> Matrix {
        assert!(
            r0 <= r1 && r1 <= self.rows && c0 <= c1 && c1 <= self.cols,
            "Matrix::submatrix: rows {r0}..{r1}, columns {c0}..{c1} of a {}x{} matrix",
            self.rows,
            self.cols
        );
        Matrix::from_fn(r1 - r0, c1 - c0, |i, j| self[(r0 + i, c0 + j)])
    }

    /// The first `k` columns, copied (for example the leading eigenvectors).
    ///
    /// # Panics
    /// If `k > ncols()`.
    #[track_caller]
    pub fn leading_columns(&self, k: usize) -> Matrix {
        self.submatrix(0, self.rows, 0, k)
    }

    /// The rows with the given indices, in that order (a minibatch, a sample).
    ///
    /// # Panics
    /// If an index is out of range.
    #[track_caller]
    pub fn select_rows(&self, indices: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(indices.len() * self.cols);
        for &i in indices {
            data.extend_from_slice(self.row(i));
        }
        Matrix::from_vec(indices.len(), self.cols, data)
    }

    /// The first non-finite entry (NaN or ±∞), if any, as `((i, j), value)`.
    pub fn find_non_finite(&self) -> Option<((usize, usize), f64)> {
        let c = self.cols.max(1);
        self.data
            .iter()
            .position(|v| !v.is_finite())
            .map(|k| ((k / c, k % c), self.data[k]))
    }
}

impl Index<(usize, usize)> for Matrix {
    type Output = f64;
    /// # Panics
    /// If (i, j) is out of range.
    #[inline]
    #[track_caller]
    fn index(&self, (i, j): (usize, usize)) -> &f64 {
        assert!(
            i < self.rows && j < self.cols,
            "index ({i}, {j}) out of range for a {}x{} matrix",
            self.rows,
            self.cols
        );
        &self.data[i * self.cols + j]
    }
}

impl IndexMut<(usize, usize)> for Matrix {
    /// # Panics
    /// If (i, j) is out of range.
    #[inline]
    #[track_caller]
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut f64 {
        assert!(
            i < self.rows && j < self.cols,
            "index ({i}, {j}) out of range for a {}x{} matrix",
            self.rows,
            self.cols
        );
        &mut self.data[i * self.cols + j]
    }
}

impl std::fmt::Debug for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Matrix {}x{} [", self.rows, self.cols)?;
        for r in self.rows() {
            write!(f, "  ")?;
            for v in r {
                write!(f, "{v:>12.5e} ")?;
            }
            writeln!(f)?;
        }
        write!(f, "]")
    }
}
