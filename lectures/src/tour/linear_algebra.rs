//! Tour chapter `00-linear-algebra`: symmetric eigenproblems by Jacobi rotations, the SVD,
//! the top-k solver and Ky Fan's maximum principle, on the covariance of the digits data.

use super::{evidence, fro, Chapter, Evidence, Section, EPS};
use dimred::plot::{Lines, Series};
use linalg::observe::Recorder;
use linalg::{eigh, eigh_observed, ky_fan_max, svd, top_k_eigh_matrix, Matrix, TopKOptions};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "00-linear-algebra",
    title: "Linear algebra: symmetric eigenproblems by Jacobi rotations",
    sections: &[
        Section {
            claim: "la.jacobi.converges",
            run: converges,
        },
        Section {
            claim: "la.jacobi.invariants",
            run: invariants,
        },
        Section {
            claim: "la.jacobi.relative-accuracy",
            run: relative_accuracy,
        },
        Section {
            claim: "la.svd.one-sided-jacobi",
            run: svd_jacobi,
        },
        Section {
            claim: "la.eig.top-k",
            run: top_k,
        },
        Section {
            claim: "la.ky-fan",
            run: ky_fan,
        },
    ],
};

/// The centred digits data (1797 x 64).
fn digits_centred() -> Result<Matrix, Box<dyn std::error::Error>> {
    Ok(dimred::data::load("digits")?.x.center_columns().0)
}

/// The 64 x 64 covariance of the digits: a real, rank-deficient (some pixels are always 0)
/// symmetric matrix.
fn digits_covariance() -> Result<Matrix, Box<dyn std::error::Error>> {
    Ok(dimred::data::load("digits")?.x.covariance())
}

fn converges() -> Evidence {
    evidence("la.jacobi.converges", |ev| {
        let a = digits_covariance()?;
        let n = a.nrows() as f64;
        let mut trace = Recorder::default();
        let e = eigh_observed(&a, &mut trace)?;
        let sweeps = trace.events;
        let av = a.matmul(&e.vectors);
        let vl = Matrix::from_fn(a.nrows(), a.nrows(), |i, j| e.vectors[(i, j)] * e.values[j]);
        let resid = fro(&(&av - &vl)) / fro(&a);
        ev.at_most(
            "‖A V − V Λ‖_F / ‖A‖_F",
            resid,
            10.0 * n * EPS,
            "backward stable: a modest multiple of n·ε, n = 64",
        );
        let orth = fro(&(&e.vectors.tr_matmul(&e.vectors) - &Matrix::identity(a.nrows())));
        ev.at_most(
            "‖VᵀV − I‖_F",
            orth,
            10.0 * n * EPS,
            "products of rotations: n·ε per column",
        );
        ev.at_most(
            "sweeps",
            sweeps.len() as f64,
            15.0,
            "quadratic convergence: about 10 sweeps for n in the hundreds (notes)",
        );
        ev.remark("A = covariance of the 1797 digits (64 x 64).");
        let off0 = fro(&a);
        let pts: Vec<(f64, f64)> = std::iter::once((0.0, linalg::jacobi::off_norm(&a) / off0))
            .chain(sweeps.iter().map(|s| (s.sweep as f64, s.off_norm / off0)))
            .collect();
        ev.figure(
            "00-jacobi-off-norm",
            "off(A)/‖A‖_F after each sweep of cyclic Jacobi on the digits covariance: slow at \
             first, then quadratic (the exponent doubles) until rounding.",
            Lines {
                title: "Cyclic Jacobi on the digits covariance (64 x 64)".into(),
                x_label: "sweep".into(),
                y_label: "off(A) / ‖A‖_F (log scale)".into(),
                series: vec![Series {
                    name: "off(A) / ‖A‖_F".into(),
                    points: pts,
                    dashed: false,
                }],
                log_y: true,
                point_colours: Vec::new(),
                points: vec![],
            }
            .to_svg(),
        );
        Ok(())
    })
}

fn invariants() -> Evidence {
    evidence("la.jacobi.invariants", |ev| {
        let a = digits_covariance()?;
        let n = a.nrows() as f64;
        let e = eigh(&a)?;
        let sum: f64 = e.values.iter().sum();
        let sq: f64 = e.values.iter().map(|v| v * v).sum::<f64>().sqrt();
        ev.at_most(
            "|Σλᵢ − tr A| / ‖A‖_F",
            (sum - a.trace()).abs() / fro(&a),
            10.0 * n * EPS,
            "a rotation keeps the trace exactly; rounding adds n·ε",
        );
        ev.at_most(
            "|√Σλᵢ² − ‖A‖_F| / ‖A‖_F",
            (sq - fro(&a)).abs() / fro(&a),
            10.0 * n * EPS,
            "a rotation is orthogonal: ‖A‖_F is kept; rounding adds n·ε",
        );
        Ok(())
    })
}

/// The graded fixture of the tests (n = 50, D spanning 20 orders, κ(H) ≈ 3.8), with its
/// 40-digit mpmath eigenvalues.
const GRADED: &str = include_str!("../../../tests/fixtures/graded/graded_20_decreasing.json");

