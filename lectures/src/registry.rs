//! The claim registry: every claim id of the spec, mapped to its notes, code, tests and status.
//!
//! The registry is the file `lectures/claims.toml`; the spec is `lectures/spec/claims.md`,
//! the precise statement of every claim. Both are embedded in the binary
//! ([`Registry::embedded`], [`SPEC`]), so the `lectures` command works from any directory;
//! [`Registry::load_from`] reads another copy from disk.
//!
//! [`check`] enforces the rule that keeps the registry honest. For every claim:
//! - its id is in the spec, exactly once in the registry, and every id of the spec is there;
//! - `notes` is `lectures/notes/<chapter>.md`.
//!
//! and for a claim whose status is `done`:
//! - the notes file exists and names the id;
//! - `code` and `tests` are not empty;
//! - each code entry `file::item` names a file that exists, declares `item` (as a `fn`,
//!   `struct`, `enum`, `trait`, `type`, `const` or `mod`) and names the id;
//! - each test entry `file::name` names a file that exists, declares `fn name` and names the id.
//!
//! A path `Outer::inner` (a method, or a test inside a `mod`) requires every segment to be
//! declared in the file. "Names the id" means the id appears as a whole word: `la.jacobi.*`
//! does not name `la.jacobi.converges`.
//!
//! ```
//! use lectures::registry::{Registry, Status};
//! let registry = Registry::embedded().unwrap();
//! assert_eq!(registry.claims[0].id, "la.jacobi.converges");
//! let pending = registry.count(Status::Pending);
//! assert!(pending <= registry.claims.len());
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The registry file, as compiled into the binary.
pub const REGISTRY_TOML: &str = include_str!("../claims.toml");

/// The spec (`lectures/spec/claims.md`), as compiled into the binary.
pub const SPEC: &str = include_str!("../spec/claims.md");

/// Where the registry lives, relative to the repository root.
pub const REGISTRY_PATH: &str = "lectures/claims.toml";

/// Where the spec lives, relative to the repository root.
pub const SPEC_PATH: &str = "lectures/spec/claims.md";

/// The whole registry: the `[[claim]]` entries of `claims.toml`, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// One entry per claim id.
    #[serde(rename = "claim", default)]
    pub claims: Vec<Claim>,
}

/// One claim: where it is explained, implemented and tested.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The stable id of the spec, e.g. `la.jacobi.converges`.
    pub id: String,
    /// What the claim states, in one line.
    pub title: String,
    /// The notes chapter, a file stem under `lectures/notes/`, e.g. `00-linear-algebra`.
    pub chapter: String,
    /// The notes file, relative to the repository root; its section on the claim names the id.
    pub notes: String,
    /// `file::item` paths, relative to the repository root, of the implementing items.
    pub code: Vec<String>,
    /// `file::test_fn` paths, relative to the repository root, of the tests.
    pub tests: Vec<String>,
    /// Whether code, tests and notes all exist.
    pub status: Status,
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not yet implemented, tested and explained.
    Pending,
    /// Implemented, tested and explained; [`check`] verifies the paths.
    Done,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Pending => "pending",
            Status::Done => "done",
        })
    }
}

/// The registry or the spec could not be read or parsed.
#[derive(Debug)]
pub enum RegistryError {
    /// The file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The text is not a valid registry.
    Parse {
        /// The file, or `<embedded>`.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryError::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            RegistryError::Parse { path, message } => {
                write!(
                    f,
                    "{} is not a valid claim registry: {message}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for RegistryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RegistryError::Io { source, .. } => Some(source),
            RegistryError::Parse { .. } => None,
        }
    }
}

