//! The exercise runner behind `lectures exercises …`, in the manner of rustlings.
//!
//! One source of truth: the reference solution `lectures/solutions/exNN_name.rs` marks the
//! body of its answer with the lines `// BEGIN SOLUTION: <task>` and `// END SOLUTION`.
//! [`generate_stub`] replaces every marked region by `todo!("<task>")` and allows the lints
//! an unfinished body triggers; the result is the student's file
//! `lectures/exercises/exNN_name.rs`. Both are committed, and `verify` checks that they agree.
//!
//! The exercises compile as the module `lectures::exercises` only with the cargo feature
//! `exercises` (the feature `solutions` swaps in the reference solutions under the same
//! paths), so `cargo test --workspace` never sees a `todo!()`. The tests are
//! `lectures/tests/exercises.rs`, one or more per exercise, named `exNN_…`.
//!
//! The runner never writes into `lectures/exercises/` without asking, except `reset --yes`.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;

/// The exercise list, as compiled into the binary.
pub const EXERCISES_TOML: &str = include_str!("../exercises/exercises.toml");

/// The line that opens a solution region; the rest of the line is the task sentence.
pub const BEGIN: &str = "// BEGIN SOLUTION:";
/// The line that closes a solution region.
pub const END: &str = "// END SOLUTION";

/// What a stub allows that a finished file would warn about: its parameters and imports are
/// unused until the student writes the body.
const STUB_ALLOW: &str =
    "#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body";

/// One exercise of `exercises.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `exNN_name`: the module name and the prefix of its tests.
    pub name: String,
    /// The student's file, relative to the repository root.
    pub file: String,
    /// The reference solution, relative to the repository root.
    pub solution: String,
    /// The claim id (of `lectures/claims.toml`) the exercise serves.
    pub claim: String,
    /// `lectures/notes/<chapter>.md#<heading-anchor>`: where the notes explain it.
    pub notes: String,
    /// Hints, from gentle to explicit.
    pub hints: Vec<String>,
}

