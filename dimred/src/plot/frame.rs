//! The frame every plot is drawn in ([`Lines`](super::Lines), [`Histogram`](super::Histogram),
//! [`Scatter`](super::Scatter)): title, axis labels, ticks and grid, the mapping from data to
//! pixels, and a legend placed in the corner where it hides the fewest data pixels.

use super::{escape, nice_ticks};
use std::fmt::Write;

/// The page around the plot area: its size, the margins (room for the tick labels, the axis
/// labels and, for a scatter plot, the legend column on the right), and whether the ticks get
/// short black marks outside the frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// Left, right, top, bottom, in pixels.
    pub(crate) margins: (f64, f64, f64, f64),
    pub(crate) tick_marks: bool,
}

impl Layout {
    /// Curves and histograms: 760 x 480, the legend inside the plot area.
    pub(crate) const PLOT: Layout = Layout {
        width: 760.0,
        height: 480.0,
        margins: (85.0, 25.0, 50.0, 65.0),
        tick_marks: false,
    };
    /// Scatter plots: 800 x 560, a 170 px column right of the plot for the legend.
    pub(crate) const SCATTER: Layout = Layout {
        width: 800.0,
        height: 560.0,
        margins: (80.0, 170.0, 50.0, 65.0),
        tick_marks: true,
    };
}

/// A plot frame: title, axis labels, ticks and grid, and the mapping from data to pixels.
pub(crate) struct Frame {
    pub(crate) svg: String,
    x: (f64, f64),
    y: (f64, f64),
    log_x: bool,
    log_y: bool,
    // Plot area in pixels: left, top, width, height.
    pub(crate) area: (f64, f64, f64, f64),
    // Pixels covered by data, so the legend can go where it hides the least.
    pub(crate) occupied: Vec<(f64, f64)>,
}

impl Frame {
    /// A frame in the [`Layout::PLOT`] layout.
    pub(crate) fn new(
        title: &str,
        x_label: &str,
        y_label: &str,
        x: (f64, f64),
        y: (f64, f64),
        (log_x, log_y): (bool, bool),
    ) -> Frame {
        Frame::in_layout(Layout::PLOT, title, x_label, y_label, x, y, (log_x, log_y))
    }

