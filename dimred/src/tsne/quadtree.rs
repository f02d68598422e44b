//! The quadtree behind the Barnes–Hut gradient of t-SNE: every cell knows its centre of mass
//! and its number of points, so a cell that looks small from y_i (side < θ · distance) can
//! stand in for all its points in the repulsive sum. The walk is done once per group of
//! neighbouring points ([`QuadTree::repulsion`]), on all cores.

use crate::parallel::for_each_block;
use linalg::Matrix;

/// Leaves hold at most this many points; inside a leaf the sums are exact.
const LEAF_SIZE: usize = 4;
/// Below this depth a cell's side is 2^-48 of the root's: its points are equal to working
/// precision (duplicates), so it stays a leaf however many points it holds.
const MAX_DEPTH: usize = 48;
/// Points per group sharing one interaction list (see [`QuadTree::repulsion`]).
const GROUP_SIZE: usize = 16;

/// One cell of the quadtree.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    /// Centre of mass of the points in the cell.
    com: [f64; 2],
    /// Number of points.
    count: f64,
    /// Side length of the (square) cell.
    side: f64,
    /// Children are nodes first_child..first_child + n_children; none for a leaf.
    first_child: u32,
    n_children: u32,
    /// The cell's points are perm[start..end].
    start: u32,
    end: u32,
}

/// A 2-D quadtree over the rows of an N x 2 embedding, nodes in one vector (children of a node
/// contiguous), points permuted so that every cell's points are one slice.
pub(super) struct QuadTree {
    nodes: Vec<Node>,
    perm: Vec<u32>,
    pts: Vec<[f64; 2]>,
    /// The points in tree order: `sorted[t] = pts[perm[t]]`.
    sorted: Vec<[f64; 2]>,
}

