//! # The course book: the notes as offline HTML, with every claim's evidence beside it
//!
//! The tour ([`crate::tour`]) writes the book into its `--out` folder (`out/tour` by
//! default): `index.html`, the course at a glance, then one page per notes chapter (in the
//! order of `lectures/notes/README.md`, the notation table included when listed), then the
//! evidence appendix. Each claim's section ends with its evidence block: the checks the tour
//! just measured, its figures (numbered per chapter), links to the exact lines of its code
//! and tests, and its exercises with the runner's commands. `lectures book` rebuilds the book
//! alone from the last tour's `evidence.json`.
//!
//! The folder is plain static files with relative links only: it can be zipped, moved and
//! opened from disk. Formulas are MathML (no script, no fonts); the one script is the search
//! box. Nothing is fetched from the network.
//!
//! ## The pieces (one file per concern)
//! - [`markdown`]: a notes chapter to HTML, claim sections closed by their evidence.
//! - [`math`]: TeX to MathML; a formula it cannot render stops the build with its line.
//! - [`source`] and [`highlight`]: read-only source pages with line anchors; a small Rust
//!   tokenizer colours them (syntect with its bundled grammars took 132 s wall, 60 s CPU to
//!   build from cold on this 2-core machine, pulldown-cmark and pulldown-latex together 23 s
//!   wall, 11 s CPU: the tokenizer is one short file).
//! - [`pages`]: the evidence block, the first page and the appendix.
//! - [`layout`]: the page frame (sidebar, previous/next, search box), the CSS and the script.
//! - [`search`]: the search index.
//! - [`evidence`]: the tour's evidence saved as JSON.

use crate::registry::{Claim, Registry};
use crate::runner::Exercise;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};

pub mod evidence;
pub mod highlight;
pub mod layout;
pub mod markdown;
pub mod math;
pub mod pages;
pub mod search;
pub mod source;

use evidence::TourRecord;
use layout::{esc, NavEntry, Page};
use markdown::{Figures, Rendered};

/// Where the notes live, relative to the repository root.
pub const NOTES_DIR: &str = "lectures/notes";

/// The book could not be built.
#[derive(Debug)]
pub enum BookError {
    /// A file could not be read or written.
    Io {
        /// The file (relative to the repository or the book folder).
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A notes chapter has a formula that does not render (or another defect).
    Notes {
        /// The chapter's file, relative to the repository root.
        file: String,
        /// The failure and its line.
        error: markdown::NotesError,
    },
    /// The registry is broken.
    Registry(String),
}

impl fmt::Display for BookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BookError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            BookError::Notes { file, error } => {
                write!(f, "{file}:{}: {}", error.line, error.message)
            }
            BookError::Registry(e) => write!(f, "the claim registry is broken: {e}"),
        }
    }
}

impl std::error::Error for BookError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BookError + '_ {
    move |source| BookError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a build wrote.
#[derive(Debug, Default)]
pub struct Built {
    /// The book's first page.
    pub index: PathBuf,
    /// Book pages (first page, chapters, appendix).
    pub pages: usize,
    /// Source pages.
    pub sources: usize,
    /// Formulas rendered to MathML.
    pub formulas: usize,
    /// Things the reader should know (a link to a folder dropped, a missing chapter…).
    pub warnings: Vec<String>,
}

