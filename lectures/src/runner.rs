//! The exercise runner behind `lectures exercises …`, in the manner of rustlings.
//!
//! One source of truth: the reference solution `lectures/solutions/exNN_name.rs` marks the
//! body of its answer with the lines `// BEGIN SOLUTION: <task>` and `// END SOLUTION`;
//! [`stub::generate_stub`] turns every marked region into `todo!("<task>")`, and the result is
//! the student's file `lectures/exercises/exNN_name.rs`. Both are committed, and `verify`
//! checks that they agree.
//!
//! Each exercise compiles on its own: its tests `lectures/tests/exercises/exNN_name.rs` are a
//! test target of that name (declared in `lectures/Cargo.toml` with the required feature
//! `exercises`, so `cargo test --workspace` never sees a `todo!()`), and the target includes
//! the student's file as a module (the feature `solutions` swaps in the reference solution).
//! [`cargo`] builds the chosen targets in one `--keep-going` call and runs each executable,
//! so a file that does not compile blocks no other exercise. The one exception is by design: a
//! later step of a chapter project (`uses` in `exercises.toml`) builds on the student's own
//! earlier steps, so its target compiles their files too.
//!
//! Module map:
//! - [`stub`]: stubs generated from the solutions' markers;
//! - [`cargo`]: building the targets, running them, reading cargo's and libtest's output;
//! - [`state`]: the hint levels shown and `reset`'s backups (both ignored by git);
//! - [`commands`]: list, check, hint, watch, reset, solution, verify.
//!
//! The runner never writes into `lectures/exercises/` without asking, except `reset --yes`
//! (which first saves a copy to `lectures/exercises/.backup/`) and the hint-level file.

pub mod cargo;
pub mod commands;
pub mod state;
pub mod stub;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Deserialize;

pub use commands::Action;

/// The exercise list, as compiled into the binary.
pub const EXERCISES_TOML: &str = include_str!("../exercises/exercises.toml");

/// How the README tells students to call the runner.
pub const CMD: &str = "cargo run -q -p lectures -- exercises";

/// One exercise of `exercises.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `exNN_topic`: the file stem of the student's file, its solution and its tests, and the
    /// name of its test target.
    pub name: String,
    /// The chapter project this exercise is a step of, if any (`your own t-SNE`).
    #[serde(default)]
    pub project: Option<String>,
    /// The earlier steps of its project whose files this step's test target compiles too (a
    /// step that builds on the student's own pieces).
    #[serde(default)]
    pub uses: Vec<String>,
    /// The claim id (of `lectures/claims.toml`) the exercise serves.
    pub claim: String,
    /// `lectures/notes/<chapter>.md#<heading-anchor>`: where the notes explain it.
    pub notes: String,
    /// Hints, one level at a time: a nudge, the idea, the last step before the solution.
    pub hints: Vec<String>,
}

impl Exercise {
    /// `exNN`: the short name the commands accept.
    pub fn short(&self) -> &str {
        &self.name[..self.name.len().min(4)]
    }

    /// The student's file, relative to the repository root.
    pub fn file(&self) -> String {
        format!("lectures/exercises/{}.rs", self.name)
    }

    /// The reference solution, relative to the repository root.
    pub fn solution(&self) -> String {
        format!("lectures/solutions/{}.rs", self.name)
    }

