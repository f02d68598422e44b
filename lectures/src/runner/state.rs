//! The student's state outside their files, both ignored by git: how many hint levels each
//! exercise has shown (`lectures/exercises/.hints`), and the copies `reset` keeps
//! (`lectures/exercises/.backup/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hint-level file, relative to the repository root: one line `exNN_name <levels shown>`.
pub const HINTS_FILE: &str = "lectures/exercises/.hints";

/// Where `reset` saves the student's version before restoring the stub.
pub const BACKUP_DIR: &str = "lectures/exercises/.backup";

/// How many hint levels each exercise has shown so far.
pub fn hints_shown(root: &Path) -> BTreeMap<String, usize> {
    std::fs::read_to_string(root.join(HINTS_FILE))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (name, n) = l.split_once(' ')?;
            Some((name.to_string(), n.trim().parse().ok()?))
        })
        .collect()
}

/// Record that `name` has shown `levels` hint levels.
///
/// # Errors
/// If the file cannot be written.
pub fn set_hints_shown(root: &Path, name: &str, levels: usize) -> std::io::Result<()> {
    let mut all = hints_shown(root);
    all.insert(name.to_string(), levels);
    let text: String = all.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
    std::fs::write(root.join(HINTS_FILE), text)
}

/// Copy the student's file into [`BACKUP_DIR`] as `<name>.<unix seconds>.rs`; the path written.
///
/// # Errors
/// If the directory or the copy cannot be written.
pub fn back_up(root: &Path, name: &str, text: &str) -> std::io::Result<PathBuf> {
    let dir = root.join(BACKUP_DIR);
    std::fs::create_dir_all(&dir)?;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut path = dir.join(format!("{name}.{secs}.rs"));
    let mut k = 1;
    while path.exists() {
        path = dir.join(format!("{name}.{secs}-{k}.rs"));
        k += 1;
    }
    std::fs::write(&path, text)?;
    Ok(path)
}
