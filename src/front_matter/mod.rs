//! Splits a content file into YAML front matter and Markdown body, and
//! parses the YAML into cuenta's typed structs. Line numbers are the file's
//! own, never counted from the start of the front-matter block.
//!
//! The YAML parser (saphyr-parser) stays inside this module: `tree` reads
//! its events into cuenta's own tree with positions, `de` is the serde
//! deserializer over that tree, `value` is the value type cells leave with,
//! `scalar` types plain scalars, `syntax` words syntax errors and `aliases`
//! reads Spanish names of keys and values. Every error is a typed
//! `Problem`, never a library's text.

mod aliases;
mod de;
mod scalar;
mod syntax;
mod tree;
mod value;

use crate::diagnostics::{suggest, Diagnostic, Message, Shape, Span, YamlMessage};
use crate::source::SourceFile;
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};

pub use value::{Number, Value};

/// How many independent errors of one file are reported at most.
const MAX_ERRORS: usize = 100;

/// The two parts of a content file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split<'a> {
    pub yaml: &'a str,
    /// File line (1-based) of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line (1-based) of the first body line.
    pub body_line: usize,
}

/// Splits `---\n yaml \n---\n body`.
pub(crate) fn split(file: &SourceFile) -> Result<Split<'_>, Diagnostic> {
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
pub(crate) struct Node {
    pub span: Span,
    pub literal: Option<String>,
}

/// Positions of YAML nodes by path, e.g. `tables.0.rows.3.2`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Positions {
    nodes: HashMap<String, Node>,
    /// Span of the first line of the block, for problems with no better place.
    pub start: Span,
}

impl Positions {
    /// The node at `path`, if the YAML had one.
    pub(crate) fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }
    /// The span at `path`, or the nearest ancestor's, or the block start.
    pub(crate) fn span(&self, path: &str) -> Span {
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
    pub(crate) fn literal(&self, path: &str) -> Option<&str> {
        self.nodes.get(path).and_then(|n| n.literal.as_deref())
    }
}

/// How deep lists and mappings may nest. A report needs about six levels
/// (tables, a table, rows, a row, a list cell); the limit only stops input
/// built to make the parser work without end.
const MAX_DEPTH: usize = 32;

/// A problem with where it is.
type Located = (Span, Problem);

/// What can be wrong in front matter, typed; worded by [`Message`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    Syntax,
    Unclosed { close: char },
    ReservedStart { ch: char },
    MissingSpace { key: String, value: String },
    ColonInText { key: String, text: String },
    CurlyQuotes,
    Tab,
    TooDeep { limit: usize },
    AnchorOrAlias,
    Tag,
    ComplexKey,
    DuplicateKey { key: String, first_line: usize },
    NumberTooLong { literal: String },
    OutOfRange { literal: String },
    UnknownField { field: String, expected: Vec<String> },
    UnknownVariant { value: String, expected: Vec<String> },
    MissingField { field: String },
    WrongType { expected: Option<Shape>, found: Shape },
    Custom(String),
}

/// Parses the front matter into `T`, with the positions of its nodes; else
/// every independent error, in file order.
///
/// An error inside a list item, or an unknown key, leaves that node out of
/// the next reading, so one run reports the errors of every table (up to
/// `MAX_ERRORS`); reading stops at the first error that could hide others.
pub(crate) fn parse<T: DeserializeOwned>(file: &SourceFile, split: &Split) -> Result<(T, Positions), Vec<Diagnostic>> {
    let (tree, positions) =
        tree::read(split.yaml, split.yaml_line).map_err(|(span, problem)| vec![diagnostic(file, span, problem)])?;
    let mut skipped = HashSet::new();
    let mut errors = Vec::new();
    loop {
        match T::deserialize(de::De { node: &tree, skipped: &skipped }) {
            Ok(value) if errors.is_empty() => return Ok((value, positions)),
            Ok(_) => break,
            // Not reported, but the list item holding it can still be left out.
            Err(e) if e.consequence => {
                if !e.skip.is_some_and(|id| skipped.insert(id)) {
                    break;
                }
            }
            Err(e) => {
                let again = e.skip.is_some_and(|id| skipped.insert(id));
                errors.push(diagnostic(file, e.span.unwrap_or(positions.start), e.problem));
                if !again || errors.len() >= MAX_ERRORS {
                    break;
                }
            }
        }
    }
    errors.sort_by_key(|d| d.span);
    Err(errors)
}

