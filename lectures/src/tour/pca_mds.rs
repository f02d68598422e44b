//! Tour chapter `01-pca-and-mds`: the three ways to PCA (covariance, SVD, classical MDS on the
//! points) agree; the reconstruction error is the discarded variance; MDS tells Euclidean from
//! non-Euclidean distances.

use super::{evidence, scatter, Chapter, Evidence, Section, EPS};
use dimred::mds::ClassicalMds;
use dimred::pca::{Pca, PcaSolver};
use dimred::plot::Colouring;
use dimred::quality::procrustes_disparity;
use linalg::Matrix;

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "01-pca-and-mds",
    title: "PCA and classical MDS: two roads to the same embedding",
    sections: &[
        Section {
            claim: "dr.pca.covariance",
            run: pca_covariance,
        },
        Section {
            claim: "dr.pca.svd",
            run: pca_svd,
        },
        Section {
            claim: "dr.pca.reconstruction",
            run: pca_reconstruction,
        },
        Section {
            claim: "dr.mds.classical",
            run: mds_classical,
        },
        Section {
            claim: "dr.mds.euclidean",
            run: mds_euclidean,
        },
    ],
};

/// max |a_ij − b_ij| / max |b_ij|, after flipping each column of `a` to agree in sign with `b`
/// (eigenvectors are defined up to sign).
fn column_agreement(a: &Matrix, b: &Matrix) -> f64 {
    let mut worst: f64 = 0.0;
    for j in 0..a.ncols() {
        let (ca, cb) = (a.col(j), b.col(j));
        let s = if linalg::dot(&ca, &cb) < 0.0 {
            -1.0
        } else {
            1.0
        };
        for (x, y) in ca.iter().zip(&cb) {
            worst = worst.max((s * x - y).abs());
        }
    }
    worst / b.max_abs()
}

fn pca_covariance() -> Evidence {
    evidence("dr.pca.covariance", |ev| {
        let iris = dimred::data::load("iris")?;
        let (fit, y) = Pca::new(2).fit_transform(&iris.x)?;
        let c = iris.x.covariance();
        let cv = c.matmul(&fit.components);
        let mut resid: f64 = 0.0;
        for j in 0..2 {
            for i in 0..c.nrows() {
                resid = resid
                    .max((cv[(i, j)] - fit.explained_variance[j] * fit.components[(i, j)]).abs());
            }
        }
        ev.at_most(
            "max |C vⱼ − λⱼ vⱼ| / λ₁",
            resid / fit.explained_variance[0],
            100.0 * EPS,
            "Jacobi's backward error on a 4 x 4 matrix: a few ε",
        );
        ev.at_least(
            "explained variance ratio of 2 components",
            fit.explained_variance_ratio.iter().sum(),
            0.95,
            "iris is nearly planar: the notes quote 97.8 %",
        );
        ev.remark(format!(
            "iris (150 x 4): λ = {:.4}, {:.4}, ratios {:.4}, {:.4}",
            fit.explained_variance[0],
            fit.explained_variance[1],
            fit.explained_variance_ratio[0],
            fit.explained_variance_ratio[1]
        ));
        let labels = iris.labels.clone().unwrap_or_default();
        let colouring = if labels.len() == y.nrows() {
            Colouring::Labels(&labels)
        } else {
            Colouring::None
        };
        ev.figure(
            "01-pca-iris",
            "Iris projected on its first two principal directions (covariance eigenvectors), \
             coloured by species.",
            scatter(
                "PCA of iris (covariance)",
                &y,
                colouring,
                "species",
                ("PC 1", "PC 2"),
            ),
        );
        Ok(())
    })
}

fn pca_svd() -> Evidence {
    evidence("dr.pca.svd", |ev| {
        let x = dimred::data::load("digits")?.x;
        let d = 5;
        let (cov, y_cov) = Pca::new(d).fit_transform(&x)?;
        let (svd, y_svd) = Pca {
            n_components: d,
            solver: PcaSolver::Svd,
        }
        .fit_transform(&x)?;
        let var = (0..d)
            .map(|j| (cov.explained_variance[j] - svd.explained_variance[j]).abs())
            .fold(0.0, f64::max)
            / cov.explained_variance[0];
        // Forming C = X_cᵀX_c/(N−1) rounds each entry by N·ε·Σₖ|xₖᵢ||xₖⱼ|/(N−1), so
        // ‖δC‖₂ ≤ N·ε·tr C; both paths are exact for data that close (backward stable).
        // Weyl moves eigenvalues by ‖δC‖, Davis–Kahan directions by ‖δC‖/gap, and a score
        // xᵢᵀv by ‖xᵢ‖ times that angle.
        let xc = x.center_columns().0;
        let nf = x.nrows() as f64;
        let tr_c = xc.frobenius_norm().powi(2) / (nf - 1.0);
        let lam = Pca::new(d + 1).fit(&x)?.explained_variance;
        let gap = (0..d)
            .map(|j| lam[j] - lam[j + 1])
            .fold(f64::INFINITY, f64::min);
        let row_norm = xc
            .rows()
            .map(|r| linalg::dot(r, r).sqrt())
            .fold(0.0, f64::max);
        let to_scores = row_norm / y_cov.max_abs();
        ev.at_most(
            "max |λⱼ(cov) − σⱼ²/(N−1)| / λ₁",
            var,
            nf * EPS * tr_c / lam[0],
            "Weyl: forming XᵀX moves eigenvalues by ‖δC‖ ≤ N·ε·tr C (N = 1797)",
        );
        let scores = column_agreement(&y_svd, &y_cov);
        ev.at_most(
            "max |Y_svd − Y_cov| / max |Y| (scores)",
            scores,
            nf * EPS * tr_c / gap * to_scores,
            "Davis–Kahan: N·ε·tr C / gap (gap = min_{j≤5} λⱼ − λⱼ₊₁) times max ‖xᵢ‖ / max |Y|",
        );
        // The third road: classical MDS on the points (B = X_c X_cᵀ, eigenvalues (N−1)λⱼ).
        let mds = ClassicalMds::new(d).fit_points(&x)?;
        let via_mds = column_agreement(&mds.embedding, &y_cov);
        let tol = linalg::TopKOptions::default().tol;
        ev.at_most(
            "max |Y_mds − Y_cov| / max |Y| (classical MDS on the points)",
            via_mds,
            (tol * lam[0] + nf * EPS * tr_c) / gap * to_scores,
            "Lanczos on the 1797 x 1797 Gram matrix stops at residual tol·θ₁ (tol = 1e-10): \
             angle tol·λ₁/gap, plus the covariance side's N·ε·tr C/gap, times max ‖xᵢ‖ / max |Y|",
        );
        ev.remark("digits (1797 x 64), d = 5: covariance eigenvectors, SVD of the centred data, classical MDS.");
        Ok(())
    })
}