/// A graded test matrix A = D H D with its eigenvalues computed in high precision, as written
/// by `tests/fixtures/graded/make_graded.py` (`la.jacobi.relative-accuracy`). The tour and the
/// test `tests/tests/jacobi_graded.rs` both read the fixtures through this one parser.
#[derive(Debug, Clone)]
pub struct GradedFixture {
    /// The symmetric matrix, exactly as stored in f64.
    pub a: Matrix,
    /// Its eigenvalues, descending, from 100-digit arithmetic rounded to f64 (Rust's parse is
    /// correctly rounded, so each is within ε/2 relatively of the exact value).
    pub reference: Vec<f64>,
    /// The condition number of H.
    pub kappa_h: f64,
}

impl GradedFixture {
    /// Parse a fixture: `n`, the upper triangle row by row (`upper`, n(n+1)/2 numbers, which
    /// serde_json's `float_roundtrip` reads back to the exact f64 written), the eigenvalues as
    /// decimal strings, and `kappa_h`.
    ///
    /// # Errors
    /// A message naming the first field that is missing, malformed or of the wrong length.
    pub fn parse(json: &str) -> Result<GradedFixture, String> {
        let doc: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("graded fixture: {e}"))?;
        let n = doc["n"].as_u64().ok_or("graded fixture: no `n`")? as usize;
        let upper = doc["upper"]
            .as_array()
            .ok_or("graded fixture: no `upper`")?
            .iter()
            .map(|v| {
                v.as_f64()
                    .ok_or("graded fixture: `upper` holds a non-number")
            })
            .collect::<Result<Vec<f64>, _>>()?;
        if upper.len() != n * (n + 1) / 2 {
            return Err(format!(
                "graded fixture: `upper` has {} entries, n = {n} needs {}",
                upper.len(),
                n * (n + 1) / 2
            ));
        }
        let mut a = Matrix::zeros(n, n);
        let mut entries = upper.iter();
        for i in 0..n {
            for j in i..n {
                let v = *entries.next().expect("length checked above");
                a[(i, j)] = v;
                a[(j, i)] = v;
            }
        }
        let reference = doc["eigenvalues"]
            .as_array()
            .ok_or("graded fixture: no `eigenvalues`")?
            .iter()
            .map(|v| v.as_str().and_then(|s| s.parse::<f64>().ok()))
            .collect::<Option<Vec<f64>>>()
            .ok_or("graded fixture: `eigenvalues` must be decimal strings")?;
        if reference.len() != n {
            return Err(format!(
                "graded fixture: {} eigenvalues for n = {n}",
                reference.len()
            ));
        }
        let kappa_h = doc["kappa_h"]
            .as_f64()
            .ok_or("graded fixture: no `kappa_h`")?;
        Ok(GradedFixture {
            a,
            reference,
            kappa_h,
        })
    }
}

fn relative_accuracy() -> Evidence {
    evidence("la.jacobi.relative-accuracy", |ev| {
        let GradedFixture { a, reference, .. } = GradedFixture::parse(GRADED)?;
        let values = linalg::eigvalsh(&a)?;
        let rel: Vec<f64> = values
            .iter()
            .zip(&reference)
            .map(|(v, r)| ((v - r) / r).abs())
            .collect();
        let worst = rel.iter().copied().fold(0.0, f64::max);
        ev.at_most(
            "max |λᵢ − λᵢ*| / λᵢ* over all 50 eigenvalues",
            worst,
            1e-14,
            "Demmel–Veselić: a modest multiple of κ(H)·ε ≈ 8.5e-16 (target 1e-14)",
        );
        ev.remark(format!(
            "A = D H D, n = 50, eigenvalues from {:.1e} down to {:.1e}; reference: mpmath, 100 digits \
             (tests/fixtures/graded/graded_20_decreasing.json). An absolutely accurate solver \
             (error ε‖A‖) has no correct digit below λ ≈ 1e-16.",
            reference[0],
            reference[reference.len() - 1]
        ));
        let pts = |v: &[f64]| {
            v.iter()
                .enumerate()
                .map(|(i, &x)| ((i + 1) as f64, x))
                .collect()
        };
        ev.figure(
            "00-jacobi-graded",
            "Eigenvalues of the graded matrix (50 x 50, 40 orders of magnitude): Jacobi's and \
             the 100-digit reference lie on top of each other, the smallest included.",
            Lines {
                title: "Graded matrix: every eigenvalue to full relative accuracy".into(),
                x_label: "index i".into(),
                y_label: "λᵢ (log scale)".into(),
                series: vec![
                    Series {
                        name: "reference (mpmath)".into(),
                        points: pts(&reference),
                        dashed: false,
                    },
                    Series {
                        name: "Jacobi".into(),
                        points: pts(&values),
                        dashed: true,
                    },
                ],
                log_y: true,
                point_colours: Vec::new(),
                points: vec![],
            }
            .to_svg(),
        );
        Ok(())
    })
}

