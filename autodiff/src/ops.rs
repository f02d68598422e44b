//! Every operation of the tape: its forward value and its vector–Jacobian product (VJP),
//! side by side.
//!
//! For a node y = op(a, b) and a scalar loss L, write ȳ = ∂L/∂y (same shape as y). The VJP
//! turns ȳ into the contributions ȳ·∂y/∂a and ȳ·∂y/∂b and **adds** them into ā and b̄, so a
//! value used several times receives the sum over its uses (`ad.fan-out`). Notation: ⊙ and ⊘
//! are entry-wise product and quotient, 1 a column of ones, σ the logistic sigmoid,
//! \[a > 0\] the 0/1 indicator, m x n the shape of the input a.
//!
//! | operation | forward y | VJP (added into the parents' gradients) |
//! |---|---|---|
//! | `add(a, b)` | a + b | ā += ȳ, b̄ += ȳ |
//! | `sub(a, b)` | a − b | ā += ȳ, b̄ −= ȳ |
//! | `neg(a)` | −a | ā −= ȳ |
//! | `mul(a, b)` | a ⊙ b | ā += ȳ ⊙ b, b̄ += ȳ ⊙ a |
//! | `div(a, b)` | a ⊘ b | ā += ȳ ⊘ b, b̄ −= ȳ ⊙ y ⊘ b |
//! | `scale(a, α)` | α a | ā += α ȳ |
//! | `matmul(A, B)` | A B | Ā += ȳ Bᵀ, B̄ += Aᵀ ȳ |
//! | `transpose(A)` | Aᵀ | Ā += ȳᵀ |
//! | `add_row_broadcast(X, b)` | X + 1 b (b is 1 x n) | X̄ += ȳ, b̄ += 1ᵀ ȳ |
//! | `sum(a)` | Σ a_ij (1 x 1) | ā_ij += ȳ |
//! | `mean(a)` | Σ a_ij / (mn) (1 x 1) | ā_ij += ȳ / (mn) |
//! | `sum_rows(A)` | 1ᵀ A (1 x n) | ā_ij += ȳ_j |
//! | `sum_cols(A)` | A 1 (m x 1) | ā_ij += ȳ_i |
//! | `square(a)` | a ⊙ a | ā += 2 a ⊙ ȳ |
//! | `sqrt(a)` | √a | ā += ȳ ⊘ (2 y) |
//! | `exp(a)` | eᵃ | ā += ȳ ⊙ y |
//! | `log(a)` | ln a | ā += ȳ ⊘ a |
//! | `tanh(a)` | tanh a | ā += ȳ ⊙ (1 − y ⊙ y) |
//! | `sigmoid(a)` | σ(a) = 1 / (1 + e⁻ᵃ) | ā += ȳ ⊙ y ⊙ (1 − y) |
//! | `relu(a)` | max(a, 0) | ā += ȳ ⊙ \[a > 0\] |
//! | `softplus(a)` | ln(1 + eᵃ) | ā += ȳ ⊙ σ(a) |
//! | `powi(a, k)` | aᵏ | ā += k ȳ ⊙ aᵏ⁻¹ |
//! | `squared_error(p, t)` | Σ (p_ij − t_ij)² (1 x 1) | p̄ += 2 ȳ (p − t), t̄ −= 2 ȳ (p − t) |
//! | `gaussian_kl(μ, ℓ)` | ½ Σ (μ² + eˡ − ℓ − 1) (1 x 1) | μ̄ += ȳ μ, ℓ̄ += ½ ȳ (eˡ − 1) |
//!
//! `gaussian_kl(μ, ℓ)` with ℓ = log σ² is KL(N(μ, diag σ²) ‖ N(0, I)), the VAE's
//! regulariser (`nn.vae.elbo`). The VJPs reuse the forward value y where the derivative is
//! cheapest in terms of it (tanh, sigmoid, exp, sqrt, div), so nothing extra is stored: a
//! node keeps only its value and the indices of its parents. The code below follows the
//! table row by row in one `match` (`Op::eval`): each operation's forward arm is followed by
//! its VJP arm, so the derivative sits beside the function it differentiates, as in
//! micrograd.

use crate::tape::{Tape, Var};
use linalg::{axpy, Matrix};