impl QuadTree {
    pub(super) fn new(y: &Matrix) -> QuadTree {
        let pts: Vec<[f64; 2]> = y.as_slice().chunks_exact(2).map(|c| [c[0], c[1]]).collect();
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for p in &pts {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let side = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(f64::MIN_POSITIVE) * (1.0 + 1e-12);
        let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
        let mut t = QuadTree {
            nodes: vec![Node::default()],
            perm: (0..pts.len() as u32).collect(),
            pts,
            sorted: Vec::new(),
        };
        let mut scratch = vec![0u32; t.perm.len()];
        t.build(0, 0, t.perm.len(), centre, side, 0, &mut scratch);
        t.sorted = t.perm.iter().map(|&j| t.pts[j as usize]).collect();
        t
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        id: usize,
        start: usize,
        end: usize,
        centre: [f64; 2],
        side: f64,
        depth: usize,
        scratch: &mut [u32],
    ) {
        let count = end - start;
        let mut com = [0.0; 2];
        for &j in &self.perm[start..end] {
            let p = self.pts[j as usize];
            com[0] += p[0];
            com[1] += p[1];
        }
        com[0] /= count as f64;
        com[1] /= count as f64;
        self.nodes[id] = Node {
            com,
            count: count as f64,
            side,
            first_child: 0,
            n_children: 0,
            start: start as u32,
            end: end as u32,
        };
        if count <= LEAF_SIZE || depth >= MAX_DEPTH {
            return;
        }
        // Counting sort of the cell's points into quadrants q = [x ≥ cx] + 2 [y ≥ cy].
        let quadrant =
            |p: [f64; 2]| (p[0] >= centre[0]) as usize + 2 * (p[1] >= centre[1]) as usize;
        let mut counts = [0usize; 4];
        for &j in &self.perm[start..end] {
            counts[quadrant(self.pts[j as usize])] += 1;
        }
        let mut pos = [0usize; 4];
        for q in 1..4 {
            pos[q] = pos[q - 1] + counts[q - 1];
        }
        let bounds = pos;
        for &j in &self.perm[start..end] {
            let q = quadrant(self.pts[j as usize]);
            scratch[start + pos[q]] = j;
            pos[q] += 1;
        }
        self.perm[start..end].copy_from_slice(&scratch[start..end]);
        let first = self.nodes.len();
        let mut nonempty = [0usize; 4];
        let mut m = 0;
        for q in 0..4 {
            if counts[q] > 0 {
                nonempty[m] = q;
                m += 1;
            }
        }
        self.nodes.resize(first + m, Node::default());
        self.nodes[id].first_child = first as u32;
        self.nodes[id].n_children = m as u32;
        let h = 0.25 * side;
        for (c, &q) in nonempty[..m].iter().enumerate() {
            let child_centre = [
                centre[0] + if q & 1 == 1 { h } else { -h },
                centre[1] + if q & 2 == 2 { h } else { -h },
            ];
            let s = start + bounds[q];
            self.build(
                first + c,
                s,
                s + counts[q],
                child_centre,
                0.5 * side,
                depth + 1,
                scratch,
            );
        }
    }

    /// The groups of the traversal: the largest cells with at most `max_points` points (or
    /// leaves), as ranges of tree positions; in depth-first order they cover 0..N in turn.
    fn groups(&self, max_points: usize) -> Vec<(usize, usize)> {
        let mut groups = Vec::new();
        let mut stack = vec![0u32];
        while let Some(id) = stack.pop() {
            let nd = &self.nodes[id as usize];
            if nd.end - nd.start <= max_points as u32 || nd.n_children == 0 {
                groups.push((nd.start as usize, nd.end as usize));
            } else {
                // Reversed, so that the first child is popped first: positions ascend.
                stack.extend((nd.first_child..nd.first_child + nd.n_children).rev());
            }
        }
        groups
    }

    /// The cells and points that stand in for all N points as seen from anywhere in the box
    /// `lo..hi` (`dr.tsne.gradient`): a cell of side s whose centre of mass is at distance r
    /// from the nearest point of the box is accepted when s < θ r, so it is accepted for every
    /// point of the box by the per-point rule too; a leaf that is not accepted gives its points.
    /// Each entry is (x, y, number of points).
    fn interaction_list(&self, lo: [f64; 2], hi: [f64; 2], theta2: f64, list: &mut Vec<[f64; 3]>) {
        list.clear();
        // Depth ≤ 48 and at most 4 children pushed per level: 256 slots never overflow.
        let mut stack = [0u32; 256];
        let mut top = 1;
        while top > 0 {
            top -= 1;
            let nd = &self.nodes[stack[top] as usize];
            let dx = (lo[0] - nd.com[0]).max(nd.com[0] - hi[0]).max(0.0);
            let dy = (lo[1] - nd.com[1]).max(nd.com[1] - hi[1]).max(0.0);
            if nd.side * nd.side < theta2 * (dx * dx + dy * dy) {
                list.push([nd.com[0], nd.com[1], nd.count]);
            } else if nd.n_children == 0 {
                let leaf = &self.sorted[nd.start as usize..nd.end as usize];
                list.extend(leaf.iter().map(|p| [p[0], p[1], 1.0]));
            } else {
                for c in 0..nd.n_children {
                    stack[top] = nd.first_child + c;
                    top += 1;
                }
            }
        }
    }

    /// Barnes–Hut repulsion on every point, `threads` threads: row i of `out` (N x 3, original
    /// order) gets (Σ_j w_ij^2 (y_i - y_j), Σ_{j≠i} w_ij) with far cells summarised.
    ///
    /// Groups of at most [`GROUP_SIZE`] nearby points share one interaction list (Barnes 1990),
    /// so the branchy tree walk is paid once per group and the per-point work is a plain loop.
    /// Each group's rows depend only on the tree and the group, so the result is the same, bit
    /// for bit, for any number of threads.
    pub(super) fn repulsion(&self, theta2: f64, threads: usize, out: &mut [f64]) {
        let groups = self.groups(GROUP_SIZE);
        let lens: Vec<usize> = groups.iter().map(|g| 3 * (g.1 - g.0)).collect();
        let mut by_position = vec![0.0; 3 * self.sorted.len()];
        for_each_block(&mut by_position, &lens, threads, |b, rows| {
            let pts = &self.sorted[groups[b].0..groups[b].1];
            let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
            for p in pts {
                for k in 0..2 {
                    lo[k] = lo[k].min(p[k]);
                    hi[k] = hi[k].max(p[k]);
                }
            }
            let mut list = Vec::with_capacity(1024);
            self.interaction_list(lo, hi, theta2, &mut list);
            for (p, row) in pts.iter().zip(rows.chunks_exact_mut(3)) {
                let (rx, ry, z) = sum_over_list(*p, &list);
                // The list holds the point itself (d = 0): no force, w = 1 in z, removed here.
                row.copy_from_slice(&[rx, ry, z - 1.0]);
            }
        });
        for (t, &j) in self.perm.iter().enumerate() {
            out[3 * j as usize..3 * j as usize + 3].copy_from_slice(&by_position[3 * t..3 * t + 3]);
        }
    }
}

/// Σ m w^2 (y - c) and Σ m w over the entries (c, m) of an interaction list, w = 1 / (1 + ||y -
/// c||^2): the hot loop of Barnes–Hut, two entries per step with separate sums, so that the
/// divisions and sums fill both halves of a vector register.
fn sum_over_list(y: [f64; 2], list: &[[f64; 3]]) -> (f64, f64, f64) {
    let (mut za, mut zb, mut rxa, mut rxb, mut rya, mut ryb) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let pairs = list.chunks_exact(2);
    let rest = pairs.remainder();
    for c in pairs {
        let (dxa, dya) = (y[0] - c[0][0], y[1] - c[0][1]);
        let (dxb, dyb) = (y[0] - c[1][0], y[1] - c[1][1]);
        let wa = 1.0 / (1.0 + dxa * dxa + dya * dya);
        let wb = 1.0 / (1.0 + dxb * dxb + dyb * dyb);
        let (ma, mb) = (c[0][2] * wa, c[1][2] * wb);
        za += ma;
        zb += mb;
        rxa += ma * wa * dxa;
        rxb += mb * wb * dxb;
        rya += ma * wa * dya;
        ryb += mb * wb * dyb;
    }
    for c in rest {
        let (dx, dy) = (y[0] - c[0], y[1] - c[1]);
        let w = 1.0 / (1.0 + dx * dx + dy * dy);
        let m = c[2] * w;
        za += m;
        rxa += m * w * dx;
        rya += m * w * dy;
    }
    (rxa + rxb, rya + ryb, za + zb)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three clusters of different density, as t-SNE's embeddings look after a while.
    fn clustered(n: usize) -> Matrix {
        let g = Matrix::random_normal(n, 2, 5);
        Matrix::from_fn(n, 2, |i, k| {
            let (centre, spread) = [(0.0, 1.0), (12.0, 3.0), (-9.0, 0.2)][i % 3];
            centre + spread * g[(i, k)]
        })
    }

    /// The grouped traversal gives the same bits on one thread and on several: each group's
    /// rows are computed from the tree alone, whichever thread claims it.
    #[test]
    fn repulsion_is_bit_identical_for_any_number_of_threads() {
        let y = clustered(3001);
        let t = QuadTree::new(&y);
        let mut one = vec![0.0; 3 * 3001];
        t.repulsion(0.25, 1, &mut one);
        for threads in [2, 3, 8] {
            let mut many = vec![0.0; 3 * 3001];
            t.repulsion(0.25, threads, &mut many);
            let same = one
                .iter()
                .zip(&many)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{threads} threads differ from one");
        }
    }

    /// θ = 0 accepts no cell, so every pair is summed exactly: the result equals the direct
    /// double sum to rounding (N terms of size ≤ 1, so N ε relative to the largest sum).
    #[test]
    fn repulsion_with_theta_zero_is_exact() {
        let n = 700;
        let y = clustered(n);
        let mut got = vec![0.0; 3 * n];
        QuadTree::new(&y).repulsion(0.0, 2, &mut got);
        let mut worst: f64 = 0.0;
        for i in 0..n {
            let mut want = [0.0; 3];
            for j in (0..n).filter(|&j| j != i) {
                let (dx, dy) = (y[(i, 0)] - y[(j, 0)], y[(i, 1)] - y[(j, 1)]);
                let w = 1.0 / (1.0 + dx * dx + dy * dy);
                want[0] += w * w * dx;
                want[1] += w * w * dy;
                want[2] += w;
            }
            for k in 0..3 {
                worst = worst.max((got[3 * i + k] - want[k]).abs() / want[2].max(1.0));
            }
        }
        assert!(worst < 4.0 * n as f64 * f64::EPSILON, "θ = 0: {worst:e}");
    }
}
