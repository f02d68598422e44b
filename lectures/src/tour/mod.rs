//! # The tour: every claim of the course, computed on the built-in data
//!
//! The tour runs each claim of `lectures/spec/claims.md` in notes order and collects its
//! **evidence**: numbers measured on real data (residuals, agreement between methods, KL
//! values, losses, quality metrics), each compared against a bound whose reason is written
//! beside it, plus the figures the notes show. `lectures tour` prints one line per claim and
//! writes the course book ([`crate::book`]) with the evidence beside each claim's derivation;
//! a failing check makes the command exit non-zero.
//!
//! ## The pieces
//! - [`Check`]: one measured number, a relation (`≤` or `≥`) to a bound, and why that bound.
//! - [`Figure`]: an SVG drawing with a file stem and a caption.
//! - [`Evidence`]: everything one claim produced: checks, figures, notes on the data used.
//! - [`Section`]: a claim id and the function that computes its evidence.
//! - [`Chapter`]: a notes chapter (file stem, title) and its sections in notes order.
//!
//! ## Adding a chapter
//! Write `lectures/src/tour/<name>.rs` exposing `pub const CHAPTER: Chapter` (copy any
//! existing chapter file as a template) and add `<name>` to the `chapters!` list below (one
//! line). The list declares the module and puts its chapter into [`chapters`] in the order
//! written, which must be the notes order. The autoencoders chapter was added this way, as
//! `autoencoders` after `networks`.

use linalg::observe::{ControlFlow, Observer};
use std::fmt;
use std::path::{Path, PathBuf};

/// Declares each chapter module and lists its `CHAPTER` in notes order (see "Adding a chapter").
macro_rules! chapters {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*
        /// The chapters of the tour, in notes order.
        pub fn chapters() -> Vec<&'static Chapter> {
            vec![$(&$module::CHAPTER),*]
        }
    };
}

chapters!(
    linear_algebra,
    pca_mds,
    autodiff,
    spectral,
    losses,
    networks,
    autoencoders
);

/// How a measured value must relate to its bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// value ≤ bound (errors, residuals, losses that must be small).
    AtMost,
    /// value ≥ bound (quality scores, decreases that must be large enough).
    AtLeast,
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Relation::AtMost => "≤",
            Relation::AtLeast => "≥",
        })
    }
}

/// One measured number held against a bound.
#[derive(Clone, Debug)]
pub struct Check {
    /// What was measured, e.g. `"‖A V − V Λ‖_F / ‖A‖_F"`.
    pub what: String,
    /// The measured value.
    pub value: f64,
    /// How the value must relate to the bound.
    pub relation: Relation,
    /// The bound.
    pub bound: f64,
    /// Why this bound (e.g. `"n·ε·‖A‖ with n = 150"`).
    pub why: String,
    /// Whether `value relation bound` holds (false for NaN: a NaN never passes).
    pub pass: bool,
}

impl Check {
    /// A check that `value ≤ bound` (or `≥`), with the reason for the bound.
    pub fn new(
        what: impl Into<String>,
        value: f64,
        relation: Relation,
        bound: f64,
        why: impl Into<String>,
    ) -> Check {
        let pass = match relation {
            Relation::AtMost => value <= bound,
            Relation::AtLeast => value >= bound,
        };
        Check {
            what: what.into(),
            value,
            relation,
            bound,
            why: why.into(),
            pass,
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {} {} {}",
            self.what,
            fmt_num(self.value),
            self.relation,
            fmt_num(self.bound)
        )
    }
}

/// Formats a number compactly: scientific for very small or large magnitudes.
pub fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 {
        "0".to_string()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{x:.2e}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    }
}

/// An SVG figure produced by a claim.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File name without extension, e.g. `"01-pca-iris"` (written as `<stem>.svg`).
    pub file_stem: String,
    /// One or two sentences saying what the figure shows.
    pub caption: String,
    /// The complete SVG document.
    pub svg: String,
}

