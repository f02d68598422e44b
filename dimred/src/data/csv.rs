//! Reading users' data from CSV, and writing embeddings back.
//!
//! The reader is strict on purpose: every feature cell must be a finite number. A missing
//! cell, a word, `NaN` or `inf` is an error that names the line and the column, never a silent
//! zero. The label column (chosen by name) may hold anything; it only colours the plots.

use super::{numbered_names, Dataset};
use crate::error::{DimredError, Result};
use linalg::Matrix;
use std::io::Write;
use std::path::Path;

/// How to read a CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    /// Field separator, `,` by default.
    pub delimiter: char,
    /// Name of the column holding class labels (kept as text, not used as a feature).
    /// Naming a label column requires a header that contains the name.
    pub label_column: Option<String>,
    /// `Some(true)` / `Some(false)`: the first line is / is not a header. `None` (default):
    /// detect it. The first line is a header when a label column is named and the line
    /// contains that name, or when some cell of it is not a number while the cell below it is.
    pub header: Option<bool>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: ',',
            label_column: None,
            header: None,
        }
    }
}

impl CsvOptions {
    /// Default options with the label column `name`.
    pub fn with_label(name: &str) -> Self {
        CsvOptions {
            label_column: Some(name.to_string()),
            ..Self::default()
        }
    }
}

/// Split one line into fields; double-quoted fields may contain the delimiter, and `""` inside
/// quotes is a literal quote (RFC 4180, without line breaks inside fields).
fn split_fields(line: &str, delimiter: char, line_no: usize) -> Result<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() {
            cur.clear();
            in_quotes = true;
        } else if c == delimiter {
            fields.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    if in_quotes {
        return Err(DimredError::Csv {
            line: line_no,
            column: Some(fields.len() + 1),
            column_name: None,
            message: "unterminated quoted field".into(),
        });
    }
    fields.push(cur);
    Ok(fields.into_iter().map(|f| f.trim().to_string()).collect())
}

/// When a cell that is not a number holds another common separator, the file is probably
/// separated by that one: say so (a semicolon file read with commas is one field per line).
fn delimiter_hint(cell: &str, delimiter: char) -> String {
    [';', ',', '\t', '|']
        .into_iter()
        .filter(|&c| c != delimiter)
        .find(|&c| cell.contains(c))
        .map(|c| format!(" (it contains {c:?}: is that the file's delimiter?)"))
        .unwrap_or_default()
}

fn is_number(s: &str) -> bool {
    s.parse::<f64>().map(|v| v.is_finite()).unwrap_or(false)
}

