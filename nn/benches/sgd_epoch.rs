//! Placeholder, replaced by the SGD epoch bench.
fn main() {}
