//! Splits a content file into YAML front matter and Markdown body, parses the
//! YAML into typed structs with serde_yaml, and indexes where every YAML node
//! starts (with yaml-rust2's event parser) so that later stages can point at
//! the exact row or cell. Line numbers are the file's own, never counted from
//! the start of the front-matter block. serde_yaml stays inside this module.

use crate::diagnostics::{suggest, Diagnostic, Message, Span};
use crate::source::SourceFile;
use serde::de::DeserializeOwned;
use serde_yaml::Mapping;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

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

/// Builds the path → position index of a YAML text and, when the text is
/// plain data, its value as serde_yaml would read it.
fn index(yaml: &str, first_line: usize) -> (Positions, Option<Value>) {
    let mut rx =
        Indexer { first_line, frames: Vec::new(), nodes: HashMap::new(), root: None, documents: 0, plain: true };
    let mut parser = Parser::new_from_str(yaml);
    // A syntax error here is reported by serde_yaml with its own location;
    // the index simply stays partial.
    let parsed = parser.load(&mut rx, true).is_ok();
    let positions = Positions { nodes: rx.nodes, start: Span::new(first_line.saturating_sub(1).max(1), 1).with_len(3) };
    let tree = (parsed && rx.plain && rx.documents == 1).then_some(rx.root).flatten();
    (positions, tree)
}

enum Frame {
    /// `key` is the pending key and, for a key that is not text, its literal
    /// (the path names a key by its text).
    Map {
        path: String,
        key: Option<(Value, Option<String>)>,
        map: Mapping,
    },
    Seq {
        path: String,
        items: Vec<Value>,
    },
}

struct Indexer {
    first_line: usize,
    frames: Vec<Frame>,
    nodes: HashMap<String, Node>,
    root: Option<Value>,
    documents: usize,
    /// False once the text uses something the value tree does not model.
    plain: bool,
}

impl Indexer {
    fn span(&self, mark: &Marker, len: usize) -> Span {
        Span::new(self.first_line + mark.line().saturating_sub(1), mark.col() + 1).with_len(len)
    }

    /// The path of the next value in the current container, or None when the
    /// next node is a mapping key.
    fn next_value_path(&self) -> Option<String> {
        use std::fmt::Write as _;
        let (parent, key) = match self.frames.last()? {
            Frame::Map { path, key: Some((Value::String(k), _)), .. } => (path, k.as_str()),
            Frame::Map { path, key: Some((_, Some(k))), .. } => (path, k.as_str()),
            Frame::Map { .. } => return None,
            Frame::Seq { path, items } => {
                let mut p = String::with_capacity(path.len() + 4);
                p.push_str(path);
                if !path.is_empty() {
                    p.push('.');
                }
                let _ = write!(p, "{}", items.len());
                return Some(p);
            }
        };
        Some(join(parent, key))
    }

    /// Records where the next node starts, unless it is a mapping key.
    fn record(&mut self, mark: &Marker, len: usize, literal: Option<String>) {
        let path = if self.frames.is_empty() { Some(String::new()) } else { self.next_value_path() };
        if let Some(path) = path {
            let span = self.span(mark, len);
            self.nodes.insert(path, Node { span, literal });
        }
    }

    /// Starts a mapping or list: its path, recorded.
    fn open(&mut self, mark: &Marker) -> String {
        let path = if self.frames.is_empty() { Some(String::new()) } else { self.next_value_path() };
        // A mapping or list used as a key has no path of its own.
        let Some(path) = path else { return String::new() };
        let span = self.span(mark, 1);
        self.nodes.insert(path.clone(), Node { span, literal: None });
        path
    }

    /// Puts a finished node into its container (as its key, when the
    /// container is a mapping waiting for one).
    fn place(&mut self, value: Value, literal: Option<String>, scalar: bool) {
        match self.frames.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { key, map, .. }) => match key.take() {
                None => {
                    // A mapping or list as a key: serde_yaml decides.
                    self.plain &= scalar;
                    *key = Some((value, literal));
                }
                Some((k, _)) => {
                    if map.insert(k, value).is_some() {
                        self.plain = false;
                    }
                }
            },
        }
    }
}

