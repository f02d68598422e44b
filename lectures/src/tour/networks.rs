//! Tour chapter `05-neural-networks`: one tanh neuron, backpropagation against the tape and
//! finite differences, gradient descent's step-size limit, minibatch SGD, L1 against L2.
//!
//! The chapter's three figures (the neuron's decision line, GD against SGD, the weight
//! histograms) are drawn here with `dimred::plot`.

use super::{evidence, Chapter, Evidence, Section, EPS};
use dimred::plot::{Histogram, Lines, Series, TAB10};
use linalg::Matrix;
use nn::{
    separable_points, train, Activation, Gd, Loss, Minibatches, Mlp, Penalty, TanhNeuron,
    Schedule, TapeWorkspace, TrainConfig, BLUE, GREEN,
};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "05-neural-networks",
    title: "Neural networks: one neuron, backprop, gradient descent, regularization",
    sections: &[
        Section {
            claim: "nn.neuron.tanh",
            run: neuron,
        },
        Section {
            claim: "nn.backprop",
            run: backprop,
        },
        Section {
            claim: "nn.gd",
            run: gd,
        },
        Section {
            claim: "nn.sgd",
            run: sgd,
        },
        Section {
            claim: "nn.regularization",
            run: regularization,
        },
    ],
};

fn quiet(epochs: usize, batch_size: Option<usize>, seed: u64) -> TrainConfig {
    TrainConfig {
        schedule: Schedule { epochs, batch_size, seed, ..Default::default() },
        loss: Loss::MeanSquared,
        ..Default::default()
    }
}

fn neuron() -> Evidence {
    evidence("nn.neuron.tanh", |ev| {
        let (x, y, (u, c)) = separable_points(120, 0.1, 4);
        let mut neuron = TanhNeuron::default();
        let history = neuron.train_gd(&x, &y, 0.5 / 120.0, 3000);
        let wrong = neuron.misclassified(&x, &y);
        ev.at_most(
            "misclassified points after 3000 GD steps",
            wrong as f64,
            0.0,
            "the data are separable with margin 0.1: the line must split them exactly",
        );
        let (first, last) = (history[0], history[history.len() - 1]);
        ev.at_most(
            "final loss / initial loss",
            last / first,
            0.1,
            "GD on a separable set drives the loss down",
        );
        ev.remark(format!(
            "120 separable points, margin 0.1: loss {first:.3} → {last:.4}, w = {:.3?}",
            neuron.w
        ));
        // Lines a + b x₁ + d x₂ = 0 through the square [-1.05, 1.05]².
        let line = |a: f64, b: f64, d: f64| -> Vec<(f64, f64)> {
            if d.abs() >= b.abs() {
                vec![(-1.05, -(a - 1.05 * b) / d), (1.05, -(a + 1.05 * b) / d)]
            } else {
                vec![(-(a - 1.05 * d) / b, -1.05), (-(a + 1.05 * d) / b, 1.05)]
            }
        };
        let side = |label: f64| -> Vec<(f64, f64)> {
            x.rows()
                .zip(&y)
                .filter(|(_, &l)| l == label)
                .map(|(r, _)| (r[0], r[1]))
                .collect()
        };
        ev.figure(
            "05-neuron-decision-line",
            "Separable 2-D data and the decision line w₀ + w₁x₁ + w₂x₂ = 0 of one tanh neuron \
             trained by gradient descent; dashed: the line that generated the labels.",
            Lines {
                title: "One tanh neuron trained by gradient descent".into(),
                x_label: "x₁".into(),
                y_label: "x₂".into(),
                series: vec![
                    Series {
                        name: "learnt: w₀ + w₁x₁ + w₂x₂ = 0".into(),
                        points: line(neuron.w[0], neuron.w[1], neuron.w[2]),
                        dashed: false,
                    },
                    Series {
                        name: "true line".into(),
                        points: line(-c, u[0], u[1]),
                        dashed: true,
                    },
                ],
                log_y: false,
                // The lecture's colours: blue for y = −1, green for y = +1.
                point_colours: vec![TAB10[0], TAB10[2]],
                points: vec![
                    ("y = −1".into(), side(BLUE)),
                    ("y = +1".into(), side(GREEN)),
                ],
            }
            .to_svg(),
        );
        Ok(())
    })
}

