//! CPU time per SGD epoch of the bench's autoencoder (user + system time of this thread from
//! /proc, so the number is meaningful on a busy machine), for both gradient engines.
//! Run: `cargo run --release -p nn --example epoch_cpu_time [hand-written|tape]` (both by
//! default).

use nn::{
    run_epoch, Activation, Batch, BatchBuffers, Engine, Gd, Loss, Minibatches, Mlp, MlpTrainer,
    Objective, Penalty,
};

// The benches' digits loader, so the example measures exactly the bench's data.
#[path = "../benches/common/mod.rs"]
mod common;
use common::digits;

/// This thread's user + system CPU time in seconds (Linux; None elsewhere).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state field.
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

fn main() {
    let (x, source) = digits();
    println!("data: {} x {} inputs, {source}", x.nrows(), x.ncols());
    let acts = [
        Activation::Tanh,
        Activation::Tanh,
        Activation::Tanh,
        Activation::Identity,
    ];
    let objective = Objective {
        loss: Loss::MeanSquared,
        penalty: Penalty::None,
    };
    let batches = Minibatches::new(x.nrows(), 32, 7).next_epoch();
    let epochs = 300;
    let only = std::env::args().nth(1);
    for (name, engine) in [
        ("hand-written", Engine::HandWritten),
        ("tape", Engine::Tape),
    ] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let mut net = Mlp::new(&[64, 32, 2, 32, 64], &acts, 1);
        let mut model = MlpTrainer::new(&mut net, objective, engine, 32, None);
        let mut buf = BatchBuffers::default();
        let mut opt = Gd::new(0.01);
        let data = Batch::all(&x, None);
        run_epoch(&mut model, &mut opt, data, &batches, &mut buf).unwrap();
        let (c0, w0) = (thread_cpu_seconds(), std::time::Instant::now());
        let mut last = 0.0;
        for _ in 0..epochs {
            last = run_epoch(&mut model, &mut opt, data, &batches, &mut buf).unwrap();
        }
        let wall = w0.elapsed().as_secs_f64() / epochs as f64 * 1e3;
        match (c0, thread_cpu_seconds()) {
            (Some(a), Some(b)) => println!(
                "{name:>12}: {:.2} ms CPU per epoch ({wall:.2} ms wall), last epoch loss {last:.5}",
                (b - a) / epochs as f64 * 1e3
            ),
            _ => println!("{name:>12}: {wall:.2} ms wall per epoch, last epoch loss {last:.5}"),
        }
    }
}
