//! Reverse-mode automatic differentiation, chapter `02-autodiff`.
//!
//! * `ad.reverse`: one backward sweep gives the gradient with respect to every input, and
//!   every operation's vector–Jacobian product agrees with central differences, on random
//!   shapes and values (kept away from kinks and singularities), alone and in compositions
//!   of random depth.
//! * `ad.fan-out`: a value used several times receives the sum of the gradients of its uses.
//!
//! Tolerance for the finite-difference comparisons (`autodiff::gradcheck`): the central
//! difference with h = ε^(1/3) max(1, |x|) has error about ε|f|/h + h²|f'''|/6 ≈ 4e-11 (|f| +
//! |f'''|). Inputs here lie in [−2, 2] and the test functions f = Σ W ⊙ op(x) (W in [−1, 1])
//! stay below about 50 with third derivatives of the same order, so the error is below 1e-8;
//! relative to max(|g|, floor = 1e-3) that is 1e-5. A wrong VJP (a lost factor, a sign, a
//! transpose) gives errors of order 1.

use autodiff::{gradcheck, AutodiffError, Tape, Var};
use linalg::Matrix;
use proptest::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// See the module docs: truncation and rounding of the central difference stay below 1e-8,
/// divided by the floor 1e-3.
const TOL: f64 = 1e-5;

/// Where an operation's inputs are drawn from.
#[derive(Clone, Copy, Debug)]
enum Domain {
    /// Uniform on [−2, 2].
    Any,
    /// Uniform on [0.5, 2]: log, sqrt.
    Positive,
    /// |x| uniform on [0.5, 2], random sign: denominators, negative powers, relu's kink.
    AwayFromZero,
}

fn draw(rows: usize, cols: usize, domain: Domain, seed: u64) -> Matrix {
    match domain {
        Domain::Any => Matrix::random_uniform(rows, cols, -2.0, 2.0, seed),
        Domain::Positive => Matrix::random_uniform(rows, cols, 0.5, 2.0, seed),
        Domain::AwayFromZero => {
            let magnitude = Matrix::random_uniform(rows, cols, 0.5, 2.0, seed);
            let sign = Matrix::random_uniform(rows, cols, -1.0, 1.0, seed ^ 0x5eed);
            magnitude.zip_map(&sign, |m, s| if s < 0.0 { -m } else { m })
        }
    }
}

/// An operation's inputs: each one's (rows, cols) and domain.
type Inputs = Vec<((usize, usize), Domain)>;

/// One row of the operation table: its inputs' shapes and domains for given dimensions
/// (r, k, c), and how to build it.
struct OpCase {
    name: &'static str,
    inputs: fn(usize, usize, usize) -> Inputs,
    build: fn(&mut Tape, &[Var]) -> Var,
}

fn same2(r: usize, _: usize, c: usize) -> Inputs {
    vec![((r, c), Domain::Any), ((r, c), Domain::Any)]
}
fn one(d: Domain) -> impl Fn(usize, usize, usize) -> Inputs {
    move |r, _, c| vec![((r, c), d)]
}

