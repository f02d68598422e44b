//! The Nyström extension: kernel PCA and diffusion maps from n landmarks, no N x N matrix.
//!
//! Both methods start from an N x N kernel matrix K. Keep n ≪ N of the points as landmarks
//! (farthest-point sampling, as landmark Isomap does in [`crate::landmark`]), and write C for
//! the N x n kernel between all points and the landmarks and W for its n x n landmark block.
//! The Nyström approximation (Williams and Seeger, 2001) is
//!
//!   K ≈ K̂ = C W⁻¹ Cᵀ = Φ Φᵀ,   Φ = C L⁻ᵀ   (N x r),   W = L Lᵀ,
//!
//! with L the Cholesky factor of W. The factorisation pivots on the largest remaining
//! diagonal and stops when it falls to n ε max W_ii ([`pivoted_cholesky`]): a landmark whose
//! kernel column is a combination of the others' to rounding is left out, so W is never
//! inverted on its noise, r ≤ n, and K̂ ⪯ K still holds. Row i of Φ is a feature vector of x_i
//! in R^r, and every kernel method becomes a computation on the N x r matrix Φ:
//!
//! - **Kernel PCA** ([`NystromKernelPca`]): J K̂ J = Φ̃ Φ̃ᵀ with Φ̃ = J Φ the column-centred
//!   features, so the kernel PCA of K̂ is the plain PCA of Φ: the r x r matrix Φ̃ᵀ Φ̃ has the
//!   same non-zero eigenvalues μ_k as J K̂ J, and its unit eigenvectors w_k give the
//!   coordinates Φ̃ w_k = √μ_k u_k, kernel PCA's own scaling.
//! - **Diffusion maps** ([`NystromDiffusion`]): the row sums q̂ = Φ (Φᵀ 1), the α-normalised
//!   features Φ_α = Q̂^{-α} Φ, the degrees d̂ = Φ_α (Φ_αᵀ 1) and Ψ = D̂^{-1/2} Φ_α give
//!   Ŝ = Ψ Ψᵀ, the symmetric conjugate of the Markov matrix of K̂; its eigenpairs come from the
//!   r x r matrix Ψᵀ Ψ as for kernel PCA, then ψ_k = √vol D̂^{-1/2} φ_k as in
//!   [`crate::diffusion`]. Ŝ D̂^{1/2} 1 = D̂^{1/2} 1 holds exactly, so λ_0 = 1 still.
//!
//! Cost: O(N n D) kernel values, O(N r²) for Φ and Φᵀ Φ, O(n r²) for the factor of W, and
//! the top eigenpairs of the r x r matrix Φᵀ Φ (Lanczos above r = 200); memory O(N n). Exact
//! kernel PCA and diffusion maps need O(N²) memory and O(N² D) time before their eigensolver.
//!
//! Exactness and error. When every point is a landmark, C = W = K and K̂ = K (up to the
//! pivots dropped as rounding noise), so both methods return the exact results (tests check it).
//! Otherwise E = K − K̂ is positive semidefinite (a Schur complement), and so is J E J; hence
//! (Weyl) every eigenvalue of J K̂ J lies below the matching one of J K J by at most
//! ‖E‖₂ ≤ tr E = Σ_i (k(x_i, x_i) − ‖φ_i‖²), which the fits report as `residual_trace`, and
//! (Davis–Kahan) the top-d eigenvectors turn by at most ‖E‖₂ / (λ_d − λ_{d+1}).

use crate::diffusion::{DiffusionFit, DiffusionMaps, EpsilonRule};
use crate::error::{check_finite, DimredError, Result};
use crate::graph::k_nearest;
use crate::kernels::Kernel;
use crate::parallel::for_each_row;
use crate::sketchmap::farthest_point_sampling;
use crate::spectral::{self, EigenSolver};
use linalg::Matrix;

