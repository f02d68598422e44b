//! The subcommands of `lectures exercises`: list, check, hint, watch, reset, solution, verify.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::cargo::{self, Build, Built, Progress, Run, Variant};
use super::stub::{not_started, stub_for};
use super::{read, resolve_notes, state, Exercise, CMD};

/// The subcommands of `lectures exercises`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Your progress: which exercises are done, failing, not compiling or not started.
    List,
    /// Build and test one exercise (or all), and say in plain words what fails.
    Check {
        /// e.g. ex01_jacobi_rotation, or ex01; all exercises if omitted.
        name: Option<String>,
    },
    /// The next hint level of an exercise (each call shows one more), and where the notes
    /// explain it.
    Hint {
        /// e.g. ex01_jacobi_rotation, or ex01.
        name: String,
        /// Show every level at once.
        #[arg(long)]
        all: bool,
    },
    /// Recheck an exercise whenever you save it (Enter rechecks, q + Enter quits).
    Watch,
    /// Restore the original stub of an exercise (asks first; your version is saved to
    /// lectures/exercises/.backup/).
    Reset {
        /// e.g. ex01_jacobi_rotation, or ex01.
        name: String,
        /// Overwrite without asking (a copy is still saved).
        #[arg(long)]
        yes: bool,
    },
    /// Print the reference solution of an exercise.
    Solution {
        /// e.g. ex01_jacobi_rotation, or ex01.
        name: String,
    },
    /// For CI: every stub is generated from its solution and compiles, every solution passes
    /// its tests, every stub fails at least one, and a broken exercise blocks no other.
    Verify,
}

/// Run one subcommand; false if it failed (or, for check, if an exercise is not done).
pub fn run(root: &Path, exercises: &[Exercise], action: Action) -> bool {
    let find = |name: &str| -> Option<Exercise> {
        let found = exercises
            .iter()
            .find(|e| e.name == name || e.short() == name);
        if found.is_none() {
            eprintln!("error: no exercise `{name}`; `{CMD} list` shows them all");
        }
        found.cloned()
    };
    match action {
        Action::List => list(root, exercises),
        Action::Check { name: Some(n) } => {
            find(&n).is_some_and(|e| check(root, exercises, std::slice::from_ref(&e)))
        }
        Action::Check { name: None } => check(root, exercises, exercises),
        Action::Hint { name, all } => find(&name).is_some_and(|e| hint(root, &e, all)),
        Action::Watch => watch(root, exercises),
        Action::Reset { name, yes } => find(&name).is_some_and(|e| reset(root, &e, yes)),
        Action::Solution { name } => find(&name).is_some_and(|e| match read(root, &e.solution()) {
            Some(text) => {
                println!("{}\n", e.solution());
                print!("{text}");
                true
            }
            None => {
                eprintln!("error: cannot read {}", e.solution());
                false
            }
        }),
        Action::Verify => super::commands::verify(root, exercises),
    }
}

/// How far a student is with one exercise.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// The file is still exactly the generated stub.
    NotStarted,
    /// Every test passes.
    Done,
    /// It compiles and some test fails.
    Failing,
    /// It does not compile.
    DoesNotCompile,
    /// No check could run, for a reason that is not the student's (the library failed to
    /// build, cargo could not start, the tests timed out).
    NotChecked(String),
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::NotStarted => f.write_str("not started"),
            Status::Done => f.write_str("done"),
            Status::Failing => f.write_str("failing"),
            Status::DoesNotCompile => f.write_str("does not compile"),
            Status::NotChecked(why) => write!(f, "not checked: {why}"),
        }
    }
}

impl Status {
    fn mark(&self) -> &'static str {
        match self {
            Status::Done => "[x]",
            Status::NotStarted => "[ ]",
            Status::Failing => "[!]",
            Status::DoesNotCompile => "[E]",
            Status::NotChecked(_) => "[?]",
        }
    }
}

