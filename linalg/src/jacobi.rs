//! The cyclic Jacobi eigenvalue algorithm for symmetric matrices (`la.jacobi.converges`,
//! `la.jacobi.invariants`, `la.jacobi.relative-accuracy`).
//!
//! A Jacobi rotation J(p, q, θ) chosen so that (J^T A J)_pq = 0 is an orthogonal similarity:
//! it keeps the eigenvalues, the trace and the Frobenius norm, and moves exactly 2 a_pq^2 of
//! the off-diagonal mass off(A)^2 = Σ_{i≠j} a_ij^2 onto the diagonal. Sweeping over all pairs
//! (p, q) again and again drives off(A) to zero, ultimately quadratically; the diagonal is
//! then Λ and the product of the rotations is V, so A = V Λ V^T.
//!
//! Chapter `00-linear-algebra` of the notes explains the algorithm line by line.

use crate::observe::{Observer, Silent};
use crate::{LinalgError, Matrix};

/// Eigen-decomposition A = V diag(values) V^T of a symmetric matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Eigh {
    /// Eigenvalues, sorted descending.
    pub values: Vec<f64>,
    /// Eigenvectors as columns, column i belonging to `values[i]`; orthonormal. Sign rule:
    /// the entry of largest magnitude in each column is positive (the first such entry on a
    /// tie), the convention scikit-learn uses for PCA components.
    pub vectors: Matrix,
}

/// What one sweep did, for watching the algorithm converge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepStats {
    /// Sweep number, from 1.
    pub sweep: usize,
    /// off(A) = sqrt(Σ_{i≠j} a_ij^2) after the sweep.
    pub off_norm: f64,
    /// Rotations applied during the sweep (skipped pairs are not counted).
    pub rotations: usize,
}

/// Settings of the Jacobi solver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JacobiOptions {
    /// Give up after this many sweeps. Convergence is ultimately quadratic: random matrices
    /// with n up to several hundred need about 10 sweeps; clusters of (nearly) equal or tiny
    /// eigenvalues converge linearly for a while and can need 20 or more (the stopping test is
    /// relative, so rounding noise among tiny eigenvalues is rotated until it is resolved).
    /// The default 100 leaves wide room.
    pub max_sweeps: usize,
    /// Accept |a_ij - a_ji| ≤ `symmetry_tolerance` · max|a_ij| as rounding and work on
    /// (A + A^T)/2; anything larger is an error. Default 1e-10.
    pub symmetry_tolerance: f64,
}

impl Default for JacobiOptions {
    fn default() -> Self {
        JacobiOptions {
            max_sweeps: 100,
            symmetry_tolerance: 1e-10,
        }
    }
}

/// off(A) = sqrt(Σ_{i≠j} a_ij^2), the off-diagonal Frobenius norm Jacobi drives to zero.
///
/// ```
/// let a = linalg::Matrix::from_rows(&[[1.0, 2.0], [2.0, 5.0]]);
/// assert!((linalg::off_norm(&a) - 8f64.sqrt()).abs() < 1e-15);
/// ```
pub fn off_norm(a: &Matrix) -> f64 {
    let mut s = 0.0;
    for (i, row) in a.rows().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if i != j {
                s += v * v;
            }
        }
    }
    s.sqrt()
}

/// The eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi (`la.jacobi.converges`).
///
/// ```
/// use linalg::{eigh, Matrix};
/// let a = Matrix::from_rows(&[[2.0, 1.0], [1.0, 2.0]]);
/// let e = eigh(&a).unwrap();
/// assert!((e.values[0] - 3.0).abs() < 1e-15 && (e.values[1] - 1.0).abs() < 1e-15);
/// // A v = λ v for the leading pair.
/// let v = e.vectors.col(0);
/// let av = a.matvec(&v);
/// assert!((av[0] - 3.0 * v[0]).abs() < 1e-15);
/// ```
///
/// # Errors
/// `NotSquare`; `NonFinite` for a NaN or infinite entry; `NotSymmetric` with the largest
/// asymmetry when it exceeds [`JacobiOptions::symmetry_tolerance`]; `NoConvergence` with the
/// number of sweeps and the off-norm left.
pub fn eigh(a: &Matrix) -> Result<Eigh, LinalgError> {
    jacobi(a, &JacobiOptions::default(), true, &mut Silent)
}

/// [`eigh`] with explicit options.
///
/// # Errors
/// As [`eigh`].
pub fn eigh_with(a: &Matrix, options: &JacobiOptions) -> Result<Eigh, LinalgError> {
    jacobi(a, options, true, &mut Silent)
}

