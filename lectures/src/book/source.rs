//! Source pages: each file the book links to (the registry's code and tests, the exercises,
//! the files the notes link to) as a read-only page `src/<path>.html`, Rust highlighted,
//! every line with its anchor `#L<n>`; and the line of a registry item (`file::Type::item`).

use super::highlight::rust_tokens;
use super::layout::{esc, Page};

/// The book path of the source page of `repo_path` (e.g. `src/linalg/src/jacobi.rs.html`).
pub fn page_path(repo_path: &str) -> String {
    format!("src/{repo_path}.html")
}

/// The 1-based line declaring the registry item `segments` (`["Matrix", "new"]`) in `text`:
/// each segment is looked for, as `fn`, `struct`, `enum`, `trait`, `type`, `const`, `static`,
/// `mod`, `impl` or `macro_rules!`, after the line of the one before. `None` when a segment
/// is not found (the registry test reports that case).
pub fn item_line(text: &str, segments: &[&str]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    for segment in segments {
        from = (from..lines.len()).find(|&k| declares(lines[k], segment))?;
    }
    Some(from + 1)
}

/// Does this line declare `name` (`pub fn name(`, `struct name<`, `impl name {` …)?
fn declares(line: &str, name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "fn", "struct", "enum", "trait", "type", "const", "static", "mod", "impl",
    ];
    let words: Vec<&str> = line
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '!'))
        .filter(|w| !w.is_empty())
        .collect();
    let code = line.trim_start();
    if code.starts_with("//") {
        return false;
    }
    words
        .windows(2)
        .any(|w| (KEYWORDS.contains(&w[0]) || w[0] == "macro_rules!") && w[1] == name)
}

/// The page showing `text`, the file `repo_path`, one anchored line per source line (each a
/// block, so no newline between them: the browser puts one back when the text is copied).
pub fn render(repo_path: &str, text: &str) -> Page {
    let body = if repo_path.ends_with(".rs") {
        highlight_rust(text)
    } else {
        esc(text)
    };
    let mut h = String::with_capacity(body.len() + 64 * text.lines().count());
    h.push_str(r#"<pre class="source"><code>"#);
    for (k, line) in body
        .strip_suffix('\n')
        .unwrap_or(&body)
        .split('\n')
        .enumerate()
    {
        let n = k + 1;
        h.push_str(&format!(
            r##"<span class="line" id="L{n}"><a class="ln" href="#L{n}">{n}</a>{line}</span>"##
        ));
    }
    h.push_str("</code></pre>\n");
    Page {
        title: repo_path.to_string(),
        body: h,
        heading: format!("<code>{}</code>", esc(repo_path)),
    }
}

/// Highlighted HTML of Rust source; a token spanning lines is closed and reopened at each
/// line break so that every line stands alone.
pub fn highlight_rust(text: &str) -> String {
    let mut h = String::with_capacity(text.len() * 2);
    for (class, token) in rust_tokens(text) {
        match class {
            None => h.push_str(&esc(token)),
            Some(c) => {
                let open = format!(r#"<span class="{}">"#, c.css());
                let pieces: Vec<String> = token
                    .split('\n')
                    .map(|piece| format!("{open}{}</span>", esc(piece)))
                    .collect();
                h.push_str(&pieces.join("\n"));
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_item_lines_follow_the_path_segments() {
        let text = "//! fn eigh in a comment\nuse x;\npub struct Matrix {}\nimpl Matrix {\n    pub fn new() {}\n}\npub fn new() {}\nmod tests {\n    fn eigh_works() {}\n    #[test]\n    fn eigh() {}\n}\n";
        assert_eq!(item_line(text, &["Matrix"]), Some(3));
        assert_eq!(item_line(text, &["Matrix", "new"]), Some(5));
        assert_eq!(item_line(text, &["tests", "eigh"]), Some(11));
        assert_eq!(
            item_line(text, &["eigh"]),
            Some(11),
            "not the comment, not eigh_works"
        );
        assert_eq!(item_line(text, &["missing"]), None);
    }

    #[test]
    fn book_source_page_has_one_anchor_per_line_and_spans_close_per_line() {
        let page = render("x.rs", "/* a\nb */\nfn f() {}\n");
        for n in 1..=3 {
            assert!(page.body.contains(&format!("id=\"L{n}\"")), "{}", page.body);
        }
        assert!(!page.body.contains("id=\"L4\""));
        for line in page.body.split(r#"<span class="line""#).skip(1) {
            // The line's own span opened before the split point: one more close than open.
            let (open, close) = (
                line.matches("<span").count(),
                line.matches("</span>").count(),
            );
            assert_eq!(open + 1, close, "{line}");
        }
    }
}
