//! Arithmetic on `Matrix`: products, element-wise operations, norms, and the statistics
//! every dimension-reduction method starts from (means, centering, covariance, Gram
//! matrices, pairwise distances).

use crate::Matrix;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

/// Panics with the operation's name and both shapes unless `ok`.
#[track_caller]
fn check_shapes(ok: bool, op: &str, a: &Matrix, b: &Matrix) {
    assert!(
        ok,
        "{op}: incompatible shapes {}x{} and {}x{}",
        a.nrows(),
        a.ncols(),
        b.nrows(),
        b.ncols()
    );
}

/// Panics unless `out` has the shape `want` that an operation on `a` and `b` produces.
#[track_caller]
fn check_output(out: &Matrix, want: (usize, usize), op: &str, a: &Matrix, b: &Matrix) {
    assert!(
        out.shape() == want,
        "{op}: inputs {}x{} and {}x{} need a {}x{} output, got {}x{}",
        a.nrows(),
        a.ncols(),
        b.nrows(),
        b.ncols(),
        want.0,
        want.1,
        out.nrows(),
        out.ncols()
    );
}

/// `y += alpha * x` on slices: the one loop that every product here is built from.
#[inline]
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    debug_assert_eq!(x.len(), y.len());
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// The dot product of two slices of equal length.
///
/// # Panics
/// If the lengths differ.
#[inline]
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    assert_eq!(x.len(), y.len(), "dot: lengths {} and {}", x.len(), y.len());
    // Four partial sums break the dependency chain so the loop vectorises.
    let mut s = [0.0; 4];
    let (xc, xr) = x.split_at(x.len() - x.len() % 4);
    let (yc, yr) = y.split_at(xc.len());
    for (a, b) in xc.chunks_exact(4).zip(yc.chunks_exact(4)) {
        s[0] += a[0] * b[0];
        s[1] += a[1] * b[1];
        s[2] += a[2] * b[2];
        s[3] += a[3] * b[3];
    }
    let tail: f64 = xr.iter().zip(yr).map(|(a, b)| a * b).sum();
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

/// The Euclidean norm of a slice, ||x||_2.
#[inline]
pub fn norm2(x: &[f64]) -> f64 {
    dot(x, x).sqrt()
}

impl Matrix {
    /// The transpose A^T.
    pub fn transpose(&self) -> Matrix {
        let mut t = Matrix::zeros(self.ncols(), self.nrows());
        self.transpose_into(&mut t);
        t
    }

    /// `out = A^T`, reusing `out`'s storage (for training loops that must not allocate).
    ///
    /// # Panics
    /// If `out` is not `ncols() x nrows()`.
    #[track_caller]
    pub fn transpose_into(&self, out: &mut Matrix) {
        let (r, c) = self.shape();
        assert_eq!(
            out.shape(),
            (c, r),
            "transpose_into: the transpose of a {r}x{c} matrix needs a {c}x{r} output"
        );
        // Blocked so that both the reads and the writes stay in cache.
        const B: usize = 32;
        let src = self.as_slice();
        let dst = out.as_mut_slice();
        for i0 in (0..r).step_by(B) {
            for j0 in (0..c).step_by(B) {
                for i in i0..(i0 + B).min(r) {
                    for j in j0..(j0 + B).min(c) {
                        dst[j * r + i] = src[i * c + j];
                    }
                }
            }
        }
    }

    /// The product A B.
    ///
    /// Loop order i-k-j: row i of the result accumulates a_ik times row k of B, so every
    /// inner loop runs over contiguous memory (the naive i-j-k order strides down B's columns).
    ///
    /// # Panics
    /// If `self.ncols() != b.nrows()`.
    ///
    /// ```
    /// use linalg::Matrix;
    /// let a = Matrix::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(a.matmul(&Matrix::identity(2)), a);
    /// ```
    #[track_caller]
    pub fn matmul(&self, b: &Matrix) -> Matrix {
        let mut out = Matrix::zeros(self.nrows(), b.ncols());
        self.matmul_into(b, &mut out);
        out
    }

    /// `out = A B`, reusing `out`'s storage (for training loops that must not allocate).
    ///
    /// # Panics
    /// If the shapes do not match.
    #[track_caller]
    pub fn matmul_into(&self, b: &Matrix, out: &mut Matrix) {
        check_shapes(self.ncols() == b.nrows(), "matmul", self, b);
        check_output(out, (self.nrows(), b.ncols()), "matmul_into", self, b);
        out.as_mut_slice().fill(0.0);
        out.add_matmul(self, b);
    }

