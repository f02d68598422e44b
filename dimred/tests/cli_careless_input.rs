//! The `dimred` command on the inputs a careless user gives: every mistake is an error that
//! names the argument or file, reported before the (possibly long) fit.

use std::process::Command;

fn dimred(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dimred"))
        .args(args)
        .output()
        .expect("run dimred");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `--gamma -1` used to be rejected by the argument parser as an unknown flag "-1"; now the
/// value reaches the method's validation, which names γ.
#[test]
fn negative_numbers_reach_the_validation() {
    let (ok, _, err) = dimred(&[
        "--dataset",
        "iris",
        "--method",
        "kpca",
        "--gamma",
        "-1",
        "--no-quality",
    ]);
    assert!(!ok);
    assert!(err.contains("γ") && err.contains("-1"), "{err}");
}

/// An output folder that does not exist used to be reported only after the fit; now before
/// it (no method output on stdout).
#[test]
fn missing_output_folder_is_reported_before_the_fit() {
    for flag in ["-o", "--plot"] {
        let (ok, out, err) = dimred(&[
            "--dataset",
            "iris",
            flag,
            "/nonexistent-folder-for-dimred-test/y.csv",
        ]);
        assert!(!ok);
        assert!(err.contains("does not exist"), "{err}");
        assert!(!out.contains("method:"), "the fit ran first: {out}");
    }
}

/// --quality-k outside 1 ≤ k < N/2 used to fail only after the fit.
#[test]
fn bad_quality_k_is_reported_before_the_fit() {
    let (ok, out, err) = dimred(&["--dataset", "iris", "--quality-k", "0"]);
    assert!(!ok);
    assert!(err.contains("--quality-k"), "{err}");
    assert!(!out.contains("method:"), "the fit ran first: {out}");
}

/// `--delimiter '\t'` used to be refused ("too many characters in string"); `tab` and `\t`
/// now mean a tab, and a multi-character delimiter is an error naming it.
#[test]
fn tab_delimiter_can_be_typed() {
    let path = std::env::temp_dir().join(format!("dimred-tab-{}.tsv", std::process::id()));
    std::fs::write(&path, "a\tb\tc\n1\t2\t0\n3\t5\t1\n4\t4\t0\n6\t1\t2\n").unwrap();
    let p = path.to_str().unwrap();
    for tab in ["tab", "\\t"] {
        let (ok, out, err) = dimred(&["--input", p, "--delimiter", tab, "--no-quality"]);
        assert!(ok, "{tab}: {err}");
        assert!(out.contains("4 samples x 3 features"), "{out}");
    }
    let (ok, _, err) = dimred(&["--input", p, "--delimiter", ";;"]);
    assert!(!ok);
    assert!(err.contains("not one character"), "{err}");
    std::fs::remove_file(&path).ok();
}

/// Wide data (D > N) with the default `--method pca` take the SVD path and say so (the
/// 3000 x 3000 covariance took 5 minutes; see tests/tests/pca.rs for the agreement).
#[test]
fn wide_data_pca_takes_the_svd_path() {
    let path = std::env::temp_dir().join(format!("dimred-wide-{}.csv", std::process::id()));
    let mut text = String::new();
    for i in 0..6 {
        let row: Vec<String> = (0..50)
            .map(|j| ((i * 7 + j * 3) % 11).to_string())
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let (ok, out, err) = dimred(&["--input", path.to_str().unwrap(), "--no-quality"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("D = 50 > N = 6") && out.contains("PCA (Svd)"),
        "{out}"
    );
    std::fs::remove_file(&path).ok();
}

/// `--noise nan` used to fail later with "matrix entry (0, 0) is NaN" and `--noise -1`
/// was used as is; both are errors naming --noise now.
#[test]
fn noise_must_be_a_standard_deviation() {
    for bad in ["nan", "inf", "-1"] {
        let (ok, _, err) = dimred(&["--dataset", "swiss_roll", "--noise", bad]);
        assert!(!ok);
        assert!(err.contains("--noise"), "{bad}: {err}");
    }
}

/// Issue 12: a CSV with a byte-order mark, a comment line, quoted commas and a quoted line
/// break in a label goes in with `--input`, comes out with `-o`, and the output reads back
/// with every label intact.
#[test]
fn input_round_trip_keeps_bom_quoted_commas_and_newlines() {
    let dir = std::env::temp_dir();
    let input = dir.join(format!("dimred-bom-{}.csv", std::process::id()));
    let output = dir.join(format!("dimred-bom-out-{}.csv", std::process::id()));
    std::fs::write(
        &input,
        "\u{feff}kind,a,b\n# measured by hand\n\"x, the first\",1,2\n\"y\nsecond line\",3,5\n\
         \"x, the first\",4,4\nz,6,1\n",
    )
    .unwrap();
    let (i, o) = (input.to_str().unwrap(), output.to_str().unwrap());
    let (ok, out, err) = dimred(&[
        "--input",
        i,
        "--label-column",
        "kind",
        "-o",
        o,
        "--no-quality",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("4 samples x 2 features") && out.contains("3 classes"),
        "{out}"
    );
    let (ok, out, err) = dimred(&["--input", o, "--label-column", "label", "--no-quality"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("4 samples x 2 features") && out.contains("3 classes"),
        "{out}"
    );
    let back = dimred::data::read_csv_file(&output, &dimred::data::CsvOptions::with_label("label"))
        .unwrap();
    assert_eq!(
        back.labels.unwrap(),
        ["x, the first", "y\nsecond line", "x, the first", "z"]
    );
    std::fs::remove_file(&input).ok();
    std::fs::remove_file(&output).ok();
}

/// Issue 12: one flag vocabulary. `dimred --help` lists the shared flags by their shared
/// names (lectures flattens the same clap structs, `dimred::cli`).
#[test]
fn help_uses_the_shared_flag_names() {
    let (ok, out, _) = dimred(&["--help"]);
    assert!(ok);
    for flag in [
        "--dataset <NAME>",
        "--input <FILE>",
        "--label-column <NAME>",
        "--n-samples",
        "--noise",
        "--seed",
        "-d, --dimensions",
        "-o, --output <FILE>",
    ] {
        assert!(out.contains(flag), "{flag} missing from --help:\n{out}");
    }
}

/// Identical points: the method still returns and the command says the data have no spread
/// (PCA's explained-variance ratios are undefined, not 0 %).
#[test]
fn data_without_spread_is_a_warning_not_a_failure() {
    let path = std::env::temp_dir().join(format!("dimred-flat-{}.csv", std::process::id()));
    std::fs::write(&path, "a,b\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n").unwrap();
    let p = path.to_str().unwrap();
    let (ok, out, err) = dimred(&["--input", p, "--no-quality"]);
    assert!(ok, "{err}");
    assert!(err.contains("no spread"), "{err}");
    assert!(out.contains("undefined") && !out.contains("0.00%"), "{out}");
    for method in ["mds", "smacof", "tsne"] {
        let (ok, _, err) = dimred(&[
            "--input",
            p,
            "--method",
            method,
            "--no-quality",
            "--perplexity",
            "2",
        ]);
        assert!(ok, "{method}: {err}");
    }
    std::fs::remove_file(&path).ok();
}
