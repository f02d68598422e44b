//! Exercise 21 · sketch-map's sigmoid and its derivative (`dr.sketchmap.stress`).
//!
//! Task: return s(r) = 1 − (1 + (2^{a/b} − 1)(r/σ)^a)^{−b/a} and its derivative s'(r) for
//! r ≥ 0, σ, a, b > 0. s is ½ at r = σ, grows like r^a near 0 and tends to 1 like r^{−b}.
//!
//! Claim: `dr.sketchmap.stress`. Notes: lectures/notes/04-losses-and-probabilistic.md, section
//! "`dr.sketchmap.stress`: sketch-map, stress on a chosen scale".

/// (s_{σ,a,b}(r), s'_{σ,a,b}(r)) (`dr.sketchmap.stress`).
pub fn sigmoid(r: f64, sigma: f64, a: f64, b: f64) -> (f64, f64) {
    // BEGIN SOLUTION: return s(r) and its derivative s'(r) for the sigmoid with parameters σ, a, b
    let c = (a / b).exp2() - 1.0;
    let x = r / sigma;
    let u = 1.0 + c * x.powf(a);
    let value = 1.0 - u.powf(-b / a);
    let derivative = b * c * x.powf(a - 1.0) / sigma * u.powf(-b / a - 1.0);
    (value, derivative)
    // END SOLUTION
}
