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
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Call {
    Table(String),
    Chart(String),
    /// `printed` is the figure as the prose states it: the page shows it
    /// and a cross-check compares it with the table's cell.
    Figure {
        table: String,
        row: String,
        col: String,
        printed: Option<String>,
    },
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
    let (items, calls, mut diags) = scan(file, body, first_line);
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
    let items = if opts.safe_html { strip_html_items(items) } else { items };
    let items = links::filter_items(items, opts.safe_html);
    if opts.safe_html {
        diags.extend(links::body_diagnostics(file, body, first_line));
    }
    reserve_footnote_ids(&items, &mut ids);
    let (items, toc) = heading_ids(items, &mut ids);
    let (events, blocks) = splice(items, &embeds);
    let events = tables::wrap_tables(events);
    let events = media::rewrite(events, &|url| resolver.target(url));
    let word = |key: &str, default: &str| Some(resolver.word(key)).filter(|w| !w.is_empty()).unwrap_or(default.into());
    let words = notes::Words { notes: word("notes", "Notas"), back: word("footnote_back", "Volver al texto") };
    let (events, notes) = notes::collect(events, &words);
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    let placed = calls.into_iter().map(|f| f.call).collect();
    (Rendered { html: html_out, toc, blocks, placed, notes }, diags)
}

/// The placements of `body`, in order, found exactly as [`render`] finds
/// them: what a section shows from elsewhere, for the model.
pub fn placements(body: &str) -> Vec<Call> {
    let file = SourceFile::default();
    scan(&file, body, 1).1.into_iter().map(|f| f.call).collect()
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
    let (events, _) = links::filter(Parser::new_ext(text, options()).into_offset_iter(), true);
    let events =
        events.into_iter().filter(|e| !matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)));
    let events: Vec<Event> = if safe_html { strip_html(events.collect()) } else { events.map(html_as_text).collect() };
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out.trim_end().to_string()
}

pub use crate::html::escape_html;

/// The first link or image target in inline Markdown `text` that a page
/// refuses (`javascript:`, `data:`, …): inline fields report it as an error.
pub fn refused_link(text: &str) -> Option<String> {
    links::first_refused(text)
}

struct Found {
    call: Call,
    span: Span,
}

/// A body's events, with its placements put in: a placement is an item of
/// its own, never text, so nothing the editor writes can pass for one.
enum Item<'a> {
    Md(Event<'a>),
    /// Placement `n` of the body; `block` when it stands alone in its
    /// paragraph (and replaces it).
    Placed {
        n: usize,
        block: bool,
    },
}

/// The well-formed `{{ … }}` calls of `body` and where they are, for the
/// checks made before pages are rendered (a figure's `printed=`).
pub fn placements_at(file: &SourceFile, body: &str, first_line: usize) -> Vec<(Call, Span)> {
    scan(file, body, first_line).1.into_iter().map(|f| (f.call, f.span)).collect()
}

/// Parses `body` and finds its `{{ … }}` calls in text outside code: code
/// spans, fenced and indented code blocks and raw HTML are never read, and
/// text the editor escaped (`\{{`) is text. Checks each call's shape.
fn scan<'a>(file: &SourceFile, body: &'a str, first_line: usize) -> (Vec<Item<'a>>, Vec<Found>, Vec<Diagnostic>) {
    let lines = LineIndex::new(body, first_line);
    let mut items = Vec::new();
    let mut calls = Vec::new();
    let mut diags = Vec::new();
    let mut code = 0usize;
    let events = merged_text(body);
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Paragraph) if code == 0 => {
                if let Some(found) = block_call(&events[i..], &lines) {
                    items.push(Item::Placed { n: calls.len(), block: true });
                    calls.push(found);
                    i += 3;
                    continue;
                }
            }
            Event::Text(text)
                if code == 0 && range.as_ref().is_some_and(|r| r.len() == text.len()) && text.contains("{{") =>
            {
                let at = range.as_ref().map_or(0, |r| r.start);
                scan_text(file, text, at, &lines, &mut items, &mut calls, &mut diags);
                i += 1;
                continue;
            }
            _ => {}
        }
        items.push(Item::Md(events[i].0.clone()));
        i += 1;
    }
    (items, calls, diags)
}

