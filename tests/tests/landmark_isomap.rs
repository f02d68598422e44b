//! Landmark Isomap (`dr.isomap.geodesic` at scale): with every point a landmark it is exact
//! Isomap; with Euclidean geodesics (the complete graph of flat data) a handful of landmarks
//! already gives the exact embedding, since Gower's triangulation is then exact; on the swiss
//! roll it keeps exact Isomap's quality.

use dimred::isomap::{Isomap, Neighbourhood};
use dimred::landmark::LandmarkIsomap;
use dimred::pca::Pca;
use dimred::quality::{spearman, trustworthiness};
use dimred::DimredError;
use linalg::Matrix;
use proptest::prelude::*;
use tests::max_diff_up_to_column_signs;

const EPS: f64 = f64::EPSILON;

/// The size of the eigenvector error of a B with eigenvalues λ: N ε λ₁ / gap, times the size
/// of the coordinates √λ₁ (Davis–Kahan; the factor 1e3 covers the Dijkstra sums, the double
/// centring and the final rotation, each a few N ε relative).
fn eigen_tol(n: usize, lam: &[f64], d: usize) -> f64 {
    let gap = (0..d)
        .map(|j| lam[j] - lam[j + 1])
        .fold(f64::INFINITY, f64::min);
    1e3 * n as f64 * EPS * lam[0] / gap * lam[0].sqrt()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// `dr.isomap.geodesic`: every point a landmark: the landmark block is the whole geodesic matrix, Gower's
    /// formula returns each point's own MDS coordinates, and the final rotation is the
    /// identity up to signs (the MDS coordinates are already principal axes).
    #[test]
    fn every_point_a_landmark_is_exact_isomap(n in 20usize..60, seed in 0u64..500) {
        let x = tests::anisotropic_data(n, 3, seed, 1.0);
        let nb = Neighbourhood::Knn(n / 2);
        let exact = Isomap { solver: dimred::EigenSolver::Dense, ..Isomap::new(nb, 2) }.fit(&x).unwrap();
        let fit = LandmarkIsomap::new(nb, 2, n).fit(&x).unwrap();
        let tol = eigen_tol(n, &exact.mds.eigenvalues, 2);
        let diff = max_diff_up_to_column_signs(&fit.embedding, &exact.embedding);
        prop_assert!(diff <= tol, "landmark (all points) vs exact Isomap: {diff} > {tol}");
    }

    /// `dr.isomap.geodesic`: Euclidean geodesics: on the complete graph of points lying in a plane of R³ the
    /// shortest path is the straight edge, Δ² is Euclidean of rank 2, and triangulation from
    /// 5 landmarks is exact: the result is PCA's scores up to column signs.
    #[test]
    fn euclidean_geodesics_are_triangulated_exactly(n in 20usize..80, seed in 0u64..500) {
        let plane = tests::anisotropic_data(n, 2, seed, 0.5);
        let x = Matrix::from_fn(n, 3, |i, j| match j {
            0 => plane[(i, 0)] + plane[(i, 1)],
            1 => plane[(i, 0)] - 2.0 * plane[(i, 1)],
            _ => 3.0 * plane[(i, 0)],
        });
        let fit = LandmarkIsomap::new(Neighbourhood::Epsilon(f64::INFINITY), 2, 5).fit(&x).unwrap();
        let (pca, scores) = Pca::new(2).fit_transform(&x).unwrap();
        let lam: Vec<f64> = pca.explained_variance.iter().map(|v| v * (n - 1) as f64).collect();
        let tol = eigen_tol(n, &lam, 2);
        let diff = max_diff_up_to_column_signs(&fit.embedding, &scores);
        prop_assert!(diff <= tol, "5 landmarks vs PCA on flat data: {diff} > {tol}");
    }
}

/// The swiss roll, 2000 points, 200 landmarks: unrolled (Spearman |ρ| with the roll's angle
/// above 0.99, as the Isomap doc test demands of exact Isomap) and trustworthiness within
/// 0.01 of exact Isomap's (the bound for landmark Isomap).
#[test]
fn landmark_isomap_keeps_exact_quality_on_the_swiss_roll() {
    let roll = dimred::data::swiss_roll(2000, 0.0, 3);
    let nb = Neighbourhood::Knn(10);
    let fit = LandmarkIsomap::new(nb, 2, 200).fit(&roll.x).unwrap();
    let t = roll.parameter.as_ref().unwrap();
    let rho = spearman(&fit.embedding.col(0), t).unwrap();
    assert!(rho.abs() > 0.99, "Spearman {rho}");
    let exact = Isomap::new(nb, 2).fit(&roll.x).unwrap();
    let t_landmark = trustworthiness(&roll.x, &fit.embedding, 10).unwrap();
    let t_exact = trustworthiness(&roll.x, &exact.embedding, 10).unwrap();
    assert!(
        t_landmark >= t_exact - 0.01,
        "trustworthiness {t_landmark} vs exact {t_exact}"
    );
    assert_eq!(fit.landmarks.len(), 200);
}

#[test]
fn landmark_isomap_rejects_bad_input() {
    let x = tests::anisotropic_data(30, 3, 1, 0.0);
    let nb = Neighbourhood::Knn(5);
    for l in [0, 2, 31] {
        let err = LandmarkIsomap::new(nb, 2, l).fit(&x).unwrap_err();
        assert!(err.to_string().contains("n_landmarks"), "{err}");
    }
    // Two far-apart clusters with k = 3: the graph falls apart, named with its components.
    let two = Matrix::from_fn(20, 2, |i, j| {
        if i < 10 {
            i as f64 + j as f64
        } else {
            1e6 + i as f64
        }
    });
    let err = LandmarkIsomap::new(Neighbourhood::Knn(3), 1, 5)
        .fit(&two)
        .unwrap_err();
    assert!(
        matches!(err, DimredError::DisconnectedGraph { ref component_sizes, .. } if component_sizes == &vec![10, 10]),
        "{err}"
    );
    let mut bad = x.clone();
    bad[(4, 1)] = f64::NAN;
    assert!(LandmarkIsomap::new(nb, 2, 10).fit(&bad).is_err());
}