/// One exercise, checked: its build and, if it built, its test run.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The exercise.
    pub exercise: Exercise,
    /// Whether its file is still the stub.
    pub not_started: bool,
    /// What the compiler said (default if it was not built).
    pub built: Built,
    /// The tests' run, if it compiled and was run.
    pub run: Option<Run>,
    /// Errors outside the exercise (the library or cargo), shared by every exercise of a build.
    pub other_errors: Vec<String>,
}

impl Checked {
    /// The status `list` shows.
    pub fn status(&self) -> Status {
        if !self.other_errors.is_empty() {
            return Status::NotChecked("the lectures library did not build (see above)".into());
        }
        if !self.built.errors.is_empty() {
            return Status::DoesNotCompile;
        }
        match &self.run {
            Some(r) if r.all_passed() => Status::Done,
            _ if self.not_started => Status::NotStarted,
            Some(Run::Ran(_)) => Status::Failing,
            Some(Run::TimedOut(t)) => {
                Status::NotChecked(format!("the tests ran longer than {} s", t.as_secs()))
            }
            Some(Run::Broken(why)) => Status::NotChecked(why.lines().next().unwrap_or("").into()),
            None => Status::NotChecked("not built".into()),
        }
    }
}

/// Build the given exercises in one cargo call (with cargo's progress shown the first time)
/// and run the tests of those that compiled. `skip_not_started` leaves untouched stubs
/// unbuilt and unrun (they fail by construction; `list` need not spend time on them).
fn assess(
    root: &Path,
    all: &[Exercise],
    chosen: &[Exercise],
    variant: Variant,
    skip_not_started: bool,
) -> Option<Vec<Checked>> {
    let fresh: Vec<bool> = chosen
        .iter()
        .map(|e| variant == Variant::Exercises && not_started(root, e))
        .collect();
    let to_build: Vec<Exercise> = chosen
        .iter()
        .zip(&fresh)
        .filter(|(_, &f)| !(skip_not_started && f))
        .map(|(e, _)| e.clone())
        .collect();
    let progress = if !to_build.is_empty() && cargo::first_build(root, all) {
        eprintln!(
            "Building the exercises: the first time only, about 1–2 minutes (cargo's progress \
             below); later checks take seconds."
        );
        Progress::Shown
    } else {
        Progress::Quiet
    };
    let build = match cargo::build(root, None, variant, &to_build, progress) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return None;
        }
    };
    report_other_errors(&build);
    Some(run_built(root, chosen, &fresh, &build))
}

fn report_other_errors(build: &Build) {
    if !build.other_errors.is_empty() {
        eprintln!(
            "error: cargo could not build the library the exercises use; this is not in any \
             exercise file. cargo says:\n\n{}",
            build.other_errors.join("\n")
        );
    }
}

fn run_built(root: &Path, chosen: &[Exercise], fresh: &[bool], build: &Build) -> Vec<Checked> {
    chosen
        .iter()
        .zip(fresh)
        .map(|(ex, &not_started)| {
            let built = build.targets.get(&ex.name).cloned().unwrap_or_default();
            let run = built
                .executable
                .as_ref()
                .map(|exe| cargo::run_tests(exe, &root.join("lectures"), cargo::TIME_LIMIT));
            Checked {
                exercise: ex.clone(),
                not_started,
                built,
                run,
                other_errors: build.other_errors.clone(),
            }
        })
        .collect()
}

fn list(root: &Path, exercises: &[Exercise]) -> bool {
    let Some(checked) = assess(root, exercises, exercises, Variant::Exercises, true) else {
        return false;
    };
    print_list(&checked);
    true
}

