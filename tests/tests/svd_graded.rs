//! `la.svd.one-sided-jacobi`: relative accuracy on graded columns, for the plain one-sided
//! Jacobi SVD and the QR-preconditioned one.
//!
//! A matrix X = B D with B well conditioned (κ(B) ≈ 5) and D diagonal spanning 10 or 20 orders
//! of magnitude has singular values spanning as many orders. Both paths only ever rotate or
//! reflect whole columns, each rounding relative to the columns involved, and one-sided
//! Jacobi's error on X = B D is governed by κ(B), not κ(X) (Demmel & Veselić 1992); Householder
//! QR keeps that property, column by column, and so does the pivoted QR of its small R that
//! the preconditioned path runs next (Drmač & Veselić 2008). So every singular value,
//! down to 1e-20 σ_1, should come out to a modest multiple of κ(B)·ε relatively, where an
//! absolutely accurate SVD (error ε·σ_1) has no correct digit left below 1e-16 σ_1.
//!
//! The fixtures in `tests/fixtures/graded_svd/` are made by `make_graded_svd.py` beside them
//! (m = 40, n = 20, both column orders, reference from mpmath at 100 digits).

use linalg::{svd_with, Matrix, SvdOptions};
use serde_json::Value;
use std::path::PathBuf;

const CASES: [&str; 4] = [
    "graded_columns_10_decreasing",
    "graded_columns_10_increasing",
    "graded_columns_20_decreasing",
    "graded_columns_20_increasing",
];

/// One fixture: X and its reference singular values (descending), and κ(B).
fn load(case: &str) -> (Matrix, Vec<f64>, f64) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "fixtures", "graded_svd"]
        .iter()
        .collect::<PathBuf>()
        .join(format!("{case}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{case}: {e}"));
    let (m, n) = (
        doc["m"].as_u64().unwrap() as usize,
        doc["n"].as_u64().unwrap() as usize,
    );
    let x: Vec<f64> = doc["x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    // The decimal strings carry 40 digits; parsing to the nearest f64 keeps ε/2 relative.
    let reference = doc["singular_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse::<f64>().unwrap())
        .collect();
    (
        Matrix::from_vec(m, n, x),
        reference,
        doc["kappa_b"].as_f64().unwrap(),
    )
}

/// max_i |σ_i - ref_i| / ref_i.
fn worst_relative_error(x: &Matrix, reference: &[f64], precondition: bool) -> f64 {
    let options = SvdOptions {
        precondition,
        ..SvdOptions::default()
    };
    let s = svd_with(x, &options).unwrap();
    s.singular_values
        .iter()
        .zip(reference)
        .map(|(v, r)| ((v - r) / r).abs())
        .fold(0.0, f64::max)
}

/// Errors this small are rounding noise: a handful of roundings of ε/2 each (the reference's
/// own conversion to f64 is one). Below it, "at least as accurate" cannot be told apart.
const FLOOR: f64 = 8.0 * f64::EPSILON;

/// `la.svd.one-sided-jacobi`: both paths find every singular value of the graded matrices to
/// 8·n·κ(B)·ε relatively (the Demmel–Veselić bound is a modest multiple of κ(B)·ε; n for the
/// rotations and reflections each column goes through, 8 for the constants: about 1.8e-13
/// here, a bound an absolutely accurate SVD misses by 3 to 7 orders of magnitude for the
/// smallest values), and the preconditioned path is at least as accurate as the plain one, or
/// both are within rounding noise ([`FLOOR`]).
#[test]
fn svd_one_sided_jacobi_relative_accuracy_graded_columns() {
    for case in CASES {
        let (x, reference, kappa_b) = load(case);
        let n = x.ncols() as f64;
        let bound = 8.0 * n * kappa_b * f64::EPSILON;
        let plain = worst_relative_error(&x, &reference, false);
        let pre = worst_relative_error(&x, &reference, true);
        println!("{case}: plain {plain:.2e}, preconditioned {pre:.2e} (bound {bound:.1e})");
        assert!(
            plain <= bound,
            "{case}: plain path relative error {plain:e} > {bound:e}"
        );
        assert!(
            pre <= bound,
            "{case}: preconditioned relative error {pre:e} > {bound:e}"
        );
        assert!(
            pre <= plain.max(FLOOR),
            "{case}: preconditioned {pre:e} less accurate than plain {plain:e}"
        );
    }
}
