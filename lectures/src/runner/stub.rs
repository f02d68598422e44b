//! Stubs from solutions: the one source of truth is the reference solution
//! `lectures/solutions/exNN_name.rs`, whose answer sits between `// BEGIN SOLUTION: <task>` and
//! `// END SOLUTION`; the student's file is the same text with `todo!("<task>")` there.

use std::fmt;
use std::path::Path;

use super::{read, Exercise};

/// The line that opens a solution region; the rest of the line is the task sentence.
pub const BEGIN: &str = "// BEGIN SOLUTION:";
/// The line that closes a solution region.
pub const END: &str = "// END SOLUTION";

/// What a stub allows that a finished file would warn about: its parameters and imports are
/// unused until the student writes the body.
const STUB_ALLOW: &str =
    "#![allow(unused_variables, unused_imports)] // a stub: its parameters are unused until you write the body";

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
/// let stub = lectures::runner::stub::generate_stub(solution).unwrap();
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

/// The stub generated from an exercise's solution file.
///
/// # Errors
/// If the solution cannot be read or its markers are malformed; the message says which.
pub fn stub_for(root: &Path, ex: &Exercise) -> Result<String, String> {
    let sol = read(root, &ex.solution()).ok_or_else(|| format!("cannot read {}", ex.solution()))?;
    generate_stub(&sol).map_err(|e| format!("{}: {e}", ex.solution()))
}

/// Whether the student's file is still the generated stub.
pub fn not_started(root: &Path, ex: &Exercise) -> bool {
    match (read(root, &ex.file()), stub_for(root, ex)) {
        (Some(file), Ok(stub)) => file == stub,
        _ => false,
    }
}
