//! Quality metrics (`dr.quality`): trustworthiness and continuity lie in [0, 1], equal 1 for
//! an isometric embedding, match their definition (and scikit-learn's values); Procrustes
//! disparity and Spearman correlation behave as defined.

#[path = "../fixtures/sklearn/fixture.rs"]
mod fixture;

use dimred::isomap::{Isomap, Neighbourhood};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::pca::Pca;
use dimred::quality::{continuity, procrustes_disparity, ranks, spearman, trustworthiness};
use linalg::{orthonormalize, Matrix};
use proptest::prelude::*;

/// Trustworthiness written straight from Venna & Kaski's definition with full sorts: for every
/// i, the embedding's k nearest (by a sort of all distances), each penalised by its data rank
/// minus k when positive. Ties by index, as the library documents.
fn trustworthiness_by_definition(x: &Matrix, y: &Matrix, k: usize) -> f64 {
    let n = x.nrows();
    let dx = x.pairwise_sq_distances();
    let dy = y.pairwise_sq_distances();
    let order = |d: &Matrix, i: usize| {
        let mut idx: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        idx.sort_by(|&a, &b| d[(i, a)].total_cmp(&d[(i, b)]).then(a.cmp(&b)));
        idx
    };
    let mut sum = 0.0;
    for i in 0..n {
        let ox = order(&dx, i);
        let oy = order(&dy, i);
        for &j in &oy[..k] {
            let rank = ox.iter().position(|&l| l == j).unwrap() + 1;
            if rank > k {
                sum += (rank - k) as f64;
            }
        }
    }
    let (nf, kf) = (n as f64, k as f64);
    1.0 - 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0)) * sum
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `dr.quality`: an isometry (rotation, reflection, translation) keeps every neighbour
    /// ranking: trustworthiness and continuity are exactly 1.
    #[test]
    fn dr_quality_isometry_gives_one(n in 11usize..40, d in 2usize..5, k in 1usize..5, seed in 0u64..1000) {
        prop_assume!(2 * k < n);
        let x = Matrix::random_normal(n, d, seed);
        let q = orthonormalize(&Matrix::random_normal(d, d, seed + 1)).unwrap();
        let y = x.matmul(&q).map(|v| v - 7.0);
        // Rounding could swap two nearly tied neighbours; random normal data has no near ties
        // at the 1e-15 level, so exactly 1 is expected.
        prop_assert_eq!(trustworthiness(&x, &y, k).unwrap(), 1.0);
        prop_assert_eq!(continuity(&x, &y, k).unwrap(), 1.0);
    }

    /// `dr.quality`: for any embedding both lie in [0, 1], and trustworthiness equals the
    /// definition computed independently with full sorts.
    #[test]
    fn dr_quality_matches_definition_and_lies_in_unit_interval(n in 11usize..35, k in 1usize..5, seed in 0u64..1000) {
        prop_assume!(2 * k < n);
        let x = Matrix::random_normal(n, 4, seed);
        let y = Matrix::random_normal(n, 2, seed + 5);
        let t = trustworthiness(&x, &y, k).unwrap();
        let c = continuity(&x, &y, k).unwrap();
        prop_assert!((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&c), "T = {t}, C = {c}");
        // The same integer sum scaled by the same factor: equal to a few ulps.
        prop_assert!((t - trustworthiness_by_definition(&x, &y, k)).abs() <= 1e-14);
        prop_assert!((c - trustworthiness_by_definition(&y, &x, k)).abs() <= 1e-14);
    }

    /// `dr.quality`: Procrustes disparity is 0 for a similarity transform (scale, rotation,
    /// reflection, shift), in [0, 1] always, and symmetric.
    #[test]
    fn dr_quality_procrustes_disparity(n in 3usize..30, seed in 0u64..1000, s in 0.1f64..10.0) {
        let a = Matrix::random_normal(n, 2, seed);
        let q = orthonormalize(&Matrix::random_normal(2, 2, seed + 1)).unwrap();
        let b = a.matmul(&q).scale(s).map(|v| v + 3.0);
        // 1 - (Σσ)² with Σσ = 1 up to rounding: a few ε.
        prop_assert!(procrustes_disparity(&a, &b).unwrap() <= 1e-14);
        let c = Matrix::random_normal(n, 2, seed + 2);
        let d1 = procrustes_disparity(&a, &c).unwrap();
        let d2 = procrustes_disparity(&c, &a).unwrap();
        prop_assert!((0.0..=1.0).contains(&d1));
        prop_assert!((d1 - d2).abs() <= 1e-14);
    }

    /// `dr.quality`: Spearman correlation is 1 under any increasing map, -1 under a decreasing
    /// one, and without ties equals 1 - 6 Σ d_i² / (n (n² - 1)).
    #[test]
    fn dr_quality_spearman(v in proptest::collection::vec(-100.0f64..100.0, 3..40), w in proptest::collection::vec(-100.0f64..100.0, 40)) {
        let n = v.len();
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        prop_assume!(sorted.len() == n); // no ties in v
        let inc: Vec<f64> = v.iter().map(|x| x.powi(3) + 5.0).collect();
        let dec: Vec<f64> = v.iter().map(|x| (-x).exp()).collect();
        prop_assert!((spearman(&v, &inc).unwrap() - 1.0).abs() <= 1e-14);
        prop_assert!((spearman(&v, &dec).unwrap() + 1.0).abs() <= 1e-14);
        let w = &w[..n];
        let mut ws = w.to_vec();
        ws.sort_by(f64::total_cmp);
        ws.dedup();
        prop_assume!(ws.len() == n);
        let (rv, rw) = (ranks(&v), ranks(w));
        let d2: f64 = rv.iter().zip(&rw).map(|(a, b)| (a - b) * (a - b)).sum();
        let nf = n as f64;
        let formula = 1.0 - 6.0 * d2 / (nf * (nf * nf - 1.0));
        prop_assert!((spearman(&v, w).unwrap() - formula).abs() <= 1e-12);
    }
}

