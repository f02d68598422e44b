//! Classical (Torgerson–Gower) multidimensional scaling (`dr.mds.classical`,
//! `dr.mds.euclidean`).
//!
//! Given squared distances Δ²_ij = ||x_i - x_j||^2, the Gram matrix of the centred points is
//! recovered by double centering: B = -½ J Δ² J with J = I - (1/N) 1 1^T. Its top-d eigenpairs
//! give the embedding Y = V_d Λ_d^{1/2}, which minimises the strain ||B - Y Y^T||_F over all
//! N x d matrices Y. For Euclidean input Y equals the PCA scores up to column signs, because
//! B = Xc Xc^T shares its non-zero eigenvalues (times N - 1) with the covariance.
//!
//! Squared or not: the classic mix-up. [`ClassicalMds::fit_distances`] takes plain distances
//! Δ and squares them; [`ClassicalMds::fit_squared_distances`] takes Δ² as it is. Passing
//! one for the other gives a wrong embedding without any error, hence two names.
//!
//! Non-Euclidean input: B is positive semidefinite exactly when Δ is a Euclidean distance
//! matrix. Otherwise B has negative eigenvalues; they are returned in
//! [`MdsFit::negative_eigenvalues`], never clipped away in silence.

use crate::centering::double_center_in_place;
use crate::error::{DimredError, Result};
use crate::spectral::{self, EigenSolver};
use linalg::Matrix;

/// Classical MDS into `n_components` dimensions.
///
/// ```
/// use dimred::mds::ClassicalMds;
/// use linalg::Matrix;
/// // Three points on a line at 0, 1, 3: the 1-D embedding recovers the gaps.
/// let x = Matrix::from_rows(&[[0.0], [1.0], [3.0]]);
/// let delta = Matrix::from_fn(3, 3, |i, j| (x[(i, 0)] - x[(j, 0)]).abs());
/// let fit = ClassicalMds::new(1).fit_distances(&delta).unwrap();
/// let y = &fit.embedding;
/// assert!(((y[(2, 0)] - y[(1, 0)]).abs() - 2.0).abs() < 1e-12);
/// assert!(fit.negative_eigenvalues.is_empty()); // Euclidean input
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassicalMds {
    /// Embedding dimension d.
    pub n_components: usize,
    /// Dense Jacobi, Lanczos top-k, or automatic by size.
    pub solver: EigenSolver,
    /// Top-k path with distance input: how many of the most negative eigenvalues of B to
    /// compute (a second Lanczos run on -B). Default 5. The dense path finds all of them.
    pub n_negative: usize,
}

/// The result of classical MDS.
#[derive(Debug, Clone, PartialEq)]
pub struct MdsFit {
    /// N x d: Y = V_d Λ_d^{1/2}. A kept eigenvalue ≤ 0 has no real square root: its column
    /// is zero (and the eigenvalue is in `eigenvalues` for the caller to see), never NaN.
    pub embedding: Matrix,
    /// Eigenvalues of B, descending: all N of them on the dense path (so d can be chosen
    /// afterwards), the top d on the top-k path.
    pub eigenvalues: Vec<f64>,
    /// The eigenvalues of B below -tol, most negative first (`dr.mds.euclidean`), with
    /// tol = N ε max|λ| the rounding level. Dense path: all of them. Top-k path with distance
    /// input: those among the [`ClassicalMds::n_negative`] most negative eigenvalues. Point
    /// input: empty on the top-k path, because B = Xc Xc^T is positive semidefinite by
    /// construction (the dense path still lists any that rounding produces beyond tol).
    pub negative_eigenvalues: Vec<f64>,
    /// trace(B) = Σ of all N eigenvalues = (1/2N) Σ_ij Δ²_ij. With the top-k path,
    /// `trace - Σ eigenvalues - Σ negative_eigenvalues` is the mass of the eigenvalues not
    /// computed (see [`MdsFit::unresolved_trace`]).
    pub trace: f64,
    /// True when `eigenvalues` is the whole spectrum (dense path).
    pub spectrum_complete: bool,
    /// ā_i = (1/N) Σ_j Δ²_ij, the mean squared distance from training point i to all of
    /// them: the training statistic Gower's formula for new points needs
    /// ([`MdsFit::transform_squared_distances`]). Recovered from B as ā_i = B_ii + tr(B)/N,
    /// which holds for any symmetric Δ² with zero diagonal.
    pub mean_squared_distances: Vec<f64>,
}

