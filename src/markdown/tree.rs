//! A Markdown body as a plain tree of nodes, for outputs that are not HTML
//! (the PDF). The tree holds only text and structure: it is serialised as
//! data and never read back as markup, so no editor text can become code.
//! Placement calls are left as numbered [`Node::Embed`]s for the caller to
//! resolve; footnote references carry their note's content.

use super::{scan, Call, Item};
use crate::source::SourceFile;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::BTreeMap;

/// One node of a body. Serialised with its kind under `k`.
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Node {
    Text {
        s: String,
    },
    Code {
        s: String,
    },
    Block {
        s: String,
    },
    Par {
        c: Vec<Node>,
    },
    /// `level` 1 is the body's biggest heading (`#` or `##`).
    Heading {
        level: u8,
        c: Vec<Node>,
    },
    List {
        ordered: bool,
        start: u64,
        c: Vec<Node>,
    },
    Item {
        c: Vec<Node>,
    },
    Quote {
        c: Vec<Node>,
    },
    Rule,
    Emph {
        c: Vec<Node>,
    },
    Strong {
        c: Vec<Node>,
    },
    Strike {
        c: Vec<Node>,
    },
    Link {
        url: String,
        c: Vec<Node>,
    },
    /// `c` is the alternative text; `title` the caption, when written.
    Image {
        url: String,
        title: String,
        c: Vec<Node>,
    },
    Note {
        c: Vec<Node>,
    },
    Break,
    Space,
    Grid {
        cols: usize,
        c: Vec<Node>,
    },
    Row {
        head: bool,
        c: Vec<Node>,
    },
    Cell {
        c: Vec<Node>,
    },
    /// The `n`-th placement call of the document (see [`Tree::calls`]); a
    /// block when it stood alone in its paragraph.
    Embed {
        n: usize,
        block: bool,
    },
}

/// A body as nodes, with its placement calls in order.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub calls: Vec<Call>,
}

/// Parses `body` (file line `first_line` of `file`) into a [`Tree`]. Embed
/// numbers start at `first_embed`, so many bodies can share one list of
/// calls. Problems were reported when the page was rendered; here a bad call
/// is left out and raw HTML is dropped (it has no meaning outside a page).
pub fn tree(file: &SourceFile, body: &str, first_line: usize, first_embed: usize) -> Tree {
    let (items, found, _) = scan(file, body, first_line);
    let calls: Vec<Call> = found.into_iter().map(|f| f.call).collect();
    let mut builder = Builder { stack: vec![Frame::new(Open::Root)], notes: BTreeMap::new() };
    for item in items {
        match item {
            Item::Md(event) => builder.event(event),
            Item::Placed { n, block } => builder.push(Node::Embed { n: first_embed + n, block }),
        }
    }
    let mut root = builder.stack.into_iter().next().map(|f| f.children).unwrap_or_default();
    let notes = builder.notes;
    resolve_notes(&mut root, &notes, 0);
    Tree { nodes: root, calls }
}

/// Inline Markdown (a caption, a note, a cell) as nodes, without its paragraph.
pub fn inline_tree(text: &str) -> Vec<Node> {
    let mut builder = Builder { stack: vec![Frame::new(Open::Root)], notes: BTreeMap::new() };
    for event in Parser::new_ext(text, super::options()) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            other => builder.event(other),
        }
    }
    builder.stack.into_iter().next().map(|f| f.children).unwrap_or_default()
}

enum Open {
    Root,
    Par,
    Heading(u8),
    List(Option<u64>),
    Item,
    Quote,
    Code,
    Emph,
    Strong,
    Strike,
    Link(String),
    Image(String, String),
    Note(String),
    Grid(usize),
    Head,
    Row,
    Cell,
    Skip,
}

struct Frame {
    open: Open,
    children: Vec<Node>,
}

impl Frame {
    fn new(open: Open) -> Self {
        Frame { open, children: Vec::new() }
    }
}