/// One recorded operation: which it is, the arena indices of its parents, and any scalar it
/// needs. Small and `Copy`: the values live in the tape's arena, not here.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
    /// A parameter or constant bound by the user: no parents.
    Leaf,
    Add(usize, usize),
    Sub(usize, usize),
    Neg(usize),
    Mul(usize, usize),
    Div(usize, usize),
    Scale(usize, f64),
    MatMul(usize, usize),
    Transpose(usize),
    /// (matrix, row vector)
    AddRowBroadcast(usize, usize),
    Sum(usize),
    Mean(usize),
    SumRows(usize),
    SumCols(usize),
    Square(usize),
    Sqrt(usize),
    Exp(usize),
    Log(usize),
    Tanh(usize),
    Sigmoid(usize),
    Relu(usize),
    Softplus(usize),
    Powi(usize, i32),
    /// (prediction, target)
    SquaredError(usize, usize),
    /// (mean μ, log-variance ℓ)
    GaussianKl(usize, usize),
}

// ---------------------------------------------------------------------------------------
// The user's view: one method per operation. Each checks shapes (panicking at the caller's
// line with the operation's name and both shapes) and appends a node.
// ---------------------------------------------------------------------------------------

impl Tape {
    /// Check the operands' shapes, compute the output shape and append the node.
    #[track_caller]
    fn record(&mut self, op: Op) -> Var {
        let shape = op.output_shape(|i| self.shape_at(i));
        self.push(op, shape)
    }

    /// a + b, entry-wise.
    ///
    /// # Panics
    /// If the shapes differ (use [`Tape::add_row_broadcast`] to add a bias row).
    #[track_caller]
    pub fn add(&mut self, a: Var, b: Var) -> Var {
        let op = Op::Add(self.index(a), self.index(b));
        self.record(op)
    }

