//! `nn.backprop`: the hand-written backward pass (Δ^ℓ = ∇_{X^ℓ}L ⊙ f'(Z^ℓ),
//! ∇_{W^ℓ}L = (X^{ℓ-1})^T Δ^ℓ, ∇_{b^ℓ}L = 1^T Δ^ℓ, ∇_{X^{ℓ-1}}L = Δ^ℓ (W^ℓ)^T), the same
//! network on the autodiff tape, and central finite differences agree on random architectures,
//! activations, batches and losses.

use linalg::Matrix;
use nn::{Activation, Dense, DenseGrad, Loss, Mlp, TapeWorkspace};
use proptest::prelude::*;

const ACTIVATIONS: [Activation; 4] = [
    Activation::Identity,
    Activation::Tanh,
    Activation::Sigmoid,
    Activation::Relu,
];

/// A random network: 1-4 layers of width 1-6, random activations; a random batch and target.
fn arb_case() -> impl Strategy<Value = (Mlp, Matrix, Matrix, Loss)> {
    (
        prop::collection::vec((1usize..7, 0usize..4), 1..5),
        1usize..7,
        1usize..6,
        any::<u64>(),
        any::<bool>(),
    )
        .prop_map(|(layers, n_in, batch, seed, mean)| {
            let mut sizes = vec![n_in];
            sizes.extend(layers.iter().map(|l| l.0));
            let acts: Vec<Activation> = layers.iter().map(|l| ACTIVATIONS[l.1]).collect();
            let mut net = Mlp::new(&sizes, &acts, seed);
            // Nonzero biases, so the bias gradient is tested away from the initial point.
            let mut g = linalg::rng(seed ^ 1);
            for l in &mut net.layers {
                for b in &mut l.b {
                    *b = 0.5 * linalg::standard_normal(&mut g);
                }
            }
            let x = Matrix::random_normal(batch, n_in, seed ^ 2);
            let y = Matrix::random_normal(batch, net.output_dim(), seed ^ 3);
            let loss = if mean {
                Loss::MeanSquared
            } else {
                Loss::SumSquared
            };
            (net, x, y, loss)
        })
}

/// The smallest |z| over the pre-activations of relu layers (∞ without relu): finite
/// differences are only valid away from relu's kink at 0.
fn relu_kink_distance(net: &Mlp, x: &Matrix) -> f64 {
    let mut a = x.clone();
    let mut dist = f64::INFINITY;
    for l in &net.layers {
        let mut z = a.matmul(&l.w);
        for r in z.as_mut_slice().chunks_exact_mut(l.n_out()) {
            linalg::axpy(1.0, &l.b, r);
        }
        if l.activation == Activation::Relu {
            dist = dist.min(
                z.as_slice()
                    .iter()
                    .fold(f64::INFINITY, |m, v| m.min(v.abs())),
            );
        }
        a = z.map(|v| l.activation.apply(v));
    }
    dist
}

const H: f64 = 1e-6;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `nn.backprop`: every entry of ∇_{W^ℓ}L and ∇_{b^ℓ}L from `Mlp::loss_and_gradient`
    /// (hand-written) equals the tape's (`Mlp::loss_and_gradient_tape`) to rounding, and both
    /// match a central finite difference of the loss.
    #[test]
    fn backprop_hand_written_equals_tape_equals_finite_differences((net, x, y, loss) in arb_case()) {
        // A step of H moves each pre-activation by at most H·(1 + Σ|x|) < 1e-4 here; further
        // from the kink than that, relu is smooth along the whole difference.
        prop_assume!(relu_kink_distance(&net, &x) > 1e-3);
        let mut ws = net.workspace(x.nrows());
        let mut grads = net.zero_gradients();
        let l0 = net.loss_and_gradient(&x, &y, loss, &mut ws, &mut grads);
        let g = grads.to_vec();
        // The tape's gradient of the same loss.
        let mut tape_grads = net.zero_gradients();
        let lt = net
            .loss_and_gradient_tape(&x, &y, loss, &mut TapeWorkspace::new(), &mut tape_grads)
            .unwrap();
        let gt = tape_grads.to_vec();
        // Same products summed in possibly different orders: ≤ (a few hundred)·ε relative to
        // the O(1 + |L|) sizes of the terms for these small O(1) networks.
        let tight = 1e-12 * (1.0 + l0.abs());
        prop_assert!((lt - l0).abs() <= tight, "loss: hand-written {} vs tape {}", l0, lt);
        let p = net.params();
        let mut probe = net.clone();
        for k in 0..p.len() {
            let mut q = p.clone();
            q[k] = p[k] + H;
            probe.set_params(&q);
            let lp = probe.loss(&x, &y, loss);
            q[k] = p[k] - H;
            probe.set_params(&q);
            let lm = probe.loss(&x, &y, loss);
            let fd = (lp - lm) / (2.0 * H);
            // Truncation H²/6·|L'''| ≲ 1e-11 for O(1) weights and inputs; rounding
            // ε·|L|/H ≈ 2e-10·|L|. 1e-6·(1 + |L|) leaves a wide margin for both.
            prop_assert!(
                (fd - g[k]).abs() <= 1e-6 * (1.0 + l0.abs()),
                "parameter {}: backprop {} vs finite difference {}", k, g[k], fd
            );
            prop_assert!(
                (gt[k] - g[k]).abs() <= tight,
                "parameter {}: hand-written {} vs tape {}", k, g[k], gt[k]
            );
        }
    }

    /// `nn.backprop`: a single layer's ∇_{X^{ℓ-1}}L = Δ^ℓ (W^ℓ)^T (the line the network's first
    /// layer skips) matches finite differences in the input, for L = Σ G ⊙ X^ℓ with random G.
    #[test]
    fn backprop_input_gradient_matches_finite_differences(
        n_in in 1usize..6,
        n_out in 1usize..6,
        batch in 1usize..5,
        act in 0usize..3, // identity, tanh, sigmoid: smooth everywhere
        seed in any::<u64>(),
    ) {
        let mut g = linalg::rng(seed);
        let layer = Dense::new(n_in, n_out, ACTIVATIONS[act], nn::Init::Xavier, &mut g);
        let x = Matrix::random_normal(batch, n_in, seed ^ 5);
        let upstream = Matrix::random_normal(batch, n_out, seed ^ 6);
        // L(X) = Σ_ij G_ij f(X W + 1 b)_ij, so ∇_{X^ℓ} L = G.
        let lossf = |x: &Matrix| -> f64 {
            layer.forward(x).as_slice().iter().zip(upstream.as_slice()).map(|(a, b)| a * b).sum()
        };
        let out = layer.forward(&x);
        let mut grad = upstream.clone();
        let mut pg = DenseGrad::zeros(n_in, n_out);
        let mut gx = Matrix::zeros(batch, n_in);
        layer.backward(&x, &out, &mut grad, &mut pg, Some(&mut gx));
        for i in 0..batch {
            for j in 0..n_in {
                let (mut xp, mut xm) = (x.clone(), x.clone());
                xp[(i, j)] += H;
                xm[(i, j)] -= H;
                let fd = (lossf(&xp) - lossf(&xm)) / (2.0 * H);
                // As above: truncation ≲ 1e-11, rounding ≈ 2e-10·|L|.
                prop_assert!((fd - gx[(i, j)]).abs() <= 1e-6 * (1.0 + lossf(&x).abs()));
            }
        }
    }
}
