//! Diffusion maps (`dr.diffusion.markov`; Coifman & Lafon, *Diffusion maps*, 2006).
//!
//! 1. Gaussian kernel K_ij = exp(-||x_i - x_j||^2 / ε).
//! 2. α-normalisation K^(α) = D^{-α} K D^{-α}, D = diag(Σ_j K_ij). α = 0 is the classical
//!    normalised graph Laplacian, α = ½ the Fokker–Planck operator, α = 1 removes the effect
//!    of the sampling density and recovers the Laplace–Beltrami operator of the manifold.
//! 3. P = D_α^{-1} K^(α), D_α = diag(d), d_i = Σ_j K^(α)_ij: a Markov matrix (rows sum to 1),
//!    λ_0 = 1 with constant right eigenvector ψ_0, stationary distribution π_i = d_i / Σ d.
//! 4. P is not symmetric, but it is similar to S = D_α^{-1/2} K^(α) D_α^{-1/2}, which is:
//!    P = D_α^{-1/2} S D_α^{1/2}. So S = Φ Λ Φ^T goes to the symmetric solver (full Jacobi or
//!    the top-k Lanczos solver, chosen by size in `spectral`), and the right eigenvectors of P
//!    are ψ_k = sqrt(Σ d) D_α^{-1/2} φ_k, normalised so that Σ_i π_i ψ_k(i)^2 = 1 (ψ_0 ≡ 1).
//! 5. Coordinates at diffusion time t: Ψ_t(x_i) = (λ_1^t ψ_1(i), ..., λ_d^t ψ_d(i)).
//!
//! Diffusion distance. D_t(i, j)^2 = Σ_m (P^t_im - P^t_jm)^2 / π_m. With P^t = Σ_k λ_k^t ψ_k χ_k^T
//! and left eigenvectors χ_k = π ⊙ ψ_k, the columns χ_k / sqrt(π) are orthonormal, so
//! D_t(i, j)^2 = Σ_{k≥1} λ_k^{2t} (ψ_k(i) - ψ_k(j))^2 (the k = 0 term vanishes because ψ_0 is
//! constant): the Euclidean distance of the full diffusion coordinates. Keeping the top d
//! terms is the best d-term approximation because |λ_k|^t decays.
//!
//! Defaults, stated because users ask: α = 1 (density-independent), t = 1, and
//! ε = median over i of the squared distance from x_i to its 10-th nearest neighbour
//! ([`EpsilonRule::MedianKnn`]): the kernel then gives weight e^{-1} to the typical 10-th
//! neighbour, so each point "sees" about ten neighbours whatever the units of the data.
//! The diffusion time only scales the coordinates (λ^t); it never enters the normalisation.
//!
//! Nearly disconnected data. When some point or group is almost cut off (ε small against
//! their distance to the rest), λ_1 comes within a few N ε of λ_0 = 1, and no eigensolver can
//! separate ψ_1 from the constant ψ_0: the two mix by an angle of about N ε / (1 - λ_1). The
//! eigenvalues are reported, so 1 - λ_1 can be checked; a larger ε or k is then the remedy.

use crate::error::{DimredError, Result};
use crate::parallel::for_each_row;
use crate::smacof::pairwise_sq_distances_parallel;
use crate::spectral::{self, EigenSolver};
use linalg::Matrix;

/// How ε, the kernel's squared length scale, is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EpsilonRule {
    /// ε given.
    Fixed(f64),
    /// ε = median over points of the squared distance to their k-th nearest neighbour.
    MedianKnn {
        /// The neighbour rank k (default 10).
        k: usize,
    },
}