struct Builder {
    stack: Vec<Frame>,
    notes: BTreeMap<String, Vec<Node>>,
}

impl Builder {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.stack.push(Frame::new(open(tag))),
            Event::End(_) => self.close(),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.push(Node::Code { s: t.to_string() }),
            Event::FootnoteReference(label) => self.push(Node::Note { c: vec![Node::Text { s: label.to_string() }] }),
            Event::SoftBreak => self.push(Node::Space),
            Event::HardBreak => self.push(Node::Break),
            Event::Rule => self.push(Node::Rule),
            // Raw HTML, math and task markers are not enabled or not printable.
            _ => {}
        }
    }

    fn push(&mut self, node: Node) {
        if let Some(top) = self.stack.last_mut() {
            top.children.push(node);
        }
    }

    fn text(&mut self, t: &str) {
        self.push(Node::Text { s: t.to_string() });
    }

    fn close(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        let Some(frame) = self.stack.pop() else { return };
        let c = frame.children;
        let node = match frame.open {
            Open::Root | Open::Skip => return self.extend(c),
            Open::Par => Node::Par { c },
            Open::Heading(level) => Node::Heading { level, c },
            Open::List(start) => Node::List { ordered: start.is_some(), start: start.unwrap_or(1), c },
            Open::Item => Node::Item { c },
            Open::Quote => Node::Quote { c },
            Open::Code => Node::Block { s: c.iter().map(plain).collect::<String>().trim_end().to_string() },
            Open::Emph => Node::Emph { c },
            Open::Strong => Node::Strong { c },
            Open::Strike => Node::Strike { c },
            Open::Link(url) => Node::Link { url, c },
            Open::Image(url, title) => Node::Image { url, title, c },
            Open::Note(label) => {
                self.notes.insert(label, c);
                return;
            }
            Open::Grid(cols) => Node::Grid { cols, c },
            Open::Head => Node::Row { head: true, c },
            Open::Row => Node::Row { head: false, c },
            Open::Cell => Node::Cell { c },
        };
        self.push(node);
    }

    fn extend(&mut self, nodes: Vec<Node>) {
        if let Some(top) = self.stack.last_mut() {
            top.children.extend(nodes);
        }
    }
}

fn open(tag: Tag) -> Open {
    match tag {
        Tag::Paragraph => Open::Par,
        Tag::Heading { level, .. } => Open::Heading(level as u8),
        Tag::BlockQuote(_) => Open::Quote,
        Tag::CodeBlock(_) => Open::Code,
        Tag::List(start) => Open::List(start),
        Tag::Item => Open::Item,
        Tag::FootnoteDefinition(label) => Open::Note(label.to_string()),
        Tag::Table(alignments) => Open::Grid(alignments.len()),
        Tag::TableHead => Open::Head,
        Tag::TableRow => Open::Row,
        Tag::TableCell => Open::Cell,
        Tag::Emphasis => Open::Emph,
        Tag::Strong => Open::Strong,
        Tag::Strikethrough => Open::Strike,
        Tag::Link { dest_url, .. } => Open::Link(dest_url.to_string()),
        Tag::Image { dest_url, title, .. } => Open::Image(dest_url.to_string(), title.to_string()),
        _ => Open::Skip,
    }
}

/// The text of a node and its children.
pub fn plain(node: &Node) -> String {
    match node {
        Node::Text { s } | Node::Code { s } | Node::Block { s } => s.clone(),
        Node::Space | Node::Break => " ".to_string(),
        Node::Par { c }
        | Node::Heading { c, .. }
        | Node::List { c, .. }
        | Node::Item { c }
        | Node::Quote { c }
        | Node::Emph { c }
        | Node::Strong { c }
        | Node::Strike { c }
        | Node::Link { c, .. }
        | Node::Image { c, .. }
        | Node::Grid { c, .. }
        | Node::Row { c, .. }
        | Node::Cell { c } => c.iter().map(plain).collect(),
        Node::Note { .. } | Node::Rule | Node::Embed { .. } => String::new(),
    }
}

