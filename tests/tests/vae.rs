//! The variational autoencoder (`nn.vae.elbo`): the closed-form KL against a Monte-Carlo
//! estimate, KL ≥ 0 with equality only at the prior, gradients through the reparameterised
//! sampling step against finite differences at fixed ε, and training lowers the loss.

use linalg::Matrix;
use nn::vae::{gaussian_kl, gaussian_kl_monte_carlo};
use nn::{Activation, Adam, Schedule, Vae};
use proptest::prelude::*;

fn cases() -> ProptestConfig {
    ProptestConfig::with_cases(32)
}

proptest! {
    #![proptest_config(cases())]

    /// `nn.vae.elbo`: ½Σ(μ² + σ² - log σ² - 1) agrees with the Monte-Carlo mean of
    /// log q(y) - log p(y), y ~ q, within 5 of its standard errors (a false alarm has
    /// probability < 1e-6 per case; the seeds are fixed, so the test is deterministic).
    #[test]
    fn vae_kl_closed_form_matches_monte_carlo(
        mu in prop::collection::vec(-2.0f64..2.0, 1..5),
        lv in prop::collection::vec(-1.5f64..1.5, 5),
        seed in 0u64..1000,
    ) {
        let logvar = &lv[..mu.len()];
        let exact = gaussian_kl(&mu, logvar);
        let (mc, se) = gaussian_kl_monte_carlo(&mu, logvar, 20_000, seed);
        prop_assert!((exact - mc).abs() <= 5.0 * se + 1e-12, "{exact} vs {mc} ± {se}");
    }

    /// `nn.vae.elbo`: KL ≥ 0, and > 0 as soon as one μ_j ≠ 0 or σ_j ≠ 1: each term
    /// ½(μ² + e^ℓ - ℓ - 1) ≥ ½μ² + ¼ e^{-|ℓ|} ℓ² (Taylor with the remainder's minimum), so
    /// the bound below is a strict, checkable lower bound.
    #[test]
    fn vae_kl_nonnegative_zero_only_at_prior(
        mu in prop::collection::vec(-3.0f64..3.0, 1..6),
        lv in prop::collection::vec(-3.0f64..3.0, 6),
    ) {
        let logvar = &lv[..mu.len()];
        let kl = gaussian_kl(&mu, logvar);
        let lower: f64 = mu.iter().zip(logvar).map(|(m, l)| 0.5 * m * m + 0.25 * (-l.abs()).exp() * l * l).sum();
        // exp_m1 is accurate to an ulp, so the computed terms are within a few ε relative.
        prop_assert!(kl >= lower * (1.0 - 1e-12), "{kl} < {lower}");
        prop_assert!(kl >= 0.0);
        if lower > 0.0 {
            prop_assert!(kl > 0.0);
        }
    }
}

/// `nn.vae.elbo`: KL(N(0, I) || N(0, I)) is exactly 0.
#[test]
fn vae_kl_is_zero_at_the_prior() {
    assert_eq!(gaussian_kl(&[0.0; 4], &[0.0; 4]), 0.0);
}

/// `nn.vae.elbo`: the closed form agrees with the autodiff tape's `gaussian_kl` operation.
#[test]
fn vae_kl_matches_autodiff_operation() {
    let mu = Matrix::from_rows(&[[0.3, -1.2, 0.0]]);
    let lv = Matrix::from_rows(&[[0.5, -0.7, 1e-9]]);
    let mut tape = autodiff::Tape::new();
    let (m, l) = (tape.param(&mu), tape.param(&lv));
    let k = tape.gaussian_kl(m, l);
    let on_tape = tape.value(k)[(0, 0)];
    let closed = gaussian_kl(mu.as_slice(), lv.as_slice());
    // Same formula, possibly a different association of the sum: a few ε relative.
    assert!(
        (on_tape - closed).abs() <= 8.0 * f64::EPSILON * closed,
        "{on_tape} vs {closed}"
    );
}

