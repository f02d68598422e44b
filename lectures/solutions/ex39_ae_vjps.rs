//! Exercise 39 · project "your own autoencoder on the tape", step 1 of 4: the vector–Jacobian
//! products of the autoencoder's operations (`ad.reverse`).
//!
//! Task: an autoencoder's layer is Z = X W + 1 b (b a 1×n row added to every row of X W), then
//! an activation; its loss is the squared error L = Σ_ij (P_ij − T_ij)². Write the VJPs the
//! tape runs backwards for these operations (exercises 13 and 14 did tanh and the product):
//! given the adjoint of the output (Z̄, Ȳ or the scalar L̄), return the adjoints of the inputs.
//! Then chain them by hand through one whole layer with a sigmoid output, as the tape's
//! backward sweep does.
//!
//! The project: steps 39 (VJPs), 40 (the network's forward pass on the tape), 41 (the
//! training loop with Adam) and 42 (an autoencoder of the digits that beats PCA).
//!
//! Claim: `ad.reverse`. Notes: lectures/notes/02-autodiff.md, section "Every operation and its
//! vector–Jacobian product".

use linalg::Matrix;

/// Z = X + 1 b: (X̄, b̄) from Z̄ (b̄ is 1×n) (`ad.reverse`).
pub fn vjp_add_row_broadcast(z_bar: &Matrix) -> (Matrix, Matrix) {
    // BEGIN SOLUTION: return the adjoints of X and of the bias row b
    let (m, n) = z_bar.shape();
    let b_bar = Matrix::from_fn(1, n, |_, j| (0..m).map(|i| z_bar[(i, j)]).sum());
    (z_bar.clone(), b_bar)
    // END SOLUTION
}

/// Y = σ(X) entry-wise: X̄ from the output Y and Ȳ (`ad.reverse`).
pub fn vjp_sigmoid(y: &Matrix, y_bar: &Matrix) -> Matrix {
    // BEGIN SOLUTION: return the adjoint of X, computed from the forward value Y
    y.zip_map(y_bar, |s, g| g * s * (1.0 - s))
    // END SOLUTION
}

/// L = Σ (P − T)²: P̄ from the scalar L̄ (`ad.reverse`).
pub fn vjp_squared_error(p: &Matrix, t: &Matrix, l_bar: f64) -> Matrix {
    // BEGIN SOLUTION: return the adjoint of the prediction P
    p.zip_map(t, |pi, ti| 2.0 * l_bar * (pi - ti))
    // END SOLUTION
}

/// One sigmoid layer and its loss, L = Σ (σ(X W + 1 b) − T)²: returns (L, W̄, b̄), the
/// gradient of L with respect to W and b, by chaining the VJPs above and the product's
/// (exercise 14) from L̄ = 1 backwards (`ad.reverse`).
pub fn layer_gradient(x: &Matrix, w: &Matrix, b: &Matrix, t: &Matrix) -> (f64, Matrix, Matrix) {
    // BEGIN SOLUTION: return the loss and its gradients with respect to W and b, by the backward sweep
    let mut z = x.matmul(w);
    for i in 0..z.nrows() {
        for (zij, bj) in z.row_mut(i).iter_mut().zip(b.row(0)) {
            *zij += bj;
        }
    }
    let y = z.map(|v| 1.0 / (1.0 + (-v).exp()));
    let loss = y
        .zip_map(t, |a, c| (a - c) * (a - c))
        .as_slice()
        .iter()
        .sum();
    let y_bar = vjp_squared_error(&y, t, 1.0);
    let z_bar = vjp_sigmoid(&y, &y_bar);
    let (xw_bar, b_bar) = vjp_add_row_broadcast(&z_bar);
    (loss, x.tr_matmul(&xw_bar), b_bar)
    // END SOLUTION
}
