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
//!
//! By default the sweeps do not run on X itself but on the small triangular factor of its
//! Householder QR with column pivoting (Drmač & Veselić 2008, [`SvdOptions::precondition`]):
//! X P = Q R, Jacobi on the rows of R (vectors of length min(m, n)), U = Q J. Same singular
//! values, as accurate, fewer and much shorter rotations. The QR is computed as a blocked
//! Householder QR of X without pivots followed by a pivoted QR of its small R (the same
//! pivots; the notes explain why); [`svd_right`] skips J and Q when only σ and V are needed.

use crate::ops::{add_matmul_slices, add_matmul_tr_slices, axpy, dot, norm2};
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
    /// quadratic: 6 to 15 sweeps are typical on X itself, 2 to 6 on the preconditioned R^T;
    /// the default 100 leaves wide room.
    pub max_sweeps: usize,
    /// QR preconditioning (Drmač & Veselić 2008, default true): factor X P = Q R by Householder
    /// QR with column pivoting and run Jacobi on the small R^T instead of the tall X. The
    /// singular values are the same and as accurate; the sweeps are fewer and each rotates
    /// vectors of length min(m, n) instead of max(m, n). `false` runs the plain one-sided
    /// Jacobi on X, the algorithm of the notes' first SVD section.
    pub precondition: bool,
}

impl Default for SvdOptions {
    fn default() -> Self {
        SvdOptions {
            max_sweeps: 100,
            precondition: true,
        }
    }
}

/// The thin SVD X = U Σ V^T by one-sided (Hestenes) Jacobi (`la.svd.one-sided-jacobi`),
/// QR-preconditioned by default (see the module documentation and [`SvdOptions`]; the
/// description below is of the sweeps, which run on X itself on the plain path and on the
/// rows of R after the QR step).
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
    let (u, singular_values, v) = svd_parts(x, options, true)?;
    Ok(Svd {
        u: u.expect("svd_parts returns U when asked for it"),
        singular_values,
        v,
    })
}

/// The singular values and right singular vectors of X, without U: what PCA needs (its
/// scores are X V, computed for the d kept columns only).
#[derive(Debug, Clone, PartialEq)]
pub struct RightSvd {
    /// σ_1 ≥ σ_2 ≥ … ≥ σ_r ≥ 0, r = min(m, n), as in [`Svd`].
    pub singular_values: Vec<f64>,
    /// n x r, orthonormal columns, the same sign rule as [`Svd::v`].
    pub v: Matrix,
}

/// The thin SVD without its left singular vectors (`la.svd.one-sided-jacobi`): the same σ and
/// V as [`svd`] (the same rotations), at a little over half the cost on a tall X.
///
/// On the preconditioned path for m ≥ n, V = P Ũ comes from the rows of the rotated R alone;
/// U = Q J needs the product J of all the rotations and then the n reflectors of Q applied to
/// it (as many flops as the QR itself), and both are skipped. For m < n the right singular
/// vectors are the accumulated side, so this computes the full SVD and drops U.
///
/// # Errors
/// As [`svd`].
pub fn svd_right(x: &Matrix) -> Result<RightSvd, LinalgError> {
    let (_, singular_values, v) = svd_parts(x, &SvdOptions::default(), false)?;
    Ok(RightSvd { singular_values, v })
}

/// U (when `want_u`), σ and V of X: the shared body of [`svd_with`] and [`svd_right`].
fn svd_parts(
    x: &Matrix,
    options: &SvdOptions,
    want_u: bool,
) -> Result<(Option<Matrix>, Vec<f64>, Matrix), LinalgError> {
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
    // The columns of the tall one of X and X^T, stored as rows.
    let mut g = if tall { x.transpose() } else { x.clone() };
    g.as_mut_slice().iter_mut().for_each(|v| *v /= scale);
    // The long-side vectors of the tall matrix are U of X when X is tall, V of X when wide.
    let long_side = want_u || !tall;
    let (ut, singular_values, vt) = if options.precondition && m.min(n) > 1 {
        preconditioned(g, options.max_sweeps, long_side)?
    } else {
        let (ut, sv, vt) = plain(g, options.max_sweeps)?;
        (Some(ut), sv, vt)
    };
    let singular_values = singular_values.iter().map(|s| s * scale).collect();
    // Singular vectors of the tall matrix: U on the long side. For X^T, swap.
    let (mut ut, mut vt) = if tall {
        (ut, vt)
    } else {
        (
            Some(vt),
            ut.expect("the long side is computed for a wide X"),
        )
    };
    for k in 0..vt.nrows() {
        if flip_sign(vt.row_mut(k)) {
            if let Some(ut) = ut.as_mut() {
                ut.row_mut(k).iter_mut().for_each(|v| *v = -*v);
            }
        }
    }
    let u = if want_u {
        ut.map(|ut| ut.transpose())
    } else {
        None
    };
    Ok((u, singular_values, vt.transpose()))
}

