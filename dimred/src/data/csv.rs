//! Reading users' data from CSV, and writing embeddings back.
//!
//! The `csv` crate does the parsing (RFC 4180: quoted fields may hold the delimiter, quotes
//! written `""`, and line breaks); this module adds what a reader of our errors needs. The
//! reader is strict on purpose: every feature cell must be a finite number. A missing cell, a
//! word, `NaN` or `inf` is an error that names the line and the column, never a silent zero.
//! The label column (chosen by name) may hold anything; it only colours the plots. A UTF-8
//! byte-order mark at the start is dropped, lines starting with `#` are comments, and fields
//! are taken as written (no trimming unless [`CsvOptions::trim`] asks for it).

use super::{numbered_names, Dataset};
use crate::error::{DimredError, Result};
use linalg::Matrix;
use std::io::Write;
use std::path::Path;

/// How to read a CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    /// Field separator, `,` by default; one ASCII character.
    pub delimiter: char,
    /// Name of the column holding class labels (kept as text, not used as a feature).
    /// Naming a label column requires a header that contains the name.
    pub label_column: Option<String>,
    /// `Some(true)` / `Some(false)`: the first line is / is not a header. `None` (default):
    /// detect it. The first line is a header when a label column is named and the line
    /// contains that name, or when some cell of it is not a number while the cell below it is.
    pub header: Option<bool>,
    /// Remove spaces and tabs around every field, header names and labels included. Off by
    /// default: a label is kept exactly as written.
    pub trim: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: ',',
            label_column: None,
            header: None,
            trim: false,
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

