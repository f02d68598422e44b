//! Exercise 07 · Ky Fan's maximum principle (`la.ky-fan`).
//!
//! Task: for a symmetric n×n matrix C and 1 ≤ d ≤ n, return max Tr(UᵀCU) over n×d matrices U
//! with orthonormal columns, together with a maximiser U. You may use `linalg::eigh`.
//!
//! Claim: `la.ky-fan`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.ky-fan`: the maximum principle behind PCA".

use linalg::Matrix;

/// (λ_1 + … + λ_d, U) with U the top-d eigenvectors of C as columns (`la.ky-fan`).
pub fn ky_fan(c: &Matrix, d: usize) -> (f64, Matrix) {
    // BEGIN SOLUTION: return the largest value of Tr(UᵀCU) over n×d matrices with orthonormal columns, and a U that attains it
    let e = linalg::eigh(c).expect("ky_fan: C must be symmetric and finite");
    let best = e.values[..d].iter().sum();
    (best, e.vectors.leading_columns(d))
    // END SOLUTION
}
