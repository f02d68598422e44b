//! Page 1, Jacobi sweep by sweep (`la.jacobi.converges`, `la.jacobi.invariants`).
//!
//! The page holds only a count of pair visits; each request rebuilds the matrix from its seed
//! and replays that many visits of the cyclic order (0,1), (0,2), …, (n−2, n−1) with the
//! library's own [`linalg::jacobi_rotation`], then takes the student's next step (one
//! rotation, or the rest of the sweep). Replaying is deterministic and cheap at these sizes
//! (at most [`MAX_VISITS`] visits of an n ≤ 64 matrix), and keeps the server stateless.
//!
//! A pair is skipped, as in [`linalg::eigh`], when |a_pq| ≤ ε·sqrt(|a_pp a_qq|) (negligible
//! relative to its own diagonal); the walk has converged when a whole sweep rotates nothing.
//! Unlike `eigh`, the walk has no threshold strategy in the first sweeps, so every
//! non-negligible pair is rotated and each rotation is visible.

use super::params::{BadRequest, Checked, Query};
use linalg::{jacobi_rotation, off_norm, Matrix};
use serde_json::{json, Value};

/// Most pair visits replayed per request (the 64 x 64 digits covariance needs about 12 sweeps
/// of 2016 pairs).
pub const MAX_VISITS: usize = 200_000;
/// Largest random matrix: the heat map stays readable.
pub const MAX_N: usize = 16;
/// Most points of the off(A)² history sent to the page.
const HISTORY_POINTS: usize = 1000;

/// One rotation as the page reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The plane (p, q).
    pub p: usize,
    /// The plane (p, q).
    pub q: usize,
    /// a_pq before the rotation.
    pub apq: f64,
    /// off(A)² before and after.
    pub off2_before: f64,
    /// off(A)² after the rotation.
    pub off2_after: f64,
}

/// The state of a cyclic Jacobi run, one pair visit at a time.
#[derive(Debug, Clone)]
pub struct Walk {
    /// The current matrix A_k = J_kᵀ ⋯ J_1ᵀ A J_1 ⋯ J_k.
    pub a: Matrix,
    pairs: Vec<(usize, usize)>,
    position: usize,
    /// Pair visits made (rotations and skips).
    pub visits: usize,
    /// Rotations applied.
    pub rotations: usize,
    /// Complete sweeps.
    pub sweeps: usize,
    rotations_this_sweep: usize,
    /// A whole sweep found nothing to rotate.
    pub converged: bool,
    /// off(A)² after every rotation (index 0: before the first).
    pub history: Vec<f64>,
    /// Rotation counts at the end of each sweep.
    pub sweep_ends: Vec<usize>,
    /// The last rotation applied.
    pub last: Option<Step>,
}

impl Walk {
    /// A walk that starts at the symmetric matrix `a`.
    pub fn new(a: Matrix) -> Walk {
        let n = a.nrows();
        let pairs = (0..n)
            .flat_map(|p| (p + 1..n).map(move |q| (p, q)))
            .collect();
        let off2 = off_norm(&a).powi(2);
        Walk {
            a,
            pairs,
            position: 0,
            visits: 0,
            rotations: 0,
            sweeps: 0,
            rotations_this_sweep: 0,
            converged: n <= 1,
            history: vec![off2],
            sweep_ends: Vec::new(),
            last: None,
        }
    }

    /// Whether a_pq is negligible next to its diagonal entries (the library's skip rule).
    fn negligible(&self, p: usize, q: usize) -> bool {
        let scale = self.a[(p, p)].abs().sqrt() * self.a[(q, q)].abs().sqrt();
        self.a[(p, q)].abs() <= f64::EPSILON * scale
    }

    /// Visit the next pair of the cyclic order: rotate it unless it is negligible.
    pub fn visit(&mut self) {
        if self.converged {
            return;
        }
        let (p, q) = self.pairs[self.position];
        if !self.negligible(p, q) {
            let apq = self.a[(p, q)];
            let off2_before = *self.history.last().expect("history starts non-empty");
            jacobi_rotation(&mut self.a, None, p, q);
            let off2_after = off_norm(&self.a).powi(2);
            self.history.push(off2_after);
            self.last = Some(Step {
                p,
                q,
                apq,
                off2_before,
                off2_after,
            });
            self.rotations += 1;
            self.rotations_this_sweep += 1;
        }
        self.visits += 1;
        self.position += 1;
        if self.position == self.pairs.len() {
            self.position = 0;
            self.sweeps += 1;
            self.sweep_ends.push(self.rotations);
            self.converged = self.rotations_this_sweep == 0;
            self.rotations_this_sweep = 0;
        }
    }

    /// Visit pairs until one is rotated (or the walk converges).
    pub fn next_rotation(&mut self) {
        let before = self.rotations;
        while !self.converged && self.rotations == before {
            self.visit();
        }
    }

    /// Visit the remaining pairs of the current sweep.
    pub fn finish_sweep(&mut self) {
        let sweep = self.sweeps;
        while !self.converged && self.sweeps == sweep {
            self.visit();
        }
    }

    /// The pair the next rotation will use, if any (without changing the walk).
    pub fn next_pair(&self) -> Option<(usize, usize)> {
        if self.converged {
            return None;
        }
        let rest = self.pairs[self.position..].iter().chain(&self.pairs);
        rest.copied().find(|&(p, q)| !self.negligible(p, q))
    }
}

/// The matrix the student chose: a seeded random symmetric n x n, or the digits covariance.
fn start_matrix(q: &Query) -> Checked<Matrix> {
    match q.choice("source", &["random", "digits"])? {
        "random" => {
            let n = q.usize_in("n", 2..=MAX_N, 6)?;
            let seed = q.usize_in("seed", 0..=1_000_000, 1)?;
            Ok(Matrix::random_symmetric(n, seed as u64))
        }
        _ => {
            let digits = super::datasets::builtin("digits")?;
            Ok(digits.x.covariance())
        }
    }
}

