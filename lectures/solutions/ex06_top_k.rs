//! Exercise 06 · a few eigenpairs of a large matrix: subspace iteration (`la.eig.top-k`).
//!
//! Task: the k largest eigenvalues of a symmetric positive semidefinite n×n matrix A, and
//! their eigenvectors (the columns of an n×k matrix), using only products A·Q and small k×k
//! problems: never diagonalise A itself. Start from any n×k block of full rank, multiply by A
//! and re-orthonormalise (`linalg::orthonormalize`) until the block spans the leading
//! eigenvectors; then solve the k×k problem QᵀAQ (`linalg::eigh`) to split the block into
//! eigenpairs. Return the eigenvalues from the largest down. Stop when every pair (θ, y) has
//! ||A y − θ y|| ≤ 1e-12 ||A||_F.
//!
//! Claim: `la.eig.top-k`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.eig.top-k`: a few eigenpairs of a large matrix".

use linalg::Matrix;

/// The k largest eigenvalues of the symmetric positive semidefinite `a` (descending) and
/// their eigenvectors as the columns of an n×k matrix (`la.eig.top-k`).
pub fn top_k(a: &Matrix, k: usize) -> (Vec<f64>, Matrix) {
    // BEGIN SOLUTION: return the k largest eigenvalues of a and their eigenvectors, using products with a and k×k eigenproblems only
    let n = a.nrows();
    let tol = 1e-12 * a.frobenius_norm();
    let mut q = linalg::orthonormalize(&Matrix::random_normal(n, k, 1)).expect("full rank");
    for _iteration in 0..10_000 {
        // Rayleigh–Ritz: the best approximations to eigenpairs within span(Q).
        let aq = a.matmul(&q);
        let small = linalg::eigh(&q.tr_matmul(&aq)).expect("QᵀAQ is symmetric");
        let y = q.matmul(&small.vectors);
        let ay = aq.matmul(&small.vectors);
        let converged = (0..k).all(|j| {
            let r: f64 = (0..n)
                .map(|i| (ay[(i, j)] - small.values[j] * y[(i, j)]).powi(2))
                .sum();
            r.sqrt() <= tol
        });
        if converged {
            return (small.values, y);
        }
        q = linalg::orthonormalize(&aq).expect("A Q keeps full rank for the leading block");
    }
    panic!("top_k: no convergence in 10000 iterations (is there a gap after λ_k?)")
    // END SOLUTION
}
