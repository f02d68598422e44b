//! A dependency-free SVG scatter plot of a 2-D embedding: axes with ticks, axis labels, a
//! title, points coloured by class label (with a legend) or by a continuous value (with a
//! colour bar). Also line plots of several series ([`Lines`], optionally with a log-scale y
//! axis) and overlaid histograms ([`Histogram`]), each with a legend: every figure of the
//! course is drawn here. Written by hand because plotting crates need system fonts to measure text;
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

/// scikit-learn's / matplotlib's "tab10" palette: ten colours that stay distinct
/// (0 blue, 1 orange, 2 green, 3 red, ...).
pub const TAB10: [&str; 10] = [
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

/// A plot frame: title, axis labels, ticks and grid, and the mapping from data to pixels.
/// Shared by [`Lines`] and [`Histogram`].
struct Frame {
    svg: String,
    x: (f64, f64),
    y: (f64, f64),
    log_y: bool,
    // Plot area in pixels: left, top, width, height.
    area: (f64, f64, f64, f64),
    // Pixels covered by data, so the legend can go where it hides the least.
    occupied: Vec<(f64, f64)>,
}

impl Frame {
    const W: f64 = 760.0;
    const H: f64 = 480.0;

    fn new(
        title: &str,
        x_label: &str,
        y_label: &str,
        x: (f64, f64),
        y: (f64, f64),
        log_y: bool,
    ) -> Frame {
        let (w, h) = (Self::W, Self::H);
        let area = (85.0, 50.0, w - 85.0 - 25.0, h - 50.0 - 65.0);
        let mut f = Frame {
            svg: String::new(),
            x,
            y,
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
        let (xt, xd) = nice_ticks(x.0, x.1, 6);
        for v in xt {
            let px = f.sx(v);
            let _ = writeln!(
                f.svg,
                r##"<line x1="{px:.1}" y1="{t}" x2="{px:.1}" y2="{:.1}" stroke="#e6e6e6"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{v:.xd$}</text>"##,
                t + ph,
                t + ph + 20.0
            );
        }
        let yt: Vec<(f64, String)> = if log_y {
            let (a, b) = (y.0.log10().ceil() as i32, y.1.log10().floor() as i32);
            // At most about 8 labelled decades: every k-th power of ten.
            let k = ((b - a + 1) as usize).div_ceil(8).max(1);
            (a..=b)
                .step_by(k)
                .map(|e| (10f64.powi(e), format!("1e{e}")))
                .collect()
        } else {
            let (yt, yd) = nice_ticks(y.0, y.1, 6);
            yt.into_iter().map(|v| (v, format!("{v:.yd$}"))).collect()
        };
        for (v, label) in yt {
            let py = f.sy(v);
            let _ = writeln!(
                f.svg,
                r##"<line x1="{l}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#e6e6e6"/><text x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"##,
                l + pw,
                l - 8.0,
                py + 4.5
            );
        }
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

    fn sx(&self, x: f64) -> f64 {
        self.area.0 + (x - self.x.0) / (self.x.1 - self.x.0) * self.area.2
    }

    fn sy(&self, y: f64) -> f64 {
        let (v, lo, hi) = if self.log_y {
            (y.log10(), self.y.0.log10(), self.y.1.log10())
        } else {
            (y, self.y.0, self.y.1)
        };
        self.area.1 + self.area.3 - (v - lo) / (hi - lo) * self.area.3
    }

    /// Record the pixels of the segment from `a` to `b` (every 8 px) as covered by data.
    fn occupy_segment(&mut self, a: (f64, f64), b: (f64, f64)) {
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
    fn legend(&mut self, entries: &[(&str, &str, bool)]) {
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

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>\n");
        self.svg
    }
}

/// The range of the values, padded by 5 % (or ±0.5 around a single value); (0, 1) if empty.
fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 };
    (lo - pad, hi + pad)
}

/// One curve of a [`Lines`] plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// The points (x, y), joined in order.
    pub points: Vec<(f64, f64)>,
    /// Draw dashed (e.g. a reference line).
    pub dashed: bool,
}

/// Several curves on one pair of axes, with a legend; optionally a log-scale y axis.
///
/// ```
/// use dimred::plot::{Lines, Series};
/// let loss = Series { name: "loss".into(), points: vec![(0.0, 1.0), (1.0, 0.1)], dashed: false };
/// let svg = Lines { title: "t".into(), x_label: "epoch".into(), y_label: "loss".into(),
///                   series: vec![loss], log_y: true, points: vec![],
///                   point_colours: vec![] }.to_svg();
/// assert!(svg.starts_with("<svg") && svg.contains("polyline"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    /// Title above the plot.
    pub title: String,
    /// Horizontal axis label.
    pub x_label: String,
    /// Vertical axis label.
    pub y_label: String,
    /// The curves, drawn in the tab10 colours in order.
    pub series: Vec<Series>,
    /// Log-scale y axis (values ≤ 0 are left out).
    pub log_y: bool,
    /// Scattered points drawn under the curves, as (legend text, points): e.g. the data a
    /// decision line separates. Coloured after the series' colours.
    pub points: Vec<(String, Vec<(f64, f64)>)>,
    /// Colours of the point sets, in order (e.g. the lecture's blue for y = −1 and green for
    /// y = +1, from [`TAB10`]); empty: the palette continues after the series' colours.
    pub point_colours: Vec<&'static str>,
}

