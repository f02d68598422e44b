//! Exercise 16 · Dijkstra's shortest paths on the k-NN graph (`dr.isomap.geodesic`).
//!
//! Task: return the shortest-path length from `source` to every node of the weighted,
//! undirected graph `g` (weights ≥ 0; `g.neighbours(i)` yields (j, w_ij)); +∞ for nodes that
//! cannot be reached. Use a binary heap (`std::collections::BinaryHeap` is a max-heap: order
//! the entries so that the smallest distance comes out first) and skip stale entries.
//! Isomap's geodesic distances are exactly these path lengths on the k-NN graph.
//!
//! Claim: `dr.isomap.geodesic`. Notes: lectures/notes/03-spectral-and-kernel.md, section
//! "`dr.isomap.geodesic`: classical MDS on geodesic distances".

use dimred::graph::Graph;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// A distance ordered totally (weights are never NaN), so that it can sit in a heap.
#[derive(Clone, Copy, PartialEq)]
pub struct Dist(pub f64);
impl Eq for Dist {}
impl PartialOrd for Dist {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Dist {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Shortest-path lengths from `source`, +∞ where unreachable (`dr.isomap.geodesic`).
pub fn shortest_paths(g: &Graph, source: usize) -> Vec<f64> {
    // BEGIN SOLUTION: return the length of the shortest path from source to every node (f64::INFINITY where there is none)
    let mut dist = vec![f64::INFINITY; g.n_nodes()];
    dist[source] = 0.0;
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((Dist(0.0), source)));
    while let Some(Reverse((Dist(d), u))) = heap.pop() {
        if d > dist[u] {
            continue; // a stale entry: u was settled with a shorter distance
        }
        for (v, w) in g.neighbours(u) {
            let nd = d + w;
            if nd < dist[v] {
                dist[v] = nd;
                heap.push(Reverse((Dist(nd), v)));
            }
        }
    }
    dist
    // END SOLUTION
}
