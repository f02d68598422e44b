//! One notes chapter from Markdown to HTML: pulldown-cmark parses it (CommonMark, tables,
//! `$…$` and `$$…$$` math), every formula becomes MathML ([`super::math`]), links are
//! rewritten into the book, paragraphs made only of images become numbered figures, and each
//! claim's section is closed by its evidence block.
//!
//! A claim's section starts at the heading whose first code span is a claim id
//! (`` ## `la.ky-fan`: the maximum principle ``) and ends just before the next heading of the
//! same or a higher level, or at the end of the chapter; the evidence block goes there, after
//! the derivation and anything else the section holds. The heading's id is the claim id
//! (`#la.ky-fan`); the anchor the notes themselves use (`#laky-fan-the-maximum-principle…`,
//! see [`crate::runner::anchor`]) is kept on an empty element inside it, so both resolve.

use super::math;
use super::source::highlight_rust;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// What the chapter renderer asks of the book it is part of.
pub trait Context {
    /// The book href for a link written in the notes (`../../linalg/src/jacobi.rs`,
    /// `01-pca-and-mds.md#…`, `https://…`), or `None` to keep the text without a link.
    /// `code` is the link's text when it is one code span (`` [`Tape::backward`](…) ``): a
    /// source link then goes to the line declaring that item, if there is one.
    fn link(&mut self, dest: &str, code: Option<&str>) -> Option<String>;
    /// The book src for an image written in the notes (`figures/01-pca-iris.svg`).
    fn image(&mut self, src: &str) -> String;
    /// The caption of the figure file `stem` when the tour drew it (the book shows this
    /// run's drawing in its place); the image's alt text is the caption otherwise.
    fn caption(&self, stem: &str) -> Option<String>;
    /// Is `id` a claim id of the registry?
    fn is_claim(&self, id: &str) -> bool;
    /// The evidence block closing the section of `claim`; figures it shows take the next
    /// numbers of `figures`.
    fn evidence(&mut self, claim: &str, figures: &mut Figures) -> String;
}

/// The figure numbers of one chapter: `Figure <label>.<k>`.
#[derive(Debug, Default)]
pub struct Figures {
    /// The chapter's label (`3` for `03-…`).
    pub label: String,
    /// Figures numbered so far.
    pub count: usize,
    /// The number of each figure file already shown, by file stem.
    pub shown: BTreeMap<String, usize>,
}

impl Figures {
    /// The next number, as `3.2`, recorded for the figure file `stem`.
    pub fn next(&mut self, stem: &str) -> String {
        self.count += 1;
        self.shown.insert(stem.to_string(), self.count);
        format!("{}.{}", self.label, self.count)
    }
}

/// A heading of the chapter.
#[derive(Clone, Debug)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, …
    pub level: usize,
    /// Its element id (the claim id for a claim's heading).
    pub id: String,
    /// Its HTML (formulas as MathML).
    pub html: String,
    /// Its text without markup (for the search index).
    pub text: String,
}

/// A rendered chapter.
#[derive(Debug)]
pub struct Rendered {
    /// The chapter's HTML, its `#` heading included.
    pub body: String,
    /// Every heading, the first `#` heading included, in order.
    pub headings: Vec<Heading>,
    /// The claims whose section was found, in order.
    pub claims: Vec<String>,
    /// How many formulas were rendered.
    pub formulas: usize,
}

/// A formula the renderer cannot handle, or another defect of the notes' Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesError {
    /// 1-based line in the chapter's file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The Markdown features the notes use; nothing else is enabled.
fn options() -> Options {
    Options::ENABLE_MATH | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Renders the chapter `text`, closing each claim section with `ctx.evidence`.
///
/// # Errors
/// The first formula that does not render, with its line.
pub fn render(
    text: &str,
    figures: &mut Figures,
    ctx: &mut dyn Context,
) -> Result<Rendered, NotesError> {
    let joined = join_display_math(text);
    let events: Vec<Spanned> = Parser::new_ext(&joined, options())
        .into_offset_iter()
        .collect();
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let mut r = Renderer {
        ctx,
        figures,
        out: Vec::new(),
        open: Vec::new(),
        ids: BTreeSet::new(),
        headings: Vec::new(),
        claims: Vec::new(),
        formulas: 0,
        skip_link_end: false,
        after_dollar: false,
        link_code: None,
    };
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let end = match event {
            Start(Tag::Heading { .. }) => matching_end(&events, i),
            Start(Tag::Paragraph) if image_paragraph(&events, i) => matching_end(&events, i),
            Start(Tag::CodeBlock(_)) => matching_end(&events, i),
            _ => i,
        };
        let block = &events[i..=end];
        r.link_code = match (event, events.get(i + 1), events.get(i + 2)) {
            (Start(Tag::Link { .. }), Some((Event::Code(c), _)), Some((End(TagEnd::Link), _))) => {
                Some(c.to_string())
            }
            _ => None,
        };
        match event {
            Start(Tag::Heading { level, .. }) => {
                let raw = &joined[range.clone()];
                r.heading(*level as usize, raw, &block[1..block.len() - 1])
            }
            Start(Tag::Paragraph) if end > i => r.figure_paragraph(block),
            Start(Tag::CodeBlock(kind)) => r.code_block(kind, block),
            _ => r.inline(event.clone(), range.clone()),
        }
        .map_err(|(at, message)| NotesError {
            line: line_of(at),
            message,
        })?;
        i = end + 1;
    }
    r.close_sections(1);
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, r.out.into_iter());
    Ok(Rendered {
        body,
        headings: r.headings,
        claims: r.claims,
        formulas: r.formulas,
    })
}

