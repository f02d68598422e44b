//! # lectures: the course's notes, its claim registry, and the tour
//!
//! The top layer of the workspace. Today it holds the claim registry ([`registry`]): every
//! claim id of the spec (`lectures/spec/claims.md`) mapped to its notes chapter
//! (`lectures/notes/`), the code that implements it and the tests that check it; and the tour
//! ([`tour`]): every claim computed on the built-in data, with an HTML report. And the
//! exercises: [`runner`] is `lectures exercises …` (list, check, hint, watch, reset, solution,
//! verify); each student's file `lectures/exercises/exNN_*.rs` is compiled on its own, into
//! its test target `lectures/tests/exercises/exNN_*.rs` (cargo feature `exercises`). And
//! [`train`](mod@train) is `lectures train`: autoencoders trained on a data set from the
//! command line (here because only this crate sees both `nn` and the data sets of `dimred`).
#![forbid(unsafe_code)]

pub mod registry;
pub mod runner;
pub mod tour;
pub mod train;