/// The Nyström feature map of a kernel on a set of landmarks: φ(x) = L⁻¹ k(L, x), with
/// W = L Lᵀ the Cholesky factor of the landmark block.
#[derive(Debug, Clone, PartialEq)]
pub struct NystromMap {
    /// The kernel k.
    pub kernel: Kernel,
    /// The landmarks' row indices in the training data, in pivot order (see
    /// [`pivoted_cholesky`]); chosen landmarks whose kernel is a combination of the others'
    /// to rounding are left out, so r = `landmarks.len()` may be below the number asked for.
    pub landmarks: Vec<usize>,
    /// The landmark points (r x D), needed to map new points.
    pub x_landmarks: Matrix,
    /// r x r lower triangular L with L Lᵀ = W, the kernel matrix of the landmarks.
    pub factor: Matrix,
}

impl NystromMap {
    /// Choose `n_landmarks` landmarks of `x` (all rows, in order, when n = N; farthest-point
    /// sampling otherwise) and factor their kernel matrix W.
    ///
    /// # Errors
    /// `InvalidArgument` unless 1 ≤ n ≤ N, or if k(x, x) ≤ 0 on every landmark (a kernel
    /// that vanishes there); `Linalg` for non-finite kernel values.
    pub fn fit(x: &Matrix, kernel: Kernel, n_landmarks: usize) -> Result<NystromMap> {
        let (n, l) = (x.nrows(), n_landmarks);
        if l == 0 || l > n {
            return Err(DimredError::InvalidArgument(format!(
                "Nyström: need 1 ≤ n_landmarks ≤ N, got n_landmarks = {l}, N = {n}"
            )));
        }
        let chosen: Vec<usize> = if l == n {
            (0..n).collect()
        } else {
            farthest_point_sampling(x, l).0
        };
        let w = kernel.gram(&x.select_rows(&chosen));
        if let Some((at, value)) = w.find_non_finite() {
            return Err(linalg::LinalgError::NonFinite { at, value }.into());
        }
        let (pivots, factor) = pivoted_cholesky(&w);
        if pivots.is_empty() {
            return Err(DimredError::InvalidArgument(format!(
                "Nyström: the {kernel} kernel is zero on all {l} landmarks"
            )));
        }
        let landmarks: Vec<usize> = pivots.iter().map(|&p| chosen[p]).collect();
        Ok(NystromMap {
            kernel,
            x_landmarks: x.select_rows(&landmarks),
            landmarks,
            factor,
        })
    }

    /// The features Φ = K(y, L) L⁻ᵀ of the rows of `y` (M x r): each row solves L φ = k(L, y)
    /// by forward substitution.
    ///
    /// # Panics
    /// If `y` does not have the landmarks' D columns.
    #[track_caller]
    pub fn features(&self, y: &Matrix) -> Matrix {
        let mut phi = cross_kernel(self.kernel, y, &self.x_landmarks);
        // Column-oriented substitution: once φ_j is known, subtract φ_j times column j of L
        // (row j of Lᵀ, contiguous) from the rest: an axpy the compiler vectorises.
        let (lt, r) = (self.factor.transpose(), self.factor.nrows());
        for_each_row(phi.as_mut_slice(), r.max(1), |_, row| {
            for j in 0..r {
                let col = lt.row(j);
                row[j] /= col[j];
                let (done, rest) = row.split_at_mut(j + 1);
                linalg::axpy(-done[j], &col[j + 1..], rest);
            }
        });
        phi
    }

    /// tr(K − K̂) over the rows of `x` with their features `phi`: Σ_i k(x_i, x_i) − ‖φ_i‖².
    /// Each term is ≥ 0 in exact arithmetic (K − K̂ is positive semidefinite).
    fn residual_trace(&self, x: &Matrix, phi: &Matrix) -> f64 {
        (0..x.nrows())
            .map(|i| self.kernel.eval(x.row(i), x.row(i)) - linalg::dot(phi.row(i), phi.row(i)))
            .sum()
    }
}

/// K(y, x) for the rows of `y` against the rows of `x`, rows shared between the cores.
#[track_caller]
fn cross_kernel(kernel: Kernel, y: &Matrix, x: &Matrix) -> Matrix {
    assert_eq!(
        y.ncols(),
        x.ncols(),
        "Nyström features: the points have {} columns, the landmarks {}",
        y.ncols(),
        x.ncols()
    );
    let mut c = Matrix::zeros(y.nrows(), x.nrows());
    for_each_row(c.as_mut_slice(), x.nrows().max(1), |i, row| {
        let yi = y.row(i);
        row.iter_mut()
            .enumerate()
            .for_each(|(j, v)| *v = kernel.eval(yi, x.row(j)));
    });
    c
}

