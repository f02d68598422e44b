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
//! command line (here because only this crate sees both `nn` and the data sets of `dimred`),
//! and [`models`] is `lectures encode | decode | reconstruct | sample`, which apply a trained
//! model file to new data.
//!
//! | module | what |
//! |---|---|
//! | [`registry`] | the claim registry: every claim's notes, code, tests and exercise |
//! | [`tour`] | every claim computed on the built-in data, with evidence and figures |
//! | [`book`] | the notes as an offline HTML book with each claim's evidence and source pages |
//! | [`runner`] | `lectures exercises …`: list, check, hint, watch, reset, solution, verify |
//! | [`train`](mod@train) | `lectures train`: autoencoders trained from the command line |
//! | [`explore`] | `lectures explore`: a local server of live pages that rerun the course's code |
//! | [`models`] | `lectures encode / decode / reconstruct / sample`: trained models applied to new data |
#![forbid(unsafe_code)]

pub mod book;
pub mod explore;
pub mod models;
pub mod registry;
pub mod runner;
pub mod tour;
pub mod train;
