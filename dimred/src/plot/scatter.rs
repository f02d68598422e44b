//! A scatter plot of a 2-D embedding: axes with ticks, axis labels, a title, points coloured
//! by class label (with a legend titled by the label column) or by a continuous value (with a
//! colour bar), 800 x 560 px with the legend in a column right of the plot.
//!
//! It keeps its own frame rather than [`Frame`](super::frame::Frame)'s (tick marks, a legend
//! column outside the plot area instead of a box inside it): the committed figures of the
//! notes are drawn by it, byte for byte.

use super::palette::{class_colour, viridis};
use super::{escape, nice_ticks, padded_range};
use linalg::Matrix;
use std::fmt::Write;

/// How the points are coloured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Colouring<'a> {
    /// One colour.
    None,
    /// One colour per distinct label, with a legend.
    Labels(&'a [String]),
    /// A colour scale (viridis) over the values, with a colour bar, e.g. the swiss roll's t.
    Values(&'a [f64]),
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter<'a> {
    /// Title above the plot.
    pub title: String,
    /// Horizontal axis label.
    pub x_label: String,
    /// Vertical axis label.
    pub y_label: String,
    /// Points: column 0 is x, column 1 is y (a single column is drawn against the row index).
    pub points: &'a Matrix,
    /// Colours.
    pub colouring: Colouring<'a>,
    /// Title of the colour legend: the label column's name ("species"), or what the values
    /// are ("t").
    pub legend_title: String,
}

/// Labels in display order: numerically if they all parse as numbers, else alphabetically.
fn distinct_labels(labels: &[String]) -> Vec<String> {
    let mut u: Vec<String> = labels.to_vec();
    u.sort();
    u.dedup();
    if u.iter().all(|l| l.parse::<f64>().is_ok()) {
        u.sort_by(|a, b| {
            a.parse::<f64>()
                .unwrap_or(0.0)
                .total_cmp(&b.parse::<f64>().unwrap_or(0.0))
        });
    }
    u
}

/// The plot area in pixels and the data ranges it shows.
struct Geometry {
    left: f64,
    top: f64,
    pw: f64,
    ph: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Geometry {
    fn sx(&self, x: f64) -> f64 {
        self.left + (x - self.x.0) / (self.x.1 - self.x.0) * self.pw
    }

    fn sy(&self, y: f64) -> f64 {
        self.top + self.ph - (y - self.y.0) / (self.y.1 - self.y.0) * self.ph
    }
}

const W: f64 = 800.0;
const H: f64 = 560.0;

impl Scatter<'_> {
    /// The plot as an SVG document (800 x 560 px).
    ///
    /// # Panics
    /// If `points` has no columns, or the colouring does not have one entry per point.
    #[track_caller]
    pub fn to_svg(&self) -> String {
        self.check_shapes();
        let n = self.points.nrows();
        let xs: Vec<f64> = self.points.col(0);
        let ys: Vec<f64> = if self.points.ncols() >= 2 {
            self.points.col(1)
        } else {
            (0..n).map(|i| i as f64).collect()
        };
        let (left, right, top, bottom) = (80.0, 170.0, 50.0, 65.0);
        let g = Geometry {
            left,
            top,
            pw: W - left - right,
            ph: H - top - bottom,
            x: padded_range(xs.iter().copied()),
            y: padded_range(ys.iter().copied()),
        };
        let classes = match self.colouring {
            Colouring::Labels(l) => distinct_labels(l),
            _ => Vec::new(),
        };
        let values = match self.colouring {
            Colouring::Values(v) => (
                v.iter().copied().fold(f64::INFINITY, f64::min),
                v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ),
            _ => (0.0, 1.0),
        };
        let mut s = String::new();
        self.write_axes(&mut s, &g);
        self.write_points(&mut s, &g, &xs, &ys, &classes, values);
        self.write_legend(&mut s, &g, &classes, values);
        s.push_str("</svg>\n");
        s
    }

    #[track_caller]
    fn check_shapes(&self) {
        let n = self.points.nrows();
        assert!(
            self.points.ncols() >= 1,
            "Scatter::to_svg: no columns to plot"
        );
        let (what, len) = match self.colouring {
            Colouring::Labels(l) => ("labels", l.len()),
            Colouring::Values(v) => ("values", v.len()),
            Colouring::None => return,
        };
        assert_eq!(len, n, "Scatter::to_svg: {len} {what} for {n} points");
    }

    /// Header, title, grid lines with ticks and their labels, the frame and the axis labels.
    fn write_axes(&self, s: &mut String, g: &Geometry) {
        let (left, top, pw, ph) = (g.left, g.top, g.pw, g.ph);
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">"#
        );
        let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="28" text-anchor="middle" font-size="16" font-weight="bold">{}</text>"#,
            left + pw / 2.0,
            escape(&self.title)
        );
        let (xt, xd) = nice_ticks(g.x.0, g.x.1, 6);
        for &t in &xt {
            let px = g.sx(t);
            let _ = writeln!(
                s,
                r##"<line x1="{px:.1}" y1="{top}" x2="{px:.1}" y2="{:.1}" stroke="#e6e6e6"/><line x1="{px:.1}" y1="{:.1}" x2="{px:.1}" y2="{:.1}" stroke="black"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{:.*}</text>"##,
                top + ph,
                top + ph,
                top + ph + 5.0,
                top + ph + 20.0,
                xd,
                t
            );
        }
        let (yt, yd) = nice_ticks(g.y.0, g.y.1, 6);
        for &t in &yt {
            let py = g.sy(t);
            let _ = writeln!(
                s,
                r##"<line x1="{left}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#e6e6e6"/><line x1="{:.1}" y1="{py:.1}" x2="{left}" y2="{py:.1}" stroke="black"/><text x="{:.1}" y="{:.1}" text-anchor="end">{:.*}</text>"##,
                left + pw,
                left - 5.0,
                left - 8.0,
                py + 4.5,
                yd,
                t
            );
        }
        let _ = writeln!(
            s,
            r#"<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="black"/>"#
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="14">{}</text>"#,
            left + pw / 2.0,
            H - 18.0,
            escape(&self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text x="20" y="{:.1}" text-anchor="middle" font-size="14" transform="rotate(-90 20 {:.1})">{}</text>"#,
            top + ph / 2.0,
            top + ph / 2.0,
            escape(&self.y_label)
        );
    }

    /// The points, clipped to the plot area.
    fn write_points(
        &self,
        s: &mut String,
        g: &Geometry,
        xs: &[f64],
        ys: &[f64],
        classes: &[String],
        (vlo, vhi): (f64, f64),
    ) {
        let _ = writeln!(
            s,
            r#"<clipPath id="plot-area"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath><g clip-path="url(#plot-area)" fill-opacity="0.75">"#,
            g.left, g.top, g.pw, g.ph
        );
        let n = xs.len();
        let radius = if n > 1000 { 2.0 } else { 3.0 };
        let class_colours: Vec<String> = (0..classes.len()).map(class_colour).collect();
        for i in 0..n {
            let colour = match self.colouring {
                Colouring::None => class_colour(0),
                Colouring::Labels(l) => {
                    let c = classes.iter().position(|u| *u == l[i]).unwrap_or(0);
                    class_colours[c].clone()
                }
                Colouring::Values(v) => viridis(if vhi > vlo {
                    (v[i] - vlo) / (vhi - vlo)
                } else {
                    0.5
                }),
            };
            let _ = writeln!(
                s,
                r#"<circle cx="{:.2}" cy="{:.2}" r="{radius}" fill="{colour}"/>"#,
                g.sx(xs[i]),
                g.sy(ys[i])
            );
        }
        s.push_str("</g>\n");
    }

    /// Legend (classes, at most 24 listed) or colour bar, right of the plot.
    fn write_legend(&self, s: &mut String, g: &Geometry, classes: &[String], values: (f64, f64)) {
        let lx = g.left + g.pw + 20.0;
        if !matches!(self.colouring, Colouring::None) {
            let _ = writeln!(
                s,
                r#"<text x="{lx}" y="{}" font-weight="bold">{}</text>"#,
                g.top + 12.0,
                escape(&self.legend_title)
            );
        }
        match self.colouring {
            Colouring::Labels(_) => {
                for (c, label) in classes.iter().enumerate().take(24) {
                    let y = g.top + 32.0 + 20.0 * c as f64;
                    let _ = writeln!(
                        s,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                        lx + 6.0,
                        y - 4.5,
                        class_colour(c),
                        lx + 18.0,
                        y,
                        escape(label)
                    );
                }
                if classes.len() > 24 {
                    let _ = writeln!(
                        s,
                        r#"<text x="{lx}" y="{}">… {} more</text>"#,
                        g.top + 32.0 + 20.0 * 24.0,
                        classes.len() - 24
                    );
                }
            }
            Colouring::Values(_) => write_colour_bar(s, lx, g.top + 25.0, values),
            Colouring::None => {}
        }
    }
}