/// The notes chapters to render, as file stems: the `.md` files that
/// `lectures/notes/README.md` links to, in its order; without a README, every `NN-*.md`
/// in name order, then `notation.md` if present.
pub fn chapter_stems(repo_root: &Path) -> Vec<String> {
    let dir = repo_root.join(NOTES_DIR);
    if let Ok(readme) = std::fs::read_to_string(dir.join("README.md")) {
        let mut stems = Vec::new();
        for part in readme.split("](").skip(1) {
            let target = part.split([')', '#']).next().unwrap_or("");
            if let Some(stem) = target.strip_suffix(".md") {
                let plain = !stem.contains('/') && stem != "README";
                if plain && !stems.iter().any(|s| s == stem) {
                    stems.push(stem.to_string());
                }
            }
        }
        if !stems.is_empty() {
            return stems;
        }
    }
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .filter(|s| s.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    stems.sort();
    if dir.join("notation.md").is_file() {
        stems.push("notation".into());
    }
    stems
}

/// Builds the book into `out` from the notes and sources under `repo_root` and the tour's
/// evidence (`None`: every claim notes that it has none yet). Existing files are overwritten;
/// nothing else in `out` is removed.
///
/// # Errors
/// A formula that does not render (with chapter and line), an unreadable notes chapter or
/// source file, or a file that cannot be written.
pub fn build(
    record: Option<&TourRecord>,
    repo_root: &Path,
    out: &Path,
) -> Result<Built, BookError> {
    let registry = Registry::embedded().map_err(|e| BookError::Registry(e.to_string()))?;
    let exercises = crate::runner::catalogue();
    let stems = chapter_stems(repo_root);
    let mut book = Builder {
        root: repo_root,
        registry: &registry,
        exercises: &exercises,
        record,
        stems: stems.iter().cloned().collect(),
        sources: BTreeSet::new(),
        texts: BTreeMap::new(),
        notes_figures: BTreeSet::new(),
        warnings: Vec::new(),
        page_of_claim: BTreeMap::new(),
    };
    let chapters = book.render_chapters(&stems)?;
    std::fs::create_dir_all(out.join("figures")).map_err(io(out))?;
    book.write_figures(out)?;
    let nav = navigation(&chapters);
    let mut entries = Vec::new();
    write_page(out, &nav, 0, &book.first_page(&chapters))?;
    for (k, (stem, r)) in chapters.iter().enumerate() {
        let page = Page {
            title: markdown::plain_text(&nav[k + 1].title),
            heading: String::new(),
            body: r.body.clone(),
        };
        write_page(out, &nav, k + 1, &page)?;
        entries.extend(book.search_entries(&format!("{stem}.html"), &page.title, r));
    }
    let last = nav.len() - 1;
    write_page(out, &nav, last, &book.appendix())?;
    entries.push(search::Entry {
        text: "Evidence appendix: every number the tour measured".into(),
        href: "evidence.html".into(),
        page: "Appendix".into(),
    });
    let sources = book.write_sources(out)?;
    for (name, text) in [
        ("book.css", layout::STYLE.to_string()),
        ("book.js", layout::SCRIPT.to_string()),
        ("search-index.js", search::script(&entries)),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(Built {
        index: out.join("index.html"),
        pages: nav.len(),
        sources,
        formulas: chapters.iter().map(|(_, r)| r.formulas).sum(),
        warnings: book.warnings,
    })
}

/// The sidebar: the first page, each chapter with its `##` sections, the appendix.
fn navigation(chapters: &[(String, Rendered)]) -> Vec<NavEntry> {
    let mut nav = vec![NavEntry {
        file: "index.html".into(),
        title: "The course at a glance".into(),
        sections: Vec::new(),
    }];
    for (stem, r) in chapters {
        let title = r
            .headings
            .iter()
            .find(|h| h.level == 1)
            .map_or_else(|| esc(stem), |h| h.html.clone());
        let sections = r
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| (h.id.clone(), h.html.clone()))
            .collect();
        nav.push(NavEntry {
            file: format!("{stem}.html"),
            title,
            sections,
        });
    }
    nav.push(NavEntry {
        file: "evidence.html".into(),
        title: "Appendix: the evidence".into(),
        sections: Vec::new(),
    });
    nav
}

fn write_page(out: &Path, nav: &[NavEntry], k: usize, page: &Page) -> Result<(), BookError> {
    let path = out.join(&nav[k].file);
    std::fs::write(&path, layout::book_page(nav, k, page)).map_err(io(&path))
}

/// The state of one build: what it read and what it must still write.
struct Builder<'a> {
    root: &'a Path,
    registry: &'a Registry,
    exercises: &'a [Exercise],
    record: Option<&'a TourRecord>,
    /// The chapters' file stems.
    stems: BTreeSet<String>,
    /// Repository files that get a source page.
    sources: BTreeSet<String>,
    /// Source texts read so far, by repository path.
    texts: BTreeMap<String, Option<String>>,
    /// Files of `lectures/notes/figures/` the notes show.
    notes_figures: BTreeSet<String>,
    warnings: Vec<String>,
    /// The page holding each claim's section.
    page_of_claim: BTreeMap<String, String>,
}