impl Registry {
    /// Parse registry text (the contents of a `claims.toml`).
    ///
    /// # Errors
    /// [`RegistryError::Parse`] with the parser's message; `path` only labels it.
    pub fn parse(text: &str, path: &Path) -> Result<Registry, RegistryError> {
        toml::from_str(text).map_err(|e| RegistryError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// The registry compiled into the binary.
    ///
    /// # Errors
    /// [`RegistryError::Parse`] if the embedded file is malformed (the registry test catches
    /// that before it can ship).
    pub fn embedded() -> Result<Registry, RegistryError> {
        Registry::parse(REGISTRY_TOML, Path::new("<embedded claims.toml>"))
    }

    /// Read and parse a registry file.
    ///
    /// # Errors
    /// [`RegistryError::Io`] if it cannot be read, [`RegistryError::Parse`] if it is malformed.
    pub fn load_from(path: impl AsRef<Path>) -> Result<Registry, RegistryError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Registry::parse(&text, path)
    }

    /// The claim with this id, if registered.
    pub fn get(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }

    /// How many claims have this status.
    pub fn count(&self, status: Status) -> usize {
        self.claims.iter().filter(|c| c.status == status).count()
    }

    /// Check this registry against the spec's ids and the files under `repo_root`; see the
    /// [module documentation](self) for the rule. Returns every problem found, in registry
    /// order, spec-level problems first; an empty vector means the registry is sound.
    pub fn check(&self, repo_root: &Path, spec_ids: &[String]) -> Vec<Problem> {
        let mut problems = Vec::new();

        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &self.claims {
            *seen.entry(c.id.as_str()).or_default() += 1;
        }
        let spec: BTreeSet<&str> = spec_ids.iter().map(String::as_str).collect();
        for id in spec_ids {
            if !seen.contains_key(id.as_str()) {
                problems.push(Problem::MissingId { id: id.clone() });
            }
        }
        for (id, &count) in &seen {
            if count > 1 {
                problems.push(Problem::DuplicateId {
                    id: id.to_string(),
                    count,
                });
            }
            if !spec.contains(id) {
                problems.push(Problem::UnknownId { id: id.to_string() });
            }
        }

        for c in &self.claims {
            let expected = format!("lectures/notes/{}.md", c.chapter);
            if c.notes != expected {
                problems.push(Problem::NotesNotChapter {
                    id: c.id.clone(),
                    notes: c.notes.clone(),
                    expected,
                });
            }
            if c.status == Status::Done {
                check_done(c, repo_root, &mut problems);
            }
        }
        problems
    }
}

/// Which list of a claim an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The `notes` file.
    Notes,
    /// An entry of `code`.
    Code,
    /// An entry of `tests`.
    Tests,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Notes => "notes",
            Field::Code => "code",
            Field::Tests => "tests",
        })
    }
}