fn print_list(checked: &[Checked]) {
    let done = checked
        .iter()
        .filter(|c| c.status() == Status::Done)
        .count();
    let mut project = None;
    for c in checked {
        if c.exercise.project.is_some() && c.exercise.project != project {
            project = c.exercise.project.clone();
            println!(
                "\nProject: {} (one step per exercise, in order)",
                project.as_deref().unwrap_or("")
            );
        }
        let s = c.status();
        println!(
            "{} {:<28} {:<26} {s}",
            s.mark(),
            c.exercise.name,
            c.exercise.claim
        );
    }
    println!(
        "\n{done}/{} done.  [x] done  [!] failing  [E] does not compile  [ ] not started",
        checked.len()
    );
    if let Some(next) = checked.iter().find(|c| c.status() != Status::Done) {
        println!(
            "Next: open {} and run `{CMD} check {}`.",
            next.exercise.file(),
            next.exercise.short()
        );
    }
}

fn check(root: &Path, all: &[Exercise], chosen: &[Exercise]) -> bool {
    // Checking everything skips untouched stubs (they only say todo!()); one named exercise is
    // always run, so its task shows.
    let skip = chosen.len() > 1;
    let Some(checked) = assess(root, all, chosen, Variant::Exercises, skip) else {
        return false;
    };
    let mut all_done = true;
    let mut untouched = Vec::new();
    for c in &checked {
        if skip && c.not_started && c.run.is_none() && c.built.errors.is_empty() {
            untouched.push(c.exercise.short().to_string());
            all_done = false;
            continue;
        }
        all_done &= report(c);
    }
    if !untouched.is_empty() {
        println!("Not started yet: {}.", untouched.join(", "));
    }
    all_done
}

/// Print one exercise's result in plain words; true if it is done.
fn report(c: &Checked) -> bool {
    let ex = &c.exercise;
    for w in &c.built.warnings {
        println!("warning in your file:\n{}", indent(w.rendered.trim_end()));
    }
    if !c.built.errors.is_empty() {
        report_compile_errors(c);
        return false;
    }
    let outcomes = match &c.run {
        Some(Run::Ran(o)) => o,
        Some(Run::TimedOut(t)) => {
            println!(
                "✗ {}: the tests were stopped after {} s. Is there a loop that never ends in {}?\n",
                ex.name,
                t.as_secs(),
                ex.file()
            );
            return false;
        }
        Some(Run::Broken(why)) => {
            println!("✗ {}: the tests could not run:\n{}\n", ex.name, indent(why));
            return false;
        }
        None => {
            println!("? {}: {}\n", ex.name, c.status());
            return false;
        }
    };
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
    if failed.is_empty() {
        match outcomes.len() {
            1 => println!("✓ {} — its test passes.", ex.name),
            n => println!("✓ {} — all {n} tests pass.", ex.name),
        }
        return true;
    }
    println!(
        "✗ {} — {} of {} tests fail ({}):",
        ex.name,
        failed.len(),
        outcomes.len(),
        ex.file()
    );
    for o in failed {
        let msg = match o.message.strip_prefix("not yet implemented: ") {
            Some(todo) => todo_message(ex, todo),
            None => o.message.clone(),
        };
        println!("  • {}:\n{}", o.name, indent(&indent(&msg)));
    }
    println!(
        "  Stuck? `{CMD} hint {}` gives the next hint.\n",
        ex.short()
    );
    false
}