/// Eigenvalues only, sorted descending: the same rotations without accumulating V, about
/// half the work.
///
/// # Errors
/// As [`eigh`].
pub fn eigvalsh(a: &Matrix) -> Result<Vec<f64>, LinalgError> {
    jacobi(a, &JacobiOptions::default(), false, &mut Silent).map(|e| e.values)
}

/// [`eigh`] watched by an [`Observer`]: after every sweep it receives the sweep number, the
/// off-norm and the number of rotations (the data of the convergence plot) and may stop the
/// run. The plain [`eigh`] is this with [`Silent`](crate::observe::Silent).
///
/// ```
/// use linalg::observe::ControlFlow;
/// let a = linalg::Matrix::random_symmetric(30, 1);
/// let mut trace = Vec::new();
/// linalg::eigh_observed(&a, &mut |s: &linalg::SweepStats| {
///     trace.push(*s);
///     ControlFlow::Continue(())
/// })
/// .unwrap();
/// // Quadratic convergence: the off-norm collapses in the last sweeps.
/// assert!(trace.last().unwrap().off_norm < 1e-12 * trace[0].off_norm);
/// ```
///
/// # Errors
/// As [`eigh`], and `Stopped` when the observer breaks.
pub fn eigh_observed(
    a: &Matrix,
    observer: &mut impl Observer<SweepStats>,
) -> Result<Eigh, LinalgError> {
    jacobi(a, &JacobiOptions::default(), true, observer)
}

/// Check that `a` is square, finite and symmetric within `tolerance` · max|a_ij|.
///
/// # Errors
/// `NotSquare`, `NonFinite`, `NotSymmetric` (naming the largest asymmetry and where it is).
pub fn check_symmetric(a: &Matrix, tolerance: f64) -> Result<(), LinalgError> {
    let (rows, cols) = a.shape();
    if rows != cols {
        return Err(LinalgError::NotSquare { rows, cols });
    }
    // One pass: pairs (a_ij, a_ji) compared in 32 x 32 blocks, so that the column reads stay
    // in cache (row by row, every a_ji is a cache miss once n is in the thousands), with the
    // largest |a_ij| and finiteness gathered on the way. On ties the first pair in row-major
    // order is reported, as a plain double loop would.
    const B: usize = 32;
    let n = rows;
    let s = a.as_slice();
    let mut worst = (0.0, (0, 0));
    let mut max_abs = 0.0f64;
    let mut finite = true;
    for i0 in (0..n).step_by(B) {
        for j0 in (i0..n).step_by(B) {
            for i in i0..(i0 + B).min(n) {
                for j in j0.max(i)..(j0 + B).min(n) {
                    let (u, l) = (s[i * n + j], s[j * n + i]);
                    finite &= u.is_finite() && l.is_finite();
                    max_abs = max_abs.max(u.abs()).max(l.abs());
                    let d = (u - l).abs();
                    if d > worst.0 || (d == worst.0 && d > 0.0 && (i, j) < worst.1) {
                        worst = (d, (i, j));
                    }
                }
            }
        }
    }
    if !finite {
        // Report the first non-finite entry in row-major order.
        if let Some((at, value)) = a.find_non_finite() {
            return Err(LinalgError::NonFinite { at, value });
        }
    }
    if worst.0 > tolerance * max_abs {
        return Err(LinalgError::NotSymmetric {
            max_asymmetry: worst.0,
            at: worst.1,
            tolerance: tolerance * max_abs,
        });
    }
    Ok(())
}