/// `nn.vae.elbo`: the batch loss is the definition, recomputed from the public pieces: (μ, ℓ) =
/// encode(x) with ℓ = log σ², y = μ + e^{ℓ/2} ⊙ ε, x̂ = decode(y); reconstruction = mean of
/// ||x − x̂||², KL = mean of ½Σ(μ² + e^ℓ − ℓ − 1), total = reconstruction + β KL. Finite
/// differences cannot see a sampler that takes σ = e^ℓ in the loss and its gradient alike.
#[test]
fn vae_loss_is_the_reparameterised_definition() {
    let m = 6;
    for (seed, beta) in [(1u64, 1.0), (2, 0.3)] {
        let mut vae = Vae::new(5, &[4], 2, Activation::Tanh, Activation::Sigmoid, seed);
        vae.beta = beta;
        let x = Matrix::random_uniform(m, 5, 0.0, 1.0, seed + 10);
        let eps = Matrix::random_normal(m, 2, seed + 20);
        let (mu, lv) = vae.encode(&x);
        let y = Matrix::from_fn(m, 2, |i, j| {
            mu[(i, j)] + (0.5 * lv[(i, j)]).exp() * eps[(i, j)]
        });
        let xhat = vae.decode(&y);
        let rec: f64 = x
            .rows()
            .zip(xhat.rows())
            .map(|(a, b)| linalg::sq_dist(a, b))
            .sum::<f64>()
            / m as f64;
        let kl: f64 = (0..m)
            .map(|i| gaussian_kl(mu.row(i), lv.row(i)))
            .sum::<f64>()
            / m as f64;
        let got = vae.loss(&x, &eps);
        // x, x̂ ∈ [0, 1] (sigmoid output): the two forward paths give x̂ to ~8ε, so each of the
        // D = 5 squares per row moves by ≤ 16ε: 128ε absolute on the mean. The KL sums the
        // same terms in another order: 64ε relative.
        assert!(
            (got.reconstruction - rec).abs() <= 128.0 * f64::EPSILON,
            "reconstruction {} vs {rec}",
            got.reconstruction
        );
        assert!(
            (got.kl - kl).abs() <= 64.0 * f64::EPSILON * kl,
            "KL {} vs {kl}",
            got.kl
        );
        let total = rec + beta * kl;
        assert!(
            (got.total - total).abs() <= 128.0 * f64::EPSILON + 64.0 * f64::EPSILON * kl,
            "total {} vs {total}",
            got.total
        );
    }
}

/// `nn.vae.elbo`: the hand-written gradient through the sampling step y = μ + σ ⊙ ε (and the
/// KL, and both networks) matches central differences of the loss at the same fixed ε, for
/// every parameter, with β = 1 and β = 0.3.
#[test]
fn vae_gradient_through_sampling_matches_finite_differences() {
    for (seed, beta) in [(1u64, 1.0), (2, 0.3)] {
        let mut vae = Vae::new(5, &[4], 2, Activation::Tanh, Activation::Sigmoid, seed);
        vae.beta = beta;
        let x = Matrix::random_uniform(3, 5, 0.0, 1.0, seed + 10);
        let eps = Matrix::random_normal(3, 2, seed + 20);
        let mut ws = vae.workspace(3);
        let mut g = vae.zero_gradients();
        vae.loss_and_gradient(&x, &eps, &mut ws, &mut g);
        let analytic: Vec<f64> = g
            .encoder
            .to_vec()
            .into_iter()
            .chain(g.decoder.to_vec())
            .collect();
        let pe = vae.encoder.params();
        let pd = vae.decoder.params();
        let all: Vec<f64> = pe.iter().chain(&pd).copied().collect();
        let h = 1e-5;
        for k in 0..all.len() {
            let eval = |delta: f64| {
                let mut p = all.clone();
                p[k] += delta;
                let mut v = vae.clone();
                v.encoder.set_params(&p[..pe.len()]);
                v.decoder.set_params(&p[pe.len()..]);
                v.loss(&x, &eps).total
            };
            let fd = (eval(h) - eval(-h)) / (2.0 * h);
            // Central differences: truncation h²|L'''|/6 ≈ 1e-10 for these O(1) smooth
            // functions, rounding ε|L|/h ≈ 1e-10; 1e-7 leaves a wide margin.
            assert!(
                (fd - analytic[k]).abs() <= 1e-7 * (1.0 + fd.abs()),
                "param {k}: fd {fd} vs {}",
                analytic[k]
            );
        }
    }
}

/// `nn.vae.elbo`: Adam lowers the loss (reconstruction + KL) on a small data set, and the
/// KL part stays positive.
#[test]
fn vae_training_lowers_the_loss() {
    let x = Matrix::random_uniform(200, 8, 0.0, 1.0, 3);
    let mut vae = Vae::new(8, &[16], 2, Activation::Tanh, Activation::Sigmoid, 4);
    let schedule = Schedule {
        epochs: 30,
        batch_size: Some(32),
        seed: 5,
        ..Default::default()
    };
    let h = vae.train(&x, &mut Adam::new(1e-2), &schedule).unwrap();
    let (first, last) = (h.measures[0], *h.measures.last().unwrap());
    assert_eq!(h.train_loss.last(), Some(&last.total));
    assert!(last.total < first.total, "{first:?} -> {last:?}");
    assert!(last.kl > 0.0);
}
