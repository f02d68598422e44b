//! A dependency-free SVG scatter plot of a 2-D embedding: axes with ticks, axis labels, a
//! title, points coloured by class label (with a legend) or by a continuous value (with a
//! colour bar). Written by hand because plotting crates need system fonts to measure text;
//! an SVG viewer lays out text itself, so the file only has to say where it goes.

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
    /// Name of the colour legend ("label", "t").
    pub legend_title: String,
}

/// scikit-learn's / matplotlib's "tab10" palette: ten colours that stay distinct.
const TAB10: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

/// Viridis at eleven stops (matplotlib), interpolated linearly in between.
const VIRIDIS: [(u8, u8, u8); 11] = [
    (68, 1, 84),
    (72, 36, 117),
    (65, 68, 135),
    (53, 95, 141),
    (42, 120, 142),
    (33, 145, 140),
    (34, 168, 132),
    (68, 191, 112),
    (122, 209, 81),
    (189, 223, 38),
    (253, 231, 37),
];

fn viridis(t: f64) -> String {
    let t = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let i = (t.floor() as usize).min(VIRIDIS.len() - 2);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + f * (y as f64 - x as f64)).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// "Nice" tick positions (steps of 1, 2 or 5 times a power of ten) covering [lo, hi], and
/// the number of decimals to print them with.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last).map(|i| i as f64 * step).collect();
    (ticks, decimals)
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

impl Scatter<'_> {
    /// The plot as an SVG document (800 x 560 px).
    ///
    /// # Panics
    /// If `points` has no columns, or the colouring does not have one entry per point.
    #[track_caller]
    pub fn to_svg(&self) -> String {
        let n = self.points.nrows();
        assert!(
            self.points.ncols() >= 1,
            "Scatter::to_svg: no columns to plot"
        );
        match self.colouring {
            Colouring::Labels(l) => assert_eq!(
                l.len(),
                n,
                "Scatter::to_svg: {} labels for {n} points",
                l.len()
            ),
            Colouring::Values(v) => assert_eq!(
                v.len(),
                n,
                "Scatter::to_svg: {} values for {n} points",
                v.len()
            ),
            Colouring::None => {}
        }
        let xs: Vec<f64> = self.points.col(0);
        let ys: Vec<f64> = if self.points.ncols() >= 2 {
            self.points.col(1)
        } else {
            (0..n).map(|i| i as f64).collect()
        };
        let (w, h) = (800.0, 560.0);
        let (left, right, top, bottom) = (80.0, 170.0, 50.0, 65.0);
        let (pw, ph) = (w - left - right, h - top - bottom);
        let range = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() {
                return (0.0, 1.0);
            }
            let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 };
            (lo - pad, hi + pad)
        };
        let (x0, x1) = range(&xs);
        let (y0, y1) = range(&ys);
        let sx = |x: f64| left + (x - x0) / (x1 - x0) * pw;
        let sy = |y: f64| top + ph - (y - y0) / (y1 - y0) * ph;

        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="13">"#
        );
        let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="28" text-anchor="middle" font-size="16" font-weight="bold">{}</text>"#,
            left + pw / 2.0,
            escape(&self.title)
        );
        // Grid lines and ticks.
        let (xt, xd) = nice_ticks(x0, x1, 6);
        let (yt, yd) = nice_ticks(y0, y1, 6);
        for &t in &xt {
            let px = sx(t);
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
        for &t in &yt {
            let py = sy(t);
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
            h - 18.0,
            escape(&self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text x="20" y="{:.1}" text-anchor="middle" font-size="14" transform="rotate(-90 20 {:.1})">{}</text>"#,
            top + ph / 2.0,
            top + ph / 2.0,
            escape(&self.y_label)
        );
        // Points, clipped to the plot area.
        let _ = writeln!(
            s,
            r#"<clipPath id="plot-area"><rect x="{left}" y="{top}" width="{pw}" height="{ph}"/></clipPath><g clip-path="url(#plot-area)" fill-opacity="0.75">"#
        );
        let radius = if n > 1000 { 2.0 } else { 3.0 };
        let (vlo, vhi) = match self.colouring {
            Colouring::Values(v) => (
                v.iter().copied().fold(f64::INFINITY, f64::min),
                v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ),
            _ => (0.0, 1.0),
        };
        let classes = match self.colouring {
            Colouring::Labels(l) => distinct_labels(l),
            _ => Vec::new(),
        };
        for i in 0..n {
            let colour = match self.colouring {
                Colouring::None => TAB10[0].to_string(),
                Colouring::Labels(l) => {
                    let c = classes.iter().position(|u| *u == l[i]).unwrap_or(0);
                    TAB10[c % TAB10.len()].to_string()
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
                sx(xs[i]),
                sy(ys[i])
            );
        }
        s.push_str("</g>\n");
        // Legend or colour bar, right of the plot.
        let lx = left + pw + 20.0;
        if !matches!(self.colouring, Colouring::None) {
            let _ = writeln!(
                s,
                r#"<text x="{lx}" y="{}" font-weight="bold">{}</text>"#,
                top + 12.0,
                escape(&self.legend_title)
            );
        }
        match self.colouring {
            Colouring::Labels(_) => {
                for (c, label) in classes.iter().enumerate().take(24) {
                    let y = top + 32.0 + 20.0 * c as f64;
                    let _ = writeln!(
                        s,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                        lx + 6.0,
                        y - 4.5,
                        TAB10[c % TAB10.len()],
                        lx + 18.0,
                        y,
                        escape(label)
                    );
                }
                if classes.len() > 24 {
                    let _ = writeln!(
                        s,
                        r#"<text x="{lx}" y="{}">… {} more</text>"#,
                        top + 32.0 + 20.0 * 24.0,
                        classes.len() - 24
                    );
                }
            }
            Colouring::Values(_) => {
                let (bar_top, bar_h) = (top + 25.0, 200.0);
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
                    let y =
                        bar_top + bar_h - (t - vlo) / (vhi - vlo).max(f64::MIN_POSITIVE) * bar_h;
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
            Colouring::None => {}
        }
        s.push_str("</svg>\n");
        s
    }
}
