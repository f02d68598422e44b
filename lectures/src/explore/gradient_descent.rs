//! Page 6, gradient descent on a quadratic (`nn.gd`) and SGD against GD (`nn.sgd`), with the
//! workspace's own optimisers [`nn::Gd`] and [`nn::Momentum`] taking every step.
//!
//! The quadratic is L(w) = ½(λ_max w_1² + λ_min w_2²), whose Hessian has eigenvalues λ_max and
//! λ_min along the axes. Along eigenvector k, GD multiplies the error by 1 − αλ_k; heavy-ball
//! momentum turns each direction into the two-term recurrence
//! e_{t+1} = (1 + β − αλ_k) e_t − β e_{t−1}, whose rate is the larger root modulus of
//! z² − (1 + β − αλ_k) z + β. The page prints those rates next to the path.

use super::params::{Checked, Query};
use nn::{Gd, Minibatches, Momentum, Optimizer};
use serde_json::{json, Value};

/// Most steps of the quadratic page and epochs of the SGD page.
pub const MAX_STEPS: usize = 500;
/// The run is stopped as divergent once the loss exceeds this many times its start.
const DIVERGED: f64 = 1e8;

/// Contraction rate of one eigen-direction: max |z| over the roots of
/// z² − (1 + β − αλ) z + β (for β = 0, |1 − αλ|).
pub fn rate(alpha: f64, beta: f64, lambda: f64) -> f64 {
    let b = 1.0 + beta - alpha * lambda;
    let disc = b * b - 4.0 * beta;
    if disc >= 0.0 {
        let s = disc.sqrt();
        ((b + s) / 2.0).abs().max(((b - s) / 2.0).abs())
    } else {
        beta.sqrt() // complex pair: |z|² = β
    }
}

/// How a direction behaves: it converges monotonically, oscillates while converging (a
/// negative dominant root, or a complex pair of roots), or diverges.
fn regime(alpha: f64, beta: f64, lambda: f64) -> &'static str {
    let b = 1.0 + beta - alpha * lambda;
    let disc = b * b - 4.0 * beta;
    if rate(alpha, beta, lambda) >= 1.0 {
        "diverges"
    } else if disc < 0.0 || b < 0.0 {
        // Real roots (b ± √disc)/2: the dominant one has the sign of b.
        "oscillates"
    } else {
        "converges monotonically"
    }
}

/// `GET /api/quadratic?lmax=…&lmin=…&lr=…&beta=…&steps=…`.
pub fn quadratic(q: &Query) -> Checked<Value> {
    q.only(&["lmax", "lmin", "lr", "beta", "steps"])?;
    let lmax = q.f64_in("lmax", 0.01..=100.0, 4.0)?;
    let lmin = q.f64_in("lmin", 0.001..=100.0, 1.0)?;
    let alpha = q.f64_in("lr", 0.0..=10.0, 0.2)?;
    let beta = q.f64_in("beta", 0.0..=0.99, 0.0)?;
    let steps = q.usize_in("steps", 1..=MAX_STEPS, 50)?;
    let (lmax, lmin) = (lmax.max(lmin), lmax.min(lmin));
    let loss = |w: &[f64]| 0.5 * (lmax * w[0] * w[0] + lmin * w[1] * w[1]);
    let mut opt: Box<dyn Optimizer> = if beta == 0.0 {
        Box::new(Gd::new(alpha))
    } else {
        Box::new(Momentum::new(alpha, beta))
    };
    let mut w = vec![-1.0, 1.0];
    let (mut path, mut losses) = (vec![[w[0], w[1]]], vec![loss(&w)]);
    let mut diverged = false;
    for _ in 0..steps {
        let g = [lmax * w[0], lmin * w[1]];
        opt.step(&mut [&mut w[..]], &[&g[..]]);
        path.push([w[0], w[1]]);
        losses.push(loss(&w));
        // Also catches NaN: a divergent run is stopped before it overflows.
        if loss(&w).is_nan() || loss(&w) > DIVERGED * losses[0] {
            diverged = true;
            break;
        }
    }
    Ok(json!({
        "lmax": lmax, "lmin": lmin, "lr": alpha, "beta": beta,
        "two_over_lmax": 2.0 / lmax,
        "rates": [rate(alpha, beta, lmax), rate(alpha, beta, lmin)],
        "regimes": [regime(alpha, beta, lmax), regime(alpha, beta, lmin)],
        "path": path, "loss": losses, "diverged": diverged,
    }))
}

/// The least-squares problem of the SGD page: N = 256 points x ∈ R², y = x·w* + noise, with
/// unequal feature scales so the Hessian XᵀX/N is ill-conditioned.
fn regression(seed: u64) -> (linalg::Matrix, Vec<f64>) {
    let x = linalg::Matrix::random_normal(256, 2, seed);
    let x = linalg::Matrix::from_fn(256, 2, |i, j| x[(i, j)] * [2.0, 0.5][j]);
    let noise = linalg::Matrix::random_normal(256, 1, seed + 1);
    let y = (0..256)
        .map(|i| 1.5 * x[(i, 0)] - 2.0 * x[(i, 1)] + 0.3 * noise[(i, 0)])
        .collect();
    (x, y)
}

