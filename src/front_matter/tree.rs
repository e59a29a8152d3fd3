//! One pass over saphyr-parser's events: cuenta's own tree of the front
//! matter, each node with its file position, and the path → position index
//! later stages point with. Work is bounded: nesting deeper than
//! [`MAX_DEPTH`] stops the pass, and anchors, aliases and tags are refused
//! (an alias could expand one scalar thousands of times into the site).

use super::scalar::resolve;
use super::syntax::{self, Flow};
use super::value::Value;
use super::{Located, Node, Positions, Problem, MAX_DEPTH};
use crate::diagnostics::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};
use std::collections::HashMap;

/// A node of the front matter, with where it starts.
#[derive(Debug)]
pub(super) struct Tree {
    pub(super) span: Span,
    /// Order of appearance, naming the node when the reader skips it.
    pub(super) id: usize,
    pub(super) kind: TreeKind,
}

#[derive(Debug)]
pub(super) enum TreeKind {
    /// `text` is the scalar as written, for a field that wants text.
    Scalar {
        value: Value,
        text: String,
    },
    Seq(Vec<Tree>),
    Map(Vec<(Tree, Tree)>),
}

/// Reads `yaml` (whose first line is file line `first_line`) into its tree
/// and positions.
pub(super) fn read(yaml: &str, first_line: usize) -> Result<(Tree, Positions), Located> {
    let offsets = (!yaml.is_ascii()).then(|| yaml.char_indices().map(|(at, _)| at).collect());
    let mut b = Builder {
        yaml,
        offsets,
        first_line,
        frames: Vec::new(),
        nodes: HashMap::new(),
        root: None,
        documents: 0,
        ids: 0,
    };
    let mut parser = Parser::new_from_str(yaml);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => b.event(event, span)?,
            Err(err) => return Err(syntax::diagnose(yaml, first_line, &err, &b.open_flows())),
        }
    }
    let start = Span::new(first_line.saturating_sub(1).max(1), 1).with_len(3);
    let root = b.root.take().unwrap_or(Tree { span: start, id: 0, kind: TreeKind::Map(Vec::new()) });
    Ok((root, Positions { nodes: b.nodes, start }))
}

enum Frame {
    /// `seen` holds each key's text and line, to refuse a repeated key.
    Map {
        path: String,
        span: Span,
        id: usize,
        key: Option<Tree>,
        entries: Vec<(Tree, Tree)>,
        seen: HashMap<String, usize>,
        flow: Option<Flow>,
    },
    Seq {
        path: String,
        span: Span,
        id: usize,
        items: Vec<Tree>,
        flow: Option<Flow>,
    },
}

struct Builder<'a> {
    yaml: &'a str,
    /// Byte offset of each character, when the text is not all ASCII (the
    /// parser counts characters; looking each up by walking would be
    /// quadratic).
    offsets: Option<Vec<usize>>,
    first_line: usize,
    frames: Vec<Frame>,
    nodes: HashMap<String, Node>,
    root: Option<Tree>,
    documents: usize,
    ids: usize,
}

