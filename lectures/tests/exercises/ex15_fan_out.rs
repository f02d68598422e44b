//! The tests of exercise 15, `lectures/exercises/ex15_fan_out.rs` (`lectures exercises check ex15`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex15_fan_out.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex15_fan_out.rs")]
mod ex15_fan_out;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`ad.fan-out`): the tape's gradient of Σ ((A X) ⊙ X ⊙ G), X used twice.
    #[test]
    fn both_uses_of_x_are_summed(
        (a, x, g) in (1usize..5, 1usize..4).prop_flat_map(|(n, m)| (matrix_of(n, n, 2.0), matrix_of(n, m, 2.0), matrix_of(n, m, 2.0)))
    ) {
        let mut tape = Tape::new();
        let xv = tape.param(&x);
        let av = tape.constant(&a);
        let ax = tape.matmul(av, xv);
        let y = tape.mul(ax, xv);
        let gv = tape.constant(&g);
        let yg = tape.mul(y, gv);
        let loss = tape.sum(yg);
        tape.backward(loss).unwrap();
        let n = a.nrows();
        // Products of length n of entries ≤ 2, times G ≤ 2.
        let tol = 16.0 * n as f64 * EPS * (1.0 + a.max_abs()) * (1.0 + x.max_abs()) * (1.0 + g.max_abs());
        close("X̄", &ex15_fan_out::fan_out_vjp(&a, &x, &g), tape.grad(xv), tol)?;
    }
}