/// [`parse`] for callers that stop at the first error.
pub(crate) fn parse_first<T: DeserializeOwned>(file: &SourceFile, split: &Split) -> Result<(T, Positions), Diagnostic> {
    parse(file, split).map_err(|mut errors| errors.swap_remove(0))
}

fn diagnostic(file: &SourceFile, mut span: Span, problem: Problem) -> Diagnostic {
    let name_len = |name: &str| name.chars().count();
    let message = match problem {
        Problem::Syntax => Message::Yaml(YamlMessage::Invalid),
        Problem::Unclosed { close } => Message::Yaml(YamlMessage::Unclosed { close }),
        Problem::ReservedStart { ch } => Message::Yaml(YamlMessage::ReservedStart { ch }),
        Problem::MissingSpace { key, value } => Message::Yaml(YamlMessage::MissingSpace { key, value }),
        Problem::ColonInText { key, text } => Message::Yaml(YamlMessage::ColonInText { key, text }),
        Problem::CurlyQuotes => Message::Yaml(YamlMessage::CurlyQuotes),
        Problem::Tab => Message::TabInYaml,
        Problem::TooDeep { limit } => Message::Yaml(YamlMessage::TooDeep { limit }),
        Problem::AnchorOrAlias => Message::Yaml(YamlMessage::Anchor),
        Problem::Tag => Message::Yaml(YamlMessage::Tag),
        Problem::ComplexKey => Message::Yaml(YamlMessage::ComplexKey),
        Problem::DuplicateKey { key, first_line } => {
            span = span.with_len(name_len(&key));
            Message::Yaml(YamlMessage::DuplicateKey { key, first_line })
        }
        Problem::NumberTooLong { literal } => Message::NumberTooLong { literal },
        Problem::OutOfRange { literal } => Message::OutOfRange { literal },
        Problem::UnknownField { field, expected } => unknown_field(field, expected),
        Problem::UnknownVariant { value, expected } => {
            let suggestion = alias_or_near(&value, &expected);
            Message::UnknownVariant { value, suggestion, expected }
        }
        Problem::MissingField { field } => Message::MissingField { field },
        Problem::WrongType { expected, found } => Message::Yaml(YamlMessage::WrongType { expected, found }),
        Problem::Custom(detail) => Message::InvalidValue { detail },
    };
    Diagnostic::error(file, span, message)
}

/// An unknown key; `type:money` written without its space is one too, when
/// the part before the colon is a known key.
fn unknown_field(field: String, expected: Vec<String>) -> Message {
    if let Some((key, value)) = field.split_once(':').filter(|(k, _)| expected.iter().any(|e| e == k)) {
        return Message::Yaml(YamlMessage::MissingSpace { key: key.to_string(), value: value.to_string() });
    }
    let suggestion = alias_or_near(&field, &expected);
    Message::UnknownField { field, suggestion, expected }
}

/// The English name a Spanish alias stands for, else the nearest name.
fn alias_or_near(name: &str, expected: &[String]) -> Option<String> {
    let names: Vec<&str> = expected.iter().map(String::as_str).collect();
    aliases::english(name, &names)
        .map(str::to_string)
        .or_else(|| suggest(name, names.iter().copied()))
        .or_else(|| aliases::near(name, &names).map(str::to_string))
}

/// Reads a YAML text into a [`Value`], shown in messages as `shown`.
pub fn value_of(shown: &str, yaml: &str) -> Result<Value, Diagnostic> {
    let file = SourceFile::new(std::path::Path::new(shown), shown.to_string(), yaml);
    let split = Split { yaml: &file.text, yaml_line: 1, body: "", body_line: 1 };
    parse_first(&file, &split).map(|(value, _)| value)
}

/// Parses a flat `key: text` YAML file (a theme's interface strings),
/// shown in messages as `shown`.
pub(crate) fn parse_strings(shown: &str, text: &str) -> Result<std::collections::BTreeMap<String, String>, Diagnostic> {
    let file = SourceFile::new(std::path::Path::new(shown), shown.to_string(), text);
    let split = Split { yaml: &file.text, yaml_line: 1, body: "", body_line: 1 };
    parse_first(&file, &split).map(|(map, _)| map)
}

#[cfg(test)]
mod tests;