/// An exercise that does not compile: the compiler's messages, where to fix it (the
/// student's file, an earlier project step it uses, or the tests' call of it), and how to
/// start over.
fn report_compile_errors(c: &Checked) {
    let ex = &c.exercise;
    println!(
        "✗ {} does not compile (only this exercise is affected; the others are checked as \
         usual). The compiler says:\n",
        ex.name
    );
    for e in &c.built.errors {
        println!("{}\n", indent(e.rendered.trim_end()));
    }
    let at = c.built.errors.iter().find_map(|e| e.at.clone());
    // A project step also compiles the earlier steps it uses: the error may be in one.
    let step = at.as_ref().and_then(|(file, _)| {
        ex.uses
            .iter()
            .find(|u| *file == format!("lectures/exercises/{u}.rs"))
    });
    match (at, step) {
        (Some((file, line)), _) if file == ex.file() => {
            println!("  -> fix {file}:{line}.")
        }
        (Some((file, line)), Some(step)) => println!(
            "  -> the error is at {file}:{line}, in an earlier step of the project that this \
             step uses: fix it there first (`{CMD} check {}`).",
            &step[..4]
        ),
        (Some((file, line)), None) => println!(
            "  -> the error is at {file}:{line}, in the tests, which call your function as \
             the stub declares it: did its name, parameters or return type change? Compare \
             with `{CMD} solution {0}`, or start over with `{CMD} reset {0}` (your version \
             is saved to lectures/exercises/.backup/).",
            ex.short()
        ),
        (None, _) => {}
    }
    println!(
        "  Or start over: `{CMD} reset {}` (saves your version to lectures/exercises/.backup/).\n",
        ex.short()
    );
}

/// A test stopped at a `todo!()`: say which task, and, when the todo!() is in an earlier
/// project step that this step calls, that that step comes first.
fn todo_message(ex: &Exercise, todo: &str) -> String {
    let (task, at) = match todo.rsplit_once("\n(the todo!() is at ") {
        Some((task, at)) => (task, at.trim_end_matches(')')),
        None => (todo, ""),
    };
    match ex
        .uses
        .iter()
        .find(|u| at.starts_with(&format!("lectures/exercises/{u}.rs")))
    {
        Some(step) => format!(
            "your step {} is still todo!(): {task}\nThis step calls it: finish {} first \
             (`{CMD} check {}`).",
            &step[..4],
            at.split(':').next().unwrap_or(at),
            &step[..4]
        ),
        None => format!("still todo!(): {task}"),
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn hint(root: &Path, ex: &Exercise, all: bool) -> bool {
    println!("{} ({})", ex.name, ex.file());
    println!(
        "Claim: {}  (`cargo run -q -p lectures -- show {}`)",
        ex.claim, ex.claim
    );
    match resolve_notes(root, &ex.notes) {
        Some(h) => println!("Notes: {}\n       section \"{h}\"", ex.notes),
        None => println!("Notes: {}", ex.notes),
    }
    let total = ex.hints.len();
    let shown = state::hints_shown(root).get(&ex.name).copied().unwrap_or(0);
    let upto = if all { total } else { (shown + 1).min(total) };
    for (k, h) in ex.hints.iter().enumerate().take(upto) {
        println!("\nHint {} of {total}: {h}", k + 1);
    }
    if upto < total {
        println!(
            "\nAsk again for hint {} (`{CMD} hint {}`), or see every level with --all.",
            upto + 1,
            ex.short()
        );
    } else {
        println!(
            "\nThat was the last hint. Still stuck? `{CMD} solution {}` prints the reference \
             solution.",
            ex.short()
        );
    }
    if upto > shown {
        if let Err(e) = state::set_hints_shown(root, &ex.name, upto) {
            eprintln!(
                "warning: cannot record the hint level in {}: {e}",
                state::HINTS_FILE
            );
        }
    }
    true
}

fn mtimes(root: &Path, exercises: &[Exercise]) -> Vec<Option<SystemTime>> {
    exercises
        .iter()
        .map(|e| {
            std::fs::metadata(root.join(e.file()))
                .and_then(|m| m.modified())
                .ok()
        })
        .collect()
}

/// Recheck on save. Polling, not file-system events: those fail on some file systems (network
/// mounts, containers) and with editors that save by renaming; Enter is the manual fallback.
fn watch(root: &Path, exercises: &[Exercise]) -> bool {
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(l) = line else { return };
            if tx.send(l).is_err() {
                return;
            }
        }
    });
    let Some(mut checked) = assess(root, exercises, exercises, Variant::Exercises, true) else {
        return false;
    };
    let mut current = checked
        .iter()
        .position(|c| c.status() != Status::Done)
        .unwrap_or(0);
    let mut seen = mtimes(root, exercises);
    draw_watch(&checked, current, None, &[]);
    loop {
        let mut recheck = None;
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(line) if line.trim() == "q" => return true,
            Ok(_) => recheck = Some(current),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            // stdin closed: keep polling.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_millis(500))
            }
        }
        let now = mtimes(root, exercises);
        if let Some(k) = (0..exercises.len()).find(|&k| now[k] != seen[k]) {
            recheck = Some(k);
        }
        seen = now;
        let Some(k) = recheck else { continue };
        current = k;
        clear_screen();
        // The saved exercise and the project steps that use it (their result may change).
        let again: Vec<usize> = (0..exercises.len())
            .filter(|&j| j == k || exercises[j].uses.contains(&exercises[k].name))
            .collect();
        let names: Vec<&str> = again.iter().map(|&j| exercises[j].name.as_str()).collect();
        println!("Checking {} …", names.join(", "));
        let chosen: Vec<Exercise> = again.iter().map(|&j| exercises[j].clone()).collect();
        let Some(results) = assess(root, exercises, &chosen, Variant::Exercises, false) else {
            continue;
        };
        for (&j, c) in again.iter().zip(results) {
            checked[j] = c;
        }
        let users: Vec<usize> = again.into_iter().filter(|&j| j != k).collect();
        draw_watch(&checked, current, Some(&checked[k]), &users);
    }
}