/// Parse CSV text into a [`Dataset`] named `name`.
///
/// Blank lines are skipped (line numbers in errors still count them). Every non-label column
/// becomes a feature column and must hold finite numbers.
///
/// ```
/// use dimred::data::{read_csv, CsvOptions};
/// let text = "a,b,species\n1,2,x\n3,4.5,y\n";
/// let d = read_csv(text, "mine", &CsvOptions::with_label("species")).unwrap();
/// assert_eq!(d.x.row(1), &[3.0, 4.5]);
/// assert_eq!(d.labels.unwrap(), vec!["x", "y"]);
/// let bad = read_csv("a,b\n1,\n", "bad", &CsvOptions::default()).unwrap_err();
/// assert_eq!(bad.to_string(), "CSV line 2, column 2 (\"b\"): missing value");
/// ```
///
/// # Errors
/// [`DimredError::Csv`] naming the line (1-based) and column for a missing, non-numeric or
/// non-finite value, a row with the wrong number of fields, an unknown label column, or a file
/// without data rows.
pub fn read_csv(text: &str, name: &str, options: &CsvOptions) -> Result<Dataset> {
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        rows.push((i + 1, split_fields(line, options.delimiter, i + 1)?));
    }
    let csv_err = |line: usize, message: String| DimredError::Csv {
        line,
        column: None,
        column_name: None,
        message,
    };
    if rows.is_empty() {
        return Err(csv_err(1, "the file has no rows".into()));
    }
    let has_header = match options.header {
        Some(h) => h,
        None => match &options.label_column {
            Some(label) if rows[0].1.iter().any(|f| f == label) => true,
            _ => {
                let first = &rows[0].1;
                match rows.get(1) {
                    Some((_, second)) => first
                        .iter()
                        .zip(second)
                        .any(|(a, b)| !is_number(a) && is_number(b)),
                    None => first.iter().any(|a| !is_number(a)),
                }
            }
        },
    };
    let (header, data) = if has_header {
        let (_, h) = rows.remove(0);
        (Some(h), rows)
    } else {
        (None, rows)
    };
    let width = match (&header, data.first()) {
        (Some(h), _) => h.len(),
        (None, Some((_, r))) => r.len(),
        (None, None) => 0,
    };
    let label_idx = match &options.label_column {
        None => None,
        Some(label) => {
            let Some(h) = &header else {
                return Err(csv_err(
                    1,
                    format!("label column \"{label}\" requested but the file has no header"),
                ));
            };
            let named: Vec<usize> = (0..h.len()).filter(|&j| h[j] == *label).collect();
            if named.len() > 1 {
                let cols: Vec<String> = named.iter().map(|j| (j + 1).to_string()).collect();
                return Err(csv_err(
                    1,
                    format!(
                        "the label column \"{label}\" is ambiguous: columns {} all have that name",
                        cols.join(", ")
                    ),
                ));
            }
            match named.first().copied() {
                Some(i) => Some(i),
                None => {
                    return Err(csv_err(
                        1,
                        format!(
                            "no column named \"{label}\" in the header (columns: {})",
                            h.join(", ")
                        ),
                    ))
                }
            }
        }
    };
    if data.is_empty() {
        return Err(csv_err(
            if has_header { 2 } else { 1 },
            "the file has no data rows".into(),
        ));
    }
    let feature_cols: Vec<usize> = (0..width).filter(|&j| Some(j) != label_idx).collect();
    let feature_names = match &header {
        Some(h) => feature_cols.iter().map(|&j| h[j].clone()).collect(),
        None => numbered_names("x", feature_cols.len()),
    };
    let mut values = Vec::with_capacity(data.len() * feature_cols.len());
    let mut labels = Vec::new();
    for (line, fields) in &data {
        if fields.len() != width {
            return Err(csv_err(
                *line,
                format!("expected {width} fields, found {}", fields.len()),
            ));
        }
        for &j in &feature_cols {
            let cell = &fields[j];
            let message = if cell.is_empty() {
                "missing value".to_string()
            } else {
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => {
                        values.push(v);
                        continue;
                    }
                    Ok(v) => format!("\"{cell}\" is {v}, not a finite number"),
                    Err(_) => format!(
                        "\"{cell}\" is not a number{}",
                        delimiter_hint(cell, options.delimiter)
                    ),
                }
            };
            return Err(DimredError::Csv {
                line: *line,
                column: Some(j + 1),
                column_name: header.as_ref().map(|h| h[j].clone()),
                message,
            });
        }
        if let Some(l) = label_idx {
            if fields[l].is_empty() {
                // An empty label would silently become a class of its own named "".
                return Err(DimredError::Csv {
                    line: *line,
                    column: Some(l + 1),
                    column_name: header.as_ref().map(|h| h[l].clone()),
                    message: "missing label".into(),
                });
            }
            labels.push(fields[l].clone());
        }
    }
    Ok(Dataset {
        name: name.to_string(),
        x: Matrix::from_vec(data.len(), feature_cols.len(), values),
        feature_names,
        labels: label_idx.map(|_| labels),
        parameter: None,
    })
}

/// [`read_csv`] on a file; the data set is named after the file's stem.
///
/// # Errors
/// [`DimredError::Io`] if the file cannot be read, otherwise as [`read_csv`].
pub fn read_csv_file(path: &Path, options: &CsvOptions) -> Result<Dataset> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DimredError::Io(format!("cannot read {}: {e}", path.display())))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    read_csv(&text, &name, options)
}

