//! `lectures`: the course from the command line.
//!
//! ```text
//! lectures list            chapters and claims with their status
//! lectures show <claim>    statement, notes, code and tests of one claim
//! lectures tour [target]   every claim computed on the built-in data, written into the
//!                          course book out/tour/index.html (alias `run`; target: a chapter
//!                          or a claim)
//! lectures book            rebuild the course book alone from the last tour's evidence
//! lectures exercises …     the exercises: list, check, hint, watch, reset, solution, verify
//! lectures train …         train a linear AE, deep AE or VAE on a data set; writes CSVs,
//!                          plots and the model (see `lectures::train`)
//! lectures explore         live pages on http://127.0.0.1:8000/ (see `lectures::explore`)
//! ```
//!
//! Each subcommand is a thin wrapper: the work is done by a module of the `lectures` library,
//! so the same code serves the tests.

use clap::{Parser, Subcommand};
use lectures::registry::{Registry, Status};
use std::process::ExitCode;

/// The course on dimension reduction and autoencoders: notes, claims, evidence.
#[derive(Parser)]
#[command(name = "lectures", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the chapters and their claims, with the status of each claim.
    List,
    /// Show one claim: its statement, where the notes explain it, the code and the tests.
    Show {
        /// A claim id, e.g. la.jacobi.converges (see `lectures list`).
        claim: String,
    },
    /// The tour: every claim computed on the built-in data, in notes order, with PASS/FAIL,
    /// figures, written into the course book (out/tour/index.html). Alias: `run [chapter|claim]`.
    #[command(visible_alias = "run")]
    Tour(lectures::tour::TourArgs),
    /// The exercises: list, check, hint, watch, reset, solution, verify.
    Exercises {
        #[command(subcommand)]
        action: lectures::runner::Action,
    },
    /// Train a linear autoencoder, deep autoencoder or VAE on a built-in data set or a CSV;
    /// writes the loss history, the codes, plots and the model (out/train by default).
    Train(lectures::train::TrainArgs),
    /// Apply a trained model: rows (a CSV or a data set) to codes.
    Encode(lectures::models::EncodeArgs),
    /// Apply a trained model: codes back to rows in the data's own units.
    Decode(lectures::models::DecodeArgs),
    /// Apply a trained model: rows to reconstructions, with the MSE beside PCA's at the same d.
    Reconstruct(lectures::models::ReconstructArgs),
    /// Draw from a trained VAE's prior N(0, I), decoded (optionally as an image grid).
    Sample(lectures::models::SampleArgs),
    /// Rebuild the course book (the notes as HTML with every claim's evidence) from the last
    /// tour's evidence.json, without recomputing the claims.
    Book(lectures::book::BookArgs),
    /// Live pages on 127.0.0.1: move a control and watch the course's code recompute
    /// (Jacobi rotations, spectral methods, gradient descent). Ctrl-C stops the server.
    Explore(lectures::explore::ExploreArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let registry = match Registry::embedded() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: the built-in claim registry is broken: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::List => {
            list(&registry);
            ExitCode::SUCCESS
        }
        Command::Show { claim } => show(&registry, &claim),
        Command::Tour(args) => lectures::tour::cli(args),
        Command::Exercises { action } => lectures::runner::run(action),
        Command::Train(args) => lectures::train::cli(args),
        Command::Encode(args) => lectures::models::report(lectures::models::encode(&args)),
        Command::Decode(args) => lectures::models::report(lectures::models::decode(&args)),
        Command::Reconstruct(args) => {
            lectures::models::report(lectures::models::reconstruct(&args))
        }
        Command::Sample(args) => lectures::models::report(lectures::models::sample(&args)),
        Command::Book(args) => lectures::book::cli(args),
        Command::Explore(args) => lectures::explore::cli(args),
    }
}

fn list(registry: &Registry) {
    let mut chapter = "";
    for c in &registry.claims {
        if c.chapter != chapter {
            chapter = &c.chapter;
            println!("\n{chapter}");
        }
        let mark = match c.status {
            Status::Done => "done   ",
            Status::Pending => "pending",
        };
        println!("  [{mark}] {:<28} {}", c.id, c.title);
    }
    println!(
        "\n{} claims: {} done, {} pending",
        registry.claims.len(),
        registry.count(Status::Done),
        registry.count(Status::Pending)
    );
}

fn show(registry: &Registry, id: &str) -> ExitCode {
    let Some(c) = registry.get(id) else {
        eprintln!("error: no claim named `{id}`; `lectures list` shows them all");
        let close: Vec<&str> = registry
            .claims
            .iter()
            .map(|c| c.id.as_str())
            .filter(|other| other.starts_with(id.split('.').next().unwrap_or(id)))
            .collect();
        if !close.is_empty() {
            eprintln!("did you mean one of: {}", close.join(", "));
        }
        return ExitCode::FAILURE;
    };
    println!("{}  ({:?})\n{}\n", c.id, c.status, c.title);
    if let Some(statement) = lectures::registry::spec_statement(&c.id) {
        println!("Statement (lectures/spec/claims.md):\n{statement}\n");
    }
    println!("Notes:  {}", c.notes);
    for code in &c.code {
        println!("Code:   {code}");
    }
    for test in &c.tests {
        println!("Test:   {test}");
    }
    ExitCode::SUCCESS
}