impl Lines {
    /// The colour of series `k`: the palette in order, skipping the colours given to point
    /// sets (so a curve never takes the colour of a class of points).
    fn series_colour(&self, k: usize) -> &'static str {
        let free: Vec<&'static str> = TAB10
            .iter()
            .copied()
            .filter(|c| !self.point_colours.contains(c))
            .collect();
        free[k % free.len()]
    }

    /// The colour of point set `k`: the given one, or the palette after the series' colours.
    fn point_colour(&self, k: usize) -> &'static str {
        self.point_colours
            .get(k)
            .copied()
            .unwrap_or(TAB10[(self.series.len() + k) % TAB10.len()])
    }

    /// The plot as an SVG document (760 x 480 px).
    pub fn to_svg(&self) -> String {
        let keep =
            |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite() && (!self.log_y || p.1 > 0.0);
        let all = || {
            self.series
                .iter()
                .flat_map(|s| s.points.iter())
                .chain(self.points.iter().flat_map(|p| p.1.iter()))
                .filter(keep)
        };
        let x = padded_range(all().map(|p| p.0));
        let y = if self.log_y {
            let lo = all().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let hi = all().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() {
                (
                    10f64.powf(lo.log10().floor()),
                    10f64.powf(hi.log10().ceil().max(lo.log10().floor() + 1.0)),
                )
            } else {
                (0.1, 1.0)
            }
        } else {
            padded_range(all().map(|p| p.1))
        };
        let mut f = Frame::new(&self.title, &self.x_label, &self.y_label, x, y, self.log_y);
        f.svg.push_str("<g clip-path=\"url(#frame-area)\">\n");
        for (k, (_, pts)) in self.points.iter().enumerate() {
            let colour = self.point_colour(k);
            for p in pts.iter().filter(keep) {
                let (px, py) = (f.sx(p.0), f.sy(p.1));
                f.occupied.push((px, py));
                let _ = writeln!(
                    f.svg,
                    r#"<circle cx="{px:.1}" cy="{py:.1}" r="3.5" fill="{colour}" fill-opacity="0.8"/>"#
                );
            }
        }
        for (k, s) in self.series.iter().enumerate() {
            let pixels: Vec<(f64, f64)> = s
                .points
                .iter()
                .filter(keep)
                .map(|p| (f.sx(p.0), f.sy(p.1)))
                .collect();
            for w in pixels.windows(2) {
                f.occupy_segment(w[0], w[1]);
            }
            let coords: Vec<String> = pixels
                .iter()
                .map(|p| format!("{:.1},{:.1}", p.0, p.1))
                .collect();
            let dash = if s.dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            let _ = writeln!(
                f.svg,
                r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{dash}/>"#,
                coords.join(" "),
                self.series_colour(k)
            );
        }
        f.svg.push_str("</g>\n");
        let mut entries: Vec<(&str, &str, bool)> = self
            .series
            .iter()
            .enumerate()
            .map(|(k, s)| (self.series_colour(k), s.name.as_str(), s.dashed))
            .collect();
        for (k, (name, _)) in self.points.iter().enumerate() {
            entries.push((self.point_colour(k), name.as_str(), false));
        }
        f.legend(&entries);
        f.finish()
    }
}