/// `dr.quality`: ties get their average rank (as scipy.stats.rankdata).
#[test]
fn dr_quality_ranks_average_ties() {
    assert_eq!(ranks(&[10.0, 20.0, 10.0, 30.0]), vec![1.5, 3.0, 1.5, 4.0]);
    assert!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_err());
}

/// `dr.quality`: trustworthiness equals scikit-learn's `trustworthiness` on the same
/// embeddings (the fixture's, so that only the metric is compared): Isomap of a 300-point
/// swiss roll (k = 5 and 10), PCA and kernel PCA of iris (k = 5).
///
/// The swiss roll has continuous coordinates and no tied distances: agreement to rounding.
/// Iris has one-decimal measurements and duplicate flowers, so hundreds of distances tie in
/// exact arithmetic; which of two tied points counts as nearer then depends on the rounding of
/// the distance formula (scikit-learn: ||x||² + ||y||² - 2<x, y>; ours: a sum of squared
/// differences) and on the sort. Each tie resolved differently moves the value by a multiple
/// of 2/(N k (2N - 3k - 1)) ≈ 9.4e-6 (N = 150, k = 5); we ask for agreement to three decimals
/// (the standard), about 50 such units. The exact definition, under our own rounding,
/// is checked by `dr_quality_matches_definition_and_lies_in_unit_interval`.
#[test]
fn dr_quality_sklearn_trustworthiness_fixture() {
    let f = fixture::load();
    let r = &f["isomap_swiss_roll"];
    let x = fixture::matrix(&r["x"]);
    let e = fixture::matrix(&r["embedding"]);
    for (k, key) in [(5, "trustworthiness_k5"), (10, "trustworthiness_k10")] {
        let t = trustworthiness(&x, &e, k).unwrap();
        let expect = fixture::number(&r[key]);
        // The same integer penalty sum and the same scaling: a few ulps.
        assert!(
            (t - expect).abs() <= 1e-14,
            "Isomap roll k = {k}: {t} vs {expect}"
        );
    }
    // Our own Isomap embedding of the same data (equal up to signs: the same neighbours).
    let ours = Isomap::new(Neighbourhood::Knn(10), 2)
        .fit(&x)
        .unwrap()
        .embedding;
    let t = trustworthiness(&x, &ours, 5).unwrap();
    assert!((t - fixture::number(&r["trustworthiness_k5"])).abs() <= 1e-14);

    let iris = dimred::data::load("iris").unwrap().x;
    let mut cases = vec![(
        fixture::matrix(&f["pca_iris"]["scores"]),
        fixture::number(&f["pca_iris"]["trustworthiness_k5"]),
        "PCA (scikit-learn's scores)",
    )];
    for name in ["rbf", "poly", "linear"] {
        let r = &f["kpca_iris"][name];
        cases.push((
            fixture::matrix(&r["embedding"]),
            fixture::number(&r["trustworthiness_k5"]),
            name,
        ));
    }
    let (_, ours) = Pca::new(2).fit_transform(&iris).unwrap();
    cases.push((ours, cases[0].1, "PCA (our scores)"));
    let ours = KernelPca::new(Kernel::Rbf { gamma: 0.5 }, 2)
        .fit(&iris)
        .unwrap()
        .embedding;
    cases.push((ours, cases[1].1, "RBF kernel PCA (our embedding)"));
    for (emb, sklearn, what) in cases {
        let t = trustworthiness(&iris, &emb, 5).unwrap();
        assert!(
            (t - sklearn).abs() <= 5e-4,
            "{what}: {t} vs scikit-learn {sklearn}"
        );
    }
}

/// `dr.quality`: k must satisfy 1 ≤ k < N/2 (scikit-learn's condition), else an error.
#[test]
fn dr_quality_rejects_k_out_of_range() {
    let x = Matrix::random_normal(10, 3, 1);
    assert!(trustworthiness(&x, &x, 0).is_err());
    assert!(trustworthiness(&x, &x, 5).is_err());
    assert!(trustworthiness(&x, &x, 4).is_ok());
}
