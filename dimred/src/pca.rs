//! Principal component analysis, two ways (`dr.pca.covariance`, `dr.pca.svd`,
//! `dr.pca.reconstruction`).
//!
//! Way 1 diagonalises the sample covariance C = Xc^T Xc / (N - 1) (a D x D matrix). Way 2
//! takes the SVD of the centred data Xc = U Σ V^T itself: C = V (Σ^2 / (N - 1)) V^T, so the
//! right singular vectors are the principal directions and λ_k = σ_k^2 / (N - 1). Way 2 never
//! forms Xc^T Xc and so keeps the small variances to relative accuracy; way 1 costs one
//! N D^2 product (half of it: C is symmetric) and a D x D eigenproblem and is the faster for
//! N ≫ D. For d ≪ D way 1 asks Lanczos for the d leading eigenpairs only and takes the total
//! variance from the trace ([`lanczos_pays`]); for larger d it diagonalises C completely. (Way 3, the linear
//! autoencoder, lives in the `nn` crate.)
//!
//! Conventions, as scikit-learn's `PCA`: variances divide by N - 1; the sign of each
//! principal direction is fixed so that its largest-magnitude loading is positive
//! ([`linalg::fix_sign`]), so every run gives the same signs.

use crate::error::{DimredError, Result};
use linalg::{fix_sign, Matrix, TopKOptions};

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
    /// The leading eigenvalues λ_1 ≥ … of the covariance: all D of them on the full-Jacobi
    /// path and min(N, D) on the SVD path (the rest are zero), so the caller can choose d
    /// afterwards; only the d kept ones on the Lanczos path ([`lanczos_pays`]). Ask for all D
    /// components to get the whole spectrum.
    pub explained_variance: Vec<f64>,
    /// Σ_k λ_k = tr C, the total variance, whatever the path (the denominator of the ratios).
    pub total_variance: f64,
    /// λ_k / Σ_j λ_j for the d kept directions.
    pub explained_variance_ratio: Vec<f64>,
    /// N, the number of samples fitted.
    pub n_samples: usize,
}

/// Whether the covariance path finds its d eigenpairs by Lanczos ([`linalg::top_k_eigh`])
/// rather than by the full Jacobi decomposition of the D x D covariance.
///
/// Lanczos builds a Krylov basis of max(2d + 1, 20) vectors, each one product with C (2D^2
/// flops), and diagonalises small projected matrices; full Jacobi costs about ten sweeps of
/// 4D^3 flops each. Lanczos pays when its basis is at most half of D (d ≪ D, as the digits'
/// d = 2 of D = 64); when the basis would be most of the space, or every component is asked
/// for, full Jacobi is both cheaper and gives the whole spectrum.
pub fn lanczos_pays(d: usize, dim: usize) -> bool {
    2 * (2 * d + 1).max(20) <= dim
}

/// The covariance path (`dr.pca.covariance`): C = Xc^T Xc / (N - 1) from the symmetric
/// rank-k product (upper triangle only, both cores for large N D^2), then the top d
/// eigenpairs by Lanczos when [`lanczos_pays`], else all of them by Jacobi. Returns the
/// eigenvalues, the total variance tr C, and the D x d directions.
fn covariance_path(xc: &Matrix, d: usize) -> Result<(Vec<f64>, f64, Matrix)> {
    let (n, dim) = xc.shape();
    let mut c = xc.gram_columns();
    let inv = 1.0 / (n - 1) as f64;
    // Every entry scaled alike: C stays exactly symmetric.
    c.as_mut_slice().iter_mut().for_each(|v| *v *= inv);
    // A covariance is positive semidefinite; eigenvalues of order -ε·λ_max are rounding, and
    // clamping them keeps ratios and square roots meaningful.
    let clamp = |values: &[f64]| values.iter().map(|&v| v.max(0.0)).collect::<Vec<f64>>();
    if lanczos_pays(d, dim) {
        // Residuals ||C y - θ y|| ≤ D·ε·λ_max: the rounding level of forming C itself, so
        // the directions are as accurate as the full Jacobi path's (error ≤ residual / gap).
        let options = TopKOptions {
            tol: dim as f64 * f64::EPSILON,
            ..TopKOptions::default()
        };
        let e = linalg::top_k_eigh(&c, d, &options)?;
        Ok((clamp(&e.values), c.trace().max(0.0), e.vectors))
    } else {
        let e = linalg::eigh(&c)?;
        let values = clamp(&e.values);
        let total = values.iter().sum();
        Ok((values, total, e.vectors.leading_columns(d)))
    }
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
    /// by Lanczos when d ≪ D ([`lanczos_pays`]), else by cyclic Jacobi. SVD path (`dr.pca.svd`): V = right singular vectors of Xc by
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
        let (explained_variance, total_variance, mut components) = match self.solver {
            PcaSolver::Covariance => covariance_path(&xc, d)?,
            PcaSolver::Svd => {
                // σ and V only: U is never formed (the scores are Xc V_d, for d columns).
                let s = linalg::svd_right(&xc)?;
                let values: Vec<f64> = s
                    .singular_values
                    .iter()
                    .map(|s| s * s / (n - 1) as f64)
                    .collect();
                let total = values.iter().sum();
                (values, total, s.v.leading_columns(d))
            }
        };
        // eigh and svd already apply the sign rule; re-applying it is free and keeps the
        // convention visible here, where users look for it.
        for j in 0..d {
            let mut col = components.col(j);
            fix_sign(&mut col);
            components.set_col(j, &col);
        }
        let explained_variance_ratio = explained_variance[..d]
            .iter()
            .map(|v| {
                if total_variance > 0.0 {
                    v / total_variance
                } else {
                    0.0
                }
            })
            .collect();
        Ok(PcaFit {
            mean,
            components,
            explained_variance,
            total_variance,
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
        (self.n_samples - 1) as f64 * self.tail_variance()
    }

    /// Σ_{k>d} λ_k, the variance the kept directions miss: summed from the eigenvalues when
    /// the whole spectrum is known, else tr C - Σ_{k≤d} λ_k (the Lanczos path), clamped at 0.
    pub fn tail_variance(&self) -> f64 {
        let d = self.n_components();
        if self.explained_variance.len() > d || d == self.mean.len() {
            self.explained_variance[d..].iter().sum()
        } else {
            let kept: f64 = self.explained_variance[..d].iter().sum();
            (self.total_variance - kept).max(0.0)
        }
    }
}
