//! Saved dimred models (`dimred::model`): fit, save, load, apply. Applying a saved model to
//! its training rows gives the training embedding back (to rounding), for PCA, kernel PCA and
//! classical MDS (Gower's formula, `dr.mds.classical`); careless files and data are errors.

use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::mds::ClassicalMds;
use dimred::model::{Fitted, ModelError, SavedModel, Training};
use dimred::pca::{Pca, PcaSolver};
use linalg::Matrix;
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

fn names(d: usize) -> Vec<String> {
    (0..d).map(|j| format!("x{j}")).collect()
}

fn saved(x: &Matrix, fitted: Fitted) -> SavedModel {
    SavedModel {
        columns: names(x.ncols()),
        training: Training {
            data: "test".into(),
            n_samples: x.nrows(),
            n_features: x.ncols(),
        },
        fitted,
    }
}

/// Save to a fresh temporary file and read it back.
fn round_trip(model: &SavedModel, tag: &str) -> SavedModel {
    let dir = std::env::temp_dir().join(format!("saved-models-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    model.save(&path).unwrap();
    let back = SavedModel::load(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    back
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The file keeps every number bit for bit (serde_json's float_roundtrip), so the loaded
    /// model reproduces the fit exactly; applied to the training rows it returns the training
    /// embedding to rounding: PCA's transform is the same product as fit_transform's
    /// (bit-identical), kernel PCA's recomputes K̃ row by row (N ε λ₁-level rounding), MDS's
    /// Gower map combines the same eigenpairs another way (eigen-residual / √λ_d).
    #[test]
    fn applying_a_saved_model_to_its_training_rows_returns_the_embedding(n in 8usize..40, seed in 0u64..500) {
        let x = tests::anisotropic_data(n, 4, seed, 1.0);
        for solver in [PcaSolver::Covariance, PcaSolver::Svd] {
            let (fit, y) = Pca { n_components: 2, solver }.fit_transform(&x).unwrap();
            let model = round_trip(&saved(&x, Fitted::Pca(fit.clone())), "pca");
            prop_assert_eq!(&model.fitted, &Fitted::Pca(fit));
            let again = model.transform(&x, &names(4)).unwrap();
            prop_assert_eq!(again, y);
        }

        let kfit = KernelPca::new(Kernel::Rbf { gamma: 0.1 }, 2).fit(&x).unwrap();
        let model = round_trip(&saved(&x, Fitted::KernelPca(kfit.clone())), "kpca");
        let again = model.transform(&x, &names(4)).unwrap();
        // Centring sums N kernel values of size ≤ 1 and the product sums N terms α·k̃.
        let alpha_max = kfit.alphas.max_abs();
        let tol = 8.0 * n as f64 * n as f64 * EPS * alpha_max;
        prop_assert!((&again - &kfit.embedding).max_abs() <= tol);

        let mfit = ClassicalMds::new(2).fit_points(&x).unwrap();
        let model = round_trip(&saved(&x, Fitted::ClassicalMds { fit: mfit.clone(), x_train: x.clone() }), "mds");
        let again = model.transform(&x, &names(4)).unwrap();
        let lam = &mfit.eigenvalues;
        let tol = 64.0 * n as f64 * EPS * lam[0] / lam[1].sqrt() + 8.0 * n as f64 * EPS * mfit.embedding.max_abs();
        prop_assert!((&again - &mfit.embedding).max_abs() <= tol);
    }
}

#[test]
fn wrong_columns_are_an_error_naming_both_lists() {
    let x = tests::anisotropic_data(10, 3, 1, 1.0);
    let model = saved(&x, Fitted::Pca(Pca::new(1).fit(&x).unwrap()));
    let swapped = vec!["x1".to_string(), "x0".into(), "x2".into()];
    let err = model.transform(&x, &swapped).unwrap_err();
    assert!(matches!(err, ModelError::Columns { .. }));
    let text = err.to_string();
    assert!(
        text.contains("[x0, x1, x2]") && text.contains("[x1, x0, x2]"),
        "{text}"
    );
    let narrow = Matrix::from_fn(10, 2, |i, j| x[(i, j)]);
    assert!(model.transform(&narrow, &names(2)).is_err());
    let mut bad = x.clone();
    bad[(3, 2)] = f64::NAN;
    assert_eq!(
        model.transform(&bad, &names(3)).unwrap_err(),
        ModelError::NonFinite { at: (3, 2) }
    );
}

#[test]
fn careless_files_are_clear_errors() {
    let dir = std::env::temp_dir().join(format!("saved-models-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let x = tests::anisotropic_data(10, 3, 2, 1.0);
    let path = dir.join("m.json");
    saved(&x, Fitted::Pca(Pca::new(2).fit(&x).unwrap()))
        .save(&path)
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let load = |content: &str| {
        let p = dir.join("bad.json");
        std::fs::write(&p, content).unwrap();
        SavedModel::load(&p).unwrap_err().to_string()
    };
    assert!(load(&text[..text.len() / 2]).contains("not a complete JSON file"));
    assert!(load(&text.replace("\"version\":1", "\"version\":7")).contains("format version 7"));
    assert!(load(&text.replace("\"mean\"", "\"average\"")).contains("mean"));
    assert!(load(&text.replace("dimred-model", "nn-model")).contains("not a dimred model"));
    assert!(SavedModel::load(&dir.join("missing.json"))
        .unwrap_err()
        .to_string()
        .contains("cannot read"));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(SavedModel::for_method("tsne")
        .unwrap_err()
        .to_string()
        .contains("pca, pca-svd, kpca, mds"));
}
