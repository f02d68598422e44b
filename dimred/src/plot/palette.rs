//! Colours: scikit-learn's ten class colours, then ten lighter partners, then hues spread by
//! the golden angle, so that every class keeps a colour of its own; and viridis for values.

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

/// Viridis at `t` ∈ [0, 1] (clamped), as `#rrggbb`.
pub fn viridis(t: f64) -> String {
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

/// matplotlib's "tab20" partners of [`TAB10`]: the same hues, lighter.
const TAB10_LIGHT: [&str; 10] = [
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7",
    "#dbdb8d", "#9edae5",
];

/// The colour of class `c`: [`TAB10`] for the first ten classes (as scikit-learn and
/// matplotlib draw them), their lighter partners for the next ten, then hues 137.5° apart
/// (the golden angle: no two classes get the same hue) at alternating lightness.
pub fn class_colour(c: usize) -> String {
    match c {
        0..=9 => TAB10[c].to_string(),
        10..=19 => TAB10_LIGHT[c - 10].to_string(),
        _ => {
            let hue = (c as f64 * 137.507_764) % 360.0;
            let lightness = if c % 2 == 0 { 0.38 } else { 0.58 };
            hsl(hue, 0.65, lightness)
        }
    }
}

/// HSL (hue in degrees, saturation and lightness in [0, 1]) as `#rrggbb`.
fn hsl(h: f64, s: f64, l: f64) -> String {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: colours stay distinct past 10 classes (they cycled with period 10).
    #[test]
    fn class_colours_are_distinct_for_many_classes() {
        let colours: Vec<String> = (0..64).map(class_colour).collect();
        for i in 0..colours.len() {
            for j in 0..i {
                assert_ne!(colours[i], colours[j], "classes {j} and {i}");
            }
        }
        assert_eq!(class_colour(3), TAB10[3]);
    }
}