/// Cholesky with diagonal pivoting of the positive semidefinite n x n `w`: at each step the
/// row with the largest remaining diagonal (Schur complement) becomes the next pivot, and the
/// factorisation stops when that diagonal is at most n ε max_i w_ii, rounding noise (the rest
/// of W is then reproduced by the pivots to that accuracy). Returns the pivots in order and
/// the r x r lower triangular L with L Lᵀ = W restricted to the pivots, in pivot order.
/// O(n r²); the pivots of a farthest-point landmark set are usually all of them.
pub fn pivoted_cholesky(w: &Matrix) -> (Vec<usize>, Matrix) {
    let n = w.nrows();
    let mut residual = w.diag();
    let tol = n as f64 * f64::EPSILON * residual.iter().cloned().fold(0.0, f64::max);
    // Column k of G (length n, original order): W ≈ Σ_k g_k g_kᵀ.
    let mut columns: Vec<Vec<f64>> = Vec::new();
    let mut pivots = Vec::new();
    loop {
        let (p, &dp) = residual
            .iter()
            .enumerate()
            .filter(|(i, _)| !pivots.contains(i))
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((0, &0.0));
        if pivots.len() == n || dp <= tol {
            break;
        }
        let root = dp.sqrt();
        let g: Vec<f64> = (0..n)
            .map(|i| {
                let s: f64 = columns.iter().map(|c| c[i] * c[p]).sum();
                (w[(i, p)] - s) / root
            })
            .collect();
        residual.iter_mut().zip(&g).for_each(|(d, v)| *d -= v * v);
        pivots.push(p);
        columns.push(g);
    }
    let r = pivots.len();
    let factor = Matrix::from_fn(
        r,
        r,
        |i, k| if k <= i { columns[k][pivots[i]] } else { 0.0 },
    );
    (pivots, factor)
}

/// The top `k` eigenpairs of Z Zᵀ (Z is N x r, r small) from the r x r matrix Zᵀ Z: values
/// μ descending and the N x k unit eigenvectors Z w / √μ, with the workspace's sign rule
/// (`linalg::fix_sign`). Errors if fewer than k values exceed N ε μ_1.
fn top_eigenpairs_of_outer(z: &Matrix, k: usize, what: &str) -> Result<(Vec<f64>, Matrix)> {
    let e = spectral::top_eigenpairs(&z.gram_columns(), k.min(z.ncols()), EigenSolver::Auto)?;
    let tol = z.nrows() as f64 * f64::EPSILON * e.values[0].abs();
    if e.values.len() < k || e.values[k - 1] <= tol {
        return Err(DimredError::InvalidArgument(format!(
            "{what}: the Nyström kernel has fewer than {k} non-zero eigenvalues (eigenvalues \
             {:?}); use more landmarks",
            &e.values[..e.values.len().min(k)]
        )));
    }
    let mut u = z.matmul(&e.vectors.leading_columns(k));
    for j in 0..k {
        let mut col = u.col(j);
        let s = 1.0 / e.values[j].sqrt();
        col.iter_mut().for_each(|v| *v *= s);
        linalg::fix_sign(&mut col);
        u.set_col(j, &col);
    }
    Ok((e.values, u))
}

/// Kernel PCA of the Nyström approximation K̂ (`dr.kpca.centering` at scale): the PCA of the
/// N x r feature matrix Φ.
///
/// ```
/// use dimred::kernels::Kernel;
/// use dimred::nystrom::NystromKernelPca;
/// let d = dimred::data::circles(400, 0.3, 0.05, 1);
/// let fit = NystromKernelPca::new(Kernel::Rbf { gamma: 2.0 }, 2, 60).fit(&d.x).unwrap();
/// // 0 ≤ λ_k(exact) − λ_k(Nyström) ≤ tr(K − K̂): the reported bound is small against λ_1.
/// assert!(fit.residual_trace >= 0.0 && fit.residual_trace < 1e-2 * fit.eigenvalues[0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NystromKernelPca {
    /// The kernel k.
    pub kernel: Kernel,
    /// Number d of components.
    pub n_components: usize,
    /// Number n of landmarks (n = N is exact kernel PCA).
    pub n_landmarks: usize,
}

