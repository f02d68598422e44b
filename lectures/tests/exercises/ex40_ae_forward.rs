//! The tests of exercise 40, `lectures/exercises/ex40_ae_forward.rs` (`lectures exercises check ex40`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex40_ae_forward.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex40_ae_forward.rs")]
mod ex40_ae_forward;

use common::*;
use ex40_ae_forward::{forward, Layer};
use nn::Activation;

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Tanh),
        Just(Activation::Sigmoid),
        Just(Activation::Identity),
        Just(Activation::Relu)
    ]
}

/// A random network (nn's initialisation, random biases) and input.
fn network() -> impl Strategy<Value = (nn::Mlp, M)> {
    (
        proptest::collection::vec(1usize..6, 2..5),
        1usize..8,
        0u64..1000,
    )
        .prop_flat_map(|(sizes, n, seed)| {
            let layers = sizes.len() - 1;
            (
                Just(sizes.clone()),
                proptest::collection::vec(activation(), layers),
                Just(seed),
                matrix_of(n, sizes[0], 2.0),
            )
        })
        .prop_map(|(sizes, acts, seed, x)| {
            let mut net = nn::Mlp::new(&sizes, &acts, seed);
            for (l, layer) in net.layers.iter_mut().enumerate() {
                for (j, b) in layer.b.iter_mut().enumerate() {
                    *b = 0.25 * ((l + j) % 5) as f64 - 0.5;
                }
            }
            (net, x)
        })
}

fn layers_of(net: &nn::Mlp) -> Vec<Layer> {
    net.layers
        .iter()
        .map(|l| Layer {
            w: l.w.clone(),
            b: Matrix::from_vec(1, l.b.len(), l.b.clone()),
            activation: l.activation,
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// (`nn.backprop`): the output recorded on the tape is nn's forward pass, and one
    /// backward sweep gives nn's hand-written gradients of every layer.
    #[test]
    fn forward_on_the_tape_is_nns_network((net, x) in network()) {
        let layers = layers_of(&net);
        let want = net.forward(&x);
        let y = want.map(|v| 0.5 - 0.25 * v);
        let mut tape = Tape::new();
        let xv = tape.constant(&x);
        let (out, vars) = forward(&mut tape, xv, &layers);
        prop_assert!(vars.len() == layers.len(), "{} (W, b) pairs returned for {} layers", vars.len(), layers.len());
        // The same products in the same order; tanh and sigmoid to a few ε per layer.
        let width = 1 + net.layers.iter().map(|l| l.w.nrows()).max().unwrap();
        let tol = 64.0 * (width * net.layers.len()) as f64 * EPS * (1.0 + want.max_abs());
        close("the output", tape.value(out), &want, tol)?;
        let yv = tape.constant(&y);
        let loss = tape.squared_error(out, yv);
        tape.backward(loss).unwrap();
        let mut ws = net.workspace(x.nrows());
        let mut grads = net.zero_gradients();
        net.loss_and_gradient(&x, &y, nn::Loss::SumSquared, &mut ws, &mut grads);
        for (l, ((w, b), g)) in vars.iter().zip(&grads.layers).enumerate() {
            let gb = Matrix::from_vec(1, g.b.len(), g.b.clone());
            let scale = 1.0 + g.w.max_abs().max(gb.max_abs());
            close(&format!("∂L/∂W of layer {}", l + 1), tape.grad(*w), &g.w, tol * scale * x.nrows() as f64)?;
            close(&format!("∂L/∂b of layer {}", l + 1), tape.grad(*b), &gb, tol * scale * x.nrows() as f64)?;
        }
    }
}