/// The events of `body` with adjacent plain text joined (pulldown-cmark
/// splits text at every character that might have been markup). Each text
/// keeps its place in `body` only when it is written there as it reads:
/// text from an escape or an entity has none, and is never a placement.
fn merged_text(body: &str) -> Vec<(Event<'_>, Option<std::ops::Range<usize>>)> {
    let mut out: Vec<(Event, Option<std::ops::Range<usize>>)> = Vec::new();
    let mut seen_to = 0;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let before = seen_to;
        if !matches!(event, Event::Start(_) | Event::End(_)) {
            seen_to = seen_to.max(range.end);
        }
        let Event::Text(text) = event else {
            out.push((event, Some(range)));
            continue;
        };
        // `\{` is read as `{` whose range starts after the backslash, which
        // no event covers.
        let escaped = range.start > before && body.as_bytes().get(range.start - 1) == Some(&b'\\');
        let literal = !escaped && body.get(range.clone()) == Some(&*text);
        if let Some((Event::Text(prev), Some(prev_range))) = out.last_mut() {
            if literal && prev_range.end == range.start {
                let joined = format!("{prev}{text}");
                *prev = CowStr::from(joined);
                prev_range.end = range.end;
                continue;
            }
        }
        out.push((Event::Text(text), literal.then_some(range)));
    }
    out
}

/// A table or chart call standing alone in a paragraph (`events` starts at
/// the paragraph).
fn block_call(events: &[(Event, Option<std::ops::Range<usize>>)], lines: &LineIndex) -> Option<Found> {
    let [_, (Event::Text(text), Some(range)), (Event::End(TagEnd::Paragraph), _), ..] = events else {
        return None;
    };
    let trimmed = text.trim();
    let inner = trimmed.strip_prefix("{{")?.strip_suffix("}}")?;
    if inner.contains("{{") || inner.contains("}}") {
        return None;
    }
    let call = parse_call(inner).ok().filter(|c| !matches!(c, Call::Figure { .. }))?;
    let lead = text.len() - text.trim_start().len();
    let span = lines.span_at(range.start + lead, trimmed);
    Some(Found { call, span })
}

/// Splits one text at its `{{ … }}` calls (`at`: where it starts in the body).
fn scan_text<'a>(
    file: &SourceFile,
    text: &str,
    at: usize,
    lines: &LineIndex,
    items: &mut Vec<Item<'a>>,
    calls: &mut Vec<Found>,
    diags: &mut Vec<Diagnostic>,
) {
    let body_text = |from: usize, raw: &str| lines.span_at(at + from, raw);
    let mut rest = text;
    let pushed = |items: &mut Vec<Item<'a>>, s: &str| {
        if !s.is_empty() {
            items.push(Item::Md(Event::Text(CowStr::from(s.to_string()))));
        }
    };
    while let Some(start) = rest.find("{{") {
        pushed(items, &rest[..start]);
        let after = &rest[start..];
        let offset = text.len() - after.len();
        let Some(end) = after.find("}}") else {
            let shown = after.trim_end();
            diags.push(Diagnostic::error(
                file,
                body_text(offset, shown),
                Message::MalformedPlacement { text: shown.into() },
            ));
            rest = "";
            break;
        };
        let raw = &after[..end + 2];
        let span = body_text(offset, raw);
        match parse_call(&raw[2..raw.len() - 2]) {
            Ok(call @ Call::Figure { .. }) => {
                items.push(Item::Placed { n: calls.len(), block: false });
                calls.push(Found { call, span });
            }
            Ok(_) => diags.push(Diagnostic::error(file, span, Message::MalformedPlacement { text: raw.to_string() })),
            Err(message) => diags.push(Diagnostic::error(file, span, message)),
        }
        rest = &after[end + 2..];
    }
    pushed(items, rest);
}

