//! The data sets shipped inside the crate (see `dimred/data/README.md` for licence and credit).

use super::{read_csv, CsvOptions, Dataset};
use crate::error::{DimredError, Result};

/// Names accepted by [`load`], with a one-line description each.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "digits",
        "1797 handwritten digits, 8x8 pixels (64 features), labels 0-9 (UCI, CC BY 4.0)",
    ),
    (
        "iris",
        "150 iris flowers, 4 measurements in cm, labels 0-2 (Fisher 1936, UCI, CC BY 4.0)",
    ),
];

const DIGITS: &str = include_str!("../../data/digits.csv");
const IRIS: &str = include_str!("../../data/iris.csv");

/// Load a built-in data set by name: `"digits"` or `"iris"`. The files are compiled into the
/// binary, so this works from any directory.
///
/// ```
/// let iris = dimred::data::load("iris").unwrap();
/// assert_eq!(iris.x.shape(), (150, 4));
/// assert_eq!(iris.labels.as_ref().unwrap()[149], "2");
/// ```
///
/// # Errors
/// [`DimredError::InvalidArgument`] listing the known names for any other name.
pub fn load(name: &str) -> Result<Dataset> {
    let text = match name {
        "digits" => DIGITS,
        "iris" => IRIS,
        _ => {
            let known: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            return Err(DimredError::InvalidArgument(format!(
                "no built-in data set \"{name}\"; known: {}",
                known.join(", ")
            )));
        }
    };
    read_csv(text, name, &CsvOptions::with_label("label"))
}
