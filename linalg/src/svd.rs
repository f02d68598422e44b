//! The singular value decomposition by one-sided (Hestenes) Jacobi
//! (`la.svd.one-sided-jacobi`).
//!
//! Two-sided Jacobi ([`crate::eigh`]) rotates rows *and* columns of a symmetric matrix. The
//! one-sided variant (Hestenes 1958) rotates only the columns of X: a rotation of columns i
//! and j, X ← X J, chosen to make the two columns orthogonal, is exactly the Jacobi rotation
//! that zeroes entry (i, j) of the Gram matrix X^T X, which is never formed. When every pair
//! of columns is orthogonal, X V = [g_1 … g_r] with orthogonal columns g_i = σ_i u_i, so
//! X = U Σ V^T, and V^T (X^T X) V = Σ^2: the σ_i^2 are the eigenvalues of X^T X.
//!
//! Because X^T X is never formed, small singular values keep their relative accuracy
//! (forming X^T X would square the condition number and lose them).

use crate::ops::{axpy, dot, norm2};
use crate::{fix_sign, LinalgError, Matrix};

/// The thin singular value decomposition X = U diag(σ) V^T of an m x n matrix, r = min(m, n).
#[derive(Debug, Clone, PartialEq)]
pub struct Svd {
    /// m x r, orthonormal columns (U^T U = I_r, also where σ_i = 0, see [`svd`]).
    pub u: Matrix,
    /// σ_1 ≥ σ_2 ≥ … ≥ σ_r ≥ 0.
    pub singular_values: Vec<f64>,
    /// n x r, orthonormal columns. Sign rule: the entry of largest magnitude of each column
    /// v_i is positive ([`fix_sign`], as scikit-learn's PCA components); u_i follows so that
    /// X v_i = σ_i u_i.
    pub v: Matrix,
}

/// Settings of the one-sided Jacobi SVD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SvdOptions {
    /// Give up after this many sweeps over all pairs of columns. Convergence is ultimately
    /// quadratic: 6 to 15 sweeps are typical; the default 100 leaves wide room.
    pub max_sweeps: usize,
}

impl Default for SvdOptions {
    fn default() -> Self {
        SvdOptions { max_sweeps: 100 }
    }
}

/// The thin SVD X = U Σ V^T by one-sided (Hestenes) Jacobi (`la.svd.one-sided-jacobi`).
///
/// The vectors being orthogonalised are stored as the *rows* of a working matrix G, so each
/// rotation runs over two contiguous slices: G = X^T (the n columns of X) when m ≥ n, and
/// G = X (the m columns of X^T) when m < n, so that the number of vectors rotated is always
/// r = min(m, n). The product of the rotations is accumulated in the same way.
///
/// Sweeps visit the pairs (i, j), i < j, row by row. With α = ||g_i||^2, β = ||g_j||^2 and
/// γ = g_i · g_j, a pair is skipped when |γ| ≤ tol · sqrt(α β), tol = sqrt(len) · ε (len the
/// length of the vectors): a test *relative* to the two norms, so tiny columns are made
/// orthogonal as carefully as large ones. The sqrt(len) factor is LAPACK's (`dgesvj`): a
/// computed dot product of two length-len vectors carries rounding of that relative size, so a
/// stricter test would chase rounding noise. Otherwise the rotation is the Jacobi rotation that
/// diagonalises the 2x2 Gram block [[α, γ], [γ, β]]. The SVD has converged when a sweep
/// rotates nothing.
///
/// Rank deficiency: when two columns are parallel to working precision, their rotation leaves
/// one of them at rounding level (a few ε times its previous norm). That remainder has no
/// direction, and rotating it again would only chase rounding, so it is set to exactly zero.
/// The threshold is relative to the column's own norm, so columns that are merely small (a
/// badly scaled X) keep their relative accuracy. Columns whose squared norm is below the
/// smallest normal number also count as zero.
///
/// Zero singular values: a zero column g_i has no direction. Its singular vector on that side
/// is completed to a unit vector orthogonal to all the others (a coordinate vector e_k, the one
/// least covered by the other vectors, orthogonalised against them), so U^T U = I and
/// V^T V = I always, as for a full-rank X.
///
/// X is first scaled by a power of two (exact) so that its largest entry is in [1, 2): the
/// squared norms then neither overflow nor underflow needlessly.
///
/// ```
/// use linalg::{svd, Matrix};
/// let x = Matrix::from_rows(&[[3.0, 0.0], [4.0, 5.0]]);
/// let s = svd(&x).unwrap();
/// // σ = sqrt(45), sqrt(5): σ_1 σ_2 = |det X| = 15, σ_1^2 + σ_2^2 = ||X||_F^2 = 50.
/// assert!((s.singular_values[0] - 45f64.sqrt()).abs() < 1e-14);
/// assert!((s.singular_values[1] - 5f64.sqrt()).abs() < 1e-14);
/// ```
///
/// # Errors
/// `NonFinite` for a NaN or infinite entry; `NoConvergence` when [`SvdOptions::max_sweeps`]
/// sweeps did not orthogonalise all pairs (the residual is the largest relative
/// non-orthogonality |γ| / sqrt(α β) met in the last sweep).
pub fn svd(x: &Matrix) -> Result<Svd, LinalgError> {
    svd_with(x, &SvdOptions::default())
}

