//! The notes are complete and their links work (issue 8, "The notes").
//!
//! - Every relative link in `lectures/notes/*.md` resolves to an existing file; an in-page
//!   link `#anchor` (or `file.md#anchor`) names a heading of that file (GitHub's slug rule).
//! - A link to a Rust file whose text names an item (`` [`Tape::backward`](…/tape.rs) ``, or
//!   `file.rs#item`) points at a file that declares that item (`fn`, `struct`, `enum`, …);
//!   a text naming the module itself (`` [`dimred::mds`](…/mds.rs) ``) is accepted.
//! - Every claim id of the registry has its section: a heading of its notes file names it.
//! - No claim is pending.

use lectures::registry::{Registry, Status, REGISTRY_PATH};
use std::path::{Component, Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the repository")
        .to_path_buf()
}

fn notes_files() -> Vec<PathBuf> {
    let dir = repo_root().join("lectures/notes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("lectures/notes exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

/// The markdown links `[text](target)` of `text`, outside fenced code blocks.
fn links(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let after = &rest[open + 1..];
            let Some(close) = after.find("](") else { break };
            let text = &after[..close];
            let tail = &after[close + 2..];
            let Some(end) = tail.find(')') else { break };
            out.push((text.to_string(), tail[..end].to_string()));
            rest = &tail[end + 1..];
        }
    }
    out
}

/// GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces
/// to hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(markdown: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

/// `a/b/../c` → `a/c` (no file system access, so a missing file is reported as such).
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether `source` declares `name` as a Rust item.
fn declares(source: &str, name: &str) -> bool {
    [
        "fn",
        "struct",
        "enum",
        "trait",
        "type",
        "const",
        "static",
        "mod",
        "macro_rules!",
    ]
    .iter()
    .any(|kw| {
        let pat = format!("{kw} {name}");
        source.match_indices(&pat).any(|(i, _)| {
            let before_ok = i == 0 || !source.as_bytes()[i - 1].is_ascii_alphanumeric();
            let next = source[i + pat.len()..].chars().next();
            before_ok && !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// The item a link text names: `` `Tape::backward` `` → `backward`; None for file names and
/// plain words.
fn named_item(text: &str) -> Option<&str> {
    let t = text.strip_prefix('`')?.strip_suffix('`')?;
    if t.ends_with(".rs") || t.contains('/') || t.contains(' ') || t.contains('(') {
        return None;
    }
    t.rsplit("::").next()
}

#[test]
fn notes_links_resolve_to_files_and_items() {
    let root = repo_root();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in notes_files() {
        let text = std::fs::read_to_string(&file).expect("readable notes");
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        for (label, target) in links(&text) {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target.as_str(), None),
            };
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                normalise(&file.parent().unwrap().join(path))
            };
            if !resolved.exists() {
                problems.push(format!(
                    "{name}: [{label}]({target}): no file {}",
                    resolved.display()
                ));
                continue;
            }
            let is_rs = resolved.extension().is_some_and(|x| x == "rs");
            let is_md = resolved.extension().is_some_and(|x| x == "md");
            let source = if is_rs || is_md {
                std::fs::read_to_string(&resolved).unwrap_or_default()
            } else {
                String::new()
            };
            if let Some(a) = anchor {
                if is_md && !anchors(&source).iter().any(|h| h == a) {
                    problems.push(format!(
                        "{name}: [{label}]({target}): no heading with anchor #{a}"
                    ));
                }
                if is_rs && !declares(&source, a) {
                    problems.push(format!(
                        "{name}: [{label}]({target}): {} declares no `{a}`",
                        resolved.display()
                    ));
                }
            }
            if is_rs {
                if let Some(item) = named_item(&label) {
                    let stem = resolved.file_stem().unwrap().to_string_lossy().to_string();
                    // A module or crate named by its own file (`dimred::mds` → mds.rs, `autodiff` → autodiff/src/lib.rs).
                    let is_module = stem == item || resolved.starts_with(root.join(item));
                    if !is_module && !declares(&source, item) {
                        problems.push(format!(
                            "{name}: [{label}]({target}): {} declares no `{item}`",
                            resolved.display()
                        ));
                    }
                }
            }
        }
    }
    eprintln!("notes links: {checked} relative links checked");
    assert!(
        checked > 50,
        "the notes link to their code and tests: found only {checked} links"
    );
    assert!(
        problems.is_empty(),
        "broken notes links:\n{}",
        problems.join("\n")
    );
}

/// Every claim id has a section (a heading naming it) in its notes file, and none is pending.
#[test]
fn notes_every_claim_has_its_section_and_none_is_pending() {
    let root = repo_root();
    let registry = Registry::load_from(root.join(REGISTRY_PATH)).expect("the registry parses");
    let mut problems = Vec::new();
    for c in &registry.claims {
        let notes = std::fs::read_to_string(root.join(&c.notes)).unwrap_or_default();
        let heading = notes
            .lines()
            .any(|l| l.starts_with('#') && l.contains(&format!("`{}`", c.id)));
        if !heading {
            problems.push(format!("{}: no heading naming it in {}", c.id, c.notes));
        }
        if c.status == Status::Pending {
            problems.push(format!("{}: still pending", c.id));
        }
    }
    assert!(
        problems.is_empty(),
        "notes incomplete:\n{}",
        problems.join("\n")
    );
}

#[test]
fn notes_links_helpers() {
    assert_eq!(
        slug(" `la.ky-fan`: the maximum principle behind PCA"),
        "laky-fan-the-maximum-principle-behind-pca"
    );
    assert!(declares("pub fn eigh(a: &M)", "eigh"));
    assert!(!declares("pub fn eigh_traced()", "eigh"));
    assert!(!declares("pub fn reigh()", "eigh"));
    assert_eq!(named_item("`Tape::backward`"), Some("backward"));
    assert_eq!(named_item("`jacobi.rs`"), None);
    assert_eq!(
        links("see [a](b.md) and [`c`](d.rs#e)"),
        vec![("a".into(), "b.md".into()), ("`c`".into(), "d.rs#e".into())]
    );
}
