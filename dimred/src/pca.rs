//! Principal component analysis, two ways (`dr.pca.covariance`, `dr.pca.svd`,
//! `dr.pca.reconstruction`).
//!
//! Way 1 diagonalises the sample covariance C = Xc^T Xc / (N - 1) (a D x D matrix). Way 2
//! takes the SVD of the centred data Xc = U Σ V^T itself: C = V (Σ^2 / (N - 1)) V^T, so the
//! right singular vectors are the principal directions and λ_k = σ_k^2 / (N - 1). Way 2 never
//! forms Xc^T Xc and so keeps the small variances to relative accuracy; way 1 costs one
//! N D^2 product and a D x D eigenproblem and is the faster for N ≫ D. (Way 3, the linear
//! autoencoder, lives in the `nn` crate.)
//!
//! Conventions, as scikit-learn's `PCA`: variances divide by N - 1; the sign of each
//! principal direction is fixed so that its largest-magnitude loading is positive
//! ([`linalg::fix_sign`]), so every run gives the same signs.

use crate::error::{DimredError, Result};
use linalg::{fix_sign, Matrix};

/// How [`Pca`] computes the principal directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PcaSolver {
    /// Eigendecomposition of the covariance matrix (`dr.pca.covariance`).
    #[default]
    Covariance,
    /// Singular value decomposition of the centred data (`dr.pca.svd`).
    Svd,
}

impl PcaSolver {
    /// The cheaper path for N x D data and k kept directions: the covariance is D x D and its
    /// Jacobi eigendecomposition costs O(D³) per sweep, while the SVD of the centred data
    /// works on min(N, D) columns. Wide data (D > N, e.g. 30 samples of 3000 features:
    /// minutes against milliseconds) take the SVD when it has the k ≤ N directions asked
    /// for; the variances and directions agree (`dr.pca.svd`). The one place this choice is
    /// made (the `dimred` command and t-SNE's PCA start ask here).
    pub fn cheaper_for(n: usize, dim: usize, k: usize) -> PcaSolver {
        if dim > n && k <= n {
            PcaSolver::Svd
        } else {
            PcaSolver::Covariance
        }
    }
}

/// PCA with `n_components` kept directions.
///
/// ```
/// use dimred::pca::{Pca, PcaSolver};
/// let x = linalg::Matrix::from_rows(&[[1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.0]]);
/// let cov = Pca::new(1).fit(&x).unwrap();
/// let svd = Pca { n_components: 1, solver: PcaSolver::Svd }.fit(&x).unwrap();
/// assert!((cov.explained_variance[0] - svd.explained_variance[0]).abs() < 1e-12);
/// assert!(cov.explained_variance_ratio[0] > 0.99); // nearly a line
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pca {
    /// Number d of principal directions kept (1 ≤ d ≤ D).
    pub n_components: usize,
    /// Covariance eigendecomposition or SVD.
    pub solver: PcaSolver,
}

/// A fitted PCA: the mean, the principal directions and their variances.
#[derive(Debug, Clone, PartialEq)]
pub struct PcaFit {
    /// The column means μ that were subtracted.
    pub mean: Vec<f64>,
    /// D x d: the principal directions V_d as orthonormal columns (scikit-learn's
    /// `components_` is the transpose).
    pub components: Matrix,
    /// All eigenvalues λ_1 ≥ … of the covariance (min(N, D) of them on the SVD path, where
    /// the rest are zero), not only the kept ones, so the caller can choose d afterwards.
    pub explained_variance: Vec<f64>,
    /// λ_k / Σ_j λ_j for the d kept directions.
    pub explained_variance_ratio: Vec<f64>,
    /// N, the number of samples fitted.
    pub n_samples: usize,
}

impl Pca {
    /// PCA keeping `n_components` directions, by the covariance eigendecomposition.
    pub fn new(n_components: usize) -> Self {
        Pca {
            n_components,
            solver: PcaSolver::Covariance,
        }
    }