/// [`svd`] with explicit options.
///
/// # Errors
/// As [`svd`].
pub fn svd_with(x: &Matrix, options: &SvdOptions) -> Result<Svd, LinalgError> {
    if let Some((at, value)) = x.find_non_finite() {
        return Err(LinalgError::NonFinite { at, value });
    }
    let (m, n) = x.shape();
    let tall = m >= n;
    // Power-of-two scaling: exact, and keeps α, β, γ far from overflow and underflow.
    let max_abs = x.max_abs();
    let scale = if max_abs > 0.0 {
        2f64.powi(max_abs.log2().floor() as i32)
    } else {
        1.0
    };
    let mut g = if tall { x.transpose() } else { x.clone() };
    g.as_mut_slice().iter_mut().for_each(|v| *v /= scale);
    let (r, len) = g.shape();
    // Row i of `w` is column i of the accumulated orthogonal factor.
    let mut w = Matrix::identity(r);

    let tol = (len as f64).sqrt() * f64::EPSILON;
    // Rounding left by a rotation is at most about 2ε times a column's norm; 4 tol covers it.
    let zero_tol = 4.0 * tol;
    let mut converged = r <= 1;
    let mut sweeps = 0;
    let mut worst = 0.0;
    while !converged && sweeps < options.max_sweeps {
        sweeps += 1;
        worst = 0.0f64;
        let mut rotations = 0;
        for i in 0..r - 1 {
            for j in i + 1..r {
                let (gi, gj) = g.two_rows_mut(i, j);
                let (alpha, beta, gamma) = gram_2x2(gi, gj);
                // A squared norm below the smallest normal number cannot give a direction
                // (its entries are below 1e-154 after scaling): such a column counts as zero.
                // The relative test also skips exact zero columns (γ = 0).
                if alpha < f64::MIN_POSITIVE
                    || beta < f64::MIN_POSITIVE
                    || gamma.abs() <= tol * alpha.sqrt() * beta.sqrt()
                {
                    continue;
                }
                worst = worst.max(gamma.abs() / (alpha.sqrt() * beta.sqrt()));
                let (c, s) = rotation(alpha, beta, gamma);
                let (new_alpha, new_beta) = rotate(gi, gj, c, s);
                // Columns parallel to working precision: the rotation cancels one of them down
                // to rounding, at most a few ε times its old norm. That remainder has no
                // direction (rotating it again would only chase rounding), so it is set to
                // exactly zero; a column that is merely small keeps its size, since the
                // threshold is relative to its own norm before the rotation.
                let cancelled = zero_tol * zero_tol;
                if new_alpha <= cancelled * alpha {
                    gi.fill(0.0);
                }
                if new_beta <= cancelled * beta {
                    gj.fill(0.0);
                }
                let (wi, wj) = w.two_rows_mut(i, j);
                rotate(wi, wj, c, s);
                rotations += 1;
            }
        }
        converged = rotations == 0;
    }
    if !converged {
        return Err(LinalgError::NoConvergence {
            method: "one-sided Jacobi SVD",
            iterations: sweeps,
            residual: worst,
        });
    }

    // σ_i = ||g_i||, sorted descending; ties keep their index order (deterministic).
    let norms: Vec<f64> = g.rows().map(norm2).collect();
    let mut order: Vec<usize> = (0..r).collect();
    order.sort_by(|&a, &b| norms[b].total_cmp(&norms[a]));
    let singular_values = order.iter().map(|&i| norms[i] * scale).collect();
    // Directions of the g_i (length len), and the rotation columns (length r).
    let mut dirs = g.select_rows(&order);
    let rots = w.select_rows(&order);
    let mut zero = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        // As in the sweeps: a squared norm below the smallest normal number is zero.
        if norms[i] * norms[i] < f64::MIN_POSITIVE {
            zero.push(k);
        } else {
            dirs.row_mut(k).iter_mut().for_each(|v| *v /= norms[i]);
        }
    }
    complete_orthonormal(&mut dirs, &zero);

    // dirs holds the singular vectors on the length-`len` side: U's columns when m ≥ n (we
    // rotated the columns of X), V's when m < n (we rotated the columns of X^T).
    let (mut ut, mut vt) = if tall { (dirs, rots) } else { (rots, dirs) };
    for k in 0..r {
        if flip_sign(vt.row_mut(k)) {
            ut.row_mut(k).iter_mut().for_each(|v| *v = -*v);
        }
    }
    Ok(Svd {
        u: ut.transpose(),
        singular_values,
        v: vt.transpose(),
    })
}