fn clear_screen() {
    print!("\x1b[2J\x1b[H");
    let _ = std::io::stdout().flush();
}

/// The watch screen: the done count, the exercise just checked and its result, what is next.
/// `users`: the project steps that use the current exercise, rechecked with it.
fn draw_watch(checked: &[Checked], current: usize, result: Option<&Checked>, users: &[usize]) {
    clear_screen();
    let done = checked
        .iter()
        .filter(|c| c.status() == Status::Done)
        .count();
    let ex = &checked[current].exercise;
    println!(
        "Exercises: {done}/{} done.   Current: {} ({})",
        checked.len(),
        ex.name,
        checked[current].status()
    );
    println!("{}\n", "─".repeat(78));
    match result {
        Some(c) => {
            report(c);
            for &j in users {
                println!(
                    "Rechecked with it, since it uses it: {} ({})",
                    checked[j].exercise.name,
                    checked[j].status()
                );
            }
        }
        None => println!(
            "Open {} and save it to check it (its doc comment states the task).\n",
            ex.file()
        ),
    }
    let next = (current + 1..checked.len())
        .chain(0..current)
        .find(|&k| checked[k].status() != Status::Done);
    match (checked[current].status() == Status::Done, next) {
        (true, Some(n)) => println!("Next: {}", checked[n].exercise.file()),
        (false, Some(n)) => println!("After this one: {}", checked[n].exercise.file()),
        (_, None) if done == checked.len() => println!("Every exercise is done."),
        _ => {}
    }
    println!(
        "\nWatching lectures/exercises/: saving a file rechecks it. Enter rechecks {}; \
         `{CMD} hint {}` in another terminal gives a hint; q + Enter quits.",
        ex.short(),
        ex.short()
    );
}

fn reset(root: &Path, ex: &Exercise, yes: bool) -> bool {
    let stub = match stub_for(root, ex) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let path = root.join(ex.file());
    match std::fs::read_to_string(&path) {
        Ok(current) if current == stub => {
            println!("{} is already the original stub.", ex.file());
            return true;
        }
        Ok(current) => {
            if !yes {
                print!(
                    "{} has your changes; replace them by the original stub (a copy of yours \
                     goes to {})? [y/N] ",
                    ex.file(),
                    state::BACKUP_DIR
                );
                let _ = std::io::stdout().flush();
                let mut answer = String::new();
                let _ = std::io::stdin().read_line(&mut answer);
                if !matches!(answer.trim(), "y" | "Y" | "yes") {
                    println!("Left {} unchanged.", ex.file());
                    return true;
                }
            }
            match state::back_up(root, &ex.name, &current) {
                Ok(p) => println!(
                    "Saved your version to {}.",
                    p.strip_prefix(root).unwrap_or(&p).display()
                ),
                Err(e) => {
                    eprintln!("error: cannot save a copy of your version ({e}); nothing changed");
                    return false;
                }
            }
        }
        Err(_) => {}
    }
    match std::fs::write(&path, stub) {
        Ok(()) => {
            println!("Restored {} to its stub.", ex.file());
            true
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            false
        }
    }
}

