//! TeX formulas to MathML, offline, with pulldown-latex; Chromium, Firefox and Safari render
//! MathML natively, so the book needs no script and no font files for its mathematics.
//!
//! A formula the parser rejects, or one it would render as an error box (`<merror>`), is an
//! error: the caller reports it with the chapter and line, and the book is not written, so a
//! reader never sees raw TeX.

use pulldown_latex::config::{DisplayMode, RenderConfig};
use pulldown_latex::{push_mathml, Parser, ParserError, Storage};

/// `tex` (without its `$` delimiters) as one `<math>` element: `display` for `$$…$$`.
///
/// # Errors
/// The parser's message when `tex` is not TeX it can render.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let events = Parser::new(tex, &storage)
        .collect::<Result<Vec<_>, ParserError>>()
        .map_err(|e| e.to_string().replace('\n', " "))?;
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        ..RenderConfig::default()
    };
    let mut out = String::new();
    push_mathml(
        &mut out,
        events.into_iter().map(Ok::<_, ParserError>),
        config,
    )
    .map_err(|e| e.to_string())?;
    if out.contains("<merror") {
        return Err("the renderer marks part of it as an error".to_string());
    }
    // pulldown-latex 0.8 writes TeX's control space `\ ` as the text "&nbsp;" and then
    // escapes it, so the page would show "&nbsp;" literally: a no-break space it is.
    Ok(out.replace("&amp;nbsp;", "&#160;"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_math_renders_fractions_and_rejects_unknown_commands() {
        let m = to_mathml(r"\frac{a}{b} + \operatorname{off}(A)^2", false).unwrap();
        assert!(m.starts_with("<math") && m.contains("<mfrac>"), "{m}");
        assert!(!m.contains('\\'), "no TeX left in {m}");
        assert!(to_mathml(r"x = \sum_i", true)
            .unwrap()
            .contains("display=\"block\""));
        assert!(to_mathml(r"\nosuchcommand{x}", false).is_err());
        assert!(to_mathml(r"\frac{a}{", false).is_err());
    }

    #[test]
    fn book_math_control_space_is_a_space_not_an_entity_name() {
        let m = to_mathml(r"p = 1,\ q = 2", false).unwrap();
        assert!(!m.contains("nbsp"), "{m}");
        assert!(m.contains("&#160;"), "{m}");
    }
}
