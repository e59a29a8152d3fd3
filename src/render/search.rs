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
/// At 10,000 sections it is 40 MB: serialised once into a buffer of about
/// the right size, then escaped in one pass.
pub fn script(entries: &[Entry]) -> Vec<u8> {
    let estimate: usize = entries.iter().map(|e| e.s.len() + e.h.len() + e.u.len() + e.x.len() + 32).sum();
    let mut json = Vec::with_capacity(estimate + estimate / 16);
    if serde_json::to_writer(&mut json, entries).is_err() {
        json = b"[]".to_vec();
    }
    let json = String::from_utf8(json).unwrap_or_else(|_| "[]".into());
    let mut out = String::with_capacity(json.len() + json.len() / 64 + 64);
    out.push_str("window.CUENTA_SEARCH_INDEX=");
    push_html_safe(&mut out, &json);
    out.push_str(";\n");
    out.into_bytes()
}

/// Escapes `<`, `>` and `&` inside JSON strings as `\u003c`, `\u003e` and
/// `\u0026`: the same data, but no tag (nor `</script`, nor `<!--`) survives
/// when the file is opened as text or inlined into a page. Outside strings
/// JSON never holds these characters.
pub fn html_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    push_html_safe(&mut out, json);
    out
}

fn push_html_safe(out: &mut String, json: &str) {
    let mut rest = json;
    while let Some(i) = rest.find(['<', '>', '&']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Collapses whitespace so entries stay small.
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
