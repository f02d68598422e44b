//! Exercise 05 · the SVD, column by column: one-sided (Hestenes) Jacobi
//! (`la.svd.one-sided-jacobi`).
//!
//! Task: the singular values of an m×n matrix X and the orthogonal n×n matrix V of its right
//! singular vectors, without ever forming XᵀX. Rotate pairs of columns of a working copy of X
//! (and the same pairs of columns of V, which starts as the identity) until every pair of
//! columns is orthogonal; then XV has orthogonal columns, and their norms are the singular
//! values. Return all n of them, largest first, with the columns of V in the same order.
//!
//! Claim: `la.svd.one-sided-jacobi`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.svd.one-sided-jacobi`: the SVD, column by column".

use linalg::Matrix;

/// The n singular values of the m×n `x`, largest first, and the n×n orthogonal V whose
/// columns are the matching right singular vectors (`la.svd.one-sided-jacobi`).
pub fn one_sided_jacobi(x: &Matrix) -> (Vec<f64>, Matrix) {
    // BEGIN SOLUTION: return the singular values of x, largest first, and V, computed by one-sided Jacobi rotations of the columns
    let (m, n) = x.shape();
    let mut u = x.clone();
    let mut v = Matrix::identity(n);
    let rotate = |a: &mut Matrix, p: usize, q: usize, c: f64, s: f64| {
        for i in 0..a.nrows() {
            let (ap, aq) = (a[(i, p)], a[(i, q)]);
            a[(i, p)] = c * ap - s * aq;
            a[(i, q)] = s * ap + c * aq;
        }
    };
    for _sweep in 0..60 {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                for i in 0..m {
                    alpha += u[(i, p)] * u[(i, p)];
                    beta += u[(i, q)] * u[(i, q)];
                    gamma += u[(i, p)] * u[(i, q)];
                }
                if gamma.abs() <= f64::EPSILON * (alpha * beta).sqrt() {
                    continue;
                }
                // The 2×2 Jacobi rotation of the Gram block [[α, γ], [γ, β]] of columns p, q.
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + zeta.hypot(1.0));
                let c = 1.0 / t.hypot(1.0);
                rotate(&mut u, p, q, c, c * t);
                rotate(&mut v, p, q, c, c * t);
                rotated = true;
            }
        }
        if !rotated {
            break;
        }
    }
    let norms: Vec<f64> = (0..n)
        .map(|j| (0..m).map(|i| u[(i, j)] * u[(i, j)]).sum::<f64>().sqrt())
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| norms[b].total_cmp(&norms[a]));
    let sigma = order.iter().map(|&j| norms[j]).collect();
    let v_sorted = Matrix::from_fn(n, n, |i, k| v[(i, order[k])]);
    (sigma, v_sorted)
    // END SOLUTION
}
