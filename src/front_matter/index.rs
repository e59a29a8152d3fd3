//! One pass of yaml-rust2's event parser over a front matter: where every
//! node starts, by path, and the value tree serde reads the front matter
//! from, unless the YAML uses what the tree does not model.

use super::scalar::resolve;
use super::{Node, Positions, Value};
use crate::diagnostics::Span;
use serde_yaml::Mapping;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Builds the path → position index of a YAML text and, when the text is
/// plain data, its value as serde_yaml would read it.
pub(super) fn index(yaml: &str, first_line: usize) -> (Positions, Option<Value>) {
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

    /// The path of the next node, or None when it is a mapping key (keys
    /// have no path of their own).
    fn next_path(&self) -> Option<String> {
        use std::fmt::Write as _;
        let (parent, key) = match self.frames.last() {
            None => return Some(String::new()),
            Some(Frame::Map { path, key: Some((Value::String(k), _)), .. }) => (path, k.as_str()),
            Some(Frame::Map { path, key: Some((_, Some(k))), .. }) => (path, k.as_str()),
            Some(Frame::Map { .. }) => return None,
            Some(Frame::Seq { path, items }) => {
                let mut p = String::with_capacity(path.len() + 4);
                p.push_str(path);
                if !path.is_empty() {
                    p.push('.');
                }
                let _ = write!(p, "{}", items.len());
                return Some(p);
            }
        };
        let mut p = String::with_capacity(parent.len() + 1 + key.len());
        p.push_str(parent);
        if !parent.is_empty() {
            p.push('.');
        }
        p.push_str(key);
        Some(p)
    }

    /// Records where a node starts at `path`.
    fn record(&mut self, path: String, mark: &Marker, len: usize, literal: Option<String>) {
        let span = self.span(mark, len);
        self.nodes.insert(path, Node { span, literal });
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

    fn scalar(&mut self, text: String, style: TScalarStyle, mark: &Marker) {
        let len = text.chars().count();
        let (value, literal) = if style == TScalarStyle::Plain {
            resolve(text).unwrap_or_else(|| {
                self.plain = false;
                (Value::Null, None)
            })
        } else {
            (Value::String(text), None)
        };
        // A key's literal names it in paths; any other node's is recorded.
        match self.next_path() {
            Some(path) => {
                self.record(path, mark, len, literal);
                self.place(value, None, true);
            }
            None => self.place(value, literal, true),
        }
    }

    /// Starts a mapping or list: its path, recorded.
    fn open(&mut self, mark: &Marker) -> String {
        let Some(path) = self.next_path() else { return String::new() };
        self.record(path.clone(), mark, 1, None);
        path
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::Scalar(text, style, anchor, tag) => {
                self.plain &= anchor == 0 && tag.is_none();
                self.scalar(text, style, &mark);
            }
            Event::Alias(_) => {
                self.plain = false;
                if let Some(path) = self.next_path() {
                    self.record(path, &mark, 1, None);
                }
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