/// Diffusion maps into `n_components` dimensions (`dr.diffusion.markov`).
///
/// ```
/// use dimred::diffusion::DiffusionMaps;
/// let circle = dimred::data::noisy_circle(100, 0.0, 1);
/// let fit = DiffusionMaps::new(2).fit(&circle.x).unwrap();
/// assert!((fit.eigenvalues[0] - 1.0).abs() < 1e-12); // λ_0 = 1: P is a Markov matrix
/// assert!(fit.eigenvalues[1] < 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiffusionMaps {
    /// Embedding dimension d (the trivial ψ_0 is not counted).
    pub n_components: usize,
    /// Kernel scale. Default [`EpsilonRule::MedianKnn`] with k = 10.
    pub epsilon: EpsilonRule,
    /// Density normalisation α ∈ [0, 1]; 0, ½ and 1 are the standard choices. Default 1.
    pub alpha: f64,
    /// Diffusion time t (integer: P^t is a matrix power). Default 1.
    pub t: u32,
    /// Full Jacobi or Lanczos top-k (automatic by size by default).
    pub solver: EigenSolver,
}

/// The result of diffusion maps.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionFit {
    /// N x d: Ψ_t = (λ_1^t ψ_1, ..., λ_d^t ψ_d).
    pub embedding: Matrix,
    /// Eigenvalues of P (= of S), descending, starting with λ_0 = 1: all N on the dense path,
    /// the top d + 1 on the top-k path.
    pub eigenvalues: Vec<f64>,
    /// N x (d + 1): the right eigenvectors ψ_0 (≡ 1), ..., ψ_d of P, π-orthonormal.
    pub psi: Matrix,
    /// The stationary distribution π_i = d_i / Σ d of P.
    pub stationary: Vec<f64>,
    /// The ε used.
    pub epsilon: f64,
}

/// The pieces of the Markov chain: K^(α) and its row sums d.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkovChain {
    /// The symmetric S = D_α^{-1/2} K^(α) D_α^{-1/2}.
    pub s: Matrix,
    /// d_i = Σ_j K^(α)_ij.
    pub degrees: Vec<f64>,
    /// The ε used.
    pub epsilon: f64,
}

impl MarkovChain {
    /// P = D_α^{-1} K^(α) = D_α^{-1/2} S D_α^{1/2}, formed explicitly (O(N^2); for tests and
    /// teaching: the method itself only needs S).
    pub fn transition_matrix(&self) -> Matrix {
        let n = self.degrees.len();
        let sq: Vec<f64> = self.degrees.iter().map(|d| d.sqrt()).collect();
        Matrix::from_fn(n, n, |i, j| self.s[(i, j)] * sq[j] / sq[i])
    }

    /// The stationary distribution π_i = d_i / Σ d (π^T P = π^T).
    pub fn stationary(&self) -> Vec<f64> {
        let vol: f64 = self.degrees.iter().sum();
        self.degrees.iter().map(|d| d / vol).collect()
    }
}

impl DiffusionMaps {
    /// Diffusion maps into `d` dimensions with the defaults above.
    pub fn new(d: usize) -> Self {
        DiffusionMaps {
            n_components: d,
            epsilon: EpsilonRule::MedianKnn { k: 10 },
            alpha: 1.0,
            t: 1,
            solver: EigenSolver::Auto,
        }
    }