/// A fitted Nyström kernel PCA: the map to features and the principal directions in them.
#[derive(Debug, Clone, PartialEq)]
pub struct NystromKernelPcaFit {
    /// The feature map φ.
    pub map: NystromMap,
    /// The training mean of the features, φ̄ (length r).
    pub feature_mean: Vec<f64>,
    /// r x d, the unit principal directions w_k of the centred features.
    pub directions: Matrix,
    /// The non-zero eigenvalues μ of J K̂ J, descending: all r of them for r ≤ 200 (dense
    /// solver), the top d above (Lanczos).
    pub eigenvalues: Vec<f64>,
    /// N x d, the coordinates Φ̃ w_k = √μ_k u_k.
    pub embedding: Matrix,
    /// tr(K − K̂) = Σ_i k(x_i, x_i) − ‖φ_i‖²: a bound on every eigenvalue's error.
    pub residual_trace: f64,
}

impl NystromKernelPca {
    /// Nyström kernel PCA with the given kernel, dimension and number of landmarks.
    pub fn new(kernel: Kernel, n_components: usize, n_landmarks: usize) -> Self {
        NystromKernelPca {
            kernel,
            n_components,
            n_landmarks,
        }
    }

    /// Fit on N x D data: features, centring, the r x r eigenproblem, coordinates.
    ///
    /// # Errors
    /// `InvalidArgument` unless 1 ≤ d ≤ min(n, N) and 1 ≤ n ≤ N, for an invalid kernel
    /// parameter, or when K̂ has fewer than d non-zero eigenvalues; `Linalg` for non-finite
    /// data or no convergence.
    pub fn fit(&self, x: &Matrix) -> Result<NystromKernelPcaFit> {
        check_finite(x)?;
        let d = self.n_components;
        if d == 0 || d > self.n_landmarks {
            return Err(DimredError::InvalidArgument(format!(
                "Nyström kernel PCA: n_components = {d} must be between 1 and n_landmarks = {}",
                self.n_landmarks
            )));
        }
        check_kernel(self.kernel)?;
        let map = NystromMap::fit(x, self.kernel, self.n_landmarks)?;
        let phi = map.features(x);
        let residual_trace = map.residual_trace(x, &phi);
        let (centred, feature_mean) = phi.center_columns();
        let (eigenvalues, u) = top_eigenpairs_of_outer(&centred, d, "Nyström kernel PCA")?;
        // Coordinates √μ_k u_k, and the directions w_k = Φ̃ᵀ u_k / √μ_k that give them.
        let embedding = Matrix::from_fn(u.nrows(), d, |i, k| u[(i, k)] * eigenvalues[k].sqrt());
        let mut directions = centred.tr_matmul(&u);
        for row in directions.as_mut_slice().chunks_exact_mut(d) {
            row.iter_mut()
                .zip(&eigenvalues)
                .for_each(|(v, m)| *v /= m.sqrt());
        }
        Ok(NystromKernelPcaFit {
            map,
            feature_mean,
            directions,
            eigenvalues,
            embedding,
            residual_trace,
        })
    }
}

impl NystromKernelPcaFit {
    /// Project new points (M x D): (φ(y) − φ̄) W_d. On the training points this returns
    /// [`NystromKernelPcaFit::embedding`] up to rounding.
    ///
    /// # Panics
    /// If `y` does not have D columns.
    #[track_caller]
    pub fn transform(&self, y: &Matrix) -> Matrix {
        self.map
            .features(y)
            .sub_row_vector(&self.feature_mean)
            .matmul(&self.directions)
    }
}

/// The kernel checks of [`crate::kpca::KernelPca::fit`], for the same messages.
fn check_kernel(kernel: Kernel) -> Result<()> {
    match kernel {
        Kernel::Rbf { gamma } if !(gamma.is_finite() && gamma > 0.0) => {
            Err(DimredError::InvalidArgument(format!(
                "kernel PCA: the RBF kernel needs γ > 0, got {gamma}"
            )))
        }
        Kernel::Polynomial {
            degree,
            gamma,
            coef0,
        } if degree == 0 || !gamma.is_finite() || !coef0.is_finite() => {
            Err(DimredError::InvalidArgument(format!(
                "kernel PCA: the polynomial kernel needs degree ≥ 1 and finite γ and c0, got \
                 degree {degree}, γ = {gamma}, c0 = {coef0}"
            )))
        }
        _ => Ok(()),
    }
}