fn svd_jacobi() -> Evidence {
    evidence("la.svd.one-sided-jacobi", |ev| {
        let x = digits_centred()?;
        let (m, n) = x.shape();
        let s = svd(&x)?;
        let us = Matrix::from_fn(m, s.u.ncols(), |i, j| s.u[(i, j)] * s.singular_values[j]);
        let resid = fro(&(&us.matmul_tr(&s.v) - &x)) / fro(&x);
        ev.at_most(
            "‖X − U Σ Vᵀ‖_F / ‖X‖_F",
            resid,
            10.0 * n as f64 * EPS,
            "one-sided Jacobi is backward stable: n·ε with n = 64 columns",
        );
        let orth = fro(&(&s.v.tr_matmul(&s.v) - &Matrix::identity(n)));
        ev.at_most(
            "‖VᵀV − I‖_F",
            orth,
            10.0 * n as f64 * EPS,
            "accumulated rotations: n·ε",
        );
        // Against the eigenvalues of XᵀX: σᵢ² = λᵢ(XᵀX), agreement in units of λ₁.
        let e = eigh(&x.tr_matmul(&x))?;
        let diff = s
            .singular_values
            .iter()
            .zip(&e.values)
            .map(|(sv, l)| (sv * sv - l).abs())
            .fold(0.0, f64::max)
            / e.values[0];
        ev.at_most(
            "max |σᵢ² − λᵢ(XᵀX)| / λ₁",
            diff,
            10.0 * m as f64 * EPS,
            "forming XᵀX rounds each entry by m·ε relative (m = 1797 rows)",
        );
        ev.remark("X = centred digits, 1797 x 64.");
        Ok(())
    })
}

fn top_k() -> Evidence {
    evidence("la.eig.top-k", |ev| {
        // The 1797 x 1797 Gram matrix X Xᵀ shares its nonzero eigenvalues with the 64 x 64 XᵀX.
        let x = digits_centred()?;
        let g = x.matmul_tr(&x);
        let k = 5;
        let top = top_k_eigh_matrix(&g, k)?;
        let small = eigh(&x.tr_matmul(&x))?;
        let agree = (0..k)
            .map(|i| (top.values[i] - small.values[i]).abs())
            .fold(0.0, f64::max)
            / small.values[0];
        ev.at_most(
            "max |θᵢ(X Xᵀ) − λᵢ(XᵀX)| / λ₁, i ≤ 5",
            agree,
            1e-10,
            "the Lanczos residual tolerance, relative to ‖A‖ (default options)",
        );
        let av = g.matmul(&top.vectors);
        let resid = (0..k)
            .map(|i| {
                let r: f64 = (0..g.nrows())
                    .map(|r| (av[(r, i)] - top.values[i] * top.vectors[(r, i)]).powi(2))
                    .sum();
                r.sqrt()
            })
            .fold(0.0, f64::max)
            / top.values[0];
        // The solver stops when its residual estimate is ≤ tol·θ₁; recomputing A y here adds
        // N·ε·‖A‖_F (and the estimate differs from the true residual by as much again).
        let nf = g.nrows() as f64;
        ev.at_most(
            "max ‖A yᵢ − θᵢ yᵢ‖ / θ₁",
            resid,
            TopKOptions::default().tol + 2.0 * nf * EPS * fro(&g) / top.values[0],
            "convergence test of the top-k solver, tol = 1e-10, plus 2·N·ε·‖A‖_F/θ₁ for the products",
        );
        ev.remark(
            "A = X Xᵀ of the centred digits, 1797 x 1797; compared with Jacobi on the 64 x 64 XᵀX.",
        );
        Ok(())
    })
}

fn ky_fan() -> Evidence {
    evidence("la.ky-fan", |ev| {
        let c = digits_covariance()?;
        let d = 2;
        let (best, u) = ky_fan_max(&c, d)?;
        let attained = u.tr_matmul(&c).matmul(&u).trace();
        ev.at_most(
            "|tr(UᵀCU) − (λ₁ + λ₂)| / λ₁ at the top eigenvectors",
            (attained - best).abs() / best,
            10.0 * c.nrows() as f64 * EPS,
            "the maximum is attained: equality up to n·ε",
        );
        // 200 random orthonormal 64 x 2 frames never beat it.
        let mut worst_gap = f64::INFINITY;
        for seed in 0..200 {
            let q = linalg::orthonormalize(&Matrix::random_normal(c.nrows(), d, 1000 + seed))?;
            let t = q.tr_matmul(&c).matmul(&q).trace();
            worst_gap = worst_gap.min((best - t) / best);
        }
        ev.at_least(
            "min over 200 random frames of (λ₁ + λ₂ − tr(QᵀCQ)) / (λ₁ + λ₂)",
            worst_gap,
            -10.0 * c.nrows() as f64 * EPS,
            "Ky Fan: no orthonormal frame exceeds the sum of the top d eigenvalues",
        );
        ev.remark("C = digits covariance (64 x 64), d = 2.");
        Ok(())
    })
}
