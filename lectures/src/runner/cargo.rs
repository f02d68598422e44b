//! Building and running the exercises' test targets.
//!
//! One cargo call builds the chosen targets (`cargo build -p lectures --features exercises
//! --keep-going --message-format json --test exNN_… …`): `--keep-going` lets every target that
//! compiles finish even when another fails, and cargo's JSON messages say which target each
//! error and warning belongs to and where each test executable is. The runner then runs each
//! executable itself, so one exercise that does not compile blocks no other.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Exercise;

/// A test binary that runs longer than this is stopped (an endless loop in a student's code).
pub const TIME_LIMIT: Duration = Duration::from_secs(300);

/// One compiler diagnostic for an exercise's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The compiler's text, with the student's path written as `lectures/exercises/…`.
    pub rendered: String,
    /// `file:line` of the primary span, if any.
    pub at: Option<(String, usize)>,
}

/// What the build made of one exercise.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// The test executable, if the target compiled.
    pub executable: Option<PathBuf>,
    /// The compiler's errors for this target.
    pub errors: Vec<Diagnostic>,
    /// The compiler's warnings for this target that point into the exercise's own file.
    pub warnings: Vec<Diagnostic>,
}

/// The result of one build of several exercise targets.
#[derive(Debug, Clone, Default)]
pub struct Build {
    /// Per exercise name.
    pub targets: BTreeMap<String, Built>,
    /// Errors outside the exercise targets (the `lectures` library, a dependency, cargo
    /// itself): when non-empty, no exercise could be built and none is to blame.
    pub other_errors: Vec<String>,
    /// Wall-clock time of the build.
    pub elapsed: Duration,
}

/// Which files the test targets compile: the student's stubs or the reference solutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `--features exercises`: `lectures/exercises/`.
    Exercises,
    /// `--features exercises,solutions`: `lectures/solutions/`.
    Solutions,
}

impl Variant {
    /// The cargo features.
    pub fn features(self) -> &'static str {
        match self {
            Variant::Exercises => "exercises",
            Variant::Solutions => "exercises,solutions",
        }
    }
}

/// How a build talks to the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// cargo's own progress bar and `Compiling …` lines on stderr (a first, long build).
    Shown,
    /// Quiet: only the runner's own output.
    Quiet,
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Whether the exercise targets were never built in this checkout (so the next build compiles
/// the dependencies too and takes a minute or two). Looks for any test executable of the
/// catalogue under the target directory's `debug/deps`.
pub fn first_build(root: &Path, exercises: &[Exercise]) -> bool {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let Ok(entries) = std::fs::read_dir(target.join("debug/deps")) else {
        return true;
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    !exercises.iter().any(|ex| {
        names
            .iter()
            .any(|n| n.starts_with(&format!("{}-", ex.name)))
    })
}

/// Build the test targets of `exercises` (compiled from `manifest_dir`'s workspace, usually
/// the repository root).
///
/// # Errors
/// If cargo cannot be started.
pub fn build(
    manifest_dir: &Path,
    target_dir: Option<&Path>,
    variant: Variant,
    exercises: &[Exercise],
    progress: Progress,
) -> std::io::Result<Build> {
    let start = Instant::now();
    let mut out = Build::default();
    if exercises.is_empty() {
        return Ok(out);
    }
    let mut cmd = Command::new(cargo());
    cmd.current_dir(manifest_dir);
    if let Some(t) = target_dir {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    cmd.args(["build", "-p", "lectures", "--features", variant.features()])
        .args(["--keep-going", "--message-format", "json"])
        .stdout(Stdio::piped());
    for ex in exercises {
        cmd.args(["--test", &ex.name]);
        out.targets.insert(ex.name.clone(), Built::default());
    }
    match progress {
        Progress::Shown => {
            cmd.stderr(Stdio::inherit());
        }
        Progress::Quiet => {
            cmd.arg("--quiet").stderr(Stdio::piped());
        }
    }
    let mut child = cmd.spawn()?;
    let stderr = drain(child.stderr.take());
    let stdout = child.stdout.take().expect("stdout is piped");
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        read_message(&msg, &mut out);
    }
    child.wait()?;
    let stderr = stderr.join().unwrap_or_default();
    let nothing_built = out.targets.values().all(|t| t.executable.is_none());
    let no_target_blamed = out.targets.values().all(|t| t.errors.is_empty());
    if nothing_built && no_target_blamed && out.other_errors.is_empty() {
        // cargo failed before compiling anything (a broken manifest, no network, …).
        out.other_errors.push(stderr.trim().to_string());
    }
    out.elapsed = start.elapsed();
    Ok(out)
}

/// Read a pipe to the end on its own thread, so neither pipe of a child can fill and stall it.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_string(&mut s);
        }
        s
    })
}

