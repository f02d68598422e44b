//! The tour's HTML report: one self-contained folder, `index.html` plus one SVG file per
//! figure. No scripts, no fonts, no network: formulas are written in plain Unicode, links
//! to the notes, code and tests are relative paths into the repository.

use super::{fmt_num, Outcome};
use crate::registry::{spec_statement, Registry};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The spec's ASCII mathematics in Unicode (‖x‖, Xᵀ, x², ⁻¹, ≤), then escaped, with
/// `backticked` spans as code.
fn prettify(s: &str) -> String {
    let mut t = s.to_string();
    for (from, to) in [
        ("||", "‖"),
        ("^{-1/2}", "^(−1/2)"),
        ("^{-1}", "⁻¹"),
        ("^T", "ᵀ"),
        ("^2", "²"),
        ("^{1/2}", "^(1/2)"),
        ("_{k>d}", "_(k>d)"),
        ("<=", "≤"),
        (">=", "≥"),
        ("!=", "≠"),
        ("->", "→"),
        ("\\sum", "Σ"),
        ("\\lambda", "λ"),
        ("\\sigma", "σ"),
    ] {
        t = t.replace(from, to);
    }
    let mut out = String::new();
    for (k, part) in t.split('`').enumerate() {
        if k % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

/// `to` relative to the directory `from` (both absolute, normalised), e.g. `../../lectures`.
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut p = PathBuf::new();
    for _ in common..a.len() {
        p.push("..");
    }
    for c in &b[common..] {
        p.push(c.as_os_str());
    }
    p
}

const STYLE: &str = r#"
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fafafa; line-height: 1.45; }
header { background: #1f3b57; color: white; padding: 18px 32px; }
header h1 { margin: 0 0 6px 0; font-size: 26px; }
header p { margin: 2px 0; }
header a { color: #cfe3ff; }
header code { background: rgba(255, 255, 255, 0.15); color: white; }
main { max-width: 1100px; margin: 0 auto; padding: 12px 32px 40px 32px; }
.summary { font-size: 18px; margin: 14px 0; }
table { border-collapse: collapse; }
td, th { padding: 3px 8px; vertical-align: top; text-align: left; }
.toc td { border-bottom: 1px solid #e4e4e4; }
.claim { background: white; border: 1px solid #ddd; border-radius: 6px; margin: 18px 0; padding: 10px 18px; }
.claim h3 { margin: 4px 0; font-size: 18px; }
.badge { display: inline-block; font-weight: bold; padding: 1px 8px; border-radius: 4px; color: white; font-size: 14px; }
.pass { background: #2a8a3e; } .fail { background: #c0392b; }
.statement { background: #f3f6fa; border-left: 4px solid #1f77b4; padding: 6px 12px; margin: 8px 0; }
.meta td:first-child { color: #666; white-space: nowrap; }
.checks th { background: #eef1f4; } .checks td { border-bottom: 1px solid #eee; }
.num { font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
.why { color: #555; font-size: 14px; }
.remark { color: #444; font-size: 14px; margin: 2px 0; }
figure { margin: 12px 0; } figure img { max-width: 100%; border: 1px solid #ddd; background: white; }
figcaption { color: #444; font-size: 14px; max-width: 760px; }
code { background: #f0f0f0; padding: 0 3px; border-radius: 3px; font-size: 90%; }
h2 { border-bottom: 2px solid #1f3b57; padding-bottom: 4px; margin-top: 32px; }
"#;

/// Writes `out_dir/index.html` and every figure as `out_dir/<stem>.svg`. `repo_root` is the
/// repository's absolute path, for the links to the notes, code and tests. Returns the path
/// of `index.html`.
///
/// # Errors
/// I/O errors creating the folder or writing the files.
pub fn write(
    outcomes: &[Outcome],
    registry: &Registry,
    out_dir: &Path,
    repo_root: &Path,
    total_seconds: f64,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(out_dir)?;
    let out_abs = std::fs::canonicalize(out_dir)?;
    let root_abs = std::fs::canonicalize(repo_root).unwrap_or_else(|_| repo_root.to_path_buf());
    let to_repo = relative(&out_abs, &root_abs);
    let link = |path: &str| -> String {
        let file = path.split("::").next().unwrap_or(path);
        let href = to_repo.join(file);
        format!(
            r#"<a href="{}"><code>{}</code></a>"#,
            esc(&href.to_string_lossy()),
            esc(path)
        )
    };
    let passed = outcomes.iter().filter(|o| o.evidence.passed()).count();
    let figures: usize = outcomes.iter().map(|o| o.evidence.figures.len()).sum();
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The tour: every claim with its evidence</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body><header><h1>Dimension reduction and autoencoders: every claim with its evidence</h1>
<p>Written by <code>cargo run --release -p lectures -- tour</code>. Each claim of
<code>lectures/spec/claims.md</code> is computed on the built-in data (iris, digits, generated sets);
every number is held against a bound whose reason is given.</p>
<p>Repository: <a href="{root}"><code>{root_text}</code></a> (links below are relative to this folder).</p></header>
<main><p class="summary"><span class="badge {cls}">{passed} of {total} claims pass</span>
&nbsp; {checks} checks, {figures} figures, {total_seconds:.1} s.</p>
"#,
        root = esc(&to_repo.to_string_lossy()),
        root_text = esc(&root_abs.to_string_lossy()),
        cls = if passed == outcomes.len() {
            "pass"
        } else {
            "fail"
        },
        total = outcomes.len(),
        checks = outcomes
            .iter()
            .map(|o| o.evidence.checks.len())
            .sum::<usize>(),
    );
    // Table of contents.
    h.push_str(r#"<table class="toc">"#);
    let mut chapter = "";
    for o in outcomes {
        if o.chapter.stem != chapter {
            chapter = o.chapter.stem;
            let _ = write!(
                h,
                r#"<tr><th colspan="3">{} — {}</th></tr>"#,
                esc(chapter),
                esc(o.chapter.title)
            );
        }
        let ev = &o.evidence;
        let title = registry
            .get(ev.claim)
            .map(|c| c.title.as_str())
            .unwrap_or("");
        let (cls, word) = if ev.passed() {
            ("pass", "PASS")
        } else {
            ("fail", "FAIL")
        };
        let _ = write!(
            h,
            r##"<tr><td><span class="badge {cls}">{word}</span></td><td><a href="#{id}"><code>{id}</code></a></td><td>{}</td></tr>"##,
            prettify(title),
            id = esc(ev.claim)
        );
    }
    h.push_str("</table>\n");
    // One card per claim.
    chapter = "";
    for o in outcomes {
        if o.chapter.stem != chapter {
            chapter = o.chapter.stem;
            let _ = writeln!(h, "<h2>{} — {}</h2>", esc(chapter), esc(o.chapter.title));
        }
        let ev = &o.evidence;
        let claim = registry.get(ev.claim);
        let (cls, word) = if ev.passed() {
            ("pass", "PASS")
        } else {
            ("fail", "FAIL")
        };
        let _ = write!(
            h,
            r#"<section class="claim" id="{id}"><h3><span class="badge {cls}">{word}</span> <code>{id}</code> {title}</h3>"#,
            id = esc(ev.claim),
            title = prettify(claim.map(|c| c.title.as_str()).unwrap_or(""))
        );
        if let Some(s) = spec_statement(ev.claim) {
            let _ = write!(h, r#"<div class="statement">{}</div>"#, prettify(&s));
        }
        h.push_str(r#"<table class="meta">"#);
        if let Some(c) = claim {
            let _ = write!(
                h,
                "<tr><td>notes</td><td>{} (section <code>{}</code>)</td></tr>",
                link(&c.notes),
                esc(&c.id)
            );
            let code: Vec<String> = c.code.iter().map(|p| link(p)).collect();
            let tests: Vec<String> = c.tests.iter().map(|p| link(p)).collect();
            let _ = write!(h, "<tr><td>code</td><td>{}</td></tr>", code.join("<br>"));
            let _ = write!(h, "<tr><td>tests</td><td>{}</td></tr>", tests.join("<br>"));
            let _ = write!(h, "<tr><td>status</td><td>{}</td></tr>", c.status);
        }
        let _ = write!(
            h,
            "<tr><td>time</td><td>{:.2} s</td></tr></table>",
            o.seconds
        );
        if let Some(e) = &ev.error {
            let _ = write!(h, r#"<p class="badge fail">error: {}</p>"#, esc(e));
        }
        h.push_str(r#"<table class="checks"><tr><th></th><th>measured</th><th>value</th><th></th><th>bound</th><th>why this bound</th></tr>"#);
        for c in &ev.checks {
            let (cls, word) = if c.pass {
                ("pass", "✓")
            } else {
                ("fail", "✗")
            };
            let _ = write!(
                h,
                r#"<tr><td><span class="badge {cls}">{word}</span></td><td>{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td><td class="why">{}</td></tr>"#,
                esc(&c.what),
                fmt_num(c.value),
                c.relation,
                fmt_num(c.bound),
                esc(&c.why)
            );
        }
        h.push_str("</table>");
        for r in &ev.remarks {
            let _ = write!(h, r#"<p class="remark">{}</p>"#, esc(r));
        }
        for f in &ev.figures {
            let file = format!("{}.svg", f.file_stem);
            std::fs::write(out_dir.join(&file), &f.svg)?;
            let _ = write!(
                h,
                r#"<figure><img src="{}" alt="{}"><figcaption>{}</figcaption></figure>"#,
                esc(&file),
                esc(&f.caption),
                esc(&f.caption)
            );
        }
        h.push_str("</section>\n");
    }
    h.push_str("</main></body></html>\n");
    let index = out_dir.join("index.html");
    std::fs::write(&index, h)?;
    Ok(index)
}
