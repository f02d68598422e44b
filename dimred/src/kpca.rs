//! Kernel PCA (`dr.kpca.centering`): PCA in the feature space of a kernel, through the Gram
//! matrix only.
//!
//! With φ the (implicit) feature map and K_ij = k(x_i, x_j) = <φ(x_i), φ(x_j)>, centring the
//! features φ(x_i) - φ̄ turns K into K̃ = J K J. If K̃ α = λ α with the scaling λ ||α||^2 = 1,
//! the feature-space direction Σ_i α_i (φ(x_i) - φ̄) has unit length, and the projection of
//! training point j on it is (K̃ α)_j = λ α_j = sqrt(λ) u_j with u = α / ||α|| the unit
//! eigenvector. A new point x is centred with the *training* statistics:
//! k̃(x, x_j) = k(x, x_j) - (1/N) Σ_i k(x, x_i) - (1/N) Σ_i k(x_i, x_j) + (1/N²) Σ_il k(x_i, x_l),
//! and its projection is Σ_j k̃(x, x_j) α_j. Projecting the training points this way gives
//! back K̃ α, so fit-then-transform equals fit_transform.
//!
//! Zero and negative eigenvalues (K̃ always has the eigenvalue 0 for the vector 1, and
//! rounding can push it below 0): a component with λ ≤ N ε λ_max has no direction; its α is
//! set to zero, so its scores are 0, never NaN from 1/sqrt(λ).

use crate::centering::double_center_upper_in_place;
use crate::error::{DimredError, Result};
use crate::kernels::Kernel;
use crate::mds::scale_columns_by_sqrt;
use crate::spectral::{self, EigenSolver};
use linalg::Matrix;

/// Kernel PCA with a given kernel, keeping `n_components` directions.
///
/// ```
/// use dimred::kernels::Kernel;
/// use dimred::kpca::KernelPca;
/// let d = dimred::data::circles(60, 0.3, 0.0, 1);
/// let kpca = KernelPca::new(Kernel::Rbf { gamma: 2.0 }, 2);
/// let fit = kpca.fit(&d.x).unwrap();
/// let again = fit.transform(&d.x);
/// // fit-then-transform = fit_transform, to rounding.
/// assert!((&again - &fit.embedding).max_abs() < 1e-10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KernelPca {
    /// The kernel k.
    pub kernel: Kernel,
    /// Number d of components.
    pub n_components: usize,
    /// Dense Jacobi, Lanczos top-k, or automatic by size.
    pub solver: EigenSolver,
}

/// A fitted kernel PCA: what is needed to project new points.
#[derive(Debug, Clone, PartialEq)]
pub struct KernelPcaFit {
    /// The kernel used.
    pub kernel: Kernel,
    /// The training points (needed for k(x, x_i) of new points).
    pub x_train: Matrix,
    /// (1/N) Σ_i k(x_i, x_j) for each training point j: the training column means of K.
    pub k_col_means: Vec<f64>,
    /// (1/N²) Σ_il k(x_i, x_l).
    pub k_grand_mean: f64,
    /// Eigenvalues of K̃, descending (all N on the dense path, the top d on the top-k path).
    /// scikit-learn's `eigenvalues_` are the same numbers (it does not divide by N).
    pub eigenvalues: Vec<f64>,
    /// N x d, the scaled eigenvectors α_k with λ_k ||α_k||^2 = 1 (zero for λ_k ≤ tol).
    pub alphas: Matrix,
    /// N x d, the training projections K̃ α_k = sqrt(λ_k) u_k (fit_transform's result).
    pub embedding: Matrix,
}

impl KernelPca {
    /// Kernel PCA with automatic solver choice.
    pub fn new(kernel: Kernel, n_components: usize) -> Self {
        KernelPca {
            kernel,
            n_components,
            solver: EigenSolver::Auto,
        }
    }