/// File one cargo JSON message: an artifact, or a diagnostic of an exercise target or of
/// something else.
fn read_message(msg: &serde_json::Value, out: &mut Build) {
    let target = msg["target"]["name"].as_str().unwrap_or("");
    let is_test = msg["target"]["kind"]
        .as_array()
        .is_some_and(|k| k.iter().any(|v| v == "test"));
    match msg["reason"].as_str() {
        Some("compiler-artifact") if is_test => {
            if let (Some(t), Some(exe)) = (out.targets.get_mut(target), msg["executable"].as_str())
            {
                t.executable = Some(PathBuf::from(exe));
            }
        }
        Some("compiler-message") => {
            let m = &msg["message"];
            let level = m["level"].as_str().unwrap_or("");
            let rendered = normalise(m["rendered"].as_str().unwrap_or(""));
            // Summaries ("aborting due to 2 previous errors", "1 warning emitted") say nothing new.
            if m["spans"].as_array().is_none_or(|s| s.is_empty())
                && (rendered.contains("aborting due to") || rendered.contains("emitted"))
            {
                return;
            }
            let at = m["spans"].as_array().and_then(|spans| {
                spans
                    .iter()
                    .find(|s| s["is_primary"].as_bool() == Some(true))
                    .map(|s| {
                        (
                            normalise(s["file_name"].as_str().unwrap_or("")),
                            s["line_start"].as_u64().unwrap_or(0) as usize,
                        )
                    })
            });
            let diag = Diagnostic { rendered, at };
            match (out.targets.get_mut(target), level, is_test) {
                (Some(t), "error", true) => t.errors.push(diag),
                (Some(t), "warning", true) => {
                    // Only the student's file: the tests' own code is not theirs to fix.
                    let own = format!("lectures/exercises/{target}.rs");
                    let sol = format!("lectures/solutions/{target}.rs");
                    if diag
                        .at
                        .as_ref()
                        .is_some_and(|(f, _)| *f == own || *f == sol)
                    {
                        t.warnings.push(diag);
                    }
                }
                (_, "error", _) => out
                    .other_errors
                    .push(format!("in {target}:\n{}", diag.rendered)),
                _ => {}
            }
        }
        _ => {}
    }
}

/// rustc names the student's file through the test's `#[path]`: write it as the student knows it.
fn normalise(text: &str) -> String {
    text.replace(
        "lectures/tests/exercises/../../exercises/",
        "lectures/exercises/",
    )
    .replace(
        "lectures/tests/exercises/../../solutions/",
        "lectures/solutions/",
    )
}

/// The outcome of one test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestOutcome {
    /// The test's name.
    pub name: String,
    /// Passed or not.
    pub passed: bool,
    /// For a failed test, the message of its last panic in plain words (proptest's final
    /// report, with the smallest failing input, comes last).
    pub message: String,
}

/// The result of running one exercise's test executable.
#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    /// The tests ran; their outcomes.
    Ran(Vec<TestOutcome>),
    /// The executable ran out of time and was stopped.
    TimedOut(Duration),
    /// The executable could not be started or crashed without a test report.
    Broken(String),
}