    /// a − b, entry-wise.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn sub(&mut self, a: Var, b: Var) -> Var {
        let op = Op::Sub(self.index(a), self.index(b));
        self.record(op)
    }

    /// −a.
    #[track_caller]
    pub fn neg(&mut self, a: Var) -> Var {
        let op = Op::Neg(self.index(a));
        self.record(op)
    }

    /// a ⊙ b, the entry-wise (Hadamard) product.
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn mul(&mut self, a: Var, b: Var) -> Var {
        let op = Op::Mul(self.index(a), self.index(b));
        self.record(op)
    }

    /// a ⊘ b, the entry-wise quotient (a zero in b makes `backward` report a non-finite value).
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn div(&mut self, a: Var, b: Var) -> Var {
        let op = Op::Div(self.index(a), self.index(b));
        self.record(op)
    }

    /// α a for a fixed number α (α is not differentiated).
    #[track_caller]
    pub fn scale(&mut self, a: Var, alpha: f64) -> Var {
        let op = Op::Scale(self.index(a), alpha);
        self.record(op)
    }

    /// The matrix product A B.
    ///
    /// # Panics
    /// If `A.ncols() != B.nrows()`.
    #[track_caller]
    pub fn matmul(&mut self, a: Var, b: Var) -> Var {
        let op = Op::MatMul(self.index(a), self.index(b));
        self.record(op)
    }

    /// The transpose Aᵀ.
    #[track_caller]
    pub fn transpose(&mut self, a: Var) -> Var {
        let op = Op::Transpose(self.index(a));
        self.record(op)
    }

    /// X + 1 b: the row vector b (1 x n) added to every row of X (m x n), a layer's bias.
    ///
    /// # Panics
    /// If b is not 1 x n.
    #[track_caller]
    pub fn add_row_broadcast(&mut self, x: Var, b: Var) -> Var {
        let op = Op::AddRowBroadcast(self.index(x), self.index(b));
        self.record(op)
    }

    /// Σ a_ij, as a 1 x 1 node.
    #[track_caller]
    pub fn sum(&mut self, a: Var) -> Var {
        let op = Op::Sum(self.index(a));
        self.record(op)
    }

    /// The mean of all entries, as a 1 x 1 node.
    ///
    /// # Panics
    /// If a has no entries.
    #[track_caller]
    pub fn mean(&mut self, a: Var) -> Var {
        let op = Op::Mean(self.index(a));
        self.record(op)
    }

    /// The rows added together: 1ᵀ A, m x n → 1 x n (the column sums; a bias gradient).
    #[track_caller]
    pub fn sum_rows(&mut self, a: Var) -> Var {
        let op = Op::SumRows(self.index(a));
        self.record(op)
    }

    /// The columns added together: A 1, m x n → m x 1 (one sum per sample).
    #[track_caller]
    pub fn sum_cols(&mut self, a: Var) -> Var {
        let op = Op::SumCols(self.index(a));
        self.record(op)
    }

    /// a², entry-wise.
    #[track_caller]
    pub fn square(&mut self, a: Var) -> Var {
        let op = Op::Square(self.index(a));
        self.record(op)
    }

    /// √a, entry-wise (its derivative is infinite at 0, which `backward` reports).
    #[track_caller]
    pub fn sqrt(&mut self, a: Var) -> Var {
        let op = Op::Sqrt(self.index(a));
        self.record(op)
    }

    /// eᵃ, entry-wise.
    #[track_caller]
    pub fn exp(&mut self, a: Var) -> Var {
        let op = Op::Exp(self.index(a));
        self.record(op)
    }

    /// ln a, entry-wise (a ≤ 0 makes `backward` report a non-finite value).
    #[track_caller]
    pub fn log(&mut self, a: Var) -> Var {
        let op = Op::Log(self.index(a));
        self.record(op)
    }

    /// tanh a, entry-wise.
    #[track_caller]
    pub fn tanh(&mut self, a: Var) -> Var {
        let op = Op::Tanh(self.index(a));
        self.record(op)
    }

    /// The logistic sigmoid 1 / (1 + e⁻ᵃ), entry-wise, computed without overflow.
    #[track_caller]
    pub fn sigmoid(&mut self, a: Var) -> Var {
        let op = Op::Sigmoid(self.index(a));
        self.record(op)
    }

    /// max(a, 0), entry-wise; its derivative at 0 is taken to be 0.
    #[track_caller]
    pub fn relu(&mut self, a: Var) -> Var {
        let op = Op::Relu(self.index(a));
        self.record(op)
    }

    /// ln(1 + eᵃ), entry-wise, computed as max(a, 0) + ln(1 + e^(−|a|)) so it never overflows.
    #[track_caller]
    pub fn softplus(&mut self, a: Var) -> Var {
        let op = Op::Softplus(self.index(a));
        self.record(op)
    }

    /// aᵏ, entry-wise, for an integer k.
    #[track_caller]
    pub fn powi(&mut self, a: Var, k: i32) -> Var {
        let op = Op::Powi(self.index(a), k);
        self.record(op)
    }

    /// The squared error Σ (p_ij − t_ij)² as a 1 x 1 node: the autoencoder's reconstruction
    /// loss (`nn.ae.loss`), the sum not the mean (scale it for a mean).
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn squared_error(&mut self, prediction: Var, target: Var) -> Var {
        let op = Op::SquaredError(self.index(prediction), self.index(target));
        self.record(op)
    }

    /// KL(N(μ, diag e^ℓ) ‖ N(0, I)) = ½ Σ (μ² + e^ℓ − ℓ − 1) as a 1 x 1 node, summed over
    /// every entry (every sample and latent coordinate), with ℓ = log σ² (`nn.vae.elbo`).
    ///
    /// # Panics
    /// If the shapes of μ and ℓ differ.
    #[track_caller]
    pub fn gaussian_kl(&mut self, mu: Var, logvar: Var) -> Var {
        let op = Op::GaussianKl(self.index(mu), self.index(logvar));
        self.record(op)
    }
}

// ---------------------------------------------------------------------------------------
// Bookkeeping: names, parents, shapes.
// ---------------------------------------------------------------------------------------

/// Panic, at the user's call site, with the operation's name and both shapes.
#[track_caller]
fn shape_panic(op: &str, a: (usize, usize), b: (usize, usize), hint: &str) -> ! {
    panic!(
        "{op}: incompatible shapes {}x{} and {}x{}{hint}",
        a.0, a.1, b.0, b.1
    )
}

