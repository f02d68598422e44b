//! Tour chapter `02-autodiff`: one backward sweep of the tape gives every gradient (checked
//! against central differences), and a value used several times receives the sum of its uses'
//! gradients.

use super::{evidence, Chapter, Evidence, Section, EPS};
use autodiff::{gradcheck, Tape, Var};
use linalg::Matrix;

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "02-autodiff",
    title: "Automatic differentiation: a tape, one backward sweep",
    sections: &[
        Section {
            claim: "ad.reverse",
            run: reverse,
        },
        Section {
            claim: "ad.fan-out",
            run: fan_out,
        },
    ],
};

fn reverse() -> Evidence {
    evidence("ad.reverse", |ev| {
        // A two-layer tanh network's mean squared error on 20 iris flowers, as a function of
        // both weight matrices and both biases: one backward sweep gives all four gradients.
        let iris = dimred::data::load("iris")?;
        let x = iris.x.select_rows(&(0..150).step_by(8).collect::<Vec<_>>());
        let target = Matrix::from_fn(x.nrows(), 1, |i, _| x[(i, 3)]);
        let inputs = [
            Matrix::random_uniform(4, 6, -0.5, 0.5, 1),
            Matrix::random_uniform(1, 6, -0.1, 0.1, 2),
            Matrix::random_uniform(6, 1, -0.5, 0.5, 3),
            Matrix::random_uniform(1, 1, -0.1, 0.1, 4),
        ];
        let check = gradcheck(&inputs, |t: &mut Tape, p| {
            let xv = t.constant(&x);
            let yv = t.constant(&target);
            let h = t.matmul(xv, p[0]);
            let h = t.add_row_broadcast(h, p[1]);
            let h = t.tanh(h);
            let o = t.matmul(h, p[2]);
            let o = t.add_row_broadcast(o, p[3]);
            let e = t.sub(o, yv);
            let e = t.square(e);
            t.mean(e)
        })?;
        ev.at_most(
            "max relative error, tape vs central differences (4 inputs, 37 entries)",
            check.max_rel_error,
            1e-6,
            "central differences with h = ε^(1/3) are accurate to about ε^(2/3) ≈ 4e-11 times the curvature",
        );
        ev.remark("f = mean((tanh(X W₁ + b₁) W₂ + b₂ − y)²) on 19 iris flowers.");
        let (svg, hand_error) = neuron_graph()?;
        ev.at_most(
            "|∂L/∂w₂ (tape) − x₂ (1 − ŷ²) 2(ŷ − y)| on the figure's neuron",
            hand_error,
            8.0 * EPS,
            "one tanh and four roundings of O(1) numbers",
        );
        ev.figure(
            "02-neuron-graph",
            "The tape of L = (tanh(w₀ + w₁x₁ + w₂x₂) − y)² for one point: every node shows its \
             forward value v and its adjoint v̄ = ∂L/∂v from the backward sweep (constants \
             have none).",
            svg,
        );
        Ok(())
    })
}

/// One tanh neuron on one point, recorded on the tape node by node; returns the drawing of
/// the graph with each node's value and adjoint, and the error of the tape's ∂L/∂w₂ against
/// the chain rule written out by hand.
fn neuron_graph() -> Result<(String, f64), autodiff::AutodiffError> {
    let s = |v: f64| Matrix::from_fn(1, 1, |_, _| v);
    let (x1, x2, y) = (1.0, 2.0, 1.0);
    let mut t = Tape::new();
    let vx1 = t.constant(&s(x1));
    let vx2 = t.constant(&s(x2));
    let vy = t.constant(&s(y));
    let w0 = t.param(&s(0.1));
    let w1 = t.param(&s(0.5));
    let w2 = t.param(&s(0.2));
    let p1 = t.mul(w1, vx1);
    let p2 = t.mul(w2, vx2);
    let a = t.add(p1, p2);
    let z = t.add(a, w0);
    let yh = t.tanh(z);
    let l = t.squared_error(yh, vy);
    t.backward(l)?;
    let yhat = t.scalar(yh);
    let hand = x2 * (1.0 - yhat * yhat) * 2.0 * (yhat - y);
    let err = (t.grad(w2)[(0, 0)] - hand).abs();
    // (node, label, column, row); constants get no adjoint.
    let nodes = [
        (vx1, "x₁", 0, 0),
        (w1, "w₁", 0, 1),
        (vx2, "x₂", 0, 2),
        (w2, "w₂", 0, 3),
        (w0, "w₀", 0, 4),
        (vy, "y", 0, 5),
        (p1, "w₁·x₁", 1, 0),
        (p2, "w₂·x₂", 1, 2),
        (a, "add", 2, 1),
        (z, "s = add", 3, 2),
        (yh, "ŷ = tanh", 4, 2),
        (l, "L = (ŷ − y)²", 5, 3),
    ];
    let edges = [
        (0, 6),
        (1, 6),
        (2, 7),
        (3, 7),
        (6, 8),
        (7, 8),
        (8, 9),
        (4, 9),
        (9, 10),
        (10, 11),
        (5, 11),
    ];
    Ok((draw_tape(&t, &nodes, &edges), err))
}