    /// Fit to the N x D data `x` (one sample per row).
    ///
    /// Covariance path (`dr.pca.covariance`): V_d = top-d eigenvectors of C = Xc^T Xc/(N-1),
    /// by cyclic Jacobi. SVD path (`dr.pca.svd`): V = right singular vectors of Xc by
    /// one-sided Jacobi, λ_k = σ_k^2 / (N - 1).
    ///
    /// # Errors
    /// `InvalidArgument` if N < 2, d is not in 1..=D, or (SVD path) d > min(N, D); `Linalg`
    /// if the data contain NaN or infinity or the solver does not converge.
    pub fn fit(&self, x: &Matrix) -> Result<PcaFit> {
        let (n, dim) = x.shape();
        if n < 2 {
            return Err(DimredError::InvalidArgument(format!(
                "PCA needs at least 2 samples, got {n}"
            )));
        }
        if self.n_components == 0 || self.n_components > dim {
            return Err(DimredError::InvalidArgument(format!(
                "PCA: n_components = {} must be between 1 and the number of features {dim}",
                self.n_components
            )));
        }
        crate::error::check_finite(x)?;
        let d = self.n_components;
        if self.solver == PcaSolver::Svd && d > n.min(dim) {
            return Err(DimredError::InvalidArgument(format!(
                "PCA (SVD): the thin SVD of {n} x {dim} data has min(N, D) = {} right singular \
                 vectors, fewer than n_components = {d}; keep fewer components (directions past \
                 the rank carry zero variance anyway)",
                n.min(dim)
            )));
        }
        let (xc, mean) = x.center_columns();
        let (explained_variance, mut components) = match self.solver {
            PcaSolver::Covariance => {
                let mut c = xc.tr_matmul(&xc).scale(1.0 / (n - 1) as f64);
                c.symmetrize();
                let e = linalg::eigh(&c)?;
                // A covariance is positive semidefinite; eigenvalues of order -ε·λ_max are
                // rounding, and clamping them keeps ratios and square roots meaningful.
                let values: Vec<f64> = e.values.iter().map(|&v| v.max(0.0)).collect();
                (values, e.vectors.leading_columns(d))
            }
            PcaSolver::Svd => {
                let s = linalg::svd(&xc)?;
                let values: Vec<f64> = s
                    .singular_values
                    .iter()
                    .map(|s| s * s / (n - 1) as f64)
                    .collect();
                (values, s.v.leading_columns(d))
            }
        };
        // eigh and svd already apply the sign rule; re-applying it is free and keeps the
        // convention visible here, where users look for it.
        for j in 0..d {
            let mut col = components.col(j);
            fix_sign(&mut col);
            components.set_col(j, &col);
        }
        let total: f64 = explained_variance.iter().sum();
        let explained_variance_ratio = explained_variance[..d]
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        Ok(PcaFit {
            mean,
            components,
            explained_variance,
            explained_variance_ratio,
            n_samples: n,
        })
    }

    /// Fit and return the scores of the training data (the embedding).
    ///
    /// # Errors
    /// As [`Pca::fit`].
    pub fn fit_transform(&self, x: &Matrix) -> Result<(PcaFit, Matrix)> {
        let fit = self.fit(x)?;
        let y = fit.transform(x);
        Ok((fit, y))
    }
}

impl PcaFit {
    /// The number d of kept directions.
    pub fn n_components(&self) -> usize {
        self.components.ncols()
    }

    /// The scores Y = (X - 1 μ^T) V_d (`dr.pca.covariance`): one row of d coordinates per
    /// sample. Their covariance is diag(λ_1, …, λ_d) on the training data.
    ///
    /// # Panics
    /// If `x` does not have D columns.
    #[track_caller]
    pub fn transform(&self, x: &Matrix) -> Matrix {
        assert_eq!(
            x.ncols(),
            self.mean.len(),
            "PcaFit::transform: data has {} columns, the fit {}",
            x.ncols(),
            self.mean.len()
        );
        x.sub_row_vector(&self.mean).matmul(&self.components)
    }

    /// Back to data space: X̂ = Y V_d^T + 1 μ^T, the orthogonal projection of the data onto
    /// the affine principal subspace when Y are its scores.
    ///
    /// # Panics
    /// If `y` does not have d columns.
    #[track_caller]
    pub fn inverse_transform(&self, y: &Matrix) -> Matrix {
        assert_eq!(
            y.ncols(),
            self.n_components(),
            "PcaFit::inverse_transform: scores have {} columns, the fit keeps {}",
            y.ncols(),
            self.n_components()
        );
        let mut x = y.matmul_tr(&self.components);
        for r in 0..x.nrows() {
            linalg::axpy(1.0, &self.mean, x.row_mut(r));
        }
        x
    }

    /// The reconstruction error Σ_i ||x_i - x̂_i||^2 of projecting `x` on the principal
    /// subspace (`dr.pca.reconstruction`). On the training data it equals
    /// (N - 1) Σ_{k>d} λ_k, the smallest over all rank-d projections (Eckart–Young).
    ///
    /// # Panics
    /// If `x` does not have D columns.
    #[track_caller]
    pub fn reconstruction_error(&self, x: &Matrix) -> f64 {
        let xhat = self.inverse_transform(&self.transform(x));
        (x - &xhat).as_slice().iter().map(|v| v * v).sum()
    }

    /// (N - 1) Σ_{k>d} λ_k: the reconstruction error the eigenvalues predict for the training
    /// data (`dr.pca.reconstruction`).
    pub fn predicted_reconstruction_error(&self) -> f64 {
        let tail: f64 = self.explained_variance[self.n_components()..].iter().sum();
        (self.n_samples - 1) as f64 * tail
    }
}
