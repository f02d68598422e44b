//! The course book, built from the real notes and sources with a small fake evidence set (the
//! tour's computations take half a minute; the book's pages do not depend on the numbers),
//! then walked as a browser would: every local `href`/`src` reaches a file and every
//! `#anchor` an element id; no TeX survives outside code; every claim has its anchor and its
//! evidence block; no absolute path of this machine appears; the saved evidence rebuilds it.

use lectures::book::evidence::{CheckRecord, ClaimRecord, FigureRecord, TourRecord};
use lectures::book::{build, evidence, write_tour_book};
use lectures::registry::Registry;
use lectures::tour::repo_root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A fresh, empty folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lectures-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Evidence for every claim but the last: one passing check each, a figure for the first
/// claim of each chapter, and one claim failing with a NaN.
fn fake_record(registry: &Registry) -> TourRecord {
    let mut chapters_seen = BTreeSet::new();
    let n = registry.claims.len();
    let claims = registry.claims[..n - 1]
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let failing = k == 1;
            let value = if failing { f64::NAN } else { 1e-15 };
            let figures = if chapters_seen.insert(c.chapter.clone()) {
                vec![FigureRecord {
                    file_stem: format!("test-{}", c.id.replace('.', "-")),
                    caption: format!("A figure for {}", c.id),
                    svg: r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#
                        .into(),
                }]
            } else {
                Vec::new()
            };
            ClaimRecord {
                claim: c.id.clone(),
                chapter: c.chapter.clone(),
                passed: !failing,
                seconds: 0.01,
                checks: vec![CheckRecord {
                    what: "‖A V − V Λ‖ / ‖A‖ <x>".into(),
                    value,
                    relation: "≤".into(),
                    bound: 1e-12,
                    why: "n·ε with n = 150".into(),
                    pass: !failing,
                }],
                figures,
                remarks: vec!["fake evidence for the book's test".into()],
                error: None,
            }
        })
        .collect();
    TourRecord {
        total_seconds: 1.0,
        claims,
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The values of attribute `name` in `html` (`href`, `src`, `id`), unescaped.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest: &'a str = &html[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// `html` without the content of `<pre>`, `<code>` and `<script>` elements.
fn outside_code(html: &str) -> String {
    let mut text = html.to_string();
    for tag in ["pre", "code", "script"] {
        let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
        let mut kept = String::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find(&open) {
            kept.push_str(&rest[..start]);
            rest = rest[start..]
                .find(&close)
                .map_or("", |end| &rest[start + end + close.len()..]);
        }
        kept.push_str(rest);
        text = kept;
    }
    text
}

#[test]
fn book_walk_every_link_anchor_claim_and_formula() {
    let registry = Registry::embedded().unwrap();
    let record = fake_record(&registry);
    let out = temp_dir("book-walk");
    let built = build(Some(&record), &repo_root(), &out).unwrap();
    for w in &built.warnings {
        eprintln!("warning: {w}");
    }
    assert!(
        built.formulas > 500,
        "the notes' formulas: {}",
        built.formulas
    );
    assert!(built.sources > 20, "source pages: {}", built.sources);

    let all = files(&out);
    let html: BTreeMap<PathBuf, String> = all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    // Element ids of each page, by canonical path.
    let ids: BTreeMap<PathBuf, BTreeSet<String>> = html
        .iter()
        .map(|(p, h)| {
            (
                p.canonicalize().unwrap(),
                attributes(h, "id").into_iter().collect(),
            )
        })
        .collect();

    let mut broken = Vec::new();
    for (page, text) in &html {
        let page = &page.canonicalize().unwrap();
        let dir = page.parent().unwrap();
        let links = attributes(text, "href")
            .into_iter()
            .chain(attributes(text, "src"));
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                Ok(page.clone())
            } else {
                dir.join(path).canonicalize()
            };
            let Ok(target) = target else {
                broken.push(format!("{}: {link} (no file)", page.display()));
                continue;
            };
            if !fragment.is_empty() {
                let found = ids.get(&target).is_some_and(|set| set.contains(fragment));
                if !found {
                    broken.push(format!("{}: {link} (no such id)", page.display()));
                }
            }
        }
        let prose = outside_code(text);
        for tex in ["$$", "\\frac", "\\mathbf", "\\operatorname", "\\sum", "\\|"] {
            assert!(
                !prose.contains(tex),
                "{}: raw TeX {tex} outside code",
                page.display()
            );
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );

    // Every claim: its section's anchor and its evidence block, on one chapter page.
    for c in &registry.claims {
        let pages: Vec<&PathBuf> = ids
            .iter()
            .filter(|(_, set)| set.contains(&c.id) && set.contains(&format!("{}-evidence", c.id)))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(pages.len(), 1, "{}: anchor and evidence on one page", c.id);
        assert!(
            pages[0].ends_with(format!("{}.html", c.chapter)),
            "{}",
            c.id
        );
    }
    let last = &registry.claims.last().unwrap().id;
    let page = &html[&out.join(format!("{}.html", registry.claims.last().unwrap().chapter))];
    let block = &page[page.find(&format!("id=\"{last}-evidence\"")).unwrap()..];
    assert!(block[..block.find("</section>").unwrap()].contains("no evidence yet"));
    let first_page = &html[&out.join("index.html")];
    assert!(first_page.contains("FAIL") && first_page.contains("PASS"));
    assert!(first_page.contains(&format!(
        "{} of {} claims pass",
        record.claims.len() - 1,
        record.claims.len()
    )));

    // No absolute path of this machine anywhere in the folder.
    let root = repo_root().canonicalize().unwrap();
    let out_abs = out.canonicalize().unwrap();
    for file in &all {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for path in [&root, &out_abs] {
            assert!(
                !text.contains(path.to_str().unwrap()),
                "{} names {}",
                file.display(),
                path.display()
            );
        }
    }
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn book_rebuilds_from_the_saved_evidence() {
    let registry = Registry::embedded().unwrap();
    let record = fake_record(&registry);
    let out = temp_dir("book-saved");
    write_tour_book(&record, &out).unwrap();
    let saved = TourRecord::load(&out.join(evidence::FILE)).unwrap();
    assert_eq!(saved.claims.len(), record.claims.len());
    assert!(saved.claims[1].checks[0].value.is_nan());
    let first = std::fs::read_to_string(out.join("00-linear-algebra.html")).unwrap();
    build(Some(&saved), &repo_root(), &out).unwrap();
    let again = std::fs::read_to_string(out.join("00-linear-algebra.html")).unwrap();
    assert_eq!(first, again, "the saved evidence gives the same page");
    std::fs::remove_dir_all(&out).unwrap();
}