impl Exercise {
    /// The test-name prefix `exNN_` (the first five characters of the name).
    pub fn prefix(&self) -> &str {
        &self.name[..self.name.len().min(5)]
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

/// A solution file whose markers are not well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for MarkerError {}

/// The stub generated from a reference solution: every region from a `// BEGIN SOLUTION: task`
/// line to its `// END SOLUTION` line becomes one line `todo!("task")` at the marker's
/// indentation, and an `#![allow(unused_variables, unused_imports)]` line follows the
/// module's `//!` documentation.
///
/// ```
/// let solution = "//! Doc.\n\npub fn f(x: f64) -> f64 {\n    // BEGIN SOLUTION: double x\n    2.0 * x\n    // END SOLUTION\n}\n";
/// let stub = lectures::runner::generate_stub(solution).unwrap();
/// assert!(stub.contains("    todo!(\"double x\")\n}"));
/// assert!(!stub.contains("2.0 * x"));
/// ```
///
/// # Errors
/// A [`MarkerError`] for a nested or unclosed region, an `END` without `BEGIN`, an empty task
/// sentence, a task containing `"` or `\`, or a file without any region. Braces in the task
/// are doubled, since `todo!` formats its message.
pub fn generate_stub(solution: &str) -> Result<String, MarkerError> {
    let mut out = String::with_capacity(solution.len());
    let mut in_region = false;
    let mut regions = 0;
    let mut allow_done = false;
    let mut begin_line = 0;
    for (k, line) in solution.lines().enumerate() {
        let trimmed = line.trim_start();
        let err = |message: &str| MarkerError {
            line: k + 1,
            message: message.to_string(),
        };
        if !allow_done && !trimmed.starts_with("//!") {
            out.push_str(STUB_ALLOW);
            out.push('\n');
            allow_done = true;
        }
        if let Some(task) = trimmed.strip_prefix(BEGIN) {
            if in_region {
                return Err(err("BEGIN SOLUTION inside another region"));
            }
            let task = task.trim();
            if task.is_empty() {
                return Err(err("BEGIN SOLUTION needs a task sentence after the colon"));
            }
            if task.contains('"') || task.contains('\\') {
                return Err(err("the task sentence must not contain \" or \\"));
            }
            let indent = &line[..line.len() - trimmed.len()];
            // todo! formats its message: braces in the task (2^{a/b}) must be doubled.
            let task = task.replace('{', "{{").replace('}', "}}");
            out.push_str(&format!("{indent}todo!(\"{task}\")\n"));
            in_region = true;
            begin_line = k + 1;
            regions += 1;
        } else if trimmed.starts_with(END) {
            if !in_region {
                return Err(err("END SOLUTION without BEGIN SOLUTION"));
            }
            in_region = false;
        } else if trimmed.starts_with("// BEGIN SOLUTION") {
            return Err(err("write `// BEGIN SOLUTION: <task sentence>`"));
        } else if !in_region {
            out.push_str(line);
            out.push('\n');
        }
    }
    if in_region {
        return Err(MarkerError {
            line: begin_line,
            message: "BEGIN SOLUTION is never closed by END SOLUTION".into(),
        });
    }
    if regions == 0 {
        return Err(MarkerError {
            line: 1,
            message: "no `// BEGIN SOLUTION: …` region".into(),
        });
    }
    Ok(out)
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

/// The outcome of one test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestOutcome {
    /// The test's name, `exNN_…`.
    pub name: String,
    /// Passed or not.
    pub passed: bool,
    /// For a failed test, the message of its last panic in plain words (proptest's final
    /// report, with the smallest failing input, comes last).
    pub message: String,
}

/// One run of `cargo test -p lectures --features … --test exercises`.
#[derive(Debug, Clone)]
pub struct TestRun {
    /// The tests' outcomes, empty if the build failed.
    pub outcomes: Vec<TestOutcome>,
    /// The compiler's errors if the build failed, else `None`.
    pub build_error: Option<String>,
    /// Wall-clock time of the run, build included.
    pub elapsed: Duration,
}

impl TestRun {
    /// The outcomes of one exercise's tests.
    pub fn of<'a>(&'a self, ex: &'a Exercise) -> impl Iterator<Item = &'a TestOutcome> + 'a {
        self.outcomes
            .iter()
            .filter(move |o| o.name.starts_with(ex.prefix()))
    }

    /// Whether the build failed in this exercise's file.
    pub fn build_failed_in(&self, ex: &Exercise) -> bool {
        self.build_error
            .as_deref()
            .is_some_and(|e| e.contains(&ex.file))
    }
}

/// Build and run the exercise tests with the given features (`"exercises"` or
/// `"exercises,solutions"`), only those whose name contains `filter` if given.
///
/// # Errors
/// If cargo cannot be started.
pub fn run_tests(root: &Path, features: &str, filter: Option<&str>) -> std::io::Result<TestRun> {
    let start = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["test", "-p", "lectures", "--features", features])
        .args(["--test", "exercises", "--color", "never", "--"])
        .args(["--color", "never"])
        .env("RUST_BACKTRACE", "0");
    if let Some(f) = filter {
        cmd.arg(f);
    }
    let out = cmd.output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let elapsed = start.elapsed();
    if !stdout.lines().any(|l| l.starts_with("running ")) {
        return Ok(TestRun {
            outcomes: Vec::new(),
            build_error: Some(compiler_errors(&stderr)),
            elapsed,
        });
    }
    Ok(TestRun {
        outcomes: parse_libtest(&stdout),
        build_error: None,
        elapsed,
    })
}

/// The part of cargo's stderr from the first error on, without the progress lines.
fn compiler_errors(stderr: &str) -> String {
    let mut keep = false;
    let mut out = String::new();
    for line in stderr.lines() {
        if line.starts_with("error") {
            keep = true;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    let out = if out.is_empty() {
        stderr.to_string()
    } else {
        out
    };
    // rustc names the student's file through the #[path] of src/exercises.rs.
    out.replace("lectures/src/../exercises/", "lectures/exercises/")
        .replace("lectures/src/../solutions/", "lectures/solutions/")
}

/// Outcomes from libtest's plain output: `test NAME ... ok|FAILED` lines, and for each failure
/// the block after `---- NAME stdout ----`.
fn parse_libtest(stdout: &str) -> Vec<TestOutcome> {
    let mut outcomes = Vec::new();
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ") {
            if let Some((name, result)) = rest.split_once(" ... ") {
                let passed = match result.trim() {
                    "ok" => true,
                    "FAILED" => false,
                    _ => continue, // ignored
                };
                outcomes.push(TestOutcome {
                    name: name.to_string(),
                    passed,
                    message: String::new(),
                });
            }
        }
    }
    // Failure blocks.
    let mut blocks: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name.to_string());
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            current = None;
        }
        if let Some(c) = &current {
            blocks.entry(c.clone()).or_default().push(line);
        }
    }
    for o in outcomes.iter_mut().filter(|o| !o.passed) {
        if let Some(lines) = blocks.get(&o.name) {
            o.message = last_panic(lines);
        }
    }
    outcomes
}

