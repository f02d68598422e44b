//! Saved models: a save/load round trip gives bit-identical outputs (serde_json's
//! `float_roundtrip`), and another version, a truncated file or data of the wrong width are
//! errors that say which (never panics).

use linalg::Matrix;
use nn::linear_ae::{LinearAutoencoder, Start};
use nn::model_io::FORMAT_VERSION;
use nn::{Activation, Autoencoder, Model, ModelFile, ModelIoError, Scaling, Training, Vae};
use proptest::prelude::*;
use std::path::PathBuf;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-model-io-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The three kinds, with weights spread over many binades (so the last bit matters).
fn models(dim: usize, d: usize, seed: u64) -> Vec<Model> {
    let mean: Vec<f64> = (0..dim).map(|k| (k as f64 + 0.1) / 3.0).collect();
    let lin = LinearAutoencoder::new(
        mean,
        d,
        &Start::Unbalanced {
            u_scale: 1.0,
            w_scale: 1e-3,
        },
        seed,
    );
    let deep = Autoencoder::new(
        &[dim, 7, d],
        &[Activation::Tanh, Activation::Identity],
        &[d, 7, dim],
        &[Activation::Relu, Activation::Sigmoid],
        seed,
    );
    let vae = Vae::new(dim, &[6], d, Activation::Tanh, Activation::Identity, seed);
    vec![Model::Linear(lin), Model::Deep(deep), Model::Vae(vae)]
}

/// A model file around `m`: min-max scaling of some data and a training record.
fn file(m: Model) -> ModelFile {
    let dim = m.input_dim();
    let data = Matrix::random_normal(20, dim, 7).scale(3.0);
    ModelFile {
        scaling: Scaling::min_max(&data),
        training: Training {
            data: "test".into(),
            n_samples: 20,
            columns: columns(dim),
            seed: 7,
        },
        model: m,
    }
}

fn columns(dim: usize) -> Vec<String> {
    (0..dim).map(|j| format!("c{j}")).collect()
}

