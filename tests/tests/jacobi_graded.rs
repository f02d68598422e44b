//! `la.jacobi.relative-accuracy`: on graded matrices A = D H D (D positive diagonal, H well
//! conditioned) cyclic Jacobi finds every eigenvalue to relative accuracy about κ(H)·ε, even the
//! ones 20 or 40 orders of magnitude below ||A|| (Demmel & Veselić 1992).
//!
//! The four fixtures in `tests/fixtures/graded/` are made by `make_graded.py` beside them: n = 50,
//! H = I + small symmetric noise with κ(H) ≈ 3.8, D spanning 10 and 20 orders of magnitude, each
//! in both orientations (large entries top left, "decreasing", or bottom right, "increasing";
//! the two are the same f64 matrix with rows and columns reversed). The reference eigenvalues
//! are those of the exact stored f64 matrix, computed with mpmath at 100 digits.
//!
//! nalgebra's `SymmetricEigen` (Householder tridiagonalisation + implicit QR, absolute accuracy
//! ε·||A||) is printed for comparison but not asserted on; run with `--nocapture` to see the
//! table.

use lectures::tour::linear_algebra::GradedFixture;
use linalg::{eigh, eigvalsh, Matrix};
use nalgebra::{DMatrix, SymmetricEigen};
use std::path::PathBuf;

/// One fixture: the f64 matrix and its reference eigenvalues (descending).
struct Graded {
    case: String,
    kappa_h: f64,
    a: Matrix,
    reference: Vec<f64>,
}

const CASES: [&str; 4] = [
    "graded_10_decreasing",
    "graded_10_increasing",
    "graded_20_decreasing",
    "graded_20_increasing",
];

/// Reads `tests/fixtures/graded/<case>.json` (format documented in `make_graded.py`) with the
/// parser the tour uses.
fn load(case: &str) -> Graded {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "fixtures", "graded"]
        .iter()
        .collect::<PathBuf>()
        .join(format!("{case}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    let f = GradedFixture::parse(&text).unwrap_or_else(|e| panic!("{case}: {e}"));
    Graded {
        case: case.to_string(),
        kappa_h: f.kappa_h,
        a: f.a,
        reference: f.reference,
    }
}

/// |λ_i - ref_i| / |ref_i| for each i, both sorted descending.
fn relative_errors(values: &[f64], reference: &[f64]) -> Vec<f64> {
    assert_eq!(values.len(), reference.len());
    values
        .iter()
        .zip(reference)
        .map(|(v, r)| ((v - r) / r).abs())
        .collect()
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(0.0, f64::max)
}

/// nalgebra's eigenvalues, sorted descending.
fn nalgebra_values(a: &Matrix) -> Vec<f64> {
    let m = DMatrix::from_row_slice(a.nrows(), a.ncols(), a.as_slice());
    let mut v: Vec<f64> = SymmetricEigen::new(m).eigenvalues.iter().copied().collect();
    v.sort_by(|x, y| y.total_cmp(x));
    v
}

/// The Demmel–Veselić bound is a modest multiple of κ(H)·ε ≈ 8.5e-16 here; the target
/// 1e-14 (≈ 12 κ(H) ε) is what we assert on the five smallest eigenvalues, where an absolutely
/// accurate solver (error ε·||A|| ≈ 2e-16) has no correct digit left once λ < 1e-16.
const TARGET: f64 = 1e-14;

/// `la.jacobi.relative-accuracy`: `eigvalsh` and `eigh` on the four graded fixtures.
#[test]
fn jacobi_relative_accuracy_graded() {
    eprintln!(
        "{:<22} {:>6} {:>12} {:>12} {:>12} {:>14} {:>14} {:>12}",
        "case",
        "κ(H)",
        "ours 5 small",
        "ours all",
        "ours eigh",
        "nalgebra 5 sm",
        "nalgebra all",
        "|VᵀV-I|max"
    );
    for case in CASES {
        let g = load(case);
        let n = g.a.nrows();
        let values = eigvalsh(&g.a).expect("graded matrix is symmetric and finite");
        let e = eigh(&g.a).expect("graded matrix is symmetric and finite");
        let err = relative_errors(&values, &g.reference);
        let err_eigh = relative_errors(&e.values, &g.reference);
        let err_na = relative_errors(&nalgebra_values(&g.a), &g.reference);
        let small = n - 5..n;
        let mut vtv_minus_i = e.vectors.tr_matmul(&e.vectors);
        vtv_minus_i.add_scaled(-1.0, &Matrix::identity(n));
        let worst = vtv_minus_i.max_abs();
        eprintln!(
            "{:<22} {:>6.3} {:>12.2e} {:>12.2e} {:>12.2e} {:>14.2e} {:>14.2e} {:>12.2e}",
            g.case,
            g.kappa_h,
            max(&err[small.clone()]),
            max(&err),
            max(&err_eigh),
            max(&err_na[small.clone()]),
            max(&err_na),
            worst,
        );
        // The claim: relative accuracy ~κ(H)ε on the tiny eigenvalues (TARGET above).
        assert!(
            max(&err[small.clone()]) <= TARGET,
            "{case}: eigvalsh relative errors on the 5 smallest: {:?}",
            &err[small.clone()]
        );
        assert!(
            max(&err_eigh[small.clone()]) <= TARGET,
            "{case}: eigh relative errors on the 5 smallest: {:?}",
            &err_eigh[small]
        );
        // Every eigenvalue, not only the smallest, is relatively accurate: same bound.
        assert!(max(&err) <= TARGET, "{case}: eigvalsh all: {err:?}");
        assert!(max(&err_eigh) <= TARGET, "{case}: eigh all: {err_eigh:?}");

        // Eigenvectors orthonormal to a few ε: V is a product of rotations, each orthogonal to
        // rounding; 10·sqrt(n)·ε allows the random-walk growth over the sweeps.
        let bound = 10.0 * (n as f64).sqrt() * f64::EPSILON;
        assert!(
            worst <= bound,
            "{case}: max |V^T V - I| = {worst:e} > {bound:e}"
        );
    }
}