/// Overlaid histograms of several samples on common bins, with a legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Title above the plot.
    pub title: String,
    /// Horizontal axis label (the measured quantity).
    pub x_label: String,
    /// The samples as (legend text, values); drawn semi-transparent in the tab10 colours.
    pub samples: Vec<(String, Vec<f64>)>,
    /// Number of equal-width bins over the range of all values.
    pub bins: usize,
}

impl Histogram {
    /// The plot as an SVG document (760 x 480 px); the y axis counts values per bin.
    ///
    /// # Panics
    /// If `bins` is 0.
    #[track_caller]
    pub fn to_svg(&self) -> String {
        assert!(self.bins > 0, "Histogram::to_svg: 0 bins");
        let values = || {
            self.samples
                .iter()
                .flat_map(|s| s.1.iter().copied())
                .filter(|v| v.is_finite())
        };
        let lo = values().fold(f64::INFINITY, f64::min);
        let hi = values().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, hi + 0.5)
        };
        let width = (hi - lo) / self.bins as f64;
        let counts: Vec<Vec<f64>> = self
            .samples
            .iter()
            .map(|(_, v)| {
                let mut c = vec![0.0; self.bins];
                for x in v.iter().filter(|x| x.is_finite()) {
                    c[(((x - lo) / width) as usize).min(self.bins - 1)] += 1.0;
                }
                c
            })
            .collect();
        let top = counts
            .iter()
            .flatten()
            .copied()
            .fold(0.0, f64::max)
            .max(1.0);
        let pad = 0.02 * (hi - lo);
        let mut f = Frame::new(
            &self.title,
            &self.x_label,
            "count",
            (lo - pad, hi + pad),
            (0.0, top * 1.08),
            false,
        );
        for (k, c) in counts.iter().enumerate() {
            let colour = TAB10[k % TAB10.len()];
            for (b, &count) in c.iter().enumerate().filter(|(_, &n)| n > 0.0) {
                let (x0, x1) = (
                    f.sx(lo + b as f64 * width),
                    f.sx(lo + (b + 1) as f64 * width),
                );
                let (y0, y1) = (f.sy(count), f.sy(0.0));
                // The bar's outline and its centre line, so a legend never covers a bar.
                let xm = 0.5 * (x0 + x1);
                f.occupy_segment((x0, y0), (x1, y0));
                f.occupy_segment((xm, y0), (xm, y1));
                let _ = writeln!(
                    f.svg,
                    r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{colour}" fill-opacity="0.55" stroke="{colour}"/>"#,
                    (x1 - x0).max(0.5),
                    y1 - y0
                );
            }
        }
        let entries: Vec<(&str, &str, bool)> = self
            .samples
            .iter()
            .enumerate()
            .map(|(k, s)| (TAB10[k % TAB10.len()], s.0.as_str(), false))
            .collect();
        f.legend(&entries);
        f.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The x coordinate of the legend box (the only rect drawn with stroke #999).
    fn legend_x(svg: &str) -> f64 {
        let line = svg
            .lines()
            .find(|l| l.contains(r##"stroke="#999""##) && l.starts_with("<rect"))
            .expect("a legend box");
        let start = line.find("x=\"").expect("x attribute") + 3;
        let end = start + line[start..].find('"').expect("closing quote");
        line[start..end].parse().expect("a number")
    }

    #[test]
    fn legend_moves_off_the_data() {
        let lines = |points: Vec<(f64, f64)>| Lines {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![Series {
                name: "a series with a long name".into(),
                points,
                dashed: false,
            }],
            log_y: false,
            point_colours: Vec::new(),
            points: Vec::new(),
        };
        let mid = Frame::W / 2.0;
        // A falling line leaves the top right free: the legend stays there.
        let falling = lines(vec![(0.0, 1.0), (1.0, 0.0)]).to_svg();
        assert!(legend_x(&falling) > mid);
        // A rising line runs through the top right: the legend moves to the top left.
        let rising = lines(vec![(0.0, 0.0), (1.0, 1.0)]).to_svg();
        assert!(legend_x(&rising) < mid);
    }
}
