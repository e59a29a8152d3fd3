//! Splits a content file into YAML front matter and Markdown body, parses the
//! YAML into typed structs with serde_yaml, and indexes where every YAML node
//! starts (with yaml-rust2's event parser) so that later stages can point at
//! the exact row or cell. Line numbers are the file's own, never counted from
//! the start of the front-matter block. serde_yaml stays inside this module.

use crate::diagnostics::{suggest, Diagnostic, Message, Span};
use crate::source::SourceFile;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

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

/// Where a YAML node starts in the file, and its literal text when a scalar.
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
pub fn parse<T: DeserializeOwned>(file: &SourceFile, split: &Split) -> Result<(T, Positions), Diagnostic> {
    let yaml = if split.yaml.trim().is_empty() { "{}" } else { split.yaml };
    let positions = index(split.yaml, split.yaml_line);
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

/// Builds the path → position index of a YAML text.
fn index(yaml: &str, first_line: usize) -> Positions {
    let mut rx = Indexer { first_line, frames: Vec::new(), nodes: HashMap::new() };
    let mut parser = Parser::new_from_str(yaml);
    // A syntax error here is reported by serde_yaml with its own location;
    // the index simply stays partial.
    let _ = parser.load(&mut rx, false);
    Positions { nodes: rx.nodes, start: Span::new(first_line.saturating_sub(1).max(1), 1).with_len(3) }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

struct Indexer {
    first_line: usize,
    frames: Vec<Frame>,
    nodes: HashMap<String, Node>,
}

impl Indexer {
    fn span(&self, mark: &Marker, len: usize) -> Span {
        Span::new(self.first_line + mark.line().saturating_sub(1), mark.col() + 1).with_len(len)
    }

    /// The path of the next value in the current container, or None when the
    /// next scalar is a mapping key.
    fn next_value_path(&mut self) -> Option<String> {
        match self.frames.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { path, key }) => key.take().map(|k| join(path, &k)),
            Some(Frame::Seq { path, next }) => {
                *next += 1;
                Some(join(path, &(*next - 1).to_string()))
            }
        }
    }

    fn value(&mut self, mark: &Marker, literal: Option<String>) -> Option<String> {
        match self.next_value_path() {
            Some(path) => {
                let len = literal.as_ref().map_or(1, |l| l.chars().count());
                self.nodes.insert(path.clone(), Node { span: self.span(mark, len), literal });
                Some(path)
            }
            None => {
                if let (Some(Frame::Map { key, .. }), Some(lit)) = (self.frames.last_mut(), literal) {
                    *key = Some(lit);
                }
                None
            }
        }
    }
}

fn join(path: &str, child: &str) -> String {
    if path.is_empty() {
        child.to_string()
    } else {
        format!("{path}.{child}")
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, ..) => {
                self.value(&mark, Some(text));
            }
            Event::Alias(_) => {
                self.value(&mark, None);
            }
            Event::MappingStart(..) => {
                let path = self.value(&mark, None).unwrap_or_default();
                self.frames.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.value(&mark, None).unwrap_or_default();
                self.frames.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
            }
            _ => {}
        }
    }
}

/// Parses a flat `key: text` YAML file (a theme's interface strings).
pub fn parse_strings(text: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    if text.trim().is_empty() {
        return Ok(Default::default());
    }
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::Path;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(Path::new("a.md"), "a.md".into(), text)
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        rows: Vec<Vec<Value>>,
    }

    #[test]
    fn splits_front_matter_and_reports_body_line() {
        let f = file("---\ntitle: A\n---\n# Hola\n");
        let s = split(&f).expect("split");
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Hola\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        assert_eq!(split(&file("---\ntitle: A\n")).map(|_| ()).unwrap_err().message, Message::UnclosedFrontMatter);
        assert_eq!(split(&file("title: A\n")).map(|_| ()).unwrap_err().message, Message::MissingFrontMatter);
        assert_eq!(split(&file("\n\n")).map(|_| ()).unwrap_err().message, Message::EmptyFile);
    }

    #[test]
    fn unknown_field_points_at_the_file_line_and_suggests() {
        let f = file("---\ntitle: A\ntitel: B\n---\n");
        let s = split(&f).expect("split");
        let err = parse::<Doc>(&f, &s).unwrap_err();
        assert_eq!(err.span.line, 3);
        match err.message {
            Message::UnknownField { field, suggestion, .. } => {
                assert_eq!(field, "titel");
                assert_eq!(suggestion.as_deref(), Some("title"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn positions_give_file_lines_of_cells_and_their_literal() {
        let f = file("---\ntitle: A\nrows:\n  - [a, 1]\n  - [b, 12.794]\n---\n");
        let s = split(&f).expect("split");
        let (_, pos) = parse::<Doc>(&f, &s).expect("parse");
        let cell = pos.get("rows.1.1").expect("cell");
        assert_eq!((cell.span.line, cell.span.col), (5, 9));
        assert_eq!(pos.literal("rows.1.1"), Some("12.794"));
        assert_eq!(pos.span("rows.1.9").line, 5);
    }

    #[test]
    fn integers_longer_than_64_bits_get_their_own_message() {
        for (literal, col) in [("-9223372036854775809", 9), ("18446744073709551616", 9)] {
            let f = file(&format!("---\ntitle: A\nrows:\n  - [a, {literal}]\n---\n"));
            let s = split(&f).expect("split");
            let err = parse::<Doc>(&f, &s).map(|_| ()).expect_err("too long");
            assert_eq!(err.message, Message::NumberTooLong { literal: literal.into() }, "{err:?}");
            assert_eq!((err.span.line, err.span.col), (4, col));
        }
    }

    #[test]
    fn tabs_get_their_own_message() {
        let f = file("---\ntitle: A\nrows:\n\t- [a]\n---\n");
        let s = split(&f).expect("split");
        let err = parse::<Doc>(&f, &s).unwrap_err();
        assert_eq!(err.message, Message::TabInYaml, "{err:?}");
        assert_eq!(err.span.line, 4);
    }
}
