//! nn (to be built).
#![forbid(unsafe_code)]
