//! Seeded generators of the classic test manifolds.
//!
//! The swiss roll and the S-curve follow scikit-learn's `make_swiss_roll` / `make_s_curve`
//! formulas (the random numbers differ: ours come from `linalg::rng(seed)`, ChaCha8), so the
//! same parameters give the same shapes. Every generator is deterministic in its seed.

use super::{numbered_names, Dataset};
use linalg::{rng, standard_normal, Matrix};
use rand::Rng;
use std::f64::consts::PI;

/// The swiss roll: t = 1.5π (1 + 2u), h = 21 v with u, v ~ U(0, 1), and
/// x = (t cos t, h, t sin t) + noise · N(0, I). The parameter returned is t, the angle that
/// unrolls the sheet (the roll's arc length grows like t²/2, so t itself is the natural
/// coordinate a rank correlation should recover).
///
/// ```
/// let d = dimred::data::swiss_roll(100, 0.0, 1);
/// assert_eq!(d.x.shape(), (100, 3));
/// let t = d.parameter.unwrap();
/// assert!(t.iter().all(|&t| t >= 1.5 * std::f64::consts::PI && t <= 4.5 * std::f64::consts::PI));
/// ```
pub fn swiss_roll(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut r = rng(seed);
    let mut t = Vec::with_capacity(n);
    let mut x = Matrix::zeros(n, 3);
    for i in 0..n {
        let ti = 1.5 * PI * (1.0 + 2.0 * r.random::<f64>());
        let h = 21.0 * r.random::<f64>();
        let row = x.row_mut(i);
        row[0] = ti * ti.cos();
        row[1] = h;
        row[2] = ti * ti.sin();
        t.push(ti);
    }
    add_noise(&mut x, noise, &mut r);
    Dataset {
        name: "swiss_roll".into(),
        x,
        feature_names: numbered_names("x", 3),
        labels: None,
        parameter: Some(t),
    }
}

/// The S-curve: t = 3π (u - ½), x = (sin t, 2v, sign(t)(cos t - 1)) + noise · N(0, I);
/// the parameter returned is t.
pub fn s_curve(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut r = rng(seed);
    let mut x = Matrix::zeros(n, 3);
    let mut t = Vec::with_capacity(n);
    for i in 0..n {
        let ti = 3.0 * PI * (r.random::<f64>() - 0.5);
        let h = 2.0 * r.random::<f64>();
        let row = x.row_mut(i);
        row[0] = ti.sin();
        row[1] = h;
        row[2] = ti.signum() * (ti.cos() - 1.0);
        t.push(ti);
    }
    add_noise(&mut x, noise, &mut r);
    Dataset {
        name: "s_curve".into(),
        x,
        feature_names: numbered_names("x", 3),
        labels: None,
        parameter: Some(t),
    }
}

/// Isotropic Gaussian blobs in `dim` dimensions: `centers` centres drawn uniformly from the
/// box [-10, 10]^dim, standard deviation `std`; sample i belongs to blob i mod `centers`
/// (so the blobs are as equal in size as N allows). Labels are the blob indices.
///
/// # Panics
/// If `centers` or `dim` is zero.
#[track_caller]
pub fn blobs(n: usize, centers: usize, dim: usize, std: f64, seed: u64) -> Dataset {
    assert!(
        centers > 0 && dim > 0,
        "blobs: need at least one centre and one dimension, got centers = {centers}, dim = {dim}"
    );
    let mut r = rng(seed);
    let c = Matrix::from_fn(centers, dim, |_, _| r.random_range(-10.0..10.0));
    let mut x = Matrix::zeros(n, dim);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let k = i % centers;
        for j in 0..dim {
            x[(i, j)] = c[(k, j)] + std * standard_normal(&mut r);
        }
        labels.push(k.to_string());
    }
    Dataset {
        name: "blobs".into(),
        x,
        feature_names: numbered_names("x", dim),
        labels: Some(labels),
        parameter: None,
    }
}

