//! Helpers shared by the nn benches (a bench target includes this with `mod common;`).

use linalg::Matrix;
use std::path::Path;

/// The digits as a 1797 x 64 matrix in [0, 1] (pixel / 16), or seeded stand-in data.
pub fn digits() -> (Matrix, &'static str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dimred/data/digits.csv");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let rows: Vec<Vec<f64>> = text
            .lines()
            .skip(1) // header p0..p63,label
            .filter(|l| !l.is_empty())
            .map(|l| {
                l.split(',')
                    .take(64)
                    .map(|v| v.trim().parse::<f64>().expect("digits.csv: a pixel value") / 16.0)
                    .collect()
            })
            .collect();
        (
            Matrix::from_rows(&rows),
            "digits from dimred/data/digits.csv",
        )
    } else {
        (
            Matrix::random_uniform(1797, 64, 0.0, 1.0, 2024),
            "seeded uniform stand-in data (dimred/data/digits.csv not found)",
        )
    }
}
