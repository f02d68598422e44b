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