impl Builder<'_> {
    /// Renders every chapter; a claim of the chapter whose heading the notes lack gets a
    /// section of its own at the end (with a warning), so that every claim has its anchor.
    fn render_chapters(&mut self, stems: &[String]) -> Result<Vec<(String, Rendered)>, BookError> {
        let mut chapters = Vec::new();
        for stem in stems {
            let file = format!("{NOTES_DIR}/{stem}.md");
            let Ok(text) = std::fs::read_to_string(self.root.join(&file)) else {
                self.warnings
                    .push(format!("{file} is listed in the notes README but missing"));
                continue;
            };
            let mut figures = Figures {
                label: chapter_label(stem),
                ..Figures::default()
            };
            let mut r =
                markdown::render(&text, &mut figures, self).map_err(|error| BookError::Notes {
                    file: file.clone(),
                    error,
                })?;
            let registry = self.registry;
            let missing: Vec<&Claim> = registry
                .claims
                .iter()
                .filter(|c| &c.chapter == stem && !r.claims.contains(&c.id))
                .collect();
            for c in missing {
                self.warnings.push(format!(
                    "{file} has no heading naming `{}`; its evidence goes at the chapter's end",
                    c.id
                ));
                r.body.push_str(&format!(
                    "<h2 id=\"{id}\"><code>{id}</code></h2>\n{}",
                    self.evidence_html(c, &mut figures),
                    id = esc(&c.id)
                ));
                r.claims.push(c.id.clone());
            }
            for c in &r.claims {
                self.page_of_claim
                    .insert(c.clone(), format!("{stem}.html#{c}"));
            }
            chapters.push((stem.clone(), r));
        }
        Ok(chapters)
    }

    /// The text of a repository file, read once.
    fn text(&mut self, path: &str) -> Option<&str> {
        let root = self.root;
        self.texts
            .entry(path.to_string())
            .or_insert_with(|| std::fs::read_to_string(root.join(path)).ok())
            .as_deref()
    }

    /// A link to a registry entry `file::Item::item`, at the item's line in its source page.
    fn item_link(&mut self, entry: &str) -> String {
        let mut parts = entry.split("::");
        let file = parts.next().unwrap_or(entry).to_string();
        let segments: Vec<&str> = parts.collect();
        let label = format!("<code>{}</code>", esc(entry));
        let Some(text) = self.text(&file) else {
            self.warnings
                .push(format!("{entry}: cannot read {file}; shown without a link"));
            return label;
        };
        let line = source::item_line(text, &segments);
        self.sources.insert(file.clone());
        let fragment = match line {
            Some(n) => format!("#L{n}"),
            None if segments.is_empty() => String::new(),
            None => {
                self.warnings
                    .push(format!("{entry}: item not found; linked to the file's top"));
                String::new()
            }
        };
        format!(
            r#"<a href="{}{fragment}">{label}</a>"#,
            esc(&source::page_path(&file))
        )
    }

    /// The evidence block of claim `c`.
    fn evidence_html(&mut self, c: &Claim, figures: &mut Figures) -> String {
        let code = c.code.iter().map(|e| self.item_link(e)).collect();
        let tests = c.tests.iter().map(|e| self.item_link(e)).collect();
        let exercises = self
            .exercises
            .iter()
            .filter(|ex| ex.claim == c.id)
            .map(|ex| {
                let link = self.item_link(&ex.file());
                (ex, link)
            })
            .collect();
        let links = pages::ClaimLinks {
            claim: c,
            code,
            tests,
            exercises,
        };
        let record = self.record.and_then(|r| r.get(&c.id));
        pages::evidence_block(&links, record, figures)
    }

    /// Copies the notes' figures, then writes the tour's (which replace a notes figure of
    /// the same name: the book shows this run's drawing).
    fn write_figures(&self, out: &Path) -> Result<(), BookError> {
        for name in &self.notes_figures {
            let from = self.root.join(NOTES_DIR).join("figures").join(name);
            let to = out.join("figures").join(name);
            std::fs::copy(&from, &to).map_err(io(&from))?;
        }
        for c in self.record.iter().flat_map(|r| &r.claims) {
            for f in &c.figures {
                let to = out.join("figures").join(format!("{}.svg", f.file_stem));
                std::fs::write(&to, &f.svg).map_err(io(&to))?;
            }
        }
        Ok(())
    }

    /// Writes a source page for every file linked; returns how many.
    fn write_sources(&mut self, out: &Path) -> Result<usize, BookError> {
        let files: Vec<String> = self.sources.iter().cloned().collect();
        for file in &files {
            let Some(text) = self.text(file).map(str::to_string) else {
                continue;
            };
            let page_path = source::page_path(file);
            let depth = page_path.matches('/').count();
            let html = layout::source_page(&source::render(file, &text), &"../".repeat(depth));
            let path = out.join(&page_path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir))?;
            }
            std::fs::write(&path, html).map_err(io(&path))?;
        }
        Ok(files.len())
    }

    /// The first page, with every chapter's claims.
    fn first_page(&self, chapters: &[(String, Rendered)]) -> Page {
        let glance: Vec<pages::GlanceChapter> = chapters
            .iter()
            .map(|(stem, r)| pages::GlanceChapter {
                file: format!("{stem}.html"),
                title: r
                    .headings
                    .iter()
                    .find(|h| h.level == 1)
                    .map_or_else(|| esc(stem), |h| h.html.clone()),
                claims: r
                    .claims
                    .iter()
                    .filter_map(|id| self.registry.get(id))
                    .collect(),
            })
            .collect();
        Page {
            title: "Dimension reduction and autoencoders: the course book".into(),
            heading: "Dimension reduction and autoencoders".into(),
            body: pages::first_page(self.record, &glance),
        }
    }

    /// The evidence appendix.
    fn appendix(&self) -> Page {
        let claims: Vec<&Claim> = self.registry.claims.iter().collect();
        let section_of = |id: &str| {
            self.page_of_claim
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("#all-{id}"))
        };
        Page {
            title: "Appendix: the evidence".into(),
            heading: "Appendix: the evidence".into(),
            body: pages::appendix(self.record, &claims, &section_of),
        }
    }

    /// The search entries of a chapter page: its title, its `##`/`###` headings, and its
    /// claims as `id: title`.
    fn search_entries(&self, file: &str, page: &str, r: &Rendered) -> Vec<search::Entry> {
        let entry = |text: String, href: String| search::Entry {
            text,
            href,
            page: page.to_string(),
        };
        let mut entries = vec![entry(page.to_string(), file.to_string())];
        for h in r.headings.iter().filter(|h| h.level == 2 || h.level == 3) {
            let text = match self.registry.get(&h.id) {
                Some(c) => format!("{}: {}", c.id, c.title),
                None => h.text.clone(),
            };
            entries.push(entry(text, format!("{file}#{}", h.id)));
        }
        entries
    }
}

