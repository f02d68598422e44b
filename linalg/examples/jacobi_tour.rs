//! Watch the cyclic Jacobi eigensolver at work (chapter 00 of the notes,
//! `la.jacobi.converges` and `la.jacobi.invariants`).
//!
//! ```text
//! cargo run --release -p linalg --example jacobi_tour            # n = 60, seed 42
//! cargo run --release -p linalg --example jacobi_tour -- 200 7   # n = 200, seed 7
//! ```
//!
//! It diagonalises a random symmetric matrix with `eigh_observed` (a `Recorder` keeps every sweep's statistics) and prints the off-norm after
//! every sweep (the quadratic convergence is visible as the exponent doubling), one rotation's
//! off-norm identity, the invariants and the residuals, each beside the size rounding allows.

use linalg::observe::Recorder;
use linalg::{eigh_observed, jacobi_rotation, off_norm, Matrix};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = parse_arg(args.next(), 60, "n (the matrix order)");
    let seed: u64 = parse_arg(args.next(), 42, "seed");
    if n < 2 {
        eprintln!("jacobi_tour: n = {n} has no off-diagonal entries to rotate; use n >= 2");
        std::process::exit(2);
    }

    let a = Matrix::random_symmetric(n, seed);
    let norm_a = a.frobenius_norm();
    let eps = f64::EPSILON;
    println!("Cyclic Jacobi on a random symmetric {n} x {n} matrix (seed {seed}):");
    println!("A = (G + G^T)/2 with G's entries independent standard normal.");
    println!("||A||_F = {norm_a:.4},  off(A) = {:.4}.", off_norm(&a));
    println!();

    // One rotation, by hand: zero the largest off-diagonal entry and measure off(A)^2.
    let (p, q) = largest_off_diagonal(&a);
    let mut b = a.clone();
    let apq = b[(p, q)];
    let before = off_norm(&b).powi(2);
    jacobi_rotation(&mut b, None, p, q);
    let after = off_norm(&b).powi(2);
    println!(
        "One rotation in the plane ({p}, {q}), where |a_pq| = {:.4} is largest:",
        apq.abs()
    );
    println!("  off(A)^2 before - after = {:.15}", before - after);
    println!("  2 a_pq^2                = {:.15}", 2.0 * apq * apq);
    println!("  new a_pq                = {:e}", b[(p, q)]);
    println!();

    let mut recorder = Recorder::default();
    let (e, trace) = match eigh_observed(&a, &mut recorder) {
        Ok(result) => (result, recorder.events),
        Err(err) => {
            eprintln!("jacobi_tour: {err}");
            std::process::exit(1);
        }
    };
    println!(
        "Sweep by sweep (a sweep visits all {} pairs once):",
        n * (n - 1) / 2
    );
    println!("  sweep  rotations  off(A)/||A||_F");
    let mut total = 0;
    for s in &trace {
        total += s.rotations;
        println!(
            "  {:>5}  {:>9}  {:>14.3e}",
            s.sweep,
            s.rotations,
            s.off_norm / norm_a
        );
    }
    println!(
        "Converged after {} sweeps and {total} rotations: the last sweep found no pair with",
        trace.len()
    );
    println!("|a_pq| > eps * sqrt(|a_pp a_qq|). The first sweeps skip small entries (threshold");
    println!("strategy); later each sweep roughly squares off(A): quadratic convergence.");
    println!();

    let values = &e.values;
    let v = &e.vectors;
    let sum: f64 = values.iter().sum();
    let sum_sq: f64 = values.iter().map(|l| l * l).sum();
    let scale = n as f64 * eps;
    println!("Invariants (la.jacobi.invariants); rounding scale n*eps = {scale:.1e}:");
    println!(
        "  trace(A)  = {:>+.12e}   sum of eigenvalues   = {sum:>+.12e}   |diff|/||A||_F   = {:.1e}",
        a.trace(),
        (a.trace() - sum).abs() / norm_a
    );
    println!(
        "  ||A||_F^2 = {:>+.12e}   sum of eigenvalues^2 = {sum_sq:>+.12e}   |diff|/||A||_F^2 = {:.1e}",
        norm_a * norm_a,
        (norm_a * norm_a - sum_sq).abs() / (norm_a * norm_a)
    );
    println!();

    // A V - V Λ: column j of V Λ is λ_j v_j.
    let mut residual = a.matmul(v);
    residual.add_scaled(-1.0, &Matrix::from_fn(n, n, |i, j| v[(i, j)] * values[j]));
    let mut gram = v.tr_matmul(v);
    gram.add_scaled(-1.0, &Matrix::identity(n));
    println!("Decomposition A = V diag(lambda) V^T (la.jacobi.converges):");
    println!(
        "  ||A V - V diag(lambda)||_F / ||A||_F = {:.1e}",
        residual.frobenius_norm() / norm_a
    );
    println!(
        "  ||V^T V - I||_F                      = {:.1e}",
        gram.frobenius_norm()
    );
    println!("  Both are a small multiple of n*eps: the decomposition is exact to rounding.");
    println!();

    let show = 3.min(n);
    let fmt = |xs: &[f64]| {
        xs.iter()
            .map(|x| format!("{x:+.6}"))
            .collect::<Vec<_>>()
            .join("  ")
    };
    println!("Eigenvalues, sorted descending:");
    println!("  largest  {}", fmt(&values[..show]));
    println!("  smallest {}", fmt(&values[n - show..]));
    println!(
        "Sign rule: each eigenvector's largest-magnitude entry is positive (linalg::fix_sign)."
    );
}

/// The (p, q), p < q, of the largest |a_pq|.
fn largest_off_diagonal(a: &Matrix) -> (usize, usize) {
    let n = a.nrows();
    let mut best = (0, 1);
    for p in 0..n {
        for q in p + 1..n {
            if a[(p, q)].abs() > a[best].abs() {
                best = (p, q);
            }
        }
    }
    best
}

/// The command-line argument, or `default` when absent; exits with a message when it does not
/// parse.
fn parse_arg<T: std::str::FromStr>(arg: Option<String>, default: T, what: &str) -> T {
    match arg {
        None => default,
        Some(s) => s.parse().unwrap_or_else(|_| {
            eprintln!("jacobi_tour: cannot read {what} from {s:?}");
            eprintln!("usage: jacobi_tour [n >= 2] [seed]");
            std::process::exit(2);
        }),
    }
}
