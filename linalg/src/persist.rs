//! # Keeping results on disk: matrices as plain data, files written atomically
//!
//! The model files of the workspace (`nn`'s trained networks, `dimred`'s fitted PCA, kernel
//! PCA and classical MDS) are versioned JSON. The two pieces they share live here, once:
//!
//! - [`SavedMatrix`]: a matrix as `{"rows", "cols", "data"}` (row-major, as in memory), checked
//!   when it is turned back into a [`Matrix`] (the count must match the shape, every entry
//!   must be finite), so a hand-edited or truncated file is an error, never a wrong matrix.
//! - [`write_atomically`]: the bytes go to a temporary file in the target's folder, are
//!   synced, then renamed over the target. A crash leaves the old file or the new one, never
//!   half of one (a rename within one file system is atomic on POSIX).
//!
//! Floats survive the round trip bit for bit when serde_json's `float_roundtrip` feature is
//! on (the workspace's Cargo.toml sets it).

use crate::Matrix;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A matrix as plain serialisable data: shape and row-major entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMatrix {
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
    /// The entries, row after row.
    pub data: Vec<f64>,
}

impl From<&Matrix> for SavedMatrix {
    fn from(m: &Matrix) -> Self {
        SavedMatrix {
            rows: m.nrows(),
            cols: m.ncols(),
            data: m.as_slice().to_vec(),
        }
    }
}

impl SavedMatrix {
    /// Back to a [`Matrix`], checking that the entries fill the shape and are finite.
    ///
    /// # Errors
    /// A sentence naming `what` (e.g. `"encoder W"`) and the problem.
    pub fn into_matrix(self, what: &str) -> Result<Matrix, String> {
        if self.rows.checked_mul(self.cols) != Some(self.data.len()) {
            return Err(format!(
                "{what}: {} values for a {}x{} matrix",
                self.data.len(),
                self.rows,
                self.cols
            ));
        }
        if let Some(i) = self.data.iter().position(|v| !v.is_finite()) {
            return Err(format!(
                "{what}: entry ({}, {}) is {}",
                i / self.cols.max(1),
                i % self.cols.max(1),
                self.data[i]
            ));
        }
        Ok(Matrix::from_vec(self.rows, self.cols, self.data))
    }
}

/// Write `bytes` to `path` atomically: a temporary file beside it, synced, renamed over it.
/// On failure the temporary file is removed and the target is untouched.
///
/// # Errors
/// The I/O error, with the path it concerns (the temporary file or the target).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), (PathBuf, std::io::Error)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err((tmp, e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        (path.to_path_buf(), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_matrix_round_trips_and_rejects_bad_shapes_and_values() {
        let m = Matrix::from_rows(&[[1.0, -2.5], [3.0, 1e-300]]);
        let back = SavedMatrix::from(&m).into_matrix("m").unwrap();
        assert_eq!(back, m);
        let short = SavedMatrix {
            rows: 2,
            cols: 2,
            data: vec![1.0; 3],
        };
        assert!(short
            .into_matrix("W")
            .unwrap_err()
            .contains("3 values for a 2x2"));
        let nan = SavedMatrix {
            rows: 1,
            cols: 2,
            data: vec![1.0, f64::NAN],
        };
        assert!(nan.into_matrix("b").unwrap_err().contains("(0, 1) is NaN"));
    }

    #[test]
    fn write_atomically_replaces_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("linalg-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.json");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1, "only the target remains");
        // A missing folder: an error naming the temporary file, nothing written.
        let err = write_atomically(&dir.join("missing/x.json"), b"x").unwrap_err();
        assert!(err.0.to_string_lossy().contains("missing"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