use Event::{End, Start};

/// `text` with the line breaks inside each `$$…$$` display joined by spaces (outside fenced
/// code), so that a formula line starting with `+`, `-` or `1.` is not read as a list item
/// and a blank line cannot split a formula. Same length as `text`: byte offsets, and so the
/// line numbers of errors, are those of the file.
fn join_display_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut fence, mut inside) = (false, false);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        if !fence {
            // `$$` inside a code span does not count.
            let delimiters: usize = line
                .split('`')
                .step_by(2)
                .map(|part| part.matches("$$").count())
                .sum();
            if delimiters % 2 == 1 {
                inside = !inside;
            }
        }
        match line.strip_suffix('\n') {
            Some(body) if inside && !fence => {
                out.push_str(body);
                out.push(' ');
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The index of the event closing the one opened at `start`.
fn matching_end(events: &[Spanned], start: usize) -> usize {
    let mut depth = 0usize;
    for (k, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Start(_) => depth += 1,
            End(_) => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Is the paragraph opened at `start` made only of images (and line breaks)?
fn image_paragraph(events: &[Spanned], start: usize) -> bool {
    let end = matching_end(events, start);
    let mut in_image = false;
    let mut images = 0;
    for (e, _) in &events[start + 1..end] {
        match e {
            Start(Tag::Image { .. }) => {
                in_image = true;
                images += 1;
            }
            End(TagEnd::Image) => in_image = false,
            Event::SoftBreak | Event::HardBreak => {}
            Event::Text(t) if in_image || t.trim().is_empty() => {}
            _ if in_image => {}
            _ => return false,
        }
    }
    images > 0
}

/// The renderer's state while it walks one chapter.
struct Renderer<'c, 'e> {
    ctx: &'c mut dyn Context,
    figures: &'c mut Figures,
    out: Vec<Event<'e>>,
    /// Claim sections still open: heading level and claim id.
    open: Vec<(usize, String)>,
    ids: BTreeSet<String>,
    headings: Vec<Heading>,
    claims: Vec<String>,
    formulas: usize,
    skip_link_end: bool,
    /// The previous event was text ending in `$`.
    after_dollar: bool,
    /// The text of the link about to start, when it is one code span.
    link_code: Option<String>,
}

/// A failure at a byte offset of the chapter.
type At = (usize, String);

impl<'e> Renderer<'_, 'e> {
    /// Closes the open claim sections whose heading level is `level` or deeper.
    fn close_sections(&mut self, level: usize) {
        while self.open.last().is_some_and(|(l, _)| *l >= level) {
            let (_, claim) = self.open.pop().unwrap_or_default();
            let html = self.ctx.evidence(&claim, self.figures);
            self.out.push(Event::Html(html.into()));
        }
    }

    /// A heading: closes the claim sections it ends, opens a claim section when its first
    /// code span is a claim id, and gets an id that is unique in the page.
    fn heading(&mut self, level: usize, raw: &str, inner: &[Spanned<'e>]) -> Result<(), At> {
        self.close_sections(level);
        let html = self.inline_html(inner)?;
        let text = plain_text(&html);
        let first_code = inner.iter().find_map(|(e, _)| match e {
            Event::Code(c) => Some(c.to_string()),
            _ => None,
        });
        let claim = first_code.filter(|c| self.ctx.is_claim(c));
        let slug = self.unique(crate::runner::anchor(raw.trim_start_matches('#').trim()));
        let (id, extra) = match &claim {
            Some(c) if !self.ids.contains(c) => {
                self.ids.insert(c.clone());
                (c.clone(), format!(r#"<span id="{slug}"></span>"#))
            }
            _ => (slug, String::new()),
        };
        if let Some(c) = claim {
            self.open.push((level, c.clone()));
            self.claims.push(c);
        }
        let anchor = if level > 1 {
            format!(r##"<a class="anchor" href="#{id}" aria-label="link to this section">#</a>"##)
        } else {
            String::new()
        };
        self.out.push(Event::Html(
            format!("<h{level} id=\"{id}\">{extra}{html}{anchor}</h{level}>\n").into(),
        ));
        self.headings.push(Heading {
            level,
            id,
            html,
            text,
        });
        Ok(())
    }

    /// `slug`, or `slug-1`, `slug-2`, … if already used in this page; recorded as used.
    fn unique(&mut self, slug: String) -> String {
        let mut id = if slug.is_empty() {
            "section".into()
        } else {
            slug
        };
        let base = id.clone();
        let mut k = 0;
        while self.ids.contains(&id) {
            k += 1;
            id = format!("{base}-{k}");
        }
        self.ids.insert(id.clone());
        id
    }

    /// A paragraph of images only: each becomes a numbered figure with its alt text as the
    /// caption.
    fn figure_paragraph(&mut self, block: &[Spanned<'e>]) -> Result<(), At> {
        let mut html = String::from(r#"<div class="figures">"#);
        let mut current: Option<(String, String)> = None;
        for (e, _) in block {
            match e {
                Start(Tag::Image { dest_url, .. }) => {
                    current = Some((self.ctx.image(dest_url), String::new()));
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, alt)) = current.as_mut() {
                        alt.push_str(t);
                    }
                }
                End(TagEnd::Image) => {
                    let Some((src, alt)) = current.take() else {
                        continue;
                    };
                    let stem = src
                        .rsplit('/')
                        .next()
                        .unwrap_or(&src)
                        .trim_end_matches(".svg");
                    let caption = self.ctx.caption(stem).unwrap_or_else(|| alt.clone());
                    let number = self.figures.next(stem);
                    html.push_str(&format!(
                        r#"<figure id="figure-{number}"><img src="{}" alt="{}"><figcaption>Figure {number}. {}</figcaption></figure>"#,
                        super::layout::esc(&src),
                        super::layout::esc(&alt),
                        super::layout::esc(&caption)
                    ));
                }
                _ => {}
            }
        }
        html.push_str("</div>\n");
        self.out.push(Event::Html(html.into()));
        Ok(())
    }

    /// A code block: Rust highlighted like the source pages, anything else as it is.
    fn code_block(&mut self, kind: &CodeBlockKind, block: &[Spanned<'e>]) -> Result<(), At> {
        let rust = matches!(kind, CodeBlockKind::Fenced(lang) if lang.as_ref() == "rust");
        if !rust {
            self.out.extend(block.iter().map(|(e, _)| e.clone()));
            return Ok(());
        }
        let code: String = block
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        self.out.push(Event::Html(
            format!(
                "<pre><code class=\"language-rust\">{}</code></pre>\n",
                highlight_rust(&code)
            )
            .into(),
        ));
        Ok(())
    }

    /// The HTML of inline events (a heading's content).
    fn inline_html(&mut self, inner: &[Spanned<'e>]) -> Result<String, At> {
        let saved = std::mem::take(&mut self.out);
        for (e, range) in inner {
            self.inline(e.clone(), range.clone())?;
        }
        let events = std::mem::replace(&mut self.out, saved);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        Ok(html)
    }

    /// Any other event: formulas to MathML, links and images into the book.
    fn inline(&mut self, event: Event<'e>, range: Range<usize>) -> Result<(), At> {
        let after_dollar = matches!(&event, Event::Text(t) if t.ends_with('$'));
        let result = self.inline_event(event, range);
        self.after_dollar = after_dollar;
        result
    }

    fn inline_event(&mut self, event: Event<'e>, range: Range<usize>) -> Result<(), At> {
        let display = matches!(event, Event::DisplayMath(_));
        let event = match event {
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                self.formulas += 1;
                let mathml = math::to_mathml(&tex, display).map_err(|message| {
                    let delim = if display { "$$" } else { "$" };
                    (
                        range.start,
                        format!("cannot render {delim}{tex}{delim}: {message}"),
                    )
                })?;
                Event::InlineHtml(mathml.into())
            }
            Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match self.ctx.link(&dest_url, self.link_code.take().as_deref()) {
                Some(href) => Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                }),
                None => {
                    self.skip_link_end = true;
                    return Ok(());
                }
            },
            // The parser may split `$$` over two text events.
            Event::Text(t) if t.contains("$$") || (self.after_dollar && t.starts_with('$')) => {
                return Err((
                    range.start,
                    "a `$$` is left unpaired: the display formula is not closed".to_string(),
                ))
            }
            End(TagEnd::Link) if self.skip_link_end => {
                self.skip_link_end = false;
                return Ok(());
            }
            Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(self.ctx.image(&dest_url)),
                title,
                id,
            }),
            other => other,
        };
        self.out.push(event);
        Ok(())
    }
}

/// The text of an HTML fragment: tags dropped, the escapes of [`super::layout::esc`] undone,
/// runs of white space made one space.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context that keeps links, marks images and writes `[evidence of <claim>]`.
    struct Fake;

    impl Context for Fake {
        fn link(&mut self, dest: &str, code: Option<&str>) -> Option<String> {
            let at = code.map(|c| format!("@{c}")).unwrap_or_default();
            (!dest.ends_with('/')).then(|| format!("book:{dest}{at}"))
        }
        fn image(&mut self, src: &str) -> String {
            format!("img:{src}")
        }
        fn caption(&self, stem: &str) -> Option<String> {
            (stem == "b").then(|| "The tour's caption".to_string())
        }
        fn is_claim(&self, id: &str) -> bool {
            id.starts_with("c.")
        }
        fn evidence(&mut self, claim: &str, figures: &mut Figures) -> String {
            format!("[evidence of {claim}; figures so far {}]", figures.count)
        }
    }

    #[test]
    fn book_claim_sections_end_at_the_next_heading_of_their_level() {
        let md = "# Title\n\n## `c.one`: first\n\ntext $x^2$\n\n### detail\n\nmore\n\n## Other\n\n### `c.two`: nested\n\n$$\\frac{a}{b}$$\n\n## `c.three` last\n\n![A figure](figures/f.svg)\n";
        let mut figures = Figures {
            label: "3".into(),
            ..Figures::default()
        };
        let r = render(md, &mut figures, &mut Fake).unwrap();
        let b = &r.body;
        let at = |s: &str| b.find(s).unwrap_or_else(|| panic!("{s} not in {b}"));
        assert!(
            at("more") < at("[evidence of c.one") && at("[evidence of c.one") < at("id=\"other\"")
        );
        assert!(
            at("<mfrac>") < at("[evidence of c.two")
                && at("[evidence of c.two") < at("id=\"c.three\"")
        );
        assert!(at("Figure 3.1. A figure") < at("[evidence of c.three; figures so far 1]"));
        assert!(
            b.contains(r#"<h2 id="c.one"><span id="cone-first"></span>"#),
            "{b}"
        );
        assert_eq!(r.claims, ["c.one", "c.two", "c.three"]);
        assert_eq!(r.formulas, 2);
        assert!(!b.contains('$') && !b.contains("\\frac"), "{b}");
        let texts: Vec<&str> = r.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts[..3], ["Title", "c.one: first", "detail"]);
    }

    #[test]
    fn book_bad_formula_names_its_line_and_links_are_rewritten() {
        let md = "# T\n\nfine $a$\n\nbad $\\nosuch{x}$ here\n";
        let err = render(md, &mut Figures::default(), &mut Fake).unwrap_err();
        assert_eq!(err.line, 5, "{err:?}");
        assert!(err.message.contains("\\nosuch"), "{err:?}");
        let md = "# T\n\nok\n\n$$\nx\n+ y\n$$\n\nand $$ alone\n";
        let err = render(md, &mut Figures::default(), &mut Fake).unwrap_err();
        assert_eq!(err.line, 10, "{err:?}");
        let md = "# T\n\n$$\nx\n+ y\n\n- z\n$$\n\n`$$` in code\n";
        let r = render(md, &mut Figures::default(), &mut Fake).unwrap();
        assert!(
            !r.body.contains("<li>") && r.body.contains("<mo>+</mo>"),
            "{}",
            r.body
        );
        let md = "# T\n\n[`f`](../y.rs)\n";
        let r = render(md, &mut Figures::default(), &mut Fake).unwrap();
        assert!(r.body.contains(r#"href="book:../y.rs@f""#), "{}", r.body);
        let md = "# T\n\n[code](../x.rs) and [folder](../src/) and ![i](figures/a.svg)\n";
        let r = render(md, &mut Figures::default(), &mut Fake).unwrap();
        assert!(
            r.body.contains(r#"<a href="book:../x.rs">code</a>"#),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("folder") && !r.body.contains("../src/"),
            "{}",
            r.body
        );
        assert!(r.body.contains(r#"src="img:figures/a.svg""#), "{}", r.body);
        let md = "# T\n\n![alt a](figures/a.svg)\n![alt b](figures/b.svg)\n";
        let r = render(md, &mut Figures::default(), &mut Fake).unwrap();
        assert!(
            r.body.contains("Figure .1. alt a") && r.body.contains("Figure .2. The tour's caption"),
            "{}",
            r.body
        );
    }
}