    /// The tests (the test target's root), relative to the repository root.
    pub fn tests(&self) -> String {
        format!("lectures/tests/exercises/{}.rs", self.name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    exercise: Vec<Exercise>,
}

/// The exercises, in the order of the notes.
///
/// # Panics
/// If the embedded `exercises.toml` is malformed (the unit tests catch that before it ships).
pub fn catalogue() -> Vec<Exercise> {
    let c: Catalogue = toml::from_str(EXERCISES_TOML)
        .unwrap_or_else(|e| panic!("lectures/exercises/exercises.toml is malformed: {e}"));
    c.exercise
}

/// The repository root: the nearest directory, from the current one upwards, that holds a
/// workspace `Cargo.toml` and `lectures/exercises/exercises.toml`; failing that, the
/// workspace this binary was built from.
pub fn repo_root() -> Option<PathBuf> {
    let is_root = |d: &Path| {
        d.join("lectures/exercises/exercises.toml").is_file()
            && std::fs::read_to_string(d.join("Cargo.toml"))
                .map(|t| t.contains("[workspace]"))
                .unwrap_or(false)
    };
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(d) = cwd.ancestors().find(|d| is_root(d)) {
            return Some(d.to_path_buf());
        }
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    is_root(built).then(|| built.to_path_buf())
}

/// The GitHub-style anchor of a Markdown heading: lower case, letters, digits, `-` and `_`
/// kept, spaces turned into `-`, everything else (backticks, dots, colons, dashes other than
/// `-`) dropped.
///
/// ```
/// assert_eq!(
///     lectures::runner::anchor("`nn.sgd`: minibatches, reshuffled every epoch"),
///     "nnsgd-minibatches-reshuffled-every-epoch"
/// );
/// ```
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c == ' ' {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else {
                None
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The heading a notes link `file.md#anchor` points to, if the file exists under `root` and
/// has a heading with that anchor.
pub fn resolve_notes(root: &Path, link: &str) -> Option<String> {
    let (file, want) = link.split_once('#')?;
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    text.lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .find(|h| anchor(h) == want)
        .map(str::to_string)
}

fn read(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

/// Run one `lectures exercises` subcommand.
pub fn run(action: Action) -> ExitCode {
    let Some(root) = repo_root() else {
        eprintln!(
            "error: cannot find the repository (a directory with the workspace Cargo.toml and \
             lectures/exercises/exercises.toml); run this from inside it"
        );
        return ExitCode::FAILURE;
    };
    if commands::run(&root, &catalogue(), action) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::commands::declared_targets;
    use super::stub::{generate_stub, stub_for, BEGIN, END};
    use super::*;
    use crate::registry::Registry;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    #[test]
    fn every_claim_has_an_exercise_and_every_notes_link_resolves() {
        let registry = Registry::embedded().unwrap();
        let exercises = catalogue();
        for ex in &exercises {
            assert!(
                registry.get(&ex.claim).is_some(),
                "{}: claim {} is not in lectures/claims.toml",
                ex.name,
                ex.claim
            );
            assert!(
                resolve_notes(&root(), &ex.notes).is_some(),
                "{}: notes link {} does not resolve to a heading",
                ex.name,
                ex.notes
            );
            assert!(
                ex.hints.len() >= 2,
                "{} needs at least two hint levels",
                ex.name
            );
        }
        for claim in &registry.claims {
            assert!(
                exercises.iter().any(|e| e.claim == claim.id),
                "claim {} has no exercise",
                claim.id
            );
        }
        // Unique, in order, and exNN_ numbered 01, 02, … (`check exNN` must find one).
        for (k, ex) in exercises.iter().enumerate() {
            assert_eq!(ex.short(), format!("ex{:02}", k + 1), "{}", ex.name);
            assert_eq!(ex.name.as_bytes()[4], b'_', "{}", ex.name);
        }
    }

    #[test]
    fn committed_stubs_are_generated_from_the_solutions() {
        for ex in catalogue() {
            let stub = stub_for(&root(), &ex).unwrap();
            let file = read(&root(), &ex.file()).unwrap();
            assert!(
                file == stub,
                "{} differs from the stub generated from {}",
                ex.file(),
                ex.solution()
            );
            assert!(stub.contains("todo!("), "{}", ex.name);
            assert!(!stub.contains(BEGIN) && !stub.contains(END), "{}", ex.name);
        }
    }

    #[test]
    fn every_exercise_is_its_own_test_target_behind_the_feature() {
        let declared = declared_targets(&root());
        let names: Vec<String> = catalogue().into_iter().map(|e| e.name).collect();
        for n in &names {
            assert_eq!(
                declared.get(n),
                Some(&(
                    format!("tests/exercises/{n}.rs"),
                    vec!["exercises".to_string()]
                )),
                "{n}"
            );
            assert!(root()
                .join(format!("lectures/tests/exercises/{n}.rs"))
                .is_file());
        }
        assert_eq!(declared.len(), names.len());
    }

    #[test]
    fn project_steps_use_only_earlier_steps_of_their_project() {
        let exercises = catalogue();
        let projects: Vec<&str> = exercises
            .iter()
            .filter_map(|e| e.project.as_deref())
            .collect();
        assert!(projects.contains(&"your own t-SNE"));
        assert!(projects.contains(&"your own autoencoder on the tape"));
        for (k, ex) in exercises.iter().enumerate() {
            let tests = read(&root(), &ex.tests()).unwrap();
            for u in &ex.uses {
                assert!(
                    exercises[..k]
                        .iter()
                        .any(|e| &e.name == u && e.project.is_some() && e.project == ex.project),
                    "{} uses {u}, which is not an earlier step of its project",
                    ex.name
                );
                assert!(
                    tests.contains(&format!("../../exercises/{u}.rs"))
                        && tests.contains(&format!("../../solutions/{u}.rs")),
                    "{} does not compile {u}",
                    ex.tests()
                );
            }
        }
    }

    #[test]
    fn malformed_markers_are_rejected() {
        let open = "fn f() {\n// BEGIN SOLUTION: x\n1\n}\n";
        assert!(generate_stub(open).is_err());
        assert!(generate_stub("fn f() {}\n").is_err());
        assert!(generate_stub("// END SOLUTION\n").is_err());
        assert!(generate_stub("// BEGIN SOLUTION:\n// END SOLUTION\n").is_err());
        let nested = "// BEGIN SOLUTION: a\n// BEGIN SOLUTION: b\n// END SOLUTION\n";
        assert!(generate_stub(nested).is_err());
    }

    #[test]
    fn libtest_output_is_parsed_into_outcomes_and_messages() {
        let out = "running 2 tests\ntest a ... ok\ntest b ... FAILED\n\nfailures:\n\n\
                   ---- b stdout ----\n\nthread 'b' panicked at x.rs:1:1:\n\
                   a_pq is 3 after the rotation\nnote: run with `RUST_BACKTRACE=1` \n\n\
                   failures:\n    b\n\ntest result: FAILED. 1 passed; 1 failed\n";
        let o = cargo::parse_libtest(out);
        assert_eq!(o.len(), 2);
        assert!(o[0].passed && !o[1].passed);
        assert_eq!(o[1].message, "a_pq is 3 after the rotation");
    }

    #[test]
    fn a_todo_keeps_its_location() {
        let out = "running 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\
                   thread 't' panicked at lectures/tests/exercises/../../exercises/ex35_x.rs:20:5:\n\
                   not yet implemented: return P\n\
                   note: run with `RUST_BACKTRACE=1` \n\n\
                   failures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed\n";
        let o = cargo::parse_libtest(out);
        assert_eq!(
            o[0].message,
            "not yet implemented: return P\n(the todo!() is at lectures/exercises/ex35_x.rs:20:5)"
        );
    }

    #[test]
    fn a_proptest_failure_keeps_the_input_and_the_students_line() {
        let out = "running 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\
                   thread 't' panicked at lectures/tests/exercises/../../exercises/ex05_x.rs:9:5:\n\
                   matmul: incompatible shapes 1x2 and 1x2\n\
                   thread 't' panicked at lectures/tests/exercises/ex05_x.rs:20:1:\n\
                   Test failed: matmul: incompatible shapes 1x2 and 1x2.\n\
                   minimal failing input: x = [[1, 2]]\n\tsuccesses: 0\n\tlocal rejects: 0\n\n\
                   failures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed\n";
        let o = cargo::parse_libtest(out);
        assert_eq!(
            o[0].message,
            "matmul: incompatible shapes 1x2 and 1x2\nsmallest failing input: x = [[1, 2]]\n\
             (the panic happened at lectures/exercises/ex05_x.rs:9:5, in your code)"
        );
    }
}
