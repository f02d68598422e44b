//! Helpers shared by the cross-crate tests in `tests/tests/` (one file per chapter of the
//! notes). Each test file is its own crate and reaches these as `tests::…`.
#![forbid(unsafe_code)]

use linalg::{orthonormalize, Matrix};

/// Largest entrywise difference between the columns of `a` and `b`, each column of `b`
/// flipped to the sign that matches `a` best (the sign of an eigenvector is a convention).
///
/// # Panics
/// If the shapes differ.
pub fn max_diff_up_to_column_signs(a: &Matrix, b: &Matrix) -> f64 {
    assert_eq!(
        a.shape(),
        b.shape(),
        "max_diff_up_to_column_signs: shapes differ"
    );
    let mut worst = 0.0f64;
    for j in 0..a.ncols() {
        let (ca, cb) = (a.col(j), b.col(j));
        let s = if linalg::dot(&ca, &cb) >= 0.0 {
            1.0
        } else {
            -1.0
        };
        for (p, q) in ca.iter().zip(&cb) {
            worst = worst.max((p - s * q).abs());
        }
    }
    worst
}

/// N x D data in a random orientation, column scales 10^(-j/2) (two orders of magnitude over
/// five columns) and every entry shifted by `offset`: the covariance has well separated
/// eigenvalues, so its eigenvectors are well conditioned, and the shift checks centering.
pub fn anisotropic_data(n: usize, d: usize, seed: u64, offset: f64) -> Matrix {
    let z = Matrix::random_normal(n, d, seed);
    let rot = orthonormalize(&Matrix::random_normal(d, d, seed + 1))
        .expect("a Gaussian matrix has full rank");
    let scaled = Matrix::from_fn(n, d, |i, j| z[(i, j)] * 10f64.powf(-(j as f64) / 2.0));
    scaled.matmul(&rot.transpose()).map(|v| v + offset)
}
