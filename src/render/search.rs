//! The offline search index: one entry per heading block of every section,
//! written as a script (`search-index.js`) so it loads from file:// too.

use serde::Serialize;

/// One searchable block.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// Section title.
    pub s: String,
    /// Heading title.
    pub h: String,
    /// Relative URL with anchor.
    pub u: String,
    /// Plain text, tables included.
    pub x: String,
}

/// The index as a JavaScript file assigning `window.CUENTA_SEARCH_INDEX`.
pub fn script(entries: &[Entry]) -> Vec<u8> {
    let json = serde_json::to_string(entries).unwrap_or_else(|_| "[]".into());
    format!("window.CUENTA_SEARCH_INDEX={};\n", html_safe_json(&json)).into_bytes()
}

/// Escapes `<`, `>` and `&` inside JSON strings as `\u003c`, `\u003e` and
/// `\u0026`: the same data, but no tag (nor `</script`, nor `<!--`) survives
/// when the file is opened as text or inlined into a page. Outside strings
/// JSON never holds these characters.
pub fn html_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Collapses whitespace so entries stay small.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