impl Op {
    /// The operation's name, as in the table and in panics.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Op::Leaf => "leaf",
            Op::Add(..) => "add",
            Op::Sub(..) => "sub",
            Op::Neg(..) => "neg",
            Op::Mul(..) => "mul",
            Op::Div(..) => "div",
            Op::Scale(..) => "scale",
            Op::MatMul(..) => "matmul",
            Op::Transpose(..) => "transpose",
            Op::AddRowBroadcast(..) => "add_row_broadcast",
            Op::Sum(..) => "sum",
            Op::Mean(..) => "mean",
            Op::SumRows(..) => "sum_rows",
            Op::SumCols(..) => "sum_cols",
            Op::Square(..) => "square",
            Op::Sqrt(..) => "sqrt",
            Op::Exp(..) => "exp",
            Op::Log(..) => "log",
            Op::Tanh(..) => "tanh",
            Op::Sigmoid(..) => "sigmoid",
            Op::Relu(..) => "relu",
            Op::Softplus(..) => "softplus",
            Op::Powi(..) => "powi",
            Op::SquaredError(..) => "squared_error",
            Op::GaussianKl(..) => "gaussian_kl",
        }
    }

    pub(crate) fn is_leaf(self) -> bool {
        matches!(self, Op::Leaf)
    }

    /// The parents' arena indices (zero, one or two; the same index twice for `mul(x, x)`).
    pub(crate) fn parents(self) -> impl Iterator<Item = usize> {
        let (a, b) = match self {
            Op::Leaf => (None, None),
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::MatMul(a, b)
            | Op::AddRowBroadcast(a, b)
            | Op::SquaredError(a, b)
            | Op::GaussianKl(a, b) => (Some(a), Some(b)),
            Op::Neg(a)
            | Op::Scale(a, _)
            | Op::Transpose(a)
            | Op::Sum(a)
            | Op::Mean(a)
            | Op::SumRows(a)
            | Op::SumCols(a)
            | Op::Square(a)
            | Op::Sqrt(a)
            | Op::Exp(a)
            | Op::Log(a)
            | Op::Tanh(a)
            | Op::Sigmoid(a)
            | Op::Relu(a)
            | Op::Softplus(a)
            | Op::Powi(a, _) => (Some(a), None),
        };
        a.into_iter().chain(b)
    }

    /// The output shape, or a panic naming the operation and both shapes.
    #[track_caller]
    fn output_shape(self, shape: impl Fn(usize) -> (usize, usize)) -> (usize, usize) {
        let name = self.name();
        match self {
            Op::Leaf => unreachable!("leaves are bound with Tape::param or Tape::constant"),
            Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) => {
                let (sa, sb) = (shape(a), shape(b));
                if sa != sb {
                    let hint = if matches!(self, Op::Add(..)) && sb.0 == 1 && sb.1 == sa.1 {
                        " (to add a row to every row use add_row_broadcast)"
                    } else {
                        ""
                    };
                    shape_panic(name, sa, sb, hint);
                }
                sa
            }
            Op::SquaredError(a, b) | Op::GaussianKl(a, b) => {
                let (sa, sb) = (shape(a), shape(b));
                if sa != sb {
                    shape_panic(name, sa, sb, "");
                }
                (1, 1)
            }
            Op::MatMul(a, b) => {
                let (sa, sb) = (shape(a), shape(b));
                if sa.1 != sb.0 {
                    shape_panic(name, sa, sb, " (A B needs A's columns = B's rows)");
                }
                (sa.0, sb.1)
            }
            Op::AddRowBroadcast(x, b) => {
                let (sx, sb) = (shape(x), shape(b));
                if sb != (1, sx.1) {
                    shape_panic(name, sx, sb, &format!(" (the row must be 1x{})", sx.1));
                }
                sx
            }
            Op::Transpose(a) => (shape(a).1, shape(a).0),
            Op::Sum(_) => (1, 1),
            Op::Mean(a) => {
                let s = shape(a);
                assert!(
                    s.0 * s.1 > 0,
                    "mean: a {}x{} matrix has no entries",
                    s.0,
                    s.1
                );
                (1, 1)
            }
            Op::SumRows(a) => (1, shape(a).1),
            Op::SumCols(a) => (shape(a).0, 1),
            Op::Neg(a)
            | Op::Scale(a, _)
            | Op::Square(a)
            | Op::Sqrt(a)
            | Op::Exp(a)
            | Op::Log(a)
            | Op::Tanh(a)
            | Op::Sigmoid(a)
            | Op::Relu(a)
            | Op::Softplus(a)
            | Op::Powi(a, _) => shape(a),
        }
    }

    /// One operation's forward value and its vector–Jacobian product, side by side: for each
    /// row of the table above, the arm `(op, Forward(y))` writes y = op(parents) and the arm
    /// right below it, `(op, Vjp { .. })`, adds ȳ·∂y/∂(parent) into the gradient of each
    /// parent that needs one. The backward sweep chains the VJPs (`ad.reverse`), which add
    /// rather than assign (`ad.fan-out`).
    ///
    /// `v` holds the values of all earlier nodes, parents included. Forward: `y` has its
    /// shape set and every entry is overwritten. VJP: `needs` says which nodes take a
    /// gradient; `y`, `gy` are this node's value and gradient ȳ; `g` the gradients of all
    /// earlier nodes. The two parents may be the same node (`mul(x, x)`): each contribution
    /// is added in turn, which is exactly the fan-out rule.
    pub(crate) fn eval(self, v: &[Matrix], pass: Pass<'_>) {
        use Pass::{Forward, Vjp};
        match (self, pass) {
            (Op::Leaf, _) => {}

            (Op::Add(a, b), Forward(y)) => zip_into(&v[a], &v[b], y, |a, b| a + b),
            (Op::Add(a, b), Vjp { needs, gy, g, .. }) => {
                if needs[a] {
                    g[a].add_scaled(1.0, gy);
                }
                if needs[b] {
                    g[b].add_scaled(1.0, gy);
                }
            }

            (Op::Sub(a, b), Forward(y)) => zip_into(&v[a], &v[b], y, |a, b| a - b),
            (Op::Sub(a, b), Vjp { needs, gy, g, .. }) => {
                if needs[a] {
                    g[a].add_scaled(1.0, gy);
                }
                if needs[b] {
                    g[b].add_scaled(-1.0, gy);
                }
            }

            (Op::Neg(a), Forward(y)) => map_into(&v[a], y, |a| -a),
            (Op::Neg(a), Vjp { gy, g, .. }) => g[a].add_scaled(-1.0, gy),

            (Op::Mul(a, b), Forward(y)) => zip_into(&v[a], &v[b], y, |a, b| a * b),
            (Op::Mul(a, b), Vjp { needs, gy, g, .. }) => {
                if needs[a] {
                    accumulate(&mut g[a], gy, &v[b], |gy, b| gy * b);
                }
                if needs[b] {
                    accumulate(&mut g[b], gy, &v[a], |gy, a| gy * a);
                }
            }

            (Op::Div(a, b), Forward(y)) => zip_into(&v[a], &v[b], y, |a, b| a / b),
            (Op::Div(a, b), Vjp { needs, y, gy, g }) => {
                if needs[a] {
                    accumulate(&mut g[a], gy, &v[b], |gy, b| gy / b);
                }
                if needs[b] {
                    accumulate3(&mut g[b], gy, y, &v[b], |gy, y, b| -gy * y / b);
                }
            }

            (Op::Scale(a, alpha), Forward(y)) => map_into(&v[a], y, |a| alpha * a),
            (Op::Scale(a, alpha), Vjp { gy, g, .. }) => g[a].add_scaled(alpha, gy),

            (Op::MatMul(a, b), Forward(y)) => v[a].matmul_into(&v[b], y),
            (Op::MatMul(a, b), Vjp { needs, gy, g, .. }) => {
                if needs[a] {
                    g[a].add_matmul_tr(gy, &v[b]); // Ā += ȳ Bᵀ
                }
                if needs[b] {
                    g[b].add_tr_matmul(&v[a], gy); // B̄ += Aᵀ ȳ
                }
            }

            (Op::Transpose(a), Forward(y)) => v[a].transpose_into(y),
            (Op::Transpose(a), Vjp { gy, g, .. }) => add_transposed(gy, &mut g[a]),

            (Op::AddRowBroadcast(x, b), Forward(y)) => add_row_broadcast_forward(&v[x], &v[b], y),
            (Op::AddRowBroadcast(x, b), Vjp { needs, gy, g, .. }) => {
                if needs[x] {
                    g[x].add_scaled(1.0, gy);
                }
                if needs[b] {
                    for row in gy.rows() {
                        axpy(1.0, row, g[b].as_mut_slice()); // b̄ += 1ᵀ ȳ
                    }
                }
            }

            (Op::Sum(a), Forward(y)) => y[(0, 0)] = v[a].as_slice().iter().sum(),
            (Op::Sum(a), Vjp { gy, g, .. }) => {
                let s = gy[(0, 0)];
                g[a].as_mut_slice().iter_mut().for_each(|ga| *ga += s);
            }

            (Op::Mean(a), Forward(y)) => {
                y[(0, 0)] = v[a].as_slice().iter().sum::<f64>() / v[a].as_slice().len() as f64;
            }
            (Op::Mean(a), Vjp { gy, g, .. }) => {
                let s = gy[(0, 0)] / g[a].as_slice().len() as f64;
                g[a].as_mut_slice().iter_mut().for_each(|ga| *ga += s);
            }

            // y = 1ᵀ A: accumulate the rows; every row of Ā gets ȳ.
            (Op::SumRows(a), Forward(y)) => {
                let out = y.as_mut_slice();
                out.fill(0.0);
                for row in v[a].rows() {
                    axpy(1.0, row, out);
                }
            }
            (Op::SumRows(a), Vjp { gy, g, .. }) => {
                let n = gy.ncols();
                for row in g[a].as_mut_slice().chunks_exact_mut(n.max(1)) {
                    axpy(1.0, gy.as_slice(), row);
                }
            }

            // y = A 1: one sum per row; row i of Ā gets ȳ_i.
            (Op::SumCols(a), Forward(y)) => {
                for (y, row) in y.as_mut_slice().iter_mut().zip(v[a].rows()) {
                    *y = row.iter().sum();
                }
            }
            (Op::SumCols(a), Vjp { gy, g, .. }) => {
                let n = g[a].ncols();
                let rows = g[a].as_mut_slice().chunks_exact_mut(n.max(1));
                for (row, &s) in rows.zip(gy.as_slice()) {
                    row.iter_mut().for_each(|ga| *ga += s);
                }
            }

            (Op::Square(a), Forward(y)) => map_into(&v[a], y, |a| a * a),
            (Op::Square(a), Vjp { gy, g, .. }) => {
                accumulate(&mut g[a], gy, &v[a], |gy, a| 2.0 * a * gy)
            }

            (Op::Sqrt(a), Forward(y)) => map_into(&v[a], y, f64::sqrt),
            (Op::Sqrt(a), Vjp { y, gy, g, .. }) => {
                accumulate(&mut g[a], gy, y, |gy, y| gy / (2.0 * y))
            }

            (Op::Exp(a), Forward(y)) => map_into(&v[a], y, f64::exp),
            (Op::Exp(a), Vjp { y, gy, g, .. }) => accumulate(&mut g[a], gy, y, |gy, y| gy * y),

            (Op::Log(a), Forward(y)) => map_into(&v[a], y, f64::ln),
            (Op::Log(a), Vjp { gy, g, .. }) => accumulate(&mut g[a], gy, &v[a], |gy, a| gy / a),

            (Op::Tanh(a), Forward(y)) => crate::tanh::tanh_into(v[a].as_slice(), y.as_mut_slice()),
            (Op::Tanh(a), Vjp { y, gy, g, .. }) => {
                accumulate(&mut g[a], gy, y, |gy, y| gy * (1.0 - y * y))
            }

            (Op::Sigmoid(a), Forward(y)) => map_into(&v[a], y, sigmoid),
            (Op::Sigmoid(a), Vjp { y, gy, g, .. }) => {
                accumulate(&mut g[a], gy, y, |gy, y| gy * y * (1.0 - y))
            }

            // Written so that NaN propagates (f64::max(NaN, 0) would hide it as 0).
            (Op::Relu(a), Forward(y)) => map_into(&v[a], y, |a| if a < 0.0 { 0.0 } else { a }),
            (Op::Relu(a), Vjp { gy, g, .. }) => {
                accumulate(&mut g[a], gy, &v[a], |gy, a| if a > 0.0 { gy } else { 0.0 })
            }

            (Op::Softplus(a), Forward(y)) => map_into(&v[a], y, softplus),
            (Op::Softplus(a), Vjp { gy, g, .. }) => {
                accumulate(&mut g[a], gy, &v[a], |gy, a| gy * sigmoid(a))
            }

            (Op::Powi(a, k), Forward(y)) => map_into(&v[a], y, |a| a.powi(k)),
            // a⁰ = 1 has derivative 0 everywhere (0 · a⁻¹ would be NaN at a = 0).
            (Op::Powi(_, 0), Vjp { .. }) => {}
            (Op::Powi(a, k), Vjp { gy, g, .. }) => {
                let kf = f64::from(k);
                accumulate(&mut g[a], gy, &v[a], |gy, a| kf * gy * a.powi(k - 1))
            }

            (Op::SquaredError(p, t), Forward(y)) => {
                let (p, t) = (v[p].as_slice(), v[t].as_slice());
                y[(0, 0)] = p.iter().zip(t).map(|(p, t)| (p - t) * (p - t)).sum();
            }
            (Op::SquaredError(p, t), Vjp { needs, gy, g, .. }) => {
                let s = 2.0 * gy[(0, 0)];
                if needs[p] {
                    accumulate_zip(&mut g[p], &v[p], &v[t], |p, t| s * (p - t));
                }
                if needs[t] {
                    accumulate_zip(&mut g[t], &v[p], &v[t], |p, t| -s * (p - t));
                }
            }

            (Op::GaussianKl(mu, lv), Forward(y)) => {
                y[(0, 0)] = gaussian_kl(v[mu].as_slice(), v[lv].as_slice());
            }
            (Op::GaussianKl(mu, lv), Vjp { needs, gy, g, .. }) => {
                let s = gy[(0, 0)];
                if needs[mu] {
                    g[mu].add_scaled(s, &v[mu]);
                }
                if needs[lv] {
                    accumulate_map(&mut g[lv], &v[lv], |l| 0.5 * s * l.exp_m1());
                }
            }
        }
    }
}

