//! Double centering B = J A J, J = I - (1/N) 1 1^T: the step shared by classical MDS
//! (A = -½ Δ²) and kernel PCA (A = K).

use linalg::Matrix;

/// Row means of the symmetric `a` (equal to its column means) and their overall mean.
pub(crate) fn row_means(a: &Matrix) -> (Vec<f64>, f64) {
    let n = a.nrows();
    let mut means = vec![0.0; n];
    // Rows on both cores (each sum is the same whichever core computes it).
    crate::parallel::for_each_row(&mut means, 1, |i, m| {
        m[0] = a.row(i).iter().sum::<f64>() / n as f64;
    });
    let grand = means.iter().sum::<f64>() / n as f64;
    (means, grand)
}

/// Replace the symmetric `a` by J A J in place: (JAJ)_ij = a_ij - r_i - r_j + r̄ with r the
/// row (= column) means and r̄ their mean. O(N^2), no N x N temporary (a product with J
/// would cost O(N^3)). Returns r and r̄, which kernel PCA needs to centre test kernels.
pub(crate) fn double_center_in_place(a: &mut Matrix) -> (Vec<f64>, f64) {
    let (means, grand) = row_means(a);
    crate::parallel::for_each_row(a.as_mut_slice(), means.len().max(1), |i, row| {
        let ri = means[i];
        for (v, &rj) in row.iter_mut().zip(&means) {
            // (r_i + r_j) is the same floating-point number as (r_j + r_i), so an exactly
            // symmetric input stays exactly symmetric, as the eigensolvers expect.
            *v = (*v - (ri + rj)) + grand;
        }
    });
    (means, grand)
}

/// [`double_center_in_place`] for a symmetric matrix of which only the upper triangle
/// (j ≥ i) is stored: the row means come from one product with the vector of ones, which
/// reads the upper triangle only ([`crate::spectral::TwoCores`], the same on one core or two),
/// and the entries on and right of the diagonal are centred, the rows cut between the cores
/// by area ([`crate::parallel::for_each_upper_row`]). The lower triangle is left as it was.
/// Kernel PCA's Gram matrix takes this path: it saves the mirroring and half the passes.
pub(crate) fn double_center_upper_in_place(a: &mut Matrix) -> (Vec<f64>, f64) {
    use linalg::SymmetricOperator;
    let n = a.nrows();
    let mut means = vec![0.0; n];
    crate::spectral::TwoCores(a).apply(&vec![1.0; n], &mut means);
    means.iter_mut().for_each(|m| *m /= n as f64);
    let grand = means.iter().sum::<f64>() / n as f64;
    crate::parallel::for_each_upper_row(a.as_mut_slice(), n, |i, row| {
        let ri = means[i];
        for (v, &rj) in row[i..].iter_mut().zip(&means[i..]) {
            *v = (*v - (ri + rj)) + grand;
        }
    });
    (means, grand)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The upper-triangle centring is the full one on and above the diagonal, to rounding,
    /// and leaves the lower triangle alone. N = 300 puts both halves on their own threads.
    /// Each row mean sums N entries of size ≤ 1 (in another order on the two paths), so the
    /// means and every centred entry agree to about 4 N ε.
    #[test]
    fn upper_triangle_centring_is_the_full_centring() {
        let n = 300;
        let a = Matrix::random_symmetric(n, 5);
        let mut full = a.clone();
        let (means, grand) = double_center_in_place(&mut full);
        let mut upper = a.clone();
        let (means_u, grand_u) = double_center_upper_in_place(&mut upper);
        let tol = 4.0 * n as f64 * f64::EPSILON * a.max_abs();
        for i in 0..n {
            assert!((means[i] - means_u[i]).abs() <= tol, "mean {i}");
            for j in 0..n {
                if j >= i {
                    assert!(
                        (full[(i, j)] - upper[(i, j)]).abs() <= 4.0 * tol,
                        "({i}, {j})"
                    );
                } else {
                    assert_eq!(upper[(i, j)], a[(i, j)], "({i}, {j}) below the diagonal");
                }
            }
        }
        assert!((grand - grand_u).abs() <= tol);
    }
}
