//! Kernels k(x, y) for kernel PCA: inner products in a feature space that is never built.
//!
//! Parameterised as scikit-learn's `pairwise_kernels`, so the same numbers mean the same
//! kernels: linear <x, y>; polynomial (γ <x, y> + c_0)^p; RBF exp(-γ ||x - y||^2).

use linalg::{dot, sq_dist, Matrix};

/// A positive semidefinite kernel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// k(x, y) = <x, y>. Kernel PCA with it is PCA.
    Linear,
    /// k(x, y) = (γ <x, y> + c_0)^p.
    Polynomial {
        /// Degree p.
        degree: u32,
        /// Scale γ of the inner product (scikit-learn's default is 1 / D).
        gamma: f64,
        /// Offset c_0 ≥ 0 (scikit-learn's default is 1).
        coef0: f64,
    },
    /// k(x, y) = exp(-γ ||x - y||^2), γ = 1 / (2σ^2) for a Gaussian of width σ.
    Rbf {
        /// Inverse squared length scale γ > 0.
        gamma: f64,
    },
}

impl Kernel {
    /// k(x, y) for two samples of equal length.
    pub fn eval(&self, x: &[f64], y: &[f64]) -> f64 {
        match *self {
            Kernel::Linear => dot(x, y),
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            } => (gamma * dot(x, y) + coef0).powi(degree as i32),
            Kernel::Rbf { gamma } => (-gamma * sq_dist(x, y)).exp(),
        }
    }

    /// The N x N Gram matrix K_ij = k(x_i, x_j) of the rows of `x`; exactly symmetric (only
    /// the upper triangle is evaluated). The RBF kernel goes through [`rbf_gram`].
    pub fn gram(&self, x: &Matrix) -> Matrix {
        if let Kernel::Rbf { gamma } = *self {
            return rbf_gram(x, gamma);
        }
        self.gram_upper(x)
    }

    /// The upper triangle (j ≥ i) of [`Kernel::gram`]; what lies below the diagonal is
    /// unspecified (the RBF kernel leaves it unevaluated, [`rbf_gram_upper`]). For a caller
    /// that reads only the upper triangle, as kernel PCA's centring and Lanczos products do:
    /// it saves mirroring N^2 / 2 entries, and checking a symmetry that holds by construction.
    pub fn gram_upper(&self, x: &Matrix) -> Matrix {
        if let Kernel::Rbf { gamma } = *self {
            return rbf_gram_upper(x, gamma);
        }
        let n = x.nrows();
        let mut k = Matrix::zeros(n, n);
        for i in 0..n {
            let xi = x.row(i);
            for j in i..n {
                let v = self.eval(xi, x.row(j));
                k[(i, j)] = v;
                k[(j, i)] = v;
            }
        }
        k
    }

    /// The M x N cross kernel K_ij = k(y_i, x_j) between the rows of `y` (new points) and of
    /// `x` (training points).
    ///
    /// # Panics
    /// If the column counts differ.
    #[track_caller]
    pub fn cross(&self, y: &Matrix, x: &Matrix) -> Matrix {
        assert_eq!(
            y.ncols(),
            x.ncols(),
            "Kernel::cross: new points have {} features, training points {}",
            y.ncols(),
            x.ncols()
        );
        Matrix::from_fn(y.nrows(), x.nrows(), |i, j| self.eval(y.row(i), x.row(j)))
    }
}

/// The RBF Gram matrix K_ij = exp(-γ ||x_i - x_j||^2): [`rbf_gram_upper`], mirrored.
pub fn rbf_gram(x: &Matrix, gamma: f64) -> Matrix {
    let mut k = rbf_gram_upper(x, gamma);
    k.mirror_upper();
    k
}

/// The upper triangle (j ≥ i) of the RBF Gram matrix from one product: with G = X X^T,
/// ||x_i - x_j||^2 = G_ii + G_jj - 2 G_ij. The entries below the diagonal are unspecified.
///
/// G comes from the symmetric rank-k product of X^T ([`Matrix::gram_columns_upper`]: register
/// tiles, upper triangle only, both cores), then the upper triangle is turned into kernel
/// values by the branch-free [`exp_nonpositive`], which the compiler vectorises, the rows cut
/// between the cores so that each gets half the triangle. Computing distances from G cancels:
/// the rounding of a squared distance is about ε (G_ii + G_jj) rather than
/// ε ||x_i - x_j||^2, so a distance is clamped at 0, and k is off by at most γ ε (G_ii + G_jj)
/// absolutely, far below the kernel's own scale 1 (on the digits, γ = 4e-4 and G_ii ≤ 6000:
/// about 1e-15). The diagonal is exactly 1 (G_ii taken as the squared norm), and the formula
/// is symmetric in i and j, so the mirrored matrix ([`rbf_gram`]) is exactly symmetric.
pub fn rbf_gram_upper(x: &Matrix, gamma: f64) -> Matrix {
    let mut k = x.transpose().gram_columns_upper();
    let sq_norms = k.diag();
    let n = sq_norms.len();
    crate::parallel::for_each_upper_row(k.as_mut_slice(), n, |i, row| {
        let ni = sq_norms[i];
        for (v, &nj) in row[i..].iter_mut().zip(&sq_norms[i..]) {
            let d2 = ((ni + nj) - 2.0 * *v).max(0.0);
            *v = exp_nonpositive(-gamma * d2);
        }
    });
    k
}