impl Builder<'_> {
    fn span(&self, at: &YamlSpan, len: usize) -> Span {
        Span::new(self.first_line + at.start.line().saturating_sub(1), at.start.col() + 1).with_len(len)
    }

    fn event(&mut self, event: Event, at: YamlSpan) -> Result<(), Located> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err((self.span(&at, 3), Problem::Syntax));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.refuse_extras(&at, anchor, tag.is_some())?;
                self.scalar(text.into_owned(), style, &at)?;
            }
            Event::Alias(_) => return Err((self.marked(&at, '*'), Problem::AnchorOrAlias)),
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                self.refuse_extras(&at, anchor, tag.is_some())?;
                if self.frames.len() >= MAX_DEPTH {
                    return Err((self.span(&at, 1), Problem::TooDeep { limit: MAX_DEPTH }));
                }
                let is_map = matches!(event, Event::MappingStart(..));
                self.open(&at, is_map);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let tree = match self.frames.pop() {
                    Some(Frame::Map { span, id, entries, .. }) => Tree { span, id, kind: TreeKind::Map(entries) },
                    Some(Frame::Seq { span, id, items, .. }) => Tree { span, id, kind: TreeKind::Seq(items) },
                    None => return Ok(()),
                };
                self.place(tree)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Anchors, aliases and tags: refused at the `&` or `!` that starts them.
    fn refuse_extras(&self, at: &YamlSpan, anchor: usize, tagged: bool) -> Result<(), Located> {
        if anchor != 0 {
            return Err((self.marked(at, '&'), Problem::AnchorOrAlias));
        }
        if tagged {
            return Err((self.marked(at, '!'), Problem::Tag));
        }
        Ok(())
    }

    /// The last `mark` on the node's line up to the node, else the node.
    fn marked(&self, at: &YamlSpan, mark: char) -> Span {
        let line = self.yaml.lines().nth(at.start.line().saturating_sub(1)).unwrap_or("");
        let upto: String = line.chars().take(at.start.col() + 1).collect();
        match upto.rfind(mark) {
            Some(byte) => Span::new(self.first_line + at.start.line() - 1, upto[..byte].chars().count() + 1),
            None => self.span(at, 1),
        }
    }

    /// The character at a parser index (counted in characters).
    fn char_at(&self, index: usize) -> Option<char> {
        match &self.offsets {
            None => self.yaml.as_bytes().get(index).map(|&b| b as char),
            Some(offsets) => offsets.get(index).and_then(|&at| self.yaml[at..].chars().next()),
        }
    }

    fn next_id(&mut self) -> usize {
        self.ids += 1;
        self.ids
    }

    /// The path of the next node, or None when it is a mapping key (keys
    /// have no path of their own).
    fn next_path(&self) -> Option<String> {
        let join = |parent: &str, child: &str| {
            if parent.is_empty() {
                child.to_string()
            } else {
                format!("{parent}.{child}")
            }
        };
        match self.frames.last() {
            None => Some(String::new()),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map { path, key: Some(key), .. }) => Some(join(path, &key_text(key))),
            Some(Frame::Seq { path, items, .. }) => Some(join(path, &items.len().to_string())),
        }
    }

    fn scalar(&mut self, text: String, style: ScalarStyle, at: &YamlSpan) -> Result<(), Located> {
        let span = self.span(at, text.chars().count());
        let (value, literal) = if style == ScalarStyle::Plain {
            resolve(text.clone()).ok_or_else(|| (span, Problem::NumberTooLong { literal: text.clone() }))?
        } else {
            (Value::String(text.clone()), None)
        };
        if let Some(path) = self.next_path() {
            self.nodes.insert(path, Node { span, literal });
        }
        let id = self.next_id();
        self.place(Tree { span, id, kind: TreeKind::Scalar { value, text } })
    }

    fn open(&mut self, at: &YamlSpan, is_map: bool) {
        let span = self.span(at, 1);
        let path = self.next_path().unwrap_or_default();
        if self.frames.is_empty() || !path.is_empty() {
            self.nodes.insert(path.clone(), Node { span, literal: None });
        }
        let opener = self.char_at(at.start.index());
        let flow =
            matches!(opener, Some('[' | '{')).then(|| Flow { line: span.line, close: if is_map { '}' } else { ']' } });
        let id = self.next_id();
        self.frames.push(if is_map {
            Frame::Map { path, span, id, key: None, entries: Vec::new(), seen: HashMap::new(), flow }
        } else {
            Frame::Seq { path, span, id, items: Vec::new(), flow }
        });
    }

    /// Puts a finished node into its container (as its key, when the
    /// container is a mapping waiting for one).
    fn place(&mut self, tree: Tree) -> Result<(), Located> {
        match self.frames.last_mut() {
            None => self.root = Some(tree),
            Some(Frame::Seq { items, .. }) => items.push(tree),
            Some(Frame::Map { key, entries, seen, .. }) => match key.take() {
                None if !matches!(tree.kind, TreeKind::Scalar { .. }) => return Err((tree.span, Problem::ComplexKey)),
                None => {
                    let text = key_text(&tree);
                    if let Some(&first_line) = seen.get(&text) {
                        return Err((tree.span, Problem::DuplicateKey { key: text, first_line }));
                    }
                    seen.insert(text, tree.span.line);
                    *key = Some(tree);
                }
                Some(k) => entries.push((k, tree)),
            },
        }
        Ok(())
    }

    /// The flow collections (`[`, `{`) open where parsing stopped.
    fn open_flows(&self) -> Vec<Flow> {
        self.frames
            .iter()
            .filter_map(|f| match f {
                Frame::Map { flow, .. } | Frame::Seq { flow, .. } => *flow,
            })
            .collect()
    }
}

/// A key as paths name it: its text as written.
pub(super) fn key_text(key: &Tree) -> String {
    match &key.kind {
        TreeKind::Scalar { value: Value::String(s), .. } => s.clone(),
        TreeKind::Scalar { text, .. } => text.clone(),
        _ => String::new(),
    }
}
