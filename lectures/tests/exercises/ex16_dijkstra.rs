//! The tests of exercise 16, `lectures/exercises/ex16_dijkstra.rs` (`lectures exercises check ex16`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(not(feature = "solutions"), path = "../../exercises/ex16_dijkstra.rs")]
#[cfg_attr(feature = "solutions", path = "../../solutions/ex16_dijkstra.rs")]
mod ex16_dijkstra;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.isomap.geodesic`): the same path lengths as dimred's Dijkstra, from every
    /// source, on k-NN graphs (small k leaves some graphs disconnected: +∞ there).
    #[test]
    fn shortest_paths_match_dimred(x in points(5..40, 2, 4.0), k in 1usize..4) {
        let n = x.nrows();
        let g = dimred::graph::knn_graph(&x, k).unwrap();
        let mut want = vec![0.0; n];
        for source in 0..n {
            dimred::graph::dijkstra(&g, source, &mut want);
            let got = ex16_dijkstra::shortest_paths(&g, source);
            prop_assert!(got.len() == n, "{} distances for {n} nodes", got.len());
            for (t, (&a, &b)) in got.iter().zip(&want).enumerate() {
                // Path sums of ≤ n edges; a different path of equal length may sum in another order.
                let ok = if b.is_infinite() { a == b } else { (a - b).abs() <= 4.0 * n as f64 * EPS * b };
                prop_assert!(ok, "from node {source} to node {t}: you found {a}, the shortest path is {b}");
            }
        }
    }
}