/// Everything one claim produced.
#[derive(Clone, Debug)]
pub struct Evidence {
    /// The claim id, e.g. `"la.jacobi.converges"`.
    pub claim: &'static str,
    /// The measured numbers with their bounds.
    pub checks: Vec<Check>,
    /// Figures, written as SVG files beside the report.
    pub figures: Vec<Figure>,
    /// Remarks about the data used (e.g. "t-SNE on a 600-point subsample of digits").
    pub remarks: Vec<String>,
    /// An error that stopped the computation (the claim then fails).
    pub error: Option<String>,
}

impl Evidence {
    /// Empty evidence for `claim`.
    pub fn new(claim: &'static str) -> Evidence {
        Evidence {
            claim,
            checks: Vec::new(),
            figures: Vec::new(),
            remarks: Vec::new(),
            error: None,
        }
    }

    /// Records `value ≤ bound` with the reason for the bound.
    pub fn at_most(
        &mut self,
        what: impl Into<String>,
        value: f64,
        bound: f64,
        why: impl Into<String>,
    ) {
        self.checks
            .push(Check::new(what, value, Relation::AtMost, bound, why));
    }

    /// Records `value ≥ bound` with the reason for the bound.
    pub fn at_least(
        &mut self,
        what: impl Into<String>,
        value: f64,
        bound: f64,
        why: impl Into<String>,
    ) {
        self.checks
            .push(Check::new(what, value, Relation::AtLeast, bound, why));
    }

    /// Adds a figure.
    pub fn figure(
        &mut self,
        file_stem: impl Into<String>,
        caption: impl Into<String>,
        svg: String,
    ) {
        self.figures.push(Figure {
            file_stem: file_stem.into(),
            caption: caption.into(),
            svg,
        });
    }

    /// Adds a remark about the data or the method used.
    pub fn remark(&mut self, text: impl Into<String>) {
        self.remarks.push(text.into());
    }

    /// Records an error that stopped the computation; the claim fails.
    pub fn fail(&mut self, error: impl fmt::Display) {
        self.error = Some(error.to_string());
    }

    /// True when there was no error, at least one check, and every check passed.
    pub fn passed(&self) -> bool {
        self.error.is_none() && !self.checks.is_empty() && self.checks.iter().all(|c| c.pass)
    }

    /// One line: the checks joined by `; ` (or the error).
    pub fn summary(&self) -> String {
        if let Some(e) = &self.error {
            return format!("error: {e}");
        }
        if self.checks.is_empty() {
            return "no evidence computed".to_string();
        }
        self.checks
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A claim of a chapter and the function computing its evidence.
#[derive(Clone, Copy)]
pub struct Section {
    /// The claim id.
    pub claim: &'static str,
    /// Computes the evidence on the built-in data. Must be deterministic (seeded).
    pub run: fn() -> Evidence,
}

/// A notes chapter and its claims, in notes order.
pub struct Chapter {
    /// The notes file stem, e.g. `"00-linear-algebra"` (the registry's `chapter`).
    pub stem: &'static str,
    /// The chapter's title.
    pub title: &'static str,
    /// Its sections in the order the notes present them.
    pub sections: &'static [Section],
}

/// Which part of the tour to run.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only this chapter: a stem (`00-linear-algebra`), its number (`00`, `0`) or module-like
    /// name contained in the stem (`linear-algebra`).
    pub chapter: Option<String>,
    /// Only this claim id.
    pub claim: Option<String>,
}

impl Selection {
    /// True when `chapter` matches the chapter filter (or there is none).
    pub fn wants_chapter(&self, chapter: &Chapter) -> bool {
        match &self.chapter {
            None => true,
            Some(sel) => {
                let sel = sel.trim();
                let number = chapter.stem.split('-').next().unwrap_or("");
                let same_number = matches!(
                    (sel.parse::<u32>(), number.parse::<u32>()),
                    (Ok(a), Ok(b)) if a == b
                );
                chapter.stem == sel || same_number || (sel.len() >= 3 && chapter.stem.contains(sel))
            }
        }
    }

