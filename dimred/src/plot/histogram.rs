//! Overlaid histograms of several samples on common bins.

use super::frame::Frame;
use super::palette::TAB10;
use std::fmt::Write;

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
    /// Count values that are exactly 0 apart from the bins, as a narrow solid bar at 0 labelled
    /// "= 0": what an L1 penalty produces (exact zeros) cannot then hide among the merely small
    /// values of the bin around 0.
    pub exact_zeros_apart: bool,
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
                .filter(|v| v.is_finite() && !(self.exact_zeros_apart && *v == 0.0))
        };
        let lo = values().fold(f64::INFINITY, f64::min);
        let hi = values().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if !lo.is_finite() {
            (-0.5, 0.5)
        } else if self.exact_zeros_apart {
            // The bar of exact zeros stands at 0: keep it inside the axes.
            (lo.min(0.0), hi.max(0.0))
        } else {
            (lo, hi)
        };
        let (lo, hi) = if hi > lo {
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
                let binned = |x: &&f64| x.is_finite() && !(self.exact_zeros_apart && **x == 0.0);
                for x in v.iter().filter(binned) {
                    c[(((x - lo) / width) as usize).min(self.bins - 1)] += 1.0;
                }
                c
            })
            .collect();
        let zeros: Vec<f64> = (self.samples.iter())
            .map(|(_, v)| match self.exact_zeros_apart {
                true => v.iter().filter(|x| **x == 0.0).count() as f64,
                false => 0.0,
            })
            .collect();
        let top = (counts.iter().flatten().chain(&zeros))
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
            (false, false),
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
        draw_exact_zeros(&mut f, &zeros, width);
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

/// The bars of exact zeros, one per sample, side by side around 0, a third of a bin wide each
/// and opaque with a black outline, labelled "= 0": exact zeros, not merely small values.
fn draw_exact_zeros(f: &mut Frame, zeros: &[f64], width: f64) {
    for (k, &z) in zeros.iter().enumerate().filter(|(_, &z)| z > 0.0) {
        let colour = TAB10[k % TAB10.len()];
        let w = width / 3.0;
        let x0 = f.sx(-0.5 * w * zeros.len() as f64 + k as f64 * w);
        let x1 = f.sx(-0.5 * w * zeros.len() as f64 + (k + 1) as f64 * w);
        let (y0, y1) = (f.sy(z), f.sy(0.0));
        f.occupy_segment((x0, y0), (x1, y0));
        f.occupy_segment((0.5 * (x0 + x1), y0), (0.5 * (x0 + x1), y1));
        let _ = writeln!(
            f.svg,
            r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{colour}" stroke="black" stroke-width="0.8"/>"#,
            (x1 - x0).max(1.0),
            y1 - y0
        );
        let _ = writeln!(
            f.svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">= 0</text>"#,
            0.5 * (x0 + x1),
            y0 - 4.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact zeros get their own labelled bar only when asked, and leave the bins otherwise.
    #[test]
    fn exact_zeros_stand_apart_when_asked() {
        let h = |apart| Histogram {
            title: "t".into(),
            x_label: "w".into(),
            samples: vec![("l1".into(), vec![0.0, 0.0, 0.0, 0.25, -0.5])],
            bins: 4,
            exact_zeros_apart: apart,
        };
        let apart = h(true).to_svg();
        assert_eq!(apart.matches(">= 0</text>").count(), 1);
        assert!(
            apart.contains(r#"stroke="black""#),
            "the zero bar is drawn solid"
        );
        assert!(!h(false).to_svg().contains(">= 0</text>"));
    }
}
