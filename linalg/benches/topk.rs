//! `top_k_eigh` (thick-restart Lanczos, `la.eig.top-k`) on dense RBF Gram matrices.
//!
//! The matrix: N quasi-random points in the unit cube, x_i = frac(0.5 + i·(1/g, 1/g^2, 1/g^3)),
//! i = 1..=N, g = 1.2207440846057596 (the R3 low-discrepancy sequence; only a product, a sum
//! and a floor, so `topk_reference.py` computes bit-identical points), and the kernel
//! K_ij = exp(-γ ||x_i - x_j||^2) with γ = 10 (length scale 1/sqrt(2γ) ≈ 0.22 of the cube's
//! side). Its spectrum is not trivial for a Krylov method: λ_1 ≈ 221 is well separated, but
//! λ_2 ≈ 141.2, λ_3 ≈ 140.0, λ_4 ≈ 138.9 form a cluster (the cube's three axes), so
//! resolving the second pair needs the relative gap 0.009.
//!
//! Group `topk_vs_eigh`: at N = 400 the full Jacobi `eigh` is the reference in the same group.
//! Group `topk_n2000`: the absolute time of top-2 at N = 2000 (a full Jacobi decomposition
//! would take minutes there), and of one product K x, by the symmetric (upper-triangle)
//! product the solver uses and by the plain row-by-row product. Compare with ARPACK by
//! running, in one command:
//!
//! ```text
//! cargo bench -p linalg --bench topk && python3 linalg/benches/topk_reference.py
//! ```
#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use linalg::{eigh, top_k_eigh, Matrix, SymmetricOperator, TopKOptions};
use std::cell::Cell;
use std::hint::black_box;
use std::time::Instant;

/// γ of the RBF kernel.
const GAMMA: f64 = 10.0;

/// The RBF Gram matrix of the first n points of the R3 sequence (see the module docs).
fn rbf_gram(n: usize) -> Matrix {
    let g = 1.220_744_084_605_759_6_f64;
    let alpha = [1.0 / g, 1.0 / (g * g), 1.0 / (g * g * g)];
    let points = Matrix::from_fn(n, 3, |i, d| {
        let v = 0.5 + (i + 1) as f64 * alpha[d];
        v - v.floor()
    });
    points.pairwise_sq_distances().map(|d2| (-GAMMA * d2).exp())
}

/// Counts products, to report how many the solver needed.
struct Counting<'a> {
    a: &'a Matrix,
    count: Cell<usize>,
}

impl SymmetricOperator for Counting<'_> {
    fn dim(&self) -> usize {
        self.a.nrows()
    }
    fn apply(&self, x: &[f64], y: &mut [f64]) {
        self.count.set(self.count.get() + 1);
        self.a.apply(x, y);
    }
}

/// Print the eigenvalues, the number of products, and the best and median wall time of 20
/// runs: the same statistics `topk_reference.py` prints for ARPACK, robust to a busy machine.
fn report(a: &Matrix) {
    let op = Counting {
        a,
        count: Cell::new(0),
    };
    let e = top_k_eigh(&op, 2, &TopKOptions::default()).unwrap();
    let mut times: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            black_box(top_k_eigh(black_box(a), 2, &TopKOptions::default()).unwrap());
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "top_k_eigh(K, k=2) N={}: best {:.2} ms, median {:.2} ms, {} products, lambda = {:.12e}, {:.12e}",
        a.nrows(),
        times[0] * 1e3,
        times[10] * 1e3,
        op.count.get(),
        e.values[0],
        e.values[1],
    );
}

fn topk_vs_eigh(c: &mut Criterion) {
    let mut group = c.benchmark_group("topk_vs_eigh");
    group.sample_size(10);
    let n = 400;
    let a = rbf_gram(n);
    report(&a);
    group.bench_with_input(BenchmarkId::new("top_k_eigh_k2", n), &a, |b, a| {
        b.iter(|| top_k_eigh(black_box(a), 2, &TopKOptions::default()).unwrap())
    });
    group.bench_with_input(BenchmarkId::new("eigh_full", n), &a, |b, a| {
        b.iter(|| eigh(black_box(a)).unwrap())
    });
    group.finish();
}

fn topk_n2000(c: &mut Criterion) {
    let mut group = c.benchmark_group("topk_n2000");
    group.sample_size(20);
    let n = 2000;
    let a = rbf_gram(n);
    report(&a);
    group.bench_with_input(BenchmarkId::new("top_k_eigh_k2", n), &a, |b, a| {
        b.iter(|| top_k_eigh(black_box(a), 2, &TopKOptions::default()).unwrap())
    });
    let x: Vec<f64> = (0..n).map(|i| (i as f64).sin()).collect();
    let mut y = vec![0.0; n];
    group.bench_with_input(BenchmarkId::new("matvec_upper_triangle", n), &a, |b, a| {
        b.iter(|| a.apply(black_box(&x), &mut y))
    });
    group.bench_with_input(BenchmarkId::new("matvec_rows", n), &a, |b, a| {
        b.iter(|| a.matvec(black_box(&x)))
    });
    group.finish();
}

criterion_group!(benches, topk_vs_eigh, topk_n2000);
criterion_main!(benches);
