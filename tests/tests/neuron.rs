//! `nn.neuron.tanh`: the lecture's single neuron ŷ = tanh(w₀ + w₁ x₁ + w₂ x₂) (x₀ = 1 carries
//! the bias), labels blue = -1 and green = +1, loss Σ (y - ŷ)², trained by gradient descent,
//! separates linearly separable data.

use linalg::Matrix;
use nn::{separable_points, Activation, Dense, Loss, Mlp, TanhNeuron, BLUE, GREEN};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `nn.neuron.tanh`: on random separable data sets (random line, margin 0.05-0.2 in the
    /// square [-1, 1]²), gradient descent from w = 0 ends with every point classified
    /// correctly, and the loss has gone down.
    #[test]
    fn neuron_tanh_gd_separates_separable_data(
        seed in any::<u64>(),
        n in 10usize..80,
        margin in 0.05f64..0.2,
    ) {
        let (x, y, _) = separable_points(n, margin, seed);
        let mut neuron = TanhNeuron::default();
        // Step 0.5/N on the summed loss = step 0.5 on the mean loss, whose gradient is bounded
        // by 2·|x| ≤ 2·sqrt(3): small enough to be stable, large enough to finish quickly.
        let history = neuron.train_gd(&x, &y, 0.5 / n as f64, 3000);
        prop_assert_eq!(neuron.misclassified(&x, &y), 0, "w = {:?}", neuron.w);
        prop_assert!(history.last().unwrap() < &history[0]);
    }

    /// `nn.neuron.tanh`: the hand-derived gradient Σ -2 (y - ŷ)(1 - ŷ²)(1, x) equals central
    /// finite differences of the loss.
    #[test]
    fn neuron_tanh_gradient_matches_finite_differences(
        seed in any::<u64>(),
        w in prop::array::uniform3(-2.0f64..2.0),
    ) {
        let (x, y, _) = separable_points(20, 0.0, seed);
        let neuron = TanhNeuron::new(w);
        let g = neuron.gradient(&x, &y);
        let l0 = neuron.loss(&x, &y);
        for j in 0..3 {
            let h = 1e-5;
            let (mut wp, mut wm) = (w, w);
            wp[j] += h;
            wm[j] -= h;
            let fd = (TanhNeuron::new(wp).loss(&x, &y) - TanhNeuron::new(wm).loss(&x, &y)) / (2.0 * h);
            // Truncation h²/6·|L'''| ≲ 1e-10·N·O(10); rounding ε·L/h ≲ 1e-11·L.
            prop_assert!((fd - g[j]).abs() <= 1e-6 * (1.0 + l0), "w_{}: {} vs {}", j, fd, g[j]);
        }
    }
}

/// `nn.neuron.tanh`: the neuron is the one-layer network [2 → 1, tanh] with the summed squared
/// loss; both give the same loss and gradient (bias w₀ = b, (w₁, w₂) = the weight column).
#[test]
fn neuron_tanh_is_a_one_layer_mlp() {
    let (x, y, _) = separable_points(30, 0.1, 3);
    let w = [0.3, -1.2, 0.7];
    let neuron = TanhNeuron::new(w);
    let net = Mlp {
        layers: vec![Dense::from_parts(
            Matrix::from_rows(&[[w[1]], [w[2]]]),
            vec![w[0]],
            Activation::Tanh,
        )],
    };
    let target = Matrix::from_vec(30, 1, y.clone());
    let mut ws = net.workspace(30);
    let mut grads = net.zero_gradients();
    let l = net.loss_and_gradient(&x, &target, Loss::SumSquared, &mut ws, &mut grads);
    let g = neuron.gradient(&x, &y);
    let scale = 1.0 + neuron.loss(&x, &y);
    // Same terms summed in different orders: a few ε per term, 30 terms.
    let tol = 64.0 * f64::EPSILON * scale;
    assert!((l - neuron.loss(&x, &y)).abs() <= tol);
    assert!((grads.layers[0].b[0] - g[0]).abs() <= tol);
    assert!((grads.layers[0].w[(0, 0)] - g[1]).abs() <= tol);
    assert!((grads.layers[0].w[(1, 0)] - g[2]).abs() <= tol);
}

/// `nn.neuron.tanh`: labels follow the lecture (blue = -1, green = +1) and the generator's
/// labels are the side of its line.
#[test]
fn neuron_tanh_labels_are_the_sides_of_the_line() {
    assert_eq!((BLUE, GREEN), (-1.0, 1.0));
    let (x, y, (u, c)) = separable_points(200, 0.1, 11);
    for (p, &label) in x.rows().zip(&y) {
        let s = u[0] * p[0] + u[1] * p[1] - c;
        assert!(s.abs() >= 0.1);
        assert_eq!(label, if s > 0.0 { GREEN } else { BLUE });
    }
    // The true line itself, as a neuron (w₀ = -c, (w₁, w₂) = u), classifies every point.
    assert_eq!(TanhNeuron::new([-c, u[0], u[1]]).misclassified(&x, &y), 0);
}