fn backprop() -> Evidence {
    evidence("nn.backprop", |ev| {
        let iris = dimred::data::load("iris")?;
        let x = iris.x.submatrix(0, 150, 0, 3);
        let y = iris.x.submatrix(0, 150, 3, 4);
        let net = Mlp::new(
            &[3, 8, 8, 1],
            &[Activation::Tanh, Activation::Sigmoid, Activation::Identity],
            21,
        );
        let mut ws = net.workspace(x.nrows());
        let mut hand = net.zero_gradients();
        let loss = net.loss_and_gradient(&x, &y, Loss::MeanSquared, &mut ws, &mut hand);
        let mut tape_g = net.zero_gradients();
        let mut tw = TapeWorkspace::new();
        let loss_tape =
            net.loss_and_gradient_tape(&x, &y, Loss::MeanSquared, &mut tw, &mut tape_g)?;
        let flat = |g: &nn::Gradients| -> Vec<f64> {
            g.layers
                .iter()
                .flat_map(|l| l.w.as_slice().iter().chain(&l.b).copied())
                .collect()
        };
        let (gh, gt) = (flat(&hand), flat(&tape_g));
        let scale = gh.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let diff = gh
            .iter()
            .zip(&gt)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
            / scale;
        ev.at_most(
            "max |∇ hand-written − ∇ tape| / max |∇|",
            diff,
            1e3 * EPS,
            "the same products in a different order: rounding over N = 150 terms",
        );
        ev.at_most(
            "|L hand − L tape| / L",
            (loss - loss_tape).abs() / loss,
            1e3 * EPS,
            "same forward pass",
        );
        // Central differences on every parameter.
        let p0 = net.params();
        let mut worst: f64 = 0.0;
        let mut probe = net.clone();
        for k in 0..p0.len() {
            let h = EPS.cbrt() * p0[k].abs().max(1.0);
            let mut p = p0.clone();
            p[k] += h;
            probe.set_params(&p);
            let up = probe.loss(&x, &y, Loss::MeanSquared);
            p[k] -= 2.0 * h;
            probe.set_params(&p);
            let down = probe.loss(&x, &y, Loss::MeanSquared);
            worst = worst.max(((up - down) / (2.0 * h) - gh[k]).abs() / scale);
        }
        ev.at_most(
            "max |∇ hand-written − central differences| / max |∇|",
            worst,
            1e-6,
            "central differences with h = ε^(1/3): error about ε^(2/3) times the curvature",
        );
        ev.remark(format!(
            "network [3, 8, 8, 1] (tanh, sigmoid, identity) on iris, {} parameters",
            p0.len()
        ));
        Ok(())
    })
}

