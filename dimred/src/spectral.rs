//! The one place where dimred solves its N x N symmetric eigenproblems.
//!
//! Classical MDS, kernel PCA and Isomap all end in "the top d eigenpairs of a centred N x N
//! matrix". Small N goes to the full cyclic Jacobi solver ([`linalg::eigh`]): exact to working
//! precision, every eigenvalue available, and the algorithm the notes teach. Large N goes to
//! the Lanczos top-k solver ([`linalg::top_k_eigh`], `la.eig.top-k`): a few dozen products
//! with the matrix instead of O(N^3) rotations, so N in the thousands takes seconds.

use crate::error::Result;
use linalg::{Matrix, SymmetricOperator, TopKOptions};

/// Which eigensolver the spectral methods use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EigenSolver {
    /// [`EigenSolver::Dense`] for N ≤ [`DENSE_MAX_N`], [`EigenSolver::TopK`] above.
    #[default]
    Auto,
    /// Full cyclic Jacobi: every eigenvalue, O(N^3).
    Dense,
    /// Thick-restart Lanczos for the top d pairs only (seeded, so deterministic).
    TopK,
}

/// Largest N that [`EigenSolver::Auto`] hands to the full Jacobi solver. At N = 200 Jacobi
/// takes about 20 ms; the cost grows like N^3, while Lanczos grows like N^2.
pub const DENSE_MAX_N: usize = 200;

/// The eigenpairs a spectral method gets back.
#[derive(Debug, Clone)]
pub(crate) struct Spectrum {
    /// Eigenvalues, descending: all N of them on the dense path, the top k on the top-k path.
    pub values: Vec<f64>,
    /// N x k, the eigenvectors of the top k values as columns (sign rule `linalg::fix_sign`).
    pub vectors: Matrix,
    /// True when `values` holds the whole spectrum (the dense path).
    pub complete: bool,
}

/// The solver `solver` resolves to for order n.
pub(crate) fn resolve(solver: EigenSolver, n: usize) -> EigenSolver {
    match solver {
        EigenSolver::Auto if n <= DENSE_MAX_N => EigenSolver::Dense,
        EigenSolver::Auto => EigenSolver::TopK,
        s => s,
    }
}

/// The k algebraically largest eigenpairs of the symmetric `b` (values descending, vectors as
/// columns, signs fixed by `linalg::fix_sign`). The dense path returns all eigenvalues.
pub(crate) fn top_eigenpairs(b: &Matrix, k: usize, solver: EigenSolver) -> Result<Spectrum> {
    let n = b.nrows();
    match resolve(solver, n) {
        EigenSolver::Dense => {
            let e = linalg::eigh(b)?;
            Ok(Spectrum {
                vectors: e.vectors.leading_columns(k.min(n)),
                values: e.values,
                complete: true,
            })
        }
        _ => {
            linalg::check_symmetric(b, linalg::JacobiOptions::default().symmetry_tolerance)?;
            let e = linalg::top_k_eigh(&TwoCores(b), k, &TopKOptions::default())?;
            Ok(Spectrum {
                values: e.values,
                vectors: e.vectors,
                complete: false,
            })
        }
    }
}

/// [`top_eigenpairs`] for a matrix symmetric by construction of which only the upper
/// triangle (j ≥ i) is stored (kernel PCA's centred Gram matrix): the top-k path reads only
/// that triangle and skips the symmetry check (which would compare N^2 / 2 entries that were
/// never computed); the dense path mirrors a copy first (N ≤ [`DENSE_MAX_N`], cheap).
pub(crate) fn top_eigenpairs_upper(b: &Matrix, k: usize, solver: EigenSolver) -> Result<Spectrum> {
    match resolve(solver, b.nrows()) {
        EigenSolver::Dense => {
            let mut full = b.clone();
            full.mirror_upper();
            top_eigenpairs(&full, k, EigenSolver::Dense)
        }
        _ => {
            let e = linalg::top_k_eigh(&TwoCores(b), k, &TopKOptions::default())?;
            Ok(Spectrum {
                values: e.values,
                vectors: e.vectors,
                complete: false,
            })
        }
    }
}

