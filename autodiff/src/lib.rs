//! # autodiff: reverse-mode automatic differentiation over matrices
//!
//! A tape (Wengert list) in an arena, as plain as micrograd but over matrices, so it is fast
//! enough to train real networks. Build a scalar loss from parameters and data with the
//! tape's operations, call [`Tape::backward`], read each parameter's gradient.
//!
//! | module | what | claims |
//! |---|---|---|
//! | [`tape`] | [`Tape`], the node arena, [`Var`] handles, the backward sweep, buffer reuse | `ad.reverse`, `ad.fan-out` |
//! | [`ops`] | every operation's forward value and vector–Jacobian product, in one table | `ad.reverse` |
//! | [`gradcheck`](mod@gradcheck) | central differences against the tape | `ad.reverse` |
//! | [`tanh`](mod@tanh) | a vectorisable tanh (the C library's costs half a small network's step) | |
//! | [`error`] | [`AutodiffError`] | |
//!
//! The notes' chapter `lectures/notes/02-autodiff.md` explains the mathematics: forward
//! against reverse mode, the tape, the table of VJPs, and why gradients must accumulate.
//!
//! ```
//! use autodiff::Tape;
//! use linalg::Matrix;
//!
//! // One tanh neuron ŷ = tanh(X w + b) on two points, squared loss (`nn.neuron.tanh`).
//! let x = Matrix::from_rows(&[[1.0, 0.5], [-0.5, 2.0]]);
//! let y = Matrix::from_rows(&[[1.0], [-1.0]]);
//! let (w, b) = (Matrix::from_rows(&[[0.1], [-0.3]]), Matrix::zeros(1, 1));
//!
//! let mut tape = Tape::new();
//! for _step in 0..2 {
//!     tape.clear(); // keeps every buffer: the second step allocates nothing
//!     let (xv, yv) = (tape.constant(&x), tape.constant(&y));
//!     let (wv, bv) = (tape.param(&w), tape.param(&b));
//!     let z = tape.matmul(xv, wv);
//!     let z = tape.add_row_broadcast(z, bv);
//!     let p = tape.tanh(z);
//!     let loss = tape.squared_error(p, yv);
//!     tape.backward(loss).unwrap();
//!     assert_eq!(tape.grad(wv).shape(), (2, 1));
//! }
//! println!("{tape}"); // the Wengert list, one line per node
//! ```
//!
//! Conventions: shape mistakes panic at the line that built the node, naming the operation
//! and both shapes; `backward` on a non-scalar, or a NaN or infinity anywhere in the loss or
//! a gradient, is an [`AutodiffError`].
#![forbid(unsafe_code)]

pub mod error;
pub mod gradcheck;
pub mod ops;
pub mod tanh;
pub mod tape;

pub use error::AutodiffError;
pub use gradcheck::{gradcheck, gradcheck_with, numerical_gradient, GradCheck, GradCheckOptions};
pub use tape::{Tape, Var};