/// Diffusion maps of the Nyström approximation of the Gaussian kernel (`dr.diffusion.markov`
/// at scale): the chain of K̂ = Φ Φᵀ, solved through r x r matrices.
///
/// ```
/// use dimred::diffusion::DiffusionMaps;
/// use dimred::nystrom::NystromDiffusion;
/// let roll = dimred::data::swiss_roll(2000, 0.0, 3);
/// let fit = NystromDiffusion::new(DiffusionMaps::new(2), 300).fit(&roll.x).unwrap();
/// assert!((fit.diffusion.eigenvalues[0] - 1.0).abs() < 1e-10); // λ_0 = 1: still a Markov chain
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NystromDiffusion {
    /// The method's settings (d, ε rule, α, t; the solver is not used).
    pub method: DiffusionMaps,
    /// Number n of landmarks (n = N is exact diffusion maps).
    pub n_landmarks: usize,
}

/// A fitted Nyström diffusion map.
#[derive(Debug, Clone, PartialEq)]
pub struct NystromDiffusionFit {
    /// Embedding, eigenvalues (all r for r ≤ 200, else the top d + 1), ψ, π and ε, as exact
    /// diffusion maps report them.
    pub diffusion: DiffusionFit,
    /// The feature map of the Gaussian kernel on the landmarks.
    pub map: NystromMap,
    /// tr(K − K̂) = Σ_i 1 − ‖φ_i‖²: how much of the kernel the landmarks miss.
    pub residual_trace: f64,
}

impl NystromDiffusion {
    /// Nyström diffusion maps with the settings of `method` and `n_landmarks` landmarks.
    pub fn new(method: DiffusionMaps, n_landmarks: usize) -> Self {
        NystromDiffusion {
            method,
            n_landmarks,
        }
    }

    /// Fit on N x D data: ε, features, row sums, α-normalisation, degrees, eigenpairs of Ŝ.
    ///
    /// # Errors
    /// As [`DiffusionMaps::markov_chain`] for α, ε, k and N; `InvalidArgument` unless
    /// 1 ≤ d < n ≤ N, or when a row sum or degree of K̂ is not positive (too few landmarks
    /// for this ε: some points are far from every landmark); `Linalg` if a solver fails.
    pub fn fit(&self, x: &Matrix) -> Result<NystromDiffusionFit> {
        check_finite(x)?;
        let (n, d, m) = (x.nrows(), self.method.n_components, self.method);
        if d == 0 || d >= self.n_landmarks || self.n_landmarks > n {
            return Err(DimredError::InvalidArgument(format!(
                "Nyström diffusion maps: need 1 ≤ n_components < n_landmarks ≤ N, got \
                 n_components = {d}, n_landmarks = {}, N = {n}",
                self.n_landmarks
            )));
        }
        if !(0.0..=1.0).contains(&m.alpha) {
            return Err(DimredError::InvalidArgument(format!(
                "diffusion maps: α = {} must lie in [0, 1] (0, ½ and 1 are the standard choices)",
                m.alpha
            )));
        }
        let epsilon = match m.epsilon {
            EpsilonRule::Fixed(e) => e,
            EpsilonRule::MedianKnn { k } => {
                // Every row when every point is a landmark (the exact method's ε), else a
                // sample of about 2000 rows: the median needs no more, and all N rows would
                // cost O(N² D), the exact method's price.
                let stride = if self.n_landmarks == n {
                    1
                } else {
                    n.div_ceil(2000)
                };
                median_knn_sq_distance(x, k, stride)?
            }
        };
        if !(epsilon > 0.0 && epsilon.is_finite()) {
            return Err(DimredError::InvalidArgument(format!(
                "diffusion maps: ε = {epsilon} must be positive and finite"
            )));
        }
        let map = NystromMap::fit(
            x,
            Kernel::Rbf {
                gamma: 1.0 / epsilon,
            },
            self.n_landmarks,
        )?;
        let phi = map.features(x);
        let residual_trace = map.residual_trace(x, &phi);
        // q̂ = K̂ 1, then Φ_α = Q̂^{-α} Φ, d̂ = K̂^(α) 1, Ψ = D̂^{-1/2} Φ_α.
        let q = positive(outer_row_sums(&phi), "row sum q̂")?;
        let phi_alpha = scale_rows(
            &phi,
            &q.iter().map(|v| v.powf(-m.alpha)).collect::<Vec<_>>(),
        );
        let degrees = positive(outer_row_sums(&phi_alpha), "degree d̂")?;
        let inv_sqrt_d: Vec<f64> = degrees.iter().map(|v| 1.0 / v.sqrt()).collect();
        let psi_features = scale_rows(&phi_alpha, &inv_sqrt_d);
        let (eigenvalues, phi_vectors) =
            top_eigenpairs_of_outer(&psi_features, d + 1, "Nyström diffusion maps")?;
        // ψ_k = √vol D̂^{-1/2} φ_k, then the coordinates λ_k^t ψ_k, as in exact diffusion maps.
        let vol: f64 = degrees.iter().sum();
        let scale: Vec<f64> = inv_sqrt_d.iter().map(|s| s * vol.sqrt()).collect();
        let psi = scale_rows(&phi_vectors, &scale);
        let embedding = Matrix::from_fn(n, d, |i, k| {
            eigenvalues[k + 1].powi(m.t as i32) * psi[(i, k + 1)]
        });
        Ok(NystromDiffusionFit {
            diffusion: DiffusionFit {
                embedding,
                eigenvalues,
                psi,
                stationary: degrees.iter().map(|v| v / vol).collect(),
                epsilon,
            },
            map,
            residual_trace,
        })
    }
}