/// One thing wrong with the registry; its `Display` is a sentence saying what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The registry or the spec could not be read or parsed.
    Unreadable {
        /// What went wrong.
        message: String,
    },
    /// The shipped spec differs from the authoritative copy next to the repository.
    SpecDrift {
        /// The authoritative copy.
        upstream: PathBuf,
        /// The shipped copy.
        shipped: PathBuf,
    },
    /// An id of the spec has no registry entry.
    MissingId {
        /// The id.
        id: String,
    },
    /// A registry id is not in the spec.
    UnknownId {
        /// The id.
        id: String,
    },
    /// An id has several registry entries.
    DuplicateId {
        /// The id.
        id: String,
        /// How many entries.
        count: usize,
    },
    /// `notes` is not the file of the claim's `chapter`.
    NotesNotChapter {
        /// The claim.
        id: String,
        /// What the entry says.
        notes: String,
        /// `lectures/notes/<chapter>.md`.
        expected: String,
    },
    /// A done claim lists no code or no test.
    Empty {
        /// The claim.
        id: String,
        /// `code` or `tests`.
        field: Field,
    },
    /// An entry is not of the form `file::item`.
    Malformed {
        /// The claim.
        id: String,
        /// Which list.
        field: Field,
        /// The entry as written.
        entry: String,
    },
    /// A named file does not exist.
    MissingFile {
        /// The claim.
        id: String,
        /// Which list.
        field: Field,
        /// The file, relative to the repository root.
        path: String,
    },
    /// A named file does not declare the item.
    MissingItem {
        /// The claim.
        id: String,
        /// Which list.
        field: Field,
        /// The file, relative to the repository root.
        path: String,
        /// The item (one segment of the entry's path) that is not declared.
        item: String,
    },
    /// A named file does not mention the claim id.
    IdNotNamed {
        /// The claim.
        id: String,
        /// Which list.
        field: Field,
        /// The file, relative to the repository root.
        path: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unreadable { message } => write!(f, "{message}"),
            Problem::SpecDrift { upstream, shipped } => write!(
                f,
                "{} differs from {}: copy the spec again and update the registry",
                shipped.display(),
                upstream.display()
            ),
            Problem::MissingId { id } => write!(f, "{id}: in the spec but not in the registry"),
            Problem::UnknownId { id } => write!(f, "{id}: in the registry but not in the spec"),
            Problem::DuplicateId { id, count } => {
                write!(f, "{id}: registered {count} times (once expected)")
            }
            Problem::NotesNotChapter {
                id,
                notes,
                expected,
            } => write!(
                f,
                "{id}: notes = \"{notes}\" but its chapter's file is {expected}"
            ),
            Problem::Empty { id, field } => {
                write!(f, "{id}: status is done but `{field}` is empty")
            }
            Problem::Malformed { id, field, entry } => {
                write!(
                    f,
                    "{id}: {field} entry \"{entry}\" is not of the form file::item"
                )
            }
            Problem::MissingFile { id, field, path } => {
                write!(f, "{id}: {field} file {path} does not exist")
            }
            Problem::MissingItem {
                id,
                field,
                path,
                item,
            } => {
                let what = match field {
                    Field::Tests => "fn",
                    _ => "fn/struct/enum/trait/type/const/mod",
                };
                write!(f, "{id}: {field} file {path} declares no `{what} {item}`")
            }
            Problem::IdNotNamed { id, field, path } => {
                write!(f, "{id}: {field} file {path} does not name the id")
            }
        }
    }
}

/// The ids of a spec in Markdown: every line of the form ``- `id` — statement``, in order.
///
/// ```
/// let spec = "# Claims\n- `a.b` — one\n  continued\n- not a claim\n- `c.d-e` — two\n";
/// assert_eq!(lectures::registry::spec_ids(spec), ["a.b", "c.d-e"]);
/// ```
pub fn spec_ids(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("- `")?;
            let (id, after) = rest.split_once('`')?;
            let is_id = !id.is_empty()
                && id
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-' || ch == '_');
            (is_id && after.trim_start().starts_with('—')).then(|| id.to_string())
        })
        .collect()
}

