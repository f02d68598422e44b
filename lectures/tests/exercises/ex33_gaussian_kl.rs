//! The tests of exercise 33, `lectures/exercises/ex33_gaussian_kl.rs` (`lectures exercises check ex33`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex33_gaussian_kl.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex33_gaussian_kl.rs")]
mod ex33_gaussian_kl;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`nn.vae.elbo`): the Gaussian KL and its gradients equal the tape's `gaussian_kl`.
    #[test]
    fn gaussian_kl_matches_the_tape((mu, logvar) in (1usize..4, 1usize..4).prop_flat_map(|(r, c)| (matrix_of(r, c, 4.0), matrix_of(r, c, 3.0)))) {
        let (rows, cols) = mu.shape();
        let mut tape = Tape::new();
        let (m, l) = (tape.param(&mu), tape.param(&logvar));
        let kl = tape.gaussian_kl(m, l);
        tape.backward(kl).unwrap();
        let (value, g_mu, g_lv) = ex33_gaussian_kl::gaussian_kl(&mu, &logvar);
        // A sum of rows·cols terms, each at most ½ (μ² + e³ + 3 + 1).
        let scale = (rows * cols) as f64 * (mu.max_abs().powi(2) + 25.0);
        close_scalar("KL", value, tape.scalar(kl), 8.0 * EPS * scale)?;
        // ∂KL/∂μ is μ itself: a copy, up to an ulp if computed as a product.
        close("∂KL/∂μ", &g_mu, tape.grad(m), 2.0 * EPS * mu.max_abs())?;
        close("∂KL/∂ℓ", &g_lv, tape.grad(l), 8.0 * EPS * 25.0)?;
    }
}
