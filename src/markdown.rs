//! Markdown bodies through pulldown-cmark: stable heading ids and a contents
//! list, the placements `{{ table(id="…") }}`, `{{ chart(id="…") }}` (on a
//! line of their own) and `{{ figure(table="…", row="…", col="…") }}` (inline),
//! optional stripping of raw HTML, and plain text per heading for search.
//! pulldown-cmark stays inside this module.

use crate::diagnostics::{suggest, Diagnostic, Message, Span};
use crate::slug::UniqueIds;
use crate::source::SourceFile;
use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A placement call found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Table(String),
    Chart(String),
    Figure { table: String, row: String, col: String },
}

/// What a resolved call puts in the page and in the search index.
#[derive(Debug, Clone, Default)]
pub struct Embedded {
    pub html: String,
    pub text: String,
}

/// Turns calls into markup; the error explains an unknown id, row or column.
pub trait Resolver {
    fn resolve(&self, call: &Call) -> Result<Embedded, Message>;

    /// Where an image or link written as `url` leads on the page, when the
    /// model resolved it (another section, an image, an attachment).
    fn target(&self, _url: &str) -> Option<Target> {
        None
    }

    /// An interface word of the page's language ("notes", "footnote_back");
    /// empty when the resolver has none.
    fn word(&self, _key: &str) -> String {
        String::new()
    }
}

/// One entry of a page's contents list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub level: u8,
}

/// Plain text under one heading (or before the first), for search.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextBlock {
    pub heading: Option<TocEntry>,
    pub text: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub blocks: Vec<TextBlock>,
    pub placed: Vec<Call>,
    /// The footnotes, for the end of the section (after its tables).
    pub notes: String,
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub safe_html: bool,
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Renders `body` (which starts at file line `first_line` of `file`).
/// `reserved` are ids generated markup already uses on the page.
pub fn render(
    file: &SourceFile,
    body: &str,
    first_line: usize,
    opts: RenderOptions,
    reserved: &[String],
    resolver: &dyn Resolver,
) -> (Rendered, Vec<Diagnostic>) {
    let (text, calls, mut diags) = scan(file, body, first_line);
    let mut embeds = Vec::with_capacity(calls.len());
    for found in &calls {
        match resolver.resolve(&found.call) {
            Ok(e) => embeds.push(e),
            Err(message) => {
                diags.push(Diagnostic::error(file, found.span, message));
                embeds.push(Embedded::default());
            }
        }
    }
    let mut ids = UniqueIds::default();
    for id in reserved {
        ids.reserve(id);
    }
    let events: Vec<Event> = Parser::new_ext(&text, options()).collect();
    let events = if opts.safe_html { strip_html(events) } else { events };
    let (events, toc) = heading_ids(events, &mut ids);
    let (events, blocks) = splice(events, &embeds);
    let events = tables::wrap_tables(events);
    let events = media::rewrite(events, &|url| resolver.target(url));
    let word = |key: &str, default: &str| Some(resolver.word(key)).filter(|w| !w.is_empty()).unwrap_or(default.into());
    let words = notes::Words { notes: word("notes", "Notas"), back: word("footnote_back", "Volver al texto") };
    let (events, notes) = notes::collect(events, &words);
    let mut html_out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    let placed = calls.into_iter().map(|f| f.call).collect();
    (Rendered { html: html_out, toc, blocks, placed, notes }, diags)
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Inline Markdown (table cells, captions, notes) to HTML without a `<p>`.
/// These fields are data, exported to CSV and JSON as well: a tag in them
/// is shown as text, never run as markup (`safe_html` drops it instead).
pub fn inline(text: &str, safe_html: bool) -> String {
    if !text.contains(['*', '_', '[', '`', '<', '&', '~', '\\', '!', '\n']) {
        return escape_html(text);
    }
    let events = Parser::new_ext(text, options())
        .filter(|e| !matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)));
    let events: Vec<Event> = if safe_html { strip_html(events.collect()) } else { events.map(html_as_text).collect() };
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out.trim_end().to_string()
}

/// Escapes text for HTML and XML (SVG) content and attribute values. Control
/// characters other than tab and newline are dropped: XML forbids them.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

struct Found {
    call: Call,
    span: Span,
}

/// Finds `{{ … }}` calls, checks their shape and replaces them by tokens.
fn scan(file: &SourceFile, body: &str, first_line: usize) -> (String, Vec<Found>, Vec<Diagnostic>) {
    let mut out = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut diags = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push_str(line);
            continue;
        }
        if !line.contains("{{") {
            out.push_str(line);
            continue;
        }
        out.push_str(&scan_line(file, line, first_line + i, &mut calls, &mut diags));
    }
    (out, calls, diags)
}