/// The statement of claim `id` as the spec (`lectures/spec/claims.md`) words it: its bullet
/// and the indented lines that continue it, joined into one paragraph.
///
/// ```
/// let s = lectures::registry::spec_statement("la.ky-fan").unwrap();
/// assert!(s.contains("Tr(U^T C U)"));
/// assert!(lectures::registry::spec_statement("no.such-claim").is_none());
/// ```
pub fn spec_statement(id: &str) -> Option<String> {
    let head = format!("- `{id}` —");
    let mut lines = SPEC.lines().skip_while(|l| !l.starts_with(&head));
    let first = lines.next()?.strip_prefix(&head)?.trim().to_string();
    let rest = lines.take_while(|l| l.starts_with("  ")).map(str::trim);
    Some(
        std::iter::once(first.as_str())
            .chain(rest)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Check the registry and spec of the repository at `repo_root` (read from disk, not the
/// embedded copies, so the check sees the working tree). See the [module documentation](self).
pub fn check(repo_root: &Path) -> Vec<Problem> {
    let registry = match Registry::load_from(repo_root.join(REGISTRY_PATH)) {
        Ok(r) => r,
        Err(e) => {
            return vec![Problem::Unreadable {
                message: e.to_string(),
            }]
        }
    };
    let spec_path = repo_root.join(SPEC_PATH);
    let spec = match std::fs::read_to_string(&spec_path) {
        Ok(s) => s,
        Err(e) => {
            return vec![Problem::Unreadable {
                message: format!("cannot read {}: {e}", spec_path.display()),
            }]
        }
    };
    registry.check(repo_root, &spec_ids(&spec))
}

/// Compare the shipped spec with an authoritative copy at `upstream`, if that file exists
/// (in the course's own setup, `../shared/claims.md` next to the repository). `None` when
/// they agree or there is no upstream copy.
pub fn spec_drift(repo_root: &Path, upstream: &Path) -> Option<Problem> {
    let theirs = std::fs::read(upstream).ok()?;
    let shipped = repo_root.join(SPEC_PATH);
    match std::fs::read(&shipped) {
        Ok(ours) if ours == theirs => None,
        _ => Some(Problem::SpecDrift {
            upstream: upstream.to_path_buf(),
            shipped,
        }),
    }
}

/// The checks for a claim marked done.
fn check_done(c: &Claim, repo_root: &Path, problems: &mut Vec<Problem>) {
    let id = c.id.as_str();
    match read(repo_root, &c.notes) {
        None => problems.push(Problem::MissingFile {
            id: id.to_string(),
            field: Field::Notes,
            path: c.notes.clone(),
        }),
        Some(text) if !names_id(&text, id) => problems.push(Problem::IdNotNamed {
            id: id.to_string(),
            field: Field::Notes,
            path: c.notes.clone(),
        }),
        Some(_) => {}
    }
    for (field, entries) in [(Field::Code, &c.code), (Field::Tests, &c.tests)] {
        if entries.is_empty() {
            problems.push(Problem::Empty {
                id: id.to_string(),
                field,
            });
        }
        for entry in entries {
            check_entry(id, field, entry, repo_root, problems);
        }
    }
}

/// Check one `file::item` entry of `code` or `tests`.
fn check_entry(id: &str, field: Field, entry: &str, root: &Path, problems: &mut Vec<Problem>) {
    let malformed = || Problem::Malformed {
        id: id.to_string(),
        field,
        entry: entry.to_string(),
    };
    let Some((file, item)) = entry.split_once("::") else {
        problems.push(malformed());
        return;
    };
    let segments: Vec<&str> = item.split("::").collect();
    if file.is_empty() || segments.iter().any(|s| !is_identifier(s)) {
        problems.push(malformed());
        return;
    }
    let Some(text) = read(root, file) else {
        problems.push(Problem::MissingFile {
            id: id.to_string(),
            field,
            path: file.to_string(),
        });
        return;
    };
    const ANY: &[&str] = &["fn", "struct", "enum", "trait", "type", "const", "mod"];
    for (k, segment) in segments.iter().enumerate() {
        let last = k + 1 == segments.len();
        // A test is a function, reached through modules; code may be any named item.
        let keywords: &[&str] = match (field, last) {
            (Field::Tests, true) => &["fn"],
            (Field::Tests, false) => &["mod"],
            _ => ANY,
        };
        if !keywords.iter().any(|kw| declares(&text, kw, segment)) {
            problems.push(Problem::MissingItem {
                id: id.to_string(),
                field,
                path: file.to_string(),
                item: segment.to_string(),
            });
        }
    }
    if !names_id(&text, id) {
        problems.push(Problem::IdNotNamed {
            id: id.to_string(),
            field,
            path: file.to_string(),
        });
    }
}

/// The file's text, or `None` if it cannot be read.
fn read(root: &Path, relative: &str) -> Option<String> {
    std::fs::read_to_string(root.join(relative)).ok()
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Does `text` contain `keyword name` as whole words (`fn eigh` but not `fn eigh_traced`)?
fn declares(text: &str, keyword: &str, name: &str) -> bool {
    let needle = format!("{keyword} {name}");
    text.match_indices(&needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

/// Does `text` name `id` as a whole word? An id is made of letters, digits, `-`, `_` and
/// dots between words, so the match must not continue into any of those: `la.ky-fan.`
/// at the end of a sentence counts, `la.ky-fan.extra` or `xla.ky-fan` do not.
fn names_id(text: &str, id: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let mut after = text[at + id.len()..].chars();
        let ok_before = !before.is_some_and(|c| word(c) || c == '.');
        let ok_after = match after.next() {
            None => true,
            Some('.') => !after.next().is_some_and(word),
            Some(c) => !word(c),
        };
        ok_before && ok_after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch repository under the system's temp directory, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("lectures-registry-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn write(&self, relative: &str, text: &str) {
            let path = self.0.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn claim(id: &str, code: &[&str], tests: &[&str], status: Status) -> Claim {
        Claim {
            id: id.to_string(),
            title: "t".to_string(),
            chapter: "00-x".to_string(),
            notes: "lectures/notes/00-x.md".to_string(),
            code: code.iter().map(|s| s.to_string()).collect(),
            tests: tests.iter().map(|s| s.to_string()).collect(),
            status,
        }
    }

    /// A repository in which claim `x.good` is fully present.
    fn sound_repo(name: &str) -> Scratch {
        let repo = Scratch::new(name);
        repo.write("lectures/notes/00-x.md", "## x.good\nText.\n");
        repo.write(
            "src/a.rs",
            "/// Implements `x.good`.\npub fn solve() {}\npub struct Solver;\nimpl Solver { pub fn run(&self) {} }\n",
        );
        repo.write(
            "tests/t.rs",
            "mod props {\n    /// x.good\n    #[test]\n    fn x_good_holds() {}\n}\n",
        );
        repo
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_sound_done_claim_passes() {
        let repo = sound_repo("sound");
        let registry = Registry {
            claims: vec![claim(
                "x.good",
                &["src/a.rs::solve", "src/a.rs::Solver::run"],
                &["tests/t.rs::props::x_good_holds"],
                Status::Done,
            )],
        };
        assert_eq!(registry.check(&repo.0, &ids(&["x.good"])), vec![]);
    }

    /// The guard the registry exists for: a done claim naming a test that does not exist
    /// (missing file, or a file without that function) is reported.
    #[test]
    fn a_done_claim_naming_a_missing_test_is_reported() {
        let repo = sound_repo("missing-test");
        let registry = Registry {
            claims: vec![claim(
                "x.good",
                &["src/a.rs::solve"],
                &["tests/t.rs::no_such_test", "tests/gone.rs::x_good_holds"],
                Status::Done,
            )],
        };
        let problems = registry.check(&repo.0, &ids(&["x.good"]));
        assert_eq!(
            problems,
            vec![
                Problem::MissingItem {
                    id: "x.good".into(),
                    field: Field::Tests,
                    path: "tests/t.rs".into(),
                    item: "no_such_test".into(),
                },
                Problem::MissingFile {
                    id: "x.good".into(),
                    field: Field::Tests,
                    path: "tests/gone.rs".into(),
                },
            ]
        );
        // The message names the file and the missing function.
        let message = problems[0].to_string();
        assert!(message.contains("tests/t.rs") && message.contains("fn no_such_test"));
    }

    #[test]
    fn done_claims_need_code_tests_notes_and_the_id_everywhere() {
        let repo = sound_repo("bad-done");
        repo.write("src/b.rs", "pub fn solve() {}\n"); // does not name the id
        let registry = Registry {
            claims: vec![
                claim("x.good", &["src/b.rs::solve"], &[], Status::Done),
                claim("x.other", &["src/a.rs::sol"], &["nonsense"], Status::Done),
            ],
        };
        let problems = registry.check(&repo.0, &ids(&["x.good", "x.other"]));
        let expected = [
            Problem::IdNotNamed {
                id: "x.good".into(),
                field: Field::Code,
                path: "src/b.rs".into(),
            },
            Problem::Empty {
                id: "x.good".into(),
                field: Field::Tests,
            },
            // The notes file exists but names only x.good.
            Problem::IdNotNamed {
                id: "x.other".into(),
                field: Field::Notes,
                path: "lectures/notes/00-x.md".into(),
            },
            // `fn sol` is not declared: `fn solve` must not count as a match.
            Problem::MissingItem {
                id: "x.other".into(),
                field: Field::Code,
                path: "src/a.rs".into(),
                item: "sol".into(),
            },
            Problem::IdNotNamed {
                id: "x.other".into(),
                field: Field::Code,
                path: "src/a.rs".into(),
            },
            Problem::Malformed {
                id: "x.other".into(),
                field: Field::Tests,
                entry: "nonsense".into(),
            },
        ];
        assert_eq!(problems, expected);
    }

    #[test]
    fn pending_claims_are_not_checked_against_files() {
        let repo = Scratch::new("pending");
        let registry = Registry {
            claims: vec![claim(
                "x.good",
                &["nowhere.rs::f"],
                &["nowhere.rs::t"],
                Status::Pending,
            )],
        };
        assert_eq!(registry.check(&repo.0, &ids(&["x.good"])), vec![]);
    }

    #[test]
    fn ids_must_match_the_spec_exactly_once() {
        let repo = Scratch::new("ids");
        let registry = Registry {
            claims: vec![
                claim("x.a", &[], &[], Status::Pending),
                claim("x.a", &[], &[], Status::Pending),
                claim("x.unknown", &[], &[], Status::Pending),
            ],
        };
        let problems = registry.check(&repo.0, &ids(&["x.a", "x.b"]));
        assert_eq!(
            problems,
            vec![
                Problem::MissingId { id: "x.b".into() },
                Problem::DuplicateId {
                    id: "x.a".into(),
                    count: 2
                },
                Problem::UnknownId {
                    id: "x.unknown".into()
                },
            ]
        );
    }

    #[test]
    fn notes_must_be_the_chapter_file() {
        let repo = Scratch::new("chapter");
        let mut c = claim("x.a", &[], &[], Status::Pending);
        c.notes = "lectures/notes/01-y.md".into();
        let problems = Registry { claims: vec![c] }.check(&repo.0, &ids(&["x.a"]));
        assert!(matches!(&problems[..], [Problem::NotesNotChapter { .. }]));
    }

    #[test]
    fn whole_word_matching() {
        assert!(declares("pub fn eigh(a: &M)", "fn", "eigh"));
        assert!(declares("fn eigh<T>()", "fn", "eigh"));
        assert!(!declares("pub fn eigh_traced()", "fn", "eigh"));
        assert!(!declares("pub fn reigh()", "fn", "eigh"));
        assert!(names_id("(`la.ky-fan`)", "la.ky-fan"));
        assert!(names_id("see la.ky-fan.", "la.ky-fan"));
        assert!(names_id("la.ky-fan", "la.ky-fan"));
        assert!(!names_id("la.ky-fan-bound", "la.ky-fan"));
        assert!(!names_id("la.ky-fan.extra", "la.ky-fan"));
        assert!(!names_id("xla.ky-fan", "la.ky-fan"));
        assert!(!names_id("la.jacobi.*", "la.jacobi.converges"));
    }

    #[test]
    fn embedded_registry_parses_and_lists_every_spec_id() {
        let registry = Registry::embedded().unwrap();
        let registered: Vec<&str> = registry.claims.iter().map(|c| c.id.as_str()).collect();
        let spec = spec_ids(SPEC);
        assert!(spec.len() >= 20, "the spec parser found only {spec:?}");
        assert_eq!(registered, spec, "the registry follows the spec's order");
    }

    #[test]
    fn malformed_toml_is_an_error_naming_the_file() {
        let err = Registry::parse("[[claim]]\nid = 3\n", Path::new("x.toml")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("x.toml is not a valid claim registry"));
        let err = Registry::parse("[[claim]]\nidd = \"a\"\n", Path::new("y.toml")).unwrap_err();
        assert!(err.to_string().contains("y.toml"));
    }
}