fn join(path: &str, child: &str) -> String {
    let mut p = String::with_capacity(path.len() + 1 + child.len());
    p.push_str(path);
    if !path.is_empty() {
        p.push('.');
    }
    p.push_str(child);
    p
}

/// A plain scalar's value by serde_yaml's rules (YAML 1.2 core schema:
/// `~`/`null`, `true`/`false`, integers in 64 bits, floats, else text);
/// None for an integer only a 128-bit type holds, which serde_yaml refuses.
fn resolve(text: String) -> Option<Value> {
    use serde_yaml::Number;
    if text.is_empty() || matches!(text.as_str(), "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    match text.as_str() {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) {
        // No number starts otherwise: most text is settled here.
        return Some(Value::String(text));
    }
    if let Some(n) = unsigned(&text, u64::from_str_radix) {
        return Some(Value::Number(Number::from(n)));
    }
    if let Some(n) = negative(&text, i64::from_str_radix) {
        return Some(Value::Number(Number::from(n)));
    }
    if unsigned(&text, u128::from_str_radix).is_some() || negative(&text, i128::from_str_radix).is_some() {
        return None;
    }
    if !leading_zero_digits(&text) {
        if let Some(f) = float(&text) {
            return Some(Value::Number(Number::from(f)));
        }
    }
    Some(Value::String(text))
}

fn unsigned<T>(text: &str, radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = radix(rest, base) {
                return Some(n);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || leading_zero_digits(text) {
        return None;
    }
    radix(unsigned, 10).ok()
}

fn negative<T>(text: &str, radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    for (prefix, base) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Ok(n) = radix(&format!("-{rest}"), base) {
                return Some(n);
            }
        }
    }
    if leading_zero_digits(text) {
        return None;
    }
    radix(text, 10).ok()
}

fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (unsigned, text) {
        (".inf" | ".Inf" | ".INF", _) => return Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => return Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => return Some(f64::NAN),
        _ => {}
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `007`, `-01`: text, not numbers, in YAML 1.2.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::Scalar(text, style, anchor, tag) => {
                self.plain &= anchor == 0 && tag.is_none();
                let len = text.chars().count();
                let value = if style == TScalarStyle::Plain {
                    // Kept for numbers and the like before the text is consumed.
                    let literal = resolve_literal(&text);
                    (resolve(text), literal)
                } else {
                    (Some(Value::String(text)), None)
                };
                let (value, literal) = match value {
                    (Some(v), literal) => (v, literal),
                    (None, literal) => {
                        self.plain = false;
                        (Value::Null, literal)
                    }
                };
                let key_literal = (!matches!(value, Value::String(_))).then(|| literal.clone()).flatten();
                self.record(&mark, len, literal);
                self.place(value, key_literal, true);
            }
            Event::Alias(_) => {
                self.plain = false;
                self.record(&mark, 1, None);
                self.place(Value::Null, None, true);
            }
            Event::MappingStart(anchor, tag) => {
                self.plain &= anchor == 0 && tag.is_none();
                let path = self.open(&mark);
                self.frames.push(Frame::Map { path, key: None, map: Mapping::new() });
            }
            Event::SequenceStart(anchor, tag) => {
                self.plain &= anchor == 0 && tag.is_none();
                let path = self.open(&mark);
                self.frames.push(Frame::Seq { path, items: Vec::new() });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let value = match self.frames.pop() {
                    Some(Frame::Map { map, .. }) => Value::Mapping(map),
                    Some(Frame::Seq { items, .. }) => Value::Sequence(items),
                    None => Value::Null,
                };
                self.place(value, None, false);
            }
            _ => {}
        }
    }
}

