//! The tour's evidence saved as JSON (`evidence.json` in the book folder), so that
//! `lectures book` can rebuild the book without recomputing every claim.
//!
//! The file holds everything the book shows of a claim: its checks, remarks, error, time and
//! the complete SVG of each figure. A value that is not finite (a NaN that failed a check) is
//! written as the string `"NaN"`, `"inf"` or `"-inf"`, since JSON numbers cannot hold it.

use crate::tour::Outcome;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file name of the saved evidence inside the book folder.
pub const FILE: &str = "evidence.json";

/// Everything one run of the tour measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TourRecord {
    /// Wall-clock seconds of the whole run.
    pub total_seconds: f64,
    /// One entry per claim that was run, in notes order.
    pub claims: Vec<ClaimRecord>,
}

/// One claim's evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// The claim id.
    pub claim: String,
    /// The notes chapter's file stem.
    pub chapter: String,
    /// Whether every check passed and there was no error.
    pub passed: bool,
    /// Seconds the computation took.
    pub seconds: f64,
    /// The measured numbers.
    pub checks: Vec<CheckRecord>,
    /// The figures, with their SVG text.
    pub figures: Vec<FigureRecord>,
    /// Remarks about the data used.
    pub remarks: Vec<String>,
    /// The error that stopped the computation, if any.
    pub error: Option<String>,
}

/// One measured number against its bound.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// What was measured.
    pub what: String,
    /// The measured value.
    #[serde(with = "non_finite")]
    pub value: f64,
    /// `≤` or `≥`.
    pub relation: String,
    /// The bound.
    #[serde(with = "non_finite")]
    pub bound: f64,
    /// Why this bound.
    pub why: String,
    /// Whether the relation holds.
    pub pass: bool,
}

/// One figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureRecord {
    /// File name without `.svg`.
    pub file_stem: String,
    /// What the figure shows.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

impl TourRecord {
    /// The record of a tour run.
    pub fn from_outcomes(outcomes: &[Outcome], total_seconds: f64) -> TourRecord {
        let claims = outcomes
            .iter()
            .map(|o| {
                let ev = &o.evidence;
                ClaimRecord {
                    claim: ev.claim.to_string(),
                    chapter: o.chapter.stem.to_string(),
                    passed: ev.passed(),
                    seconds: o.seconds,
                    checks: ev
                        .checks
                        .iter()
                        .map(|c| CheckRecord {
                            what: c.what.clone(),
                            value: c.value,
                            relation: c.relation.to_string(),
                            bound: c.bound,
                            why: c.why.clone(),
                            pass: c.pass,
                        })
                        .collect(),
                    figures: ev
                        .figures
                        .iter()
                        .map(|f| FigureRecord {
                            file_stem: f.file_stem.clone(),
                            caption: f.caption.clone(),
                            svg: f.svg.clone(),
                        })
                        .collect(),
                    remarks: ev.remarks.clone(),
                    error: ev.error.clone(),
                }
            })
            .collect();
        TourRecord {
            total_seconds,
            claims,
        }
    }

    /// The evidence of `claim`, if the run covered it.
    pub fn get(&self, claim: &str) -> Option<&ClaimRecord> {
        self.claims.iter().find(|c| c.claim == claim)
    }

    /// Writes the record as JSON to `path`.
    ///
    /// # Errors
    /// I/O errors.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string(self).map_err(std::io::Error::other)?;
        std::fs::write(path, text)
    }

    /// Reads a record written by [`TourRecord::save`].
    ///
    /// # Errors
    /// A message naming the file when it cannot be read or is not a tour record.
    pub fn load(path: &Path) -> Result<TourRecord, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not the tour's evidence: {e}", path.display()))
    }
}

/// Serde for an `f64` that may be NaN or infinite: finite values are numbers, the others the
/// strings `NaN`, `inf`, `-inf` (as Rust prints and parses them).
mod non_finite {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_finite() {
            s.serialize_f64(*x)
        } else {
            s.serialize_str(&x.to_string())
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Num {
        Finite(f64),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        match Num::deserialize(d)? {
            Num::Finite(x) => Ok(x),
            Num::Text(t) => t
                .parse()
                .map_err(|_| serde::de::Error::custom(format!("not a number: {t:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_evidence_json_round_trips_non_finite_values() {
        let check = |value| CheckRecord {
            what: "x".into(),
            value,
            relation: "≤".into(),
            bound: 1.0,
            why: "because".into(),
            pass: false,
        };
        let rec = TourRecord {
            total_seconds: 1.5,
            claims: vec![ClaimRecord {
                claim: "la.ky-fan".into(),
                chapter: "00-linear-algebra".into(),
                passed: false,
                seconds: 0.25,
                checks: vec![check(f64::INFINITY), check(-f64::INFINITY), check(0.1)],
                figures: vec![],
                remarks: vec![],
                error: Some("boom".into()),
            }],
        };
        let text = serde_json::to_string(&rec).unwrap();
        let back: TourRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rec);
        let nan = serde_json::to_string(&check(f64::NAN)).unwrap();
        let back: CheckRecord = serde_json::from_str(&nan).unwrap();
        assert!(back.value.is_nan(), "{nan}");
    }
}
