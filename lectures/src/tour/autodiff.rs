//! Tour chapter `02-autodiff`: one backward sweep of the tape gives every gradient (checked
//! against central differences), and a value used several times receives the sum of its uses'
//! gradients.

use super::{evidence, Chapter, Evidence, Section, EPS};
use autodiff::{gradcheck, Tape};
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
        Ok(())
    })
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
