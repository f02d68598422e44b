//! Dependency-free SVG figures: every figure of the course is drawn here. Written by hand
//! because plotting crates need system fonts to measure text; an SVG viewer lays out text
//! itself, so the file only has to say where it goes.
//!
//! - [`scatter`]: a 2-D embedding, points coloured by class label (with a legend titled by
//!   the label column) or by a continuous value (with a colour bar);
//! - `frame` (private): the frame every plot is drawn in (title, axis labels, ticks and grid,
//!   the mapping from data to pixels, a legend placed where it hides the least), in two
//!   layouts: curves and histograms, and scatter plots with a legend column;
//! - [`lines`]: several curves on one pair of axes, optionally with log-scale axes;
//! - [`histogram`]: overlaid histograms on common bins;
//! - [`palette`]: the class colours (distinct past ten classes) and viridis.

mod frame;
pub mod histogram;
pub mod lines;
pub mod palette;
pub mod scatter;

pub use histogram::Histogram;
pub use lines::{Lines, Series};
pub use palette::TAB10;
pub use scatter::{Colouring, Scatter};

/// Text as SVG character data or attribute value.
pub(crate) fn escape(s: &str) -> String {
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

/// The range of the values, padded by 5 % (or ±0.5 around a single value); (0, 1) if empty.
pub(crate) fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
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

#[cfg(test)]
mod tests {
    use super::frame::Layout;
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
        let mid = Layout::PLOT.width / 2.0;
        // A falling line leaves the top right free: the legend stays there.
        let falling = lines(vec![(0.0, 1.0), (1.0, 0.0)]).to_svg();
        assert!(legend_x(&falling) > mid);
        // A rising line runs through the top right: the legend moves to the top left.
        let rising = lines(vec![(0.0, 0.0), (1.0, 1.0)]).to_svg();
        assert!(legend_x(&rising) < mid);
    }
}
