//! Exercise 15 · a value used twice gets two gradients (`ad.fan-out`).
//!
//! Task: Y = (A X) ⊙ X uses X twice: once inside the product A X and once directly in the
//! entry-wise product. Given the gradient G = Ȳ that arrives at Y, return X̄, the gradient
//! that flows back to X. (A is n×n, X and G are n×m.)
//!
//! Predict before you run: if you follow only one of the two uses back to X, by how much is
//! X̄ wrong? The tests compare with the tape, which gets it right.
//!
//! Claim: `ad.fan-out`. Notes: lectures/notes/02-autodiff.md, section "`ad.fan-out`: a value
//! used twice gets two gradients".

use linalg::Matrix;

/// X̄ for Y = (A X) ⊙ X when Y receives the gradient `g` (`ad.fan-out`).
pub fn fan_out_vjp(a: &Matrix, x: &Matrix, g: &Matrix) -> Matrix {
    // BEGIN SOLUTION: return the gradient that reaches X from both of its uses in Y = (A X) ⊙ X
    // Use 1, the direct factor: Y = P ⊙ X with P = A X gives G ⊙ P.
    let direct = g.hadamard(&a.matmul(x));
    // Use 2, through the product: P̄ = G ⊙ X, then X̄ = Aᵀ P̄ (the matmul VJP).
    let through_product = a.tr_matmul(&g.hadamard(x));
    &direct + &through_product
    // END SOLUTION
}