/// `GET /api/jacobi?source=random&n=6&seed=1&visits=K&go=rotation|sweep|none`.
pub fn handle(q: &Query) -> Checked<Value> {
    q.only(&["source", "n", "seed", "visits", "go"])?;
    let a0 = start_matrix(q)?;
    let visits = q.usize_in("visits", 0..=MAX_VISITS, 0)?;
    let go = q.choice("go", &["none", "rotation", "sweep"])?;
    let eigenvalues = linalg::eigvalsh(&a0).map_err(|e| BadRequest(e.to_string()))?;
    let mut walk = Walk::new(a0.clone());
    while walk.visits < visits && !walk.converged {
        walk.visit();
    }
    match go {
        "rotation" => walk.next_rotation(),
        "sweep" => walk.finish_sweep(),
        _ => {}
    }
    if walk.visits > MAX_VISITS {
        return Err(BadRequest(format!(
            "more than {MAX_VISITS} pair visits; start again (the walk has not converged)"
        )));
    }
    Ok(report(&a0, &walk, &eigenvalues))
}

/// The JSON the page draws: the matrix, the last step, the invariants and the history.
fn report(a0: &Matrix, walk: &Walk, eigenvalues: &[f64]) -> Value {
    let n = a0.nrows();
    let rows: Vec<&[f64]> = walk.a.rows().collect();
    let mut diag = walk.a.diag();
    diag.sort_by(|x, y| y.total_cmp(x));
    let max_gap = diag
        .iter()
        .zip(eigenvalues)
        .map(|(d, l)| (d - l).abs())
        .fold(0.0, f64::max);
    let stride = walk.history.len().div_ceil(HISTORY_POINTS).max(1);
    let history: Vec<[f64; 2]> = walk
        .history
        .iter()
        .enumerate()
        .filter(|(k, _)| k % stride == 0 || *k + 1 == walk.history.len())
        .map(|(k, v)| [k as f64, *v])
        .collect();
    let last = walk.last.map(|s| {
        json!({"p": s.p, "q": s.q, "apq": s.apq, "off2_before": s.off2_before,
               "off2_after": s.off2_after, "drop": s.off2_before - s.off2_after,
               "predicted_drop": 2.0 * s.apq * s.apq})
    });
    json!({
        "n": n,
        "matrix": rows,
        "visits": walk.visits,
        "rotations": walk.rotations,
        "sweeps": walk.sweeps,
        "converged": walk.converged,
        "next": walk.next_pair(),
        "last": last,
        "off2": walk.history.last(),
        "history": history,
        "sweep_ends": walk.sweep_ends,
        "diagonal_sorted": diag,
        "eigenvalues": eigenvalues,
        "max_diag_minus_eig": max_gap,
        "trace": [a0.trace(), walk.a.trace()],
        "frobenius2": [a0.frobenius_norm().powi(2), walk.a.frobenius_norm().powi(2)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rotation_drops_off2_by_two_apq_squared() {
        let mut walk = Walk::new(Matrix::random_symmetric(8, 3));
        for _ in 0..40 {
            walk.next_rotation();
            let s = walk.last.unwrap();
            // The drop is exact up to rounding of ||A||_F² ~ n² entries: 8·n²·ε·off²(A_0).
            let tol = 8.0 * 64.0 * f64::EPSILON * walk.history[0];
            assert!((s.off2_before - s.off2_after - 2.0 * s.apq * s.apq).abs() < tol);
        }
    }

    #[test]
    fn sweeps_converge_to_the_eigenvalues() {
        let a = Matrix::random_symmetric(10, 5);
        let eig = linalg::eigvalsh(&a).unwrap();
        let mut walk = Walk::new(a.clone());
        while !walk.converged {
            walk.finish_sweep();
            assert!(walk.sweeps < 30, "no convergence in 30 sweeps");
        }
        let mut d = walk.a.diag();
        d.sort_by(|x, y| y.total_cmp(x));
        // Backward stable: each eigenvalue within a few n·ε·||A||_F.
        let tol = 16.0 * 10.0 * f64::EPSILON * a.frobenius_norm();
        for (x, l) in d.iter().zip(&eig) {
            assert!((x - l).abs() < tol, "{x} vs {l}");
        }
        assert_eq!(walk.next_pair(), None);
    }

    #[test]
    fn replay_is_deterministic_and_the_api_reports_the_step() {
        let q = Query::parse("n=5&seed=2&visits=3&go=rotation").unwrap();
        let v = handle(&q).unwrap();
        assert_eq!(v, handle(&q).unwrap());
        assert_eq!(v["rotations"], 4);
        let last = &v["last"];
        let (drop, predicted) = (
            last["drop"].as_f64().unwrap(),
            last["predicted_drop"].as_f64().unwrap(),
        );
        assert!((drop - predicted).abs() < 1e-12 * v["history"][0][1].as_f64().unwrap());
        // The next request continues from the visits the page was told.
        let visits = v["visits"].as_u64().unwrap();
        let q2 = Query::parse(&format!("n=5&seed=2&visits={visits}")).unwrap();
        assert_eq!(handle(&q2).unwrap()["matrix"], v["matrix"]);
    }

    #[test]
    fn bad_parameters_are_refused() {
        for bad in [
            "n=1",
            "n=17",
            "n=x",
            "source=magic",
            "visits=999999999",
            "go=back",
            "m=3",
        ] {
            assert!(handle(&Query::parse(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