/// The message of the last `panicked at` in a failure block, without the backtrace note.
fn last_panic(lines: &[&str]) -> String {
    let Some(start) = lines.iter().rposition(|l| l.contains("panicked at")) else {
        return lines.join("\n").trim().to_string();
    };
    let msg: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
        .copied()
        .collect();
    // prop_assert! appends " at <file>:<line>" of the assertion, which tells a student nothing.
    let msg: Vec<&str> = msg
        .iter()
        .map(|l| match l.rfind(" at ") {
            Some(k) if l[k..].contains(".rs:") => &l[..k],
            _ => l,
        })
        .collect();
    let msg = msg.join("\n").trim().to_string();
    // proptest wraps the message: "Test failed: <message>.\nminimal failing input: <input>"
    // followed by counts of successes and rejects; keep the message and the input.
    let Some(rest) = msg.strip_prefix("Test failed: ") else {
        return msg;
    };
    let (message, input) = match rest.split_once("\nminimal failing input: ") {
        Some((m, i)) => (
            m.trim_end_matches(['.', ';']),
            i.lines().next().unwrap_or(""),
        ),
        None => (rest, ""),
    };
    if message.starts_with("not yet implemented") || input.is_empty() {
        message.to_string()
    } else {
        format!("{message}\nsmallest failing input: {input}")
    }
}

/// How far a student is with one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The file is still exactly the generated stub.
    NotStarted,
    /// Changed, and every test passes.
    Done,
    /// Changed, and some test fails.
    Failing,
    /// Changed, and it does not compile.
    DoesNotCompile,
    /// Unknown: another exercise does not compile, so no test ran.
    Blocked,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Progress::NotStarted => "not started",
            Progress::Done => "done",
            Progress::Failing => "failing",
            Progress::DoesNotCompile => "does not compile",
            Progress::Blocked => "not checked (another exercise does not compile)",
        })
    }
}

