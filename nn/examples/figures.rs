//! The figures of the notes' chapter 5 (neural networks), as dependency-free SVG files:
//!
//! - `05-neuron-decision-line.svg`: separable 2-D data (blue = -1, green = +1) and the decision
//!   line w₀ + w₁x₁ + w₂x₂ = 0 of the tanh neuron trained by gradient descent (`nn.neuron.tanh`);
//! - `05-loss-gd-vs-sgd.svg`: training loss per epoch of full-batch GD and minibatch SGD on the
//!   same network, data, initial weights and learning rate (`nn.gd`, `nn.sgd`);
//! - `05-weights-l1-vs-l2.svg`: histograms of the first-layer weights after training with an
//!   L1 and an L2 penalty of the same strength (`nn.regularization`).
//!
//! Run: `cargo run --release -p nn --example figures [output directory]` (default
//! `out/figures`, which git ignores). A figure is a small hand-written SVG, so the example
//! needs no plotting crate and no fonts.

use linalg::Matrix;
use nn::{
    separable_points, train, Activation, Gd, Loss, Mlp, Penalty, TanhNeuron, TrainConfig, BLUE,
    GREEN,
};
use std::fmt::Write as _;
use std::path::PathBuf;

const BLUE_COLOUR: &str = "#1f77b4";
const GREEN_COLOUR: &str = "#2ca02c";
const ORANGE_COLOUR: &str = "#ff7f0e";

/// A plot area with linear axes, ticks and labels, into which marks are drawn in data
/// coordinates.
struct Plot {
    svg: String,
    x: (f64, f64),
    y: (f64, f64),
    log_y: bool,
    // Pixel box of the plot area: left, top, width, height.
    px: (f64, f64, f64, f64),
}

/// Tick positions at 1, 2 or 5 times a power of ten, and the decimals to print them with.
fn ticks(lo: f64, hi: f64) -> (Vec<f64>, usize) {
    let raw = (hi - lo) / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let t = ((lo / step).ceil() as i64..=(hi / step).floor() as i64)
        .map(|i| i as f64 * step)
        .collect();
    (t, decimals)
}

impl Plot {
    fn new(
        title: &str,
        x_label: &str,
        y_label: &str,
        x: (f64, f64),
        y: (f64, f64),
        log_y: bool,
    ) -> Self {
        let (w, h) = (720.0, 480.0);
        let px = (80.0, 50.0, 600.0, 365.0);
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">"#
        );
        let _ = writeln!(svg, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="28" text-anchor="middle" font-size="16" font-weight="bold">{title}</text>"#,
            px.0 + px.2 / 2.0
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle">{x_label}</text>"#,
            px.0 + px.2 / 2.0,
            h - 15.0
        );
        let _ = writeln!(
            svg,
            r#"<text x="20" y="{}" text-anchor="middle" transform="rotate(-90 20 {})">{y_label}</text>"#,
            px.1 + px.3 / 2.0,
            px.1 + px.3 / 2.0
        );
        let mut p = Plot {
            svg,
            x,
            y,
            log_y,
            px,
        };
        p.axes();
        p
    }

    fn sx(&self, x: f64) -> f64 {
        self.px.0 + (x - self.x.0) / (self.x.1 - self.x.0) * self.px.2
    }

    fn sy(&self, y: f64) -> f64 {
        let (v, lo, hi) = if self.log_y {
            (y.log10(), self.y.0.log10(), self.y.1.log10())
        } else {
            (y, self.y.0, self.y.1)
        };
        self.px.1 + self.px.3 - (v - lo) / (hi - lo) * self.px.3
    }

    fn axes(&mut self) {
        let (l, t, w, h) = self.px;
        let (xt, xd) = ticks(self.x.0, self.x.1);
        for v in xt {
            let px = self.sx(v);
            let _ = writeln!(
                self.svg,
                r##"<line x1="{px:.1}" y1="{t}" x2="{px:.1}" y2="{:.1}" stroke="#e6e6e6"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{v:.xd$}</text>"##,
                t + h,
                t + h + 18.0
            );
        }
        let yt: Vec<(f64, String)> = if self.log_y {
            let (a, b) = (
                self.y.0.log10().ceil() as i32,
                self.y.1.log10().floor() as i32,
            );
            (a..=b).map(|e| (10f64.powi(e), format!("1e{e}"))).collect()
        } else {
            let (yt, yd) = ticks(self.y.0, self.y.1);
            yt.into_iter().map(|v| (v, format!("{v:.yd$}"))).collect()
        };
        for (v, label) in yt {
            let py = self.sy(v);
            let _ = writeln!(
                self.svg,
                r##"<line x1="{l}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#e6e6e6"/><text x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"##,
                l + w,
                l - 6.0,
                py + 4.5
            );
        }
        let _ = writeln!(
            self.svg,
            r#"<rect x="{l}" y="{t}" width="{w}" height="{h}" fill="none" stroke="black"/>"#
        );
    }

    fn points(&mut self, pts: &[(f64, f64)], colour: &str) {
        for &(x, y) in pts {
            let _ = writeln!(
                self.svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}" fill-opacity="0.85"/>"#,
                self.sx(x),
                self.sy(y)
            );
        }
    }

    fn polyline(&mut self, pts: &[(f64, f64)], colour: &str, dashed: bool) {
        let coords: Vec<String> = pts
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", self.sx(x), self.sy(y)))
            .collect();
        let dash = if dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            self.svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            coords.join(" ")
        );
    }

    fn bar(&mut self, x0: f64, x1: f64, height: f64, colour: &str) {
        let (left, right) = (self.sx(x0), self.sx(x1));
        let (top, bottom) = (self.sy(height), self.sy(0.0));
        let _ = writeln!(
            self.svg,
            r#"<rect x="{left:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{colour}" fill-opacity="0.6" stroke="{colour}"/>"#,
            (right - left).max(0.5),
            bottom - top
        );
    }

    /// Legend entries (colour, text), top right of the plot area.
    fn legend(&mut self, entries: &[(&str, &str)]) {
        let (x, mut y) = (self.px.0 + self.px.2 - 290.0, self.px.1 + 20.0);
        for (colour, text) in entries {
            let _ = writeln!(
                self.svg,
                r#"<rect x="{x}" y="{:.1}" width="14" height="14" fill="{colour}"/><text x="{}" y="{:.1}">{text}</text>"#,
                y - 11.0,
                x + 20.0,
                y
            );
            y += 20.0;
        }
    }

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>\n");
        self.svg
    }
}