/// What the tape asks of an operation (`Op::eval`).
pub(crate) enum Pass<'a> {
    /// Compute the node's value into this buffer.
    Forward(&'a mut Matrix),
    /// Add the node's VJP into its parents' gradients.
    Vjp {
        /// Which nodes take a gradient.
        needs: &'a [bool],
        /// The node's value y.
        y: &'a Matrix,
        /// The node's gradient ȳ.
        gy: &'a Matrix,
        /// The gradients of all earlier nodes.
        g: &'a mut [Matrix],
    },
}

// ---------------------------------------------------------------------------------------
// Kernels of the rows above that need a loop of their own, and the KL written once.
// ---------------------------------------------------------------------------------------

/// y = X + 1 b: copy each row of X and add b.
fn add_row_broadcast_forward(x: &Matrix, b: &Matrix, y: &mut Matrix) {
    let n = x.ncols().max(1);
    let b = b.as_slice();
    for (yrow, xrow) in y
        .as_mut_slice()
        .chunks_exact_mut(n)
        .zip(x.as_slice().chunks_exact(n))
    {
        for ((y, &x), &b) in yrow.iter_mut().zip(xrow).zip(b) {
            *y = x + b;
        }
    }
}

/// Ā += ȳᵀ (the VJP of transpose; the forward is `Matrix::transpose_into`).
fn add_transposed(gy: &Matrix, ga: &mut Matrix) {
    let (r, c) = gy.shape();
    let src = gy.as_slice();
    let dst = ga.as_mut_slice();
    for i in 0..r {
        for j in 0..c {
            dst[j * r + i] += src[i * c + j];
        }
    }
}