fn pca_reconstruction() -> Evidence {
    evidence("dr.pca.reconstruction", |ev| {
        let x = dimred::data::load("digits")?.x;
        for d in [2, 10, 30] {
            let fit = Pca::new(d).fit(&x)?;
            let measured = fit.reconstruction_error(&x);
            let predicted = fit.predicted_reconstruction_error();
            ev.at_most(
                format!("|‖X − X̂‖² − (N−1)Σ_{{k>d}}λₖ| / ‖X_c‖², d = {d}"),
                (measured - predicted).abs()
                    / fit.total_variance
                    / (x.nrows() - 1) as f64,
                1e-10,
                "the identity is exact; rounding in N·D sums (≈ 1e5 terms) and the eigenvalues",
            );
        }
        // Any other d-dimensional projection does worse: a random orthonormal one.
        let d = 10;
        let fit = Pca::new(d).fit(&x)?;
        let q = linalg::orthonormalize(&Matrix::random_normal(x.ncols(), d, 7))?;
        let xc = x.center_columns().0;
        let rec = xc.matmul(&q).matmul_tr(&q);
        let err_random: f64 = (&xc - &rec).frobenius_norm().powi(2);
        ev.at_least(
            "‖X − X̂_random‖² / ‖X − X̂_PCA‖², d = 10",
            err_random / fit.reconstruction_error(&x),
            1.0,
            "PCA's projection is the best rank-d reconstruction (Eckart–Young)",
        );
        Ok(())
    })
}

fn mds_classical() -> Evidence {
    evidence("dr.mds.classical", |ev| {
        let x = dimred::data::load("iris")?.x;
        let dist = x.pairwise_sq_distances().map(f64::sqrt);
        let full = ClassicalMds::new(4).fit_distances(&dist)?;
        let rebuilt = full.embedding.pairwise_sq_distances().map(f64::sqrt);
        ev.at_most(
            "max |Δ̂ᵢⱼ − Δᵢⱼ| / max Δ (d = 4, all dimensions)",
            (&rebuilt - &dist).max_abs() / dist.max_abs(),
            1e-6,
            "√ of squared distances: rounding ε·max Δ² over the smallest Δ",
        );
        let two = ClassicalMds::new(2).fit_distances(&dist)?;
        let pca = Pca::new(2).fit_transform(&x)?.1;
        ev.at_most(
            "Procrustes disparity(MDS from distances, PCA scores), d = 2",
            procrustes_disparity(&two.embedding, &pca)?,
            1e-12,
            "the same embedding up to rotation: rounding only",
        );
        Ok(())
    })
}

fn mds_euclidean() -> Evidence {
    evidence("dr.mds.euclidean", |ev| {
        let x = dimred::data::load("iris")?.x;
        let n = x.nrows();
        let euclid = x.pairwise_sq_distances().map(f64::sqrt);
        let e = ClassicalMds::new(2).fit_distances(&euclid)?;
        let most_negative = e.negative_eigenvalues.iter().copied().fold(0.0, f64::min);
        ev.at_most(
            "Euclidean Δ: |most negative eigenvalue of B| / λ₁",
            most_negative.abs() / e.eigenvalues[0],
            100.0 * n as f64 * EPS,
            "B is PSD in exact arithmetic; rounding n·ε·λ₁",
        );
        // City-block (L1) distances are not Euclidean: B has clearly negative eigenvalues.
        let l1 = Matrix::from_fn(n, n, |i, j| {
            x.row(i)
                .iter()
                .zip(x.row(j))
                .map(|(a, b)| (a - b).abs())
                .sum()
        });
        let c = ClassicalMds::new(2).fit_distances(&l1)?;
        ev.at_least(
            "city-block Δ: Σ|negative λ| / Σ positive λ",
            c.negative_ratio(),
            1e-3,
            "far above rounding (1e-13): the distances cannot be embedded in any ℝᵈ",
        );
        ev.remark(format!(
            "iris: Euclidean negative ratio {:.1e}, city-block {:.3}",
            e.negative_ratio(),
            c.negative_ratio()
        ));
        Ok(())
    })
}