/// The `[[test]]` targets `lectures/Cargo.toml` declares: name → (path, required features).
pub fn declared_targets(root: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    #[derive(serde::Deserialize)]
    struct Target {
        name: String,
        path: Option<String>,
        #[serde(rename = "required-features", default)]
        required: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(default)]
        test: Vec<Target>,
    }
    let text = read(root, "lectures/Cargo.toml").unwrap_or_default();
    toml::from_str::<Manifest>(&text)
        .map(|m| {
            m.test
                .into_iter()
                .map(|t| (t.name, (t.path.unwrap_or_default(), t.required)))
                .collect()
        })
        .unwrap_or_default()
}

/// The catalogue's consistency: stubs generated, a test target per exercise. Errors printed.
fn verify_files(root: &Path, exercises: &[Exercise]) -> BTreeMap<String, bool> {
    let declared = declared_targets(root);
    let mut good = BTreeMap::new();
    for ex in exercises {
        let mut ok = true;
        match (stub_for(root, ex), read(root, &ex.file())) {
            (Ok(stub), Some(file)) if stub == file => {}
            (Err(e), _) => {
                eprintln!("error: {e}");
                ok = false;
            }
            _ => {
                eprintln!(
                    "error: {} is not the stub generated from {}; regenerate it with `{CMD} \
                     reset {} --yes`",
                    ex.file(),
                    ex.solution(),
                    ex.short()
                );
                ok = false;
            }
        }
        let want = (
            format!("tests/exercises/{}.rs", ex.name),
            vec!["exercises".to_string()],
        );
        if declared.get(&ex.name) != Some(&want) || !root.join(ex.tests()).is_file() {
            eprintln!(
                "error: lectures/Cargo.toml must declare [[test]] name = \"{}\", path = \"{}\", \
                 required-features = [\"exercises\"], and that file must exist",
                ex.name, want.0
            );
            ok = false;
        }
        ok &= verify_uses(root, exercises, ex);
        good.insert(ex.name.clone(), ok);
    }
    for name in declared.keys() {
        if declared[name].0.starts_with("tests/exercises/")
            && !exercises.iter().any(|e| &e.name == name)
        {
            eprintln!("error: test target {name} belongs to no exercise of exercises.toml");
        }
    }
    good
}

/// A project step's `uses`: earlier steps of the same project, each compiled by the step's
/// test target (its tests file names the step's file). Errors printed.
fn verify_uses(root: &Path, exercises: &[Exercise], ex: &Exercise) -> bool {
    let tests = read(root, &ex.tests()).unwrap_or_default();
    let mut ok = true;
    for u in &ex.uses {
        let earlier = exercises
            .iter()
            .take_while(|e| e.name != ex.name)
            .any(|e| &e.name == u && e.project.is_some() && e.project == ex.project);
        if !earlier || !tests.contains(&format!("../../exercises/{u}.rs")) {
            eprintln!(
                "error: {} uses {u}, which must be an earlier step of the same project and be \
                 compiled by {} (#[path = \"../../exercises/{u}.rs\"])",
                ex.name,
                ex.tests()
            );
            ok = false;
        }
    }
    ok
}

