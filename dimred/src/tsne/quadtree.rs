//! The quadtree behind the Barnes–Hut gradient of t-SNE: every cell knows its centre of mass
//! and its number of points, so a cell that looks small from y_i (side < θ · distance) can
//! stand in for all its points in the repulsive sum.

use linalg::Matrix;

/// Leaves hold at most this many points; inside a leaf the sums are exact.
const LEAF_SIZE: usize = 4;
/// Below this depth a cell's side is 2^-48 of the root's: its points are equal to working
/// precision (duplicates), so it stays a leaf however many points it holds.
const MAX_DEPTH: usize = 48;

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
        };
        let mut scratch = vec![0u32; t.perm.len()];
        t.build(0, 0, t.perm.len(), centre, side, 0, &mut scratch);
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

    /// Barnes–Hut repulsion on point i at `yi`: adds Σ w^2 (y_i - y_c) over the accepted cells
    /// (times their counts) into `rep`; returns the approximate Σ_{j≠i} w_ij.
    pub(super) fn repulsion(&self, i: usize, yi: [f64; 2], theta2: f64, rep: &mut [f64]) -> f64 {
        // Depth ≤ 48 and at most 4 children pushed per level: 256 slots never overflow.
        let mut stack = [0u32; 256];
        let mut top = 1;
        let (mut z, mut rx, mut ry) = (0.0, 0.0, 0.0);
        while top > 0 {
            top -= 1;
            let nd = &self.nodes[stack[top] as usize];
            if nd.n_children == 0 {
                for &j in &self.perm[nd.start as usize..nd.end as usize] {
                    if j as usize == i {
                        continue;
                    }
                    let p = self.pts[j as usize];
                    let (dx, dy) = (yi[0] - p[0], yi[1] - p[1]);
                    let w = 1.0 / (1.0 + dx * dx + dy * dy);
                    z += w;
                    rx += w * w * dx;
                    ry += w * w * dy;
                }
                continue;
            }
            let (dx, dy) = (yi[0] - nd.com[0], yi[1] - nd.com[1]);
            let d2 = dx * dx + dy * dy;
            if nd.side * nd.side < theta2 * d2 {
                let w = 1.0 / (1.0 + d2);
                let m = nd.count * w;
                z += m;
                rx += m * w * dx;
                ry += m * w * dy;
            } else {
                for c in 0..nd.n_children {
                    stack[top] = nd.first_child + c;
                    top += 1;
                }
            }
        }
        rep[0] = rx;
        rep[1] = ry;
        z
    }
}