/// The literal worth keeping of a plain scalar: its text, unless it is read
/// as text (which is then its own literal).
fn resolve_literal(text: &str) -> Option<String> {
    let maybe_number = text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
    let keyword =
        matches!(text, "" | "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE");
    (maybe_number || keyword).then(|| text.to_string())
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
        let f = file("---\ntitle: A\nrows:\n  - [año, 1]\n  - [b, 12.50]\n---\n");
        let s = split(&f).expect("split");
        let (_, pos) = parse::<Doc>(&f, &s).expect("parse");
        let cell = pos.get("rows.1.1").expect("cell");
        assert_eq!((cell.span.line, cell.span.col), (5, 9));
        assert_eq!(pos.literal("rows.1.1"), Some("12.50"), "a number keeps its written decimals");
        let text = pos.get("rows.0.0").expect("cell");
        assert_eq!((text.span.col, text.span.len, text.literal.as_deref()), (6, 3, None), "text is its own literal");
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

    /// The tree built from yaml-rust2's events is what serde_yaml reads.
    fn same_as_serde_yaml(yaml: &str) {
        let (_, tree) = index(yaml, 2);
        let expected: Value = serde_yaml::from_str(yaml).expect("valid YAML");
        let tree = tree.unwrap_or_else(|| panic!("no tree for {yaml:?}"));
        // NaN is not equal to itself; compare the debug forms.
        assert_eq!(format!("{tree:?}"), format!("{expected:?}"), "{yaml}");
    }

    #[test]
    fn the_value_tree_reads_scalars_as_serde_yaml_does() {
        let scalars = [
            "1",
            "-1",
            "+1",
            "0",
            "007",
            "-007",
            "0x1F",
            "-0x1F",
            "0o17",
            "0b101",
            "+0x1F",
            "0x",
            "1.5",
            "-1.5",
            "+1.5",
            "1e3",
            "1E-3",
            ".5",
            "5.",
            ".inf",
            "-.Inf",
            "+.INF",
            ".nan",
            ".NaN",
            "inf",
            "nan",
            "infinity",
            "NaN",
            "1_000",
            "1,5",
            "12.794",
            "$ 1.000",
            "3%",
            "true",
            "True",
            "TRUE",
            "yes",
            "no",
            "on",
            "false",
            "~",
            "null",
            "Null",
            "NULL",
            "",
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "1e400",
            "+",
            "0.",
            "2018-12-31",
            "1:30",
            "'quoted 1'",
            "\"2\"",
            "\"\\u00e1\"",
            "|\n  block\n",
            ">\n  folded\n  text\n",
        ];
        for s in scalars {
            same_as_serde_yaml(&format!("a: {s}\n"));
            same_as_serde_yaml(&format!("- {s}\n"));
        }
        same_as_serde_yaml("title: A\nrows:\n  - [a, 1, ~, 2.5]\n  - {x: 1, y: [b]}\n1: one\nnull: x\n");
    }

    #[test]
    fn what_the_tree_does_not_model_is_left_to_serde_yaml() {
        for yaml in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "a: 18446744073709551616\n",
            "? [a]\n: 1\n",
            "a: 1\n---\nb: 2\n",
            "a: [1\n",
        ] {
            assert!(index(yaml, 2).1.is_none(), "{yaml}");
        }
        // And serde_yaml still words the error (or reads the value).
        let f = file("---\ntitle: A\ntitle: B\n---\n");
        let s = split(&f).expect("split");
        assert!(parse::<Doc>(&f, &s).is_err(), "duplicate keys are refused as before");
        let f = file("---\ntitle: &t A\nrows: [[*t]]\n---\n");
        let s = split(&f).expect("split");
        let (doc, _) = parse::<Doc>(&f, &s).expect("aliases read by serde_yaml");
        assert_eq!(doc.rows, vec![vec![Value::String("A".into())]]);
    }

    #[test]
    fn the_shipped_front_matter_reads_the_same_either_way() {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut seen = 0;
        for entry in std::fs::read_dir(content).expect("content/") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                let f =
                    SourceFile::new(&path, path.display().to_string(), &std::fs::read_to_string(&path).expect("read"));
                let s = split(&f).expect("split");
                same_as_serde_yaml(s.yaml);
                seen += 1;
            }
        }
        assert!(seen > 3, "the shipped report has sections");
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
