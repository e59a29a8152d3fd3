//! Splits a content file into YAML front matter and Markdown body, parses the
//! YAML into typed structs with serde_yaml, and indexes where every YAML node
//! starts (with yaml-rust2's event parser) so that later stages can point at
//! the exact row or cell. Line numbers are the file's own, never counted from
//! the start of the front-matter block. serde_yaml stays inside this module.
//!
//! `index` reads the YAML once with yaml-rust2 into positions and a value
//! tree; `scalar` gives plain scalars their types by serde_yaml's rules.

mod index;
mod scalar;

use crate::diagnostics::{suggest, Diagnostic, Message, Span};
use crate::source::SourceFile;
use index::index;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A cell or other value as written in YAML, before the table gives it a type.
pub type Value = serde_yaml::Value;

/// The two parts of a content file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line (1-based) of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line (1-based) of the first body line.
    pub body_line: usize,
}

/// Splits `---\n yaml \n---\n body`.
pub fn split(file: &SourceFile) -> Result<Split<'_>, Diagnostic> {
    let text = file.text.as_str();
    if text.trim().is_empty() {
        return Err(Diagnostic::error(file, Span::new(1, 1), Message::EmptyFile));
    }
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---").filter(|r| r.trim().is_empty()))
    else {
        return Err(Diagnostic::error(file, Span::new(1, 1), Message::MissingFrontMatter));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split { yaml, yaml_line: 2, body, body_line: i + 3 });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, Span::new(1, 1).with_len(3), Message::UnclosedFrontMatter))
}

/// Where a YAML node starts in the file (its span covers a scalar's text),
/// and the literal text of a scalar that is not read as text: a number's
/// `12.50` keeps the decimals its value loses. Text is its own literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub span: Span,
    pub literal: Option<String>,
}

/// Positions of YAML nodes by path, e.g. `tables.0.rows.3.2`.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    nodes: HashMap<String, Node>,
    /// Span of the first line of the block, for problems with no better place.
    pub start: Span,
}

impl Positions {
    /// The node at `path`, if the YAML had one.
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }
    /// The span at `path`, or the nearest ancestor's, or the block start.
    pub fn span(&self, path: &str) -> Span {
        let mut p = path;
        loop {
            if let Some(n) = self.nodes.get(p) {
                return n.span;
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return self.start,
            }
        }
    }
    /// The literal text of the scalar at `path`.
    pub fn literal(&self, path: &str) -> Option<&str> {
        self.nodes.get(path).and_then(|n| n.literal.as_deref())
    }
}

/// Parses the front matter into `T`, with the positions of its nodes.
///
/// The YAML is parsed once, by yaml-rust2, into the positions and a value
/// tree that serde turns into `T`. serde_yaml parses the text itself only
/// when that fails or the text uses what the tree does not model (tags,
/// anchors, duplicate keys, integers past 64 bits), so that it decides and
/// words every error exactly as before: parsing twice was a seventh of a
/// build.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, split: &Split) -> Result<(T, Positions), Diagnostic> {
    let yaml = if split.yaml.trim().is_empty() { "{}" } else { split.yaml };
    let (positions, tree) = index(yaml, split.yaml_line);
    if let Some(value) = tree {
        if let Ok(value) = serde_yaml::from_value::<T>(value) {
            return Ok((value, positions));
        }
    }
    match serde_yaml::from_str::<T>(yaml) {
        Ok(value) => Ok((value, positions)),
        Err(err) => Err(yaml_error(file, split, &err)),
    }
}

fn yaml_error(file: &SourceFile, split: &Split, err: &serde_yaml::Error) -> Diagnostic {
    let (line, col) = match err.location() {
        Some(loc) => (split.yaml_line + loc.line().saturating_sub(1), loc.column().max(1)),
        None => (split.yaml_line.saturating_sub(1).max(1), 1),
    };
    let full = err.to_string();
    let detail = full.split(" at line ").next().unwrap_or(&full).to_string();
    let line_text = file.line(line);
    let mut span = Span::new(line, col);
    let message = if let Some(field) = between(&detail, "unknown field `", "`") {
        span = span.with_len(field.chars().count());
        let expected = backticked(detail.split_once("expected").map_or("", |(_, e)| e));
        Message::UnknownField { suggestion: suggest(&field, expected.iter().map(String::as_str)), field, expected }
    } else if let Some(value) = between(&detail, "unknown variant `", "`") {
        let expected = backticked(detail.split_once("expected").map_or("", |(_, e)| e));
        Message::UnknownVariant { suggestion: suggest(&value, expected.iter().map(String::as_str)), value, expected }
    } else if let Some(field) = between(&detail, "missing field `", "`") {
        Message::MissingField { field }
    } else if let Some(literal) = between(&detail, "invalid type: integer `", "` as i128")
        .or_else(|| between(&detail, "invalid type: integer `", "` as u128"))
    {
        // serde_yaml holds integers in 64 bits and refuses longer ones.
        span = span.with_len(literal.chars().count());
        Message::NumberTooLong { literal }
    } else if line_text.contains('\t') || file.line(line.saturating_sub(1)).starts_with('\t') {
        if let Some(tab) = line_text.find('\t') {
            span = Span::new(line, line_text[..tab].chars().count() + 1);
        }
        Message::TabInYaml
    } else if detail.starts_with("invalid type")
        || detail.starts_with("invalid value")
        || detail.contains("expected") && !detail.contains("while parsing")
    {
        Message::InvalidValue { detail }
    } else {
        Message::YamlSyntax { detail }
    };
    Diagnostic::error(file, span, message)
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_string())
}

fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// Parses a flat `key: text` YAML file (a theme's interface strings).
pub fn parse_strings(text: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    if text.trim().is_empty() {
        return Ok(Default::default());
    }
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
