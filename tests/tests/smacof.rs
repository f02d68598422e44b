//! Metric MDS by SMACOF: `dr.mds.stress` (the raw stress Σ_{i<j} w_ij (Δ_ij - Θ_ij)^2 never
//! increases under the Guttman transform, with or without weights, from any start).

use dimred::mds::ClassicalMds;
use dimred::smacof::{stress, Smacof, SmacofInit};
use dimred::DimredError;
use linalg::Matrix;
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

/// Distances between random points, each perturbed by a random factor in [1 - noise, 1 + noise]
/// (symmetrically): non-Euclidean for noise > 0, so no configuration has zero stress.
fn dissimilarities(n: usize, dim: usize, noise: f64, seed: u64) -> Matrix {
    let x = Matrix::random_normal(n, dim, seed);
    let f = Matrix::random_uniform(n, n, 1.0 - noise, 1.0 + noise, seed + 1);
    Matrix::from_fn(n, n, |i, j| {
        let (a, b) = (i.min(j), i.max(j));
        if i == j {
            0.0
        } else {
            linalg::sq_dist(x.row(i), x.row(j)).sqrt() * f[(a, b)]
        }
    })
}

/// Symmetric weights in [0.1, 2] (all positive, so the weight graph is connected).
fn weights(n: usize, seed: u64) -> Matrix {
    let u = Matrix::random_uniform(n, n, 0.1, 2.0, seed);
    Matrix::from_fn(n, n, |i, j| u[(i.min(j), i.max(j))])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// `dr.mds.stress`: the stress history never increases, for random non-Euclidean Δ, random
    /// weights or none, random or classical-MDS starts, d = 1 or 2.
    #[test]
    fn mds_stress_smacof_never_increases(
        n in 4usize..24,
        noise in 0.0f64..0.5,
        weighted in any::<bool>(),
        random_start in any::<bool>(),
        d in 1usize..3,
        seed in 0u64..1000,
    ) {
        let delta = dissimilarities(n, 3, noise, seed);
        let w = weighted.then(|| weights(n, seed + 7));
        let s = Smacof {
            max_iter: 60,
            tol: 0.0,
            init: if random_start { SmacofInit::Random { seed } } else { SmacofInit::ClassicalMds },
            ..Smacof::new(d)
        };
        let fit = s.fit_distances(&delta, w.as_ref()).unwrap();
        let h = &fit.stress_history;
        prop_assert_eq!(h.len(), fit.iterations + 1);
        // Rounding in one σ value: each residual r = Δ - Θ carries an absolute error of about
        // ε (Δ + Θ), so r^2 is off by 2|r| ε (Δ + Θ); summed, and by Cauchy–Schwarz, that is at
        // most 2 ε sqrt(σ Σ w (Δ + Θ)^2) ≤ 2 ε sqrt(σ · 4(Σ w Δ^2 + σ_0)), plus the summation
        // error N^2 ε σ. Near convergence (σ tiny) the first term dominates: a relative bound
        // on σ alone would be wrong there. Two values compared: twice the bound, times 4.
        let mut s_w_d2 = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                s_w_d2 += w.as_ref().map_or(1.0, |w| w[(i, j)]) * delta[(i, j)] * delta[(i, j)];
            }
        }
        let round = |sig: f64| {
            8.0 * (2.0 * EPS * (sig * 4.0 * (s_w_d2 + h[0])).sqrt() + (n * n) as f64 * EPS * sig)
        };
        for k in 1..h.len() {
            prop_assert!(h[k] <= h[k - 1] + round(h[k - 1]), "step {}: {} -> {}", k, h[k - 1], h[k]);
        }
        let tol = round(h[0]);
        // The reported stress is the stress of the returned configuration.
        let again = stress(&delta, &fit.embedding, w.as_ref());
        prop_assert!((again - fit.stress).abs() <= tol, "{} vs {}", again, fit.stress);
    }

    /// `dr.mds.stress`: started from classical MDS, SMACOF ends at a stress no larger than
    /// classical MDS's own (strain-optimal is not stress-optimal; majorisation only improves).
    #[test]
    fn mds_stress_improves_on_classical_mds(n in 5usize..20, noise in 0.05f64..0.5, seed in 0u64..1000) {
        let delta = dissimilarities(n, 4, noise, seed);
        let classical = ClassicalMds::new(2).fit_distances(&delta).unwrap().embedding;
        let s0 = stress(&delta, &classical, None);
        let fit = Smacof { tol: 0.0, max_iter: 50, ..Smacof::new(2) }.fit_distances(&delta, None).unwrap();
        // Same rounding bound as above (with all weights 1).
        let s_d2: f64 = delta.as_slice().iter().map(|v| v * v).sum::<f64>() / 2.0;
        let tol = 8.0 * (2.0 * EPS * (s0 * 4.0 * (s_d2 + s0)).sqrt() + (n * n) as f64 * EPS * s0);
        prop_assert!(fit.stress <= s0 + tol);
        prop_assert!((fit.stress_history[0] - s0).abs() <= tol);
    }
}

/// `dr.mds.stress`: exactly Euclidean distances of planar points have a zero-stress 2-D
/// configuration, and SMACOF from a random start gets there (up to rounding), far below its start.
#[test]
fn mds_stress_euclidean_planar_reaches_zero() {
    let x = Matrix::random_normal(30, 2, 3);
    let delta = Matrix::from_fn(30, 30, |i, j| linalg::sq_dist(x.row(i), x.row(j)).sqrt());
    let s = Smacof {
        max_iter: 3000,
        tol: 0.0,
        init: SmacofInit::Random { seed: 1 },
        ..Smacof::new(2)
    };
    let fit = s.fit_distances(&delta, None).unwrap();
    let scale: f64 = delta.as_slice().iter().map(|v| v * v).sum::<f64>() / 2.0;
    // A random start can in principle stop in a local minimum; for 30 points in the plane it
    // does not, and the linear convergence of SMACOF reaches 1e-10 of Σ Δ² in far fewer steps.
    assert!(
        fit.stress < 1e-10 * scale,
        "stress {} of {}",
        fit.stress,
        scale
    );
    assert!(fit.stress_history[0] > 1e3 * fit.stress);
}

/// `dr.mds.stress`: weights whose positive entries split the points into two groups leave V
/// singular; that is a clear error, not NaN coordinates.
#[test]
fn mds_stress_disconnected_weights_are_an_error() {
    let delta = dissimilarities(6, 2, 0.0, 1);
    let w = Matrix::from_fn(6, 6, |i, j| if (i < 3) == (j < 3) { 1.0 } else { 0.0 });
    let err = Smacof::new(2).fit_distances(&delta, Some(&w)).unwrap_err();
    assert!(matches!(err, DimredError::InvalidArgument(ref m) if m.contains("disconnected")));
}

/// `dr.mds.stress`: the multithreaded Guttman transform gives the same result every run.
#[test]
fn mds_stress_reproducible() {
    let delta = dissimilarities(40, 3, 0.3, 9);
    let s = Smacof {
        init: SmacofInit::Random { seed: 5 },
        ..Smacof::new(2)
    };
    let a = s.fit_distances(&delta, None).unwrap();
    let b = s.fit_distances(&delta, None).unwrap();
    assert_eq!(a, b);
}