fn read(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

/// The stub generated from an exercise's solution file.
///
/// # Errors
/// If the solution cannot be read or its markers are malformed; the message says which.
pub fn stub_for(root: &Path, ex: &Exercise) -> Result<String, String> {
    let sol = read(root, &ex.solution).ok_or_else(|| format!("cannot read {}", ex.solution))?;
    generate_stub(&sol).map_err(|e| format!("{}: {e}", ex.solution))
}

/// Whether the student's file is still the generated stub.
pub fn not_started(root: &Path, ex: &Exercise) -> bool {
    match (read(root, &ex.file), stub_for(root, ex)) {
        (Some(file), Ok(stub)) => file == stub,
        _ => false,
    }
}

fn progress(root: &Path, ex: &Exercise, run: &TestRun) -> Progress {
    if not_started(root, ex) {
        Progress::NotStarted
    } else if run.build_failed_in(ex) {
        Progress::DoesNotCompile
    } else if run.build_error.is_some() {
        Progress::Blocked
    } else if run.of(ex).all(|o| o.passed) && run.of(ex).next().is_some() {
        Progress::Done
    } else {
        Progress::Failing
    }
}

/// The subcommands of `lectures exercises`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Your progress: which exercises pass, fail, or are not started yet.
    List,
    /// Build and test one exercise (or all), and say in plain words what fails.
    Check {
        /// e.g. ex01_jacobi_rotation, or ex01; all exercises if omitted.
        name: Option<String>,
    },
    /// The hints of an exercise and where the notes explain it.
    Hint {
        /// e.g. ex01_jacobi_rotation, or ex01.
        name: String,
    },
    /// Recheck an exercise whenever you save it (Enter rechecks all, q + Enter quits).
    Watch,
    /// Restore the original stub of an exercise (asks before overwriting your work).
    Reset {
        /// e.g. ex01_jacobi_rotation, or ex01.
        name: String,
        /// Overwrite without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Print the reference solution of an exercise.
    Solution {
        /// e.g. ex01_jacobi_rotation, or ex01.
        name: String,
    },
    /// For CI: every stub is generated from its solution, every solution passes its tests and
    /// every stub fails at least one.
    Verify,
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
    let exercises = catalogue();
    let find = |name: &str| -> Option<Exercise> {
        let found = exercises
            .iter()
            .find(|e| e.name == name || e.prefix() == format!("{name}_") || e.prefix() == name);
        if found.is_none() {
            eprintln!("error: no exercise `{name}`; `lectures exercises list` shows them all");
        }
        found.cloned()
    };
    let ok = match action {
        Action::List => list(&root, &exercises),
        Action::Check { name } => match name {
            Some(n) => find(&n).is_some_and(|e| check(&root, std::slice::from_ref(&e))),
            None => check(&root, &exercises),
        },
        Action::Hint { name } => find(&name).is_some_and(|e| hint(&root, &e)),
        Action::Watch => watch(&root, &exercises),
        Action::Reset { name, yes } => find(&name).is_some_and(|e| reset(&root, &e, yes)),
        Action::Solution { name } => find(&name).is_some_and(|e| match read(&root, &e.solution) {
            Some(text) => {
                println!("{}\n", e.solution);
                print!("{text}");
                true
            }
            None => {
                eprintln!("error: cannot read {}", e.solution);
                false
            }
        }),
        Action::Verify => verify(&root, &exercises),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_or_report(root: &Path, features: &str, filter: Option<&str>) -> Option<TestRun> {
    eprintln!(
        "running: cargo test -p lectures --features {features} --test exercises{}",
        filter.map(|f| format!(" -- {f}")).unwrap_or_default()
    );
    match run_tests(root, features, filter) {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            None
        }
    }
}

fn list(root: &Path, exercises: &[Exercise]) -> bool {
    let Some(run) = run_or_report(root, "exercises", None) else {
        return false;
    };
    let mut done = 0;
    for ex in exercises {
        let p = progress(root, ex, &run);
        done += usize::from(p == Progress::Done);
        let mark = match p {
            Progress::Done => "[x]",
            Progress::NotStarted => "[ ]",
            _ => "[!]",
        };
        println!("{mark} {:<28} {:<22} {p}", ex.name, ex.claim);
    }
    println!("\n{done} of {} exercises done.", exercises.len());
    if let Some(next) = exercises
        .iter()
        .find(|e| progress(root, e, &run) != Progress::Done)
    {
        println!(
            "Next: open {} and run `cargo run -q -p lectures -- exercises check {}`.",
            next.file, next.name
        );
    }
    true
}

fn check(root: &Path, exercises: &[Exercise]) -> bool {
    let filter = (exercises.len() == 1).then(|| exercises[0].prefix().to_string());
    let Some(run) = run_or_report(root, "exercises", filter.as_deref()) else {
        return false;
    };
    if let Some(errors) = &run.build_error {
        println!("The exercises do not compile. The compiler says:\n\n{errors}");
        for ex in exercises.iter().filter(|e| run.build_failed_in(e)) {
            println!("-> fix {} first.", ex.file);
        }
        return false;
    }
    let mut all_ok = true;
    for ex in exercises {
        let tests: Vec<&TestOutcome> = run.of(ex).collect();
        let failed: Vec<&&TestOutcome> = tests.iter().filter(|o| !o.passed).collect();
        if failed.is_empty() && !tests.is_empty() {
            println!("✓ {} — all {} tests pass.", ex.name, tests.len());
            continue;
        }
        all_ok = false;
        println!(
            "✗ {} — {} of {} tests fail ({}):",
            ex.name,
            failed.len(),
            tests.len(),
            ex.file
        );
        for o in failed {
            let msg = if o.message.starts_with("not yet implemented") {
                format!("the function still ends in todo!(): {}", o.message)
            } else {
                o.message.clone()
            };
            println!("  • {}:\n    {}", o.name, msg.replace('\n', "\n    "));
        }
        println!("  Stuck? `lectures exercises hint {}`.\n", ex.name);
    }
    all_ok
}

fn hint(root: &Path, ex: &Exercise) -> bool {
    println!("{} ({})", ex.name, ex.file);
    println!("Claim: {}  (`lectures show {}`)", ex.claim, ex.claim);
    match resolve_notes(root, &ex.notes) {
        Some(h) => println!("Notes: {}\n       section \"{h}\"", ex.notes),
        None => println!("Notes: {}", ex.notes),
    }
    for (k, h) in ex.hints.iter().enumerate() {
        println!("\nHint {}: {h}", k + 1);
    }
    println!(
        "\nStill stuck? `lectures exercises solution {}` prints the reference solution.",
        ex.name
    );
    true
}

fn mtimes(root: &Path, exercises: &[Exercise]) -> Vec<Option<SystemTime>> {
    exercises
        .iter()
        .map(|e| {
            std::fs::metadata(root.join(&e.file))
                .and_then(|m| m.modified())
                .ok()
        })
        .collect()
}

fn watch(root: &Path, exercises: &[Exercise]) -> bool {
    // Polling, not file-system events: those fail on some file systems (network mounts,
    // containers) and with editors that save by renaming. Enter is the manual fallback.
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(l) => {
                    if tx.send(l).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
    });
    let banner = || {
        println!(
            "\nWatching lectures/exercises/ (rechecks on save; press Enter to recheck all, \
             q + Enter to quit)."
        )
    };
    banner();
    let mut seen = mtimes(root, exercises);
    loop {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(line) if line.trim() == "q" => return true,
            Ok(_) => {
                check(root, exercises);
                seen = mtimes(root, exercises);
                banner();
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            // stdin closed: keep polling.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_secs(1))
            }
        }
        let now = mtimes(root, exercises);
        let changed: Vec<Exercise> = exercises
            .iter()
            .zip(now.iter().zip(&seen))
            .filter(|(_, (a, b))| a != b)
            .map(|(e, _)| e.clone())
            .collect();
        if !changed.is_empty() {
            seen = now;
            for ex in &changed {
                check(root, std::slice::from_ref(ex));
            }
            banner();
        }
    }
}