/// Figure 1: the neuron's decision line on separable data.
fn neuron_figure() -> String {
    let (x, y, (u, c)) = separable_points(120, 0.1, 4);
    let mut neuron = TanhNeuron::default();
    let history = neuron.train_gd(&x, &y, 0.5 / 120.0, 3000);
    let wrong = neuron.misclassified(&x, &y);
    println!(
        "neuron: loss {:.3} -> {:.4} after 3000 GD steps, w = {:?}, {wrong} misclassified",
        history[0],
        history.last().unwrap(),
        neuron.w
    );
    let mut p = Plot::new(
        "One tanh neuron trained by gradient descent",
        "x₁",
        "x₂",
        (-1.05, 1.05),
        (-1.05, 1.05),
        false,
    );
    let side = |label: f64| -> Vec<(f64, f64)> {
        x.rows()
            .zip(&y)
            .filter(|(_, &l)| l == label)
            .map(|(r, _)| (r[0], r[1]))
            .collect()
    };
    let (green, blue) = (side(GREEN), side(BLUE));
    p.points(&blue, BLUE_COLOUR);
    p.points(&green, GREEN_COLOUR);
    // A line a + b x₁ + d x₂ = 0 clipped to the square, drawn through two far-apart points.
    let line = |a: f64, b: f64, d: f64| -> Vec<(f64, f64)> {
        if d.abs() >= b.abs() {
            vec![(-1.05, -(a - 1.05 * b) / d), (1.05, -(a + 1.05 * b) / d)]
        } else {
            vec![(-(a - 1.05 * d) / b, -1.05), (-(a + 1.05 * d) / b, 1.05)]
        }
    };
    p.polyline(&line(neuron.w[0], neuron.w[1], neuron.w[2]), "black", false);
    p.polyline(&line(-c, u[0], u[1]), "#7f7f7f", true);
    p.legend(&[
        (BLUE_COLOUR, "blue, y = -1"),
        (GREEN_COLOUR, "green, y = +1"),
        ("black", "learnt: w₀ + w₁x₁ + w₂x₂ = 0"),
        ("#7f7f7f", "true line (dashed)"),
    ]);
    p.finish()
}

