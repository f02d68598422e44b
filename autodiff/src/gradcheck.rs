//! A gradient checker: the tape's gradient against central finite differences (`ad.reverse`).
//!
//! For each input entry x_k the numerical derivative is the central difference
//!
//! ```text
//! ∂f/∂x_k ≈ (f(x + h e_k) − f(x − h e_k)) / 2h,   h = ε^(1/3) · max(1, |x_k|)
//! ```
//!
//! Its error is about h² |f'''| / 6 (truncation) plus ε |f| / h (rounding in f); h = ε^(1/3)
//! balances the two at about ε^(2/3) ≈ 4e-11 relative to the scale of f and its third
//! derivative. The two estimates are compared by the relative error with a floor,
//!
//! ```text
//! |analytic − numerical| / max(|analytic|, |numerical|, floor)
//! ```
//!
//! where the floor (default 1e-3) stops entries whose true derivative is 0 from dividing
//! rounding noise by noise. A correct VJP gives errors near 1e-9 on well-scaled functions; a
//! wrong one (a missing factor, a sign, a transpose) gives errors of order 1.
//!
//! ```
//! use autodiff::{gradcheck, Tape};
//! use linalg::Matrix;
//!
//! let x = Matrix::from_rows(&[[0.3, -1.2], [0.7, 2.0]]);
//! let report = gradcheck(&[x], |tape, v| {
//!     let t = tape.tanh(v[0]);
//!     let p = tape.mul(t, v[0]); // x used twice: fan-out
//!     tape.sum(p)
//! })
//! .unwrap();
//! assert!(report.max_rel_error < 1e-6, "{report}");
//! ```

use crate::error::AutodiffError;
use crate::tape::{Tape, Var};
use linalg::Matrix;
use std::fmt;

/// Step and floor of the comparison.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradCheckOptions {
    /// Relative step: h = step · max(1, |x_k|). Default ε^(1/3) ≈ 6.06e-6.
    pub step: f64,
    /// Floor of the relative error's denominator. Default 1e-3.
    pub floor: f64,
}

impl Default for GradCheckOptions {
    fn default() -> Self {
        GradCheckOptions {
            step: f64::EPSILON.cbrt(),
            floor: 1e-3,
        }
    }
}

/// The outcome of a gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct GradCheck {
    /// The largest relative error (with the floor) over all entries of all inputs.
    pub max_rel_error: f64,
    /// Where it occurred: (input number, (row, column)).
    pub worst: (usize, (usize, usize)),
    /// The tape's gradient for each input.
    pub analytic: Vec<Matrix>,
    /// The central-difference gradient for each input.
    pub numerical: Vec<Matrix>,
}

impl fmt::Display for GradCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (k, (i, j)) = self.worst;
        if self.analytic.is_empty() || self.analytic[k].is_empty() {
            return write!(f, "gradient check: no entries");
        }
        write!(
            f,
            "gradient check: max relative error {:.3e} at input {k} entry ({i}, {j}): \
             tape {:.12e}, central difference {:.12e}",
            self.max_rel_error,
            self.analytic[k][(i, j)],
            self.numerical[k][(i, j)]
        )
    }
}

/// Check the tape's gradient of `f` at `inputs` against central differences, with the
/// default options. `f` receives a tape on which the inputs are bound as parameters (in
/// order) and returns the scalar output; bind data it needs with `tape.constant`.
///
/// # Errors
/// Whatever [`Tape::backward`] reports for the output (not 1x1, non-finite), or
/// [`AutodiffError::NotScalar`] if a perturbed evaluation is not 1x1.
pub fn gradcheck<F>(inputs: &[Matrix], f: F) -> Result<GradCheck, AutodiffError>
where
    F: FnMut(&mut Tape, &[Var]) -> Var,
{
    gradcheck_with(inputs, GradCheckOptions::default(), f)
}