/// The symmetric B as an operator whose products y = B x use both cores: the rows of B's
/// upper triangle are cut in two ranges of about equal area (rows 0..r hold half the
/// triangle when r ≈ N(1 - 1/√2)), each range adds its part into its own y on its own
/// thread ([`Matrix::add_upper_rows_product`]), and the two parts are added, first + second.
/// The cut depends on N only, so the result is the same bit for bit on one core or two.
/// A product reads about 13 MB at N = 1800, the Lanczos solver needs a few dozen of them,
/// and starting a thread costs some tens of microseconds: two cores pay from a few hundred
/// rows on ([`TWO_CORES_MIN_N`]).
pub(crate) struct TwoCores<'a>(pub(crate) &'a Matrix);

/// Below this order [`TwoCores`] runs both halves on the calling thread.
pub(crate) const TWO_CORES_MIN_N: usize = 256;

impl SymmetricOperator for TwoCores<'_> {
    fn dim(&self) -> usize {
        self.0.nrows()
    }

    fn apply(&self, x: &[f64], y: &mut [f64]) {
        let n = self.0.nrows();
        let cut = crate::parallel::upper_triangle_cut(n);
        let mut second = vec![0.0; n];
        y.fill(0.0);
        let parallel =
            n >= TWO_CORES_MIN_N && std::thread::available_parallelism().map_or(1, |t| t.get()) > 1;
        if parallel {
            std::thread::scope(|s| {
                s.spawn(|| self.0.add_upper_rows_product(cut..n, x, &mut second));
                self.0.add_upper_rows_product(0..cut, x, y);
            });
        } else {
            self.0.add_upper_rows_product(0..cut, x, y);
            self.0.add_upper_rows_product(cut..n, x, &mut second);
        }
        y.iter_mut().zip(&second).for_each(|(a, b)| *a += b);
    }
}

/// -B as an operator: the top eigenvalues of -B are the most negative eigenvalues of B.
struct Negated<'a>(&'a Matrix);

impl SymmetricOperator for Negated<'_> {
    fn dim(&self) -> usize {
        self.0.nrows()
    }
    fn apply(&self, x: &[f64], y: &mut [f64]) {
        TwoCores(self.0).apply(x, y);
        y.iter_mut().for_each(|v| *v = -*v);
    }
}

/// The m most negative eigenvalues of the symmetric `b` (ascending: most negative first), by
/// the top-k solver on -B. Values that come out non-negative are dropped: then B has fewer
/// than m negative eigenvalues.
pub(crate) fn most_negative_eigenvalues(b: &Matrix, m: usize) -> Result<Vec<f64>> {
    let m = m.min(b.nrows());
    let e = linalg::top_k_eigh(&Negated(b), m, &TopKOptions::default())?;
    Ok(e.values.iter().map(|v| -v).filter(|&v| v < 0.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two-core product is the one-core product, bit for bit, and B x to rounding.
    #[test]
    fn two_cores_change_no_bit() {
        let n = 301;
        assert!(n >= TWO_CORES_MIN_N);
        let b = Matrix::random_symmetric(n, 3);
        let x = Matrix::random_normal(n, 1, 4).into_vec();
        let mut y = vec![0.0; n];
        TwoCores(&b).apply(&x, &mut y);
        let cut = (n as f64 * (1.0 - std::f64::consts::FRAC_1_SQRT_2)) as usize;
        let (mut first, mut second) = (vec![0.0; n], vec![0.0; n]);
        b.add_upper_rows_product(0..cut, &x, &mut first);
        b.add_upper_rows_product(cut..n, &x, &mut second);
        for i in 0..n {
            assert_eq!(y[i].to_bits(), (first[i] + second[i]).to_bits(), "y[{i}]");
        }
        // Each y_i sums n products: n·ε·Σ_j |b_ij x_j|.
        let want = b.matvec(&x);
        let scale = b
            .map(f64::abs)
            .matvec(&x.iter().map(|v| v.abs()).collect::<Vec<_>>());
        for i in 0..n {
            assert!((y[i] - want[i]).abs() <= 2.0 * n as f64 * f64::EPSILON * scale[i]);
        }
    }
}