/// Figure 2: loss per epoch, GD against SGD, on y = sin(3x) + noise with a [1, 16, 1] tanh net.
fn gd_vs_sgd_figure() -> String {
    let n = 256;
    let x = Matrix::random_uniform(n, 1, -1.0, 1.0, 5);
    let noise = Matrix::random_normal(n, 1, 6).scale(0.05);
    let y = &x.map(|v| (3.0 * v).sin()) + &noise;
    let epochs = 300;
    let net0 = Mlp::new(&[1, 16, 1], &[Activation::Tanh, Activation::Identity], 7);
    let mut curves = Vec::new();
    for (name, batch) in [
        ("GD (one step per epoch)", None),
        ("SGD, batch 16 (16 steps per epoch)", Some(16)),
    ] {
        let mut net = net0.clone();
        let cfg = TrainConfig {
            epochs,
            batch_size: batch,
            loss: Loss::MeanSquared,
            seed: 8,
            progress: false,
            ..Default::default()
        };
        let h = train(&mut net, &mut Gd::new(0.1), &x, &y, None, &cfg).expect("stable");
        println!(
            "{name}: loss {:.4} -> {:.5}",
            h.initial_loss,
            h.train_loss.last().unwrap()
        );
        let mut pts = vec![(0.0, h.initial_loss)];
        pts.extend(
            h.train_loss
                .iter()
                .enumerate()
                .map(|(e, &l)| ((e + 1) as f64, l)),
        );
        curves.push((name, pts));
    }
    let all: Vec<f64> = curves
        .iter()
        .flat_map(|c| c.1.iter().map(|p| p.1))
        .collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(0.0, f64::max);
    let mut p = Plot::new(
        "Mean squared error per epoch, same learning rate 0.1",
        "epoch",
        "training loss (log scale)",
        (0.0, epochs as f64),
        (
            10f64.powf(lo.log10().floor()),
            10f64.powf(hi.log10().ceil()),
        ),
        true,
    );
    let colours = [BLUE_COLOUR, ORANGE_COLOUR];
    for ((_, pts), colour) in curves.iter().zip(colours) {
        p.polyline(pts, colour, false);
    }
    p.legend(&[(colours[0], curves[0].0), (colours[1], curves[1].0)]);
    p.finish()
}

/// Figure 3: first-layer weights under L1 and L2 on data where only 4 of 20 inputs matter.
fn weights_figure() -> String {
    let n = 400;
    let x = Matrix::random_normal(n, 20, 9);
    let y = Matrix::from_fn(n, 1, |i, _| {
        (x[(i, 0)] - 0.5 * x[(i, 1)]).tanh() + 0.5 * x[(i, 2)] * x[(i, 3)].tanh()
    });
    let mut weights = Vec::new();
    for (name, penalty) in [
        ("L1, λ = 1e-2", Penalty::L1 { lambda: 1e-2 }),
        ("L2, λ = 1e-2", Penalty::L2 { lambda: 1e-2 }),
    ] {
        let mut net = Mlp::new(&[20, 8, 1], &[Activation::Tanh, Activation::Identity], 10);
        let cfg = TrainConfig {
            epochs: 400,
            batch_size: Some(32),
            loss: Loss::MeanSquared,
            penalty,
            seed: 11,
            progress: false,
            ..Default::default()
        };
        train(&mut net, &mut Gd::new(0.05), &x, &y, None, &cfg).expect("stable");
        let w = net.layers[0].w.as_slice().to_vec();
        let zeros = w.iter().filter(|v| **v == 0.0).count();
        println!(
            "{name}: {zeros} of {} first-layer weights are exactly 0",
            w.len()
        );
        weights.push((name, w, zeros));
    }
    let m = weights
        .iter()
        .flat_map(|w| w.1.iter())
        .fold(0.0f64, |a, v| a.max(v.abs()));
    let bins = 41;
    let width = 2.0 * m / bins as f64;
    let hist = |w: &[f64]| {
        let mut h = vec![0.0; bins];
        for v in w {
            let k = (((v + m) / width) as usize).min(bins - 1);
            h[k] += 1.0;
        }
        h
    };
    let hists: Vec<Vec<f64>> = weights.iter().map(|w| hist(&w.1)).collect();
    let top = hists.iter().flatten().copied().fold(0.0, f64::max);
    let mut p = Plot::new(
        "First-layer weights: L1 (proximal) against L2 (weight decay)",
        "weight value",
        "count",
        (-m, m),
        (0.0, top * 1.1),
        false,
    );
    let colours = [ORANGE_COLOUR, BLUE_COLOUR];
    for (h, colour) in hists.iter().zip(colours) {
        for (k, &count) in h.iter().enumerate() {
            if count > 0.0 {
                let x0 = -m + k as f64 * width;
                p.bar(x0, x0 + width, count, colour);
            }
        }
    }
    let l1 = format!("{} ({} exact zeros)", weights[0].0, weights[0].2);
    let l2 = format!("{} ({} exact zeros)", weights[1].0, weights[1].2);
    p.legend(&[(colours[0], &l1), (colours[1], &l2)]);
    p.finish()
}

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "out/figures".into()),
    );
    std::fs::create_dir_all(&dir).expect("create the output directory");
    for (name, svg) in [
        ("05-neuron-decision-line.svg", neuron_figure()),
        ("05-loss-gd-vs-sgd.svg", gd_vs_sgd_figure()),
        ("05-weights-l1-vs-l2.svg", weights_figure()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, svg).expect("write the figure");
        println!("wrote {}", path.display());
    }
}