/// Puts each note's content where it is referenced. A note that refers to
/// itself (or is nested too deep) is left as its label.
fn resolve_notes(nodes: &mut [Node], notes: &BTreeMap<String, Vec<Node>>, depth: usize) {
    for node in nodes.iter_mut() {
        match node {
            Node::Note { c } => {
                let label = c.iter().map(plain).collect::<String>();
                match notes.get(&label) {
                    Some(content) if depth < 4 => {
                        let mut content = unwrap_paragraph(content.clone());
                        resolve_notes(&mut content, notes, depth + 1);
                        *c = content;
                    }
                    _ => *node = Node::Text { s: format!("[^{label}]") },
                }
            }
            Node::Par { c }
            | Node::Heading { c, .. }
            | Node::List { c, .. }
            | Node::Item { c }
            | Node::Quote { c }
            | Node::Emph { c }
            | Node::Strong { c }
            | Node::Strike { c }
            | Node::Link { c, .. }
            | Node::Image { c, .. }
            | Node::Grid { c, .. }
            | Node::Row { c, .. }
            | Node::Cell { c } => resolve_notes(c, notes, depth),
            _ => {}
        }
    }
}

/// A one-paragraph note reads as a line of text in the footnote area.
fn unwrap_paragraph(nodes: Vec<Node>) -> Vec<Node> {
    match <[Node; 1]>::try_from(nodes) {
        Ok([Node::Par { c }]) => c,
        Ok([other]) => vec![other],
        Err(nodes) => nodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(body: &str) -> Tree {
        tree(&SourceFile::new(Path::new("a.md"), "content/a.md".into(), body), body, 1, 10)
    }

    fn text(s: &str) -> Node {
        Node::Text { s: s.into() }
    }

    #[test]
    fn paragraphs_lists_links_and_emphasis_become_nodes() {
        let t = parse("Hola *mundo* [sitio](https://a.cl)\n\n- uno\n- dos\n");
        assert_eq!(
            t.nodes[0],
            Node::Par {
                c: vec![
                    text("Hola "),
                    Node::Emph { c: vec![text("mundo")] },
                    text(" "),
                    Node::Link { url: "https://a.cl".into(), c: vec![text("sitio")] }
                ]
            }
        );
        assert_eq!(
            t.nodes[1],
            Node::List {
                ordered: false,
                start: 1,
                c: vec![Node::Item { c: vec![text("uno")] }, Node::Item { c: vec![text("dos")] }]
            }
        );
    }

    #[test]
    fn a_footnote_reference_carries_its_note_and_the_definition_leaves_the_flow() {
        let t = parse("Dato[^1].\n\n[^1]: Fuente: *INE*.\n");
        assert_eq!(t.nodes.len(), 1);
        assert_eq!(
            t.nodes[0],
            Node::Par {
                c: vec![
                    text("Dato"),
                    Node::Note { c: vec![text("Fuente: "), Node::Emph { c: vec![text("INE")] }, text(".")] },
                    text(".")
                ]
            }
        );
    }

    #[test]
    fn placements_become_numbered_embeds_block_or_inline() {
        let t = parse("{{ table(id=\"a\") }}\n\nSon {{ figure(table=\"a\", row=\"x\", col=\"y\") }} casos.\n");
        assert_eq!(t.nodes[0], Node::Embed { n: 10, block: true });
        assert_eq!(
            t.nodes[1],
            Node::Par { c: vec![text("Son "), Node::Embed { n: 11, block: false }, text(" casos.")] }
        );
        assert_eq!(t.calls[0], Call::Table("a".into()));
    }

    #[test]
    fn raw_html_is_dropped_and_code_keeps_its_text() {
        let t = parse("<div>x</div>\n\n```\n#read(\"/etc/passwd\")\n```\n");
        assert_eq!(t.nodes, vec![Node::Block { s: "#read(\"/etc/passwd\")".into() }]);
    }
}