    /// `self += A B`: the product accumulated into existing storage. Reverse-mode
    /// differentiation adds the gradient of every use of a value, which is exactly this.
    ///
    /// # Panics
    /// If `a.ncols() != b.nrows()` or `self` is not `a.nrows() x b.ncols()`.
    #[track_caller]
    pub fn add_matmul(&mut self, a: &Matrix, b: &Matrix) {
        check_shapes(a.ncols() == b.nrows(), "add_matmul (A B)", a, b);
        check_output(self, (a.nrows(), b.ncols()), "add_matmul (A B)", a, b);
        if a.nrows() >= 4 && b.ncols() >= 2 {
            // Big enough for register tiles (see `kernels`).
            let (m, p, n) = (a.nrows(), a.ncols(), b.ncols());
            kernels::ab(self.as_mut_slice(), a.as_slice(), b.as_slice(), m, p, n);
            return;
        }
        let n = b.ncols();
        if n == 0 {
            return;
        }
        if n == 1 {
            // A times a column: one dot product per row (the loop below would run axpys of
            // length 1, all overhead; a network's output layer has this shape).
            for (o, arow) in self.as_mut_slice().iter_mut().zip(a.rows()) {
                *o += dot(arow, b.as_slice());
            }
            return;
        }
        // Block over k so the rows of B in use stay in cache across rows of A.
        const KB: usize = 128;
        let kk = a.ncols();
        for k0 in (0..kk).step_by(KB) {
            let k1 = (k0 + KB).min(kk);
            let b_block = &b.as_slice()[k0 * n..k1 * n];
            for (arow, orow) in a.rows().zip(self.as_mut_slice().chunks_exact_mut(n)) {
                for (&aik, brow) in arow[k0..k1].iter().zip(b_block.chunks_exact(n)) {
                    if aik != 0.0 {
                        axpy(aik, brow, orow);
                    }
                }
            }
        }
    }

    /// The product A^T B without forming A^T (the weight gradient X^T Δ of backprop).
    ///
    /// # Panics
    /// If `self.nrows() != b.nrows()`.
    #[track_caller]
    pub fn tr_matmul(&self, b: &Matrix) -> Matrix {
        check_shapes(self.nrows() == b.nrows(), "tr_matmul (A^T B)", self, b);
        let mut out = Matrix::zeros(self.ncols(), b.ncols());
        out.add_tr_matmul(self, b);
        out
    }

    /// `self += A^T B` without forming A^T.
    ///
    /// # Panics
    /// If `a.nrows() != b.nrows()` or `self` is not `a.ncols() x b.ncols()`.
    #[track_caller]
    pub fn add_tr_matmul(&mut self, a: &Matrix, b: &Matrix) {
        check_shapes(a.nrows() == b.nrows(), "add_tr_matmul (A^T B)", a, b);
        check_output(self, (a.ncols(), b.ncols()), "add_tr_matmul (A^T B)", a, b);
        if a.ncols() >= 4 && b.ncols() >= 2 {
            // Big enough for register tiles (see `kernels`).
            let (m, p, n) = (a.nrows(), a.ncols(), b.ncols());
            kernels::atb(self.as_mut_slice(), a.as_slice(), b.as_slice(), m, p, n);
            return;
        }
        let n = b.ncols();
        if n == 0 {
            return;
        }
        if n == 1 {
            // A^T times a column: Σ_k b_k · (row k of A), one axpy per row of A.
            for (arow, &bk) in a.rows().zip(b.as_slice()) {
                axpy(bk, arow, self.as_mut_slice());
            }
            return;
        }
        // (A^T B) row i = Σ_k a_ki · (row k of B): walk both inputs row by row.
        for (arow, brow) in a.rows().zip(b.rows()) {
            for (i, orow) in self.as_mut_slice().chunks_exact_mut(n).enumerate() {
                let aki = arow[i];
                if aki != 0.0 {
                    axpy(aki, brow, orow);
                }
            }
        }
    }

    /// The Gram matrix of the columns, A^T A (p x p for an m x p matrix): the symmetric rank-k
    /// product (BLAS `syrk`) behind every covariance.
    ///
    /// Only the upper triangle is computed, as 4 x 4 register tiles (4 x 4 products of the
    /// four entries a_ki, i in the tile's rows, with the four a_kj of its columns, summed over
    /// the rows k of A), then mirrored: half the flops of [`Matrix::tr_matmul`] and an exactly
    /// symmetric result. The rows of A are taken in blocks of [`SYRK_ROW_BLOCK`] so that the
    /// block in use stays in cache while every tile of a row of tiles passes over it.
    ///
    /// When m p^2 is at least [`SYRK_PARALLEL_WORK`] multiply-adds, the rows of tiles are
    /// shared between the cores (scoped threads, contiguous ranges of about equal work). Each
    /// entry is summed in the same order whatever thread computes it, so the result is the
    /// same bit for bit on one core or many.
    pub fn gram_columns(&self) -> Matrix {
        let mut c = self.gram_columns_upper();
        // Mirror the upper triangle (the diagonal tiles also filled some entries below it).
        c.mirror_upper();
        c
    }

