//! # lectures: the course's notes, its claim registry, and (coming) the tour
//!
//! The top layer of the workspace. Today it holds the claim registry ([`registry`]): every
//! claim id of the spec (`lectures/spec/claims.md`) mapped to its notes chapter
//! (`lectures/notes/`), the code that implements it and the tests that check it. The tour,
//! the HTML report and the exercise runner will live here too.
#![forbid(unsafe_code)]

pub mod registry;
