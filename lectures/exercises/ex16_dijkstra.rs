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
#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body

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
    todo!("return the length of the shortest path from source to every node (f64::INFINITY where there is none)")
}