    /// The upper triangle (j ≥ i) of A^T A, computed as in [`Matrix::gram_columns`]; the
    /// entries below the diagonal are unspecified (a caller that transforms the triangle
    /// entry by entry, as the RBF kernel does, mirrors once at the end).
    pub fn gram_columns_upper(&self) -> Matrix {
        let (m, p) = self.shape();
        let mut c = Matrix::zeros(p, p);
        if p == 0 {
            return c;
        }
        let a = self.as_slice();
        let tile_rows = p.div_ceil(4);
        let threads = if m * p * p >= SYRK_PARALLEL_WORK {
            std::thread::available_parallelism().map_or(1, |t| t.get())
        } else {
            1
        }
        .min(tile_rows);
        // Tile row t (output rows 4t..4t+4) holds about p - 4t entries of the triangle:
        // cut the tile rows into `threads` contiguous ranges of about equal work.
        let work = |t: usize| p - 4 * t;
        let total: usize = (0..tile_rows).map(work).sum();
        let mut cuts = vec![0];
        let mut acc = 0;
        for t in 0..tile_rows {
            acc += work(t);
            if acc * threads >= total * cuts.len() && cuts.len() < threads {
                cuts.push(t + 1);
            }
        }
        cuts.push(tile_rows);
        cuts.dedup();
        let mut rest = c.as_mut_slice();
        let mut ranges = Vec::new();
        for w in cuts.windows(2) {
            let rows = (4 * w[1]).min(p) - 4 * w[0];
            let (head, tail) = rest.split_at_mut(rows * p);
            ranges.push((4 * w[0], head));
            rest = tail;
        }
        let run = |(i0, out): (usize, &mut [f64])| {
            for (t, tile_row) in out.chunks_mut(4 * p).enumerate() {
                kernels::ata_upper(tile_row, i0 + 4 * t, a, m, p);
            }
        };
        if ranges.len() == 1 {
            ranges.into_iter().for_each(run);
        } else {
            std::thread::scope(|s| {
                for r in ranges {
                    s.spawn(move || run(r));
                }
            });
        }
        c
    }

    /// Copy the upper triangle onto the lower one (a_ji ← a_ij for j > i), making a matrix of
    /// which only the upper triangle was computed exactly symmetric. Blocked like
    /// [`Matrix::transpose_into`], so that both the reads along rows and the writes down
    /// columns stay in cache.
    ///
    /// # Panics
    /// If the matrix is not square.
    pub fn mirror_upper(&mut self) {
        assert!(
            self.is_square(),
            "mirror_upper: matrix is {}x{}, not square",
            self.nrows(),
            self.ncols()
        );
        const B: usize = 32;
        let n = self.nrows();
        let a = self.as_mut_slice();
        for i0 in (0..n).step_by(B) {
            for j0 in (i0..n).step_by(B) {
                for i in i0..(i0 + B).min(n) {
                    for j in j0.max(i + 1)..(j0 + B).min(n) {
                        a[j * n + i] = a[i * n + j];
                    }
                }
            }
        }
    }

    /// The product A B^T without forming B^T: entry (i, j) is the dot product of row i of A
    /// and row j of B (Gram matrices, backprop's Δ W^T).
    ///
    /// # Panics
    /// If `self.ncols() != b.ncols()`.
    #[track_caller]
    pub fn matmul_tr(&self, b: &Matrix) -> Matrix {
        check_shapes(self.ncols() == b.ncols(), "matmul_tr (A B^T)", self, b);
        let mut out = Matrix::zeros(self.nrows(), b.nrows());
        out.add_matmul_tr(self, b);
        out
    }

    /// `self += A B^T` without forming B^T.
    ///
    /// # Panics
    /// If `a.ncols() != b.ncols()` or `self` is not `a.nrows() x b.nrows()`.
    #[track_caller]
    pub fn add_matmul_tr(&mut self, a: &Matrix, b: &Matrix) {
        check_shapes(a.ncols() == b.ncols(), "add_matmul_tr (A B^T)", a, b);
        check_output(self, (a.nrows(), b.nrows()), "add_matmul_tr (A B^T)", a, b);
        if a.nrows() >= 4 && b.nrows() >= 2 && a.ncols() >= 2 {
            // Big enough for register tiles (see `kernels`).
            let (m, p, q) = (a.nrows(), a.ncols(), b.nrows());
            kernels::abt(self.as_mut_slice(), a.as_slice(), b.as_slice(), m, p, q);
            return;
        }
        let m = b.nrows();
        if m == 0 {
            return;
        }
        if a.ncols() == 1 {
            // An outer product: row i gets a_i0 times B's single column (contiguous), instead
            // of m dot products of length 1.
            for (&ai, orow) in a
                .as_slice()
                .iter()
                .zip(self.as_mut_slice().chunks_exact_mut(m))
            {
                axpy(ai, b.as_slice(), orow);
            }
            return;
        }
        for (arow, orow) in a.rows().zip(self.as_mut_slice().chunks_exact_mut(m)) {
            for (o, brow) in orow.iter_mut().zip(b.rows()) {
                *o += dot(arow, brow);
            }
        }
    }