/// Two concentric circles in the plane: the first ⌈N/2⌉ points on the unit circle (label 0),
/// the rest on the circle of radius `factor` (label 1), angles uniform, plus noise · N(0, I).
/// Linear methods cannot separate them; an RBF kernel can. The parameter is each point's angle.
///
/// # Panics
/// If `factor` is not in [0, 1).
#[track_caller]
pub fn circles(n: usize, factor: f64, noise: f64, seed: u64) -> Dataset {
    assert!(
        (0.0..1.0).contains(&factor),
        "circles: factor must be in [0, 1), got {factor}"
    );
    let mut r = rng(seed);
    let n_outer = n.div_ceil(2);
    let mut x = Matrix::zeros(n, 2);
    let mut labels = Vec::with_capacity(n);
    let mut theta = Vec::with_capacity(n);
    for i in 0..n {
        let a = 2.0 * PI * r.random::<f64>();
        let (radius, label) = if i < n_outer {
            (1.0, "0")
        } else {
            (factor, "1")
        };
        x[(i, 0)] = radius * a.cos();
        x[(i, 1)] = radius * a.sin();
        labels.push(label.to_string());
        theta.push(a);
    }
    add_noise(&mut x, noise, &mut r);
    Dataset {
        name: "circles".into(),
        x,
        feature_names: numbered_names("x", 2),
        labels: Some(labels),
        parameter: Some(theta),
    }
}

/// A noisy unit circle in 2-D: θ uniform in [0, 2π), x = (cos θ, sin θ) + noise · N(0, I).
/// A one-dimensional manifold that no linear map to 1-D preserves; the parameter is θ.
pub fn noisy_circle(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut r = rng(seed);
    let mut x = Matrix::zeros(n, 2);
    let mut theta = Vec::with_capacity(n);
    for i in 0..n {
        let a = 2.0 * PI * r.random::<f64>();
        x[(i, 0)] = a.cos();
        x[(i, 1)] = a.sin();
        theta.push(a);
    }
    add_noise(&mut x, noise, &mut r);
    Dataset {
        name: "noisy_circle".into(),
        x,
        feature_names: numbered_names("x", 2),
        labels: None,
        parameter: Some(theta),
    }
}

/// x += noise · N(0, 1) entry by entry (drawn after the clean points, so noise = 0 leaves the
/// clean manifold bit-identical to the same seed's noisy one minus its noise).
fn add_noise(x: &mut Matrix, noise: f64, r: &mut linalg::SeededRng) {
    if noise != 0.0 {
        for v in x.as_mut_slice() {
            *v += noise * standard_normal(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        for make in [
            |s| swiss_roll(50, 0.1, s),
            |s| s_curve(50, 0.1, s),
            |s| blobs(50, 3, 4, 1.0, s),
            |s| circles(50, 0.5, 0.1, s),
            |s| noisy_circle(50, 0.1, s),
        ] {
            assert_eq!(make(7), make(7));
            assert_ne!(make(7).x, make(8).x);
        }
    }

    #[test]
    fn clean_manifolds_satisfy_their_equations() {
        let r = swiss_roll(200, 0.0, 1);
        for (row, &t) in r.x.rows().zip(r.parameter.as_ref().unwrap()) {
            // x = t cos t, z = t sin t: the radius in the x-z plane is t itself.
            assert!((row[0].hypot(row[2]) - t).abs() <= 4.0 * f64::EPSILON * t);
            assert!((0.0..=21.0).contains(&row[1]));
        }
        let c = circles(100, 0.3, 0.0, 2);
        for (row, l) in c.x.rows().zip(c.labels.as_ref().unwrap()) {
            let radius = if l == "0" { 1.0 } else { 0.3 };
            assert!((row[0].hypot(row[1]) - radius).abs() <= 4.0 * f64::EPSILON);
        }
        let b = blobs(10, 3, 2, 1.0, 3);
        assert_eq!(b.labels.unwrap()[..4], ["0", "1", "2", "0"]);
    }
}
