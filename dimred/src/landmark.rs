//! Landmark Isomap (de Silva and Tenenbaum, 2003): Isomap without the N x N matrices.
//!
//! Exact Isomap needs every geodesic distance (N Dijkstra runs, an N x N matrix: 3.2 GB at
//! N = 20 000) and an eigenproblem of order N. Landmark Isomap keeps n ≪ N of the points as
//! *landmarks* and works with the n x N distances from them:
//!
//! 1. The neighbour graph of all N points, as in Isomap ([`crate::graph`]).
//! 2. Landmarks: n points by farthest-point sampling in the data space (deterministic, and
//!    spread over the whole manifold, which random choice is not).
//! 3. Geodesic distances from each landmark to every point: n Dijkstra runs, n x N numbers.
//! 4. Classical MDS on the n x n landmark-to-landmark block: B_L = −½ J Δ²_L J, top-d
//!    eigenpairs, landmark coordinates V Λ^{1/2} ([`crate::mds`]).
//! 5. Every point, landmark or not, is placed by Gower's out-of-sample formula from its
//!    squared geodesic distances to the landmarks,
//!    y_k = (1/2√λ_k) Σ_l v_lk (ā_l − δ²_l)   ([`MdsFit::transform_squared_distances`]).
//! 6. Axes: the coordinates are centred and rotated onto their principal axes (PCA of the
//!    N x d embedding), de Silva and Tenenbaum's last step, so that, as in Isomap, the first
//!    column carries the most variance and the mean is zero.
//!
//! Cost: O(n N log N · k) for the Dijkstra runs, O(n²) memory for the eigenproblem and O(nN)
//! for the distances, against O(N² log N · k) time and O(N²) memory for exact Isomap.
//!
//! Exactness: when every point is a landmark, step 5 applied to a training point returns its
//! classical-MDS coordinates, so landmark Isomap *is* Isomap (a test checks it). With fewer
//! landmarks the embedding is the exact Isomap of the landmarks, with the other points
//! triangulated from their distances to them; when the geodesic distances are Euclidean in d
//! dimensions (a flat manifold, densely sampled) and the landmarks span those d dimensions,
//! triangulation is exact too, so the error comes only from the curvature and noise that
//! make the geodesics non-Euclidean.

use crate::error::{DimredError, Result};
use crate::graph::{connected_components, dijkstra};
use crate::isomap::{Isomap, Neighbourhood};
use crate::mds::{ClassicalMds, MdsFit};
use crate::parallel::for_each_row;
use crate::pca::Pca;
use crate::sketchmap::farthest_point_sampling;
use linalg::Matrix;

/// Landmark Isomap (`dr.isomap.geodesic` at scale) into `n_components` dimensions with
/// `n_landmarks` landmarks.
///
/// ```
/// use dimred::isomap::Neighbourhood;
/// use dimred::landmark::LandmarkIsomap;
/// let roll = dimred::data::swiss_roll(2000, 0.0, 3);
/// let fit = LandmarkIsomap::new(Neighbourhood::Knn(10), 2, 200).fit(&roll.x).unwrap();
/// let t = roll.parameter.as_ref().unwrap();
/// let rho = dimred::quality::spearman(&fit.embedding.col(0), t).unwrap();
/// assert!(rho.abs() > 0.99); // unrolled, from 200 landmarks
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LandmarkIsomap {
    /// The neighbour graph of all points.
    pub neighbourhood: Neighbourhood,
    /// Embedding dimension d.
    pub n_components: usize,
    /// Number of landmarks n, d < n ≤ N (n = N is exact Isomap).
    pub n_landmarks: usize,
}

/// A fitted landmark Isomap.
#[derive(Debug, Clone, PartialEq)]
pub struct LandmarkIsomapFit {
    /// N x d embedding of all points.
    pub embedding: Matrix,
    /// The landmarks' row indices, in the order they were chosen.
    pub landmarks: Vec<usize>,
    /// Classical MDS of the landmarks' geodesic distances (eigenvalues, ā, their coordinates).
    pub mds: MdsFit,
    /// Number of undirected edges in the neighbour graph.
    pub n_edges: usize,
}

impl LandmarkIsomap {
    /// Landmark Isomap with the given graph, dimension and number of landmarks.
    pub fn new(neighbourhood: Neighbourhood, n_components: usize, n_landmarks: usize) -> Self {
        LandmarkIsomap {
            neighbourhood,
            n_components,
            n_landmarks,
        }
    }

    /// Fit on N x D data: the steps of the module documentation, in order.
    ///
    /// # Errors
    /// `InvalidArgument` unless d < n_landmarks ≤ N, or for a bad k or ε;
    /// [`DimredError::DisconnectedGraph`] when the graph falls apart; `Linalg` for non-finite
    /// data or no convergence.
    pub fn fit(&self, x: &Matrix) -> Result<LandmarkIsomapFit> {
        if let Some((at, value)) = x.find_non_finite() {
            return Err(linalg::LinalgError::NonFinite { at, value }.into());
        }
        let (n, l, d) = (x.nrows(), self.n_landmarks, self.n_components);
        if d == 0 || l <= d || l > n {
            return Err(DimredError::InvalidArgument(format!(
                "landmark Isomap: need 1 ≤ n_components < n_landmarks ≤ N, got \
                 n_components = {d}, n_landmarks = {l}, N = {n}"
            )));
        }
        let graph = Isomap::new(self.neighbourhood, d).graph(x)?;
        let (_, mut sizes) = connected_components(&graph);
        if sizes.len() > 1 {
            sizes.sort_unstable_by(|a, b| b.cmp(a));
            return Err(DimredError::DisconnectedGraph {
                component_sizes: sizes,
                neighbourhood: self.neighbourhood.to_string(),
            });
        }
        let landmarks = if l == n {
            (0..n).collect()
        } else {
            farthest_point_sampling(x, l).0
        };
        // Squared geodesic distances from each landmark (rows) to every point (columns).
        let mut to_all = Matrix::zeros(l, n);
        for_each_row(to_all.as_mut_slice(), n, |r, row| {
            dijkstra(&graph, landmarks[r], row);
            row.iter_mut().for_each(|v| *v *= *v);
        });
        // The landmark block, symmetrised: paths summed in opposite orders round differently.
        let mut block = Matrix::from_fn(l, l, |a, b| to_all[(a, landmarks[b])]);
        block.symmetrize();
        // No second Lanczos run for negative eigenvalues: a geodesic B_L's negative end is
        // clustered and slow to resolve (see `Isomap::n_negative`).
        let mds = ClassicalMds {
            n_negative: 0,
            ..ClassicalMds::new(d)
        }
        .fit_squared_distances(&block)?;
        let placed = mds.transform_squared_distances(&to_all.transpose());
        let (_, embedding) = Pca::new(d).fit_transform(&placed)?;
        Ok(LandmarkIsomapFit {
            embedding,
            landmarks,
            mds,
            n_edges: graph.n_edges(),
        })
    }
}