/// A vertical viridis bar, 200 px tall from `bar_top`, with ticks over [vlo, vhi].
fn write_colour_bar(s: &mut String, lx: f64, bar_top: f64, (vlo, vhi): (f64, f64)) {
    let bar_h = 200.0;
    let _ = writeln!(
        s,
        r#"<defs><linearGradient id="cbar" x1="0" y1="1" x2="0" y2="0">"#
    );
    for k in 0..=10 {
        let _ = writeln!(
            s,
            r#"<stop offset="{}" stop-color="{}"/>"#,
            k as f64 / 10.0,
            viridis(k as f64 / 10.0)
        );
    }
    let _ = writeln!(
        s,
        r#"</linearGradient></defs><rect x="{lx}" y="{bar_top}" width="18" height="{bar_h}" fill="url(#cbar)" stroke="black"/>"#
    );
    let (ticks, dec) = nice_ticks(vlo, vhi, 5);
    for t in ticks {
        let y = bar_top + bar_h - (t - vlo) / (vhi - vlo).max(f64::MIN_POSITIVE) * bar_h;
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="black"/><text x="{:.1}" y="{:.1}">{:.*}</text>"#,
            lx + 18.0,
            lx + 22.0,
            lx + 26.0,
            y + 4.5,
            dec,
            t
        );
    }
}
