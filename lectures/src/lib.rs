//! # lectures: the course's notes, its claim registry, and the tour
//!
//! The top layer of the workspace. Today it holds the claim registry ([`registry`]): every
//! claim id of the spec (`lectures/spec/claims.md`) mapped to its notes chapter
//! (`lectures/notes/`), the code that implements it and the tests that check it; and the tour
//! ([`tour`]): every claim computed on the built-in data, with an HTML report. The exercise
//! runner will live here too.
#![forbid(unsafe_code)]

pub mod registry;
pub mod tour;