fn gd() -> Evidence {
    evidence("nn.gd", |ev| {
        // Linear regression (one identity layer): the MSE is quadratic with Hessian
        // H = (2/N) AᵀA, A = [X 1], so GD is stable exactly when α < 2/λ_max(H).
        let iris = dimred::data::load("iris")?;
        let x = iris.x.submatrix(0, 150, 0, 3);
        let y = iris.x.submatrix(0, 150, 3, 4);
        let n = x.nrows();
        let a = Matrix::from_fn(n, 4, |i, j| if j < 3 { x[(i, j)] } else { 1.0 });
        let h = a.tr_matmul(&a).scale(2.0 / n as f64);
        let lambda_max = linalg::eigh(&h)?.values[0];
        let net0 = Mlp::new(&[3, 1], &[Activation::Identity], 5);
        let mut below = net0.clone();
        let hb = train(
            &mut below,
            &mut Gd::new(1.9 / lambda_max),
            &x,
            &y,
            None,
            &quiet(200, None, 0),
        )?;
        let mut losses = vec![hb.initial_loss.ok_or("the MLP loop records its initial loss")?];
        losses.extend(&hb.train_loss);
        let rises = losses
            .windows(2)
            .filter(|w| w[1] > w[0] * (1.0 + 1e3 * EPS))
            .count();
        ev.at_most(
            "α = 1.9/λ_max: epochs where the loss rose",
            rises as f64,
            0.0,
            "every eigencomponent shrinks by |1 − αλ| < 1 each step",
        );
        let mut above = net0.clone();
        let ha = train(
            &mut above,
            &mut Gd::new(2.1 / lambda_max),
            &x,
            &y,
            None,
            &quiet(200, None, 0),
        )?;
        let last = ha.train_loss.last().copied().unwrap_or(f64::NAN);
        ev.at_least(
            "α = 2.1/λ_max: loss after 200 steps / initial loss",
            last / ha.initial_loss.ok_or("the MLP loop records its initial loss")?,
            10.0,
            "the top eigencomponent grows by |1 − 2.1| = 1.1 per step: 1.1⁴⁰⁰ in the loss",
        );
        ev.remark(format!("linear regression on iris (petal width from 3 measurements), λ_max(H) = {lambda_max:.3}"));
        Ok(())
    })
}

fn sgd() -> Evidence {
    evidence("nn.sgd", |ev| {
        let n = 256;
        let x = Matrix::random_uniform(n, 1, -1.0, 1.0, 5);
        let noise = Matrix::random_normal(n, 1, 6).scale(0.05);
        let y = &x.map(|v| (3.0 * v).sin()) + &noise;
        let net0 = Mlp::new(&[1, 16, 1], &[Activation::Tanh, Activation::Identity], 7);
        ev.at_most(
            "max |mean of 16 minibatch gradients − full gradient| / max |∇|",
            minibatch_mean_gap(&net0, &x, &y),
            1e4 * EPS,
            "equal batches partition the data: equal up to the order of N = 256 additions",
        );
        let curves = gd_against_sgd(&net0, &x, &y)?;
        let final_of = |k: usize| curves[k].points.last().map(|p| p.1).unwrap_or(f64::NAN);
        ev.at_most(
            "SGD loss / GD loss after 300 epochs",
            final_of(1) / final_of(0),
            1.0,
            "16 steps per epoch against one: SGD gets further in the same passes over the data",
        );
        ev.remark(format!(
            "y = sin(3x) + noise, 256 points, [1, 16, 1] tanh network, α = 0.1: GD {:.4}, \
             SGD {:.4}",
            final_of(0),
            final_of(1)
        ));
        ev.figure(
            "05-loss-gd-vs-sgd",
            "Training loss per epoch of full-batch GD and minibatch SGD (batch 16) on the same \
             network, data, initial weights and learning rate 0.1.",
            Lines {
                title: "Mean squared error per epoch, same learning rate 0.1".into(),
                x_label: "epoch".into(),
                y_label: "training loss (log scale)".into(),
                series: curves,
                log_y: true,
                point_colours: Vec::new(),
                points: vec![],
            }
            .to_svg(),
        );
        Ok(())
    })
}

/// max |mean of the minibatch gradients over one epoch's partition − the full gradient|,
/// relative to max |full gradient| (0 up to rounding: the batches partition the data).
fn minibatch_mean_gap(net: &Mlp, x: &Matrix, y: &Matrix) -> f64 {
    let flat = |g: &nn::Gradients| -> Vec<f64> {
        g.layers
            .iter()
            .flat_map(|l| l.w.as_slice().iter().chain(&l.b).copied())
            .collect()
    };
    let n = x.nrows();
    let mut ws = net.workspace(n);
    let mut full = net.zero_gradients();
    net.loss_and_gradient(x, y, Loss::MeanSquared, &mut ws, &mut full);
    let full = flat(&full);
    let batches = Minibatches::new(n, 16, 8).next_epoch();
    let mut mean = vec![0.0; full.len()];
    for b in &batches {
        let (xb, yb) = (x.select_rows(b), y.select_rows(b));
        let mut wb = net.workspace(b.len());
        let mut g = net.zero_gradients();
        net.loss_and_gradient(&xb, &yb, Loss::MeanSquared, &mut wb, &mut g);
        for (m, v) in mean.iter_mut().zip(flat(&g)) {
            *m += v / batches.len() as f64;
        }
    }
    let scale = full.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    mean.iter()
        .zip(&full)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
        / scale
}

