//! Isomap (`dr.isomap.geodesic`): classical MDS on geodesic instead of straight-line
//! distances.
//!
//! 1. Neighbour graph: k nearest neighbours (or all points within ε), edges weighted by their
//!    Euclidean length, symmetrised ([`crate::graph`]).
//! 2. Geodesic distances: shortest paths in the graph (Dijkstra from every point).
//! 3. Classical MDS on them: B = -½ J G² J, Y = V_d Λ_d^{1/2} ([`crate::mds`]).
//!
//! On a densely sampled manifold isometric to a convex region of R^d, graph distances approach
//! the intrinsic ones, so the swiss roll comes out unrolled. On the complete graph of Euclidean
//! data the shortest path between two points is the straight edge, and Isomap *is* classical
//! MDS. A disconnected graph has infinite geodesics; it is an error naming the components
//! (scikit-learn once let them become 0 in silence, #14010).

use crate::error::{DimredError, Result};
use crate::graph::{
    epsilon_graph, geodesic_distances, geodesic_distances_observed, knn_graph, GeodesicRows, Graph,
};
use crate::mds::{ClassicalMds, MdsFit};
use crate::spectral::EigenSolver;
use linalg::observe::{Observer, Silent};
use linalg::Matrix;

/// How the neighbour graph is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Neighbourhood {
    /// Each point linked to its k nearest neighbours (then symmetrised).
    Knn(usize),
    /// Every two points at distance ≤ ε linked.
    Epsilon(f64),
}

impl std::fmt::Display for Neighbourhood {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Neighbourhood::Knn(k) => write!(f, "k = {k} nearest neighbours"),
            Neighbourhood::Epsilon(e) => write!(f, "ε = {e}"),
        }
    }
}

/// Isomap into `n_components` dimensions.
///
/// ```
/// use dimred::isomap::{Isomap, Neighbourhood};
/// let roll = dimred::data::swiss_roll(1000, 0.0, 3);
/// let fit = Isomap::new(Neighbourhood::Knn(10), 2).fit(&roll.x).unwrap();
/// let rho = dimred::quality::spearman(&fit.embedding.col(0), roll.parameter.as_ref().unwrap()).unwrap();
/// assert!(rho.abs() > 0.99); // unrolled: coordinate 1 follows the roll's angle
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Isomap {
    /// The neighbour graph.
    pub neighbourhood: Neighbourhood,
    /// Embedding dimension d.
    pub n_components: usize,
    /// Dense Jacobi, Lanczos top-k, or automatic by size.
    pub solver: EigenSolver,
    /// Top-k path: how many of the most negative eigenvalues of B to compute (geodesic
    /// distances are rarely exactly Euclidean), by a second Lanczos run on -B. Default 0: the
    /// negative end of a geodesic B is clustered, so that run converges slowly (at N = 5000 it
    /// took longer than the top pairs); the free trace check
    /// [`MdsFit::unresolved_trace`] still bounds what the embedding leaves out. The dense path
    /// (N ≤ [`crate::DENSE_MAX_N`] by default) always reports every negative eigenvalue.
    pub n_negative: usize,
}

/// A fitted Isomap.
#[derive(Debug, Clone, PartialEq)]
pub struct IsomapFit {
    /// N x d embedding.
    pub embedding: Matrix,
    /// The classical-MDS step on the geodesic distances: eigenvalues, negative eigenvalues.
    pub mds: MdsFit,
    /// Number of undirected edges in the neighbour graph.
    pub n_edges: usize,
}

impl Isomap {
    /// Isomap with the automatic solver choice.
    pub fn new(neighbourhood: Neighbourhood, n_components: usize) -> Self {
        Isomap {
            neighbourhood,
            n_components,
            solver: EigenSolver::Auto,
            n_negative: 0,
        }
    }

    /// The neighbour graph of `x`.
    ///
    /// # Errors
    /// `InvalidArgument` for k outside 1..N or ε ≤ 0.
    pub fn graph(&self, x: &Matrix) -> Result<Graph> {
        match self.neighbourhood {
            Neighbourhood::Knn(k) => knn_graph(x, k),
            Neighbourhood::Epsilon(e) => epsilon_graph(x, e),
        }
    }

    /// The N x N geodesic distance matrix of `x`.
    ///
    /// # Errors
    /// As [`Isomap::fit`], before the eigen step.
    pub fn geodesics(&self, x: &Matrix) -> Result<Matrix> {
        let g = self.graph(x)?;
        geodesic_distances(&g, &self.neighbourhood.to_string())
    }

    /// Fit on N x D data.
    ///
    /// # Errors
    /// [`DimredError::DisconnectedGraph`] naming the number and sizes of the components;
    /// `InvalidArgument` for bad k, ε or d; `Linalg` for non-finite data or no convergence.
    pub fn fit(&self, x: &Matrix) -> Result<IsomapFit> {
        self.fit_observed(x, &mut Silent)
    }

    /// [`Isomap::fit`] watched by an [`Observer`] during its long step, the N Dijkstra runs:
    /// one [`GeodesicRows`] after every block of sources.
    ///
    /// # Errors
    /// As [`Isomap::fit`], and `Stopped` when the observer breaks.
    pub fn fit_observed(
        &self,
        x: &Matrix,
        observer: &mut impl Observer<GeodesicRows>,
    ) -> Result<IsomapFit> {
        crate::error::check_finite(x)?;
        let n = x.nrows();
        if self.n_components == 0 || self.n_components > n {
            return Err(DimredError::InvalidArgument(format!(
                "Isomap: n_components = {} must be between 1 and N = {n}",
                self.n_components
            )));
        }
        let g = self.graph(x)?;
        let mut b = geodesic_distances_observed(&g, &self.neighbourhood.to_string(), observer)?;
        // B = -½ J G² J, built in place: one N x N matrix in memory, not three.
        for v in b.as_mut_slice() {
            *v = -0.5 * *v * *v;
        }
        crate::centering::double_center_in_place(&mut b);
        let mds = ClassicalMds {
            n_components: self.n_components,
            solver: self.solver,
            n_negative: self.n_negative,
        }
        .fit_gram(b, true)?;
        Ok(IsomapFit {
            embedding: mds.embedding.clone(),
            mds,
            n_edges: g.n_edges(),
        })
    }
}
