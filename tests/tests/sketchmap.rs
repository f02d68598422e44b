//! Sketch-map: `dr.sketchmap.stress` (Σ w [F(Δ) - f(Θ)]^2 with sigmoids s_{σ,a,b}; identity
//! transforms give metric MDS's stress; the analytic gradient matches finite differences; the
//! optimisation lowers the stress; landmarks let it run on thousands of points).

use dimred::sketchmap::{stress, stress_gradient, SketchMap, Transform};
use linalg::Matrix;
use proptest::prelude::*;

const EPS: f64 = f64::EPSILON;

fn random_delta(n: usize, seed: u64) -> Matrix {
    let x = Matrix::random_normal(n, 4, seed);
    let f = Matrix::random_uniform(n, n, 0.7, 1.3, seed + 1);
    Matrix::from_fn(n, n, |i, j| {
        if i == j {
            0.0
        } else {
            linalg::sq_dist(x.row(i), x.row(j)).sqrt() * f[(i.min(j), i.max(j))]
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `dr.sketchmap.stress`: with F = f = identity the sketch-map stress is metric MDS's stress.
    #[test]
    fn sketchmap_identity_transforms_equal_metric_mds_stress(
        n in 2usize..30,
        weighted in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let delta = random_delta(n, seed);
        let y = Matrix::random_normal(n, 2, seed + 2);
        let u = Matrix::random_uniform(n, n, 0.0, 3.0, seed + 3);
        let w = weighted.then(|| Matrix::from_fn(n, n, |i, j| u[(i.min(j), i.max(j))]));
        let sm = stress(&delta, &y, Transform::Identity, w.as_ref());
        let mds = dimred::smacof::stress(&delta, &y, w.as_ref());
        // Same N(N-1)/2 terms summed in different orders: ≤ N^2 ε relative.
        prop_assert!((sm - mds).abs() <= (n * n) as f64 * EPS * mds.max(f64::MIN_POSITIVE), "{} vs {}", sm, mds);
    }

    /// `dr.sketchmap.stress`: s(σ) = ½, s increases from 0 towards 1, and the derivative
    /// matches central differences.
    #[test]
    fn sketchmap_sigmoid_shape(
        sigma in 0.1f64..10.0,
        a in 1.0f64..10.0,
        b in 1.0f64..10.0,
        r in 0.01f64..5.0,
    ) {
        let s = Transform::Sigmoid { sigma, a, b };
        prop_assert!((s.apply(sigma) - 0.5).abs() <= 4.0 * EPS);
        prop_assert!(s.apply(0.0) == 0.0);
        let (x0, x1) = (r * sigma, 1.01 * r * sigma);
        prop_assert!(s.apply(x0) <= s.apply(x1) && s.apply(x1) < 1.0);
        // Central difference with h = 1e-5 x: truncation ~ h^2 |s'''| and rounding ~ ε / h;
        // relative to the slope scale 1/x both are below 1e-6 for these exponents.
        let h = 1e-5 * x0;
        let fd = (s.apply(x0 + h) - s.apply(x0 - h)) / (2.0 * h);
        prop_assert!((fd - s.derivative(x0)).abs() <= 1e-6 * (1.0 / x0 + s.derivative(x0).abs()) , "{} vs {}", fd, s.derivative(x0));
    }

    /// `dr.sketchmap.stress`: the analytic gradient of the (weighted) sketch-map stress matches
    /// central finite differences, for sigmoids with a ≥ 2 (smooth at Θ = 0) and for identity.
    #[test]
    fn sketchmap_gradient_matches_finite_differences(
        n in 3usize..15,
        sigma in 0.5f64..3.0,
        big_a in 2.0f64..10.0,
        big_b in 1.0f64..8.0,
        a in 2.0f64..6.0,
        b in 1.0f64..8.0,
        identity in any::<bool>(),
        seed in 0u64..1000,
    ) {
        let delta = random_delta(n, seed);
        let high = Transform::Sigmoid { sigma, a: big_a, b: big_b };
        let low = if identity { Transform::Identity } else { Transform::Sigmoid { sigma, a, b } };
        let f_high = dimred::sketchmap::transform_distances(&delta, high).unwrap();
        let y = Matrix::random_normal(n, 2, seed + 5);
        let w = Matrix::from_fn(n, n, |i, j| 1.0 + ((i + j) % 3) as f64);
        let mut g = Matrix::zeros(n, 2);
        let s0 = stress_gradient(&f_high, &y, low, Some(&w), &mut g);
        let gmax = g.max_abs();
        for i in 0..n {
            for k in 0..2 {
                let h = 1e-6;
                let mut yp = y.clone();
                yp[(i, k)] += h;
                let mut ym = y.clone();
                ym[(i, k)] -= h;
                let fd = (stress(&f_high, &yp, low, Some(&w)) - stress(&f_high, &ym, low, Some(&w))) / (2.0 * h);
                // Rounding: N^2 ε s0 / h; truncation: h^2 times third derivatives of order
                // (1 + Σw)/σ^3. Both far below 1e-5 (gmax + s0) for these sizes.
                let tol = 1e-5 * (gmax + s0) + (n * n) as f64 * EPS * s0 / h;
                prop_assert!((fd - g[(i, k)]).abs() <= tol, "({},{}): fd {} vs {}", i, k, fd, g[(i, k)]);
            }
        }
    }
}

/// `dr.sketchmap.stress`: the optimisation lowers the stress at every accepted step (Armijo
/// backtracking), and by a clear margin overall, from the classical-MDS start.
#[test]
fn sketchmap_optimisation_lowers_stress() {
    let d = dimred::data::swiss_roll(300, 0.05, 1);
    let fit = SketchMap {
        n_landmarks: 100,
        ..SketchMap::new(2)
    }
    .fit(&d.x)
    .unwrap();
    let h = &fit.stress_history;
    assert!(h.len() > 2);
    for k in 1..h.len() {
        assert!(h[k] < h[k - 1], "step {k}: {} -> {}", h[k - 1], h[k]);
    }
    // Classical MDS fits inner products, not sigmoids of distances, so a local method started
    // there must find a substantially lower sketch-map stress (here typically by half or more).
    assert!(
        h[h.len() - 1] < 0.8 * h[0],
        "{} -> {}",
        h[0],
        h[h.len() - 1]
    );
}

/// `dr.sketchmap.stress`: with landmarks, 2000 points are mapped, and points are placed near
/// their own kind: on five well-separated Gaussian blobs the nearest map neighbour of at least
/// 98% of the points is from the same blob (centres uniform in [-10, 10]^10 are typically 25
/// apart, 50 standard deviations of 0.5: the blobs share no neighbourhoods, so a map that
/// respects the sigmoid distances keeps them apart; 2%
/// leaves room for a few points placed at a cluster's edge by the out-of-sample step).
#[test]
fn sketchmap_landmarks_scale_to_thousands_and_keep_clusters() {
    let d = dimred::data::blobs(2000, 5, 10, 0.5, 7);
    let fit = SketchMap {
        n_landmarks: 120,
        ..SketchMap::new(2)
    }
    .fit(&d.x)
    .unwrap();
    assert_eq!(fit.landmarks.len(), 120);
    assert_eq!(fit.landmark_weights.iter().sum::<f64>(), 2000.0);
    let labels = d.labels.unwrap();
    let y = &fit.embedding;
    let mut same = 0;
    for i in 0..2000 {
        let mut best = (f64::INFINITY, 0);
        for j in 0..2000 {
            if j != i {
                let v = linalg::sq_dist(y.row(i), y.row(j));
                if v < best.0 {
                    best = (v, j);
                }
            }
        }
        same += (labels[best.1] == labels[i]) as usize;
    }
    assert!(same as f64 >= 0.98 * 2000.0, "{same} of 2000");
}
