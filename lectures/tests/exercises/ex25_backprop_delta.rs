//! The tests of exercise 25, `lectures/exercises/ex25_backprop_delta.rs` (`lectures exercises check ex25`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex25_backprop_delta.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex25_backprop_delta.rs")]
mod ex25_backprop_delta;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.backprop`): Δ, ∇W, ∇b and ∇X_prev of nn's Dense::backward.
    #[test]
    fn backward_matches_nn_dense((x_prev, w, b, g) in (1usize..6, 1usize..5, 1usize..5).prop_flat_map(|(batch, n_in, n_out)| (matrix_of(batch, n_in, 2.0), matrix_of(n_in, n_out, 2.0), matrix_of(1, n_out, 1.0), matrix_of(batch, n_out, 2.0)))) {
        let (batch, n_in) = x_prev.shape();
        let n_out = w.ncols();
        let b = b.0.clone().into_vec();
        let layer = nn::Dense::from_parts(w.0.clone(), b, nn::Activation::Tanh);
        let x_out = layer.forward(&x_prev);
        let mut delta = g.0.clone();
        let mut grads = nn::DenseGrad::zeros(n_in, n_out);
        let mut gx = Matrix::zeros(batch, n_in);
        layer.backward(&x_prev, &x_out, &mut delta, &mut grads, Some(&mut gx));
        let got = ex25_backprop_delta::dense_tanh_backward(&x_prev, &w, &x_out, &g);
        // Products of length batch, n_out; entries of order max|G| max|X| max|W|.
        let scale = g.max_abs() * (1.0 + x_prev.max_abs()) * (1.0 + w.max_abs());
        let tol = 8.0 * (batch + n_in + n_out) as f64 * EPS * scale;
        close("Δ", &got.delta, &delta, tol)?;
        close("∇_W L", &got.grad_w, &grads.w, tol)?;
        close_vec("∇_b L", &got.grad_b, &grads.b, tol)?;
        close("∇_{X_prev} L", &got.grad_x_prev, &gx, tol)?;
    }
}