impl markdown::Context for Builder<'_> {
    fn link(&mut self, dest: &str, code: Option<&str>) -> Option<String> {
        if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
            return Some(dest.to_string());
        }
        let (path, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let Some(repo_path) = normalise(&format!("{NOTES_DIR}/{path}")) else {
            self.warnings
                .push(format!("link {dest} leaves the repository; dropped"));
            return None;
        };
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        if let Some(stem) = repo_path
            .strip_prefix(&format!("{NOTES_DIR}/"))
            .and_then(|f| f.strip_suffix(".md"))
        {
            if self.stems.contains(stem) {
                return Some(format!("{stem}.html{fragment}"));
            }
            if stem == "README" {
                return Some(format!("index.html{fragment}"));
            }
        }
        if !self.root.join(&repo_path).is_file() {
            self.warnings.push(format!(
                "link {dest} is not a file of the repository; shown as text"
            ));
            return None;
        }
        self.sources.insert(repo_path.clone());
        // Only line anchors exist on a source page; a link whose text names an item
        // (`Tape::backward`, not `tape.rs`) goes to the line declaring it.
        let line = fragment
            .strip_prefix("#L")
            .is_some_and(|n| n.parse::<usize>().is_ok());
        let item = code.filter(|c| !c.ends_with(".rs") && !c.contains(['/', ' ', '(']));
        let fragment = match item {
            _ if line => fragment,
            Some(item) if repo_path.ends_with(".rs") => {
                let segments: Vec<&str> = item.split("::").collect();
                self.text(&repo_path)
                    .and_then(|t| source::item_line(t, &segments))
                    .map_or_else(String::new, |n| format!("#L{n}"))
            }
            _ => String::new(),
        };
        Some(format!("{}{fragment}", source::page_path(&repo_path)))
    }

    fn image(&mut self, src: &str) -> String {
        let name = src.strip_prefix("figures/").unwrap_or(src);
        if !name.contains('/')
            && self
                .root
                .join(NOTES_DIR)
                .join("figures")
                .join(name)
                .is_file()
        {
            self.notes_figures.insert(name.to_string());
        } else {
            self.warnings
                .push(format!("image {src} is not in {NOTES_DIR}/figures"));
        }
        format!("figures/{name}")
    }

    fn caption(&self, stem: &str) -> Option<String> {
        let figures = self
            .record
            .iter()
            .flat_map(|r| &r.claims)
            .flat_map(|c| &c.figures);
        figures
            .filter(|f| f.file_stem == stem)
            .map(|f| f.caption.clone())
            .next()
    }

    fn is_claim(&self, id: &str) -> bool {
        self.registry.get(id).is_some()
    }

    fn evidence(&mut self, claim: &str, figures: &mut Figures) -> String {
        let registry = self.registry;
        match registry.get(claim) {
            Some(c) => self.evidence_html(c, figures),
            None => String::new(),
        }
    }
}

