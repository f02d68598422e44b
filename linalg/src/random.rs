//! Seeded randomness. Every random thing in the workspace starts from a `u64` seed, so two
//! runs with the same seed give bit-identical results on every platform.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The workspace's random generator: ChaCha8, whose stream is fixed by its seed on every platform.
pub type SeededRng = ChaCha8Rng;

/// A generator seeded with `seed`.
///
/// ```
/// use rand::Rng;
/// let mut a = linalg::rng(7);
/// let mut b = linalg::rng(7);
/// assert_eq!(a.random::<u64>(), b.random::<u64>());
/// ```
pub fn rng(seed: u64) -> SeededRng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// One standard normal sample by the Box–Muller transform:
/// z = sqrt(-2 ln u1) cos(2π u2) with u1 in (0, 1], u2 in [0, 1).
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    // 1 - u maps [0, 1) to (0, 1], so the logarithm is finite.
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}