fn verify(root: &Path, exercises: &[Exercise]) -> bool {
    let start = Instant::now();
    let files_ok = verify_files(root, exercises);
    let mut ok = files_ok.values().all(|&g| g);
    let timed = |variant| {
        let t = Instant::now();
        assess(root, exercises, exercises, variant, false).map(|c| (c, t.elapsed()))
    };
    let (Some((sol, sol_time)), Some((stubs, stub_time))) =
        (timed(Variant::Solutions), timed(Variant::Exercises))
    else {
        return false;
    };
    println!(
        "\n{:<28} {:>5}  {:<10} {:<14} {:<14}",
        "exercise", "tests", "stub", "solution", "stub"
    );
    println!(
        "{:<28} {:>5}  {:<10} {:<14} {:<14}",
        "", "", "generated", "passes all", "compiles, fails ≥ 1"
    );
    let mut n_tests = 0;
    for (s, t) in sol.iter().zip(&stubs) {
        let name = &s.exercise.name;
        let outcomes = |c: &Checked| match &c.run {
            Some(Run::Ran(o)) => o.clone(),
            _ => Vec::new(),
        };
        let (so, to) = (outcomes(s), outcomes(t));
        n_tests += so.len();
        let sol_pass = s.status() == Status::Done;
        let stub_fails = to.iter().filter(|o| !o.passed).count();
        let row_ok = files_ok[name] && sol_pass && stub_fails > 0 && to.len() == so.len();
        ok &= row_ok;
        println!(
            "{:<28} {:>5}  {:<10} {:<14} {:<14}{}",
            name,
            so.len(),
            if files_ok[name] { "yes" } else { "NO" },
            if sol_pass {
                "yes".to_string()
            } else {
                format!("NO: {}", s.status())
            },
            format!("{stub_fails} of {}", to.len()),
            if row_ok { "" } else { "   <- defect" }
        );
        if !row_ok {
            for c in [s, t] {
                if !c.built.errors.is_empty() || !sol_pass {
                    report(c);
                }
            }
        }
    }
    let probe_start = Instant::now();
    ok &= probe_independence(root, exercises);
    let probe_time = probe_start.elapsed();
    println!(
        "\n{} exercises, {n_tests} tests; build and run: solutions {:.1} s, stubs {:.1} s, \
         independence probe {:.1} s; verify {:.1} s in all: {}",
        exercises.len(),
        sol_time.as_secs_f64(),
        stub_time.as_secs_f64(),
        probe_time.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        if ok { "OK" } else { "FAILED" }
    );
    ok
}