fn scan_line(
    file: &SourceFile,
    line: &str,
    number: usize,
    calls: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let alone = line.trim().starts_with("{{") && line.trim().ends_with("}}") && line.trim().matches("{{").count() == 1;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let col = line.len() - rest.len() + start;
        let col = line[..col].chars().count() + 1;
        let Some(end) = after.find("}}") else {
            let span = Span::new(number, col).with_len(after.trim_end().chars().count());
            diags.push(Diagnostic::error(
                file,
                span,
                Message::MalformedPlacement { text: after.trim_end().to_string() },
            ));
            rest = "";
            break;
        };
        let raw = &after[..end + 2];
        let span = Span::new(number, col).with_len(raw.chars().count());
        match parse_call(&raw[2..raw.len() - 2]) {
            Ok(call) => {
                let block = !matches!(call, Call::Figure { .. });
                if block && !alone {
                    diags.push(Diagnostic::error(file, span, Message::MalformedPlacement { text: raw.to_string() }));
                } else {
                    let kind = if block { 'B' } else { 'F' };
                    out.push_str(&format!("{OPEN}{kind}{}{CLOSE}", calls.len()));
                    calls.push(Found { call, span });
                }
            }
            Err(message) => diags.push(Diagnostic::error(file, span, message)),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Parses `name(key="value", …)`.
fn parse_call(inner: &str) -> Result<Call, Message> {
    let malformed = || Message::MalformedPlacement { text: format!("{{{{{inner}}}}}") };
    let inner = inner.trim();
    let open = inner.find('(').ok_or_else(malformed)?;
    let name = inner[..open].trim();
    let args_text = inner[open + 1..].strip_suffix(')').ok_or_else(malformed)?;
    let args = parse_args(args_text).ok_or_else(malformed)?;
    let get = |k: &str| args.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    match name {
        "table" => get("id").map(Call::Table).ok_or_else(|| Message::MissingField { field: "id".into() }),
        "chart" => get("id").map(Call::Chart).ok_or_else(|| Message::MissingField { field: "id".into() }),
        "figure" => {
            let need = |k: &str| get(k).ok_or_else(|| Message::MissingField { field: k.into() });
            Ok(Call::Figure { table: need("table")?, row: need("row")?, col: need("col")? })
        }
        other => Err(Message::UnknownPlacement {
            name: other.to_string(),
            suggestion: suggest(other, ["table", "chart", "figure"]),
        }),
    }
}

/// `id="a", row='b'` → [(id, a), (row, b)]; None when malformed.
fn parse_args(text: &str) -> Option<Vec<(String, String)>> {
    let mut args = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim().to_string();
        let value_part = rest[eq + 1..].trim_start();
        let quote = value_part.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let close = value_part[1..].find(quote)? + 1;
        args.push((key, value_part[1..close].to_string()));
        rest = value_part[close + 1..].trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    Some(args)
}

fn html_as_text(event: Event) -> Event {
    match event {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    }
}

fn strip_html(events: Vec<Event>) -> Vec<Event> {
    events.into_iter().filter(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_))).collect()
}

/// Gives every heading a unique id and collects h2/h3 for the contents list.
fn heading_ids<'a>(mut events: Vec<Event<'a>>, ids: &mut UniqueIds) -> (Vec<Event<'a>>, Vec<TocEntry>) {
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = *level;
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let title = strip_tokens(&title);
            let id = ids.unique(&title);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id.clone()));
            }
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                toc.push(TocEntry { id, title: title.trim().to_string(), level: level as u8 });
            }
            i = j;
        }
        i += 1;
    }
    (events, toc)
}

fn strip_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match c {
            OPEN => inside = true,
            CLOSE => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Replaces tokens by their markup and gathers the search text per heading.
fn splice<'a>(events: Vec<Event<'a>>, embeds: &[Embedded]) -> (Vec<Event<'a>>, Vec<TextBlock>) {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut blocks = vec![TextBlock::default()];
    let mut in_heading: Option<(String, u8)> = None;
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        match event {
            Event::Start(Tag::Heading { level, ref id, .. }) => {
                in_heading = Some((id.as_deref().unwrap_or("").to_string(), level as u8));
                blocks.push(TextBlock::default());
                out.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some((id, level)), Some(block)) = (in_heading.take(), blocks.last_mut()) {
                    let title = std::mem::take(&mut block.text);
                    block.heading = Some(TocEntry { id, title: title.trim().to_string(), level });
                }
                out.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                if let Some(Event::Text(t)) = iter.peek() {
                    if let Some(n) = block_token(t) {
                        iter.next();
                        if matches!(iter.peek(), Some(Event::End(TagEnd::Paragraph))) {
                            iter.next();
                            let e = embeds.get(n).cloned().unwrap_or_default();
                            push_text(&mut blocks, &e.text);
                            out.push(Event::Html(CowStr::from(e.html)));
                            continue;
                        }
                    }
                }
                out.push(event);
            }
            Event::Text(t) if t.contains(OPEN) => {
                for piece in split_tokens(&t, embeds) {
                    match piece {
                        Piece::Text(s) => {
                            push_text(&mut blocks, &s);
                            out.push(Event::Text(CowStr::from(s)));
                        }
                        Piece::Embed(e) => {
                            push_text(&mut blocks, &e.text);
                            out.push(Event::InlineHtml(CowStr::from(e.html)));
                        }
                    }
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                push_text(&mut blocks, t);
                out.push(event);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                push_text(&mut blocks, " ");
                out.push(event);
            }
            other => out.push(other),
        }
    }
    (out, blocks)
}

fn push_text(blocks: &mut [TextBlock], text: &str) {
    if let Some(b) = blocks.last_mut() {
        if !b.text.is_empty() && !b.text.ends_with(' ') && !text.starts_with(' ') {
            b.text.push(' ');
        }
        b.text.push_str(text);
    }
}

/// `\u{E000}B3\u{E001}` alone → Some(3).
fn block_token(t: &str) -> Option<usize> {
    t.trim().strip_prefix(OPEN)?.strip_prefix('B')?.strip_suffix(CLOSE)?.parse().ok()
}

enum Piece {
    Text(String),
    Embed(Embedded),
}

fn split_tokens(text: &str, embeds: &[Embedded]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        if start > 0 {
            pieces.push(Piece::Text(rest[..start].to_string()));
        }
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else { break };
        let n: Option<usize> = after[1..end].parse().ok();
        pieces.push(Piece::Embed(n.and_then(|n| embeds.get(n)).cloned().unwrap_or_default()));
        rest = &after[end + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_string()));
    }
    pieces
}

mod media;
mod notes;
mod tables;
pub use media::{references, Reference, Target};
#[cfg(test)]
mod tests;