    /// The matrix–vector product A x.
    ///
    /// # Panics
    /// If `x.len() != ncols()`.
    #[track_caller]
    pub fn matvec(&self, x: &[f64]) -> Vec<f64> {
        assert_eq!(
            x.len(),
            self.ncols(),
            "matvec: a {}x{} matrix times a vector of length {}",
            self.nrows(),
            self.ncols(),
            x.len()
        );
        self.rows().map(|r| dot(r, x)).collect()
    }

    /// Apply `f` to every entry.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Matrix {
        Matrix::from_vec(
            self.nrows(),
            self.ncols(),
            self.as_slice().iter().map(|&v| f(v)).collect(),
        )
    }

    /// Combine two matrices of the same shape entry by entry.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn zip_map(&self, other: &Matrix, f: impl Fn(f64, f64) -> f64) -> Matrix {
        check_shapes(self.shape() == other.shape(), "zip_map", self, other);
        let data = self
            .as_slice()
            .iter()
            .zip(other.as_slice())
            .map(|(&a, &b)| f(a, b))
            .collect();
        Matrix::from_vec(self.nrows(), self.ncols(), data)
    }

    /// The element-wise (Hadamard) product A ⊙ B.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn hadamard(&self, other: &Matrix) -> Matrix {
        check_shapes(self.shape() == other.shape(), "hadamard", self, other);
        self.zip_map(other, |a, b| a * b)
    }

    /// `self += alpha * other` in place.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn add_scaled(&mut self, alpha: f64, other: &Matrix) {
        check_shapes(self.shape() == other.shape(), "add_scaled", self, other);
        axpy(alpha, other.as_slice(), self.as_mut_slice());
    }

    /// Multiply every entry by `alpha`.
    pub fn scale(&self, alpha: f64) -> Matrix {
        self.map(|v| alpha * v)
    }

    /// The Frobenius norm ||A||_F = sqrt(Σ a_ij^2).
    pub fn frobenius_norm(&self) -> f64 {
        norm2(self.as_slice())
    }

    /// The largest |a_ij| (0 for an empty matrix).
    pub fn max_abs(&self) -> f64 {
        self.as_slice().iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    /// The trace Σ a_ii.
    ///
    /// # Panics
    /// If the matrix is not square.
    pub fn trace(&self) -> f64 {
        assert!(
            self.is_square(),
            "trace: matrix is {}x{}, not square",
            self.nrows(),
            self.ncols()
        );
        self.diag().iter().sum()
    }

    /// The mean of each column (the mean sample, for a data matrix with one sample per row).
    ///
    /// # Panics
    /// If the matrix has no rows.
    pub fn column_means(&self) -> Vec<f64> {
        assert!(self.nrows() > 0, "column_means: matrix has no rows");
        let mut m = vec![0.0; self.ncols()];
        for r in self.rows() {
            axpy(1.0, r, &mut m);
        }
        let inv = 1.0 / self.nrows() as f64;
        m.iter_mut().for_each(|v| *v *= inv);
        m
    }

    /// Subtract `v` from every row (v has one entry per column).
    ///
    /// # Panics
    /// If `v.len() != ncols()`.
    pub fn sub_row_vector(&self, v: &[f64]) -> Matrix {
        assert_eq!(
            v.len(),
            self.ncols(),
            "sub_row_vector: {} entries for {} columns",
            v.len(),
            self.ncols()
        );
        let mut out = self.clone();
        for r in out.as_mut_slice().chunks_exact_mut(v.len().max(1)) {
            axpy(-1.0, v, r);
        }
        out
    }

    /// Xc = X - 1 μ^T, the data with column means removed, and the means μ.
    ///
    /// # Panics
    /// If the matrix has no rows.
    pub fn center_columns(&self) -> (Matrix, Vec<f64>) {
        let mu = self.column_means();
        (self.sub_row_vector(&mu), mu)
    }

    /// The sample covariance C = Xc^T Xc / (N - 1) of a data matrix with one sample per row.
    ///
    /// Divides by N - 1 (the unbiased estimate, as scikit-learn's PCA does).
    ///
    /// # Panics
    /// If there are fewer than two rows.
    pub fn covariance(&self) -> Matrix {
        assert!(
            self.nrows() >= 2,
            "covariance: needs at least 2 samples, got {}",
            self.nrows()
        );
        let (xc, _) = self.center_columns();
        let mut c = xc.gram_columns();
        let inv = 1.0 / (self.nrows() - 1) as f64;
        // Every entry scaled alike: C stays exactly symmetric.
        c.as_mut_slice().iter_mut().for_each(|v| *v *= inv);
        c
    }

    /// The Gram matrix G = X X^T of the rows (G_ij = <x_i, x_j>).
    pub fn gram(&self) -> Matrix {
        self.matmul_tr(self)
    }

    /// Replace A by (A + A^T)/2, removing the rounding asymmetry of computed symmetric matrices.
    ///
    /// # Panics
    /// If the matrix is not square.
    pub fn symmetrize(&mut self) {
        assert!(
            self.is_square(),
            "symmetrize: matrix is {}x{}",
            self.nrows(),
            self.ncols()
        );
        let n = self.nrows();
        for i in 0..n {
            for j in i + 1..n {
                let m = 0.5 * (self[(i, j)] + self[(j, i)]);
                self[(i, j)] = m;
                self[(j, i)] = m;
            }
        }
    }

    /// The N x N matrix of squared Euclidean distances between rows, D_ij = ||x_i - x_j||^2.
    ///
    /// Computed from differences, not from ||x||^2 + ||y||^2 - 2<x, y>: that shortcut cancels
    /// catastrophically for nearby points and can even turn negative. Exactly symmetric with a
    /// zero diagonal.
    pub fn pairwise_sq_distances(&self) -> Matrix {
        let n = self.nrows();
        let mut d = Matrix::zeros(n, n);
        for i in 0..n {
            let xi = self.row(i);
            for j in i + 1..n {
                let v = sq_dist(xi, self.row(j));
                d[(i, j)] = v;
                d[(j, i)] = v;
            }
        }
        d
    }

    /// Squared Euclidean distances between the rows of `self` (M x D) and of `other` (N x D): M x N.
    ///
    /// # Panics
    /// If the column counts differ.
    #[track_caller]
    pub fn cross_sq_distances(&self, other: &Matrix) -> Matrix {
        check_shapes(
            self.ncols() == other.ncols(),
            "cross_sq_distances",
            self,
            other,
        );
        Matrix::from_fn(self.nrows(), other.nrows(), |i, j| {
            sq_dist(self.row(i), other.row(j))
        })
    }
}

