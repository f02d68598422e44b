//! Isomap (`dr.isomap.geodesic`): Dijkstra geodesics on a symmetrised neighbour graph, then
//! classical MDS. Complete graph = classical MDS; the swiss roll unrolls; a disconnected graph
//! is an error naming its components; agreement with scikit-learn's Isomap.

#[path = "../fixtures/sklearn/fixture.rs"]
mod fixture;

use dimred::graph::{connected_components, dijkstra, epsilon_graph, knn_graph, Graph};
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::mds::ClassicalMds;
use dimred::quality::{procrustes_disparity, spearman};
use dimred::{DimredError, EigenSolver};
use linalg::Matrix;
use proptest::prelude::*;
use tests::max_diff_up_to_column_signs;

const EPS: f64 = f64::EPSILON;

/// Floyd–Warshall on the graph's weights: O(N^3), the textbook reference for Dijkstra.
fn floyd_warshall(g: &Graph) -> Matrix {
    let n = g.n_nodes();
    let mut d = Matrix::filled(n, n, f64::INFINITY);
    for i in 0..n {
        d[(i, i)] = 0.0;
        for (j, w) in g.neighbours(i) {
            d[(i, j)] = d[(i, j)].min(w);
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                let via = d[(i, k)] + d[(k, j)];
                if via < d[(i, j)] {
                    d[(i, j)] = via;
                }
            }
        }
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `dr.isomap.geodesic`: Dijkstra with a binary heap finds the same shortest paths as
    /// Floyd–Warshall on random weighted graphs (connected or not: unreachable is +∞ in both).
    #[test]
    fn dr_isomap_geodesic_dijkstra_matches_floyd_warshall(
        n in 2usize..25,
        edges in proptest::collection::vec((0usize..25, 0usize..25, 0.0f64..10.0), 0..80),
    ) {
        let edges: Vec<_> = edges.into_iter().filter(|&(i, j, _)| i < n && j < n).collect();
        let g = Graph::from_edges(n, &edges);
        let fw = floyd_warshall(&g);
        let mut dist = vec![0.0; n];
        for s in 0..n {
            dijkstra(&g, s, &mut dist);
            for t in 0..n {
                let (a, b) = (dist[t], fw[(s, t)]);
                // Sums of at most n weights ≤ 10 in different orders: n ε · 10n.
                prop_assert!(a == b || (a - b).abs() <= 10.0 * (n * n) as f64 * EPS, "{s}->{t}: {a} vs {b}");
            }
        }
    }

    /// `dr.isomap.geodesic`: on the complete graph (ε = ∞, or k = N - 1) the shortest path
    /// between two points is the straight edge, so Isomap is classical MDS on the points.
    #[test]
    fn dr_isomap_geodesic_complete_graph_equals_classical_mds(n in 5usize..30, seed in 0u64..1000) {
        let x = Matrix::random_normal(n, 3, seed);
        let mds = ClassicalMds::new(2).fit_points(&x).unwrap();
        for nb in [Neighbourhood::Epsilon(f64::INFINITY), Neighbourhood::Knn(n - 1)] {
            let iso = Isomap::new(nb, 2).fit(&x).unwrap();
            // A path through a third point can beat the direct edge only by rounding
            // (triangle inequality); then B agrees to ~N ε ||B||. Scores O(sqrt(λ_1)); the
            // eigenvector error ~ N ε λ_1/gap: use the relative gap of this sample.
            let l = &mds.eigenvalues;
            let gap = (l[0] - l[1]).min(l[1] - l[2]).max(1e-300);
            let tol = 1e3 * n as f64 * EPS * l[0] / gap * l[0].sqrt();
            let diff = max_diff_up_to_column_signs(&iso.embedding, &mds.embedding);
            prop_assert!(diff <= tol, "{nb}: {diff} > {tol}");
        }
    }

    /// `dr.isomap.geodesic`: the ε-graph has an edge i–j exactly when ||x_i − x_j|| ≤ ε (a
    /// distance, not a squared distance), weighted by the distance. ε lies midway between two
    /// consecutive pairwise distances, so the graph is neither empty nor complete and no
    /// distance sits on the boundary.
    #[test]
    fn dr_isomap_geodesic_epsilon_graph_is_the_ball(n in 3usize..30, frac in 0.05f64..0.95, seed in 0u64..1000) {
        let x = Matrix::random_normal(n, 2, seed);
        let d = Matrix::from_fn(n, n, |i, j| linalg::sq_dist(x.row(i), x.row(j)).sqrt());
        let mut all: Vec<f64> = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).map(|(i, j)| d[(i, j)]).collect();
        all.sort_by(f64::total_cmp);
        let at = ((all.len() - 1) as f64 * frac) as usize;
        let (lo, hi) = (all[at], all[(at + 1).min(all.len() - 1)]);
        // Distances carry a few ε of rounding: skip draws without a clear gap to put ε in.
        prop_assume!(hi - lo > 1e-9 * hi);
        let eps = 0.5 * (lo + hi);
        let g = epsilon_graph(&x, eps).unwrap();
        for i in 0..n {
            let got: Vec<(usize, f64)> = g.neighbours(i).collect();
            let expect: Vec<usize> = (0..n).filter(|&j| j != i && d[(i, j)] <= eps).collect();
            let ids: Vec<usize> = got.iter().map(|e| e.0).collect();
            prop_assert_eq!(&ids, &expect);
            for (j, w) in got {
                // The same squared distance, possibly summed in another order: 4ε relative.
                prop_assert!((w - d[(i, j)]).abs() <= 4.0 * EPS * w, "{} vs {}", w, d[(i, j)]);
            }
        }
    }

    /// `dr.isomap.geodesic`: the k-NN graph is the symmetrised union: an edge i–j exactly when
    /// j is among the k nearest of i or i among the k nearest of j, weighted by the distance.
    #[test]
    fn dr_isomap_geodesic_knn_graph_is_symmetric_union(n in 4usize..30, k in 1usize..4, seed in 0u64..1000) {
        prop_assume!(k < n);
        let x = Matrix::random_normal(n, 2, seed);
        let g = knn_graph(&x, k).unwrap();
        let d = x.pairwise_sq_distances();
        // Reference k nearest by a full sort (ties by index).
        let nearest = |i: usize| {
            let mut idx: Vec<usize> = (0..n).filter(|&j| j != i).collect();
            idx.sort_by(|&a, &b| d[(i, a)].total_cmp(&d[(i, b)]).then(a.cmp(&b)));
            idx.truncate(k);
            idx
        };
        let nn: Vec<Vec<usize>> = (0..n).map(nearest).collect();
        for i in 0..n {
            let got: Vec<(usize, f64)> = g.neighbours(i).collect();
            let mut expect: Vec<usize> = (0..n).filter(|&j| nn[i].contains(&j) || nn[j].contains(&i)).collect();
            expect.sort();
            let ids: Vec<usize> = got.iter().map(|e| e.0).collect();
            prop_assert_eq!(&ids, &expect);
            for (j, w) in got {
                prop_assert!((w - d[(i, j)].sqrt()).abs() <= 4.0 * EPS * w.max(1.0));
            }
        }
    }
}

