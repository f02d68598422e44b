//! Page 7, the tanh neuron and regularization (`nn.neuron.tanh`, `nn.regularization`).
//!
//! - The neuron: [`nn::TanhNeuron::train_gd`] one epoch at a time on separable points from
//!   [`nn::separable_points`], keeping the weights after every epoch. Full-batch GD has no state
//!   besides w, so these are exactly the iterates of one long run; the page plays them back
//!   as the decision line w₀ + w₁x₁ + w₂x₂ = 0 moving.
//! - The paths: least squares ½/N ‖Xw − y‖² on 8 features (three of them irrelevant) plus
//!   λR(w), minimised for 40 values of λ by proximal gradient descent with the library's
//!   [`nn::Penalty`] (its L2 share in the gradient, its L1 share by soft thresholding), warm
//!   started from the previous λ. With L1 the coefficients reach exactly 0.0, one by one.

use super::params::{BadRequest, Checked, Query};
use linalg::Matrix;
use nn::{Penalty, TanhNeuron};
use serde_json::{json, Value};

/// Most epochs of the neuron page.
pub const MAX_EPOCHS: usize = 2000;
/// Proximal-gradient iterations per λ at most; a path point that has not converged says so.
const MAX_PROX_ITER: usize = 20_000;

/// `GET /api/neuron?n=…&margin=…&seed=…&lr=…&epochs=…`.
pub fn neuron(q: &Query) -> Checked<Value> {
    q.only(&["n", "margin", "seed", "lr", "epochs"])?;
    let n = q.usize_in("n", 4..=400, 60)?;
    let margin = q.f64_in("margin", 0.0..=0.4, 0.1)?;
    let seed = q.usize_in("seed", 0..=1_000_000, 3)? as u64;
    let lr = q.f64_in("lr", 1e-5..=1.0, 0.01)?;
    let epochs = q.usize_in("epochs", 1..=MAX_EPOCHS, 300)?;
    let (x, y, _) = nn::separable_points(n, margin, seed);
    let mut neuron = TanhNeuron::default();
    let (mut weights, mut loss, mut wrong) = (vec![neuron.w], vec![], vec![]);
    for _ in 0..epochs {
        loss.push(neuron.loss(&x, &y));
        wrong.push(neuron.misclassified(&x, &y));
        neuron.train_gd(&x, &y, lr, 1);
        if neuron.w.iter().any(|w| !w.is_finite()) {
            return Err(BadRequest(format!("training diverged at α = {lr}: the weights are no longer finite; take a smaller learning rate")));
        }
        weights.push(neuron.w);
    }
    loss.push(neuron.loss(&x, &y));
    wrong.push(neuron.misclassified(&x, &y));
    let points: Vec<&[f64]> = x.rows().collect();
    Ok(
        json!({"points": points, "labels": y, "weights": weights, "loss": loss,
              "misclassified": wrong}),
    )
}

/// The regression of the path figure: N = 100, 8 features of unit scale, the first five
/// relevant with coefficients 3, −2, 1.5, −1, 0.5, and noise 0.5.
fn regression(seed: u64) -> (Matrix, Vec<f64>) {
    let x = Matrix::random_normal(100, 8, seed);
    let noise = Matrix::random_normal(100, 1, seed + 1);
    let truth = [3.0, -2.0, 1.5, -1.0, 0.5, 0.0, 0.0, 0.0];
    let y = (0..100)
        .map(|i| linalg::dot(x.row(i), &truth) + 0.5 * noise[(i, 0)])
        .collect();
    (x, y)
}

/// argmin ½/N ‖Xw − y‖² + penalty(w) by proximal gradient descent from `w`, step 1/L with L
/// the Lipschitz constant of the smooth part. Returns the iterations used (a full
/// [`MAX_PROX_ITER`] means not converged).
fn proximal_descent(
    x: &Matrix,
    y: &[f64],
    penalty: Penalty,
    lipschitz: f64,
    w: &mut [f64],
) -> usize {
    let lr = 1.0 / lipschitz;
    let n = x.nrows() as f64;
    for it in 1..=MAX_PROX_ITER {
        let residual: Vec<f64> = (0..x.nrows())
            .map(|i| linalg::dot(x.row(i), w) - y[i])
            .collect();
        let mut g: Vec<f64> = (0..w.len())
            .map(|j| (0..x.nrows()).map(|i| residual[i] * x[(i, j)]).sum::<f64>() / n)
            .collect();
        penalty.add_smooth_gradient(w, &mut g);
        let before = w.to_vec();
        linalg::axpy(-lr, &g, w);
        penalty.prox(w, lr);
        let change = w
            .iter()
            .zip(&before)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        if change <= 1e-13 * (1.0 + linalg::norm2(w)) {
            return it;
        }
    }
    MAX_PROX_ITER
}

