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
            let e = linalg::top_k_eigh(b, k, &TopKOptions::default())?;
            Ok(Spectrum {
                values: e.values,
                vectors: e.vectors,
                complete: false,
            })
        }
    }
}

/// -B as an operator: the top eigenvalues of -B are the most negative eigenvalues of B.
struct Negated<'a>(&'a Matrix);

impl SymmetricOperator for Negated<'_> {
    fn dim(&self) -> usize {
        self.0.nrows()
    }
    fn apply(&self, x: &[f64], y: &mut [f64]) {
        self.0.apply(x, y);
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