/// The proof that a broken exercise blocks no other: in a copy of the `lectures` crate (under
/// `target/exercises-probe/`, depending on the real linalg, autodiff, dimred and nn, so only
/// `lectures` is rebuilt), one stub gets a type error — the first step that a later project
/// step uses, so that the project path is exercised too — and every exercise is built in one
/// call. The broken one must report its error at its own file and line, the steps that use it
/// must report the same line, and every other exercise must build and run its tests.
fn probe_independence(root: &Path, exercises: &[Exercise]) -> bool {
    let broken = exercises
        .iter()
        .find(|e| exercises.iter().any(|o| o.uses.contains(&e.name)))
        .unwrap_or(&exercises[0])
        .clone();
    let probe = root.join("target/exercises-probe");
    let result = (|| -> Result<(bool, Vec<String>), String> {
        copy_for_probe(root, &probe).map_err(|e| format!("cannot copy the crate: {e}"))?;
        let stub = stub_for(root, &broken)?;
        let bad = format!("{stub}\nfn broken() -> f64 {{ \"not a number\" }}\n");
        let bad_line = bad.lines().count();
        std::fs::write(probe.join(broken.file()), bad).map_err(|e| e.to_string())?;
        // The real target directory: linalg, autodiff, dimred and nn are the same packages
        // (same paths), so only the copied `lectures` is compiled again.
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let build = cargo::build(
            &probe,
            Some(&target),
            Variant::Exercises,
            exercises,
            Progress::Quiet,
        )
        .map_err(|e| format!("cannot run cargo: {e}"))?;
        report_other_errors(&build);
        let fresh = vec![false; exercises.len()];
        let checked = run_built(&probe, exercises, &fresh, &build);
        let at_bad_line = |c: &Checked| {
            c.built
                .errors
                .iter()
                .any(|e| e.at.as_ref() == Some(&(broken.file(), bad_line)))
        };
        let mut blocked = Vec::new();
        let mut dependents = Vec::new();
        for c in &checked {
            let ex = &c.exercise;
            let ok = if ex.name == broken.name {
                at_bad_line(c)
            } else if ex.uses.contains(&broken.name) {
                dependents.push(ex.name.clone());
                at_bad_line(c)
            } else {
                matches!(&c.run, Some(Run::Ran(o)) if !o.is_empty())
            };
            if !ok {
                blocked.push(ex.name.clone());
            }
        }
        if !blocked.is_empty() {
            eprintln!("error: in the probe, these were not checked as they should be: {blocked:?}");
        }
        Ok((blocked.is_empty(), dependents))
    })();
    match result {
        Ok((true, dependents)) => {
            println!(
                "\nIndependence: with a type error in {} (reported at its line), the {} other \
                 exercises built and ran their tests{}.",
                broken.file(),
                exercises.len() - 1 - dependents.len(),
                if dependents.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {}, which {} it, reported the error at that line",
                        dependents.join(" and "),
                        if dependents.len() == 1 { "uses" } else { "use" }
                    )
                }
            );
            true
        }
        Ok((false, _)) => {
            eprintln!(
                "error: a type error in {} blocked another exercise, or was not reported at its \
                 line (probe in {})",
                broken.file(),
                probe.display()
            );
            false
        }
        Err(e) => {
            eprintln!("error: the independence probe could not run: {e}");
            false
        }
    }
}

/// A workspace at `probe` with a copy of `lectures/` (and the test fixtures and library sources
/// it includes) whose
/// other members are the real crates, by absolute path. File times are kept, so that cargo
/// rebuilds only what changed since the last probe.
fn copy_for_probe(root: &Path, probe: &Path) -> std::io::Result<()> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let mut out = String::new();
    for line in manifest.lines() {
        let line = if line.starts_with("members") {
            "members = [\"lectures\"]".to_string()
        } else if let Some((name, _)) = line.split_once(" = { path = \"") {
            if name == "lectures" {
                line.to_string()
            } else {
                format!("{name} = {{ path = \"{}\" }}", root.join(name).display())
            }
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    std::fs::create_dir_all(probe)?;
    write_if_changed(&probe.join("Cargo.toml"), out.as_bytes())?;
    copy_tree(&root.join("Cargo.lock"), &probe.join("Cargo.lock"))?;
    copy_tree(&root.join("lectures"), &probe.join("lectures"))?;
    // `lectures explore` shows the library sources it runs (include_str! from the repository
    // root), so the probe needs those files too; they are read, not compiled, there.
    for dir in ["linalg/src", "autodiff/src", "dimred/src", "nn/src"] {
        copy_tree(&root.join(dir), &probe.join(dir))?;
    }
    copy_tree(&root.join("tests/fixtures"), &probe.join("tests/fixtures"))
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).ok().as_deref() != Some(bytes) {
        std::fs::write(path, bytes)?;
    }
    Ok(())
}

/// Copy a file or a directory tree, skipping `.backup` and keeping modification times.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(from)?;
    if meta.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            if entry.file_name() == ".backup" {
                continue;
            }
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    let same = std::fs::metadata(to)
        .and_then(|m| m.modified())
        .ok()
        .zip(meta.modified().ok())
        .is_some_and(|(a, b)| a == b)
        && std::fs::read(to).ok() == std::fs::read(from).ok();
    if !same {
        std::fs::copy(from, to)?;
        let f = std::fs::File::options().write(true).open(to)?;
        f.set_modified(meta.modified()?)?;
    }
    Ok(())
}