/// `GET /api/paths?penalty=l1|l2|elastic&mix=…&seed=…`: coefficients against λ (40 values,
/// log-spaced from 10⁻³ to 10).
pub fn paths(q: &Query) -> Checked<Value> {
    q.only(&["penalty", "mix", "seed"])?;
    let kind = q.choice("penalty", &["l1", "l2", "elastic"])?;
    let mix = q.f64_in("mix", 0.0..=1.0, 0.5)?;
    let seed = q.usize_in("seed", 0..=1_000_000, 0)? as u64;
    let (x, y) = regression(seed);
    let hessian = x.tr_matmul(&x).scale(1.0 / x.nrows() as f64);
    let lmax = linalg::eigvalsh(&hessian).map_err(|e| BadRequest(e.to_string()))?[0];
    let lambdas: Vec<f64> = (0..40)
        .map(|k| 10f64.powf(-3.0 + 4.0 * k as f64 / 39.0))
        .collect();
    let mut w = vec![0.0; 8];
    let (mut coefs, mut zeros, mut unconverged) = (vec![], vec![], 0);
    for &lambda in &lambdas {
        let penalty = match kind {
            "l1" => Penalty::L1 { lambda },
            "l2" => Penalty::L2 { lambda },
            _ => Penalty::ElasticNet { lambda, alpha: mix },
        };
        let l2_share = match penalty {
            Penalty::L2 { lambda } => lambda,
            Penalty::ElasticNet { lambda, alpha } => lambda * (1.0 - alpha),
            _ => 0.0,
        };
        // The smooth part ½/N‖Xw − y‖² + λ₂‖w‖² has Hessian XᵀX/N + 2λ₂ I.
        if proximal_descent(&x, &y, penalty, lmax + 2.0 * l2_share, &mut w) == MAX_PROX_ITER {
            unconverged += 1;
        }
        zeros.push(w.iter().filter(|v| **v == 0.0).count());
        coefs.push(w.clone());
    }
    Ok(
        json!({"lambdas": lambdas, "coefficients": coefs, "exact_zeros": zeros,
              "truth": [3.0, -2.0, 1.5, -1.0, 0.5, 0.0, 0.0, 0.0], "unconverged": unconverged}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(f: fn(&Query) -> Checked<Value>, s: &str) -> Checked<Value> {
        f(&Query::parse(s).unwrap())
    }

    #[test]
    fn the_neuron_separates_separable_points() {
        let v = get(neuron, "n=60&margin=0.1&lr=0.05&epochs=500").unwrap();
        assert_eq!(v["weights"].as_array().unwrap().len(), 501);
        assert_eq!(v["misclassified"].as_array().unwrap().last().unwrap(), 0);
        let l = v["loss"].as_array().unwrap();
        assert!(l.last().unwrap().as_f64().unwrap() < l[0].as_f64().unwrap());
    }

    #[test]
    fn lasso_paths_reach_exact_zeros_and_ridge_paths_do_not() {
        let l1 = get(paths, "penalty=l1").unwrap();
        let l2 = get(paths, "penalty=l2").unwrap();
        assert_eq!(l1["unconverged"], 0);
        let z1: Vec<u64> = l1["exact_zeros"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| z.as_u64().unwrap())
            .collect();
        // λ = 10 is above ‖Xᵀy‖_∞/N, where the lasso solution is w = 0 exactly.
        assert_eq!(*z1.last().unwrap(), 8);
        assert!(z1[0] < 8);
        assert!(l2["exact_zeros"].as_array().unwrap().iter().all(|z| z == 0));
    }

    #[test]
    fn bad_parameters_are_refused() {
        for bad in [
            "n=1",
            "margin=0.5",
            "lr=0",
            "lr=5",
            "epochs=0",
            "epochs=99999",
        ] {
            assert!(get(neuron, bad).is_err(), "{bad}");
        }
        for bad in ["penalty=l3", "mix=2", "mix=-0.1"] {
            assert!(get(paths, bad).is_err(), "{bad}");
        }
    }
}