/// Every operation of `autodiff::ops`, each with inputs where it is smooth.
fn cases() -> Vec<OpCase> {
    vec![
        OpCase {
            name: "add",
            inputs: same2,
            build: |t, v| t.add(v[0], v[1]),
        },
        OpCase {
            name: "sub",
            inputs: same2,
            build: |t, v| t.sub(v[0], v[1]),
        },
        OpCase {
            name: "neg",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.neg(v[0]),
        },
        OpCase {
            name: "mul",
            inputs: same2,
            build: |t, v| t.mul(v[0], v[1]),
        },
        OpCase {
            name: "div",
            inputs: |r, _, c| vec![((r, c), Domain::Any), ((r, c), Domain::AwayFromZero)],
            build: |t, v| t.div(v[0], v[1]),
        },
        OpCase {
            name: "scale",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.scale(v[0], -1.7),
        },
        OpCase {
            name: "matmul",
            inputs: |r, k, c| vec![((r, k), Domain::Any), ((k, c), Domain::Any)],
            build: |t, v| t.matmul(v[0], v[1]),
        },
        OpCase {
            name: "transpose",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.transpose(v[0]),
        },
        OpCase {
            name: "add_row_broadcast",
            inputs: |r, _, c| vec![((r, c), Domain::Any), ((1, c), Domain::Any)],
            build: |t, v| t.add_row_broadcast(v[0], v[1]),
        },
        OpCase {
            name: "sum",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.sum(v[0]),
        },
        OpCase {
            name: "mean",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.mean(v[0]),
        },
        OpCase {
            name: "sum_rows",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.sum_rows(v[0]),
        },
        OpCase {
            name: "sum_cols",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.sum_cols(v[0]),
        },
        OpCase {
            name: "square",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.square(v[0]),
        },
        OpCase {
            name: "sqrt",
            inputs: |r, k, c| one(Domain::Positive)(r, k, c),
            build: |t, v| t.sqrt(v[0]),
        },
        OpCase {
            name: "exp",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.exp(v[0]),
        },
        OpCase {
            name: "log",
            inputs: |r, k, c| one(Domain::Positive)(r, k, c),
            build: |t, v| t.log(v[0]),
        },
        OpCase {
            name: "tanh",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.tanh(v[0]),
        },
        OpCase {
            name: "sigmoid",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.sigmoid(v[0]),
        },
        OpCase {
            name: "relu",
            inputs: |r, k, c| one(Domain::AwayFromZero)(r, k, c),
            build: |t, v| t.relu(v[0]),
        },
        OpCase {
            name: "softplus",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.softplus(v[0]),
        },
        OpCase {
            name: "powi(3)",
            inputs: |r, k, c| one(Domain::Any)(r, k, c),
            build: |t, v| t.powi(v[0], 3),
        },
        OpCase {
            name: "powi(-2)",
            inputs: |r, k, c| one(Domain::AwayFromZero)(r, k, c),
            build: |t, v| t.powi(v[0], -2),
        },
        OpCase {
            name: "squared_error",
            inputs: same2,
            build: |t, v| t.squared_error(v[0], v[1]),
        },
        OpCase {
            name: "gaussian_kl",
            inputs: same2,
            build: |t, v| t.gaussian_kl(v[0], v[1]),
        },
    ]
}

