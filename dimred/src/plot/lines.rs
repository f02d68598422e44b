//! Several curves on one pair of axes, with a legend; optionally log-scale axes.

use super::frame::Frame;
use super::padded_range;
use super::palette::TAB10;
use std::fmt::Write;

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
        self.render(false)
    }

    /// The plot with a log-scale x axis too (values ≤ 0 left out; ticks at 1, 2 and 5 times
    /// the powers of ten): with `log_y`, a log-log plot, where t ∝ N^p is a line of slope p.
    pub fn to_svg_log_x(&self) -> String {
        self.render(true)
    }

    /// The plot: the axis ranges, the frame, the point sets, the curves, the legend.
    fn render(&self, log_x: bool) -> String {
        let (x, y) = self.ranges(log_x);
        let mut f = Frame::new(
            &self.title,
            &self.x_label,
            &self.y_label,
            x,
            y,
            (log_x, self.log_y),
        );
        f.svg.push_str("<g clip-path=\"url(#frame-area)\">\n");
        self.draw_points(&mut f, log_x);
        self.draw_curves(&mut f, log_x);
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

    /// Whether a point can be drawn: finite, and positive on a log axis.
    fn drawable(&self, log_x: bool, p: &(f64, f64)) -> bool {
        p.0.is_finite() && p.1.is_finite() && (!self.log_y || p.1 > 0.0) && (!log_x || p.0 > 0.0)
    }

    /// The x and y ranges of every drawable point: padded by 5 % on a linear axis; on a log
    /// axis, x padded by a tenth of a decade and y widened to whole decades.
    fn ranges(&self, log_x: bool) -> ((f64, f64), (f64, f64)) {
        let all = || {
            self.series
                .iter()
                .flat_map(|s| s.points.iter())
                .chain(self.points.iter().flat_map(|p| p.1.iter()))
                .filter(|p| self.drawable(log_x, p))
        };
        let bounds = |coordinate: fn(&(f64, f64)) -> f64| {
            let lo = all().map(coordinate).fold(f64::INFINITY, f64::min);
            let hi = all().map(coordinate).fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        };
        let x = if log_x {
            let (lo, hi) = bounds(|p| p.0);
            let pad = 10f64.powf(0.1);
            if lo.is_finite() {
                (lo / pad, hi * pad)
            } else {
                (1.0, 10.0)
            }
        } else {
            padded_range(all().map(|p| p.0))
        };
        let y = if self.log_y {
            let (lo, hi) = bounds(|p| p.1);
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
        (x, y)
    }

    /// The point sets, as dots under the curves.
    fn draw_points(&self, f: &mut Frame, log_x: bool) {
        for (k, (_, pts)) in self.points.iter().enumerate() {
            let colour = self.point_colour(k);
            for p in pts.iter().filter(|p| self.drawable(log_x, p)) {
                let (px, py) = (f.sx(p.0), f.sy(p.1));
                f.occupied.push((px, py));
                let _ = writeln!(
                    f.svg,
                    r#"<circle cx="{px:.1}" cy="{py:.1}" r="3.5" fill="{colour}" fill-opacity="0.8"/>"#
                );
            }
        }
    }

    /// The curves, each a polyline (dashed for a reference), marking the pixels they cover.
    fn draw_curves(&self, f: &mut Frame, log_x: bool) {
        for (k, s) in self.series.iter().enumerate() {
            let pixels: Vec<(f64, f64)> = s
                .points
                .iter()
                .filter(|p| self.drawable(log_x, p))
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
    }
}
