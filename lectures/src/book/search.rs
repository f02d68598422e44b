//! The search index: every page title, section heading and claim id of the book with its
//! link, written as `search-index.js` (a script, not JSON, so that the search box also works
//! when the book is opened from disk, where browsers refuse to fetch files).

use serde::Serialize;

/// One thing the search box can find.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// The text matched and shown (a heading's text, or `claim id: title`).
    #[serde(rename = "t")]
    pub text: String,
    /// The link, relative to the book's folder (`03-spectral-and-kernel.html#dr.kpca.centering`).
    #[serde(rename = "u")]
    pub href: String,
    /// The page it is on, shown under the hit.
    #[serde(rename = "p")]
    pub page: String,
}

/// The script defining `window.BOOK_SEARCH`, the list of entries.
pub fn script(entries: &[Entry]) -> String {
    let json = serde_json::to_string(entries).unwrap_or_else(|_| "[]".to_string());
    // `</` could end a script element if the file were ever inlined; keep it out.
    format!(
        "// The course book's search index, written when the book is built.\nwindow.BOOK_SEARCH = {};\n",
        json.replace("</", "<\\/")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn book_search_index_is_a_script_with_short_keys() {
        let s = script(&[Entry {
            text: "la.ky-fan: </b>".into(),
            href: "00.html#la.ky-fan".into(),
            page: "Linear algebra".into(),
        }]);
        assert!(s.contains(r#"window.BOOK_SEARCH = [{"t":"la.ky-fan: <\/b>","u":"00.html#la.ky-fan","p":"Linear algebra"}];"#), "{s}");
    }
}
