//! What watching costs: each iterative method run silently (`fit`, which is
//! `fit_observed(…, &mut Silent)`) beside the same run with an observer that reads every event
//! (it sums the embedding it is lent, as a live page copying frames would), in one criterion
//! group so both see the same machine load. The issue's bar: no measurable difference when
//! nobody watches, and a cost proportional to what the observer itself does when someone does.
//!
//! Measured 4 Dec 2026 with other builds keeping the load average at 8–10 on the two cores
//! (so only the ratio in each group means much; medians, watched / silent):
//!
//! | group | silent | watched | ratio |
//! |---|---|---|---|
//! | t-SNE, 500 digits, 300 iterations, Barnes–Hut | 392.7 ms | 383.4 ms | 0.98 |
//! | SMACOF, 500 digits, 100 Guttman transforms | 111.6 ms | 107.7 ms | 0.96 |
//! | Jacobi on the 64 x 64 digits covariance | 4.29 ms | 4.23 ms | 0.99 |
//!
//! All within criterion's confidence intervals of each other: the observer call is free and
//! `Silent` compiles to nothing.
//!
//! ```text
//! cargo bench -p dimred --bench observers
//! ```
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use dimred::smacof::{Smacof, SmacofInit, SmacofIteration};
use dimred::tsne::{TSne, TsneIteration};
use linalg::observe::Silent;
use linalg::{Matrix, SweepStats};
use std::hint::black_box;
use std::ops::ControlFlow;
use std::time::Duration;

/// The first 500 digits: large enough for the iterations to dominate, small enough for criterion.
fn digits_500() -> Matrix {
    let x = dimred::data::load("digits").unwrap().x;
    x.select_rows(&(0..500).collect::<Vec<_>>())
}

fn tsne(c: &mut Criterion) {
    let x = digits_500();
    let t = TSne {
        max_iter: 300,
        ..TSne::new(2)
    };
    let mut g = c.benchmark_group("observer_cost/tsne_digits500_300it");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("silent", |b| {
        b.iter(|| black_box(t.fit_observed(black_box(&x), &mut Silent).unwrap()))
    });
    g.bench_function("reading_every_frame", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            let mut watch = |e: &TsneIteration| {
                sum += e.embedding.as_slice().iter().sum::<f64>();
                ControlFlow::Continue(())
            };
            let fit = t.fit_observed(black_box(&x), &mut watch).unwrap();
            black_box((fit, sum))
        })
    });
    g.finish();
}

fn smacof(c: &mut Criterion) {
    let x = digits_500();
    let s = Smacof {
        max_iter: 100,
        tol: 0.0,
        init: SmacofInit::Random { seed: 0 },
        ..Smacof::new(2)
    };
    let mut g = c.benchmark_group("observer_cost/smacof_digits500_100it");
    g.sample_size(20);
    g.bench_function("silent", |b| {
        b.iter(|| black_box(s.fit_points_observed(black_box(&x), &mut Silent).unwrap()))
    });
    g.bench_function("reading_every_frame", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            let mut watch = |e: &SmacofIteration| {
                sum += e.stress + e.embedding.as_slice().iter().sum::<f64>();
                ControlFlow::Continue(())
            };
            let fit = s.fit_points_observed(black_box(&x), &mut watch).unwrap();
            black_box((fit, sum))
        })
    });
    g.finish();
}

fn jacobi(c: &mut Criterion) {
    let x = dimred::data::load("digits").unwrap().x;
    let cov = x.covariance();
    let mut g = c.benchmark_group("observer_cost/jacobi_digits_covariance_64");
    g.bench_function("silent", |b| {
        b.iter(|| black_box(linalg::eigh_observed(black_box(&cov), &mut Silent).unwrap()))
    });
    g.bench_function("recording_every_sweep", |b| {
        b.iter(|| {
            let mut sweeps: Vec<SweepStats> = Vec::new();
            let mut watch = |e: &SweepStats| {
                sweeps.push(*e);
                ControlFlow::Continue(())
            };
            let eig = linalg::eigh_observed(black_box(&cov), &mut watch).unwrap();
            black_box((eig, sweeps))
        })
    });
    g.finish();
}

criterion_group!(benches, tsne, smacof, jacobi);
criterion_main!(benches);