/// `dr.isomap.geodesic`: Isomap unrolls the swiss roll: the rank (Spearman) correlation of the
/// first coordinate with the roll's true angle t is at least 0.99 for N = 1500 points, k = 10,
/// no noise, on three seeds.
///
/// Why 0.99: if the graph short-circuits between layers of the roll, the geodesics collapse
/// and ρ drops far below (N = 400, k = 10 gives ρ ≈ 0.5; N = 1000, k = 10 gives ρ ≈ 0.90 for
/// one seed in eight: one shortcut edge suffices). With a correct graph each geodesic is
/// overestimated only by the zigzag of its path, O(point spacing), so the order along t is
/// kept up to neighbours: measured ρ ≥ 0.9999 on eight seeds at N = 1500. 0.99 separates the
/// two regimes with room for sampling noise.
#[test]
fn dr_isomap_geodesic_unrolls_swiss_roll() {
    for seed in [1, 2, 3] {
        let roll = dimred::data::swiss_roll(1500, 0.0, seed);
        let fit = Isomap::new(Neighbourhood::Knn(10), 2).fit(&roll.x).unwrap();
        let t = roll.parameter.as_ref().unwrap();
        let rho = spearman(&fit.embedding.col(0), t).unwrap().abs();
        assert!(rho >= 0.99, "seed {seed}: ρ = {rho}");
        // The second coordinate is the height, unrelated to t.
        let rho2 = spearman(&fit.embedding.col(1), t).unwrap().abs();
        assert!(
            rho2 < 0.2,
            "seed {seed}: second coordinate follows t (ρ = {rho2})"
        );
    }
}