    /// True when `section` is selected.
    pub fn wants(&self, chapter: &Chapter, section: &Section) -> bool {
        self.wants_chapter(chapter) && self.claim.as_deref().is_none_or(|c| c == section.claim)
    }
}

/// The sections selected by `sel`, with their chapter, in notes order.
pub fn selected(sel: &Selection) -> Vec<(&'static Chapter, Section)> {
    let mut out = Vec::new();
    for ch in chapters() {
        for s in ch.sections {
            if sel.wants(ch, s) {
                out.push((ch, *s));
            }
        }
    }
    out
}

/// Runs `compute` on fresh evidence for `claim`; an error it returns is recorded and fails
/// the claim (so a section is written with `?` like ordinary code).
pub fn evidence(
    claim: &'static str,
    compute: impl FnOnce(&mut Evidence) -> Result<(), Box<dyn std::error::Error>>,
) -> Evidence {
    let mut ev = Evidence::new(claim);
    if let Err(e) = compute(&mut ev) {
        ev.fail(e);
    }
    ev
}

/// Machine epsilon, 2⁻⁵², the unit every tolerance of the tour is written in.
pub const EPS: f64 = f64::EPSILON;

/// ‖A‖_F.
pub(crate) fn fro(a: &linalg::Matrix) -> f64 {
    a.frobenius_norm()
}

/// A figure's scatter-plot SVG.
pub(crate) fn scatter(
    title: &str,
    points: &linalg::Matrix,
    colouring: dimred::plot::Colouring<'_>,
    legend: &str,
    axes: (&str, &str),
) -> String {
    dimred::plot::Scatter {
        title: title.to_string(),
        x_label: axes.0.to_string(),
        y_label: axes.1.to_string(),
        points,
        colouring,
        legend_title: legend.to_string(),
    }
    .to_svg()
}

/// One claim's result, as the report needs it.
pub struct Outcome {
    /// The chapter the claim belongs to.
    pub chapter: &'static Chapter,
    /// The evidence.
    pub evidence: Evidence,
    /// Wall-clock time of the computation.
    pub seconds: f64,
}

/// What the tour reports while it runs (the observer convention of [`linalg::observe`]).
pub enum TourEvent<'a> {
    /// A claim is about to run.
    Started {
        /// Its position in the run (1-based) and the number of claims selected.
        index: usize,
        /// The number of claims selected.
        total: usize,
        /// Its chapter.
        chapter: &'static Chapter,
        /// The claim id.
        claim: &'static str,
    },
    /// A claim finished.
    Finished {
        /// Its position in the run (1-based).
        index: usize,
        /// The number of claims selected.
        total: usize,
        /// Its result.
        outcome: &'a Outcome,
    },
}

/// Runs the selected sections in notes order, reporting each start and result to
/// `observer`; stops early when the observer breaks. The plain [`run`] reports with a
/// [`Reporter`] that draws nothing live.
pub fn run_observed(
    sel: &Selection,
    observer: &mut impl for<'a> Observer<TourEvent<'a>>,
) -> Vec<Outcome> {
    let todo = selected(sel);
    let total = todo.len();
    let mut outcomes = Vec::with_capacity(total);
    for (k, (chapter, section)) in todo.into_iter().enumerate() {
        let (index, claim) = (k + 1, section.claim);
        let started = TourEvent::Started {
            index,
            total,
            chapter,
            claim,
        };
        if observer.observe(&started).is_break() {
            break;
        }
        let start = std::time::Instant::now();
        let evidence = (section.run)();
        let seconds = start.elapsed().as_secs_f64();
        outcomes.push(Outcome {
            chapter,
            evidence,
            seconds,
        });
        let outcome = outcomes.last().expect("just pushed");
        let finished = TourEvent::Finished {
            index,
            total,
            outcome,
        };
        if observer.observe(&finished).is_break() {
            break;
        }
    }
    outcomes
}

