//! How good is an embedding? (`dr.quality`)
//!
//! - [`trustworthiness`]: are the embedding's neighbours true neighbours? Points that are
//!   among the k nearest of x_i in the embedding but not in the data are penalised by how far
//!   down the data's ranking they are.
//! - [`continuity`]: the converse: are the data's neighbours kept together in the embedding?
//! - [`procrustes_disparity`]: distance between two embeddings after the best translation,
//!   scaling, rotation and reflection (for "equal up to signs / rotation").
//! - [`spearman`]: rank correlation, e.g. between an embedding coordinate and the manifold's
//!   true parameter.
//!
//! Trustworthiness follows scikit-learn's `sklearn.manifold.trustworthiness` exactly (Venna &
//! Kaski 2001):
//! T(k) = 1 - 2 / (N k (2N - 3k - 1)) Σ_i Σ_{j ∈ N_k^Y(i)} max(0, r(i, j) - k),
//! where N_k^Y(i) are the k nearest neighbours of i in the embedding and r(i, j) ≥ 1 the rank
//! of j among the neighbours of i in the data (Euclidean). Both lie in [0, 1] for k < N/2 and
//! equal 1 for an embedding that keeps every neighbour ranking, e.g. an isometry.
//!
//! Ties: two points at the same distance are ordered by the smaller index. Which distances tie
//! after rounding depends on how they are computed (we sum squared differences; scikit-learn
//! expands ||x||² + ||y||² - 2<x, y>) and how they are sorted, so on data with many exact ties
//! (integers, one-decimal measurements, duplicate rows) our value and scikit-learn's can
//! differ by a few multiples of 2/(N k (2N - 3k - 1)): about 1e-4 on iris. Without ties they
//! agree to rounding.

use crate::error::{DimredError, Result};
use crate::graph::k_nearest;
use crate::parallel::for_each_row;
use linalg::{sq_dist, Matrix};

/// Trustworthiness T(k) of the embedding `y` of the data `x` (`dr.quality`); k = 5 is
/// scikit-learn's default.
///
/// ```
/// let d = dimred::data::blobs(60, 3, 4, 1.0, 2);
/// // An isometry (here a translation) keeps every neighbour: T = 1.
/// let shifted = d.x.map(|v| v + 3.0);
/// assert_eq!(dimred::quality::trustworthiness(&d.x, &shifted, 5).unwrap(), 1.0);
/// ```
///
/// # Panics
/// If `x` and `y` have different numbers of rows.
///
/// # Errors
/// `InvalidArgument` unless 1 ≤ k < N/2 (the normalisation needs 2N - 3k - 1 > 0 and
/// scikit-learn enforces k < N/2).
#[track_caller]
pub fn trustworthiness(x: &Matrix, y: &Matrix, k: usize) -> Result<f64> {
    rank_penalty(x, y, k, "trustworthiness")
}

/// Continuity C(k): trustworthiness with the roles of data and embedding exchanged, penalising
/// data neighbours that the embedding tears apart (`dr.quality`).
///
/// # Panics
/// If `x` and `y` have different numbers of rows.
///
/// # Errors
/// As [`trustworthiness`].
#[track_caller]
pub fn continuity(x: &Matrix, y: &Matrix, k: usize) -> Result<f64> {
    rank_penalty(y, x, k, "continuity")
}

/// The neighbourhood size of [`trustworthiness`] and [`continuity`] must satisfy 1 ≤ k < N/2;
/// callers check it before an expensive fit (`what` names the caller in the message).
///
/// # Errors
/// `InvalidArgument` naming `what`, k and N/2 otherwise.
pub fn check_k(n: usize, k: usize, what: &str) -> Result<()> {
    if k == 0 || 2 * k >= n {
        return Err(DimredError::InvalidArgument(format!(
            "{what}: k = {k} must satisfy 1 ≤ k < N/2 = {}",
            n as f64 / 2.0
        )));
    }
    Ok(())
}

/// 1 - 2/(N k (2N - 3k - 1)) Σ_i Σ_{j ∈ N_k^B(i)} max(0, r_A(i, j) - k).
#[track_caller]
fn rank_penalty(a: &Matrix, b: &Matrix, k: usize, what: &str) -> Result<f64> {
    assert_eq!(
        a.nrows(),
        b.nrows(),
        "{what}: data has {} rows, embedding {}",
        a.nrows(),
        b.nrows()
    );
    let n = a.nrows();
    check_k(n, k, what)?;
    let mut per_row = vec![0.0f64; n];
    for_each_row(&mut per_row, 1, |i, out| {
        let mut buf = Vec::with_capacity(n);
        k_nearest(b, i, k, &mut buf);
        let ai = a.row(i);
        let d_a: Vec<f64> = (0..n).map(|l| sq_dist(ai, a.row(l))).collect();
        let mut s = 0usize;
        for &(_, j) in &buf {
            // Rank of j among i's neighbours in A (1 = nearest), ties by index: the number of
            // l ≠ i that come before j, plus one. O(N) per neighbour, cheaper than a sort.
            let dj = d_a[j];
            let before = (0..n)
                .filter(|&l| l != i && (d_a[l] < dj || (d_a[l] == dj && l < j)))
                .count();
            s += (before + 1).saturating_sub(k);
        }
        out[0] = s as f64;
    });
    let total: f64 = per_row.iter().sum();
    let (nf, kf) = (n as f64, k as f64);
    Ok(1.0 - total * 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0)))
}