/// (||x||^2, ||y||^2, x · y) in one pass over both slices.
#[inline]
fn gram_2x2(x: &[f64], y: &[f64]) -> (f64, f64, f64) {
    let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
    for (&xk, &yk) in x.iter().zip(y) {
        a += xk * xk;
        b += yk * yk;
        c += xk * yk;
    }
    (a, b, c)
}

/// The rotation (c, s) whose columns [[c, s], [-s, c]] diagonalise the Gram block
/// [[α, γ], [γ, β]] (γ ≠ 0), computed stably (Rutishauser): ζ = (β - α) / (2γ),
/// t = sign(ζ) / (|ζ| + sqrt(ζ^2 + 1)) (the smaller root of t^2 + 2ζ t - 1 = 0, so the angle is
/// at most π/4), c = 1 / sqrt(1 + t^2), s = t c. The same formula as [`crate::eigh`]'s
/// rotation, applied to a Gram matrix that is never formed.
#[inline]
fn rotation(alpha: f64, beta: f64, gamma: f64) -> (f64, f64) {
    let zeta = (beta - alpha) / (2.0 * gamma);
    // hypot: no overflow of ζ^2 for nearly orthogonal columns of very different lengths.
    let t = if zeta >= 0.0 {
        1.0 / (zeta + zeta.hypot(1.0))
    } else {
        -1.0 / (-zeta + zeta.hypot(1.0))
    };
    let c = 1.0 / t.hypot(1.0);
    (c, t * c)
}

/// (x, y) ← (c x - s y, s x + c y): columns i and j of X J, stored as rows. Returns the new
/// squared norms (||x||^2, ||y||^2), accumulated in the same pass.
#[inline]
fn rotate(x: &mut [f64], y: &mut [f64], c: f64, s: f64) -> (f64, f64) {
    let (mut nx, mut ny) = (0.0, 0.0);
    for (xk, yk) in x.iter_mut().zip(y.iter_mut()) {
        let (a, b) = (*xk, *yk);
        *xk = c * a - s * b;
        *yk = s * a + c * b;
        nx += *xk * *xk;
        ny += *yk * *yk;
    }
    (nx, ny)
}

/// Apply the workspace sign rule ([`fix_sign`]) to `v` and report whether it flipped `v`.
fn flip_sign(v: &mut [f64]) -> bool {
    let Some(k) = v.iter().position(|&x| x != 0.0) else {
        return false;
    };
    let before = v[k];
    fix_sign(v);
    v[k] != before
}

/// Replace the rows listed in `missing` (currently zero) by unit vectors orthogonal to every
/// other row, so that the rows become orthonormal. The other rows must be orthonormal and the
/// row count at most the row length.
///
/// For each missing row, the coordinate vector e_k with the smallest Σ_i q_ik^2 over the rows
/// already orthonormal is the one they cover least: its residual after projection has norm^2
/// 1 - Σ_i q_ik^2 ≥ 1/len > 0, since Σ_k Σ_i q_ik^2 = (number of rows) < len. Classical
/// Gram–Schmidt twice then makes it orthogonal to working accuracy.
fn complete_orthonormal(q: &mut Matrix, missing: &[usize]) {
    if missing.is_empty() {
        return;
    }
    let (r, len) = q.shape();
    let mut done: Vec<usize> = (0..r).filter(|i| !missing.contains(i)).collect();
    for &z in missing {
        let mut cover = vec![0.0; len];
        for &i in &done {
            for (c, &v) in cover.iter_mut().zip(q.row(i)) {
                *c += v * v;
            }
        }
        let k = (0..len)
            .min_by(|&a, &b| cover[a].total_cmp(&cover[b]))
            .expect("complete_orthonormal: rows of length 0 cannot be completed");
        let mut e = vec![0.0; len];
        e[k] = 1.0;
        for _pass in 0..2 {
            for &i in &done {
                let qi = q.row(i);
                axpy(-dot(qi, &e), qi, &mut e);
            }
        }
        let nrm = norm2(&e);
        q.row_mut(z)
            .iter_mut()
            .zip(&e)
            .for_each(|(v, &ek)| *v = ek / nrm);
        done.push(z);
    }
}
