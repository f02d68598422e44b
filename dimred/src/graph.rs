//! Neighbour graphs, shortest paths and connected components: the geodesic half of Isomap
//! (`dr.isomap.geodesic`).
//!
//! The graph is undirected: an edge i–j exists when j is among i's neighbours *or* i among
//! j's (the union, as scikit-learn's Isomap, which runs its shortest paths with
//! `directed=False`). Edge weights are Euclidean lengths. Stored in compressed sparse rows:
//! the neighbours of node i are `targets[offsets[i]..offsets[i + 1]]`.

use crate::error::{DimredError, Result};
use crate::parallel::for_each_row;
use linalg::observe::{Observer, Silent};
use linalg::{sq_dist, Matrix};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// An undirected weighted graph in compressed sparse row form.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    offsets: Vec<usize>,
    targets: Vec<usize>,
    weights: Vec<f64>,
}

impl Graph {
    /// The undirected graph on `n` nodes with the given edges (i, j, w): each edge is stored in
    /// both directions; a repeated pair keeps its smallest weight; self-loops are dropped.
    ///
    /// # Panics
    /// If an endpoint is ≥ n, or a weight is negative or NaN (Dijkstra needs w ≥ 0).
    #[track_caller]
    pub fn from_edges(n: usize, edges: &[(usize, usize, f64)]) -> Graph {
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for &(i, j, w) in edges {
            assert!(
                i < n && j < n,
                "Graph::from_edges: edge ({i}, {j}) in a graph of {n} nodes"
            );
            assert!(
                w >= 0.0,
                "Graph::from_edges: edge ({i}, {j}) has weight {w}"
            );
            if i != j {
                adj[i].push((j, w));
                adj[j].push((i, w));
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::new();
        let mut weights = Vec::new();
        offsets.push(0);
        for list in &mut adj {
            list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            list.dedup_by_key(|e| e.0); // keeps the first, the smallest weight
            for &(j, w) in list.iter() {
                targets.push(j);
                weights.push(w);
            }
            offsets.push(targets.len());
        }
        Graph {
            offsets,
            targets,
            weights,
        }
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of undirected edges.
    pub fn n_edges(&self) -> usize {
        self.targets.len() / 2
    }

    /// The neighbours of node i with the edge weights.
    pub fn neighbours(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.offsets[i]..self.offsets[i + 1];
        self.targets[r.clone()]
            .iter()
            .copied()
            .zip(self.weights[r].iter().copied())
    }
}

/// The indices of the k nearest other rows of `x` to row i, nearest first; ties in distance
/// are broken by the smaller index, so the result is deterministic.
pub(crate) fn k_nearest(x: &Matrix, i: usize, k: usize, buf: &mut Vec<(f64, usize)>) {
    buf.clear();
    let xi = x.row(i);
    buf.extend(
        (0..x.nrows())
            .filter(|&j| j != i)
            .map(|j| (sq_dist(xi, x.row(j)), j)),
    );
    let cmp = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if k < buf.len() {
        buf.select_nth_unstable_by(k, cmp);
        buf.truncate(k);
    }
    buf.sort_unstable_by(cmp);
}

/// The symmetrised k-nearest-neighbour graph of the rows of `x`, weighted by Euclidean
/// length. A point is not its own neighbour. O(N^2 D) by brute force, parallel over rows.
///
/// # Errors
/// `InvalidArgument` unless 1 ≤ k < N.
pub fn knn_graph(x: &Matrix, k: usize) -> Result<Graph> {
    let n = x.nrows();
    if k == 0 || k >= n {
        return Err(DimredError::InvalidArgument(format!(
            "k-NN graph: k = {k} must be between 1 and N - 1 = {}",
            n.saturating_sub(1)
        )));
    }
    let mut nbrs = vec![(0usize, 0.0f64); n * k];
    for_each_row(&mut nbrs, k, |i, row| {
        let mut buf = Vec::with_capacity(n);
        k_nearest(x, i, k, &mut buf);
        for (slot, &(d2, j)) in row.iter_mut().zip(&buf) {
            *slot = (j, d2.sqrt());
        }
    });
    let edges: Vec<(usize, usize, f64)> = nbrs
        .iter()
        .enumerate()
        .map(|(idx, &(j, w))| (idx / k, j, w))
        .collect();
    Ok(Graph::from_edges(n, &edges))
}

/// The ε-graph: an edge between every two rows at Euclidean distance ≤ ε.
///
/// # Errors
/// `InvalidArgument` unless ε > 0 (ε = ∞ gives the complete graph).
pub fn epsilon_graph(x: &Matrix, epsilon: f64) -> Result<Graph> {
    if epsilon.is_nan() || epsilon <= 0.0 {
        return Err(DimredError::InvalidArgument(format!(
            "ε-graph: ε must be positive, got {epsilon}"
        )));
    }
    let n = x.nrows();
    let eps2 = epsilon * epsilon;
    let mut edges = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let d2 = sq_dist(x.row(i), x.row(j));
            if d2 <= eps2 {
                edges.push((i, j, d2.sqrt()));
            }
        }
    }
    Ok(Graph::from_edges(n, &edges))
}

/// A heap entry ordered so that `BinaryHeap` (a max-heap) pops the smallest distance.
#[derive(Clone, Copy, PartialEq)]
struct Entry {
    dist: f64,
    node: usize,
}
impl Eq for Entry {}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .dist
            .total_cmp(&self.dist)
            .then(other.node.cmp(&self.node))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Shortest-path lengths from `source` to every node by Dijkstra's algorithm with a binary
/// heap and lazy deletion (a node may sit in the heap several times; stale entries, whose
/// distance exceeds the settled one, are skipped): O((V + E) log V). Unreachable nodes get
/// +∞, which [`geodesic_distances`] never lets through.
pub fn dijkstra(g: &Graph, source: usize, dist: &mut [f64]) {
    let mut heap = BinaryHeap::new();
    dist.fill(f64::INFINITY);
    dist[source] = 0.0;
    heap.push(Entry {
        dist: 0.0,
        node: source,
    });
    while let Some(Entry { dist: d, node: u }) = heap.pop() {
        if d > dist[u] {
            continue;
        }
        for (v, w) in g.neighbours(u) {
            let nd = d + w;
            if nd < dist[v] {
                dist[v] = nd;
                heap.push(Entry { dist: nd, node: v });
            }
        }
    }
}

/// Connected components: `labels[i]` is the component of node i (numbered in order of their
/// smallest node), and `sizes[c]` the size of component c.
pub fn connected_components(g: &Graph) -> (Vec<usize>, Vec<usize>) {
    let n = g.n_nodes();
    let mut labels = vec![usize::MAX; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for s in 0..n {
        if labels[s] != usize::MAX {
            continue;
        }
        let c = sizes.len();
        let mut size = 0;
        labels[s] = c;
        stack.push(s);
        while let Some(u) = stack.pop() {
            size += 1;
            for (v, _) in g.neighbours(u) {
                if labels[v] == usize::MAX {
                    labels[v] = c;
                    stack.push(v);
                }
            }
        }
        sizes.push(size);
    }
    (labels, sizes)
}

/// The N x N matrix of geodesic (shortest-path) distances, one Dijkstra per source, parallel
/// over sources. Exactly symmetric: the mean of the two directions is taken, so rounding
/// differences between paths summed in opposite orders do not leave an asymmetry.
///
/// # Errors
/// [`DimredError::DisconnectedGraph`] with the component sizes, largest first, when some
/// pair of nodes has no path; `neighbourhood` describes the graph for the message.
pub fn geodesic_distances(g: &Graph, neighbourhood: &str) -> Result<Matrix> {
    geodesic_distances_observed(g, neighbourhood, &mut Silent)
}

/// What the geodesic step reports after each block of sources: `done` of the `total` rows of
/// the geodesic matrix are finished (the rows are computed in blocks of [`GEODESIC_BLOCK`],
/// each block in parallel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeodesicRows {
    /// Rows finished so far.
    pub done: usize,
    /// N, the number of rows.
    pub total: usize,
}

/// Sources per block of [`geodesic_distances_observed`]: large enough that the pause between
/// blocks (threads joining) is a small part of a block's Dijkstra runs, small enough for a
/// progress display to move.
pub const GEODESIC_BLOCK: usize = 64;

/// [`geodesic_distances`] watched by an [`Observer`]: one [`GeodesicRows`] after every block
/// of [`GEODESIC_BLOCK`] sources.
///
/// # Errors
/// As [`geodesic_distances`], and `Stopped` (naming the rows done) when the observer breaks.
pub fn geodesic_distances_observed(
    g: &Graph,
    neighbourhood: &str,
    observer: &mut impl Observer<GeodesicRows>,
) -> Result<Matrix> {
    let (_, mut sizes) = connected_components(g);
    if sizes.len() > 1 {
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        return Err(DimredError::DisconnectedGraph {
            component_sizes: sizes,
            neighbourhood: neighbourhood.to_string(),
        });
    }
    let n = g.n_nodes();
    let mut d = Matrix::zeros(n, n);
    for (b, block) in d
        .as_mut_slice()
        .chunks_mut(GEODESIC_BLOCK * n.max(1))
        .enumerate()
    {
        let first = b * GEODESIC_BLOCK;
        for_each_row(block, n, |i, row| dijkstra(g, first + i, row));
        let done = (first + GEODESIC_BLOCK).min(n);
        if observer
            .observe(&GeodesicRows { done, total: n })
            .is_break()
        {
            return Err(DimredError::Stopped {
                method: "geodesic distances",
                iteration: done,
            });
        }
    }
    d.symmetrize();
    Ok(d)
}