/// f = Σ W ⊙ y with a fixed random W of y's shape: the VJP is exercised with an arbitrary
/// upstream gradient W (an all-ones ȳ would hide a transposed or permuted VJP).
fn weighted_sum(t: &mut Tape, y: Var, w: &Matrix) -> Var {
    let wv = t.constant(w);
    let p = t.mul(y, wv);
    t.sum(p)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `ad.reverse`: every operation's VJP matches central differences, for every input of
    /// the operation, on random shapes and values away from kinks.
    #[test]
    fn ad_reverse_every_op_vjp_matches_central_differences(
        r in 1usize..=4, k in 1usize..=4, c in 1usize..=4, seed in any::<u64>()
    ) {
        for case in cases() {
            let inputs: Vec<Matrix> = (case.inputs)(r, k, c)
                .into_iter()
                .enumerate()
                .map(|(i, ((rows, cols), d))| draw(rows, cols, d, seed.wrapping_add(i as u64)))
                .collect();
            // The output shape, to draw W of that shape.
            let mut probe = Tape::new();
            let vars: Vec<Var> = inputs.iter().map(|x| probe.param(x)).collect();
            let y = (case.build)(&mut probe, &vars);
            let (yr, yc) = probe.shape(y);
            let w = Matrix::random_uniform(yr, yc, -1.0, 1.0, seed ^ 0xabcd);

            let report = gradcheck(&inputs, |t, v| {
                let y = (case.build)(t, v);
                weighted_sum(t, y, &w)
            })
            .unwrap();
            prop_assert!(report.max_rel_error <= TOL, "{}: {}", case.name, report);
        }
    }

    /// `ad.reverse` on compositions: a random sequence of 1 to 12 operations over a pool of
    /// values (each step may reuse any earlier value, so fan-out happens too); one backward
    /// sweep gives the gradient with respect to all four inputs, checked against central
    /// differences. Each step is bounded (tanh, averages, scaled products) so values stay
    /// in a range where the tolerance above holds.
    #[test]
    fn ad_reverse_random_depth_compositions_match_central_differences(
        r in 1usize..=4, c in 1usize..=4, seed in any::<u64>(),
        steps in prop::collection::vec((0u8..10, any::<usize>(), any::<usize>()), 1..=12)
    ) {
        let inputs = vec![
            draw(r, c, Domain::Any, seed),
            draw(r, c, Domain::Any, seed.wrapping_add(1)),
            Matrix::random_uniform(c, c, -1.0, 1.0, seed.wrapping_add(2)).scale(1.0 / c as f64),
            draw(1, c, Domain::Any, seed.wrapping_add(3)),
        ];
        let w = Matrix::random_uniform(r, c, -1.0, 1.0, seed.wrapping_add(4));
        let report = gradcheck(&inputs, |t, v| {
            let mut pool = vec![v[0], v[1]];
            for &(op, i, j) in &steps {
                let (a, b) = (pool[i % pool.len()], pool[j % pool.len()]);
                let y = match op {
                    0 => { let s = t.add(a, b); t.scale(s, 0.5) }
                    1 => { let s = t.sub(a, b); t.scale(s, 0.5) }
                    2 => { let tb = t.tanh(b); t.mul(a, tb) }
                    3 => t.tanh(a),
                    4 => t.sigmoid(a),
                    5 => t.softplus(a),
                    6 => t.matmul(a, v[2]),
                    7 => t.add_row_broadcast(a, v[3]),
                    8 => { let ta = t.tanh(a); t.exp(ta) }
                    _ => { let ta = t.tanh(a); t.square(ta) }
                };
                pool.push(y);
            }
            let last = *pool.last().unwrap();
            weighted_sum(t, last, &w)
        })
        .unwrap();
        prop_assert!(report.max_rel_error <= TOL, "steps {steps:?}: {report}");
    }

    /// `ad.fan-out`: x used by k different operations in one graph gets the sum of the k
    /// gradients, each computed alone on its own tape. The only difference is the order of
    /// the k additions, so entry-wise |g − Σ g_u| ≤ k ε Σ |g_u| (one rounding per addition,
    /// each at most ε times a partial sum bounded by Σ |g_u|).
    #[test]
    fn ad_fan_out_gradient_is_the_sum_over_uses(
        r in 1usize..=4, c in 1usize..=4, seed in any::<u64>(),
        uses in prop::collection::vec(0u8..5, 1..=6)
    ) {
        let x = draw(r, c, Domain::Any, seed);
        let ws: Vec<Matrix> = (0..uses.len())
            .map(|u| Matrix::random_uniform(r, c, -1.0, 1.0, seed.wrapping_add(10 + u as u64)))
            .collect();
        let use_x = |t: &mut Tape, x: Var, u: usize| -> Var {
            let y = match uses[u] {
                0 => t.tanh(x),
                1 => t.square(x),
                2 => t.exp(x),
                3 => t.scale(x, 3.0),
                _ => t.mul(x, x),
            };
            weighted_sum(t, y, &ws[u])
        };

        // All uses in one graph.
        let mut tape = Tape::new();
        let xv = tape.param(&x);
        let mut total = use_x(&mut tape, xv, 0);
        for u in 1..uses.len() {
            let term = use_x(&mut tape, xv, u);
            total = tape.add(total, term);
        }
        tape.backward(total).unwrap();
        let together = tape.grad(xv).clone();

        // Each use alone.
        let mut sum = Matrix::zeros(r, c);
        let mut sum_abs = Matrix::zeros(r, c);
        for u in 0..uses.len() {
            let mut t = Tape::new();
            let xv = t.param(&x);
            let f = use_x(&mut t, xv, u);
            t.backward(f).unwrap();
            sum.add_scaled(1.0, t.grad(xv));
            sum_abs.add_scaled(1.0, &t.grad(xv).map(f64::abs));
        }
        let k = uses.len() as f64;
        for ((g, s), a) in together.as_slice().iter().zip(sum.as_slice()).zip(sum_abs.as_slice()) {
            // Rounding of the k additions, see the doc comment.
            prop_assert!((g - s).abs() <= k * f64::EPSILON * a, "uses {uses:?}: {g} vs {s}");
        }
    }
}