/// Rows of A per cache block in [`Matrix::gram_columns`]: 256 rows of up to a few hundred
/// columns stay in a 1 MB L2 cache while every tile of a row of tiles reads them.
pub const SYRK_ROW_BLOCK: usize = 256;

/// Multiply-adds (m p^2) from which [`Matrix::gram_columns`] uses every core: 2^20, half a
/// millisecond to a millisecond of work on one core, ten times or more what starting a thread
/// costs.
pub const SYRK_PARALLEL_WORK: usize = 1 << 20;

/// ||x - y||^2 for two slices of equal length.
///
/// Four partial sums, as in [`dot`]: a single running sum is one long chain of dependent
/// additions that cannot vectorise (about 4x slower for D = 64, and every k-NN search, kernel
/// and distance matrix runs through here). The result is still exactly symmetric,
/// sq_dist(x, y) == sq_dist(y, x), because (a - b)^2 = (b - a)^2 in floating point.
#[inline]
pub fn sq_dist(x: &[f64], y: &[f64]) -> f64 {
    debug_assert_eq!(x.len(), y.len());
    let mut s = [0.0; 4];
    let (xc, xr) = x.split_at(x.len() - x.len() % 4);
    let (yc, yr) = y.split_at(xc.len());
    for (a, b) in xc.chunks_exact(4).zip(yc.chunks_exact(4)) {
        for k in 0..4 {
            let e = a[k] - b[k];
            s[k] += e * e;
        }
    }
    let tail: f64 = xr.iter().zip(yr).map(|(a, b)| (a - b) * (a - b)).sum();
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

macro_rules! elementwise_op {
    ($trait:ident, $method:ident, $assign_trait:ident, $assign_method:ident, $op:tt, $name:literal) => {
        impl $trait<&Matrix> for &Matrix {
            type Output = Matrix;
            /// # Panics
            /// If the shapes differ.
            #[track_caller]
            fn $method(self, rhs: &Matrix) -> Matrix {
                check_shapes(self.shape() == rhs.shape(), $name, self, rhs);
                self.zip_map(rhs, |a, b| a $op b)
            }
        }
        impl $trait<Matrix> for Matrix {
            type Output = Matrix;
            #[track_caller]
            fn $method(mut self, rhs: Matrix) -> Matrix {
                self.$assign_method(&rhs);
                self
            }
        }
        impl $trait<&Matrix> for Matrix {
            type Output = Matrix;
            #[track_caller]
            fn $method(mut self, rhs: &Matrix) -> Matrix {
                self.$assign_method(rhs);
                self
            }
        }
        impl $assign_trait<&Matrix> for Matrix {
            /// # Panics
            /// If the shapes differ.
            #[track_caller]
            fn $assign_method(&mut self, rhs: &Matrix) {
                check_shapes(self.shape() == rhs.shape(), $name, self, rhs);
                for (a, &b) in self.as_mut_slice().iter_mut().zip(rhs.as_slice()) {
                    *a = *a $op b;
                }
            }
        }
    };
}

elementwise_op!(Add, add, AddAssign, add_assign, +, "add");
elementwise_op!(Sub, sub, SubAssign, sub_assign, -, "sub");

impl Mul<&Matrix> for &Matrix {
    type Output = Matrix;
    /// The matrix product; see [`Matrix::matmul`].
    #[track_caller]
    fn mul(self, rhs: &Matrix) -> Matrix {
        self.matmul(rhs)
    }
}

impl Mul<f64> for &Matrix {
    type Output = Matrix;
    fn mul(self, rhs: f64) -> Matrix {
        self.scale(rhs)
    }
}

impl Mul<&Matrix> for f64 {
    type Output = Matrix;
    fn mul(self, rhs: &Matrix) -> Matrix {
        rhs.scale(self)
    }
}

impl Neg for &Matrix {
    type Output = Matrix;
    fn neg(self) -> Matrix {
        self.scale(-1.0)
    }
}

/// `o += a · bᵀ` on row-major slices, a (m x p), b (q x p), o (m x q): the tiled kernel of
/// [`Matrix::add_matmul_tr`], for callers inside the crate that work on a block of rows of a
/// larger matrix without copying it out (the blocked Householder QR of [`crate::svd`]).
pub(crate) fn add_matmul_tr_slices(
    o: &mut [f64],
    a: &[f64],
    b: &[f64],
    m: usize,
    p: usize,
    q: usize,
) {
    assert!(
        a.len() == m * p && b.len() == q * p && o.len() == m * q,
        "add_matmul_tr_slices: {m}x{p} times ({q}x{p})^T into {} entries",
        o.len()
    );
    kernels::abt(o, a, b, m, p, q);
}

/// `o += a · b` on row-major slices, a (m x p), b (p x n), o (m x n): the tiled kernel of
/// [`Matrix::add_matmul`], for the same callers as [`add_matmul_tr_slices`].
pub(crate) fn add_matmul_slices(o: &mut [f64], a: &[f64], b: &[f64], m: usize, p: usize, n: usize) {
    assert!(
        a.len() == m * p && b.len() == p * n && o.len() == m * n,
        "add_matmul_slices: {m}x{p} times {p}x{n} into {} entries",
        o.len()
    );
    kernels::ab(o, a, b, m, p, n);
}

/// The register-tiled kernels behind `add_matmul`, `add_tr_matmul` and `add_matmul_tr` for
/// operands with at least 4 rows/columns (small networks' layers: 32 x 64 times 64 x 32).
///
/// Each computes a 4 x 4 (or 4 x 2) tile of the output in local accumulators that the compiler
/// keeps in registers, so every loaded entry of A and B feeds several multiply-adds, where the
/// axpy loops load and store an output row for every single term. Edges that do not fill a tile
/// fall back to plain loops. All three *add* into `o` (row-major), as their callers document.
mod kernels {
    /// o (m x n) += a (m x p) · b (p x n).
    pub(super) fn ab(o: &mut [f64], a: &[f64], b: &[f64], m: usize, p: usize, n: usize) {
        let (m4, n4) = (m - m % 4, n - n % 4);
        for i0 in (0..m4).step_by(4) {
            let ar = [
                &a[i0 * p..][..p],
                &a[(i0 + 1) * p..][..p],
                &a[(i0 + 2) * p..][..p],
                &a[(i0 + 3) * p..][..p],
            ];
            for j0 in (0..n4).step_by(4) {
                let mut acc = [[0.0f64; 4]; 4];
                for (k, brow) in b.chunks_exact(n).enumerate().take(p) {
                    let bk = &brow[j0..j0 + 4];
                    for r in 0..4 {
                        let ark = ar[r][k];
                        for c in 0..4 {
                            acc[r][c] += ark * bk[c];
                        }
                    }
                }
                for (r, accr) in acc.iter().enumerate() {
                    let orow = &mut o[(i0 + r) * n + j0..][..4];
                    for c in 0..4 {
                        orow[c] += accr[c];
                    }
                }
            }
            for j in n4..n {
                for r in 0..4 {
                    let mut s = 0.0;
                    for k in 0..p {
                        s += ar[r][k] * b[k * n + j];
                    }
                    o[(i0 + r) * n + j] += s;
                }
            }
        }
        // Leftover rows: row i of the output accumulates a_ik times row k of B.
        for i in m4..m {
            let (arow, orow) = (&a[i * p..][..p], &mut o[i * n..][..n]);
            for (&aik, brow) in arow.iter().zip(b.chunks_exact(n)) {
                super::axpy(aik, brow, orow);
            }
        }
    }

    /// o (p x n) += aᵀ b with a (m x p), b (m x n): o_ij += Σ_k a_ki b_kj.
    pub(super) fn atb(o: &mut [f64], a: &[f64], b: &[f64], m: usize, p: usize, n: usize) {
        let (p4, n4) = (p - p % 4, n - n % 4);
        for i0 in (0..p4).step_by(4) {
            for j0 in (0..n4).step_by(4) {
                let mut acc = [[0.0f64; 4]; 4];
                for (arow, brow) in a.chunks_exact(p).zip(b.chunks_exact(n)).take(m) {
                    let ak = &arow[i0..i0 + 4];
                    let bk = &brow[j0..j0 + 4];
                    for r in 0..4 {
                        for c in 0..4 {
                            acc[r][c] += ak[r] * bk[c];
                        }
                    }
                }
                for (r, accr) in acc.iter().enumerate() {
                    let orow = &mut o[(i0 + r) * n + j0..][..4];
                    for c in 0..4 {
                        orow[c] += accr[c];
                    }
                }
            }
        }
        // Leftover columns (j ≥ n4) of the tiled rows: four accumulators per column, reading a
        // contiguous quadruple of A's row k and one entry of B's.
        for i0 in (0..p4).step_by(4) {
            for j in n4..n {
                let mut acc = [0.0f64; 4];
                for (arow, brow) in a.chunks_exact(p).zip(b.chunks_exact(n)).take(m) {
                    let (ak, bkj) = (&arow[i0..i0 + 4], brow[j]);
                    for r in 0..4 {
                        acc[r] += ak[r] * bkj;
                    }
                }
                for r in 0..4 {
                    o[(i0 + r) * n + j] += acc[r];
                }
            }
        }
        // Leftover rows (i ≥ p4), term by term: (AᵀB) row i += a_ki · (row k of B).
        if p4 < p {
            for (arow, brow) in a.chunks_exact(p).zip(b.chunks_exact(n)).take(m) {
                for i in p4..p {
                    super::axpy(arow[i], brow, &mut o[i * n..(i + 1) * n]);
                }
            }
        }
    }

    /// Rows i0..i0 + r (r = o.len() / p ≤ 4) of aᵀa (a is m x p), columns j ≥ i0 only, added
    /// into `o`: the 4 x 4 tiles on and right of the diagonal, summed over blocks of rows of a.
    /// The diagonal tile also fills its entries below the diagonal, which the caller overwrites.
    pub(super) fn ata_upper(o: &mut [f64], i0: usize, a: &[f64], m: usize, p: usize) {
        let r = o.len() / p;
        let full = i0 + 4 * ((p - i0) / 4);
        for block in a[..m * p].chunks(super::SYRK_ROW_BLOCK * p) {
            if r < 4 {
                // The last, partial row of tiles (p not a multiple of 4): plain sums.
                for ri in 0..r {
                    for j in i0 + ri..p {
                        let s: f64 = block.chunks_exact(p).map(|x| x[i0 + ri] * x[j]).sum();
                        o[ri * p + j] += s;
                    }
                }
                continue;
            }
            for j0 in (i0..full).step_by(4) {
                let mut acc = [[0.0f64; 4]; 4];
                for x in block.chunks_exact(p) {
                    let (xi, xj) = (&x[i0..i0 + 4], &x[j0..j0 + 4]);
                    for ri in 0..4 {
                        for c in 0..4 {
                            acc[ri][c] += xi[ri] * xj[c];
                        }
                    }
                }
                for (ri, accr) in acc.iter().enumerate() {
                    let orow = &mut o[ri * p + j0..][..4];
                    for c in 0..4 {
                        orow[c] += accr[c];
                    }
                }
            }
            // Leftover columns (p - full < 4) of the tile row.
            for j in full..p {
                let mut acc = [0.0f64; 4];
                for x in block.chunks_exact(p) {
                    for ri in 0..4 {
                        acc[ri] += x[i0 + ri] * x[j];
                    }
                }
                for ri in 0..4 {
                    o[ri * p + j] += acc[ri];
                }
            }
        }
    }

    /// o (m x q) += a bᵀ with a (m x p), b (q x p): o_ij += Σ_k a_ik b_jk (dot products of rows).
    pub(super) fn abt(o: &mut [f64], a: &[f64], b: &[f64], m: usize, p: usize, q: usize) {
        let (m4, q2, p2) = (m - m % 4, q - q % 2, p - p % 2);
        for i0 in (0..m4).step_by(4) {
            let ar = [
                &a[i0 * p..][..p],
                &a[(i0 + 1) * p..][..p],
                &a[(i0 + 2) * p..][..p],
                &a[(i0 + 3) * p..][..p],
            ];
            for j0 in (0..q2).step_by(2) {
                let br = [&b[j0 * p..][..p], &b[(j0 + 1) * p..][..p]];
                // Two lanes per accumulator (even and odd k), added at the end.
                let mut acc = [[[0.0f64; 2]; 2]; 4];
                for k in (0..p2).step_by(2) {
                    for r in 0..4 {
                        let av = [ar[r][k], ar[r][k + 1]];
                        for c in 0..2 {
                            acc[r][c][0] += av[0] * br[c][k];
                            acc[r][c][1] += av[1] * br[c][k + 1];
                        }
                    }
                }
                for r in 0..4 {
                    for c in 0..2 {
                        let mut s = acc[r][c][0] + acc[r][c][1];
                        if p2 < p {
                            s += ar[r][p - 1] * br[c][p - 1];
                        }
                        o[(i0 + r) * q + j0 + c] += s;
                    }
                }
            }
            for j in q2..q {
                for r in 0..4 {
                    o[(i0 + r) * q + j] += super::dot(ar[r], &b[j * p..][..p]);
                }
            }
        }
        for i in m4..m {
            let arow = &a[i * p..][..p];
            for (j, oij) in o[i * q..][..q].iter_mut().enumerate() {
                *oij += super::dot(arow, &b[j * p..][..p]);
            }
        }
    }
}

#[cfg(test)]
mod kernel_tests {
    use crate::Matrix;

    /// The textbook triple loop, the reference for the tiled kernels.
    fn naive(a: &Matrix, b: &Matrix) -> Matrix {
        Matrix::from_fn(a.nrows(), b.ncols(), |i, j| {
            (0..a.ncols()).map(|k| a[(i, k)] * b[(k, j)]).sum()
        })
    }

    #[test]
    fn tiled_products_match_the_triple_loop_on_every_edge_shape() {
        let mut seed = 0;
        for m in [1, 2, 3, 4, 5, 7, 8, 9] {
            for p in [1, 2, 3, 4, 5, 8, 9] {
                for n in [1, 2, 3, 4, 5, 6, 9] {
                    seed += 1;
                    let a = Matrix::random_normal(m, p, seed);
                    let b = Matrix::random_normal(p, n, seed + 1000);
                    let c0 = Matrix::random_normal(m, n, seed + 2000);
                    let want = &naive(&a, &b) + &c0;
                    // The same p products summed in another order: ≤ (p + 1)ε Σ|terms| (+ C).
                    let size = naive(&a.map(f64::abs), &b.map(f64::abs)).max_abs() + c0.max_abs();
                    let tol = 2.0 * (p + 1) as f64 * f64::EPSILON * size;
                    let mut c = c0.clone();
                    c.add_matmul(&a, &b);
                    assert!((&c - &want).max_abs() <= tol, "add_matmul {m}x{p}x{n}");
                    let mut c = c0.clone();
                    c.add_tr_matmul(&a.transpose(), &b);
                    assert!((&c - &want).max_abs() <= tol, "add_tr_matmul {m}x{p}x{n}");
                    let mut c = c0.clone();
                    c.add_matmul_tr(&a, &b.transpose());
                    assert!((&c - &want).max_abs() <= tol, "add_matmul_tr {m}x{p}x{n}");
                    // AᵀA: the triangle and its mirror, for every edge shape.
                    let g = a.gram_columns();
                    let want_g = naive(&a.transpose(), &a);
                    let size_g = naive(&a.transpose().map(f64::abs), &a.map(f64::abs)).max_abs();
                    let tol_g = 2.0 * (m + 1) as f64 * f64::EPSILON * size_g;
                    assert!((&g - &want_g).max_abs() <= tol_g, "gram_columns {m}x{p}");
                    assert_eq!(g, g.transpose(), "gram_columns {m}x{p}: exactly symmetric");
                }
            }
        }
    }

    /// Large enough for the row blocks and the threads: the same bits as the tile rows computed
    /// one after the other on one thread, and AᵀA to rounding.
    #[test]
    fn gram_columns_threads_change_no_bit() {
        let (m, p) = (700, 66);
        assert!(m * p * p >= super::SYRK_PARALLEL_WORK && m > super::SYRK_ROW_BLOCK);
        let a = Matrix::random_normal(m, p, 7);
        let g = a.gram_columns();
        let mut serial = Matrix::zeros(p, p);
        for (t, tile_row) in serial.as_mut_slice().chunks_mut(4 * p).enumerate() {
            super::kernels::ata_upper(tile_row, 4 * t, a.as_slice(), m, p);
        }
        for i in 0..p {
            for j in i..p {
                assert_eq!(g[(i, j)].to_bits(), serial[(i, j)].to_bits(), "({i}, {j})");
                assert_eq!(g[(j, i)].to_bits(), serial[(i, j)].to_bits(), "({j}, {i})");
            }
        }
        // Sums of m products of N(0, 1) entries: (m + 1)ε Σ|a_ki a_kj| ≤ (m + 1)ε · max_j ||a_j||².
        let want = a.tr_matmul(&a);
        let tol =
            2.0 * (m + 1) as f64 * f64::EPSILON * want.diag().iter().fold(0.0, |x, &y| y.max(x));
        assert!((&g - &want).max_abs() <= tol);
    }
}