impl Run {
    /// Whether every test passed (and there was at least one).
    pub fn all_passed(&self) -> bool {
        matches!(self, Run::Ran(o) if !o.is_empty() && o.iter().all(|t| t.passed))
    }
}

/// Run one test executable (libtest), with plain output and no backtraces; `cwd` is the
/// `lectures` crate, as under `cargo test`.
pub fn run_tests(executable: &Path, cwd: &Path, time_limit: Duration) -> Run {
    let mut cmd = Command::new(executable);
    cmd.current_dir(cwd)
        .args(["--color", "never"])
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_MANIFEST_DIR", cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // The workspace's fixed proptest seed (.cargo/config.toml sets it for cargo's own runs).
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        cmd.env("PROPTEST_RNG_SEED", "20261126");
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Run::Broken(format!("cannot run {}: {e}", executable.display())),
    };
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    if !wait_with_limit(&mut child, time_limit) {
        return Run::TimedOut(time_limit);
    }
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let outcomes = parse_libtest(&stdout);
    if outcomes.is_empty() {
        Run::Broken(
            format!("{}\n{}", stdout.trim(), stderr.trim())
                .trim()
                .to_string(),
        )
    } else {
        Run::Ran(outcomes)
    }
}

/// Wait for the child; kill it after `limit`. True if it ended by itself.
fn wait_with_limit(child: &mut Child, limit: Duration) -> bool {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return true,
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// Outcomes from libtest's plain output: `test NAME ... ok|FAILED` lines, and for each failure
/// the block after `---- NAME stdout ----`.
pub fn parse_libtest(stdout: &str) -> Vec<TestOutcome> {
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

/// The message of the last `panicked at` in a failure block, without the backtrace note; and
/// where the student's own file panicked, if it did (a shape error inside a library call
/// reports the caller's line, thanks to `#[track_caller]`).
fn last_panic(lines: &[&str]) -> String {
    let Some(start) = lines.iter().rposition(|l| l.contains("panicked at")) else {
        return lines.join("\n").trim().to_string();
    };
    // proptest reports the failing case in a panic of its own; the case's panic, if any, is
    // the one just before it. Its location matters when it is in the student's file.
    let panics: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split_once("panicked at ").map(|(_, at)| at))
        .collect();
    let by_proptest = lines
        .get(start + 1)
        .is_some_and(|l| l.starts_with("Test failed: "));
    let case = if by_proptest && panics.len() >= 2 {
        panics.get(panics.len() - 2)
    } else if by_proptest {
        None
    } else {
        panics.last()
    };
    let in_student_file = case
        .map(|at| normalise(at))
        .filter(|at| at.starts_with("lectures/exercises/") || at.starts_with("lectures/solutions/"))
        .map(|at| at.trim_end_matches(':').to_string());
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
    let msg = summarise_proptest(&msg);
    match in_student_file {
        // Where the todo!() is: a project step may call an earlier step that is still a stub.
        Some(at) if msg.starts_with("not yet implemented") => {
            format!("{msg}\n(the todo!() is at {at})")
        }
        Some(at) => format!("{msg}\n(the panic happened at {at}, in your code)"),
        None => msg,
    }
}

/// proptest wraps the message: "Test failed: <message>.\nminimal failing input: <input>"
/// followed by counts of successes and rejects; keep the message and the input.
fn summarise_proptest(msg: &str) -> String {
    let Some(rest) = msg.strip_prefix("Test failed: ") else {
        return msg.to_string();
    };
    let (message, input) = match rest.split_once("\nminimal failing input: ") {
        Some((m, i)) => (
            m.trim_end_matches(['.', ';']),
            i.lines()
                .take_while(|l| !l.trim_start().starts_with("successes:"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        None => (rest, String::new()),
    };
    if message.starts_with("not yet implemented") || input.is_empty() {
        message.to_string()
    } else {
        format!("{message}\nsmallest failing input: {}", input.trim())
    }
}
