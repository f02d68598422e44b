//! The claim registry guards every claim id of the spec (issue 2, part 4).
//!
//! Fails, listing every problem, when a `done` claim names a notes file, code item or test
//! that does not exist or does not name the id, when an id of the spec is missing from
//! `lectures/claims.toml` or appears twice, or when the registry names an id the spec does
//! not have. Prints how many claims are still pending (`--nocapture` shows it).

use std::path::{Path, PathBuf};

use lectures::registry::{self, Registry, Status};

/// The repository root: this crate lives in `<root>/tests`.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the repository")
        .to_path_buf()
}

#[test]
fn registry_guards_every_claim_id() {
    let root = repo_root();
    let mut problems = registry::check(&root);
    // In the course's own setup the authoritative spec sits next to the repository; when it
    // is there, the shipped copy must be identical, so a changed claim cannot go unnoticed.
    // On any other machine (a fresh clone, CI) the shipped copy is the spec.
    let upstream = root.join("../shared/claims.md");
    problems.extend(registry::spec_drift(&root, &upstream));

    let registry = Registry::load_from(root.join(registry::REGISTRY_PATH))
        .expect("registry::check has already reported an unreadable registry");
    let pending: Vec<&str> = registry
        .claims
        .iter()
        .filter(|c| c.status == Status::Pending)
        .map(|c| c.id.as_str())
        .collect();
    eprintln!(
        "claim registry: {} claims, {} done, {} pending{}{}",
        registry.claims.len(),
        registry.count(Status::Done),
        pending.len(),
        if pending.is_empty() { "" } else { ": " },
        pending.join(", ")
    );

    assert!(
        problems.is_empty(),
        "the claim registry has {} problem(s):\n  {}",
        problems.len(),
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

/// The binary's embedded registry is the file in the working tree (cargo rebuilds the
/// `lectures` crate whenever `claims.toml` changes, so this holds unless the build is stale).
#[test]
fn embedded_registry_is_the_working_tree_file() {
    let on_disk = Registry::load_from(repo_root().join(registry::REGISTRY_PATH)).unwrap();
    assert_eq!(Registry::embedded().unwrap(), on_disk);
}