impl MdsFit {
    /// Place new points into the embedding by Gower's formula (out of sample,
    /// `dr.mds.classical`): for a new point with squared distances δ²_i to the N training
    /// points, its coordinates are
    ///
    /// y_k = (1 / (2 √λ_k)) Σ_i v_ik (ā_i − δ²_i),    k = 1 … d,
    ///
    /// the row B_new = −½ (δ² − ā − δ̄ 1 + ā‥ 1) of the double-centred matrix the new point
    /// would add, projected on the eigenvectors and divided by √λ_k as the training rows are
    /// (Y = B V Λ^{-1/2} = V Λ^{1/2}). The constants δ̄ and ā‥ drop out because the kept
    /// eigenvectors are orthogonal to 1. A training point's own row of Δ² gives back its
    /// training coordinates; a kept eigenvalue ≤ 0 gives a zero coordinate, as in `embedding`.
    ///
    /// `squared_distances` is M x N: row m holds the squared distances from new point m to the
    /// training points, in training order.
    ///
    /// # Panics
    /// If `squared_distances` does not have N columns.
    #[track_caller]
    pub fn transform_squared_distances(&self, squared_distances: &Matrix) -> Matrix {
        let n = self.mean_squared_distances.len();
        assert_eq!(
            squared_distances.ncols(),
            n,
            "MdsFit::transform_squared_distances: {} distances per new point, {n} training points",
            squared_distances.ncols()
        );
        let d = self.embedding.ncols();
        // The training coordinates are Y = V Λ^{1/2}, so V Λ^{-1/2} = Y Λ^{-1}: column k of Y
        // divided by λ_k (zero where λ_k ≤ 0, matching the zero column of Y).
        let inv: Vec<f64> = self.eigenvalues[..d]
            .iter()
            .map(|&l| if l > 0.0 { 1.0 / l } else { 0.0 })
            .collect();
        let mut y = Matrix::zeros(squared_distances.nrows(), d);
        for m in 0..squared_distances.nrows() {
            let delta2 = squared_distances.row(m);
            for i in 0..n {
                let w = 0.5 * (self.mean_squared_distances[i] - delta2[i]);
                let yi = self.embedding.row(i);
                for k in 0..d {
                    y[(m, k)] += w * yi[k] * inv[k];
                }
            }
        }
        y
    }

    /// trace(B) minus every eigenvalue computed: about zero on the dense path; on the top-k
    /// path the sum of the eigenvalues between the top d and the most negative ones, a check
    /// on how much of B the embedding leaves out.
    pub fn unresolved_trace(&self) -> f64 {
        if self.spectrum_complete {
            return self.trace - self.eigenvalues.iter().sum::<f64>();
        }
        self.trace
            - self.eigenvalues.iter().sum::<f64>()
            - self.negative_eigenvalues.iter().sum::<f64>()
    }

    /// Σ |negative eigenvalues| / Σ positive eigenvalues among those computed: 0 for
    /// Euclidean distances, growing with the departure from Euclidean (`dr.mds.euclidean`).
    pub fn negative_ratio(&self) -> f64 {
        let pos: f64 = self.eigenvalues.iter().filter(|&&v| v > 0.0).sum();
        let neg: f64 = self.negative_eigenvalues.iter().map(|v| v.abs()).sum();
        if pos > 0.0 {
            neg / pos
        } else {
            f64::INFINITY
        }
    }
}

impl ClassicalMds {
    /// Classical MDS into `d` dimensions with the automatic solver choice.
    pub fn new(d: usize) -> Self {
        ClassicalMds {
            n_components: d,
            solver: EigenSolver::Auto,
            n_negative: 5,
        }
    }

    /// From plain (unsquared) distances Δ_ij (`dr.mds.classical`): squares them, then
    /// B = -½ J Δ² J.
    ///
    /// # Errors
    /// `InvalidArgument` if Δ is not square, has a negative or non-zero-diagonal entry, or d is
    /// not in 1..=N; `Linalg` for non-finite or asymmetric Δ or no convergence.
    pub fn fit_distances(&self, distances: &Matrix) -> Result<MdsFit> {
        check_distance_matrix(distances, "distances")?;
        let mut b = distances.map(|v| -0.5 * v * v);
        double_center_in_place(&mut b);
        self.fit_gram(b, true)
    }

    /// From squared distances Δ²_ij as they are (`dr.mds.classical`): B = -½ J Δ² J.
    ///
    /// # Errors
    /// As [`ClassicalMds::fit_distances`].
    pub fn fit_squared_distances(&self, squared_distances: &Matrix) -> Result<MdsFit> {
        check_distance_matrix(squared_distances, "squared distances")?;
        let mut b = squared_distances.scale(-0.5);
        double_center_in_place(&mut b);
        self.fit_gram(b, true)
    }