    /// Fit on the N x D data `x` (`dr.kpca.centering`).
    ///
    /// # Errors
    /// `InvalidArgument` if d is not in 1..=N, a kernel parameter is invalid (RBF γ ≤ 0,
    /// polynomial degree 0 or non-finite γ, c0) or the kernel overflows on the data; `Linalg`
    /// for non-finite data or no convergence.
    pub fn fit(&self, x: &Matrix) -> Result<KernelPcaFit> {
        let n = x.nrows();
        let d = self.n_components;
        if d == 0 || d > n {
            return Err(DimredError::InvalidArgument(format!(
                "kernel PCA: n_components = {d} must be between 1 and N = {n}"
            )));
        }
        match self.kernel {
            Kernel::Rbf { gamma } if !(gamma.is_finite() && gamma > 0.0) => {
                return Err(DimredError::InvalidArgument(format!(
                    "kernel PCA: the RBF kernel needs γ > 0, got {gamma}"
                )))
            }
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            } if degree == 0 || !gamma.is_finite() || !coef0.is_finite() => {
                // Degree 0 is the constant kernel: its centred matrix is zero, no embedding.
                return Err(DimredError::InvalidArgument(format!(
                    "kernel PCA: the polynomial kernel needs degree ≥ 1 and finite γ and c0, \
                     got degree {degree}, γ = {gamma}, c0 = {coef0}"
                )));
            }
            _ => {}
        }
        crate::error::check_finite(x)?;
        // Only the upper triangle of K is computed, centred and read (by construction K is
        // symmetric, so neither a mirror image nor a symmetry check is needed).
        let mut k = self.kernel.gram_upper(x);
        let overflowed = match self.kernel {
            Kernel::Rbf { .. } => None,
            _ => k.find_non_finite(),
        };
        if let Some(((i, j), value)) = overflowed {
            // Finite data and parameters, so the kernel itself overflowed (a high degree).
            return Err(DimredError::InvalidArgument(format!(
                "kernel PCA: the {} kernel overflows on this data: K[{i}, {j}] = {value}; \
                 lower the degree or γ, or scale the data",
                self.kernel
            )));
        }
        // (The RBF kernel lies in [0, 1]: it cannot overflow, so that check is skipped.)
        let (k_col_means, k_grand_mean) = double_center_upper_in_place(&mut k);
        let spec = spectral::top_eigenpairs_upper(&k, d, self.solver)?;
        let top = &spec.values[..d];
        let lambda_max = top[0].abs();
        let tol = n as f64 * f64::EPSILON * lambda_max;
        // α_k = u_k / sqrt(λ_k), so that λ_k ||α_k||^2 = 1; zero where λ_k ≤ tol.
        let inv: Vec<f64> = top
            .iter()
            .map(|&l| if l > tol { 1.0 / l.sqrt() } else { 0.0 })
            .collect();
        let mut alphas = spec.vectors.clone();
        for row in alphas.as_mut_slice().chunks_exact_mut(d) {
            row.iter_mut().zip(&inv).for_each(|(a, s)| *a *= s);
        }
        let clipped: Vec<f64> = top.iter().map(|&l| if l > tol { l } else { 0.0 }).collect();
        let embedding = scale_columns_by_sqrt(&spec.vectors, &clipped);
        Ok(KernelPcaFit {
            kernel: self.kernel,
            x_train: x.clone(),
            k_col_means,
            k_grand_mean,
            eigenvalues: spec.values,
            alphas,
            embedding,
        })
    }
}

impl KernelPcaFit {
    /// Project new points (M x D): the test kernel is centred with the training statistics,
    /// then multiplied by the α's (`dr.kpca.centering`). On the training points this returns
    /// [`KernelPcaFit::embedding`] up to rounding.
    ///
    /// # Panics
    /// If `y` does not have D columns.
    #[track_caller]
    pub fn transform(&self, y: &Matrix) -> Matrix {
        let mut kt = self.kernel.cross(y, &self.x_train);
        let n = self.x_train.nrows() as f64;
        for row in kt
            .as_mut_slice()
            .chunks_exact_mut(self.k_col_means.len().max(1))
        {
            // The new point's own mean over the training points, (1/N) Σ_i k(x, x_i).
            let own = row.iter().sum::<f64>() / n;
            for (v, &cm) in row.iter_mut().zip(&self.k_col_means) {
                *v = *v - own - cm + self.k_grand_mean;
            }
        }
        kt.matmul(&self.alphas)
    }
}
