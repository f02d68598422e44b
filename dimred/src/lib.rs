//! # dimred: dimension reduction written from scratch for reading
//!
//! Data flow: a [`data::Dataset`] (generated, built in, or read from CSV) goes into a method,
//! which returns an embedding; [`quality`] scores it against the data.
#![forbid(unsafe_code)]

pub mod data;
pub mod error;

pub use error::{DimredError, Result};