/// Training loss per epoch (epoch 0 = the start) of GD and of SGD with batch 16: same
/// network, data, initial weights and learning rate 0.1, 300 epochs each.
fn gd_against_sgd(
    net0: &Mlp,
    x: &Matrix,
    y: &Matrix,
) -> Result<Vec<Series>, Box<dyn std::error::Error>> {
    let epochs = 300;
    let mut curves = Vec::new();
    for (name, batch) in [
        ("GD (one step per epoch)", None),
        ("SGD, batch 16 (16 steps per epoch)", Some(16)),
    ] {
        let mut net = net0.clone();
        let h = train(&mut net, &mut Gd::new(0.1), x, y, None, &quiet(epochs, batch, 8))?;
        let start = h
            .initial_loss
            .ok_or("the MLP loop records its initial loss")?;
        let mut points = vec![(0.0, start)];
        points.extend(
            h.train_loss
                .iter()
                .enumerate()
                .map(|(e, &l)| ((e + 1) as f64, l)),
        );
        curves.push(Series {
            name: name.into(),
            points,
            dashed: false,
        });
    }
    Ok(curves)
}

fn regularization() -> Evidence {
    evidence("nn.regularization", |ev| {
        // Only 4 of 20 inputs matter; L1 (proximal step) zeroes weights exactly, L2 shrinks them.
        let n = 400;
        let x = Matrix::random_normal(n, 20, 9);
        let y = Matrix::from_fn(n, 1, |i, _| {
            (x[(i, 0)] - 0.5 * x[(i, 1)]).tanh() + 0.5 * x[(i, 2)] * x[(i, 3)].tanh()
        });
        let mut samples = Vec::new();
        let mut zeros = Vec::new();
        for (name, penalty) in [
            ("L1, λ = 1e-2", Penalty::L1 { lambda: 1e-2 }),
            ("L2, λ = 1e-2", Penalty::L2 { lambda: 1e-2 }),
        ] {
            let mut net = Mlp::new(&[20, 8, 1], &[Activation::Tanh, Activation::Identity], 10);
            let cfg = TrainConfig {
                penalty,
                ..quiet(400, Some(32), 11)
            };
            train(&mut net, &mut Gd::new(0.05), &x, &y, None, &cfg)?;
            let w = net.layers[0].w.as_slice().to_vec();
            let z = w.iter().filter(|v| **v == 0.0).count();
            zeros.push(z);
            samples.push((format!("{name} ({z} exact zeros)"), w));
        }
        ev.at_least(
            "L1: exact zeros among the 160 first-layer weights",
            zeros[0] as f64,
            40.0,
            "soft thresholding sets a weight to 0 whenever |w| ≤ αλ; 16 inputs carry no signal",
        );
        ev.at_most(
            "L2: exact zeros",
            zeros[1] as f64,
            0.0,
            "weight decay multiplies by (1 − αλ): never exactly 0",
        );
        ev.figure(
            "05-weights-l1-vs-l2",
            "Histograms of the first-layer weights after training with an L1 and an L2 penalty \
             of the same strength; weights that are exactly 0 stand apart in the solid bars \
             marked \"= 0\": L1 piles them there, L2 has none.",
            Histogram {
                title: "First-layer weights: L1 (proximal) against L2 (weight decay)".into(),
                x_label: "weight value".into(),
                samples,
                bins: 41,
                exact_zeros_apart: true,
            }
            .to_svg(),
        );
        Ok(())
    })
}