/// [`gradcheck`] with explicit options.
///
/// # Errors
/// As [`gradcheck`].
pub fn gradcheck_with<F>(
    inputs: &[Matrix],
    options: GradCheckOptions,
    mut f: F,
) -> Result<GradCheck, AutodiffError>
where
    F: FnMut(&mut Tape, &[Var]) -> Var,
{
    let mut tape = Tape::new();
    let vars: Vec<Var> = inputs.iter().map(|x| tape.param(x)).collect();
    let out = f(&mut tape, &vars);
    tape.backward(out)?;
    let analytic: Vec<Matrix> = vars.iter().map(|&v| tape.grad(v).clone()).collect();
    let numerical = numerical_gradient_on(&mut tape, inputs, options.step, &mut f)?;

    let mut max_rel_error = 0.0;
    let mut worst = (0, (0, 0));
    for (k, (a, n)) in analytic.iter().zip(&numerical).enumerate() {
        let cols = a.ncols().max(1);
        for (e, (&a, &n)) in a.as_slice().iter().zip(n.as_slice()).enumerate() {
            let denominator = a.abs().max(n.abs()).max(options.floor);
            let rel = (a - n).abs() / denominator;
            // A NaN must never pass a check: it becomes the worst error.
            if rel > max_rel_error || rel.is_nan() {
                max_rel_error = if rel.is_nan() { f64::INFINITY } else { rel };
                worst = (k, (e / cols, e % cols));
            }
        }
    }
    Ok(GradCheck {
        max_rel_error,
        worst,
        analytic,
        numerical,
    })
}

/// The central-difference gradient of the scalar function `f` at `inputs`, one matrix per
/// input, with the relative step h = step · max(1, |x_k|) (ε^(1/3) is a good step).
///
/// # Errors
/// [`AutodiffError::NotScalar`] if `f` does not return a 1x1 node.
pub fn numerical_gradient<F>(
    inputs: &[Matrix],
    step: f64,
    mut f: F,
) -> Result<Vec<Matrix>, AutodiffError>
where
    F: FnMut(&mut Tape, &[Var]) -> Var,
{
    numerical_gradient_on(&mut Tape::new(), inputs, step, &mut f)
}

fn numerical_gradient_on<F>(
    tape: &mut Tape,
    inputs: &[Matrix],
    step: f64,
    f: &mut F,
) -> Result<Vec<Matrix>, AutodiffError>
where
    F: FnMut(&mut Tape, &[Var]) -> Var,
{
    let mut x: Vec<Matrix> = inputs.to_vec();
    let mut grads = Vec::with_capacity(inputs.len());
    for k in 0..x.len() {
        let mut g = Matrix::zeros(x[k].nrows(), x[k].ncols());
        for e in 0..x[k].as_slice().len() {
            let orig = x[k].as_slice()[e];
            let h = step * orig.abs().max(1.0);
            let (up, down) = (orig + h, orig - h);
            x[k].as_mut_slice()[e] = up;
            let f_up = evaluate(tape, &x, f)?;
            x[k].as_mut_slice()[e] = down;
            let f_down = evaluate(tape, &x, f)?;
            x[k].as_mut_slice()[e] = orig;
            // Divide by the step actually taken (up − down is exact in floating point
            // only up to rounding of orig ± h).
            g.as_mut_slice()[e] = (f_up - f_down) / (up - down);
        }
        grads.push(g);
    }
    Ok(grads)
}

/// f(x) on a cleared tape (reusing its buffers).
fn evaluate<F>(tape: &mut Tape, x: &[Matrix], f: &mut F) -> Result<f64, AutodiffError>
where
    F: FnMut(&mut Tape, &[Var]) -> Var,
{
    tape.clear();
    let vars: Vec<Var> = x.iter().map(|x| tape.param(x)).collect();
    let out = f(tape, &vars);
    let (rows, cols) = tape.shape(out);
    if (rows, cols) != (1, 1) {
        return Err(AutodiffError::NotScalar {
            node: out.index(),
            rows,
            cols,
        });
    }
    Ok(tape.scalar(out))
}