/// One Jacobi rotation of the symmetric matrix `a` in the plane (p, q), chosen so that the new
/// a_pq is exactly zero, applied as A ← J^T A J; when `vt` is given its rows p and q (the
/// eigenvector estimates, stored as rows) are rotated too, V ← V J. Returns (c, s), or `None`
/// when a_pq is already zero.
///
/// off(A)^2 falls by exactly 2 a_pq^2 (up to rounding): the rotation is orthogonal, so
/// ||A||_F is unchanged, and the 2x2 block's off-diagonal mass moves onto its diagonal.
///
/// The angle is computed stably (Rutishauser): θ = (a_qq - a_pp) / (2 a_pq),
/// t = tan φ = sign(θ) / (|θ| + sqrt(θ^2 + 1)) is the smaller root, so |φ| ≤ π/4 and the
/// rotation never swaps the diagonal; c = 1/sqrt(1 + t^2), s = t c. The new diagonal entries
/// are a_pp - t a_pq and a_qq + t a_pq, computed from t directly rather than by rotating.
///
/// ```
/// use linalg::{jacobi_rotation, off_norm, Matrix};
/// let mut a = Matrix::from_rows(&[[1.0, 2.0, 0.5], [2.0, 3.0, 1.0], [0.5, 1.0, 4.0]]);
/// let before = off_norm(&a).powi(2);
/// jacobi_rotation(&mut a, None, 0, 1);
/// assert_eq!(a[(0, 1)], 0.0);
/// assert!((before - off_norm(&a).powi(2) - 2.0 * 2.0f64.powi(2)).abs() < 1e-12);
/// ```
///
/// # Panics
/// If `p == q`, an index is out of range, or `a` (or `vt`) is not square of the same order.
#[track_caller]
pub fn jacobi_rotation(
    a: &mut Matrix,
    vt: Option<&mut Matrix>,
    p: usize,
    q: usize,
) -> Option<(f64, f64)> {
    let n = a.nrows();
    assert!(
        a.is_square() && p != q && p < n && q < n,
        "jacobi_rotation: plane ({p}, {q}) of a {}x{} matrix",
        a.nrows(),
        a.ncols()
    );
    let apq = a[(p, q)];
    if apq == 0.0 {
        return None;
    }
    let rot = Rotation::new(a[(p, p)], a[(q, q)], apq);
    rot.apply(a, p, q);
    if let Some(vt) = vt {
        assert_eq!(vt.shape(), (n, n), "jacobi_rotation: V^T must be {n}x{n}");
        let (vp, vq) = vt.two_rows_mut(p, q);
        rot.rotate_pair(vp, vq);
    }
    Some((rot.c, rot.s))
}

/// A plane rotation that annihilates a_pq, with the quantities its updates need.
#[derive(Debug, Clone, Copy)]
struct Rotation {
    c: f64,
    s: f64,
    /// t · a_pq: a_pp decreases and a_qq increases by this much.
    shift: f64,
}

impl Rotation {
    #[inline]
    fn new(app: f64, aqq: f64, apq: f64) -> Self {
        let theta = (aqq - app) / (2.0 * apq);
        // hypot avoids overflow of θ^2 when |θ| > 1e154; t → 1/(2θ) there, as it should.
        let t = if theta >= 0.0 {
            1.0 / (theta + theta.hypot(1.0))
        } else {
            -1.0 / (-theta + theta.hypot(1.0))
        };
        let c = 1.0 / t.hypot(1.0);
        Rotation {
            c,
            s: t * c,
            shift: t * apq,
        }
    }

    /// (x, y) ← (c x - s y, s x + c y) on two whole rows: the inner loop of the algorithm,
    /// four multiplications and two additions per pair, over contiguous memory.
    #[inline]
    fn rotate_pair(&self, x: &mut [f64], y: &mut [f64]) {
        let (c, s) = (self.c, self.s);
        for (xk, yk) in x.iter_mut().zip(y.iter_mut()) {
            let (a, b) = (*xk, *yk);
            *xk = c * a - s * b;
            *yk = s * a + c * b;
        }
    }

    /// Rotate rows p and q of A (the left factor J^T) and set the 2x2 block to its exact
    /// result: a_pp - t a_pq, a_qq + t a_pq, and 0. The columns p and q (the right factor J)
    /// are left to the caller, which copies them from the rows since A stays symmetric.
    #[inline]
    fn apply_to_rows(&self, a: &mut Matrix, p: usize, q: usize) {
        let app = a[(p, p)];
        let aqq = a[(q, q)];
        let (rp, rq) = a.two_rows_mut(p, q);
        self.rotate_pair(rp, rq);
        rp[p] = app - self.shift;
        rq[q] = aqq + self.shift;
        rp[q] = 0.0;
        rq[p] = 0.0;
    }

    /// A ← J^T A J in full: rows, then columns p and q copied from the new rows.
    fn apply(&self, a: &mut Matrix, p: usize, q: usize) {
        self.apply_to_rows(a, p, q);
        let n = a.nrows();
        for k in 0..n {
            if k != p && k != q {
                a[(k, p)] = a[(p, k)];
                a[(k, q)] = a[(q, k)];
            }
        }
    }
}