/// `ad.fan-out` inside one operation: in mul(x, x) and add(x, x) both parents are the same
/// node, and each contributes. With ȳ = W: d/dx Σ W ⊙ x ⊙ x = 2 W ⊙ x and d/dx Σ W ⊙ (x + x)
/// = 2 W, exactly (doubling is exact in floating point). Overwriting instead of adding would
/// give half.
#[test]
fn ad_fan_out_same_node_as_both_operands() {
    let x = draw(3, 4, Domain::Any, 1);
    let w = Matrix::random_uniform(3, 4, -1.0, 1.0, 2);
    let mut tape = Tape::new();
    let xv = tape.param(&x);
    let sq = tape.mul(xv, xv);
    let f = weighted_sum(&mut tape, sq, &w);
    tape.backward(f).unwrap();
    let expected = w.hadamard(&x).scale(2.0);
    assert_eq!(tape.grad(xv), &expected, "mul(x, x)");

    tape.clear();
    let xv = tape.param(&x);
    let double = tape.add(xv, xv);
    let f = weighted_sum(&mut tape, double, &w);
    tape.backward(f).unwrap();
    assert_eq!(tape.grad(xv), &w.scale(2.0), "add(x, x)");
}

/// `ad.fan-out`, the pitfall: parameter gradients accumulate across backward calls, so a
/// second call on the same graph doubles them, and `zero_grad` resets. The graph is
/// entry-wise, so each gradient entry receives a single term per sweep and the second sweep
/// gives g + g, which is exactly 2g. (Through a matmul the second sweep adds its terms one by
/// one to g, which equals 2g only up to rounding.)
#[test]
fn ad_fan_out_backward_twice_doubles_unless_zero_grad() {
    let w = draw(4, 3, Domain::Any, 3);
    let mut tape = Tape::new();
    let wv = tape.param(&w);
    let h = tape.tanh(wv);
    let h2 = tape.square(h);
    let loss = tape.sum(h2);
    tape.backward(loss).unwrap();
    let once = tape.grad(wv).clone();
    tape.backward(loss).unwrap();
    assert_eq!(
        tape.grad(wv),
        &once.scale(2.0),
        "second backward adds again"
    );
    tape.zero_grad();
    tape.backward(loss).unwrap();
    assert_eq!(tape.grad(wv), &once, "zero_grad then backward");
}

/// `ad.reverse` with buffer reuse: a step on a cleared tape gives bit-for-bit the gradients of
/// a fresh tape, and allocates no new buffer.
#[test]
fn ad_reverse_cleared_tape_matches_fresh_tape() {
    let x = draw(5, 3, Domain::Any, 5);
    let (w1, w2) = (draw(3, 4, Domain::Any, 6), draw(4, 1, Domain::Any, 7));
    let y = draw(5, 1, Domain::Any, 8);
    let step = |tape: &mut Tape| -> (Matrix, Matrix) {
        tape.clear();
        let (xv, yv) = (tape.constant(&x), tape.constant(&y));
        let (a, b) = (tape.param(&w1), tape.param(&w2));
        let z = tape.matmul(xv, a);
        let h = tape.sigmoid(z);
        let p = tape.matmul(h, b);
        let loss = tape.squared_error(p, yv);
        tape.backward(loss).unwrap();
        (tape.grad(a).clone(), tape.grad(b).clone())
    };
    let mut reused = Tape::new();
    let first = step(&mut reused);
    let buffers = reused.buffer_allocations();
    let second = step(&mut reused);
    assert_eq!(first, second);
    assert_eq!(first, step(&mut Tape::new()));
    assert_eq!(
        reused.buffer_allocations(),
        buffers,
        "no new buffer on the second step"
    );
}

