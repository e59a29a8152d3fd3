//! Words a YAML syntax error by what the editor wrote, not by the parser's
//! English: the parser only says where it stopped, and the line there (or
//! the one before, where the parser noticed late) shows the usual slips:
//! a tab, quotes pasted from Word, a value starting with `%`, `@` or a
//! backtick, `type:money` without a space, a `:` inside a caption, a list
//! never closed with `]`.

use super::{Located, Problem, MAX_DEPTH};
use crate::diagnostics::Span;
use saphyr_parser::ScanError;

/// A flow collection still open where parsing stopped: its file line and
/// the character that would close it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flow {
    pub(super) line: usize,
    pub(super) close: char,
}

/// Quotes word processors put in place of `"` and `'`.
const CURLY: [char; 6] = ['“', '”', '‘', '’', '„', '«'];

/// The problem at the parser's stop, with its place in the file.
pub(super) fn diagnose(yaml: &str, first_line: usize, err: &ScanError, flows: &[Flow]) -> Located {
    let lines: Vec<&str> = yaml.lines().collect();
    let at = err.marker().line().saturating_sub(1).min(lines.len().saturating_sub(1));
    let here = Span::new(first_line + at, err.marker().col() + 1);
    if let Some(col) = too_deep(lines.get(at).copied().unwrap_or("")) {
        return (Span::new(first_line + at, col), Problem::TooDeep { limit: MAX_DEPTH });
    }
    // The parser can stop on the line before a tab, or after the slip.
    for index in [Some(at), Some(at + 1), at.checked_sub(1)].into_iter().flatten() {
        if let Some(tab) = lines.get(index).and_then(|l| indent_tab(l)) {
            return (Span::new(first_line + index, tab), Problem::Tab);
        }
    }
    for index in [Some(at), at.checked_sub(1)].into_iter().flatten() {
        let text = lines.get(index).copied().unwrap_or("");
        if let Some(found) = slip(text) {
            let (col, problem) = found;
            return (Span::new(first_line + index, col), problem);
        }
    }
    if let Some(flow) = flows.last() {
        let text = lines.get(flow.line - first_line).copied().unwrap_or("");
        return (Span::new(flow.line, text.trim_end().chars().count() + 1), Problem::Unclosed { close: flow.close });
    }
    let char_here = lines.get(at).and_then(|l| l.chars().nth(err.marker().col()));
    if let Some(ch) = char_here.filter(|c| matches!(c, '@' | '`' | '%')) {
        return (here, Problem::ReservedStart { ch });
    }
    (here, Problem::Syntax)
}

/// The column where `[` and `{` on one line nest past [`MAX_DEPTH`]: the
/// parser stops such a line before any of it reaches the tree's own limit.
fn too_deep(line: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (col, c) in line.chars().enumerate() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Some(col + 1);
        }
    }
    None
}

/// A known slip on one line: its column (1-based) and the problem.
fn slip(line: &str) -> Option<(usize, Problem)> {
    let col = |byte: usize| line[..byte].chars().count() + 1;
    if let Some(q) = line.find(CURLY) {
        return Some((col(q), Problem::CurlyQuotes));
    }
    let content = item_content(line);
    let start = line.len() - content.len();
    match content.find(": ").or_else(|| content.strip_suffix(':').map(str::len)) {
        Some(sep) => {
            let value = &content[sep + 1..];
            let value_start = start + sep + 1 + (value.len() - value.trim_start().len());
            let value = value.trim();
            if let Some(ch) = value.chars().next().filter(|c| matches!(c, '@' | '`' | '%')) {
                return Some((col(value_start), Problem::ReservedStart { ch }));
            }
            if value.starts_with(['"', '\'', '[', '{', '|', '>']) {
                return None;
            }
            let inner = value.find(": ").or_else(|| value.strip_suffix(':').map(str::len))?;
            let (key, text) = (content[..sep].to_string(), value.to_string());
            Some((col(value_start + inner), Problem::ColonInText { key, text }))
        }
        None => {
            let (key, value) = content.split_once(':')?;
            let plain_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
            (plain_key && !value.is_empty() && !value.starts_with(' ')).then(|| {
                (col(start + key.len()), Problem::MissingSpace { key: key.to_string(), value: value.to_string() })
            })
        }
    }
}

/// The column of a tab in a line's indentation.
fn indent_tab(line: &str) -> Option<usize> {
    let tab = line.find('\t')?;
    line[..tab].trim().is_empty().then(|| line[..tab].chars().count() + 1)
}

/// A line without its indentation and list dashes: `  - - a: b` → `a: b`.
fn item_content(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix("- ") {
        rest = after.trim_start();
    }
    rest.trim_end()
}
