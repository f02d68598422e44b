//! Exercise 03 · cyclic Jacobi, and the two numbers no rotation can change
//! (`la.jacobi.invariants`).
//!
//! Task: compute every eigenvalue of a symmetric matrix by the cyclic Jacobi method. A sweep
//! visits every pair p < q and applies `linalg::jacobi_rotation(&mut a, None, p, q)`, which
//! zeroes a_pq; sweep until the off-diagonal part is negligible next to ||A||_F, then the
//! diagonal holds the eigenvalues. Return them sorted from the largest down.
//!
//! Predict before you run: each rotation replaces A by JᵀAJ with J orthogonal. Which two
//! numbers, computed from A alone, must your eigenvalues reproduce however many rotations you
//! make? The tests check your prediction (and compare with `linalg::eigvalsh`).
//!
//! Claim: `la.jacobi.invariants`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.jacobi.invariants`: what a rotation cannot change".

use linalg::Matrix;

/// The eigenvalues of the symmetric `a`, largest first, by cyclic Jacobi sweeps
/// (`la.jacobi.invariants`).
pub fn jacobi_eigenvalues(a: &Matrix) -> Vec<f64> {
    // BEGIN SOLUTION: return the eigenvalues of a, largest first, computed by sweeps of Jacobi rotations
    let mut a = a.clone();
    let n = a.nrows();
    let scale = a.frobenius_norm();
    // Convergence is quadratic: 5 to 10 sweeps are typical, 50 is a generous cap.
    for _sweep in 0..50 {
        if linalg::off_norm(&a) <= f64::EPSILON * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[(p, q)] != 0.0 {
                    linalg::jacobi_rotation(&mut a, None, p, q);
                }
            }
        }
    }
    let mut values = a.diag();
    values.sort_by(|x, y| y.total_cmp(x));
    values
    // END SOLUTION
}
