//! The book's own pages: the evidence block that closes each claim's section, the first page
//! (the course at a glance) and the evidence appendix.

use super::evidence::{ClaimRecord, TourRecord};
use super::layout::{badge, esc, prettify};
use super::markdown::Figures;
use crate::registry::Claim;
use crate::runner::Exercise;
use crate::tour::fmt_num;
use std::fmt::Write as _;

/// The command that recomputes the evidence and rewrites the book.
pub const TOUR_COMMAND: &str = "cargo run --release -p lectures -- tour";

/// What the evidence block of one claim shows, besides the evidence itself.
pub struct ClaimLinks<'a> {
    /// The claim's registry entry.
    pub claim: &'a Claim,
    /// Links to the code items (HTML).
    pub code: Vec<String>,
    /// Links to the tests (HTML).
    pub tests: Vec<String>,
    /// The exercises serving the claim, with the link to each file (HTML).
    pub exercises: Vec<(&'a Exercise, String)>,
}

/// The evidence block closing a claim's section: the checks (measured, value, bound, why),
/// remarks, figures numbered in the chapter, then the code, tests and exercises.
pub fn evidence_block(
    links: &ClaimLinks<'_>,
    record: Option<&ClaimRecord>,
    figures: &mut Figures,
) -> String {
    let id = &links.claim.id;
    let mut h = format!(
        r#"<section class="evidence" id="{id}-evidence" aria-label="Evidence for {id}"><h4>{} Evidence for <code>{id}</code>: {}</h4>"#,
        badge(record.map(|r| r.passed)),
        prettify(&links.claim.title),
        id = esc(id)
    );
    match record {
        None => {
            let _ = write!(
                h,
                r#"<p class="note">The tour has not computed this claim yet: run <code>{TOUR_COMMAND}</code> to measure it and rebuild this book.</p>"#
            );
        }
        Some(r) => {
            checks_table(&mut h, r);
            live_panel(&mut h, id);
            figures_of(&mut h, r, figures);
        }
    }
    h.push_str("<dl>");
    let list = |items: &[String]| items.join("<br>");
    let _ = write!(h, "<dt>code</dt><dd>{}</dd>", list(&links.code));
    let _ = write!(h, "<dt>tests</dt><dd>{}</dd>", list(&links.tests));
    if !links.exercises.is_empty() {
        h.push_str("<dt>exercises</dt><dd><ul>");
        for (ex, link) in &links.exercises {
            let short = ex.short();
            let _ = write!(
                h,
                "<li>{link}: <code>cargo run -q -p lectures -- exercises hint {short}</code>, then <code>… exercises check {short}</code></li>"
            );
        }
        h.push_str("</ul></dd>");
    }
    if let Some(r) = record {
        let _ = write!(
            h,
            "<dt>computed in</dt><dd>{:.2} s by <code>{TOUR_COMMAND} {}</code></dd>",
            r.seconds,
            esc(id)
        );
    }
    h.push_str("</dl></section>\n");
    h
}

