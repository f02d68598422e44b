//! The tests of exercise 24, `lectures/exercises/ex24_neuron_gradient.rs` (`lectures exercises check ex24`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex24_neuron_gradient.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex24_neuron_gradient.rs"
)]
mod ex24_neuron_gradient;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.neuron.tanh`): nn's neuron gradient, and central differences of its loss.
    #[test]
    fn neuron_gradient_matches_nn_and_finite_differences(
        w0 in -2.0..2.0f64, w1 in -2.0..2.0f64, w2 in -2.0..2.0f64, (x, labels) in
             (1usize..20).prop_flat_map(|n| (matrix_of(n, 2, 1.0), proptest::collection::vec(any::<bool>(), n))),
    ) {
        let w = [w0, w1, w2];
        let n = x.nrows();
        let y: Vec<f64> = labels.iter().map(|&l| if l { 1.0 } else { -1.0 }).collect();
        let got = ex24_neuron_gradient::neuron_gradient(w, &x, &y);
        let want = nn::TanhNeuron::new(w).gradient(&x, &y);
        // n terms, each |−2 (y − ŷ)(1 − ŷ²) x| ≤ 4.
        close_vec("∇_w L", &got, &want, 64.0 * n as f64 * EPS)?;
        let h = 1e-6;
        for k in 0..3 {
            let (mut wp, mut wm) = (w, w);
            wp[k] += h;
            wm[k] -= h;
            let fd = (nn::TanhNeuron::new(wp).loss(&x, &y) - nn::TanhNeuron::new(wm).loss(&x, &y)) / (2.0 * h);
            // Central differences: h² L''' + ε L / h, far below 1e-6 for L ≤ 4n.
            close_scalar(&format!("∂L/∂w{k} (against finite differences)"), got[k], fd, 1e-6 * n as f64)?;
        }
    }
}
