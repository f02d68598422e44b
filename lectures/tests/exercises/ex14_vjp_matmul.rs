//! The tests of exercise 14, `lectures/exercises/ex14_vjp_matmul.rs` (`lectures exercises check ex14`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex14_vjp_matmul.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex14_vjp_matmul.rs")]
mod ex14_vjp_matmul;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`ad.reverse`): the matmul VJP equals the tape's gradients of Σ (A B ⊙ C̄).
    #[test]
    fn matmul_vjp_matches_the_tape((a, b, g) in (1usize..5, 1usize..5, 1usize..5).prop_flat_map(|(m, k, n)| (matrix_of(m, k, 2.0), matrix_of(k, n, 2.0), matrix_of(m, n, 2.0)))) {
        let (m, n) = g.shape();
        let mut tape = Tape::new();
        let (av, bv) = (tape.param(&a), tape.param(&b));
        let c = tape.matmul(av, bv);
        let gv = tape.constant(&g);
        let cg = tape.mul(c, gv);
        let loss = tape.sum(cg);
        tape.backward(loss).unwrap();
        let (ga, gb) = ex14_vjp_matmul::matmul_vjp(&a, &b, &g);
        // Inner products of length n (for Ā) or m (for B̄).
        let scale = g.max_abs() * a.max_abs().max(b.max_abs()) * (m + n) as f64;
        close("Ā", &ga, tape.grad(av), 4.0 * EPS * scale)?;
        close("B̄", &gb, tape.grad(bv), 4.0 * EPS * scale)?;
    }
}