/// K̂ 1 = Φ (Φᵀ 1) for K̂ = Φ Φᵀ: O(N r), never forming K̂.
fn outer_row_sums(phi: &Matrix) -> Vec<f64> {
    let col_sums: Vec<f64> = phi
        .column_means()
        .iter()
        .map(|m| m * phi.nrows() as f64)
        .collect();
    phi.matvec(&col_sums)
}

/// Row i of `a` times s_i.
fn scale_rows(a: &Matrix, s: &[f64]) -> Matrix {
    let mut out = a.clone();
    for (row, &si) in out.as_mut_slice().chunks_exact_mut(a.ncols().max(1)).zip(s) {
        row.iter_mut().for_each(|v| *v *= si);
    }
    out
}

/// `v` if every entry is positive; else the error that says which and what to do.
fn positive(v: Vec<f64>, what: &str) -> Result<Vec<f64>> {
    match v.iter().enumerate().find(|(_, &x)| x.is_nan() || x <= 0.0) {
        None => Ok(v),
        Some((i, &x)) => Err(DimredError::InvalidArgument(format!(
            "Nyström diffusion maps: the {what} of point {i} is {x:e}, not positive: the point \
             is far from every landmark at this ε; use more landmarks or a larger ε"
        ))),
    }
}

/// ε by the median-k-NN rule of [`crate::diffusion`] over every `stride`-th row (each row's
/// k nearest among all N): O(N² D / stride) time, O(N) memory. With stride 1 it is the exact
/// method's number, which that method reads off its N x N distance matrix.
fn median_knn_sq_distance(x: &Matrix, k: usize, stride: usize) -> Result<f64> {
    let n = x.nrows();
    if k == 0 || k >= n {
        return Err(DimredError::InvalidArgument(format!(
            "diffusion maps: the ε rule's k = {k} must be between 1 and N - 1 = {}",
            n - 1
        )));
    }
    let mut kth = vec![0.0; n.div_ceil(stride)];
    for_each_row(&mut kth, 1, |s, out| {
        let mut buf = Vec::with_capacity(n);
        k_nearest(x, s * stride, k, &mut buf);
        out[0] = buf[k - 1].0;
    });
    let mid = kth.len() / 2;
    let (_, m, _) = kth.select_nth_unstable_by(mid, f64::total_cmp);
    Ok(*m)
}
