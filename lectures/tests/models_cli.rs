//! `lectures train` then `encode`, `decode`, `reconstruct`, `sample`, run as a user would (the
//! built binary). Round trips: encode then decode equals reconstruct, the saved scaling
//! reproduces the training codes; careless input: each a clear error, non-zero exit, and no
//! output file left behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lectures(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectures"))
        .args(args)
        .output()
        .expect("the lectures binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lectures-models-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Numbers of a CSV written by the commands (header skipped, label column dropped).
fn numbers(path: &Path, width: usize) -> Vec<Vec<f64>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .take(width)
                .map(|v| v.parse().unwrap())
                .collect()
        })
        .collect()
}

fn train(out: &Path, model: &str) {
    let o = lectures(&[
        "train",
        "--model",
        model,
        "--data",
        "iris",
        "--epochs",
        "20",
        "--dim",
        "2",
        "--hidden",
        "8",
        "--out",
        s(out),
    ]);
    assert!(o.status.success(), "train {model}: {}", text(&o));
}

#[test]
fn encode_decode_reconstruct_sample_round_trip() {
    let d = dir("roundtrip");
    train(&d, "vae");
    let model = d.join("model.json");
    let codes = d.join("codes.csv");
    let o = lectures(&[
        "encode",
        "--model",
        s(&model),
        "--dataset",
        "iris",
        "-o",
        s(&codes),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    // The training run wrote the codes of the same rows: the saved scaling reproduces them.
    assert_eq!(numbers(&codes, 2), numbers(&d.join("embedding.csv"), 2));

    let decoded = d.join("decoded.csv");
    let o = lectures(&[
        "decode",
        "--model",
        s(&model),
        "--input",
        s(&codes),
        "--label-column",
        "label",
        "-o",
        s(&decoded),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let rec = d.join("rec.csv");
    let o = lectures(&[
        "reconstruct",
        "--model",
        s(&model),
        "--dataset",
        "iris",
        "-o",
        s(&rec),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let report = text(&o);
    assert!(
        report.contains("PCA, d = 2") && report.contains("mean row"),
        "{report}"
    );
    // encode then decode is reconstruct: the codes pass through a CSV (shortest round-trip
    // formatting, exact), so the numbers agree exactly.
    assert_eq!(numbers(&decoded, 4), numbers(&rec, 4));

    let samples = d.join("samples.csv");
    let grid = d.join("grid.svg");
    let o = lectures(&[
        "sample",
        "--model",
        s(&model),
        "--n-samples",
        "5",
        "-o",
        s(&samples),
        "--plot",
        s(&grid),
        "--image-shape",
        "2x2",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(numbers(&samples, 4).len(), 5);
    assert!(std::fs::read_to_string(&grid).unwrap().starts_with("<svg"));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn careless_input_is_a_clear_error_and_writes_nothing() {
    let d = dir("careless");
    train(&d, "deep");
    let model = d.join("model.json");
    let out = d.join("out.csv");
    let check = |args: &[&str], expect: &str| {
        let o = lectures(args);
        assert!(!o.status.success(), "{args:?} succeeded");
        let t = text(&o);
        assert!(t.contains(expect), "{args:?}: {t}");
        assert!(!out.exists(), "{args:?} left {out:?} behind");
    };
    // A missing, a truncated and a foreign model file.
    check(
        &[
            "encode",
            "--model",
            s(&d.join("nope.json")),
            "--dataset",
            "iris",
            "-o",
            s(&out),
        ],
        "nope.json",
    );
    let json = std::fs::read_to_string(&model).unwrap();
    let cut = d.join("cut.json");
    std::fs::write(&cut, &json[..json.len() / 2]).unwrap();
    check(
        &[
            "encode",
            "--model",
            s(&cut),
            "--dataset",
            "iris",
            "-o",
            s(&out),
        ],
        "truncated",
    );
    let old = d.join("old.json");
    std::fs::write(&old, json.replacen("\"version\": 2", "\"version\": 1", 1)).unwrap();
    check(
        &[
            "encode",
            "--model",
            s(&old),
            "--dataset",
            "iris",
            "-o",
            s(&out),
        ],
        "retrain",
    );
    // Sampling from a deterministic autoencoder; variances from one.
    check(
        &["sample", "--model", s(&model), "-o", s(&out)],
        "--model vae",
    );
    check(
        &[
            "encode",
            "--model",
            s(&model),
            "--dataset",
            "iris",
            "--with-variance",
            "-o",
            s(&out),
        ],
        "variance",
    );
    // Columns of another data set, a NaN, and codes of the wrong width.
    check(
        &[
            "encode",
            "--model",
            s(&model),
            "--dataset",
            "digits",
            "-o",
            s(&out),
        ],
        "columns",
    );
    let nan = d.join("nan.csv");
    let header = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm";
    assert!(
        json.contains("\"petal_width_cm\""),
        "the model names iris's columns"
    );
    std::fs::write(&nan, format!("{header}\n1,2,3,4\n1,NaN,3,4\n")).unwrap();
    check(
        &[
            "reconstruct",
            "--model",
            s(&model),
            "--input",
            s(&nan),
            "-o",
            s(&out),
        ],
        "NaN",
    );
    let wide = d.join("wide.csv");
    std::fs::write(&wide, "y1,y2,y3\n0,0,0\n").unwrap();
    check(
        &[
            "decode",
            "--model",
            s(&model),
            "--input",
            s(&wide),
            "-o",
            s(&out),
        ],
        "d = 2",
    );
    // A plot into a folder that does not exist: nothing written, not even the CSV.
    let vae_dir = dir("careless-vae");
    train(&vae_dir, "vae");
    check(
        &[
            "sample",
            "--model",
            s(&vae_dir.join("model.json")),
            "-o",
            s(&out),
            "--plot",
            s(&d.join("no/such/grid.svg")),
        ],
        "does not exist",
    );
    std::fs::remove_dir_all(&d).unwrap();
    std::fs::remove_dir_all(&vae_dir).unwrap();
}
