//! The tests of exercise 34, `lectures/exercises/ex34_reparameterize.rs` (`lectures exercises check ex34`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex34_reparameterize.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex34_reparameterize.rs")]
mod ex34_reparameterize;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.vae.elbo`): z and both gradients equal the tape's for z = μ + e^{ℓ/2} ⊙ ε.
    #[test]
    fn reparameterisation_matches_the_tape((mu, logvar, eps, g) in (1usize..4, 1usize..4).prop_flat_map(|(r, c)| (matrix_of(r, c, 2.0), matrix_of(r, c, 3.0), matrix_of(r, c, 2.0), matrix_of(r, c, 2.0)))) {
        let mut tape = Tape::new();
        let (m, l) = (tape.param(&mu), tape.param(&logvar));
        let e = tape.constant(&eps);
        let half = tape.scale(l, 0.5);
        let sigma = tape.exp(half);
        let noise = tape.mul(sigma, e);
        let z = tape.add(m, noise);
        let gv = tape.constant(&g);
        let zg = tape.mul(z, gv);
        let loss = tape.sum(zg);
        tape.backward(loss).unwrap();
        let got = ex34_reparameterize::reparameterize(&mu, &logvar, &eps, &g);
        // σ ≤ e^1.5 < 5; a few roundings of products of that size.
        let scale = 5.0 * (1.0 + eps.max_abs()) * (1.0 + g.max_abs()) + mu.max_abs();
        close("z", &got.z, tape.value(z), 8.0 * EPS * scale)?;
        // ∂L/∂μ is Z̄ itself.
        close("∂L/∂μ", &got.grad_mu, tape.grad(m), 2.0 * EPS * g.max_abs())?;
        close("∂L/∂ℓ", &got.grad_logvar, tape.grad(l), 8.0 * EPS * scale)?;
    }
}
