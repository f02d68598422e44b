//! The tape against the same arithmetic written by hand with `linalg` products.
//!
//! Group `mlp_64_32_2_32_64_batch32`: forward + backward of a 64-32-2-32-64 autoencoder
//! (tanh hidden layers, linear output, squared-error loss against the input) on a batch of
//! 32. `tape` reuses one tape across iterations (the training loop's steady state, which
//! allocates nothing); `tape_forward_only` is its forward pass alone (backward costs a small
//! multiple of it, `ad.reverse`); `tape_fresh` builds a new tape every iteration; `hand` is
//! hand-written backprop into preallocated buffers, the fastest reference. Target: tape ≤ 1.3 x
//! hand.
//!
//! Group `mlp_2_16_16_1_n100`: forward + backward of a 2-16-16-1 tanh network on 100 points
//! with squared loss, where bookkeeping weighs most. For comparison (measured by the issue's
//! author, not here): PyTorch 2 on a CPU takes 0.19 ms, micrograd's scalar tape 97 ms. Target:
//! tape ≤ 0.047 ms (4 x faster than PyTorch).
//!
//! Every group runs twice: once timed by the wall clock (criterion's default), once by the
//! thread's on-CPU time (groups suffixed `_cpu`), read from Linux's
//! `/proc/thread-self/schedstat`, which the kernel updates at scheduler ticks, so those groups
//! take 20 samples of about 0.4 s each. On a quiet machine the two agree; on a shared one
//! (other builds running) the wall clock also counts the time the thread waited for a core,
//! and the on-CPU time is the better measure of the code. Elsewhere the `_cpu` groups are
//! skipped.

#![allow(missing_docs)]

use autodiff::tanh::tanh;
use autodiff::Tape;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use linalg::Matrix;
use std::hint::black_box;
use std::time::Duration;

/// Weights and biases of a fully connected network with the given layer sizes.
fn init(sizes: &[usize], seed: u64) -> Vec<(Matrix, Matrix)> {
    sizes
        .windows(2)
        .enumerate()
        .map(|(l, s)| {
            let scale = 1.0 / (s[0] as f64).sqrt();
            let w = Matrix::random_normal(s[0], s[1], seed + l as u64).scale(scale);
            let b = Matrix::random_normal(1, s[1], seed + 100 + l as u64).scale(0.1);
            (w, b)
        })
        .collect()
}

/// Forward + backward on the tape: tanh on every layer but the last, squared error.
fn tape_step(tape: &mut Tape, params: &[(Matrix, Matrix)], x: &Matrix, y: &Matrix) -> f64 {
    tape_pass(tape, params, x, y, true)
}

/// The forward pass alone (`backward = false`) or followed by the backward sweep.
fn tape_pass(
    tape: &mut Tape,
    params: &[(Matrix, Matrix)],
    x: &Matrix,
    y: &Matrix,
    backward: bool,
) -> f64 {
    tape.clear();
    let mut h = tape.constant(x);
    let target = tape.constant(y);
    let last = params.len() - 1;
    for (l, (w, b)) in params.iter().enumerate() {
        let (w, b) = (tape.param(w), tape.param(b));
        let z = tape.matmul(h, w);
        let z = tape.add_row_broadcast(z, b);
        h = if l < last { tape.tanh(z) } else { z };
    }
    let loss = tape.squared_error(h, target);
    if backward {
        tape.backward(loss).expect("finite scalar loss");
    }
    tape.scalar(loss)
}

/// Hand-written backprop (`nn.backprop`'s formulas) into preallocated buffers.
struct Hand {
    /// Activations H_0 = X, ..., H_L (H_0 is a copy of the input).
    h: Vec<Matrix>,
    /// Δ_l = ∂L/∂Z_l, one per layer.
    delta: Vec<Matrix>,
    /// ∂L/∂H_l, scratch for Δ_l W_lᵀ.
    gh: Vec<Matrix>,
    grads: Vec<(Matrix, Matrix)>,
}

impl Hand {
    fn new(params: &[(Matrix, Matrix)], batch: usize) -> Self {
        let mut h = vec![Matrix::zeros(batch, params[0].0.nrows())];
        let mut delta = Vec::new();
        let mut gh = Vec::new();
        let mut grads = Vec::new();
        for (w, b) in params {
            h.push(Matrix::zeros(batch, w.ncols()));
            delta.push(Matrix::zeros(batch, w.ncols()));
            gh.push(Matrix::zeros(batch, w.nrows()));
            grads.push((
                Matrix::zeros(w.nrows(), w.ncols()),
                Matrix::zeros(1, b.ncols()),
            ));
        }
        Hand {
            h,
            delta,
            gh,
            grads,
        }
    }

