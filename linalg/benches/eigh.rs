//! `eigh` (cyclic Jacobi) against nalgebra's `SymmetricEigen` (Householder tridiagonalisation
//! + implicit QR) on the same random symmetric matrices, n = 50, 100, 200, 400.
//!
//! Read the ratio jacobi / nalgebra per size from the report: the target at n = 200 is 8x.
//! Jacobi needs about 80 n^3 flops against about 9 n^3, so a ratio near 8 is the flop floor.

#![allow(missing_docs)] // criterion_group! generates an undocumented function.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use linalg::Matrix;
use std::hint::black_box;

fn eigh_vs_nalgebra(c: &mut Criterion) {
    let mut group = c.benchmark_group("eigh");
    group.sample_size(10);
    for n in [50, 100, 200, 400] {
        let a = Matrix::random_symmetric(n, n as u64);
        let na = nalgebra::DMatrix::from_row_slice(n, n, a.as_slice());
        group.bench_with_input(BenchmarkId::new("jacobi", n), &a, |b, a| {
            b.iter(|| linalg::eigh(black_box(a)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("jacobi_values_only", n), &a, |b, a| {
            b.iter(|| linalg::eigvalsh(black_box(a)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("nalgebra", n), &na, |b, na| {
            b.iter(|| nalgebra::SymmetricEigen::new(black_box(na.clone())))
        });
    }
    group.finish();
}

criterion_group!(benches, eigh_vs_nalgebra);
criterion_main!(benches);
