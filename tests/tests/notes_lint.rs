//! The notes render the same on a code host and in the book (issue 13, "Rendering").
//!
//! The notes (`lectures/notes/*.md`) are standard Markdown with `$…$` inline and `$$…$$`
//! display math. Markdown processes a line before the math renderer sees it, so a few TeX
//! constructs that are fine in a `.tex` file break in a Markdown file. This test rejects them,
//! outside fenced code blocks and inline code:
//!
//! - `\|` anywhere in math: Markdown may eat the backslash, and in a table row the `|` splits
//!   the cell. Write `\lVert x \rVert` for a norm and `\Vert` for the KL separator.
//! - a bare `|` in math inside a table row (it ends the cell): use `\lvert … \rvert`.
//! - `\\` in inline math (a `pmatrix` or `aligned` on one line): use display math.
//! - inline math that runs over a line break (`\{` at a line end lost its brace before).
//! - `$a$-$b$` chains such as `$64$-$32$-$2$`: write 64-32-2 as plain text.
//! - display math whose `$$` shares its line with other text: `$$` stands alone on its line,
//!   with a blank line (or the start of the file) before the opening one.
//! - raw HTML tags, and images without alt text.
//!
//! Each rule has a unit check below (`lint_catches_each_rule`), so a lint that silently
//! stopped looking would fail.

use std::path::{Path, PathBuf};

fn notes_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the repository")
        .join("lectures/notes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("lectures/notes exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

/// One piece of a line outside code: text, or inline math with its content.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Math(&'a str),
}

/// Splits one line (not a display-math or fenced line) into text and inline math, dropping
/// inline code. An unclosed `$` is returned as `Err` with the rest of the line.
fn pieces(line: &str) -> Result<Vec<Piece<'_>>, &str> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let next = rest.find(['`', '$']);
        let Some(i) = next else {
            out.push(Piece::Text(rest));
            return Ok(out);
        };
        out.push(Piece::Text(&rest[..i]));
        let (delim, tail) = rest[i..].split_at(1);
        if delim == "$" && i > 0 && rest.as_bytes()[i - 1] == b'\\' {
            // An escaped dollar sign is text.
            rest = tail;
            continue;
        }
        let Some(close) = tail.find(delim) else {
            if delim == "`" {
                out.push(Piece::Text(tail));
                return Ok(out);
            }
            return Err(tail);
        };
        if delim == "$" {
            out.push(Piece::Math(&tail[..close]));
        }
        rest = &tail[close + 1..];
    }
}

/// The rule violations of one notes file, as `line: message`.
fn lint(markdown: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut in_fence = false;
    let mut in_display = false;
    let mut previous = "";
    for (n, line) in markdown.lines().enumerate() {
        let n = n + 1;
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            previous = line;
            continue;
        }
        if in_fence {
            previous = line;
            continue;
        }
        if trimmed == "$$" {
            if !in_display && !previous.trim().is_empty() {
                problems.push(format!("{n}: no blank line before display math"));
            }
            in_display = !in_display;
            previous = line;
            continue;
        }
        if in_display {
            if line.contains("$$") {
                problems.push(format!("{n}: `$$` must stand alone on its line"));
            }
            if line.contains("\\|") {
                problems.push(format!(
                    "{n}: `\\|` in math: use \\lVert … \\rVert or \\Vert"
                ));
            }
            previous = line;
            continue;
        }
        if without_code(line).contains("$$") {
            problems.push(format!(
                "{n}: `$$` must stand alone on its line (display math)"
            ));
            previous = line;
            continue;
        }
        let is_table_row = trimmed.starts_with('|');
        match pieces(line) {
            Err(rest) => problems.push(format!(
                "{n}: inline math runs over the line end (or an unmatched `$`): `${rest}`"
            )),
            Ok(parts) => {
                for (k, part) in parts.iter().enumerate() {
                    match part {
                        Piece::Math(m) => {
                            if m.contains("\\|") {
                                problems.push(format!(
                                    "{n}: `\\|` in `${m}$`: use \\lVert … \\rVert or \\Vert"
                                ));
                            }
                            if m.contains("\\\\") {
                                problems.push(format!(
                                    "{n}: `\\\\` in inline `${m}$`: use display math"
                                ));
                            }
                            if is_table_row && m.contains('|') {
                                problems.push(format!(
                                    "{n}: `|` in math `${m}$` splits the table cell: use \\lvert … \\rvert"
                                ));
                            }
                        }
                        Piece::Text(t) => {
                            let between_math = k > 0
                                && matches!(parts.get(k + 1), Some(Piece::Math(_)))
                                && matches!(parts[k - 1], Piece::Math(_));
                            if between_math && *t == "-" {
                                problems.push(format!(
                                    "{n}: `$a$-$b$` chain: write the numbers as plain text"
                                ));
                            }
                            if has_html_tag(t) {
                                problems.push(format!("{n}: raw HTML in `{t}`"));
                            }
                            if t.contains("![](") {
                                problems.push(format!("{n}: an image without alt text"));
                            }
                        }
                    }
                }
            }
        }
        previous = line;
    }
    if in_display {
        problems.push("end of file: display math `$$` not closed".to_string());
    }
    problems
}

/// The line with its inline code spans removed.
fn without_code(line: &str) -> String {
    line.split('`').step_by(2).collect()
}

/// `<tag`, `</tag` or `<!--` in text (a `<` followed by a letter, `/` or `!`).
fn has_html_tag(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

#[test]
fn notes_follow_the_rendering_rules() {
    let mut problems = Vec::new();
    for path in notes_files() {
        let text = std::fs::read_to_string(&path).expect("notes file readable");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        problems.extend(lint(&text).into_iter().map(|p| format!("{name}:{p}")));
    }
    assert!(
        problems.is_empty(),
        "{} rendering problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn lint_catches_each_rule() {
    let bad = [
        "a norm $\\|x\\|$ here",
        "| cell | $\\lVert x \\rVert$ and $|x|$ |",
        "inline $\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}$ matrix",
        "a set $\\{0, 1,\nmore\\}$ over two lines",
        "a $64$-$32$-$2$ network",
        "$$x = 1$$",
        "text\n$$\nx\n$$",
        "a <sub>tag</sub>",
        "![](figure.svg)",
        "\n$$\nx = \\|y\\|\n$$",
        "\n$$\nx\n",
    ];
    for b in bad {
        assert!(!lint(b).is_empty(), "the lint accepts {b:?}");
    }
    let good = [
        "a norm $\\lVert x \\rVert$, a KL $P \\Vert Q$, $|x|$ outside tables",
        "| cell | $\\lvert x \\rvert$ |",
        "code `$\\|x\\|$` and `a <b>` is not checked",
        "```text\n$$ anything $$\n```",
        "\n$$\n\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}\n$$\n",
        "a 64-32-2 network costs \\$5, or a < b",
        "![alt text](figure.svg)",
    ];
    for g in good {
        assert!(lint(g).is_empty(), "the lint rejects {g:?}: {:?}", lint(g));
    }
}
