//! A small Rust tokenizer for the book's source pages: comments (doc comments apart), strings
//! (raw and byte strings too), characters and lifetimes, numbers, keywords, macros,
//! attributes and capitalised names. It colours; it does not parse: any text it does not
//! recognise is passed through as plain text, so every input is shown whole.
//!
//! Why not a highlighter crate: syntect with its bundled grammars costs far more to build
//! from cold than this file (measured; see the book module's documentation), and the book
//! shows only Rust, TOML and Markdown files.

/// The class of a token, used as its CSS class (`None` is plain text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `// …` and `/* … */`.
    Comment,
    /// `/// …`, `//! …`.
    Doc,
    /// String and character literals.
    Str,
    /// Numeric literals.
    Num,
    /// Keywords.
    Kw,
    /// `name!`.
    Macro,
    /// `#[…]` and `#![…]`.
    Attr,
    /// Names starting with a capital letter (types, traits, variants).
    Type,
    /// `'a`.
    Lifetime,
}

impl Class {
    /// The CSS class name.
    pub fn css(self) -> &'static str {
        match self {
            Class::Comment => "c",
            Class::Doc => "d",
            Class::Str => "s",
            Class::Num => "n",
            Class::Kw => "k",
            Class::Macro => "m",
            Class::Attr => "a",
            Class::Type => "t",
            Class::Lifetime => "l",
        }
    }
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "dyn", "async", "await",
];

/// Splits Rust source into `(class, text)` tokens whose texts concatenate to `src`.
pub fn rust_tokens(src: &str) -> Vec<(Option<Class>, &str)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut plain) = (0, 0);
    while i < b.len() {
        match token_at(src, i) {
            Some((Some(class), end)) => {
                if plain < i {
                    out.push((None, &src[plain..i]));
                }
                out.push((Some(class), &src[i..end]));
                (i, plain) = (end, end);
            }
            // A plain name, taken whole so that `x1` is not read as a name and a number.
            Some((None, end)) => i = end,
            None => i += utf8_len(b[i]),
        }
    }
    if plain < b.len() {
        out.push((None, &src[plain..]));
    }
    out
}