/// The error, the table of checks and the remarks of one claim.
fn checks_table(h: &mut String, r: &ClaimRecord) {
    if let Some(e) = &r.error {
        let _ = write!(
            h,
            r#"<p class="note"><strong>error:</strong> {}</p>"#,
            esc(e)
        );
    }
    if !r.checks.is_empty() {
        h.push_str(r#"<table class="checks"><thead><tr><th></th><th>measured</th><th>value</th><th></th><th>bound</th><th>why this bound</th></tr></thead><tbody>"#);
        for c in &r.checks {
            let _ = write!(
                h,
                r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td><td class="why">{}</td></tr>"#,
                if c.pass { "✓" } else { "✗" },
                esc(&c.what),
                fmt_num(c.value),
                esc(&c.relation),
                fmt_num(c.bound),
                esc(&c.why)
            );
        }
        h.push_str("</tbody></table>");
    }
    for remark in &r.remarks {
        let _ = write!(h, r#"<p class="remark">{}</p>"#, esc(remark));
    }
}

/// Where the claim has a live page (`lectures explore`), a panel offering to run it in place,
/// just above the static figures. It is `hidden` in the file: book.js shows it only when the
/// book is served by `lectures explore` under /book/, the one case where the page exists (so
/// the file itself holds no link that is dead when read from disk).
fn live_panel(h: &mut String, claim: &str) {
    if let Some((live, address)) = crate::explore::live_page_of(claim) {
        let _ = write!(
            h,
            r#"<div class="live" data-live="{}" hidden><p><strong>Live:</strong> {}, computed by the same code on this machine. <button type="button">Run it here</button> <a class="open">open the page</a></p></div>"#,
            esc(address.trim_start_matches('/')),
            esc(live.title)
        );
    }
}

/// The claim's figures, numbered; one the notes already showed above is referred to by its
/// number instead of being repeated.
fn figures_of(h: &mut String, r: &ClaimRecord, figures: &mut Figures) {
    for f in &r.figures {
        if let Some(n) = figures.shown.get(&f.file_stem) {
            let _ = write!(
                h,
                r##"<p class="remark"><a href="#figure-{label}.{n}">Figure {label}.{n}</a> above was drawn by this run.</p>"##,
                label = esc(&figures.label)
            );
            continue;
        }
        let number = figures.next(&f.file_stem);
        let _ = write!(
            h,
            r#"<figure id="figure-{number}"><img src="figures/{}.svg" alt="{}"><figcaption>Figure {number}. {}</figcaption></figure>"#,
            esc(&f.file_stem),
            esc(&f.caption),
            esc(&f.caption)
        );
    }
}

/// One chapter of the first page's table: its page, title and claims.
pub struct GlanceChapter<'a> {
    /// The chapter page's file name.
    pub file: String,
    /// The chapter title (HTML).
    pub title: String,
    /// Its claims.
    pub claims: Vec<&'a Claim>,
}

/// The first page: what the book is, the tour's verdict, and every chapter with its claims
/// and their PASS/FAIL.
pub fn first_page(record: Option<&TourRecord>, chapters: &[GlanceChapter<'_>]) -> String {
    let mut h = String::from(
        "<p>The notes of the course on dimension reduction and autoencoders, with the evidence \
         of every claim beside its derivation: each number below was measured on the built-in \
         data (iris, the handwritten digits, generated swiss rolls and circles) by the \
         workspace's own code, and held against a bound whose reason is given. Each claim \
         links to the exact lines of the code that implements it and the tests that check it.</p>",
    );
    match record {
        Some(r) => {
            let passed = r.claims.iter().filter(|c| c.passed).count();
            let checks: usize = r.claims.iter().map(|c| c.checks.len()).sum();
            let figs: usize = r.claims.iter().map(|c| c.figures.len()).sum();
            let _ = write!(
                h,
                r#"<p class="summary">{} <strong>{passed} of {} claims pass</strong>: {checks} checks, {figs} figures, computed in {:.1} s by <code>{TOUR_COMMAND}</code>.</p>"#,
                badge(Some(passed == r.claims.len())),
                r.claims.len(),
                r.total_seconds
            );
        }
        None => {
            let _ = write!(
                h,
                r#"<p class="summary">{} No claim has been computed yet: run <code>{TOUR_COMMAND}</code>.</p>"#,
                badge(None)
            );
        }
    }
    h.push_str(r#"<table class="glance">"#);
    for ch in chapters {
        let _ = write!(
            h,
            r#"<tr><th colspan="3"><a href="{}">{}</a></th></tr>"#,
            esc(&ch.file),
            ch.title
        );
        for c in &ch.claims {
            let passed = record.and_then(|r| r.get(&c.id)).map(|r| r.passed);
            let _ = write!(
                h,
                r##"<tr><td>{}</td><td><a href="{}#{id}"><code>{id}</code></a></td><td>{}</td></tr>"##,
                badge(passed),
                esc(&ch.file),
                prettify(&c.title),
                id = esc(&c.id)
            );
        }
    }
    h.push_str("</table>\n");
    let _ = write!(
        h,
        "<p>The <a href=\"evidence.html\">evidence appendix</a> lists every number in one table. \
         <code>{TOUR_COMMAND}</code> recomputes everything and rewrites this book; \
         <code>cargo run --release -p lectures -- book</code> rebuilds the pages alone from the \
         last tour's <code>evidence.json</code> (after editing the notes, for instance).</p>"
    );
    h
}

/// The appendix: every check of every claim in one table, with the time each claim took.
/// `section_of(claim)` is the href of the claim's section.
pub fn appendix(
    record: Option<&TourRecord>,
    claims: &[&Claim],
    section_of: &dyn Fn(&str) -> String,
) -> String {
    let mut h = String::from(
        "<p>Every number the tour measured, claim by claim, in notes order. A claim's section \
         in its chapter shows the same table beside the derivation, with the figures.</p>",
    );
    if let Some(r) = record {
        let _ = write!(
            h,
            "<p>The whole run took {:.1} s on this machine; the times below are per claim.</p>",
            r.total_seconds
        );
    }
    h.push_str(r#"<table class="checks"><thead><tr><th>claim</th><th>measured</th><th>value</th><th></th><th>bound</th><th>time</th></tr></thead><tbody>"#);
    for c in claims {
        let rec = record.and_then(|r| r.get(&c.id));
        let link = format!(
            r#"<span id="all-{id}">{}</span> <a href="{}"><code>{id}</code></a>"#,
            badge(rec.map(|r| r.passed)),
            esc(&section_of(&c.id)),
            id = esc(&c.id)
        );
        let Some(r) = rec else {
            let _ = write!(
                h,
                r#"<tr><td>{link}</td><td colspan="5">no evidence yet</td></tr>"#
            );
            continue;
        };
        let rows = r.checks.len().max(1);
        let _ = write!(h, r#"<tr><td rowspan="{rows}">{link}</td>"#);
        if r.checks.is_empty() {
            let what = r.error.as_deref().unwrap_or("no checks");
            let _ = write!(h, r#"<td colspan="4">{}</td>"#, esc(what));
        }
        for (k, ch) in r.checks.iter().enumerate() {
            if k > 0 {
                h.push_str("<tr>");
            }
            let _ = write!(
                h,
                r#"<td>{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td>"#,
                esc(&ch.what),
                fmt_num(ch.value),
                esc(&ch.relation),
                fmt_num(ch.bound)
            );
            if k == 0 {
                let _ = write!(h, r#"<td rowspan="{rows}">{:.2} s</td>"#, r.seconds);
            }
            h.push_str("</tr>");
        }
        if r.checks.is_empty() {
            let _ = write!(h, "<td>{:.2} s</td></tr>", r.seconds);
        }
    }
    h.push_str("</tbody></table>\n");
    h
}