/// The cyclic Jacobi driver behind [`eigh`], [`eigvalsh`] and [`eigh_observed`].
///
/// Pairs (p, q) are visited row by row. A pair is skipped when
/// |a_pq| ≤ ε · sqrt(|a_pp a_qq|) (Demmel & Veselić): a_pq is then negligible *relative to
/// its own diagonal entries*, which is what keeps tiny eigenvalues accurate
/// (`la.jacobi.relative-accuracy`); a test against ε · ||A|| would stop too early for them.
/// The algorithm has converged when a whole sweep finds no pair to rotate.
///
/// Threshold strategy: in the first three sweeps, pairs with |a_pq| below
/// 0.2 · Σ_{p<q} |a_pq| / n^2 are also skipped (they would be rotated again anyway once the
/// large entries are gone), which saves rotations without changing the final test.
fn jacobi(
    a: &Matrix,
    options: &JacobiOptions,
    want_vectors: bool,
    observer: &mut impl Observer<SweepStats>,
) -> Result<Eigh, LinalgError> {
    if options.symmetry_tolerance.is_nan() || options.symmetry_tolerance < 0.0 {
        return Err(LinalgError::InvalidArgument(format!(
            "symmetry_tolerance must be a non-negative number, got {}",
            options.symmetry_tolerance
        )));
    }
    check_symmetric(a, options.symmetry_tolerance)?;
    let n = a.nrows();
    let mut w = a.clone();
    w.symmetrize();
    let mut vt = if want_vectors {
        Matrix::identity(n)
    } else {
        Matrix::zeros(0, 0)
    };

    let mut converged = n <= 1;
    let mut sweep = 0;
    while !converged && sweep < options.max_sweeps {
        sweep += 1;
        let threshold = if sweep <= 3 {
            let mut sum = 0.0;
            for p in 0..n {
                sum += w.row(p)[p + 1..].iter().map(|v| v.abs()).sum::<f64>();
            }
            0.2 * sum / (n * n) as f64
        } else {
            0.0
        };
        let mut rotations = 0;
        for p in 0..n - 1 {
            for q in p + 1..n {
                let apq = w[(p, q)];
                let (app, aqq) = (w[(p, p)], w[(q, q)]);
                // Demmel–Veselić: negligible relative to its own diagonal entries. The square
                // roots are taken separately: |a_pp a_qq| overflows once both exceed ~1e154.
                let scale = app.abs().sqrt() * aqq.abs().sqrt();
                if apq.abs() <= f64::EPSILON * scale || apq.abs() < threshold {
                    continue;
                }
                let rot = Rotation::new(app, aqq, apq);
                rot.apply_to_rows(&mut w, p, q);
                // Column q of the rows still to be visited in this sweep (k > p) must be
                // current; rows k < p are not read again before the sweep ends.
                copy_row_into_column(&mut w, q, p + 1);
                if want_vectors {
                    let (vp, vq) = vt.two_rows_mut(p, q);
                    rot.rotate_pair(vp, vq);
                }
                rotations += 1;
            }
            // Column p is only read again by later pivots, so it is copied once per pivot
            // instead of once per rotation.
            copy_row_into_column(&mut w, p, p + 1);
        }
        // Now the lower triangle is current and the upper one is stale: mirror it.
        for i in 0..n {
            for j in 0..i {
                w[(j, i)] = w[(i, j)];
            }
        }
        let stats = SweepStats {
            sweep,
            off_norm: off_norm(&w),
            rotations,
        };
        if observer.observe(&stats).is_break() {
            return Err(LinalgError::Stopped {
                method: "cyclic Jacobi",
                iteration: sweep,
            });
        }
        // Only a sweep that applied the full test (no threshold) may declare convergence.
        converged = rotations == 0 && threshold == 0.0;
    }
    if !converged {
        return Err(LinalgError::NoConvergence {
            method: "cyclic Jacobi",
            iterations: sweep,
            residual: off_norm(&w),
        });
    }

    // Sort descending; ties keep their index order, so the result is deterministic.
    let diag = w.diag();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| diag[j].total_cmp(&diag[i]));
    let values = order.iter().map(|&i| diag[i]).collect();
    let vectors = if want_vectors {
        let mut sorted = vt.select_rows(&order);
        for r in 0..n {
            fix_sign(sorted.row_mut(r));
        }
        sorted.transpose()
    } else {
        Matrix::zeros(n, 0)
    };
    Ok(Eigh { values, vectors })
}

/// a_kj = a_jk for k in `from..n`, k ≠ j: refresh column j of those rows from row j.
#[inline]
fn copy_row_into_column(a: &mut Matrix, j: usize, from: usize) {
    let n = a.nrows();
    let data = a.as_mut_slice();
    for k in from..n {
        if k != j {
            data[k * n + j] = data[j * n + k];
        }
    }
}

/// The workspace's sign rule for eigen- and singular vectors: flip `v` so that its entry of
/// largest magnitude is positive (the first one, if several tie).
pub fn fix_sign(v: &mut [f64]) {
    let mut best = 0.0f64;
    let mut sign = 1.0;
    for &x in v.iter() {
        if x.abs() > best {
            best = x.abs();
            sign = x.signum();
        }
    }
    if sign < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
}