    /// The SVG header, the title and axis labels, the ticks with their grid lines, the frame,
    /// and the clip path `frame-area` for the data.
    pub(crate) fn in_layout(
        layout: Layout,
        title: &str,
        x_label: &str,
        y_label: &str,
        x: (f64, f64),
        y: (f64, f64),
        (log_x, log_y): (bool, bool),
    ) -> Frame {
        let (w, h) = (layout.width, layout.height);
        let (ml, mr, mt, mb) = layout.margins;
        let area = (ml, mt, w - ml - mr, h - mt - mb);
        let mut f = Frame {
            svg: String::new(),
            x,
            y,
            log_x,
            log_y,
            area,
            occupied: Vec::new(),
        };
        let (l, t, pw, ph) = area;
        let _ = writeln!(
            f.svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">"#
        );
        let _ = writeln!(f.svg, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
        let _ = writeln!(
            f.svg,
            r#"<text x="{:.1}" y="28" text-anchor="middle" font-size="16" font-weight="bold">{}</text>"#,
            l + pw / 2.0,
            escape(title)
        );
        let _ = writeln!(
            f.svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="14">{}</text>"#,
            l + pw / 2.0,
            h - 18.0,
            escape(x_label)
        );
        let _ = writeln!(
            f.svg,
            r#"<text x="20" y="{:.1}" text-anchor="middle" font-size="14" transform="rotate(-90 20 {:.1})">{}</text>"#,
            t + ph / 2.0,
            t + ph / 2.0,
            escape(y_label)
        );
        f.write_ticks(layout.tick_marks);
        let _ = writeln!(
            f.svg,
            r#"<rect x="{l}" y="{t}" width="{pw}" height="{ph}" fill="none" stroke="black"/>"#
        );
        let _ = writeln!(
            f.svg,
            r#"<clipPath id="frame-area"><rect x="{l}" y="{t}" width="{pw}" height="{ph}"/></clipPath>"#
        );
        f
    }

    /// Grid lines at the ticks, their labels, and (if asked) 5 px black marks outside.
    fn write_ticks(&mut self, tick_marks: bool) {
        let (l, t, pw, ph) = self.area;
        for (v, label) in self.x_ticks() {
            let px = self.sx(v);
            let mark = if tick_marks {
                format!(
                    r#"<line x1="{px:.1}" y1="{:.1}" x2="{px:.1}" y2="{:.1}" stroke="black"/>"#,
                    t + ph,
                    t + ph + 5.0
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                self.svg,
                r##"<line x1="{px:.1}" y1="{t}" x2="{px:.1}" y2="{:.1}" stroke="#e6e6e6"/>{mark}<text x="{px:.1}" y="{:.1}" text-anchor="middle">{label}</text>"##,
                t + ph,
                t + ph + 20.0
            );
        }
        for (v, label) in self.y_ticks() {
            let py = self.sy(v);
            let mark = if tick_marks {
                format!(
                    r#"<line x1="{:.1}" y1="{py:.1}" x2="{l}" y2="{py:.1}" stroke="black"/>"#,
                    l - 5.0
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                self.svg,
                r##"<line x1="{l}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#e6e6e6"/>{mark}<text x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"##,
                l + pw,
                l - 8.0,
                py + 4.5
            );
        }
    }

    /// The x ticks and their labels: 1, 2 and 5 times the powers of ten on a log axis
    /// (500, 1000, 2000, …), else "nice" steps.
    fn x_ticks(&self) -> Vec<(f64, String)> {
        if self.log_x {
            let (a, b) = (
                self.x.0.log10().floor() as i32,
                self.x.1.log10().ceil() as i32,
            );
            (a..=b)
                .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
                .filter(|v| (self.x.0..=self.x.1).contains(v))
                .map(|v| (v, format!("{v}")))
                .collect()
        } else {
            let (xt, xd) = nice_ticks(self.x.0, self.x.1, 6);
            xt.into_iter().map(|v| (v, format!("{v:.xd$}"))).collect()
        }
    }

    /// The y ticks and their labels: powers of ten on a log axis, else "nice" steps.
    fn y_ticks(&self) -> Vec<(f64, String)> {
        if self.log_y {
            let (a, b) = (
                self.y.0.log10().ceil() as i32,
                self.y.1.log10().floor() as i32,
            );
            // At most about 8 labelled decades: every k-th power of ten.
            let k = ((b - a + 1) as usize).div_ceil(8).max(1);
            (a..=b)
                .step_by(k)
                .map(|e| (10f64.powi(e), format!("1e{e}")))
                .collect()
        } else {
            let (yt, yd) = nice_ticks(self.y.0, self.y.1, 6);
            yt.into_iter().map(|v| (v, format!("{v:.yd$}"))).collect()
        }
    }

    pub(crate) fn sx(&self, x: f64) -> f64 {
        let (v, lo, hi) = if self.log_x {
            (x.log10(), self.x.0.log10(), self.x.1.log10())
        } else {
            (x, self.x.0, self.x.1)
        };
        self.area.0 + (v - lo) / (hi - lo) * self.area.2
    }

    pub(crate) fn sy(&self, y: f64) -> f64 {
        let (v, lo, hi) = if self.log_y {
            (y.log10(), self.y.0.log10(), self.y.1.log10())
        } else {
            (y, self.y.0, self.y.1)
        };
        self.area.1 + self.area.3 - (v - lo) / (hi - lo) * self.area.3
    }

    /// Record the pixels of the segment from `a` to `b` (every 8 px) as covered by data.
    pub(crate) fn occupy_segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        let steps = ((b.0 - a.0).hypot(b.1 - a.1) / 8.0).ceil().max(1.0) as usize;
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            self.occupied
                .push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }

    /// A legend box in the corner of the plot area that hides the fewest data pixels (top
    /// right on a tie): a swatch and a text per entry (dashed swatch for dashed lines). Its
    /// width follows the longest text (about 7.5 px per character at 13 px), so nothing is
    /// clipped.
    pub(crate) fn legend(&mut self, entries: &[(&str, &str, bool)]) {
        if entries.is_empty() {
            return;
        }
        let longest = entries
            .iter()
            .map(|e| e.1.chars().count())
            .max()
            .unwrap_or(0) as f64;
        let bw = 42.0 + 7.5 * longest;
        let bh = 8.0 + 20.0 * entries.len() as f64;
        let (l, t, pw, ph) = self.area;
        let corners = [
            (l + pw - bw - 8.0, t + 8.0),
            (l + 8.0, t + 8.0),
            (l + pw - bw - 8.0, t + ph - bh - 8.0),
            (l + 8.0, t + ph - bh - 8.0),
        ];
        let hidden = |&(x, y): &(f64, f64)| {
            self.occupied
                .iter()
                .filter(|p| p.0 >= x && p.0 <= x + bw && p.1 >= y && p.1 <= y + bh)
                .count()
        };
        // min_by_key keeps the first of equal minima: top right wins ties.
        let (x, y) = *corners
            .iter()
            .min_by_key(|c| hidden(c))
            .expect("four corners");
        let _ = writeln!(
            self.svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" fill="white" fill-opacity="0.9" stroke="#999"/>"##
        );
        for (k, (colour, text, dashed)) in entries.iter().enumerate() {
            let cy = y + 18.0 + 20.0 * k as f64;
            let dash = if *dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            let _ = writeln!(
                self.svg,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="4"{dash}/><text x="{:.1}" y="{:.1}">{}</text>"#,
                x + 8.0,
                cy - 4.5,
                x + 30.0,
                cy - 4.5,
                x + 36.0,
                cy,
                escape(text)
            );
        }
    }

    pub(crate) fn finish(mut self) -> String {
        self.svg.push_str("</svg>\n");
        self.svg
    }
}
