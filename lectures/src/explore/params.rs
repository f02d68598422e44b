//! Reading and validating the parameters of a request.
//!
//! Every page sends its controls as a query string (`/api/spectral?method=kpca&gamma=2`).
//! [`Query`] splits and percent-decodes it; each typed getter checks one parameter against
//! its allowed range and, on failure, returns a [`BadRequest`] whose message names the
//! parameter, the value received and what is allowed. The server answers it with HTTP 400,
//! and the page prints the message where the figure would be.

use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;

/// A request the server refuses, with the message the page shows (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadRequest {}

/// Shorthand for the result of a handler that can refuse its request.
pub type Checked<T> = Result<T, BadRequest>;

/// The decoded `key=value` pairs of a query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: HashMap<String, String>,
}

/// Longest query string accepted: the pages send a few short numbers.
pub const MAX_QUERY_LEN: usize = 2048;

impl Query {
    /// Parse `a=1&b=two` (without the leading `?`). A repeated key, a key without `=`, bad
    /// percent-encoding or a query longer than [`MAX_QUERY_LEN`] is refused.
    pub fn parse(query: &str) -> Checked<Query> {
        if query.len() > MAX_QUERY_LEN {
            return Err(BadRequest(format!(
                "the query string has {} characters; at most {MAX_QUERY_LEN} are accepted",
                query.len()
            )));
        }
        let mut pairs = HashMap::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let Some((k, v)) = part.split_once('=') else {
                return Err(BadRequest(format!(
                    "parameter `{part}` has no value (expected key=value)"
                )));
            };
            let (k, v) = (percent_decode(k)?, percent_decode(v)?);
            if pairs.insert(k.clone(), v).is_some() {
                return Err(BadRequest(format!("parameter `{k}` is given twice")));
            }
        }
        Ok(Query { pairs })
    }

    /// The raw text of `key`, if present.
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.pairs.get(key).map(String::as_str)
    }

    /// A finite number in `range`, or `default` when absent.
    pub fn f64_in(&self, key: &str, range: RangeInclusive<f64>, default: f64) -> Checked<f64> {
        let Some(text) = self.raw(key) else {
            return Ok(default);
        };
        let value: f64 = text
            .trim()
            .parse()
            .map_err(|_| BadRequest(format!("{key} = `{text}` is not a number")))?;
        if !value.is_finite() || !range.contains(&value) {
            return Err(BadRequest(format!(
                "{key} = {text} is out of range: allowed {} to {}",
                range.start(),
                range.end()
            )));
        }
        Ok(value)
    }

    /// A whole number in `range`, or `default` when absent.
    pub fn usize_in(
        &self,
        key: &str,
        range: RangeInclusive<usize>,
        default: usize,
    ) -> Checked<usize> {
        let Some(text) = self.raw(key) else {
            return Ok(default);
        };
        let value: usize = text
            .trim()
            .parse()
            .map_err(|_| BadRequest(format!("{key} = `{text}` is not a whole number ≥ 0")))?;
        if !range.contains(&value) {
            return Err(BadRequest(format!(
                "{key} = {value} is out of range: allowed {} to {}",
                range.start(),
                range.end()
            )));
        }
        Ok(value)
    }

    /// One of `choices` (the first is the default when absent).
    pub fn choice<'c>(&self, key: &str, choices: &[&'c str]) -> Checked<&'c str> {
        let Some(text) = self.raw(key) else {
            return Ok(choices[0]);
        };
        choices
            .iter()
            .find(|c| **c == text)
            .copied()
            .ok_or_else(|| {
                BadRequest(format!(
                    "{key} = `{text}` is not one of: {}",
                    choices.join(", ")
                ))
            })
    }

    /// Refuse any parameter not in `known` (a typo would otherwise be ignored in silence).
    pub fn only(&self, known: &[&str]) -> Checked<()> {
        let mut unknown: Vec<&str> = self
            .pairs
            .keys()
            .map(String::as_str)
            .filter(|k| !known.contains(k))
            .collect();
        unknown.sort_unstable();
        match unknown.first() {
            None => Ok(()),
            Some(k) => Err(BadRequest(format!(
                "unknown parameter `{k}`; this page takes: {}",
                known.join(", ")
            ))),
        }
    }
}

/// Decode `%XX` escapes and `+` (a space in form encoding); the result must be UTF-8.
fn percent_decode(s: &str) -> Checked<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| BadRequest(format!("bad percent-escape in `{s}`")))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| BadRequest(format!("`{s}` is not valid UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_decodes_pairs() {
        let q = Query::parse("a=1&name=swiss%20roll&b=x+y").unwrap();
        assert_eq!(q.raw("a"), Some("1"));
        assert_eq!(q.raw("name"), Some("swiss roll"));
        assert_eq!(q.raw("b"), Some("x y"));
        assert_eq!(q.raw("c"), None);
        assert_eq!(Query::parse("").unwrap(), Query::default());
    }

    #[test]
    fn refuses_malformed_queries() {
        for bad in ["a", "a=1&a=2", "a=%zz", "a=%4", "a=%ff"] {
            let e = Query::parse(bad).unwrap_err();
            assert!(!e.0.is_empty(), "{bad}");
        }
        assert!(Query::parse(&"a=1&".repeat(600))
            .unwrap_err()
            .0
            .contains("at most"));
    }

    #[test]
    fn numbers_are_checked_against_their_range() {
        let q = Query::parse("g=2.5&n=300&bad=abc&nan=NaN&inf=inf&neg=-1").unwrap();
        assert_eq!(q.f64_in("g", 0.0..=10.0, 1.0), Ok(2.5));
        assert_eq!(q.f64_in("missing", 0.0..=10.0, 1.0), Ok(1.0));
        assert!(q
            .f64_in("g", 0.0..=1.0, 1.0)
            .unwrap_err()
            .0
            .contains("out of range"));
        assert!(q
            .f64_in("bad", 0.0..=1.0, 1.0)
            .unwrap_err()
            .0
            .contains("not a number"));
        assert!(q.f64_in("nan", f64::MIN..=f64::MAX, 1.0).is_err());
        assert!(q.f64_in("inf", f64::MIN..=f64::MAX, 1.0).is_err());
        assert_eq!(q.usize_in("n", 10..=1000, 5), Ok(300));
        assert!(q
            .usize_in("n", 10..=100, 5)
            .unwrap_err()
            .0
            .contains("n = 300"));
        assert!(q
            .usize_in("neg", 0..=100, 5)
            .unwrap_err()
            .0
            .contains("whole number"));
        assert!(q.usize_in("g", 0..=100, 5).is_err());
    }

    #[test]
    fn choices_and_unknown_keys() {
        let q = Query::parse("kernel=rbf&typo=1").unwrap();
        assert_eq!(q.choice("kernel", &["linear", "rbf"]), Ok("rbf"));
        assert_eq!(q.choice("other", &["x", "y"]), Ok("x"));
        let e = q.choice("kernel", &["linear", "poly"]).unwrap_err();
        assert!(e.0.contains("linear, poly"), "{e}");
        let e = q.only(&["kernel"]).unwrap_err();
        assert!(e.0.contains("`typo`"), "{e}");
        assert_eq!(q.only(&["kernel", "typo"]), Ok(()));
    }
}