/// Procrustes disparity between two N x d configurations, as `scipy.spatial.procrustes`:
/// centre both, scale each to unit Frobenius norm, rotate/reflect the second optimally onto
/// the first (and rescale), and return the remaining sum of squared differences,
/// 1 - (Σ σ_i(A^T B))^2, in [0, 1]. Zero exactly when the two agree up to translation,
/// scale, rotation and reflection (in particular up to column signs).
///
/// ```
/// use linalg::Matrix;
/// let a = Matrix::from_rows(&[[0.0, 1.0], [2.0, 0.5], [1.0, -1.0]]);
/// let b = a.map(|v| -2.0 * v + 1.0); // reflected, scaled, shifted
/// assert!(dimred::quality::procrustes_disparity(&a, &b).unwrap() < 1e-15);
/// ```
///
/// # Panics
/// If the shapes differ.
///
/// # Errors
/// `InvalidArgument` if either configuration is a single point after centring (zero norm).
#[track_caller]
pub fn procrustes_disparity(a: &Matrix, b: &Matrix) -> Result<f64> {
    assert_eq!(
        a.shape(),
        b.shape(),
        "procrustes_disparity: shapes {:?} and {:?} differ",
        a.shape(),
        b.shape()
    );
    let normalise = |m: &Matrix, name: &str| -> Result<Matrix> {
        let (c, _) = m.center_columns();
        let f = c.frobenius_norm();
        if f == 0.0 {
            return Err(DimredError::InvalidArgument(format!(
                "procrustes_disparity: configuration {name} has all points equal"
            )));
        }
        Ok(c.scale(1.0 / f))
    };
    let (a, b) = (normalise(a, "a")?, normalise(b, "b")?);
    // Σσ(M) with M = A^T B (d x d): the σ_i^2 are the eigenvalues of M^T M.
    let m = a.tr_matmul(&b);
    let mut mtm = m.tr_matmul(&m);
    mtm.symmetrize();
    let nuclear: f64 = linalg::eigvalsh(&mtm)?
        .iter()
        .map(|&l| l.max(0.0).sqrt())
        .sum();
    Ok((1.0 - nuclear * nuclear).max(0.0))
}

/// Ranks 1..=n of the values, ties given their average rank (as `scipy.stats.rankdata`).
///
/// # Panics
/// If a value is NaN.
#[track_caller]
pub fn ranks(v: &[f64]) -> Vec<f64> {
    assert!(v.iter().all(|x| !x.is_nan()), "ranks: NaN in the input");
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut s = 0;
    while s < idx.len() {
        let mut e = s + 1;
        while e < idx.len() && v[idx[e]] == v[idx[s]] {
            e += 1;
        }
        // Positions s..e (0-based) share the mean of ranks s+1..=e.
        let avg = (s + 1 + e) as f64 / 2.0;
        for &i in &idx[s..e] {
            r[i] = avg;
        }
        s = e;
    }
    r
}

/// Pearson correlation of two equally long vectors.
///
/// # Panics
/// If the lengths differ.
///
/// # Errors
/// `InvalidArgument` if either vector is constant (the correlation is undefined).
#[track_caller]
pub fn pearson(a: &[f64], b: &[f64]) -> Result<f64> {
    assert_eq!(
        a.len(),
        b.len(),
        "pearson: lengths {} and {}",
        a.len(),
        b.len()
    );
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa == 0.0 || sbb == 0.0 {
        return Err(DimredError::InvalidArgument(
            "correlation of a constant vector is undefined".into(),
        ));
    }
    Ok(sab / (saa.sqrt() * sbb.sqrt()))
}

/// Spearman rank correlation: the Pearson correlation of the ranks (ties averaged) (`dr.quality`).
///
/// # Panics
/// If the lengths differ or a value is NaN.
///
/// # Errors
/// As [`pearson`].
#[track_caller]
pub fn spearman(a: &[f64], b: &[f64]) -> Result<f64> {
    pearson(&ranks(a), &ranks(b))
}
