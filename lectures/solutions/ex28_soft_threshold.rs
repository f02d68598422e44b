//! Exercise 28 · soft thresholding, the proximal step of L1 (`nn.regularization`).
//!
//! Task: return S_t(u) = argmin_v ½ (v − u)² + t |v| for t ≥ 0, which is
//! sign(u) max(|u| − t, 0): shrink towards 0 by t, and return exactly 0 when |u| ≤ t. The
//! exact zeros are why L1 makes weights sparse.
//!
//! Claim: `nn.regularization`. Notes: lectures/notes/05-neural-networks.md, section
//! "`nn.regularization`: L1, L2 and the elastic net".

/// S_t(u) = sign(u) max(|u| − t, 0) (`nn.regularization`).
pub fn soft_threshold(u: f64, t: f64) -> f64 {
    // BEGIN SOLUTION: return the v that minimises ½(v − u)² + t|v|
    if u > t {
        u - t
    } else if u < -t {
        u + t
    } else {
        0.0
    }
    // END SOLUTION
}