/// Byte offsets in a body → file line and column, in logarithmic time.
struct LineIndex<'a> {
    body: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    fn new(body: &'a str, first_line: usize) -> Self {
        let starts = std::iter::once(0).chain(body.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { body, starts, first_line }
    }

    /// The span of `raw`, written at byte `at` of the body.
    fn span_at(&self, at: usize, raw: &str) -> Span {
        let line = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = self.body.get(start..at).map_or(1, |s| s.chars().count() + 1);
        Span::new(self.first_line + line, col).with_len(raw.chars().count())
    }
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
            Ok(Call::Figure { table: need("table")?, row: need("row")?, col: need("col")?, printed: get("printed") })
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

fn strip_html_items(items: Vec<Item>) -> Vec<Item> {
    items.into_iter().filter(|e| !matches!(e, Item::Md(Event::Html(_) | Event::InlineHtml(_)))).collect()
}

/// Notes are numbered by label (`nota-1`, links back from `ref-nota-1`, see
/// `notes`): headings must not take those ids.
fn reserve_footnote_ids(items: &[Item], ids: &mut UniqueIds) {
    let mut labels = std::collections::BTreeSet::new();
    for item in items {
        if let Item::Md(Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))) = item {
            labels.insert(label.as_ref());
        }
    }
    for n in 1..=labels.len() {
        ids.reserve(&format!("nota-{n}"));
        ids.reserve(&format!("ref-nota-{n}"));
    }
}

/// Gives every heading a unique id and collects h2/h3 for the contents list.
/// A figure in a heading is not part of its id.
fn heading_ids<'a>(mut items: Vec<Item<'a>>, ids: &mut UniqueIds) -> (Vec<Item<'a>>, Vec<TocEntry>) {
    let mut toc = Vec::new();
    let mut i = 0;
    while i < items.len() {
        if let Item::Md(Event::Start(Tag::Heading { level, .. })) = &items[i] {
            let level = *level;
            let mut title = String::new();
            let mut j = i + 1;
            while j < items.len() && !matches!(items[j], Item::Md(Event::End(TagEnd::Heading(_)))) {
                if let Item::Md(Event::Text(t) | Event::Code(t)) = &items[j] {
                    title.push_str(t);
                }
                j += 1;
            }
            let id = ids.unique(&title);
            if let Item::Md(Event::Start(Tag::Heading { id: slot, .. })) = &mut items[i] {
                *slot = Some(CowStr::from(id.clone()));
            }
            if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                toc.push(TocEntry { id, title: title.trim().to_string(), level: level as u8 });
            }
            i = j;
        }
        i += 1;
    }
    (items, toc)
}

/// Puts each placement's markup in and gathers the search text per heading.
fn splice<'a>(items: Vec<Item<'a>>, embeds: &[Embedded]) -> (Vec<Event<'a>>, Vec<TextBlock>) {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(items.len());
    let mut blocks = vec![TextBlock::default()];
    let mut in_heading: Option<(String, u8)> = None;
    for item in items {
        let event = match item {
            Item::Placed { n, block } => {
                let e = embeds.get(n).cloned().unwrap_or_default();
                push_text(&mut blocks, &e.text);
                let html = CowStr::from(e.html);
                out.push(if block { Event::Html(html) } else { Event::InlineHtml(html) });
                continue;
            }
            Item::Md(event) => event,
        };
        match event {
            Event::Start(Tag::Heading { level, ref id, .. }) => {
                in_heading = Some((id.as_deref().unwrap_or("").to_string(), level as u8));
                blocks.push(TextBlock::default());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some((id, level)), Some(block)) = (in_heading.take(), blocks.last_mut()) {
                    let title = std::mem::take(&mut block.text);
                    block.heading = Some(TocEntry { id, title: title.trim().to_string(), level });
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => push_text(&mut blocks, t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                push_text(&mut blocks, " ");
            }
            _ => {}
        }
        out.push(event);
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

mod media;
mod notes;
mod tables;
pub use media::{references, Reference, Target};
mod links;
pub mod tree;

#[cfg(test)]
mod tests;