/// Write `x` (one row per sample) as CSV with a header, optionally with a label column
/// appended. Numbers are written in Rust's shortest round-trip form, so reading the file back
/// gives the same bits.
///
/// # Panics
/// If `header.len() != x.ncols()` or the labels do not have one entry per row.
///
/// # Errors
/// [`DimredError::Io`] when writing fails.
#[track_caller]
pub fn write_csv<W: Write>(
    mut w: W,
    header: &[String],
    x: &Matrix,
    labels: Option<(&str, &[String])>,
) -> Result<()> {
    assert_eq!(
        header.len(),
        x.ncols(),
        "write_csv: {} header names for {} columns",
        header.len(),
        x.ncols()
    );
    if let Some((_, l)) = labels {
        assert_eq!(
            l.len(),
            x.nrows(),
            "write_csv: {} labels for {} rows",
            l.len(),
            x.nrows()
        );
    }
    let io = |e: std::io::Error| DimredError::Io(format!("cannot write CSV: {e}"));
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut head: Vec<String> = header.iter().map(|h| quote(h)).collect();
    if let Some((name, _)) = labels {
        head.push(quote(name));
    }
    writeln!(w, "{}", head.join(",")).map_err(io)?;
    for (i, row) in x.rows().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        if let Some((_, l)) = labels {
            cells.push(quote(&l[i]));
        }
        writeln!(w, "{}", cells.join(",")).map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, options: &CsvOptions) -> String {
        read_csv(text, "t", options).unwrap_err().to_string()
    }

    #[test]
    fn header_is_detected_or_absent() {
        let with = read_csv("a,b\n1,2\n3,4\n", "t", &CsvOptions::default()).unwrap();
        assert_eq!(with.feature_names, vec!["a", "b"]);
        assert_eq!(with.x.shape(), (2, 2));
        let without = read_csv("1,2\n3,4\n", "t", &CsvOptions::default()).unwrap();
        assert_eq!(without.feature_names, vec!["x0", "x1"]);
        assert_eq!(without.x.shape(), (2, 2));
    }

    #[test]
    fn label_column_by_name_anywhere() {
        let d = read_csv(
            "species,w,h\nsetosa,1.5,2\n\"vir, ginica\",3,4e-1\n",
            "t",
            &CsvOptions::with_label("species"),
        )
        .unwrap();
        assert_eq!(d.feature_names, vec!["w", "h"]);
        assert_eq!(d.x.row(1), &[3.0, 0.4]);
        assert_eq!(d.labels.unwrap(), vec!["setosa", "vir, ginica"]);
        let e = err("a,b\n1,2\n", &CsvOptions::with_label("class"));
        assert!(e.contains("no column named \"class\""), "{e}");
    }

    #[test]
    fn bad_values_name_line_and_column_never_zero() {
        let o = CsvOptions::default();
        // Line numbers count the header and blank lines, as an editor shows them.
        assert_eq!(
            err("a,b\n1,2\n\n3,x\n", &o),
            "CSV line 4, column 2 (\"b\"): \"x\" is not a number"
        );
        assert_eq!(
            err("a,b\n1,2\n ,4\n", &o),
            "CSV line 3, column 1 (\"a\"): missing value"
        );
        assert!(err("a,b\n1,NaN\n", &o).contains("not a finite number"));
        assert!(err("a,b\n1,inf\n", &o).contains("not a finite number"));
        assert!(err("a,b\n1,2,3\n", &o).contains("line 2: expected 2 fields, found 3"));
        assert!(err("a,b\n", &o).contains("no data rows"));
        assert!(err("a,b\n\"1,2\n", &o).contains("unterminated"));
    }

    /// Regression (careless input): a semicolon file read with the default comma said only
    /// "\"a;b\" is not a number"; an ambiguous label column took the first of its namesakes;
    /// an empty label became a class named "".
    #[test]
    fn careless_files_are_explained() {
        let e = err("a;b\n1;2\n3;4\n", &CsvOptions::default());
        assert!(e.contains("';'") && e.contains("delimiter"), "{e}");
        let e = err("a,a\n1,2\n", &CsvOptions::with_label("a"));
        assert!(e.contains("ambiguous") && e.contains("columns 1, 2"), "{e}");
        let e = err("a,b,c\n1,2,x\n3,4,\n", &CsvOptions::with_label("c"));
        assert_eq!(e, "CSV line 3, column 3 (\"c\"): missing label");
    }

    #[test]
    fn writer_round_trips_bits() {
        let x = Matrix::from_rows(&[[0.1 + 0.2, -1e-300], [std::f64::consts::PI, 7.0]]);
        let labels = vec!["a,b".to_string(), "c".to_string()];
        let mut buf = Vec::new();
        let names = vec!["y1".to_string(), "y2".to_string()];
        write_csv(&mut buf, &names, &x, Some(("label", &labels))).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let back = read_csv(&text, "t", &CsvOptions::with_label("label")).unwrap();
        assert_eq!(back.x, x);
        assert_eq!(back.labels.unwrap(), labels);
    }
}
