//! Tour chapter `03-spectral-and-kernel`: Isomap unrolls the swiss roll, kernel PCA with the
//! linear kernel is PCA and its centring carries over to new points, diffusion maps build a
//! Markov chain.

use super::{evidence, scatter, Chapter, Evidence, Section, EPS};
use dimred::diffusion::DiffusionMaps;
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::pca::Pca;
use dimred::plot::Colouring;
use dimred::quality::{procrustes_disparity, spearman};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "03-spectral-and-kernel",
    title: "Spectral and kernel methods: Isomap, kernel PCA, diffusion maps",
    sections: &[
        Section {
            claim: "dr.isomap.geodesic",
            run: isomap,
        },
        Section {
            claim: "dr.kpca.centering",
            run: kpca,
        },
        Section {
            claim: "dr.diffusion.markov",
            run: diffusion,
        },
    ],
};

/// The swiss roll of the chapter: 1000 points, noise 0.05, seed 0.
fn roll() -> dimred::data::Dataset {
    dimred::data::swiss_roll(1000, 0.05, 0)
}

/// |Spearman correlation| of the embedding's first coordinate with the roll parameter t.
fn unrolled(y: &linalg::Matrix, t: &[f64]) -> Result<f64, Box<dyn std::error::Error>> {
    Ok(spearman(&y.col(0), t)?.abs())
}

fn isomap() -> Evidence {
    evidence("dr.isomap.geodesic", |ev| {
        let data = roll();
        let t = data.parameter.clone().ok_or("swiss roll without t")?;
        let fit = Isomap::new(Neighbourhood::Knn(10), 2).fit(&data.x)?;
        let pca = Pca::new(2).fit_transform(&data.x)?.1;
        let (rho_iso, rho_pca) = (unrolled(&fit.embedding, &t)?, unrolled(&pca, &t)?);
        ev.at_least(
            "|Spearman(Isomap coordinate 1, t)|",
            rho_iso,
            0.95,
            "geodesic distances follow the sheet: the first coordinate is the roll's length",
        );
        ev.at_least(
            "|ρ(Isomap)| − |ρ(PCA)|",
            rho_iso - rho_pca,
            0.1,
            "PCA sees straight-line distances and folds the roll onto itself",
        );
        ev.remark(format!(
            "swiss roll, 1000 points, k = 10 neighbours: |ρ| Isomap {rho_iso:.3}, PCA {rho_pca:.3}"
        ));
        let axes = ("coordinate 1", "coordinate 2");
        ev.figure(
            "03-swiss-roll-isomap",
            "Isomap (k = 10) unrolls the swiss roll: colour (the position t along the roll) \
             changes steadily along the first coordinate.",
            scatter(
                "Swiss roll: Isomap, k = 10",
                &fit.embedding,
                Colouring::Values(&t),
                "t",
                axes,
            ),
        );
        ev.figure(
            "03-swiss-roll-pca",
            "PCA of the same roll: a projection, so the layers of the roll overlap.",
            scatter("Swiss roll: PCA", &pca, Colouring::Values(&t), "t", axes),
        );
        Ok(())
    })
}

