//! Exact k nearest neighbours by a vantage-point tree (Yianilos 1993), the search behind the
//! sparse P of t-SNE at large N (van der Maaten 2014).
//!
//! A node holds a *vantage point* v and the radius μ = the median distance from v to the other
//! points of the node; the points with ||x - v|| ≤ μ go to the inner child, the others to the
//! outer child. The triangle inequality bounds the distance from a query q to every point x of
//! a child without looking at x:
//!
//! - inner child (||x - v|| ≤ μ):  ||q - x|| ≥ ||q - v|| - μ,
//! - outer child (||x - v|| ≥ μ):  ||q - x|| ≥ μ - ||q - v||.
//!
//! The search keeps the k best candidates so far; τ, the distance of the k-th, can only shrink.
//! A child whose bound exceeds τ cannot hold a better point and is skipped. The child on q's
//! side of the sphere is searched first, so τ is small by the time the other is considered.
//! Building costs O(N log N) distances; a query costs O(log N) nodes when the intrinsic
//! dimension is low and degrades towards N in high dimension, where every distance is close to
//! every other and the bounds prune little (hence [`VP_TREE_MAX_DIM`]).
//!
//! Exactness, ties included: candidates are ordered by (squared distance, index), the order of
//! the brute-force search, and a child is skipped only when its bound exceeds τ by more than
//! the rounding of the computed distances, so the tree returns the same k neighbours, bit for
//! bit, as sorting all N - 1 distances (property-tested in `dimred/tests/vantage_point_tree.rs`).

use linalg::{sq_dist, Matrix};
use rand::Rng;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Above this many features [`crate::sne::affinities`] searches by brute force (scikit-learn's
/// rule for its trees): the pruning bounds ||q - v|| - μ lose their force as distances
/// concentrate in high dimension.
pub const VP_TREE_MAX_DIM: usize = 15;

/// Nodes with at most this many points are leaves, scanned point by point.
const LEAF_SIZE: usize = 8;

/// Relative slack of a pruning test. Each computed distance has a relative error of at most
/// about (D + 3) ε (D squared differences summed, then a square root); the triangle-inequality
/// bounds combine three of them, so a slack of 1e-9 times their sum covers D up to about 10^6
/// and costs nothing measurable. Without it a point exactly at distance τ could be skipped by
/// one rounding and a tie broken differently from the brute-force search.
const PRUNE_SLACK: f64 = 1e-9;

/// One neighbour candidate: ordered by squared distance, then by index (the brute-force order,
/// so ties are broken the same way).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    /// ||x_i - x_j||^2, computed by [`linalg::sq_dist`] as the brute-force search does.
    pub sq_dist: f64,
    /// j, the row of the neighbour.
    pub index: usize,
}

impl Eq for Neighbour {}

impl Ord for Neighbour {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sq_dist
            .total_cmp(&other.sq_dist)
            .then(self.index.cmp(&other.index))
    }
}

impl PartialOrd for Neighbour {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A vantage-point tree over the rows of a matrix, in one array: the node covering
/// `items[lo..hi]` has its vantage point at `items[lo]`, its radius at `radius[lo]`, its inner
/// child on `items[lo + 1..mid]` and its outer child on `items[mid..hi]`, with mid the median
/// position (see [`VantagePointTree::mid`]).
#[derive(Debug, Clone)]
pub struct VantagePointTree<'a> {
    x: &'a Matrix,
    items: Vec<usize>,
    radius: Vec<f64>,
}

impl<'a> VantagePointTree<'a> {
    /// Build the tree over the rows of `x` (vantage points drawn from a fixed seed, so the tree
    /// is the same on every run; the neighbours found do not depend on it at all).
    pub fn new(x: &'a Matrix) -> Self {
        let n = x.nrows();
        let mut t = VantagePointTree {
            x,
            items: (0..n).collect(),
            radius: vec![0.0; n],
        };
        let mut r = linalg::rng(0);
        let mut dist = vec![0.0; n];
        t.build(0, n, &mut r, &mut dist);
        t
    }

