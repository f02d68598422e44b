//! The tests of exercise 39, `lectures/exercises/ex39_ae_vjps.rs` (`lectures exercises check ex39`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex39_ae_vjps.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex39_ae_vjps.rs")]
mod ex39_ae_vjps;

use common::*;
use ex39_ae_vjps as ex;

/// The tape's gradient of Σ (G ⊙ op(inputs)): the VJP of op at the adjoint G, for each input.
fn tape_vjp(
    inputs: &[&Matrix],
    g: &Matrix,
    op: impl Fn(&mut Tape, &[autodiff::Var]) -> autodiff::Var,
) -> Vec<Matrix> {
    let mut tape = Tape::new();
    let vars: Vec<_> = inputs.iter().map(|m| tape.param(m)).collect();
    let y = op(&mut tape, &vars);
    let gv = tape.constant(g);
    let weighted = tape.mul(y, gv);
    let l = tape.sum(weighted);
    tape.backward(l).unwrap();
    vars.iter().map(|&v| tape.grad(v).clone()).collect()
}

proptest! {
    #![proptest_config(config())]

    /// (`ad.reverse`): the bias broadcast's VJP is the tape's.
    #[test]
    fn add_row_broadcast_vjp((x, b, g) in (1usize..8, 1usize..6).prop_flat_map(|(m, n)| (matrix_of(m, n, 4.0), matrix_of(1, n, 4.0), matrix_of(m, n, 4.0)))) {
        let want = tape_vjp(&[&x, &b], &g, |t, v| t.add_row_broadcast(v[0], v[1]));
        let (xb, bb) = ex::vjp_add_row_broadcast(&g);
        close("X̄", &xb, &want[0], 0.0)?;
        // Sums of m multiples of 1/8 below 4: exact in any order.
        close("b̄", &bb, &want[1], 0.0)?;
    }

    /// (`ad.reverse`): the sigmoid's VJP is the tape's.
    #[test]
    fn sigmoid_vjp((x, g) in (1usize..8, 1usize..6).prop_flat_map(|(m, n)| (matrix_of(m, n, 8.0), matrix_of(m, n, 4.0)))) {
        let want = tape_vjp(&[&x], &g, |t, v| t.sigmoid(v[0]));
        let y = x.map(nn::sigmoid);
        // Two products of numbers known to a few ε.
        close("X̄", &ex::vjp_sigmoid(&y, &g), &want[0], 8.0 * EPS * g.max_abs())?;
    }

    /// (`ad.reverse`): the squared error's VJP is the tape's, for any upstream L̄.
    #[test]
    fn squared_error_vjp((p, t) in (1usize..8, 1usize..6).prop_flat_map(|(m, n)| (matrix_of(m, n, 4.0), matrix_of(m, n, 4.0))), l_bar in -4.0..4.0f64) {
        let mut tape = Tape::new();
        let (pv, tv) = (tape.param(&p), tape.constant(&t));
        let se = tape.squared_error(pv, tv);
        let l = tape.scale(se, l_bar);
        tape.backward(l).unwrap();
        // 2 L̄ (p − t): one rounding of the product.
        close("P̄", &ex::vjp_squared_error(&p, &t, l_bar), tape.grad(pv), 4.0 * EPS * 16.0 * l_bar.abs())?;
    }

    /// (`ad.reverse`): the backward sweep through a whole sigmoid layer and its loss gives the
    /// tape's loss and gradients.
    #[test]
    fn layer_gradient_is_the_tapes(
        (x, w, b, t) in (1usize..8, 1usize..5, 1usize..5).prop_flat_map(|(m, k, n)| (matrix_of(m, k, 2.0), matrix_of(k, n, 2.0), matrix_of(1, n, 2.0), matrix_of(m, n, 1.0))),
    ) {
        let mut tape = Tape::new();
        let (xv, wv, bv, tv) = (tape.constant(&x), tape.param(&w), tape.param(&b), tape.constant(&t));
        let z = tape.matmul(xv, wv);
        let z = tape.add_row_broadcast(z, bv);
        let y = tape.sigmoid(z);
        let l = tape.squared_error(y, tv);
        tape.backward(l).unwrap();
        let (loss, wb, bb) = ex::layer_gradient(&x, &w, &b, &t);
        let (m, k) = x.shape();
        // Sums of k products (Z) and of m terms (W̄, b̄), each entry of size ≤ 2·(1 + 1)·|x|;
        // σ and exp add a few ε.
        let tol = 64.0 * (m + k) as f64 * EPS * (1.0 + x.max_abs());
        close_scalar("L", loss, tape.scalar(l), tol * (m * w.ncols()) as f64)?;
        close("W̄", &wb, tape.grad(wv), tol)?;
        close("b̄", &bb, tape.grad(bv), tol)?;
    }
}