/// σ(x) = 1 / (1 + e⁻ˣ), evaluated so that the exponential never overflows.
#[inline]
fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)): no overflow for large x, no loss for small.
#[inline]
fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// KL(N(μ, diag e^ℓ) || N(0, I)) = ½ Σ_j (μ_j² + e^{ℓ_j} - ℓ_j - 1), ℓ = log σ²
/// (`nn.vae.elbo`), the one implementation behind the tape's `gaussian_kl` node and the VAE's
/// hand-written loss. Each term is ≥ 0 (e^ℓ ≥ 1 + ℓ and μ² ≥ 0), with equality exactly at
/// μ_j = 0, ℓ_j = 0 (σ_j = 1).
///
/// ```
/// assert_eq!(autodiff::ops::gaussian_kl(&[0.0, 0.0], &[0.0, 0.0]), 0.0);
/// assert!((autodiff::ops::gaussian_kl(&[1.0], &[0.0]) - 0.5).abs() < 1e-15);
/// ```
///
/// # Panics
/// If the lengths differ.
#[track_caller]
pub fn gaussian_kl(mu: &[f64], logvar: &[f64]) -> f64 {
    assert_eq!(
        mu.len(),
        logvar.len(),
        "gaussian_kl: {} means and {} log-variances",
        mu.len(),
        logvar.len()
    );
    0.5 * mu
        .iter()
        .zip(logvar)
        .map(|(&m, &l)| gaussian_kl_term(m, l))
        .sum::<f64>()
}

