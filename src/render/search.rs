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
    // A literal "</script" can never close anything in a .js file, but keep
    // the index safe to inline into a page as well.
    let json = json.replace("</", "<\\/");
    format!("window.CUENTA_SEARCH_INDEX={json};\n").into_bytes()
}

/// Collapses whitespace so entries stay small.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