    fn step(&mut self, params: &[(Matrix, Matrix)], x: &Matrix, y: &Matrix) -> f64 {
        let last = params.len() - 1;
        self.h[0].as_mut_slice().copy_from_slice(x.as_slice());
        // Forward: Z_l = H_{l-1} W_l + 1 b_l, H_l = tanh(Z_l) (identity on the last layer).
        for (l, (w, b)) in params.iter().enumerate() {
            let (prev, next) = self.h.split_at_mut(l + 1);
            let z = &mut next[0];
            prev[l].matmul_into(w, z);
            let n = b.ncols();
            for row in z.as_mut_slice().chunks_exact_mut(n) {
                for (v, &bj) in row.iter_mut().zip(b.as_slice()) {
                    let s = *v + bj;
                    *v = if l < last { tanh(s) } else { s };
                }
            }
        }
        // Loss Σ (H_L − Y)², Δ_L = 2 (H_L − Y).
        let mut loss = 0.0;
        for ((d, &p), &t) in self.delta[last]
            .as_mut_slice()
            .iter_mut()
            .zip(self.h[last + 1].as_slice())
            .zip(y.as_slice())
        {
            loss += (p - t) * (p - t);
            *d = 2.0 * (p - t);
        }
        // Backward: ∇W_l = H_{l-1}ᵀ Δ_l, ∇b_l = 1ᵀ Δ_l, Δ_{l-1} = (Δ_l W_lᵀ) ⊙ (1 − H_{l-1}²).
        for l in (0..=last).rev() {
            let (gw, gb) = &mut self.grads[l];
            gw.as_mut_slice().fill(0.0);
            gw.add_tr_matmul(&self.h[l], &self.delta[l]);
            let gbs = gb.as_mut_slice();
            gbs.fill(0.0);
            for row in self.delta[l].rows() {
                linalg::axpy(1.0, row, gbs);
            }
            if l > 0 {
                let gh = &mut self.gh[l];
                gh.as_mut_slice().fill(0.0);
                gh.add_matmul_tr(&self.delta[l], &params[l].0);
                for ((d, &g), &hv) in self.delta[l - 1]
                    .as_mut_slice()
                    .iter_mut()
                    .zip(gh.as_slice())
                    .zip(self.h[l].as_slice())
                {
                    *d = g * (1.0 - hv * hv);
                }
            }
        }
        loss
    }
}

fn bench_mlp<M: Measurement>(
    c: &mut Criterion<M>,
    name: &str,
    sizes: &[usize],
    x: Matrix,
    y: Matrix,
) {
    let params = init(sizes, 7);
    let mut group = c.benchmark_group(name);
    if name.ends_with("_cpu") {
        // The on-CPU clock advances at scheduler ticks (a few ms): make every sample long.
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(20);
        group.measurement_time(Duration::from_secs(8));
    }

    let mut tape = Tape::new();
    let tape_loss = tape_step(&mut tape, &params, &x, &y);
    let mut hand = Hand::new(&params, x.nrows());
    let hand_loss = hand.step(&params, &x, &y);
    // Both compute the same function: same loss up to rounding, same weight gradient.
    assert!((tape_loss - hand_loss).abs() <= 1e-12 * hand_loss.abs());

    group.bench_function("tape", |b| {
        b.iter(|| tape_step(&mut tape, black_box(&params), black_box(&x), &y))
    });
    // `ad.reverse`: the backward sweep costs a small multiple of the forward pass.
    group.bench_function("tape_forward_only", |b| {
        b.iter(|| tape_pass(&mut tape, black_box(&params), black_box(&x), &y, false))
    });
    group.bench_function("tape_fresh", |b| {
        b.iter(|| tape_step(&mut Tape::new(), black_box(&params), black_box(&x), &y))
    });
    group.bench_function("hand", |b| {
        b.iter(|| hand.step(black_box(&params), black_box(&x), &y))
    });
    group.finish();
}

fn autoencoder_data() -> (Matrix, Matrix) {
    let x = Matrix::random_normal(32, 64, 1);
    (x.clone(), x)
}

fn small_mlp_data() -> (Matrix, Matrix) {
    let x = Matrix::random_uniform(100, 2, -1.0, 1.0, 2);
    // A smooth target: y = sin(x_1) cos(x_2).
    let y = Matrix::from_fn(100, 1, |i, _| x[(i, 0)].sin() * x[(i, 1)].cos());
    (x, y)
}

fn wall(c: &mut Criterion) {
    let (x, y) = autoencoder_data();
    bench_mlp(c, "mlp_64_32_2_32_64_batch32", &[64, 32, 2, 32, 64], x, y);
    let (x, y) = small_mlp_data();
    bench_mlp(c, "mlp_2_16_16_1_n100", &[2, 16, 16, 1], x, y);
}

fn cpu(c: &mut Criterion<OnCpuTime>) {
    if on_cpu_ns().is_none() {
        return; // not Linux, or scheduler statistics are off
    }
    let (x, y) = autoencoder_data();
    bench_mlp(
        c,
        "mlp_64_32_2_32_64_batch32_cpu",
        &[64, 32, 2, 32, 64],
        x,
        y,
    );
    let (x, y) = small_mlp_data();
    bench_mlp(c, "mlp_2_16_16_1_n100_cpu", &[2, 16, 16, 1], x, y);
}

/// Nanoseconds this thread has spent running on a CPU (first field of the schedstat file).
fn on_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Criterion measurement: the thread's on-CPU time, in nanoseconds.
struct OnCpuTime;

impl Measurement for OnCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        on_cpu_ns().unwrap_or(0)
    }
    fn end(&self, start: u64) -> u64 {
        on_cpu_ns().unwrap_or(0).saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, formatted as the wall clock's durations are.
        static WALL: WallTime = WallTime;
        WALL.formatter()
    }
}

criterion_group!(wall_clock, wall);
criterion_group! {
    name = on_cpu;
    config = Criterion::default().with_measurement(OnCpuTime);
    targets = cpu
}
criterion_main!(wall_clock, on_cpu);