/// e^x for x ≤ 0, in straight-line code the compiler can vectorise (the library `exp` is a
/// call per value): about 1 ulp, 0 below -708.39 (where e^x is no longer a normal number).
///
/// Range reduction x = k ln 2 + r with k = round(x / ln 2) and |r| ≤ ln 2 / 2; ln 2 is split
/// Cody–Waite style into a head with trailing zero bits (k · head is exact) and a tail, so r is
/// accurate to an ulp. e^r is its Taylor polynomial of degree 13 by Horner (the remainder
/// (ln 2 / 2)^14 / 14! ≈ 4e-18 is below an ulp), and 2^k is built from its exponent bits. The
/// rounding of x / ln 2 uses the shift 1.5 · 2^52: adding it leaves round(x / ln 2) in the low
/// bits of the sum, which gives k both as a number and as an integer without a conversion.
#[inline]
pub fn exp_nonpositive(x: f64) -> f64 {
    const SHIFT: f64 = 6_755_399_441_055_744.0; // 1.5 · 2^52
    const LN2_HI: f64 = 0.693_147_180_369_123_8; // 32 significant bits, then zeros
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    const UNDERFLOW: f64 = -708.39;
    let xc = x.max(UNDERFLOW);
    let shifted = xc * std::f64::consts::LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let r = (xc - k * LN2_HI) - k * LN2_LO;
    // Horner for Σ_{j ≤ 13} r^j / j!.
    let mut p = 1.0 / 6_227_020_800.0; // 1/13!
    for c in [
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ] {
        p = p * r + c;
    }
    // k ∈ [-1022, 0]: the low bits of `shifted` hold k in two's complement.
    let ki = shifted.to_bits().wrapping_sub(SHIFT.to_bits());
    let two_k = f64::from_bits(ki.wrapping_add(1023) << 52);
    if x < UNDERFLOW {
        0.0
    } else {
        p * two_k
    }
}

impl std::fmt::Display for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kernel::Linear => write!(f, "linear"),
            Kernel::Polynomial {
                degree,
                gamma,
                coef0,
            } => write!(
                f,
                "polynomial (degree {degree}, γ = {}, c0 = {})",
                Short(*gamma),
                Short(*coef0)
            ),
            Kernel::Rbf { gamma } => write!(f, "RBF (γ = {})", Short(*gamma)),
        }
    }
}

/// A parameter as the user would write it: `{}` of f64 never uses an exponent, so γ = 1e300
/// printed 301 digits; very large or small magnitudes use scientific notation instead.
struct Short(f64);

impl std::fmt::Display for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = self.0.abs();
        if a != 0.0 && a.is_finite() && !(1e-4..1e6).contains(&a) {
            write!(f, "{:e}", self.0)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vectorisable exponential against the library's: within 2 ulp on [-708, 0] (both
    /// are about 1 ulp from e^x), exactly 1 at 0, and 0 below the normal range.
    #[test]
    fn exp_nonpositive_matches_the_library() {
        let mut worst = 0.0f64;
        for i in 0..=200_000 {
            let x = -708.0 * (i as f64 / 200_000.0).powi(3);
            let (ours, lib) = (exp_nonpositive(x), x.exp());
            worst = worst.max(((ours - lib) / lib).abs());
        }
        assert!(worst <= 2.0 * f64::EPSILON, "relative error {worst:e}");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-1000.0), 0.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
    }

    /// The RBF Gram matrix from X Xᵀ: exactly symmetric with a unit diagonal, and within the
    /// cancellation bound of the direct exp(-γ ||x_i - x_j||²): the squared distance is off by
    /// about (D + 3)·ε·(G_ii + G_jj) (G_ij sums D products, then three more roundings), k by γ
    /// times that; 8·D covers the constant, 4ε the exponentials.
    #[test]
    fn rbf_gram_from_the_product_matches_the_definition() {
        let x = Matrix::random_normal(150, 7, 3).scale(3.0);
        let gamma = 0.05;
        let k = rbf_gram(&x, gamma);
        assert_eq!(k, k.transpose());
        let n2: Vec<f64> = x.rows().map(|r| dot(r, r)).collect();
        for i in 0..x.nrows() {
            assert_eq!(k[(i, i)], 1.0);
            for j in 0..x.nrows() {
                let direct = (-gamma * sq_dist(x.row(i), x.row(j))).exp();
                let tol = 8.0 * 7.0 * gamma * f64::EPSILON * (n2[i] + n2[j]) + 4.0 * f64::EPSILON;
                assert!((k[(i, j)] - direct).abs() <= tol, "({i}, {j})");
            }
        }
    }

    /// Regression: γ = 1e300 printed as 301 digits in the CLI's summary line.
    #[test]
    fn parameters_print_compactly() {
        assert_eq!(Kernel::Rbf { gamma: 1e300 }.to_string(), "RBF (γ = 1e300)");
        assert_eq!(Kernel::Rbf { gamma: 0.25 }.to_string(), "RBF (γ = 0.25)");
        let p = Kernel::Polynomial {
            degree: 2,
            gamma: 1e-9,
            coef0: 1.0,
        };
        assert_eq!(p.to_string(), "polynomial (degree 2, γ = 1e-9, c0 = 1)");
    }
}
