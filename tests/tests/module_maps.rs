//! Every crate's lib.rs opens with a module map (a `//! | module | what | ... |` table), and
//! the map lists every public module, one line each: a reader who starts at lib.rs sees the
//! whole crate. Fails naming the crate and the module when a `pub mod` is missing.

use std::path::Path;

const CRATES: [&str; 6] = ["linalg", "autodiff", "dimred", "nn", "lectures", "tests"];

/// The names of `pub mod name;` declarations at the top level of a lib.rs.
fn public_modules(src: &str) -> Vec<String> {
    src.lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches([';', '{', ' ']).to_string())
        .collect()
}

/// The table rows of the crate documentation (`//! | ... |`), header and rule excluded.
fn map_rows(src: &str) -> Vec<&str> {
    src.lines()
        .filter_map(|l| l.strip_prefix("//! |"))
        .filter(|row| !row.starts_with("---") && !row.starts_with(" module "))
        .collect()
}

/// A row lists `module` when its first cell names it in backquotes: [`m`], [`m`](mod@m) or `m`.
fn lists(row: &str, module: &str) -> bool {
    let first = row.split('|').next().unwrap_or("");
    first.contains(&format!("`{module}`"))
}

#[test]
fn every_public_module_is_in_its_crates_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut missing = Vec::new();
    for krate in CRATES {
        let lib = root.join(krate).join("src/lib.rs");
        let Ok(src) = std::fs::read_to_string(&lib) else {
            continue; // a crate without a library (the tests crate)
        };
        let rows = map_rows(&src);
        for m in public_modules(&src) {
            let n = rows.iter().filter(|r| lists(r, &m)).count();
            if n != 1 {
                missing.push(format!("{krate}::{m} ({n} lines in the map)"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "every `pub mod` needs exactly one line in its lib.rs module map; not so for: {}",
        missing.join(", ")
    );
}

/// The checker itself: a missing module and a listed one.
#[test]
fn the_check_sees_a_missing_module() {
    let src = "//! | module | what |\n//! |---|---|\n//! | [`a`] | x |\n//! | [`b`](mod@b) | y |\npub mod a;\npub mod b;\npub mod c;\n";
    let rows = map_rows(src);
    assert_eq!(public_modules(src), ["a", "b", "c"]);
    assert!(lists(rows[0], "a") && lists(rows[1], "b"));
    assert!(!rows.iter().any(|r| lists(r, "c")));
}
