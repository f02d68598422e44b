//! The tests of exercise 13, `lectures/exercises/ex13_vjp_tanh.rs` (`lectures exercises check ex13`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex13_vjp_tanh.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex13_vjp_tanh.rs")]
mod ex13_vjp_tanh;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`ad.reverse`): the tanh VJP equals the tape's gradient of Σ (tanh X ⊙ G).
    #[test]
    fn tanh_vjp_matches_the_tape((x, g) in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| (matrix_of(r, c, 4.0), matrix_of(r, c, 2.0)))) {
        let mut tape = Tape::new();
        let xv = tape.param(&x);
        let y = tape.tanh(xv);
        let gv = tape.constant(&g);
        let yg = tape.mul(y, gv);
        let loss = tape.sum(yg);
        tape.backward(loss).unwrap();
        // tanh to a few ulps, then 1 − y² and one product.
        close("X̄", &ex13_vjp_tanh::tanh_vjp(&x, &g), tape.grad(xv), 16.0 * EPS * g.max_abs())?;
    }
}