    /// The symmetric conjugate S and the degrees d of the chain on the rows of `x`.
    ///
    /// # Errors
    /// `InvalidArgument` if α ∉ [0, 1], ε ≤ 0 (or not finite), k ∉ 1..N, or N < 2;
    /// `Linalg` for non-finite data.
    pub fn markov_chain(&self, x: &Matrix) -> Result<MarkovChain> {
        crate::error::check_finite(x)?;
        let n = x.nrows();
        if n < 2 {
            return Err(DimredError::InvalidArgument(format!(
                "diffusion maps: need at least 2 points, got {n}"
            )));
        }
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(DimredError::InvalidArgument(format!(
                "diffusion maps: α = {} must lie in [0, 1] (0, ½ and 1 are the standard choices)",
                self.alpha
            )));
        }
        let mut k = pairwise_sq_distances_parallel(x);
        let epsilon = match self.epsilon {
            EpsilonRule::Fixed(e) => e,
            EpsilonRule::MedianKnn { k: kk } => median_knn_sq_distance(&k, kk)?,
        };
        if !(epsilon > 0.0 && epsilon.is_finite()) {
            return Err(DimredError::InvalidArgument(format!(
                "diffusion maps: ε = {epsilon} must be positive and finite (the median-k-NN rule \
                 gives 0 when most points have k duplicates; set ε or k explicitly)"
            )));
        }
        let inv_eps = 1.0 / epsilon;
        // K_ij = exp(-Δ²_ij / ε) in place, with the row sums q_i in the same pass. K_ii = 1,
        // so every q_i ≥ 1: no division by zero below.
        let q = map_rows_with_sums(&mut k, |v| (-v * inv_eps).exp());
        let q_alpha: Vec<f64> = q.iter().map(|v| v.powf(-self.alpha)).collect();
        // K^(α)_ij = K_ij q_i^{-α} q_j^{-α}; d_i = Σ_j K^(α)_ij.
        let mut degrees = vec![0.0; n];
        for_each_row(&mut degrees, 1, |i, out| {
            out[0] = q_alpha[i] * linalg::dot(k.row(i), &q_alpha);
        });
        // S_ij = K_ij (q_i q_j)^{-α} / sqrt(d_i d_j) = K_ij c_i c_j with c = q^{-α} / sqrt(d):
        // a product of the same two factors in either order, so S is exactly symmetric.
        let c: Vec<f64> = q_alpha
            .iter()
            .zip(&degrees)
            .map(|(a, d)| a / d.sqrt())
            .collect();
        for_each_row(k.as_mut_slice(), n, |i, row| {
            let ci = c[i];
            row.iter_mut().zip(&c).for_each(|(v, cj)| *v *= ci * cj);
        });
        Ok(MarkovChain {
            s: k,
            degrees,
            epsilon,
        })
    }

    /// Fit on N x D data.
    ///
    /// # Errors
    /// As [`DiffusionMaps::markov_chain`]; `InvalidArgument` unless 1 ≤ d < N;
    /// `DisconnectedGraph` when the kernel is exactly zero between groups of points (ε far
    /// below their squared distances); `Linalg` if the eigensolver fails.
    pub fn fit(&self, x: &Matrix) -> Result<DiffusionFit> {
        let n = x.nrows();
        let d = self.n_components;
        if d == 0 || d >= n {
            return Err(DimredError::InvalidArgument(format!(
                "diffusion maps: n_components = {d} must be between 1 and N - 1 = {}",
                n.saturating_sub(1)
            )));
        }
        let chain = self.markov_chain(x)?;
        // Kernel entries below e^{-745} underflow to exactly 0 (ε far below the squared
        // distances). Points with no non-zero link to each other form separate chains: λ = 1
        // is then repeated and the eigenvectors mix the components arbitrarily, so no
        // embedding is defined (as for Isomap's disconnected graph).
        let sizes = kernel_components(&chain.s);
        if sizes.len() > 1 {
            return Err(DimredError::DisconnectedGraph {
                component_sizes: sizes,
                neighbourhood: format!(
                    "Gaussian kernel exp(-Δ²/ε) with ε = {:e}, zero between components",
                    chain.epsilon
                ),
            });
        }
        let spec = spectral::top_eigenpairs(&chain.s, d + 1, self.solver)?;
        let vol: f64 = chain.degrees.iter().sum();
        // ψ_k = sqrt(vol) D_α^{-1/2} φ_k, with the sign that makes ψ_0 positive.
        let scale: Vec<f64> = chain.degrees.iter().map(|di| (vol / di).sqrt()).collect();
        let mut psi = spec.vectors.clone();
        for (i, row) in psi.as_mut_slice().chunks_exact_mut(d + 1).enumerate() {
            row.iter_mut().for_each(|v| *v *= scale[i]);
        }
        let mut embedding = Matrix::zeros(n, d);
        for i in 0..n {
            for k in 0..d {
                embedding[(i, k)] = spec.values[k + 1].powi(self.t as i32) * psi[(i, k + 1)];
            }
        }
        Ok(DiffusionFit {
            embedding,
            eigenvalues: spec.values,
            psi,
            stationary: chain.stationary(),
            epsilon: chain.epsilon,
        })
    }
}