/// A cell or name as an error message shows it: control characters and other invisible ones
/// escaped (a binary file must not send raw bytes to the terminal), quotes escaped, and cut
/// after 40 characters.
pub fn escaped(s: &str) -> String {
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k == 40 {
            out.push('…');
            break;
        }
        if c.is_control() || c == '\u{feff}' || c == '\u{fffd}' || c == '"' || c == '\\' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// [`escaped`] in double quotes.
fn shown(s: &str) -> String {
    format!("\"{}\"", escaped(s))
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

fn csv_err(line: usize, message: String) -> DimredError {
    DimredError::Csv {
        line,
        column: None,
        column_name: None,
        message,
    }
}

/// The records of `text` with the line each starts on (1-based, as an editor counts, blank
/// and comment lines included). Blank lines and lines of spaces only are skipped.
fn records(text: &str, options: &CsvOptions) -> Result<Vec<(usize, Vec<String>)>> {
    let delimiter = u8::try_from(options.delimiter)
        .ok()
        .filter(|d| d.is_ascii() && *d != b'"' && *d != b'#')
        .ok_or_else(|| {
            csv_err(
                1,
                format!(
                    "the delimiter {:?} must be one ASCII character other than '\"' and '#'",
                    options.delimiter
                ),
            )
        })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(if options.trim {
            csv::Trim::All
        } else {
            csv::Trim::None
        })
        .from_reader(text.as_bytes());
    let newlines: Vec<usize> = (text.bytes().enumerate())
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let next_line = |at: usize| {
        let k = newlines.partition_point(|&i| i < at);
        newlines.get(k).map_or(text.len(), |&i| i + 1)
    };
    // The crate's positions count neither blank lines nor the comment lines before a record
    // (a record "starts" where the previous one ended): step over them, then count lines.
    let line_of = |p: Option<&csv::Position>| {
        let bytes = text.as_bytes();
        let mut at = p.map_or(0, |p| p.byte() as usize);
        while at < bytes.len() {
            match bytes[at] {
                b'\n' | b'\r' => at += 1,
                b'#' => at = next_line(at),
                _ => break,
            }
        }
        1 + newlines.partition_point(|&i| i < at)
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_err(line_of(e.position()), e.to_string()))?;
        let line = line_of(record.position());
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(rows)
}

/// Is the first record a header? As [`CsvOptions::header`] says, or detected.
fn has_header(rows: &[(usize, Vec<String>)], options: &CsvOptions) -> bool {
    if let Some(h) = options.header {
        return h;
    }
    let first = &rows[0].1;
    match &options.label_column {
        Some(label) if first.iter().any(|f| f == label) => true,
        _ => match rows.get(1) {
            Some((_, second)) => first
                .iter()
                .zip(second)
                .any(|(a, b)| !is_number(a) && is_number(b)),
            None => first.iter().any(|a| !is_number(a)),
        },
    }
}

/// The index of the label column named in `options`, if any.
fn label_index(header: Option<&[String]>, options: &CsvOptions) -> Result<Option<usize>> {
    let Some(label) = &options.label_column else {
        return Ok(None);
    };
    let Some(h) = header else {
        return Err(csv_err(
            1,
            format!(
                "label column {} requested but the file has no header",
                shown(label)
            ),
        ));
    };
    let named: Vec<usize> = (0..h.len()).filter(|&j| h[j] == *label).collect();
    match named[..] {
        [i] => Ok(Some(i)),
        [] => {
            let names: Vec<String> = h.iter().map(|n| shown(n)).collect();
            Err(csv_err(
                1,
                format!(
                    "no column named {} in the header (columns: {})",
                    shown(label),
                    names.join(", ")
                ),
            ))
        }
        _ => {
            let cols: Vec<String> = named.iter().map(|j| (j + 1).to_string()).collect();
            Err(csv_err(
                1,
                format!(
                    "the label column {} is ambiguous: columns {} all have that name",
                    shown(label),
                    cols.join(", ")
                ),
            ))
        }
    }
}

/// Parse CSV text into a [`Dataset`] named `name`.
///
/// Blank lines and comment lines (`#` first) are skipped; line numbers in errors still count
/// them. Every non-label column becomes a feature column and must hold finite numbers.
///
/// ```
/// use dimred::data::{read_csv, CsvOptions};
/// let text = "\u{feff}a,b,species\n# measured in 2026\n1,2,x\n3,4.5,\"y, the \"\"second\"\"\ntype\"\n";
/// let d = read_csv(text, "mine", &CsvOptions::with_label("species")).unwrap();
/// assert_eq!(d.x.row(1), &[3.0, 4.5]);
/// assert_eq!(d.labels.unwrap(), vec!["x", "y, the \"second\"\ntype"]);
/// let bad = read_csv("a,b\n1,\n", "bad", &CsvOptions::default()).unwrap_err();
/// assert_eq!(bad.to_string(), "CSV line 2, column 2 (\"b\"): missing value");
/// ```
///
/// # Errors
/// [`DimredError::Csv`] naming the line (1-based) and column for a missing, non-numeric or
/// non-finite value, a row with the wrong number of fields, an unknown label column, or a file
/// without data rows.
pub fn read_csv(text: &str, name: &str, options: &CsvOptions) -> Result<Dataset> {
    let mut rows = records(text, options)?;
    if rows.is_empty() {
        return Err(csv_err(1, "the file has no rows".into()));
    }
    let header = has_header(&rows, options).then(|| rows.remove(0));
    let header_line = header.as_ref().map_or(0, |h| h.0);
    let header = header.map(|h| h.1);
    let width = match (&header, rows.first()) {
        (Some(h), _) => h.len(),
        (None, Some((_, r))) => r.len(),
        (None, None) => 0,
    };
    let label_idx = label_index(header.as_deref(), options)?;
    if rows.is_empty() {
        return Err(csv_err(header_line + 1, "the file has no data rows".into()));
    }
    let feature_cols: Vec<usize> = (0..width).filter(|&j| Some(j) != label_idx).collect();
    let feature_names = match &header {
        Some(h) => feature_cols.iter().map(|&j| h[j].clone()).collect(),
        None => numbered_names("x", feature_cols.len()),
    };
    let mut values = Vec::with_capacity(rows.len() * feature_cols.len());
    let mut labels = Vec::new();
    for (line, fields) in &rows {
        if fields.len() != width {
            return Err(csv_err(*line, wrong_width(width, fields)));
        }
        let cell_err = |j: usize, message: String| DimredError::Csv {
            line: *line,
            column: Some(j + 1),
            column_name: header.as_ref().map(|h| escaped(&h[j])),
            message,
        };
        for &j in &feature_cols {
            values.push(number(&fields[j], options.delimiter).map_err(|m| cell_err(j, m))?);
        }
        if let Some(l) = label_idx {
            if fields[l].is_empty() {
                // An empty label would silently become a class of its own named "".
                return Err(cell_err(l, "missing label".into()));
            }
            labels.push(fields[l].clone());
        }
    }
    Ok(Dataset {
        name: name.to_string(),
        x: Matrix::from_vec(rows.len(), feature_cols.len(), values),
        feature_names,
        labels: label_idx.map(|_| labels),
        parameter: None,
    })
}

/// The message for a row of the wrong width; a line break inside a field usually means a
/// quote that was never closed, which then swallowed the following lines.
fn wrong_width(width: usize, fields: &[String]) -> String {
    let hint = if fields.iter().any(|f| f.contains('\n')) {
        " (a quoted field runs over a line break: an unterminated quote?)"
    } else {
        ""
    };
    format!("expected {width} fields, found {}{hint}", fields.len())
}

/// A feature cell as a finite number, or the message saying why it is not one.
fn number(cell: &str, delimiter: char) -> std::result::Result<f64, String> {
    if cell.trim().is_empty() {
        return Err("missing value".to_string());
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(v) => Err(format!("{} is {v}, not a finite number", shown(cell))),
        Err(_) if cell.trim() != cell && is_number(cell.trim()) => Err(format!(
            "{} is not a number as written: it has spaces around it (fields are not trimmed; \
             CsvOptions::trim or the command's --trim removes them)",
            shown(cell)
        )),
        Err(_) => Err(format!(
            "{} is not a number{}",
            shown(cell),
            delimiter_hint(cell, delimiter)
        )),
    }
}

/// [`read_csv`] on a file; the data set is named after the file's stem.
///
/// # Errors
/// [`DimredError::Io`] if the file cannot be read, [`DimredError::Csv`] naming the line of
/// the first byte that is not UTF-8 text, otherwise as [`read_csv`].
pub fn read_csv_file(path: &Path, options: &CsvOptions) -> Result<Dataset> {
    let bytes = std::fs::read(path)
        .map_err(|e| DimredError::Io(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
        csv_err(
            line,
            format!(
                "{} is not UTF-8 text (byte {at} is 0x{:02x}); is it a CSV file?",
                path.display(),
                e.as_bytes()[at]
            ),
        )
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    read_csv(&text, &name, options)
}

/// Write `x` (one row per sample) as CSV with a header, optionally with a label column
/// appended. Numbers are written in Rust's shortest round-trip form, so reading the file back
/// gives the same bits; names and labels are quoted when they need it, so [`read_csv`] gives
/// them back as well.
///
/// # Panics
/// If `header.len() != x.ncols()` or the labels do not have one entry per row.
///
/// # Errors
/// [`DimredError::Io`] when writing fails.
#[track_caller]
pub fn write_csv<W: Write>(
    w: W,
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
    let io = |e: csv::Error| DimredError::Io(format!("cannot write CSV: {e}"));
    // Quoted when needed: the delimiter, a quote, a line break, or a `#` that the reader
    // would take for the start of a comment line.
    let mut w = csv::WriterBuilder::new().comment(Some(b'#')).from_writer(w);
    let mut head: Vec<&str> = header.iter().map(String::as_str).collect();
    if let Some((name, _)) = labels {
        head.push(name);
    }
    w.write_record(&head).map_err(io)?;
    let mut cells = Vec::with_capacity(head.len());
    for (i, row) in x.rows().enumerate() {
        cells.clear();
        cells.extend(row.iter().map(|v| v.to_string()));
        if let Some((_, l)) = labels {
            cells.push(l[i].clone());
        }
        w.write_record(&cells).map_err(io)?;
    }
    w.flush()
        .map_err(|e| DimredError::Io(format!("cannot write CSV: {e}")))
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
        let with_header = CsvOptions {
            header: Some(true),
            ..CsvOptions::default()
        };
        let e = err("a,b\n\"1,2\n3,4\n", &with_header);
        assert!(
            e.contains("line 2") && e.contains("unterminated quote"),
            "{e}"
        );
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

    /// Regression (issue 12): a byte-order mark stayed in the first header name (so
    /// `--label-column` on that column failed), a `#` comment line could not be read, a
    /// label holding a line break could be written but not read, and every field was trimmed.
    #[test]
    fn bom_comments_newlines_and_spaces_as_written() {
        let text = "\u{feff}species,w\n# a comment, with a comma\n\"a\nb\",1\n\" c \",2\n";
        let d = read_csv(text, "t", &CsvOptions::with_label("species")).unwrap();
        assert_eq!(d.labels.unwrap(), vec!["a\nb", " c "]);
        assert_eq!(d.x.col(0), vec![1.0, 2.0]);
        // Line numbers count the comment line and the line break inside the quoted label.
        let e = err("a,b\n# c\n\"x\ny\",1\n2,z\n", &CsvOptions::with_label("a"));
        assert_eq!(e, "CSV line 5, column 2 (\"b\"): \"z\" is not a number");
        let e = err("a,b\n1, 2\n", &CsvOptions::default());
        assert!(e.contains("spaces around it"), "{e}");
        let trimmed = CsvOptions {
            trim: true,
            ..CsvOptions::default()
        };
        assert_eq!(
            read_csv("a,b\n1, 2\n", "t", &trimmed).unwrap().x.row(0),
            &[1.0, 2.0]
        );
    }

    /// Regression (issue 12): a file of binary garbage was echoed raw into the message.
    #[test]
    fn control_bytes_are_escaped_in_messages() {
        let e = err("a,b\n1,\u{1b}[2J\u{7}\n", &CsvOptions::default());
        assert!(!e.chars().any(|c| c.is_control()), "{e:?}");
        assert!(e.contains("\\u{1b}[2J\\u{7}"), "{e}");
    }

    fn label() -> impl proptest::strategy::Strategy<Value = String> {
        // Any non-empty text: delimiters, quotes, line breaks, '#', spaces, any Unicode.
        proptest::string::string_regex("(.|\n|\r|[,\"# ]){1,12}").unwrap()
    }

    proptest::proptest! {
        /// The reader gives back every label and every number the writer wrote.
        #[test]
        fn writer_and_reader_round_trip_any_label(
            labels in proptest::collection::vec(label(), 1..6),
            seed in 0u64..1000,
        ) {
            let n = labels.len();
            let x = Matrix::random_normal(n, 2, seed);
            let mut buf = Vec::new();
            write_csv(&mut buf, &["y1".into(), "y2".into()], &x, Some(("the label", &labels)))
                .unwrap();
            let text = String::from_utf8(buf).unwrap();
            let back = read_csv(&text, "t", &CsvOptions::with_label("the label")).unwrap();
            proptest::prop_assert_eq!(back.x, x);
            proptest::prop_assert_eq!(back.labels.unwrap(), labels);
        }
    }
}
