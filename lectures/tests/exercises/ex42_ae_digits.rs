//! The tests of exercise 42, `lectures/exercises/ex42_ae_digits.rs` (`lectures exercises check ex42`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.
//!
//! A project step: this target also compiles the earlier steps it uses (ex40, ex41): if
//! one of them does not compile, this step cannot either.

mod common;
#[allow(dead_code)] // only what this step calls is used here
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex40_ae_forward.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex40_ae_forward.rs")]
mod ex40_ae_forward;
#[allow(dead_code)] // only what this step calls is used here
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex41_ae_training.rs"
)]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex41_ae_training.rs")]
mod ex41_ae_training;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex42_ae_digits.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex42_ae_digits.rs")]
mod ex42_ae_digits;

use common::*;
use dimred::pca::Pca;

/// The reconstruction of `x` through the layers, by nn's plain forward pass (not the tape).
fn reconstruct(layers: &[ex40_ae_forward::Layer], x: &Matrix) -> Matrix {
    let net = nn::Mlp {
        layers: layers
            .iter()
            .map(|l| nn::Dense::from_parts(l.w.clone(), l.b.as_slice().to_vec(), l.activation))
            .collect(),
    };
    net.forward(x)
}

/// (`nn.ae.loss`): your autoencoder beats PCA's reconstruction error on the digits at the same
/// code size (a fixed test on real data).
#[test]
fn your_autoencoder_beats_pca_on_the_digits() {
    let ds = dimred::data::load("digits").expect("the built-in digits parse");
    // All 1797 digits, pixels scaled from 0..16 to [0, 1].
    let x = ds.x.scale(1.0 / 16.0);
    let code = 2;
    let layers = ex42_ae_digits::digits_autoencoder(&x, code, 40, 1);
    let sizes: Vec<(usize, usize)> = layers.iter().map(|l| l.w.shape()).collect();
    assert!(
        sizes.first().map(|s| s.0) == Some(64) && sizes.last().map(|s| s.1) == Some(64),
        "the layers' shapes {sizes:?} do not map 64 pixels back to 64"
    );
    assert!(
        sizes.iter().any(|s| s.1 == code),
        "no layer has a code of {code} numbers: {sizes:?}"
    );
    let ae_mse = nn::Loss::MeanSquared.value(&reconstruct(&layers, &x), &x);
    let (fit, y) = Pca::new(code).fit_transform(&x).unwrap();
    let pca_mse = nn::Loss::MeanSquared.value(&fit.inverse_transform(&y), &x);
    // The reference solution reaches 0.044 against PCA's 0.0524 (40 epochs, seed 1).
    assert!(
        ae_mse < pca_mse,
        "your autoencoder's reconstruction MSE on {} digits is {ae_mse:.4}, PCA's with {code} \
         components is {pca_mse:.4}: yours should be lower",
        x.nrows()
    );
}
