//! A scatter plot of a 2-D embedding: axes with ticks, axis labels, a title, points coloured
//! by class label (with a legend titled by the label column) or by a continuous value (with a
//! colour bar), 800 x 560 px with the legend in a column right of the plot.
//!
//! It is drawn in the shared [`Frame`] with the scatter layout ([`Layout::SCATTER`]: tick
//! marks, and a column right of the plot for the legend instead of a box inside it).

use super::frame::{Frame, Layout};
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
        let mut frame = Frame::in_layout(
            Layout::SCATTER,
            &self.title,
            &self.x_label,
            &self.y_label,
            padded_range(xs.iter().copied()),
            padded_range(ys.iter().copied()),
            (false, false),
        );
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
        self.write_points(&mut frame, &xs, &ys, &classes, values);
        self.write_legend(&mut frame, &classes, values);
        frame.finish()
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

    /// The points, clipped to the plot area.
    fn write_points(
        &self,
        f: &mut Frame,
        xs: &[f64],
        ys: &[f64],
        classes: &[String],
        (vlo, vhi): (f64, f64),
    ) {
        f.svg
            .push_str("<g clip-path=\"url(#frame-area)\" fill-opacity=\"0.75\">\n");
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
            let (cx, cy) = (f.sx(xs[i]), f.sy(ys[i]));
            let _ = writeln!(
                f.svg,
                r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="{radius}" fill="{colour}"/>"#
            );
        }
        f.svg.push_str("</g>\n");
    }

    /// Legend (classes, at most 24 listed) or colour bar, right of the plot.
    fn write_legend(&self, f: &mut Frame, classes: &[String], values: (f64, f64)) {
        let (left, top, pw, _) = f.area;
        let lx = left + pw + 20.0;
        let s = &mut f.svg;
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
                        top + 32.0 + 20.0 * 24.0,
                        classes.len() - 24
                    );
                }
            }
            Colouring::Values(_) => write_colour_bar(s, lx, top + 25.0, values),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of attribute `name` in `line`, as a number.
    fn attr(line: &str, name: &str) -> f64 {
        let start = line.find(&format!(" {name}=\"")).expect("attribute") + name.len() + 3;
        let end = start + line[start..].find('"').expect("closing quote");
        line[start..end].parse().expect("a number")
    }

    #[test]
    fn points_inside_the_frame_and_the_legend_beside_it() {
        let points = Matrix::from_rows(&[vec![-1.0, 0.0], vec![3.0, 2.0], vec![1.0, 5.0]]);
        let labels: Vec<String> = ["b", "a", "b"].iter().map(|s| s.to_string()).collect();
        let svg = Scatter {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            points: &points,
            colouring: Colouring::Labels(&labels),
            legend_title: "class".into(),
        }
        .to_svg();
        let (ml, mr, mt, mb) = Layout::SCATTER.margins;
        let right = Layout::SCATTER.width - mr;
        let bottom = Layout::SCATTER.height - mb;
        let circles: Vec<&str> = svg.lines().filter(|l| l.starts_with("<circle")).collect();
        // Three data points, then one swatch per class in the legend column.
        assert_eq!(circles.len(), 3 + 2);
        for c in &circles[..3] {
            let (cx, cy) = (attr(c, "cx"), attr(c, "cy"));
            assert!(cx > ml && cx < right && cy > mt && cy < bottom, "{c}");
        }
        for c in &circles[3..] {
            assert!(attr(c, "cx") > right, "legend swatch inside the plot: {c}");
        }
        // Classes listed in sorted order, under the legend title.
        let a = svg.find(">a</text>").expect("class a");
        let b = svg.find(">b</text>").expect("class b");
        assert!(svg.find(">class</text>").expect("title") < a && a < b);
        assert!(svg.contains(r#"<g clip-path="url(#frame-area)""#));
    }
}