/// One coordinate's 2·KL: μ² + (e^ℓ - 1 - ℓ), with e^ℓ - 1 as `exp_m1` so that e^ℓ - 1 - ℓ
/// stays accurate for small ℓ (it is ≈ ℓ²/2, which 1 + ℓ - 1 would lose to rounding).
#[inline]
pub fn gaussian_kl_term(mu: f64, logvar: f64) -> f64 {
    mu * mu + (logvar.exp_m1() - logvar)
}

// ---------------------------------------------------------------------------------------
// Entry-wise loops shared by the table's element-wise rows.
// ---------------------------------------------------------------------------------------

/// y_k = f(x_k).
#[inline]
fn map_into(x: &Matrix, y: &mut Matrix, f: impl Fn(f64) -> f64) {
    for (y, &x) in y.as_mut_slice().iter_mut().zip(x.as_slice()) {
        *y = f(x);
    }
}

/// y_k = f(a_k, b_k).
#[inline]
fn zip_into(a: &Matrix, b: &Matrix, y: &mut Matrix, f: impl Fn(f64, f64) -> f64) {
    for ((y, &a), &b) in y
        .as_mut_slice()
        .iter_mut()
        .zip(a.as_slice())
        .zip(b.as_slice())
    {
        *y = f(a, b);
    }
}