    /// The first position of the outer child of the node on `lo..hi`.
    fn mid(lo: usize, hi: usize) -> usize {
        lo + 1 + (hi - lo - 1) / 2
    }

    /// Pick a vantage point for `items[lo..hi]`, split the rest at the median distance to it
    /// and recurse on both halves.
    fn build(&mut self, lo: usize, hi: usize, r: &mut impl Rng, dist: &mut [f64]) {
        if hi - lo <= LEAF_SIZE {
            return;
        }
        let v = r.random_range(lo..hi);
        self.items.swap(lo, v);
        let xv = self.x.row(self.items[lo]);
        for &j in &self.items[lo + 1..hi] {
            dist[j] = sq_dist(xv, self.x.row(j)).sqrt();
        }
        let mid = Self::mid(lo, hi);
        self.items[lo + 1..hi]
            .select_nth_unstable_by(mid - lo - 1, |&a, &b| dist[a].total_cmp(&dist[b]));
        self.radius[lo] = dist[self.items[mid]];
        self.build(lo + 1, mid, r, dist);
        self.build(mid, hi, r, dist);
    }

    /// The k nearest rows to row `i` (i itself excluded), nearest first, ties by index: the
    /// first k of all (||x_i - x_j||^2, j), j ≠ i, sorted.
    ///
    /// # Panics
    /// If i is not a row or k > N - 1.
    #[track_caller]
    pub fn nearest(&self, i: usize, k: usize) -> Vec<Neighbour> {
        let n = self.x.nrows();
        assert!(
            i < n && k < n,
            "VantagePointTree::nearest: row {i} and k = {k} for N = {n} (need i < N, k ≤ N - 1)"
        );
        let mut best = BinaryHeap::with_capacity(k + 1);
        if k > 0 {
            self.search(0, n, self.x.row(i), i, k, &mut best);
        }
        best.into_sorted_vec()
    }

    /// Visit the node on `items[lo..hi]` for the query `q` (row `skip`), keeping the k best in
    /// the max-heap `best`.
    fn search(
        &self,
        lo: usize,
        hi: usize,
        q: &[f64],
        skip: usize,
        k: usize,
        best: &mut BinaryHeap<Neighbour>,
    ) {
        if hi - lo <= LEAF_SIZE {
            for &j in &self.items[lo..hi] {
                self.offer(q, j, skip, k, best);
            }
            return;
        }
        let v = self.items[lo];
        let d_qv = self.offer(q, v, skip, k, best).sqrt();
        let mu = self.radius[lo];
        let mid = Self::mid(lo, hi);
        // τ: the distance of the k-th best so far (∞ until there are k).
        let tau = |best: &BinaryHeap<Neighbour>| match best.peek() {
            Some(w) if best.len() == k => w.sq_dist.sqrt(),
            _ => f64::INFINITY,
        };
        let may_hold = |bound: f64, tau: f64| bound <= tau + PRUNE_SLACK * (d_qv + mu + tau);
        if d_qv <= mu {
            self.search(lo + 1, mid, q, skip, k, best);
            if may_hold(mu - d_qv, tau(best)) {
                self.search(mid, hi, q, skip, k, best);
            }
        } else {
            self.search(mid, hi, q, skip, k, best);
            if may_hold(d_qv - mu, tau(best)) {
                self.search(lo + 1, mid, q, skip, k, best);
            }
        }
    }

    /// Offer row j as a candidate (unless it is the query's own row); returns ||q - x_j||^2.
    fn offer(
        &self,
        q: &[f64],
        j: usize,
        skip: usize,
        k: usize,
        best: &mut BinaryHeap<Neighbour>,
    ) -> f64 {
        let c = Neighbour {
            sq_dist: sq_dist(q, self.x.row(j)),
            index: j,
        };
        if j != skip && (best.len() < k || c < *best.peek().expect("k ≥ 1 entries")) {
            best.push(c);
            if best.len() > k {
                best.pop();
            }
        }
        c.sq_dist
    }
}