/// The tape as a picture: one box per node (label, forward value, and the adjoint in red for
/// nodes that need a gradient) at (column, row), an arrow per edge (indices into `nodes`).
fn draw_tape(t: &Tape, nodes: &[(Var, &str, i32, i32)], edges: &[(usize, usize)]) -> String {
    let (bw, bh) = (128.0, 54.0);
    let pos = |c: i32, r: i32| (20.0 + c as f64 * 160.0, 40.0 + r as f64 * 66.0);
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"450\" \
         viewBox=\"0 0 960 450\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"960\" height=\"450\" fill=\"white\"/>\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" \
         fill=\"#555\"/></marker></defs>\n\
         <text x=\"20\" y=\"22\" font-size=\"15\">Forward values v (black) and adjoints \
         v̄ = ∂L/∂v (red) of one tanh neuron on the tape</text>\n",
    );
    for &(from, to) in edges {
        let (fx, fy) = pos(nodes[from].2, nodes[from].3);
        let (tx, ty) = pos(nodes[to].2, nodes[to].3);
        svg += &format!(
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\" \
             marker-end=\"url(#arrow)\"/>\n",
            fx + bw,
            fy + bh / 2.0,
            tx,
            ty + bh / 2.0
        );
    }
    for &(v, label, c, r) in nodes {
        let (x, y0) = pos(c, r);
        let fill = if t.needs_grad(v) { "#eef4ff" } else { "#f2f2f2" };
        svg += &format!(
            "<rect x=\"{x:.1}\" y=\"{y0:.1}\" width=\"{bw}\" height=\"{bh}\" rx=\"6\" \
             fill=\"{fill}\" stroke=\"#333\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\">{label}</text>\n\
             <text x=\"{:.1}\" y=\"{:.1}\">v = {:.4}</text>\n",
            x + 8.0,
            y0 + 16.0,
            x + 8.0,
            y0 + 32.0,
            t.scalar(v)
        );
        if t.needs_grad(v) {
            svg += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#c00000\">v̄ = {:.4}</text>\n",
                x + 8.0,
                y0 + 48.0,
                t.grad(v)[(0, 0)]
            );
        }
    }
    svg += "</svg>\n";
    svg
}

fn fan_out() -> Evidence {
    evidence("ad.fan-out", |ev| {
        // f(x) = Σ W ⊙ x ⊙ x + Σ tanh(x): x is used three times; ∂f/∂x = 2 W ⊙ x + 1 − tanh²(x).
        let x = Matrix::random_uniform(5, 4, -1.0, 1.0, 11);
        let w = Matrix::random_uniform(5, 4, -1.0, 1.0, 12);
        let mut t = Tape::new();
        let xv = t.param(&x);
        let wv = t.constant(&w);
        let sq = t.mul(xv, xv);
        let weighted = t.mul(sq, wv);
        let a = t.sum(weighted);
        let th = t.tanh(xv);
        let b = t.sum(th);
        let f = t.add(a, b);
        t.backward(f)?;
        let g = t.grad(xv);
        let exact = Matrix::from_fn(5, 4, |i, j| {
            2.0 * w[(i, j)] * x[(i, j)] + 1.0 - x[(i, j)].tanh().powi(2)
        });
        ev.at_most(
            "max |∂f/∂x (tape) − (2 W ⊙ x + 1 − tanh² x)|",
            (g - &exact).max_abs(),
            8.0 * EPS,
            "three additions and one tanh: a few ulps of O(1) values",
        );
        // Overwriting instead of accumulating would give W ⊙ x + 1 − tanh² x at best.
        let half = Matrix::from_fn(5, 4, |i, j| {
            w[(i, j)] * x[(i, j)] + 1.0 - x[(i, j)].tanh().powi(2)
        });
        ev.at_least(
            "max |tape − gradient without accumulation|",
            (g - &half).max_abs(),
            1e-3,
            "a tape that overwrote gradients would match the wrong formula instead",
        );
        Ok(())
    })
}