    /// From points (N x D, one per row), Euclidean distances implied: B = Xc Xc^T directly,
    /// which equals -½ J Δ² J exactly in exact arithmetic and avoids the cancellation of
    /// forming squared distances first.
    ///
    /// # Errors
    /// `InvalidArgument` if d is not in 1..=N; `Linalg` on non-finite data or no convergence.
    pub fn fit_points(&self, x: &Matrix) -> Result<MdsFit> {
        crate::error::check_finite(x)?;
        // Checked before centring: the column means of zero rows do not exist.
        self.check_n_components(x.nrows())?;
        let (xc, _) = x.center_columns();
        self.fit_gram(gram_symmetric(&xc), false)
    }

    /// d must lie in 1..=N (an embedding of N points has at most N coordinates).
    fn check_n_components(&self, n: usize) -> Result<()> {
        let d = self.n_components;
        if d == 0 || d > n {
            return Err(DimredError::InvalidArgument(format!(
                "classical MDS: n_components = {d} must be between 1 and N = {n}"
            )));
        }
        Ok(())
    }

    /// The eigen step on B (already double-centred), shared by every entry point and by Isomap.
    pub(crate) fn fit_gram(&self, b: Matrix, may_be_non_euclidean: bool) -> Result<MdsFit> {
        let n = b.nrows();
        let d = self.n_components;
        self.check_n_components(n)?;
        let trace = b.trace();
        let mean_squared_distances: Vec<f64> =
            (0..n).map(|i| b[(i, i)] + trace / n as f64).collect();
        let spec = spectral::top_eigenpairs(&b, d, self.solver)?;
        let abs_max = if spec.complete {
            spec.values
                .first()
                .map_or(0.0, |a| a.abs())
                .max(spec.values.last().map_or(0.0, |z| z.abs()))
        } else {
            spec.values.first().map_or(0.0, |a| a.abs())
        };
        let mut negative: Vec<f64> = if spec.complete {
            spec.values.iter().rev().copied().collect()
        } else if may_be_non_euclidean && self.n_negative > 0 {
            spectral::most_negative_eigenvalues(&b, self.n_negative)?
        } else {
            Vec::new()
        };
        let tol = n as f64 * f64::EPSILON * abs_max.max(negative.first().map_or(0.0, |v| v.abs()));
        negative.retain(|&v| v < -tol);
        let embedding = scale_columns_by_sqrt(&spec.vectors, &spec.values[..d]);
        Ok(MdsFit {
            embedding,
            eigenvalues: spec.values,
            negative_eigenvalues: negative,
            trace,
            spectrum_complete: spec.complete,
            mean_squared_distances,
        })
    }
}

/// Y = V diag(sqrt(max(λ, 0))): the embedding from eigenpairs, a zero column for λ ≤ 0.
pub(crate) fn scale_columns_by_sqrt(v: &Matrix, values: &[f64]) -> Matrix {
    let s: Vec<f64> = values.iter().map(|&l| l.max(0.0).sqrt()).collect();
    let mut y = v.clone();
    for row in y.as_mut_slice().chunks_exact_mut(s.len().max(1)) {
        row.iter_mut().zip(&s).for_each(|(a, b)| *a *= b);
    }
    y
}

/// X X^T evaluated on the upper triangle and mirrored: exactly symmetric, half the work.
pub(crate) fn gram_symmetric(x: &Matrix) -> Matrix {
    let n = x.nrows();
    let mut g = Matrix::zeros(n, n);
    for i in 0..n {
        let xi = x.row(i);
        for j in i..n {
            let v = linalg::dot(xi, x.row(j));
            g[(i, j)] = v;
            g[(j, i)] = v;
        }
    }
    g
}

/// A (squared) distance matrix must be square, finite, symmetric, non-negative, zero-diagonal.
fn check_distance_matrix(d: &Matrix, what: &str) -> Result<()> {
    if !d.is_square() {
        return Err(DimredError::InvalidArgument(format!(
            "classical MDS: the {what} matrix must be square, got {}x{}",
            d.nrows(),
            d.ncols()
        )));
    }
    linalg::check_symmetric(d, linalg::JacobiOptions::default().symmetry_tolerance)?;
    let scale = d.max_abs();
    for i in 0..d.nrows() {
        if d[(i, i)].abs() > f64::EPSILON * scale {
            return Err(DimredError::InvalidArgument(format!(
                "classical MDS: the {what} matrix has {} on its diagonal at ({i}, {i}); a point \
                 is at distance 0 from itself",
                d[(i, i)]
            )));
        }
        if let Some(j) = d.row(i).iter().position(|&v| v < 0.0) {
            return Err(DimredError::InvalidArgument(format!(
                "classical MDS: the {what} matrix has a negative entry {} at ({i}, {j})",
                d[(i, j)]
            )));
        }
    }
    Ok(())
}