/// The label of a chapter's figures: its number without leading zeros (`03-…` → `3`), or
/// its stem.
fn chapter_label(stem: &str) -> String {
    let number = stem.split('-').next().unwrap_or(stem);
    number
        .parse::<u32>()
        .map_or_else(|_| stem.to_string(), |n| n.to_string())
}

/// `a/b/../c` → `a/c`; `None` if the path climbs out of the repository or is absolute.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// Writes the tour's evidence to `out/evidence.json` and builds the book from it there.
///
/// # Errors
/// As [`build`], and when `evidence.json` cannot be written.
pub fn write_tour_book(record: &TourRecord, out: &Path) -> Result<Built, BookError> {
    std::fs::create_dir_all(out).map_err(io(out))?;
    let path = out.join(evidence::FILE);
    record.save(&path).map_err(io(&path))?;
    build(Some(record), &crate::tour::repo_root(), out)
}

/// The `lectures book` command line.
#[derive(clap::Args, Debug, Clone)]
pub struct BookArgs {
    /// The book's folder; the evidence is read from its `evidence.json`, as the last tour
    /// into this folder wrote it.
    #[arg(long, default_value = "out/tour")]
    pub out: PathBuf,
    /// Read the evidence from this file instead.
    #[arg(long)]
    pub evidence: Option<PathBuf>,
}

/// Prints the build's warnings and a one-line summary.
pub fn report(built: &Built, seconds: f64) {
    for w in &built.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "Book: {} ({} pages, {} source pages, {} formulas, built in {seconds:.2} s)",
        built.index.display(),
        built.pages,
        built.sources,
        built.formulas
    );
}

/// `lectures book`: rebuilds the book from the last tour's evidence (or without evidence,
/// saying so on every claim). Exit code 1 when the book cannot be built.
pub fn cli(args: BookArgs) -> std::process::ExitCode {
    use std::process::ExitCode;
    let path = args
        .evidence
        .clone()
        .unwrap_or_else(|| args.out.join(evidence::FILE));
    let record = if path.is_file() {
        match TourRecord::load(&path) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        println!(
            "No evidence at {}: every claim says it has none yet. `{}` computes it.",
            path.display(),
            pages::TOUR_COMMAND
        );
        None
    };
    let start = std::time::Instant::now();
    match build(record.as_ref(), &crate::tour::repo_root(), &args.out) {
        Ok(built) => {
            report(&built, start.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: the book was not built: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_paths_normalise_and_chapters_are_labelled() {
        assert_eq!(
            normalise("lectures/notes/../../linalg/src/jacobi.rs").as_deref(),
            Some("linalg/src/jacobi.rs")
        );
        assert_eq!(normalise("lectures/notes/../../../etc"), None);
        assert_eq!(chapter_label("03-spectral-and-kernel"), "3");
        assert_eq!(chapter_label("notation"), "notation");
    }
}