/// Sizes of the connected components of the graph with an edge i–j wherever S_ij ≠ 0,
/// largest first: a depth-first search over the dense rows, O(N²).
fn kernel_components(s: &Matrix) -> Vec<usize> {
    let n = s.nrows();
    let mut seen = vec![false; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut size = 0;
        while let Some(u) = stack.pop() {
            size += 1;
            for (v, &w) in s.row(u).iter().enumerate() {
                if w != 0.0 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        sizes.push(size);
    }
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

/// Replace every entry a_ij of the square matrix `a` by f(a_ij) and return the row sums of the
/// result: one pass over the N^2 entries, the rows split in two halves on two scoped threads
/// (each row's sum is computed in the same order either way, so the result does not depend on
/// the number of cores).
fn map_rows_with_sums(a: &mut Matrix, f: impl Fn(f64) -> f64 + Sync) -> Vec<f64> {
    let n = a.ncols().max(1);
    let mut sums = vec![0.0; a.nrows()];
    let half = a.nrows().div_ceil(2);
    let work = |rows: &mut [f64], out: &mut [f64]| {
        for (row, s) in rows.chunks_exact_mut(n).zip(out.iter_mut()) {
            let mut t = 0.0;
            for v in row.iter_mut() {
                *v = f(*v);
                t += *v;
            }
            *s = t;
        }
    };
    let (top, bottom) = a.as_mut_slice().split_at_mut(half * n);
    let (s_top, s_bottom) = sums.split_at_mut(half);
    std::thread::scope(|scope| {
        scope.spawn(|| work(top, s_top));
        work(bottom, s_bottom);
    });
    sums
}

/// Median over rows of the k-th smallest off-diagonal entry of the squared-distance matrix.
fn median_knn_sq_distance(sq: &Matrix, k: usize) -> Result<f64> {
    let n = sq.nrows();
    if k == 0 || k >= n {
        return Err(DimredError::InvalidArgument(format!(
            "diffusion maps: the ε rule's k = {k} must be between 1 and N - 1 = {}",
            n - 1
        )));
    }
    let mut kth = vec![0.0; n];
    for_each_row(&mut kth, 1, |i, out| {
        let mut row: Vec<f64> = sq
            .row(i)
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &v)| v)
            .collect();
        let (_, v, _) = row.select_nth_unstable_by(k - 1, f64::total_cmp);
        out[0] = *v;
    });
    let mid = n / 2;
    let (_, m, _) = kth.select_nth_unstable_by(mid, f64::total_cmp);
    Ok(*m)
}

/// The diffusion distance D_t(i, j) = sqrt(Σ_m (P^t_im - P^t_jm)^2 / π_m) between every two
/// rows of the transition matrix P (formed by [`MarkovChain::transition_matrix`]), by t
/// explicit matrix products: the definition, O(t N^3), for checking the identity with the
/// diffusion coordinates.
pub fn diffusion_distances(p: &Matrix, stationary: &[f64], t: u32) -> Matrix {
    let n = p.nrows();
    let mut pt = Matrix::identity(n);
    for _ in 0..t {
        pt = pt.matmul(p);
    }
    Matrix::from_fn(n, n, |i, j| {
        let s: f64 = (0..n)
            .map(|m| {
                let e = pt[(i, m)] - pt[(j, m)];
                e * e / stationary[m]
            })
            .sum();
        s.sqrt()
    })
}