/// The plain one-sided Jacobi SVD of the tall matrix A whose columns are the rows of `g`
/// (r vectors of length len ≥ r): sweeps on the columns themselves. Returns U^T (r x len),
/// σ descending, V^T (r x r).
fn plain(mut g: Matrix, max_sweeps: usize) -> Result<(Matrix, Vec<f64>, Matrix), LinalgError> {
    let r = g.nrows();
    // Row i of `w` is column i of the accumulated orthogonal factor.
    let mut w = Matrix::identity(r);
    orthogonalise(&mut g, Some(&mut w), max_sweeps)?;
    let (order, singular_values, dirs) = directions(&g);
    // dirs: the normalised columns of A V, i.e. U's columns; the rotations are V's.
    Ok((dirs, singular_values, w.select_rows(&order)))
}

/// One-sided Jacobi sweeps over the rows of `g` until every pair is orthogonal to working
/// precision, accumulating the rotations in the rows of `w` when given (see [`svd`] for the
/// pair test, the rotation and the rank-deficiency rule). Returns the number of sweeps.
fn orthogonalise(
    g: &mut Matrix,
    mut w: Option<&mut Matrix>,
    max_sweeps: usize,
) -> Result<usize, LinalgError> {
    let (r, len) = g.shape();
    let tol = (len as f64).sqrt() * f64::EPSILON;
    // Rounding left by a rotation is at most about 2ε times a column's norm; 4 tol covers it.
    let zero_tol = 4.0 * tol;
    let mut converged = r <= 1;
    let mut sweeps = 0;
    let mut worst = 0.0;
    while !converged && sweeps < max_sweeps {
        sweeps += 1;
        worst = 0.0f64;
        let mut rotations = 0;
        // The squared norms α_i = ||g_i||^2: summed afresh at the start of each sweep, then
        // carried through the rotations, which change them to α - tγ and β + tγ (so a pair
        // costs one dot product and one rotation, not three sums).
        let mut sq: Vec<f64> = g.rows().map(|v| dot(v, v)).collect();
        for i in 0..r - 1 {
            for j in i + 1..r {
                let (alpha, beta) = (sq[i], sq[j]);
                // A squared norm below the smallest normal number cannot give a direction
                // (its entries are below 1e-154 after scaling): such a column counts as zero.
                if alpha < f64::MIN_POSITIVE || beta < f64::MIN_POSITIVE {
                    continue;
                }
                let (gi, gj) = g.two_rows_mut(i, j);
                let gamma = dot(gi, gj);
                if gamma.abs() <= tol * alpha.sqrt() * beta.sqrt() {
                    continue;
                }
                worst = worst.max(gamma.abs() / (alpha.sqrt() * beta.sqrt()));
                let (c, s, t) = rotation(alpha, beta, gamma);
                rotate(gi, gj, c, s);
                // α - tγ cancels when the column loses most of its length: then its norm is
                // summed again from the rotated entries.
                let (mut new_alpha, mut new_beta) = (alpha - t * gamma, beta + t * gamma);
                if new_alpha < 0.5 * alpha {
                    new_alpha = dot(gi, gi);
                }
                if new_beta < 0.5 * beta {
                    new_beta = dot(gj, gj);
                }
                // Columns parallel to working precision: the rotation cancels one of them down
                // to rounding, at most a few ε times its old norm. That remainder has no
                // direction (rotating it again would only chase rounding), so it is set to
                // exactly zero; a column that is merely small keeps its size, since the
                // threshold is relative to its own norm before the rotation.
                let cancelled = zero_tol * zero_tol;
                if new_alpha <= cancelled * alpha {
                    gi.fill(0.0);
                    new_alpha = 0.0;
                }
                if new_beta <= cancelled * beta {
                    gj.fill(0.0);
                    new_beta = 0.0;
                }
                (sq[i], sq[j]) = (new_alpha, new_beta);
                if let Some(w) = w.as_deref_mut() {
                    let (wi, wj) = w.two_rows_mut(i, j);
                    rotate(wi, wj, c, s);
                }
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
    Ok(sweeps)
}

/// After the sweeps: σ_i = ||g_i||, sorted descending (ties keep their index order, so the
/// result is deterministic), and the unit directions g_i / σ_i in that order, a zero g_i
/// completed to a unit vector orthogonal to the others ([`complete_orthonormal`]). Returns
/// the order, the σ's and the directions as rows.
fn directions(g: &Matrix) -> (Vec<usize>, Vec<f64>, Matrix) {
    let r = g.nrows();
    let norms: Vec<f64> = g.rows().map(norm2).collect();
    let mut order: Vec<usize> = (0..r).collect();
    order.sort_by(|&a, &b| norms[b].total_cmp(&norms[a]));
    let mut dirs = g.select_rows(&order);
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
    let singular_values = order.iter().map(|&i| norms[i]).collect();
    (order, singular_values, dirs)
}

/// The QR-preconditioned one-sided Jacobi SVD (Drmač & Veselić 2008) of the tall m x n
/// matrix A whose columns are the rows of `at`. Returns U^T (n x m) when `want_u`, σ
/// descending, V^T (n x n).
///
/// 1. Householder QR without pivoting, A = Q_1 R_1, in blocks of reflectors applied as
///    matrix products ([`householder_qr_blocked`]): the one step that touches all m rows.
/// 2. Householder QR with column pivoting of the small R_1, R_1 P = Q_2 R
///    ([`householder_qr_pivoted`]). Then A P = (Q_1 Q_2) R is a pivoted QR of A: Q_1 keeps
///    lengths, so the columns of R_1 have the norms (and the norms after each projection) of
///    the columns of A, and the pivots are the ones a pivoted QR of A itself would choose.
/// 3. One-sided Jacobi on the columns of R^T, i.e. on the rows of R (vectors of length n,
///    not m): R^T J = Ũ Σ with J the product of the rotations, so R = J Σ Ũ^T.
/// 4. Then A P = (Q_1 Q_2 J) Σ Ũ^T: V = P Ũ, Ũ's rows put back in the original column
///    order, and (only when asked) U = Q_1 Q_2 J, the reflectors applied to J's columns.
///
/// Why R^T: A^T A = P R^T R P^T, and Jacobi on R^T diagonalises R R^T instead, which is one
/// step of the LR iteration away from R^T R; with the pivoted R's rapidly decreasing diagonal
/// it is already close to diagonal, so few sweeps remain (the notes' linear-algebra chapter).
fn preconditioned(
    mut at: Matrix,
    max_sweeps: usize,
    want_u: bool,
) -> Result<(Option<Matrix>, Vec<f64>, Matrix), LinalgError> {
    let (n, m) = at.shape();
    let (mut r1t, blocks) = householder_qr_blocked(&mut at);
    let (mut r, tau2, perm) = householder_qr_pivoted(&mut r1t);
    let mut j = want_u.then(|| Matrix::identity(n));
    orthogonalise(&mut r, j.as_mut(), max_sweeps)?;
    let (order, singular_values, dirs) = directions(&r);
    let ut = j.map(|j| {
        let q2j = apply_q(&r1t, &tau2, &j.select_rows(&order));
        apply_q_blocked(&blocks, &q2j, m)
    });
    // Row k of dirs is Ũ's column k in the pivoted order: entry i belongs to column perm[i].
    let mut vt = Matrix::zeros(n, n);
    for (k, d) in dirs.rows().enumerate() {
        let row = vt.row_mut(k);
        for (i, &v) in d.iter().enumerate() {
            row[perm[i]] = v;
        }
    }
    Ok((ut, singular_values, vt))
}

/// The Householder reflector H = I - τ v v^T, v = (1, v'), that maps `col` onto β e_1 with
/// |β| = ||col|| and β of the sign opposite to col[0] (no cancellation in col[0] - β). On
/// return col[0] = β and col[1..] = v'; returns τ = (β - col[0]) / β, 0 when col[1..] is
/// already zero (H = I).
fn make_reflector(col: &mut [f64]) -> f64 {
    let (alpha, below) = (col[0], norm2(&col[1..]));
    if below == 0.0 {
        return 0.0;
    }
    let beta = -alpha.signum() * alpha.hypot(below);
    let inv = 1.0 / (alpha - beta);
    col[1..].iter_mut().for_each(|v| *v *= inv);
    col[0] = beta;
    (beta - alpha) / beta
}

/// c ← H c for H = I - τ v v^T with v = (1, v'): c_0 and c[1..] against v'.
#[inline]
fn apply_reflector(v: &[f64], tau: f64, c: &mut [f64]) {
    if tau == 0.0 {
        return;
    }
    let (c0, rest) = c.split_first_mut().expect("apply_reflector: empty column");
    let f = tau * (*c0 + dot(v, rest));
    *c0 -= f;
    axpy(-f, v, rest);
}

/// Reflectors per block of [`householder_qr_blocked`]: enough that the update of the columns
/// to the right is a matrix product (each of their entries read once per block, not once per
/// reflector), few enough that the panel, factored one reflector at a time, stays cheap. On
/// the digits (1797 x 64) blocks of 4 and 8 took 3.4 ms for `svd_right`, 16 took 3.6 ms and 32
/// took 4.5 ms (best of 300, load 3 on 2 cores).
const QR_BLOCK: usize = 8;

/// The reflectors H_{k0} … H_{k0+b-1} of one block in the compact WY form (Schreiber & Van
/// Loan 1989): H_{k0} ⋯ H_{k0+b-1} = I - V T V^T.
struct ReflectorBlock {
    /// V^T (b x m): row l is v_{k0+l}, zero before k0 + l, 1 at k0 + l, then v'.
    vt: Matrix,
    /// T (b x b), upper triangular.
    t: Matrix,
}

/// Householder QR without pivoting, A = Q R, of the tall m x n matrix A stored by columns
/// (row j of `at` is column j of A), in blocks of [`QR_BLOCK`] reflectors (LAPACK's `dgeqrf`).
///
/// Each block factors its b columns one reflector at a time ([`make_reflector`],
/// [`apply_reflector`]), writes the block as I - V T V^T ([`compact_wy`]) and applies the
/// transpose to all columns to its right at once, C ← C - V T^T (V^T C), as two matrix
/// products (the crate's register-tiled kernels). The same reflectors as the column-by-column
/// algorithm, so the same backward stability: the computed R is the exact R of A + δA with
/// ||δa_j|| ≤ c m n ε ||a_j|| column by column, which is what keeps small columns accurate.
///
/// Returns R^T (n x n, row j = column j of R: R's entries r_ij, i ≤ j, left in row j of `at`
/// at positions i ≤ j) and the blocks; v' stays in `at`.
fn householder_qr_blocked(at: &mut Matrix) -> (Matrix, Vec<ReflectorBlock>) {
    let (n, m) = at.shape();
    let mut blocks = Vec::with_capacity(n.div_ceil(QR_BLOCK));
    for k0 in (0..n).step_by(QR_BLOCK) {
        let k1 = (k0 + QR_BLOCK).min(n);
        let mut tau = Vec::with_capacity(k1 - k0);
        for k in k0..k1 {
            let (head, tail) = at.as_mut_slice().split_at_mut((k + 1) * m);
            let col = &mut head[k * m + k..];
            tau.push(make_reflector(col));
            let v = &col[1..];
            for cj in tail[..(k1 - k - 1) * m].chunks_exact_mut(m) {
                apply_reflector(v, tau[k - k0], &mut cj[k..]);
            }
        }
        let block = compact_wy(at, k0, &tau);
        if k1 < n {
            apply_block(&block, &mut at.as_mut_slice()[k1 * m..], true);
        }
        blocks.push(block);
    }
    let rt = Matrix::from_fn(n, n, |j, i| if i <= j { at[(j, i)] } else { 0.0 });
    (rt, blocks)
}

/// V^T and T of the block of reflectors k0.. (LAPACK's `dlarft`, forward, by columns):
/// T_ll = τ_l and, column by column, T[0..l, l] = -τ_l T[0..l, 0..l] (V[:, 0..l]^T v_l).
fn compact_wy(at: &Matrix, k0: usize, tau: &[f64]) -> ReflectorBlock {
    let (b, m) = (tau.len(), at.ncols());
    let mut vt = Matrix::zeros(b, m);
    for l in 0..b {
        let k = k0 + l;
        let row = vt.row_mut(l);
        row[k] = 1.0;
        row[k + 1..].copy_from_slice(&at.row(k)[k + 1..]);
    }
    let mut t = Matrix::zeros(b, b);
    for l in 0..b {
        t[(l, l)] = tau[l];
        // v_l is zero before k0 + l, so V^T v_l needs only the entries from there on.
        let vl = &vt.row(l)[k0 + l..];
        let z: Vec<f64> = (0..l).map(|i| dot(&vt.row(i)[k0 + l..], vl)).collect();
        for i in 0..l {
            let s: f64 = (i..l).map(|c| t[(i, c)] * z[c]).sum();
            t[(i, l)] = -tau[l] * s;
        }
    }
    ReflectorBlock { vt, t }
}

/// The rows c of `rows` (each of length m) replaced by (I - V T^T V^T) c when `transpose`
/// (Q_block^T, the factorisation's update), else by (I - V T V^T) c (Q_block, to build U).
/// In rows: W = C V, Y = W T (or W T^T), C ← C - Y V^T, two tiled products.
fn apply_block(block: &ReflectorBlock, rows: &mut [f64], transpose: bool) {
    let (b, m) = block.vt.shape();
    let count = rows.len() / m;
    let mut w = vec![0.0; count * b];
    add_matmul_tr_slices(&mut w, rows, block.vt.as_slice(), count, m, b);
    let w = Matrix::from_vec(count, b, w);
    let t = if transpose {
        block.t.clone()
    } else {
        block.t.transpose()
    };
    let minus_y = w.matmul(&t).scale(-1.0);
    add_matmul_slices(rows, minus_y.as_slice(), block.vt.as_slice(), count, b, m);
}

/// The rows of `c` (each of length n ≤ m, padded with zeros to m) mapped by
/// Q = H_0 H_1 ⋯ H_{n-1} of [`householder_qr_blocked`]: the blocks applied last first.
fn apply_q_blocked(blocks: &[ReflectorBlock], c: &Matrix, m: usize) -> Matrix {
    let n = c.ncols();
    let mut out = Matrix::zeros(c.nrows(), m);
    for (o, ci) in out.as_mut_slice().chunks_exact_mut(m).zip(c.rows()) {
        o[..n].copy_from_slice(ci);
    }
    for block in blocks.iter().rev() {
        apply_block(block, out.as_mut_slice(), false);
    }
    out
}

/// Householder QR with column pivoting, A P = Q R, of the m x n matrix A (m ≥ n) stored by
/// columns (row j of `at` is column j of A, so every loop is contiguous); here A is the small
/// n x n R_1 of the unpivoted QR.
///
/// Step k swaps the remaining column of largest norm into place (LAPACK's `dgeqp3` rule, the
/// norms downdated as ||a_j||^2 ← ||a_j||^2 - r_kj^2 and recomputed when cancellation has
/// eaten half their digits), then the reflector H_k ([`make_reflector`]) maps the column's
/// entries k.. onto β e_k and is applied to the columns to its right. Returns R (n x n,
/// row-major), the τ_k and the permutation (column i of A P is column perm[i] of A); v' is
/// left in `at`, row k, entries k + 1.., for [`apply_q`].
fn householder_qr_pivoted(at: &mut Matrix) -> (Matrix, Vec<f64>, Vec<usize>) {
    let (n, m) = at.shape();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut norms: Vec<f64> = at.rows().map(norm2).collect();
    let mut norms_at_update = norms.clone();
    let mut tau = vec![0.0; n];
    let mut r = Matrix::zeros(n, n);
    let recompute = f64::EPSILON.sqrt();
    for k in 0..n {
        let p = (k..n).fold(k, |best, j| if norms[j] > norms[best] { j } else { best });
        if p != k {
            let (ak, ap) = at.two_rows_mut(k, p);
            ak.swap_with_slice(ap);
            perm.swap(k, p);
            norms.swap(k, p);
            norms_at_update.swap(k, p);
            for i in 0..k {
                r.row_mut(i).swap(k, p);
            }
        }
        let (head, tail) = at.as_mut_slice().split_at_mut((k + 1) * m);
        let col = &mut head[k * m + k..];
        tau[k] = make_reflector(col);
        r[(k, k)] = col[0];
        let v = &col[1..];
        for (jj, cj) in tail.chunks_exact_mut(m).enumerate() {
            let j = k + 1 + jj;
            let cj = &mut cj[k..];
            apply_reflector(v, tau[k], cj);
            r[(k, j)] = cj[0];
            if norms[j] > 0.0 {
                let t = 1.0 - (cj[0] / norms[j]).powi(2);
                let t = t.max(0.0);
                if t * (norms[j] / norms_at_update[j]).powi(2) <= recompute {
                    norms[j] = norm2(&cj[1..]);
                    norms_at_update[j] = norms[j];
                } else {
                    norms[j] *= t.sqrt();
                }
            }
        }
    }
    (r, tau, perm)
}

/// The rows of `c` (each of length n) mapped by Q = H_0 H_1 … H_{n-1}: row i of the result
/// (length m) is Q (c_i, 0, …, 0). Reflectors from [`householder_qr_pivoted`], applied last
/// first; each keeps a vector's norm, so orthonormal rows stay orthonormal to rounding.
fn apply_q(at: &Matrix, tau: &[f64], c: &Matrix) -> Matrix {
    let (n, m) = at.shape();
    let mut out = Matrix::zeros(c.nrows(), m);
    for (o, ci) in out.as_mut_slice().chunks_exact_mut(m).zip(c.rows()) {
        o[..n].copy_from_slice(ci);
    }
    for k in (0..n).rev() {
        let v = &at.row(k)[k + 1..];
        for o in out.as_mut_slice().chunks_exact_mut(m) {
            apply_reflector(v, tau[k], &mut o[k..]);
        }
    }
    out
}

/// The rotation (c, s) whose columns [[c, s], [-s, c]] diagonalise the Gram block
/// [[α, γ], [γ, β]] (γ ≠ 0), computed stably (Rutishauser): ζ = (β - α) / (2γ),
/// t = sign(ζ) / (|ζ| + sqrt(ζ^2 + 1)) (the smaller root of t^2 + 2ζ t - 1 = 0, so the angle is
/// at most π/4), c = 1 / sqrt(1 + t^2), s = t c. The same formula as [`crate::eigh`]'s
/// rotation, applied to a Gram matrix that is never formed. Returns (c, s, t); the rotation
/// changes the squared norms to α - tγ and β + tγ (the root's equation makes the terms in
/// t^2 cancel), with their sum α + β unchanged.
///
/// For |ζ| > 1/sqrt(ε), sqrt(ζ^2 + 1) = |ζ| to working precision, so t = 1 / (2ζ): no ζ^2 to
/// overflow when the columns are nearly orthogonal and of very different lengths.
#[inline]
fn rotation(alpha: f64, beta: f64, gamma: f64) -> (f64, f64, f64) {
    let zeta = (beta - alpha) / (2.0 * gamma);
    let t = if zeta.abs() > 1.0 / f64::EPSILON.sqrt() {
        0.5 / zeta
    } else {
        zeta.signum() / (zeta.abs() + zeta.hypot(1.0))
    };
    let c = 1.0 / t.hypot(1.0);
    (c, t * c, t)
}

/// (x, y) ← (c x - s y, s x + c y): columns i and j of X J, stored as rows.
#[inline]
fn rotate(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    for (xk, yk) in x.iter_mut().zip(y.iter_mut()) {
        let (a, b) = (*xk, *yk);
        *xk = c * a - s * b;
        *yk = s * a + c * b;
    }
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