/// `dr.isomap.geodesic`: two far-apart clusters with a small k give a disconnected graph: an
/// error naming the number and sizes of the components and suggesting a larger k, never
/// infinite (or zero) distances inside an embedding.
#[test]
fn dr_isomap_geodesic_disconnected_graph_is_an_error() {
    let a = Matrix::random_normal(30, 2, 1);
    let b = Matrix::random_normal(20, 2, 2).map(|v| v + 100.0);
    let mut rows: Vec<Vec<f64>> = a.rows().map(|r| r.to_vec()).collect();
    rows.extend(b.rows().map(|r| r.to_vec()));
    let x = Matrix::from_rows(&rows);
    let err = Isomap::new(Neighbourhood::Knn(3), 2).fit(&x).unwrap_err();
    match &err {
        DimredError::DisconnectedGraph {
            component_sizes, ..
        } => {
            assert_eq!(component_sizes.iter().sum::<usize>(), 50);
            assert!(component_sizes.len() >= 2);
            // No component spans both clusters (they are 100 apart, the clusters ~5 wide).
            assert!(component_sizes[0] <= 30);
        }
        other => panic!("expected DisconnectedGraph, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("connected components"), "{msg}");
    assert!(msg.contains("larger k"), "{msg}");
    // The component labelling itself: sizes add up, labels are consistent with edges.
    let g = knn_graph(&x, 3).unwrap();
    let (labels, sizes) = connected_components(&g);
    assert_eq!(sizes.iter().sum::<usize>(), 50);
    for i in 0..50 {
        for (j, _) in g.neighbours(i) {
            assert_eq!(labels[i], labels[j]);
        }
    }
}

/// `dr.isomap.geodesic`: the top-k eigensolver path gives the same embedding as the dense
/// Jacobi path (N = 240 > the dense limit of Auto).
#[test]
fn dr_isomap_geodesic_topk_matches_dense() {
    let roll = dimred::data::swiss_roll(240, 0.0, 5);
    let mk = |solver| Isomap {
        solver,
        ..Isomap::new(Neighbourhood::Knn(12), 2)
    };
    let dense = mk(EigenSolver::Dense).fit(&roll.x).unwrap();
    let topk = mk(EigenSolver::TopK).fit(&roll.x).unwrap();
    // Lanczos residual ≤ 1e-10 λ_1; vector error ≤ residual / gap, gap ≥ 5% of λ_1 here.
    let l = &dense.mds.eigenvalues;
    let tol = 1e-10 * l[0] / (l[1] - l[2]).min(l[0] - l[1]) * l[0].sqrt();
    assert!(max_diff_up_to_column_signs(&dense.embedding, &topk.embedding) <= 10.0 * tol);
}

/// `dr.isomap.geodesic`: scikit-learn's Isomap (k = 10, Dijkstra, dense eigensolver) on its
/// own 300-point swiss roll: the same embedding up to column signs (Procrustes disparity below
/// 1e-6, as the issue asks).
#[test]
fn dr_isomap_geodesic_sklearn_swiss_roll_fixture() {
    let f = fixture::load();
    let r = &f["isomap_swiss_roll"];
    let x = fixture::matrix(&r["x"]);
    let expect = fixture::matrix(&r["embedding"]);
    let fit = Isomap::new(Neighbourhood::Knn(10), 2).fit(&x).unwrap();
    let disparity = procrustes_disparity(&fit.embedding, &expect).unwrap();
    assert!(disparity < 1e-6, "disparity {disparity}");
    // Entrywise: the same graph and the same B, so only eigen-solver rounding differs.
    assert!(max_diff_up_to_column_signs(&fit.embedding, &expect) <= 1e-8 * expect.max_abs());
}