/// The tour's report while it runs: plain lines to `out` (a heading per chapter, one line per
/// claim, `PASS`/`FAIL`, id, checks, then its remarks indented) and, when `live` (a terminal),
/// a transient `[k/n] claim` line on stderr while each claim runs. Stops the tour at the first
/// write error, which [`Reporter::finish`] returns.
pub struct Reporter<W> {
    out: W,
    bar: indicatif::ProgressBar,
    chapter: &'static str,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> Reporter<W> {
    /// A reporter writing to `out`, with the live line on stderr when `live`.
    pub fn new(out: W, live: bool) -> Self {
        let bar = if live {
            let bar = indicatif::ProgressBar::new(0);
            if let Ok(style) = indicatif::ProgressStyle::with_template("[{pos}/{len}] {msg} …") {
                bar.set_style(style);
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        Reporter {
            out,
            bar,
            chapter: "",
            error: None,
        }
    }

    /// Clears the live line; the first write error, if any.
    ///
    /// # Errors
    /// The I/O error that stopped the report.
    pub fn finish(self) -> std::io::Result<()> {
        self.bar.finish_and_clear();
        self.error.map_or(Ok(()), Err)
    }

    fn write(&mut self, event: &TourEvent<'_>) -> std::io::Result<()> {
        match event {
            TourEvent::Started {
                index,
                total,
                chapter,
                claim,
            } => {
                if chapter.stem != self.chapter {
                    self.chapter = chapter.stem;
                    let out = &mut self.out;
                    let heading = format!("\n## {} — {}", chapter.stem, chapter.title);
                    self.bar.suspend(|| writeln!(out, "{heading}"))?;
                }
                self.bar.set_length(*total as u64);
                self.bar.set_position(*index as u64);
                self.bar.set_message(*claim);
                Ok(())
            }
            TourEvent::Finished { outcome, .. } => {
                let (e, seconds) = (&outcome.evidence, outcome.seconds);
                let mark = if e.passed() { "PASS" } else { "FAIL" };
                let mut text = format!("{mark} {:<28} {}  ({seconds:.2} s)", e.claim, e.summary());
                for r in &e.remarks {
                    text.push_str(&format!("\n     {r}"));
                }
                let out = &mut self.out;
                self.bar.suspend(|| writeln!(out, "{text}"))
            }
        }
    }
}

impl<W: std::io::Write> Observer<TourEvent<'_>> for Reporter<W> {
    fn observe(&mut self, event: &TourEvent<'_>) -> ControlFlow<()> {
        match self.write(event) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }
}

/// Runs the selected sections in notes order and prints the plain report to `out`.
///
/// # Errors
/// Only I/O errors of `out`.
pub fn run(sel: &Selection, out: &mut impl std::io::Write) -> std::io::Result<Vec<Outcome>> {
    let mut reporter = Reporter::new(out, false);
    let outcomes = run_observed(sel, &mut reporter);
    reporter.finish().map(|()| outcomes)
}

/// The `lectures tour` command line (also `lectures run`).
#[derive(clap::Args, Debug, Clone)]
pub struct TourArgs {
    /// Run only this chapter or claim: a claim id (`dr.pca.svd`), a chapter stem
    /// (`01-pca-and-mds`) or number (`1`), or part of a chapter name (`spectral`).
    pub target: Option<String>,
    /// Run only this chapter (stem, number or part of its name).
    #[arg(long)]
    pub chapter: Option<String>,
    /// Run only this claim id.
    #[arg(long)]
    pub claim: Option<String>,
    /// The folder for the course book (`index.html`, the pages, figures, `evidence.json`).
    #[arg(long, default_value = "out/tour")]
    pub out: PathBuf,
    /// Also write every figure into this folder (e.g. `lectures/notes/figures` to refresh
    /// the figures the notes show).
    #[arg(long)]
    pub figures_into: Option<PathBuf>,
}

/// The repository root, as compiled in (the book reads the notes and sources there).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The claims the command line selects: `target` is a claim id when one matches, else a
/// chapter.
fn selection(args: &TourArgs) -> Selection {
    let mut sel = Selection {
        chapter: args.chapter.clone(),
        claim: args.claim.clone(),
    };
    if let Some(t) = &args.target {
        let is_claim = chapters()
            .iter()
            .any(|c| c.sections.iter().any(|s| s.claim == t));
        if is_claim {
            sel.claim = Some(t.clone());
        } else {
            sel.chapter = Some(t.clone());
        }
    }
    sel
}

/// Every figure of the run as `<stem>.svg` in `dir`.
fn write_figures(dir: &Path, outcomes: &[Outcome]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    outcomes
        .iter()
        .flat_map(|o| &o.evidence.figures)
        .try_for_each(|f| std::fs::write(dir.join(format!("{}.svg", f.file_stem)), &f.svg))
}

/// Runs the tour as the command line asks: prints one line per claim, writes the book with
/// the evidence and figures; exit code 1 when a claim fails (2 when nothing matched the
/// selection or the book could not be written).
pub fn cli(args: TourArgs) -> std::process::ExitCode {
    use std::io::IsTerminal;
    use std::process::ExitCode;
    let sel = selection(&args);
    let n = selected(&sel).len();
    if n == 0 {
        eprintln!(
            "error: no claim matches {:?}; `lectures list` shows the chapters and claims",
            args.target
                .as_deref()
                .or(args.claim.as_deref())
                .or(args.chapter.as_deref())
                .unwrap_or("")
        );
        return ExitCode::from(2);
    }
    let live = std::io::stderr().is_terminal() && std::io::stdout().is_terminal();
    println!("The tour: {n} claims in notes order, each computed on the built-in data.");
    let start = std::time::Instant::now();
    let mut reporter = Reporter::new(std::io::stdout().lock(), live);
    let outcomes = run_observed(&sel, &mut reporter);
    let outcomes = match reporter.finish().map(|()| outcomes) {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let total = start.elapsed().as_secs_f64();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.evidence.passed())
        .map(|o| o.evidence.claim)
        .collect();
    let book_start = std::time::Instant::now();
    let record = crate::book::evidence::TourRecord::from_outcomes(&outcomes, total);
    let index = match crate::book::write_tour_book(&record, &args.out) {
        Ok(built) => {
            crate::book::report(&built, book_start.elapsed().as_secs_f64());
            built.index
        }
        Err(e) => {
            eprintln!(
                "error: cannot write the book into {}: {e}",
                args.out.display()
            );
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &args.figures_into {
        if let Err(e) = write_figures(dir, &outcomes) {
            eprintln!("error: cannot write figures into {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    }
    let figures: usize = outcomes.iter().map(|o| o.evidence.figures.len()).sum();
    println!(
        "\n{} of {} claims pass ({} checks), {figures} figures, {total:.1} s. Book: {}",
        outcomes.len() - failed.len(),
        outcomes.len(),
        outcomes
            .iter()
            .map(|o| o.evidence.checks.len())
            .sum::<usize>(),
        index.display()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!("FAILED: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    /// The tour runs every claim of the registry's chapters 00–05 exactly once, each in the
    /// chapter the registry gives it, chapters in notes order (chapter 06 joins with its file).
    #[test]
    fn tour_covers_the_registry_in_notes_order() {
        let registry = Registry::embedded().unwrap();
        let stems: Vec<&str> = chapters().iter().map(|c| c.stem).collect();
        let mut sorted = stems.clone();
        sorted.sort();
        assert_eq!(stems, sorted, "chapters out of notes order");
        for c in &registry.claims {
            let found: Vec<&str> = chapters()
                .iter()
                .flat_map(|ch| ch.sections.iter().map(move |s| (ch.stem, s.claim)))
                .filter(|(_, id)| *id == c.id)
                .map(|(stem, _)| stem)
                .collect();
            if stems.contains(&c.chapter.as_str()) {
                assert_eq!(
                    found,
                    vec![c.chapter.as_str()],
                    "{}: in the tour once, in its chapter",
                    c.id
                );
            }
        }
    }

    #[test]
    fn tour_check_nan_never_passes_and_selection_matches() {
        assert!(!Check::new("x", f64::NAN, Relation::AtMost, 1.0, "").pass);
        assert!(!Check::new("x", f64::NAN, Relation::AtLeast, 1.0, "").pass);
        assert!(Check::new("x", 1.0, Relation::AtMost, 1.0, "").pass);
        let mut ev = Evidence::new("x");
        assert!(!ev.passed(), "no checks: no evidence");
        ev.at_most("a", 0.5, 1.0, "");
        assert!(ev.passed());
        ev.fail("boom");
        assert!(!ev.passed());
        let ch = chapters()[1];
        for sel in ["01-pca-and-mds", "1", "01", "pca"] {
            assert!(
                Selection {
                    chapter: Some(sel.into()),
                    claim: None
                }
                .wants_chapter(ch),
                "{sel}"
            );
        }
        assert!(!Selection {
            chapter: Some("2".into()),
            claim: None
        }
        .wants_chapter(ch));
    }
}