fn bits(m: &Matrix) -> Vec<u64> {
    m.as_slice().iter().map(|v| v.to_bits()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Round trip through a file: the reloaded model equals the saved one and its codes and
    /// reconstructions are bit-identical.
    #[test]
    fn model_io_roundtrip_is_bit_identical(dim in 2usize..9, d in 1usize..3, seed in 0u64..10_000) {
        prop_assume!(d < dim);
        let dir = temp_dir("roundtrip");
        let x = Matrix::random_normal(5, dim, seed + 1).scale(3.7);
        for (k, m) in models(dim, d, seed).into_iter().enumerate() {
            let path = dir.join(format!("m{k}.json"));
            let f = file(m);
            f.save(&path).unwrap();
            let back = ModelFile::load(&path).unwrap();
            prop_assert_eq!(&back, &f);
            let cols = columns(dim);
            prop_assert_eq!(bits(&back.encode(&x, &cols).unwrap()), bits(&f.encode(&x, &cols).unwrap()));
            prop_assert_eq!(bits(&back.reconstruct(&x, &cols).unwrap()), bits(&f.reconstruct(&x, &cols).unwrap()));
            // encode then decode is reconstruct, bit for bit (the same operations in order).
            let codes = back.encode(&x, &cols).unwrap();
            prop_assert_eq!(bits(&back.decode(&codes).unwrap()), bits(&back.reconstruct(&x, &cols).unwrap()));
        }
        // The temporary files were renamed away: only the models are left.
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        prop_assert!(leftovers.is_empty());
    }

    /// Every prefix of a model file is an error (truncated, or malformed when the cut leaves
    /// valid-looking JSON), never a panic and never a model.
    #[test]
    fn model_io_truncated_file_is_an_error(cut in 0.0f64..1.0) {
        let json = file(models(4, 2, 3).remove(1)).to_json();
        let at = ((json.len() - 1) as f64 * cut) as usize;
        let text = &json[..at];
        match ModelFile::from_json(text) {
            Err(ModelIoError::Truncated { .. }) => {}
            Err(ModelIoError::Malformed { .. }) => {}
            other => prop_assert!(false, "cut at {at}: {other:?}"),
        }
    }
}

/// A file cut in the middle of a number reports truncation, and the message says so.
#[test]
fn model_io_truncated_message_says_truncated() {
    let json = file(models(3, 1, 1).remove(0)).to_json();
    let err = ModelFile::from_json(&json[..json.len() / 2]).unwrap_err();
    assert!(matches!(err, ModelIoError::Truncated { .. }), "{err:?}");
    assert!(err.to_string().contains("truncated"), "{err}");
}

/// A file of another version is refused with both versions named, even if its body differs.
#[test]
fn model_io_other_version_is_an_error() {
    let json = file(models(3, 1, 1).remove(2)).to_json();
    let newer = json.replacen(
        &format!("\"version\": {FORMAT_VERSION}"),
        "\"version\": 99",
        1,
    );
    assert_ne!(newer, json, "the version field was found and replaced");
    let err = ModelFile::from_json(&newer).unwrap_err();
    assert!(
        matches!(err, ModelIoError::Version { found: 99, expected } if expected == FORMAT_VERSION),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("99") && msg.contains(&FORMAT_VERSION.to_string()),
        "{msg}"
    );
}

/// Data whose width differs from the model's input width: an error naming both widths.
#[test]
fn model_io_input_width_mismatch_is_an_error() {
    for m in models(4, 2, 5) {
        let x = Matrix::zeros(3, 5);
        let err = m.encode(&x).unwrap_err();
        assert!(
            matches!(
                err,
                ModelIoError::InputWidth {
                    expected: 4,
                    found: 5
                }
            ),
            "{err:?}"
        );
        assert!(m.reconstruct(&x).is_err());
        let msg = err.to_string();
        assert!(
            msg.contains('4') && msg.contains('5') && msg.contains("width"),
            "{msg}"
        );
    }
}

/// Inconsistent shapes inside an otherwise valid file are a malformed-file error.
#[test]
fn model_io_inconsistent_shapes_are_an_error() {
    let json = file(models(3, 1, 1).remove(0)).to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut bad = v.clone();
    bad["model"]["mean"] = serde_json::json!([0.0, 1.0]);
    let err = ModelFile::from_json(&bad.to_string()).unwrap_err();
    assert!(matches!(err, ModelIoError::Malformed { .. }), "{err:?}");
}

/// A missing file is an I/O error naming the path.
#[test]
fn model_io_missing_file_names_the_path() {
    let p = temp_dir("missing").join("nope.json");
    let err = ModelFile::load(&p).unwrap_err();
    assert!(err.to_string().contains("nope.json"), "{err}");
}

/// A model holding a NaN is not saved (JSON has no NaN; serde_json would write null).
#[test]
fn model_io_non_finite_parameter_is_not_saved() {
    let mut m = models(3, 1, 1).remove(1);
    if let Model::Deep(ae) = &mut m {
        ae.net.layers[1].b[0] = f64::NAN;
    }
    let path = temp_dir("nan").join("m.json");
    let err = file(m).save(&path).unwrap_err();
    assert!(matches!(err, ModelIoError::NonFinite { .. }), "{err:?}");
    assert!(err.to_string().contains("layer 2"), "{err}");
    assert!(!path.exists());
}

/// The saved scaling is applied before encoding and undone after decoding: undo(apply(x))
/// is x to rounding (two operations, |x| ≤ max|x|: 4 ε max|x|), and the scaled training data
/// span exactly [0, 1].
#[test]
fn model_io_scaling_round_trips_and_spans_the_unit_interval() {
    let x = Matrix::random_normal(30, 4, 11).scale(5.0).map(|v| v + 2.0);
    let s = Scaling::min_max(&x);
    let scaled = s.apply(&x);
    let lo = scaled
        .as_slice()
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let hi = scaled
        .as_slice()
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((lo, hi), (0.0, 1.0));
    let back = s.undo(&scaled);
    assert!((&back - &x).max_abs() <= 4.0 * f64::EPSILON * x.max_abs());
    // Constant data: span 1, no division by zero.
    assert_eq!(
        Scaling::min_max(&Matrix::filled(3, 2, 4.0)),
        Scaling::MinMax {
            min: 4.0,
            span: 1.0
        }
    );
}

/// Careless use of a model file: wrong columns, NaN rows, codes of the wrong width, sampling
/// from a deterministic autoencoder, asking a deterministic one for variances, and a
/// version-1 file (which did not record the scaling): each a clear error.
#[test]
fn model_io_careless_use_is_an_error() {
    let mut all = models(3, 1, 1);
    let vae = file(all.remove(2));
    let deep = file(all.remove(1));
    let x = Matrix::random_normal(4, 3, 2);
    let swapped = vec!["c1".to_string(), "c0".into(), "c2".into()];
    let err = deep.encode(&x, &swapped).unwrap_err();
    assert!(
        err.to_string().contains("[c0, c1, c2]") && err.to_string().contains("[c1, c0, c2]"),
        "{err}"
    );
    let mut nan = x.clone();
    nan[(2, 1)] = f64::NAN;
    assert!(matches!(
        deep.encode(&nan, &columns(3)),
        Err(ModelIoError::NonFiniteData { at: (2, 1) })
    ));
    assert!(matches!(
        deep.decode(&Matrix::zeros(2, 3)),
        Err(ModelIoError::InputWidth {
            expected: 1,
            found: 3
        })
    ));
    assert!(deep
        .sample(5, 0)
        .unwrap_err()
        .to_string()
        .contains("--model vae"));
    assert!(deep.encode_with_variance(&x, &columns(3)).is_err());
    let (mu, logvar) = vae.encode_with_variance(&x, &columns(3)).unwrap();
    assert_eq!((mu.shape(), logvar.shape()), ((4, 1), (4, 1)));
    let samples = vae.sample(6, 9).unwrap();
    assert_eq!(samples.shape(), (6, 3));
    assert_eq!(samples, vae.sample(6, 9).unwrap(), "seeded");
    let old = vae.to_json().replacen(
        &format!("\"version\": {FORMAT_VERSION}"),
        "\"version\": 1",
        1,
    );
    let err = ModelFile::from_json(&old).unwrap_err();
    assert!(
        err.to_string().contains("version 1") || err.to_string().contains("retrain"),
        "{err}"
    );
}