/// The token starting at byte `i`, if it is one we colour: its class and end.
fn token_at(src: &str, i: usize) -> Option<(Option<Class>, usize)> {
    let b = src.as_bytes();
    let rest = &src[i..];
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    if rest.starts_with("///") || rest.starts_with("//!") {
        return Some((Some(Class::Doc), line_end(src, i)));
    }
    if rest.starts_with("//") {
        return Some((Some(Class::Comment), line_end(src, i)));
    }
    if rest.starts_with("/*") {
        return Some((Some(Class::Comment), block_comment_end(src, i)));
    }
    if b[i] == b'#' && (next(1) == b'[' || (next(1) == b'!' && next(2) == b'[')) {
        return Some((Some(Class::Attr), bracket_end(src, i)));
    }
    if let Some(end) = raw_string_end(src, i) {
        return Some((Some(Class::Str), end));
    }
    if b[i] == b'"' || (b[i] == b'b' && next(1) == b'"') {
        let open = if b[i] == b'"' { i } else { i + 1 };
        return Some((Some(Class::Str), quoted_end(src, open, b'"')));
    }
    if b[i] == b'\'' {
        return Some(char_or_lifetime(src, i));
    }
    if b[i].is_ascii_digit() && !preceded_by_ident(src, i) {
        let mut end = i + 1;
        while end < b.len()
            && (b[end].is_ascii_alphanumeric()
                || b[end] == b'_'
                || (b[end] == b'.' && b.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        return Some((Some(Class::Num), end));
    }
    let end = ident_end(src, i);
    if end > i && !preceded_by_ident(src, i) {
        let word = &src[i..end];
        let class = if b.get(end) == Some(&b'!') && b.get(end + 1) != Some(&b'=') {
            return Some((Some(Class::Macro), end + 1));
        } else if KEYWORDS.contains(&word) {
            Some(Class::Kw)
        } else if word.starts_with(|c: char| c.is_uppercase()) {
            Some(Class::Type)
        } else {
            None
        };
        return Some((class, end));
    }
    None
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn preceded_by_ident(src: &str, i: usize) -> bool {
    src[..i].chars().next_back().is_some_and(is_ident)
}

/// The end of the identifier starting at `i` (`i` itself when there is none).
fn ident_end(src: &str, i: usize) -> usize {
    let mut chars = src[i..].char_indices();
    match chars.next() {
        Some((_, c)) if c.is_alphabetic() || c == '_' => {}
        _ => return i,
    }
    src[i..]
        .char_indices()
        .find(|&(_, c)| !is_ident(c))
        .map_or(src.len(), |(k, _)| i + k)
}

fn line_end(src: &str, i: usize) -> usize {
    src[i..].find('\n').map_or(src.len(), |k| i + k)
}

/// The end of a (nested) block comment starting at `i`.
fn block_comment_end(src: &str, i: usize) -> usize {
    let b = src.as_bytes();
    let (mut depth, mut k) = (0usize, i);
    while k + 1 < b.len() {
        if b[k] == b'/' && b[k + 1] == b'*' {
            depth += 1;
            k += 2;
        } else if b[k] == b'*' && b[k + 1] == b'/' {
            depth -= 1;
            k += 2;
            if depth == 0 {
                return k;
            }
        } else {
            k += 1;
        }
    }
    src.len()
}

/// The end of `#[…]`, counting nested brackets and skipping strings inside.
fn bracket_end(src: &str, i: usize) -> usize {
    let b = src.as_bytes();
    let (mut depth, mut k) = (0usize, i);
    while k < b.len() {
        match b[k] {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            b'"' => {
                k = quoted_end(src, k, b'"');
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    src.len()
}

/// The end of a literal opened by the quote at `open`, honouring backslash escapes.
fn quoted_end(src: &str, open: usize, quote: u8) -> usize {
    let b = src.as_bytes();
    let mut k = open + 1;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 2,
            c if c == quote => return k + 1,
            _ => k += 1,
        }
    }
    src.len()
}

/// The end of `r"…"`, `r#"…"#`, `br"…"` starting at `i`, if one starts there.
fn raw_string_end(src: &str, i: usize) -> Option<usize> {
    if preceded_by_ident(src, i) {
        return None;
    }
    let rest = src[i..].strip_prefix('b').unwrap_or(&src[i..]);
    let rest = rest.strip_prefix('r')?;
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    let body = rest[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let start = src.len() - body.len();
    Some(
        body.find(&close)
            .map_or(src.len(), |k| start + k + close.len()),
    )
}

/// `'x'`, `'\n'` (a character) or `'a` (a lifetime or label) at `i`.
fn char_or_lifetime(src: &str, i: usize) -> (Option<Class>, usize) {
    let rest = &src[i + 1..];
    let mut chars = rest.char_indices();
    match (chars.next(), chars.next()) {
        (Some((_, '\\')), _) => (Some(Class::Str), quoted_end(src, i, b'\'')),
        (Some((_, c)), Some((k, '\''))) if c != '\'' => (Some(Class::Str), i + 1 + k + 1),
        (Some((_, c)), _) if c.is_alphabetic() || c == '_' => {
            (Some(Class::Lifetime), ident_end(src, i + 1))
        }
        _ => (None, i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(src: &str) -> Vec<(Option<&'static str>, &str)> {
        rust_tokens(src)
            .into_iter()
            .map(|(c, t)| (c.map(Class::css), t))
            .collect()
    }

    #[test]
    fn book_tokens_cover_the_input_and_classify_rust() {
        let src = "/// Doc.\n#[inline]\npub fn f<'a>(x: &'a str) -> Vec<u8> { let c = '\\n'; let r = r#\"a\"b\"#; println!(\"{x}\"); 1.5e3 /* a /* b */ c */ }\n// é done";
        let toks = rust_tokens(src);
        assert_eq!(toks.iter().map(|t| t.1).collect::<String>(), src);
        let c = classes(src);
        for (class, text) in [
            (Some("d"), "/// Doc."),
            (Some("a"), "#[inline]"),
            (Some("k"), "fn"),
            (Some("l"), "'a"),
            (Some("t"), "Vec"),
            (Some("s"), "'\\n'"),
            (Some("s"), "r#\"a\"b\"#"),
            (Some("m"), "println!"),
            (Some("s"), "\"{x}\""),
            (Some("n"), "1.5e3"),
            (Some("c"), "/* a /* b */ c */"),
            (Some("c"), "// é done"),
        ] {
            assert!(c.contains(&(class, text)), "{text} as {class:?} in {c:?}");
        }
        // Identifiers with digits stay plain; `x1` is not a name and a number.
        assert_eq!(classes("x1"), vec![(None, "x1")]);
        assert_eq!(
            rust_tokens("\"open").len(),
            1,
            "an unterminated string ends the file"
        );
    }
}