/// Mean squared error ½/|B| Σ_{i∈B} (x_iᵀw − y_i)² and its gradient over the rows in `batch`.
fn loss_and_gradient(x: &linalg::Matrix, y: &[f64], w: &[f64], batch: &[usize]) -> (f64, [f64; 2]) {
    let (mut l, mut g) = (0.0, [0.0; 2]);
    for &i in batch {
        let r = linalg::dot(x.row(i), w) - y[i];
        l += 0.5 * r * r;
        g[0] += r * x[(i, 0)];
        g[1] += r * x[(i, 1)];
    }
    let m = batch.len() as f64;
    (l / m, [g[0] / m, g[1] / m])
}

/// `GET /api/sgd?lr=…&batch=…&epochs=…&seed=…`: the full-data loss after every epoch for GD
/// (one update per epoch) and minibatch SGD (⌈N/m⌉ updates per epoch), same learning rate.
pub fn sgd(q: &Query) -> Checked<Value> {
    q.only(&["lr", "batch", "epochs", "seed"])?;
    let alpha = q.f64_in("lr", 0.0..=2.0, 0.05)?;
    let batch = q.usize_in("batch", 1..=256, 16)?;
    let epochs = q.usize_in("epochs", 1..=200, 30)?;
    let seed = q.usize_in("seed", 0..=1_000_000, 0)? as u64;
    let (x, y) = regression(seed);
    let all: Vec<usize> = (0..x.nrows()).collect();
    let hessian = x.tr_matmul(&x).scale(1.0 / x.nrows() as f64);
    let lmax = linalg::eigvalsh(&hessian).map_err(|e| super::params::BadRequest(e.to_string()))?[0];
    let mut runs = Vec::new();
    for minibatch in [false, true] {
        let mut w = vec![0.0, 0.0];
        let mut opt = Gd::new(alpha);
        let mut schedule =
            Minibatches::new(x.nrows(), if minibatch { batch } else { x.nrows() }, seed);
        let mut curve = vec![loss_and_gradient(&x, &y, &w, &all).0];
        for _ in 0..epochs {
            for b in schedule.next_epoch() {
                let (_, g) = loss_and_gradient(&x, &y, &w, &b);
                opt.step(&mut [&mut w[..]], &[&g[..]]);
            }
            curve.push(loss_and_gradient(&x, &y, &w, &all).0);
            let last = curve[curve.len() - 1];
            if last.is_nan() || last > DIVERGED * curve[0] {
                break;
            }
        }
        runs.push(json!({"loss": curve, "w": w}));
    }
    Ok(json!({
        "lr": alpha, "batch": batch, "updates_per_epoch": x.nrows().div_ceil(batch),
        "two_over_lmax": 2.0 / lmax, "gd": runs[0], "sgd": runs[1],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(f: fn(&Query) -> Checked<Value>, s: &str) -> Value {
        f(&Query::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn the_step_limit_two_over_lambda_max_separates_convergence_from_divergence() {
        let below = get(quadratic, "lmax=4&lmin=1&lr=0.49&steps=200");
        let above = get(quadratic, "lmax=4&lmin=1&lr=0.51&steps=500");
        assert_eq!(below["diverged"], false);
        assert_eq!(above["diverged"], true);
        assert_eq!(above["regimes"][0], "diverges");
        assert_eq!(below["regimes"][0], "oscillates");
        // |1 − αλ_max| = 0.96 per step: after 200 steps the loss is 0.96^400 ≈ 8e-8 of its start.
        let l = below["loss"].as_array().unwrap();
        assert!(l.last().unwrap().as_f64().unwrap() < 1e-6 * l[0].as_f64().unwrap());
    }

    #[test]
    fn rates_match_the_recurrence() {
        assert!((rate(0.1, 0.0, 4.0) - 0.6).abs() < 1e-15);
        // Momentum with a complex pair contracts at sqrt(β) whatever αλ is in the window.
        assert!((rate(0.1, 0.81, 4.0) - 0.9).abs() < 1e-15);
    }

    #[test]
    fn sgd_takes_more_updates_per_epoch_and_both_runs_lower_the_loss() {
        let v = get(sgd, "lr=0.05&batch=8&epochs=10");
        assert_eq!(v["updates_per_epoch"], 32);
        for run in ["gd", "sgd"] {
            let l = v[run]["loss"].as_array().unwrap();
            assert!(
                l.last().unwrap().as_f64().unwrap() < l[0].as_f64().unwrap(),
                "{run}"
            );
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        for bad in [
            "lr=-1",
            "lr=x",
            "beta=1",
            "steps=0",
            "steps=100000",
            "lmax=0",
        ] {
            assert!(quadratic(&Query::parse(bad).unwrap()).is_err(), "{bad}");
        }
        for bad in ["batch=0", "batch=1000", "epochs=0", "lr=nan"] {
            assert!(sgd(&Query::parse(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
