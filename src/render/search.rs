//! The offline search index: one entry per heading block of every section,
//! written as a script (`search-index.js`) so it loads from file:// too.

use serde::Serialize;

/// One searchable block.
#[derive(Debug, Serialize)]
pub(super) struct Entry {
    /// Section title.
    pub s: String,
    /// Heading title.
    pub h: String,
    /// Relative URL with anchor.
    pub u: String,
    /// Plain text, tables included.
    pub x: String,
}

/// A run of entries as JSON array items (no brackets), HTML-safe: the index
/// is the fragments of all sections joined with commas, so a save re-makes
/// only its own section's fragment.
pub(super) fn fragment(entries: &[Entry]) -> String {
    let estimate: usize = entries.iter().map(|e| e.s.len() + e.h.len() + e.u.len() + e.x.len() + 32).sum();
    let mut json = Vec::with_capacity(estimate + estimate / 16);
    if serde_json::to_writer(&mut json, entries).is_err() {
        return String::new();
    }
    let json = String::from_utf8(json).unwrap_or_default();
    let items = json.strip_prefix('[').and_then(|j| j.strip_suffix(']')).unwrap_or("");
    html_safe_json(items)
}

/// The index as a JavaScript file assigning `window.CUENTA_SEARCH_INDEX`,
/// from each section's [`fragment`] in order.
pub(super) fn script(fragments: &[impl AsRef<str>]) -> Vec<u8> {
    let size: usize = fragments.iter().map(|f| f.as_ref().len() + 1).sum();
    let mut out = String::with_capacity(size + 64);
    out.push_str("window.CUENTA_SEARCH_INDEX=[");
    let mut first = true;
    for f in fragments.iter().map(AsRef::as_ref).filter(|f| !f.is_empty()) {
        if !first {
            out.push(',');
        }
        out.push_str(f);
        first = false;
    }
    out.push_str("];\n");
    out.into_bytes()
}

/// Escapes `<`, `>` and `&` inside JSON strings as `\u003c`, `\u003e` and
/// `\u0026`: the same data, but no tag (nor `</script`, nor `<!--`) survives
/// when the file is opened as text or inlined into a page. Outside strings
/// JSON never holds these characters.
pub(super) fn html_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    push_html_safe(&mut out, json);
    out
}

fn push_html_safe(out: &mut String, json: &str) {
    let mut rest = json;
    // A byte scan: a pattern of chars decoded every char of the index.
    while let Some(i) = rest.bytes().position(|b| matches!(b, b'<' | b'>' | b'&')) {
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
pub(super) fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    // Split on ASCII whitespace byte by byte, with no char decoding: this
    // runs over every word of the report. Only a word with non-ASCII bytes
    // is split again for the other Unicode spaces (no-break space and such).
    // Cutting at ASCII bytes always falls on char boundaries.
    let mut word = |word: Option<&str>, ascii: bool| match word.filter(|w| !w.is_empty()) {
        Some(w) if ascii => push(w),
        Some(w) => w.split_whitespace().for_each(&mut push),
        None => {}
    };
    let (mut start, mut ascii) = (0, true);
    for (i, b) in text.bytes().enumerate() {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            word(text.get(start..i), ascii);
            (start, ascii) = (i + 1, true);
        } else if b >= 0x80 {
            ascii = false;
        }
    }
    word(text.get(start..), ascii);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_loses_every_tag_but_not_its_meaning() {
        let json = r#"{"x":"<script>a & b</script> ñ >"}"#;
        let safe = html_safe_json(json);
        assert_eq!(safe, r#"{"x":"\u003cscript\u003ea \u0026 b\u003c/script\u003e ñ \u003e"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["x"], "<script>a & b</script> ñ >");
    }

    #[test]
    fn squash_collapses_every_unicode_space_as_split_whitespace_does() {
        let texts = [
            "  Año   2018\n\tgestión  ",
            "$\u{a0}1.000\u{2003}y\u{202f}más",
            "a\u{b}b\u{c}c\r\nd",
            "ñandú\u{3000}",
            "",
            " \u{a0} ",
        ];
        for t in texts {
            assert_eq!(squash(t), t.split_whitespace().collect::<Vec<_>>().join(" "), "{t:?}");
        }
    }
}
