//! Page layout: the frame every book page shares (sidebar of chapters with the current
//! chapter's sections, search box, previous/next links), the source pages' simpler frame,
//! and the stylesheet and script written beside the pages (`book.css`, `book.js`).
//!
//! Light and dark colour schemes follow the reader's system setting (`prefers-color-scheme`);
//! below 900 px the sidebar moves above the text; printing hides the navigation. The only
//! script is the search box ([`SCRIPT`]); every page reads without it.

use std::fmt::Write as _;

/// The stylesheet, written to `book.css`.
pub const STYLE: &str = include_str!("book.css");

/// The search box's script, written to `book.js`; it reads `search-index.js`.
pub const SCRIPT: &str = include_str!("book.js");

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The registry's one-line ASCII mathematics in Unicode (‖x‖, Xᵀ, x², ⁻¹, ≤), escaped, with
/// `backticked` spans as code.
pub fn prettify(s: &str) -> String {
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

/// A PASS or FAIL badge (or "no evidence yet" when the tour has not computed the claim).
pub fn badge(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => r#"<span class="badge pass">PASS</span>"#,
        Some(false) => r#"<span class="badge fail">FAIL</span>"#,
        None => r#"<span class="badge none">no evidence yet</span>"#,
    }
}

/// A page's content, before the frame is put around it.
pub struct Page {
    /// The text of `<title>`.
    pub title: String,
    /// The heading shown at the top of the page (HTML); empty when the body starts with its
    /// own `<h1>` (a notes chapter).
    pub heading: String,
    /// The page's HTML.
    pub body: String,
}

/// One entry of the sidebar: a page of the book and its sections.
#[derive(Clone, Debug)]
pub struct NavEntry {
    /// The page's file name in the book folder (`00-linear-algebra.html`).
    pub file: String,
    /// Its title as HTML (may hold MathML).
    pub title: String,
    /// Its sections: element id and heading HTML.
    pub sections: Vec<(String, String)>,
}

/// A book page in its frame: `nav[current]` is this page.
pub fn book_page(nav: &[NavEntry], current: usize, page: &Page) -> String {
    let mut side = String::from(r#"<nav class="sidebar" aria-label="Chapters"><ol>"#);
    for (k, e) in nav.iter().enumerate() {
        let here = if k == current {
            r#" class="current" aria-current="page""#
        } else {
            ""
        };
        let _ = write!(
            side,
            r#"<li><a href="{}"{here}>{}</a>"#,
            esc(&e.file),
            e.title
        );
        if k == current && !e.sections.is_empty() {
            side.push_str("<ol>");
            for (id, title) in &e.sections {
                let _ = write!(side, r##"<li><a href="#{}">{title}</a></li>"##, esc(id));
            }
            side.push_str("</ol>");
        }
        side.push_str("</li>");
    }
    side.push_str("</ol></nav>");
    let link = |k: Option<usize>, rel: &str, label: &str| match k.and_then(|k| nav.get(k)) {
        Some(e) => format!(
            r#"<a rel="{rel}" href="{}">{label} {}</a>"#,
            esc(&e.file),
            e.title
        ),
        None => "<span></span>".to_string(),
    };
    let pager = format!(
        r#"<nav class="pager" aria-label="Previous and next">{}{}</nav>"#,
        link(current.checked_sub(1), "prev", "←"),
        link(Some(current + 1), "next", "→")
    );
    frame(
        &page.title,
        "",
        &format!(
            r#"<div class="layout">{side}<main><div class="search"><input id="search" type="search" placeholder="Search headings and claim ids" aria-label="Search" autocomplete="off"><ol id="search-results"></ol></div>
{}{}
{pager}</main></div>
<script src="search-index.js"></script><script src="book.js"></script>"#,
            if page.heading.is_empty() {
                String::new()
            } else {
                format!("<h1>{}</h1>\n", page.heading)
            },
            page.body
        ),
    )
}

/// A source page in its simpler frame; `to_root` leads from its folder to the book's.
pub fn source_page(page: &Page, to_root: &str) -> String {
    frame(
        &page.title,
        to_root,
        &format!(
            r#"<main class="source-page"><p class="back"><a href="{to_root}index.html">← The course book</a> · read-only copy of the repository file</p>
<h1>{}</h1>
{}</main>"#,
            page.heading, page.body
        ),
    )
}

/// The HTML document around `body`; `to_root` is `""` or ends with `/`.
fn frame(title: &str, to_root: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{}</title>
<link rel="stylesheet" href="{to_root}book.css"></head>
<body>
{body}
</body></html>
"#,
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_layout_marks_the_current_page_and_links_neighbours() {
        let nav: Vec<NavEntry> = ["index", "a", "b"]
            .iter()
            .map(|f| NavEntry {
                file: format!("{f}.html"),
                title: f.to_uppercase(),
                sections: vec![(format!("{f}-s"), "S".into())],
            })
            .collect();
        let page = Page {
            title: "A & B".into(),
            heading: "A".into(),
            body: "<p>x</p>".into(),
        };
        let html = book_page(&nav, 1, &page);
        assert!(html.contains("<title>A &amp; B</title>"));
        assert!(html.contains(r#"<a href="a.html" class="current" aria-current="page">A</a>"#));
        assert!(html.contains(r##"href="#a-s""##) && !html.contains(r##"href="#b-s""##));
        assert!(html.contains(r#"rel="prev" href="index.html""#));
        assert!(html.contains(r#"rel="next" href="b.html""#));
        assert_eq!(prettify("||X||^2 <= `x`"), "‖X‖² ≤ <code>x</code>");
    }
}