fn kpca() -> Evidence {
    evidence("dr.kpca.centering", |ev| {
        let iris = dimred::data::load("iris")?;
        let linear = KernelPca::new(Kernel::Linear, 2).fit(&iris.x)?;
        let pca = Pca::new(2).fit_transform(&iris.x)?.1;
        ev.at_most(
            "Procrustes disparity(kernel PCA with k(x, y) = ⟨x, y⟩, PCA)",
            procrustes_disparity(&linear.embedding, &pca)?,
            1e-12,
            "with the centred Gram matrix, linear kernel PCA is PCA: rounding only",
        );
        // The centring of a new point's kernel row uses the training means: transforming the
        // training data again must reproduce the embedding. In exact arithmetic
        // K̃α_k − √λ_k u_k = r_k / √λ_k with r_k = K̃u_k − λ_k u_k the eigen-residual, so the
        // bound below is that residual, measured with K̃ = JKJ formed here independently
        // (centre the columns of K, then of its transpose), plus the rounding of the two ways.
        let circles = dimred::data::circles(400, 0.3, 0.05, 1);
        let kernel = Kernel::Rbf { gamma: 2.0 };
        let rbf = KernelPca::new(kernel, 2).fit(&circles.x)?;
        let again = rbf.transform(&circles.x);
        let k = kernel.gram(&circles.x);
        let kc = k.center_columns().0.transpose().center_columns().0;
        let n = k.nrows() as f64;
        let (mut resid, mut allowed) = (0.0f64, 0.0f64);
        for j in 0..2 {
            let lam = rbf.eigenvalues[j];
            let u =
                linalg::Matrix::from_fn(k.nrows(), 1, |i, _| rbf.embedding[(i, j)] / lam.sqrt());
            let r = &kc.matmul(&u) - &u.scale(lam);
            resid = resid.max(r.frobenius_norm() / rbf.eigenvalues[0]);
            // Rounding: the two centrings (means of N entries ≤ 2 max|K|) differ by at most
            // 8·N·ε·max|K| per entry, and each of the two products K̃α adds N·ε·max|K̃|·|α_j|₁.
            let alpha_l1 = rbf.alphas.col(j).iter().map(|a| a.abs()).sum::<f64>();
            let rounding = (8.0 * k.max_abs() + 2.0 * kc.max_abs()) * n * EPS * alpha_l1;
            allowed = allowed.max(r.max_abs() / lam.sqrt() + rounding);
        }
        let scale = rbf.embedding.max_abs();
        ev.at_most(
            "max |transform(X_train) − embedding| / max |embedding| (RBF)",
            (&again - &rbf.embedding).max_abs() / scale,
            allowed / scale,
            "same centring for new points: K̃α − √λ u = r/√λ (measured r = K̃u − λu, K̃ = JKJ \
             formed apart) + N·ε·(8 max|K| + 2 max|K̃|)·‖α‖₁, N = 400",
        );
        ev.at_most(
            "max_j ‖K̃u_j − λ_j u_j‖₂ / λ₁ (RBF, top 2)",
            resid,
            linalg::TopKOptions::default().tol + n * EPS * kc.frobenius_norm() / rbf.eigenvalues[0],
            "the top-k solver's convergence test ‖K̃y − θy‖ ≤ tol·θ₁, plus N·ε·‖K̃‖_F for the product",
        );
        let labels = circles.labels.clone().unwrap_or_default();
        let colour = if labels.len() == circles.len() {
            Colouring::Labels(&labels)
        } else {
            Colouring::None
        };
        let axes = ("component 1", "component 2");
        ev.figure(
            "03-circles-kpca-rbf",
            "Kernel PCA with an RBF kernel (γ = 2) on two concentric circles: the inner and the \
             outer circle separate along the first component.",
            scatter(
                "Circles: kernel PCA, RBF γ = 2",
                &rbf.embedding,
                colour,
                "circle",
                axes,
            ),
        );
        let pca_c = Pca::new(2).fit_transform(&circles.x)?.1;
        ev.figure(
            "03-circles-pca",
            "PCA of the circles: a rotation of the plane; no linear direction separates them.",
            scatter("Circles: PCA", &pca_c, colour, "circle", axes),
        );
        Ok(())
    })
}

fn diffusion() -> Evidence {
    evidence("dr.diffusion.markov", |ev| {
        let data = roll();
        let t = data.parameter.clone().ok_or("swiss roll without t")?;
        let dm = DiffusionMaps::new(2);
        let chain = dm.markov_chain(&data.x)?;
        let p = chain.transition_matrix();
        let n = p.nrows();
        let row_err = (0..n)
            .map(|i| (p.row(i).iter().sum::<f64>() - 1.0).abs())
            .fold(0.0, f64::max);
        ev.at_most(
            "max |Σⱼ Pᵢⱼ − 1|",
            row_err,
            n as f64 * EPS,
            "row sums of N terms: N·ε",
        );
        let pi = chain.stationary();
        let pi_p: Vec<f64> = (0..n)
            .map(|j| (0..n).map(|i| pi[i] * p[(i, j)]).sum())
            .collect();
        let stat = pi_p
            .iter()
            .zip(&pi)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
            / pi.iter().copied().fold(0.0, f64::max);
        ev.at_most(
            "max |π P − π| / max π",
            stat,
            n as f64 * EPS,
            "π ∝ degrees is stationary: N·ε",
        );
        let fit = dm.fit(&data.x)?;
        ev.at_most(
            "|λ₀ − 1|",
            (fit.eigenvalues[0] - 1.0).abs(),
            1e-10,
            "a Markov matrix has top eigenvalue 1 (eigensolver tolerance)",
        );
        ev.remark(format!(
            "swiss roll, 1000 points, ε = {:.3} (median 10-NN rule)",
            fit.epsilon
        ));
        ev.figure(
            "03-swiss-roll-diffusion",
            "Diffusion maps on the swiss roll: the random walk's slowest modes follow the roll.",
            scatter(
                "Swiss roll: diffusion maps",
                &fit.embedding,
                Colouring::Values(&t),
                "t",
                ("ψ₁", "ψ₂"),
            ),
        );
        Ok(())
    })
}
