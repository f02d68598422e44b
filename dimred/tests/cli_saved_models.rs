//! `dimred --save-model` then `dimred --apply`: scikit-learn's fit / transform from the command
//! line. Applying a saved PCA, kernel PCA or classical MDS to the training rows gives back the
//! embedding written at fit time (to rounding); careless use is a clear error.

use std::path::{Path, PathBuf};
use std::process::Command;

fn dimred(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dimred"))
        .args(args)
        .output()
        .expect("run dimred");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dimred-saved-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The numeric columns of a CSV the command wrote (the label column is last, if any).
fn coordinates(path: &Path, d: usize) -> Vec<Vec<f64>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(d).map(|v| v.parse().unwrap()).collect())
        .collect()
}

/// Kernel PCA and MDS recompute the embedding another way (the test kernel row by row;
/// Gower's formula), so they agree to rounding: N ε times the coordinates' size, with N = 150
/// and coordinates of order 10, well below 1e-9. PCA's transform is the same product.
#[test]
fn apply_on_the_training_rows_returns_the_embedding() {
    let d = dir("roundtrip");
    for method in ["pca", "pca-svd", "kpca", "mds"] {
        let fitted = d.join(format!("{method}-fit.csv"));
        let model = d.join(format!("{method}.json"));
        let applied = d.join(format!("{method}-applied.csv"));
        let (ok, text) = dimred(&[
            "--dataset",
            "iris",
            "--method",
            method,
            "--no-quality",
            "-o",
            s(&fitted),
            "--save-model",
            s(&model),
        ]);
        assert!(ok, "{method}: {text}");
        let (ok, text) = dimred(&["--apply", s(&model), "--dataset", "iris", "-o", s(&applied)]);
        assert!(ok, "{method} apply: {text}");
        let (a, b) = (coordinates(&fitted, 2), coordinates(&applied, 2));
        assert_eq!(a.len(), 150);
        let worst = a
            .iter()
            .flatten()
            .zip(b.iter().flatten())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        assert!(worst <= 1e-9, "{method}: fit vs apply differ by {worst}");
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn careless_use_of_saved_models_is_a_clear_error() {
    let d = dir("careless");
    let model = d.join("pca.json");
    let (ok, text) = dimred(&[
        "--dataset",
        "iris",
        "--method",
        "pca",
        "--no-quality",
        "--save-model",
        s(&model),
    ]);
    assert!(ok, "{text}");
    // A method without an out-of-sample map: refused before the fit.
    let (ok, text) = dimred(&[
        "--dataset",
        "iris",
        "--method",
        "tsne",
        "--save-model",
        s(&d.join("t.json")),
    ]);
    assert!(!ok && text.contains("no out-of-sample map"), "{text}");
    // Another data set's columns.
    let out = d.join("out.csv");
    let (ok, text) = dimred(&["--apply", s(&model), "--dataset", "digits", "-o", s(&out)]);
    assert!(!ok && text.contains("columns do not match"), "{text}");
    assert!(!out.exists());
    // No -o, a missing model, a model that is not one.
    let (ok, text) = dimred(&["--apply", s(&model), "--dataset", "iris"]);
    assert!(!ok && text.contains("-o"), "{text}");
    let (ok, text) = dimred(&[
        "--apply",
        s(&d.join("nope.json")),
        "--dataset",
        "iris",
        "-o",
        s(&out),
    ]);
    assert!(!ok && text.contains("nope.json"), "{text}");
    let garbage = d.join("garbage.json");
    std::fs::write(&garbage, "{\"format\": \"nn-model\", \"version\": 2}").unwrap();
    let (ok, text) = dimred(&["--apply", s(&garbage), "--dataset", "iris", "-o", s(&out)]);
    assert!(!ok && text.contains("not a dimred model"), "{text}");
    assert!(!out.exists());
    std::fs::remove_dir_all(&d).unwrap();
}
