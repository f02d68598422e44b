//! One progress display for every long computation of the commands: a bar on stderr when it
//! is a terminal, a plain line every tenth of the way when it is piped (a log keeps a trace,
//! no control characters), nothing at all when the run is quiet.

use crate::graph::GeodesicRows;
use crate::sketchmap::SketchMapIteration;
use crate::smacof::SmacofIteration;
use crate::tsne::TsneIteration;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use linalg::observe::{ControlFlow, Observer};
use std::io::{IsTerminal, Write};

/// A progress display of `total` steps. It is an [`Observer`] of the dimred methods' events
/// (t-SNE/SNE iterations, SMACOF and sketch-map iterations, Isomap's geodesic rows); any
/// other loop calls [`Progress::step`] from its own observer (a training epoch, say).
#[derive(Debug)]
pub struct Progress {
    label: String,
    total: u64,
    bar: Option<ProgressBar>,
    /// Piped: the next position at which a line is printed.
    next_line: u64,
    quiet: bool,
}

impl Progress {
    /// A display for `label` (e.g. "t-SNE") of `total` steps: a bar if stderr is a terminal,
    /// plain lines otherwise.
    pub fn new(label: &str, total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{prefix:>12} [{bar:40}] {pos}/{len} {msg} ({eta})")
            {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(label.to_string());
            bar
        });
        Progress {
            label: label.to_string(),
            total,
            bar,
            next_line: 0,
            quiet: false,
        }
    }

    /// A display that shows nothing (for `--quiet` runs and tests).
    pub fn hidden() -> Progress {
        Progress {
            quiet: true,
            ..Progress::new("", 0)
        }
    }

    /// Step `position` of `total` is done; `note` is the quantity worth seeing (a loss, a
    /// stress), if this step has one. Never asks to stop.
    pub fn step(&mut self, position: u64, note: Option<String>) -> ControlFlow<()> {
        if self.quiet {
            return ControlFlow::Continue(());
        }
        if let Some(bar) = &self.bar {
            bar.set_position(position);
            if let Some(n) = note {
                bar.set_message(n);
            }
        } else if position >= self.next_line || position == self.total {
            let note = note.map(|n| format!(" {n}")).unwrap_or_default();
            // A closed stderr is no reason to stop the computation.
            let _ = writeln!(
                std::io::stderr(),
                "{}: {position}/{}{note}",
                self.label,
                self.total
            );
            self.next_line = position + self.total.div_ceil(10).max(1);
        }
        ControlFlow::Continue(())
    }

    /// Remove the bar (the command's own output follows).
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer<TsneIteration<'_>> for Progress {
    fn observe(&mut self, e: &TsneIteration<'_>) -> ControlFlow<()> {
        let note = e.kl.map(|kl| format!("KL {kl:.4} ({:?})", e.phase));
        self.step(e.iteration as u64, note)
    }
}

impl Observer<SmacofIteration<'_>> for Progress {
    fn observe(&mut self, e: &SmacofIteration<'_>) -> ControlFlow<()> {
        self.step(e.iteration as u64, Some(format!("stress {:.6e}", e.stress)))
    }
}

impl Observer<SketchMapIteration<'_>> for Progress {
    fn observe(&mut self, e: &SketchMapIteration<'_>) -> ControlFlow<()> {
        self.step(e.iteration as u64, Some(format!("stress {:.6e}", e.stress)))
    }
}

impl Observer<GeodesicRows> for Progress {
    fn observe(&mut self, e: &GeodesicRows) -> ControlFlow<()> {
        self.step(e.done as u64, None)
    }
}