fn reset(root: &Path, ex: &Exercise, yes: bool) -> bool {
    let stub = match stub_for(root, ex) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let path = root.join(&ex.file);
    match std::fs::read_to_string(&path) {
        Ok(current) if current == stub => {
            println!("{} is already the original stub.", ex.file);
            return true;
        }
        Ok(_) if !yes => {
            print!(
                "{} has your changes; overwrite them with the original stub? [y/N] ",
                ex.file
            );
            let _ = std::io::stdout().flush();
            let mut answer = String::new();
            let _ = std::io::stdin().read_line(&mut answer);
            if !matches!(answer.trim(), "y" | "Y" | "yes") {
                println!("Left {} unchanged.", ex.file);
                return true;
            }
        }
        _ => {}
    }
    match std::fs::write(&path, stub) {
        Ok(()) => {
            println!("Restored {} to its stub.", ex.file);
            true
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            false
        }
    }
}

/// The module names `lectures/src/exercises.rs` declares (each twice: stub and solution).
fn declared_modules(root: &Path) -> Vec<String> {
    read(root, "lectures/src/exercises.rs")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

fn verify(root: &Path, exercises: &[Exercise]) -> bool {
    let start = Instant::now();
    let mut ok = true;
    // 1. The committed stubs are the generated ones; the module list matches the catalogue.
    let mut stub_ok = BTreeMap::new();
    for ex in exercises {
        let good = match (stub_for(root, ex), read(root, &ex.file)) {
            (Ok(stub), Some(file)) => stub == file,
            (Err(e), _) => {
                eprintln!("error: {e}");
                false
            }
            (_, None) => false,
        };
        if !good {
            eprintln!(
                "error: {} is not the stub generated from {}; regenerate it with \
                 `lectures exercises reset {} --yes`",
                ex.file, ex.solution, ex.name
            );
        }
        ok &= good;
        stub_ok.insert(ex.name.clone(), good);
    }
    let declared = declared_modules(root);
    for ex in exercises {
        if declared.iter().filter(|m| **m == ex.name).count() != 2 {
            eprintln!(
                "error: lectures/src/exercises.rs must declare `pub mod {}` twice (stub and solution)",
                ex.name
            );
            ok = false;
        }
    }
    // 2. The solutions pass; 3. the stubs fail.
    let (Some(sol), Some(stubs)) = (
        run_or_report(root, "exercises,solutions", None),
        run_or_report(root, "exercises", None),
    ) else {
        return false;
    };
    for (what, run) in [("solutions", &sol), ("stubs", &stubs)] {
        if let Some(e) = &run.build_error {
            eprintln!("error: the {what} do not compile:\n{e}");
            ok = false;
        }
    }
    for o in &sol.outcomes {
        if !exercises.iter().any(|e| o.name.starts_with(e.prefix())) {
            eprintln!(
                "error: test {} belongs to no exercise (names start exNN_)",
                o.name
            );
            ok = false;
        }
    }
    println!(
        "\n{:<28} {:>5}  {:<10} {:<16} {:<14}",
        "exercise", "tests", "stub", "solution", "stub"
    );
    println!(
        "{:<28} {:>5}  {:<10} {:<16} {:<14}",
        "", "", "generated", "passes all", "fails ≥ 1"
    );
    for ex in exercises {
        let n = sol.of(ex).count();
        let sol_pass = n > 0 && sol.of(ex).all(|o| o.passed);
        let stub_fails = stubs.of(ex).filter(|o| !o.passed).count();
        let stub_n = stubs.of(ex).count();
        let row_ok = stub_ok[&ex.name] && sol_pass && stub_fails > 0 && stub_n == n;
        ok &= row_ok;
        println!(
            "{:<28} {:>5}  {:<10} {:<16} {:<14}{}",
            ex.name,
            n,
            if stub_ok[&ex.name] { "yes" } else { "NO" },
            if sol_pass {
                "yes".to_string()
            } else {
                format!("NO ({} fail)", sol.of(ex).filter(|o| !o.passed).count())
            },
            format!("{stub_fails} of {stub_n}"),
            if row_ok { "" } else { "   <- defect" }
        );
        if !sol_pass {
            for o in sol.of(ex).filter(|o| !o.passed) {
                eprintln!("  solution fails {}: {}", o.name, o.message);
            }
        }
    }
    println!(
        "\n{} exercises, {} tests; solutions run {:.1} s, stubs run {:.1} s, verify {:.1} s in all: {}",
        exercises.len(),
        sol.outcomes.len(),
        sol.elapsed.as_secs_f64(),
        stubs.elapsed.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        if ok { "OK" } else { "FAILED" }
    );
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_path_buf()
    }

    #[test]
    fn every_exercise_serves_a_registered_claim_and_its_notes_link_resolves() {
        let registry = Registry::embedded().unwrap();
        let exercises = catalogue();
        assert!(exercises.len() >= 20, "only {} exercises", exercises.len());
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
            assert!(!ex.hints.is_empty(), "{} has no hint", ex.name);
            assert_eq!(ex.file, format!("lectures/exercises/{}.rs", ex.name));
            assert_eq!(ex.solution, format!("lectures/solutions/{}.rs", ex.name));
        }
        // Unique, in order, and exNN_ numbered 01, 02, … (the test prefixes must not clash).
        for (k, ex) in exercises.iter().enumerate() {
            assert_eq!(ex.prefix(), format!("ex{:02}_", k + 1), "{}", ex.name);
        }
    }

    #[test]
    fn committed_stubs_are_generated_from_the_solutions() {
        for ex in catalogue() {
            let stub = stub_for(&root(), &ex).unwrap();
            let file = read(&root(), &ex.file).unwrap();
            assert!(
                file == stub,
                "{} differs from the stub generated from {}",
                ex.file,
                ex.solution
            );
            assert!(stub.contains("todo!("), "{}", ex.name);
            assert!(!stub.contains(BEGIN) && !stub.contains(END), "{}", ex.name);
        }
    }

    #[test]
    fn every_exercise_module_is_declared_for_stub_and_solution() {
        let declared = declared_modules(&root());
        let names: Vec<String> = catalogue().into_iter().map(|e| e.name).collect();
        for n in &names {
            assert_eq!(declared.iter().filter(|m| *m == n).count(), 2, "{n}");
        }
        assert_eq!(declared.len(), 2 * names.len());
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
        let out = "running 2 tests\ntest ex01_a ... ok\ntest ex02_b ... FAILED\n\nfailures:\n\n\
                   ---- ex02_b stdout ----\n\nthread 'ex02_b' panicked at x.rs:1:1:\n\
                   a_pq is 3 after the rotation\nnote: run with `RUST_BACKTRACE=1` \n\n\
                   failures:\n    ex02_b\n\ntest result: FAILED. 1 passed; 1 failed\n";
        let o = parse_libtest(out);
        assert_eq!(o.len(), 2);
        assert!(o[0].passed && !o[1].passed);
        assert_eq!(o[1].message, "a_pq is 3 after the rotation");
    }
}