/// Backward needs a 1x1 output; the error names the shape.
#[test]
fn backward_on_a_non_scalar_is_an_error_naming_the_shape() {
    let mut tape = Tape::new();
    let x = tape.param(&Matrix::zeros(3, 2));
    let y = tape.tanh(x);
    let err = tape.backward(y).unwrap_err();
    assert!(matches!(
        err,
        AutodiffError::NotScalar {
            rows: 3,
            cols: 2,
            ..
        }
    ));
    assert!(err.to_string().contains("3x2"), "{err}");
}

/// Never a silent NaN: log of a negative number is reported with the node and operation;
/// sqrt at 0 has a finite value but an infinite derivative, reported as such.
#[test]
fn non_finite_values_and_gradients_are_errors() {
    let mut tape = Tape::new();
    let x = tape.param(&Matrix::from_rows(&[[1.0, -1.0]]));
    let l = tape.log(x);
    let s = tape.sum(l);
    match tape.backward(s).unwrap_err() {
        AutodiffError::NonFiniteValue { op, at, .. } => assert_eq!((op, at), ("log", (0, 1))),
        e => panic!("unexpected {e}"),
    }

    tape.clear();
    let x = tape.param(&Matrix::from_rows(&[[4.0, 0.0]]));
    let r = tape.sqrt(x);
    let s = tape.sum(r);
    assert!(matches!(
        tape.backward(s).unwrap_err(),
        AutodiffError::NonFiniteGradient { .. }
    ));
}

/// Constants (data, the VAE's ε) take no gradient, and asking for one is a clear panic.
#[test]
fn constants_need_no_gradient() {
    let mut tape = Tape::new();
    let x = tape.constant(&Matrix::filled(2, 2, 1.0));
    let w = tape.param(&Matrix::filled(2, 2, 0.5));
    let y = tape.matmul(x, w);
    let f = tape.sum(y);
    tape.backward(f).unwrap();
    assert!(!tape.needs_grad(x) && tape.needs_grad(w));
    let e = catch_unwind(AssertUnwindSafe(|| tape.grad(x).clone())).unwrap_err();
    assert!(panic_message(&*e).contains("no gradient"));
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Shape mistakes panic while the graph is built, with the operation's name and both shapes,
/// reported at the line the user wrote (`#[track_caller]`), not inside the library. Misused
/// handles (another tape, an earlier step) panic too. All panics of this file happen in this
/// one test, so the temporary panic hook sees no other test's panics.
#[test]
fn shape_errors_panic_at_the_call_site_naming_op_and_shapes() {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let record = Arc::clone(&seen);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info
            .location()
            .map(|l| l.file().to_string())
            .unwrap_or_default();
        record
            .lock()
            .unwrap()
            .push((panic_message(info.payload()), file));
    }));

    let mut tape = Tape::new();
    let a = tape.param(&Matrix::zeros(2, 3));
    let b = tape.param(&Matrix::zeros(4, 5));
    let row = tape.param(&Matrix::zeros(1, 3));
    let _ = catch_unwind(AssertUnwindSafe(|| tape.matmul(a, b)));
    let _ = catch_unwind(AssertUnwindSafe(|| tape.add(a, b)));
    let _ = catch_unwind(AssertUnwindSafe(|| tape.add(a, row)));
    let _ = catch_unwind(AssertUnwindSafe(|| tape.add_row_broadcast(a, b)));
    let mut other = Tape::new();
    let _ = catch_unwind(AssertUnwindSafe(|| other.tanh(a)));
    tape.clear();
    let _ = catch_unwind(AssertUnwindSafe(|| tape.tanh(a)));

    std::panic::set_hook(previous);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 6, "{seen:?}");
    let expect = [
        ("matmul", "2x3 and 4x5"),
        ("add", "2x3 and 4x5"),
        ("add_row_broadcast", "2x3 and 1x3"), // the hint names the right operation
        ("add_row_broadcast", "2x3 and 4x5"),
        ("another tape", ""),
        ("before the last Tape::clear", ""),
    ];
    for ((message, file), (op, shapes)) in seen.iter().zip(expect) {
        assert!(
            message.contains(op) && message.contains(shapes),
            "{message}"
        );
        assert!(
            file.ends_with("autodiff.rs"),
            "reported in {file}: {message}"
        );
    }
}
