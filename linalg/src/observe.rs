//! # Observers: watching an iterative computation
//!
//! Every iterative algorithm of the workspace (Jacobi sweeps, Lanczos restarts, SMACOF and
//! sketch-map iterations, SNE/t-SNE iterations, training epochs) follows one convention, so a
//! reader learns it once:
//!
//! 1. The algorithm `foo` has a twin entry point `foo_observed(…, observer)`; the plain `foo`
//!    is exactly `foo_observed(…, &mut Silent)`. There is no other progress mechanism: no
//!    `progress: bool`, no callbacks counting increments, no terminal code in the libraries.
//! 2. After each step the algorithm calls [`Observer::observe`] with a small typed *event*
//!    named after the step (`SweepStats` for a Jacobi sweep, `TsneIteration`, `Epoch`, …).
//!    The event carries the step number, the quantity the notes plot for that algorithm
//!    (off(A), the stress, the KL divergence, the loss) and, where it costs nothing, a view of
//!    the current state (the embedding, the diagonal) borrowed for the duration of the call.
//! 3. The observer answers [`ControlFlow::Continue`] to go on or [`ControlFlow::Break`] to stop.
//!    An algorithm told to stop returns its crate's `Stopped` error naming the step, so a
//!    caller can never mistake a cancelled run for a converged one.
//!
//! The applications (the `dimred` and `lectures` commands, the tour, the live pages) turn
//! events into a progress display, a figure or a stream of frames; the libraries never draw.
//! When nobody watches, the event is built and dropped by an inlined no-op: the cost is a few
//! stores per iteration, nothing measurable next to the iteration itself.
//!
//! ```
//! use linalg::observe::{ControlFlow, Observer};
//! use linalg::{eigh_observed, Matrix, SweepStats};
//!
//! let a = Matrix::random_symmetric(20, 7);
//! let mut off = Vec::new();
//! let e = eigh_observed(&a, &mut |s: &SweepStats| {
//!     off.push(s.off_norm);
//!     ControlFlow::Continue(())
//! })
//! .unwrap();
//! assert_eq!(e.values.len(), 20);
//! assert!(off.last().unwrap() < &1e-12); // quadratic convergence: the last sweep is clean
//! ```

pub use std::ops::ControlFlow;

/// Something that watches an iterative computation, one event per step.
///
/// Any closure `FnMut(&E) -> ControlFlow<()>` is an observer; [`Silent`] watches nothing.
pub trait Observer<E: ?Sized> {
    /// Called once per step with that step's event; `Break` asks the algorithm to stop.
    fn observe(&mut self, event: &E) -> ControlFlow<()>;
}

impl<E: ?Sized, F: FnMut(&E) -> ControlFlow<()>> Observer<E> for F {
    #[inline]
    fn observe(&mut self, event: &E) -> ControlFlow<()> {
        self(event)
    }
}

/// The observer of the plain entry points: it watches nothing and never stops the run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl<E: ?Sized> Observer<E> for Silent {
    #[inline(always)]
    fn observe(&mut self, _event: &E) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// An observer that keeps a copy of every event: the trace behind a convergence plot or a
/// test of the iteration's history. For events that own their data (sweep statistics,
/// Lanczos restarts, epochs); events that borrow the state are watched with a closure.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorder<E> {
    /// The events, in the order they happened.
    pub events: Vec<E>,
}

impl<E> Default for Recorder<E> {
    fn default() -> Self {
        Recorder { events: Vec::new() }
    }
}

impl<E: Clone> Observer<E> for Recorder<E> {
    fn observe(&mut self, event: &E) -> ControlFlow<()> {
        self.events.push(event.clone());
        ControlFlow::Continue(())
    }
}
