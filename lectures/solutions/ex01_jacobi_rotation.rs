//! Exercise 01 · one Jacobi rotation: the angle (`la.jacobi.converges`).
//!
//! Task: given the 2×2 block [[a_pp, a_pq], [a_pq, a_qq]] of a symmetric matrix (a_pq ≠ 0),
//! return the cosine c and sine s of the rotation that annihilates a_pq. Convention (the one of
//! `linalg::jacobi_rotation`): rows p and q become (c·row_p − s·row_q, s·row_p + c·row_q), so
//! the new off-diagonal entry is c s (a_pp − a_qq) + (c² − s²) a_pq and it must be 0. Of the
//! two solutions take the smaller angle, |s| ≤ c, computed without cancellation.
//!
//! Claim: `la.jacobi.converges`. Notes: lectures/notes/00-linear-algebra.md, section
//! "`la.jacobi.converges`: one rotation, many sweeps" (the 2×2 problem).

/// (c, s) of the Jacobi rotation that zeroes a_pq, with |s| ≤ c (`la.jacobi.converges`).
pub fn rotation(app: f64, aqq: f64, apq: f64) -> (f64, f64) {
    // BEGIN SOLUTION: return (c, s) of the rotation that makes the new a_pq zero, taking the smaller angle (|s| ≤ c) without cancellation
    let theta = (aqq - app) / (2.0 * apq);
    // The root of smaller magnitude, written so that nothing cancels; hypot avoids overflow
    // of θ² for huge θ.
    let t = if theta >= 0.0 {
        1.0 / (theta + theta.hypot(1.0))
    } else {
        -1.0 / (-theta + theta.hypot(1.0))
    };
    let c = 1.0 / t.hypot(1.0);
    (c, t * c)
    // END SOLUTION
}