/// ḡ_k += f(ȳ_k, u_k).
#[inline]
fn accumulate(g: &mut Matrix, gy: &Matrix, u: &Matrix, f: impl Fn(f64, f64) -> f64) {
    for ((g, &gy), &u) in g
        .as_mut_slice()
        .iter_mut()
        .zip(gy.as_slice())
        .zip(u.as_slice())
    {
        *g += f(gy, u);
    }
}

/// ḡ_k += f(ȳ_k, u_k, w_k).
#[inline]
fn accumulate3(
    g: &mut Matrix,
    gy: &Matrix,
    u: &Matrix,
    w: &Matrix,
    f: impl Fn(f64, f64, f64) -> f64,
) {
    let inputs = gy.as_slice().iter().zip(u.as_slice()).zip(w.as_slice());
    for (g, ((&gy, &u), &w)) in g.as_mut_slice().iter_mut().zip(inputs) {
        *g += f(gy, u, w);
    }
}

/// ḡ_k += f(u_k), for operations with a 1x1 output whose ȳ the closure captures.
#[inline]
fn accumulate_map(g: &mut Matrix, u: &Matrix, f: impl Fn(f64) -> f64) {
    for (g, &u) in g.as_mut_slice().iter_mut().zip(u.as_slice()) {
        *g += f(u);
    }
}

/// ḡ_k += f(u_k, w_k), for operations with a 1x1 output whose ȳ the closure captures.
#[inline]
fn accumulate_zip(g: &mut Matrix, u: &Matrix, w: &Matrix, f: impl Fn(f64, f64) -> f64) {
    for ((g, &u), &w) in g
        .as_mut_slice()
        .iter_mut()
        .zip(u.as_slice())
        .zip(w.as_slice())
    {
        *g += f(u, w);
    }
}
