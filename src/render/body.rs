//! Section bodies: Markdown with placed tables, charts and figures, then the
//! tables and charts the editor did not place, in declaration order.

use super::search::{squash, Entry};
use super::table_html;
use crate::cache::Cache;
use crate::chart::{self, ChartData, ChartSpec};
use crate::diagnostics::{suggest, Diagnostic, Kind, Lang, Message};
use crate::markdown::{self, Call, Embedded, RenderOptions, Resolver, TextBlock, TocEntry};
use crate::model::{Report, Section};
use crate::table::{DataTable, Row};
use crate::theme::Theme;
use std::sync::Arc;

/// A section's rendered body.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionBody {
    /// Shared by the section's page and the whole-report page.
    pub html: std::sync::Arc<str>,
    pub toc: Vec<TocEntry>,
    pub blocks: Vec<TextBlock>,
    /// The hash of everything the body is made from: what is derived from
    /// the body alone (its scoped copy, its search entries) is keyed by it.
    pub key: crate::cache::Key,
}

impl SectionBody {
    /// The body as the disk cache keeps it: the HTML as it is, then the rest
    /// as JSON. Escaping the HTML into JSON was most of the cost of caching.
    fn encode(&self) -> Option<Vec<u8>> {
        let rest = serde_json::to_vec(&(&self.toc, &self.blocks)).ok()?;
        let mut bytes = Vec::with_capacity(8 + self.html.len() + rest.len());
        bytes.extend_from_slice(&(self.html.len() as u64).to_le_bytes());
        bytes.extend_from_slice(self.html.as_bytes());
        bytes.extend_from_slice(&rest);
        Some(bytes)
    }

    fn decode(bytes: &[u8], key: crate::cache::Key) -> Option<Self> {
        let len = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
        let html = std::str::from_utf8(bytes.get(8..8usize.checked_add(len)?)?).ok()?;
        let (toc, blocks) = serde_json::from_slice(bytes.get(8 + len..)?).ok()?;
        Some(SectionBody { html: Arc::from(html), toc, blocks, key })
    }
}

struct PageResolver<'a> {
    report: &'a Report,
    /// The section being rendered: its charts are found first.
    section: Option<&'a Section>,
    theme: &'a Theme,
    lang: Lang,
}

impl PageResolver<'_> {
    fn find_chart(&self, id: &str) -> Option<(&Section, &ChartSpec)> {
        let here = self.section.into_iter();
        here.chain(self.report.sections.iter()).find_map(|s| s.charts.iter().find(|c| c.id == id).map(|c| (s, c)))
    }

    fn table_html(&self, table: &DataTable) -> Embedded {
        let safe = self.report.settings().safe_html;
        Embedded {
            html: table_html::render(table, &self.report.format, self.theme, safe),
            text: table_text(table, self.report),
        }
    }

    fn chart_html(&self, spec: &ChartSpec) -> Option<Embedded> {
        let (table_section, table) = self.report.table(&spec.table)?;
        let fmt = &self.report.format;
        let data = ChartData::from_table(spec, table, fmt)?;
        let svg = chart::render_svg(spec, &data, fmt, self.lang);
        let same_page = self.section.is_some_and(|s| s.slug == table_section.slug);
        let href = if same_page {
            format!("#tabla-{}", table.id)
        } else {
            format!("{}.html#tabla-{}", table_section.slug, table.id)
        };
        let html = format!(
            "<figure class=\"chart\" id=\"grafico-{}\">\n{svg}\n<figcaption>{}. <a href=\"{href}\">{}</a></figcaption>\n</figure>\n",
            spec.id,
            markdown::escape_html(&spec.title),
            markdown::escape_html(&self.theme.string("see_table"))
        );
        Some(Embedded { html, text: format!("{} {}", spec.title, chart::describe(spec, &data, self.lang)) })
    }

    fn figure(&self, table_id: &str, row: &str, col: &str) -> Result<Embedded, Message> {
        let (_, table) = self.report.table(table_id).ok_or_else(|| Message::UnknownId {
            kind: Kind::Table,
            id: table_id.into(),
            suggestion: suggest(table_id, self.report.table_ids()),
        })?;
        let c = table.column_index(col).ok_or_else(|| Message::UnknownColumn {
            table: table.id.clone(),
            column: col.into(),
            suggestion: suggest(col, table.columns.iter().map(|c| c.id.as_str())),
        })?;
        let found: Option<&Row> =
            table.rows.iter().chain(table.total.iter()).find(|r| r.label().is_some_and(|l| l.trim() == row.trim()));
        let r = found.ok_or_else(|| Message::UnknownRow {
            table: table.id.clone(),
            row: row.into(),
            suggestion: suggest(row, table.rows.iter().filter_map(|r| r.label())),
        })?;
        let text = table.display(c, &r.cells[c], &self.report.format);
        Ok(Embedded { html: format!("<span class=\"figure\">{}</span>", markdown::escape_html(&text)), text })
    }
}

impl Resolver for PageResolver<'_> {
    fn target(&self, url: &str) -> Option<markdown::Target> {
        self.section?.links.get(url).cloned()
    }

    fn word(&self, key: &str) -> String {
        self.theme.string(key)
    }

    fn resolve(&self, call: &Call) -> Result<Embedded, Message> {
        match call {
            Call::Table(id) => match self.report.table(id) {
                Some((_, t)) => Ok(self.table_html(t)),
                None => Err(Message::UnknownId {
                    kind: Kind::Table,
                    id: id.clone(),
                    suggestion: suggest(id, self.report.table_ids()),
                }),
            },
            Call::Chart(id) => {
                let unknown = || {
                    let ids = self.report.sections.iter().flat_map(|s| s.charts.iter().map(|c| c.id.as_str()));
                    Message::UnknownId { kind: Kind::Chart, id: id.clone(), suggestion: suggest(id, ids) }
                };
                let (_, spec) = self.find_chart(id).ok_or_else(unknown)?;
                self.chart_html(spec).ok_or_else(unknown)
            }
            Call::Figure { table, row, col } => self.figure(table, row, col),
        }
    }
}

/// The words of a table for the search index: caption, labels and cells.
fn table_text(table: &DataTable, report: &Report) -> String {
    let mut parts = vec![table.caption.clone()];
    parts.extend(table.columns.iter().map(|c| c.label.clone()));
    for row in table.rows.iter().chain(table.total.iter()) {
        for (i, cell) in row.cells.iter().enumerate() {
            parts.push(table.display(i, cell, &report.format));
        }
    }
    parts.join(" ")
}

/// [`render_section`] through the cache: a body is reused when its file, the
/// files of sections it draws tables from, the settings and the interface
/// strings are unchanged. Bodies with problems are never cached.
pub fn render_section_cached(
    report: &Report,
    section: &Section,
    theme: &Theme,
    lang: Lang,
    cache: &Cache,
) -> (Arc<SectionBody>, Vec<Diagnostic>) {
    let key = body_key(report, section, theme, lang);
    // A session in memory keeps bodies as they are; a cache on disk as bytes.
    if let Some(body) = cache.get_typed::<Arc<SectionBody>>(key) {
        return (body, Vec::new());
    }
    if let Some(body) = cache.get(key).and_then(|b| SectionBody::decode(&b, key)) {
        return (Arc::new(body), Vec::new());
    }
    let (mut body, diags) = render_section(report, section, theme, lang);
    body.key = key;
    let body = Arc::new(body);
    if diags.is_empty() {
        if cache.lives_in_memory() {
            cache.put_typed(key, Arc::clone(&body));
        } else if let Some(bytes) = body.encode() {
            let _ = cache.put(key, bytes);
        }
    }
    (body, diags)
}

fn body_key(report: &Report, section: &Section, theme: &Theme, lang: Lang) -> crate::cache::Key {
    let s = report.settings();
    let settings =
        format!("{}|{}|{}|{:?}|{}|{:?}", s.language, s.currency, s.safe_html, lang, section.body_line, s.participation);
    let theme_key = theme.strings_key.to_le_bytes();
    let mut parts: Vec<&[u8]> =
        vec![settings.as_bytes(), &theme_key, section.file.display.as_bytes(), section.file.text.as_bytes()];
    for other in referenced_sections(report, section) {
        parts.push(other.file.display.as_bytes());
        parts.push(other.file.text.as_bytes());
    }
    // Where its images and links lead, and each image's size: a renamed
    // page or a replaced image changes the body.
    let links: Vec<String> = section
        .links
        .iter()
        .map(|(url, t)| format!("{url}\u{0}{}\u{0}{:?}", t.href, t.size.unwrap_or_default()))
        .collect();
    parts.extend(links.iter().map(String::as_bytes));
    crate::cache::key(&parts)
}

/// Other sections whose tables or charts this section shows: every quoted
/// word of its `{{ … }}` calls and every chart's table that names one.
fn referenced_sections<'a>(report: &'a Report, section: &Section) -> Vec<&'a Section> {
    let mut ids: Vec<&str> = section.charts.iter().map(|c| c.table.as_str()).collect();
    for call in section.body.split("{{").skip(1) {
        let call = call.split("}}").next().unwrap_or("");
        ids.extend(call.split('"').skip(1).step_by(2));
    }
    let mut found: Vec<&Section> = Vec::new();
    for id in ids {
        let owner = report
            .table(id)
            .map(|(s, _)| s)
            .or_else(|| report.sections.iter().find(|s| s.charts.iter().any(|c| c.id == id)));
        if let Some(owner) = owner {
            if owner.slug != section.slug && !found.iter().any(|f| f.slug == owner.slug) {
                found.push(owner);
            }
        }
    }
    found.sort_by(|a, b| a.slug.cmp(&b.slug));
    found
}

/// Renders one section: body, then unplaced tables and charts.
pub fn render_section(report: &Report, section: &Section, theme: &Theme, lang: Lang) -> (SectionBody, Vec<Diagnostic>) {
    let resolver = PageResolver { report, section: Some(section), theme, lang };
    let mut reserved: Vec<String> = section.tables.iter().map(|t| format!("tabla-{}", t.id)).collect();
    reserved.extend(section.charts.iter().map(|c| format!("grafico-{}", c.id)));
    if let Some(p) = &section.participation {
        reserved.extend(super::participation::reserved_ids(p));
    }
    let opts = RenderOptions { safe_html: report.settings().safe_html };
    let (mut rendered, diags) =
        markdown::render(&section.file, &section.body, section.body_line, opts, &reserved, &resolver);
    if let Some(p) = &section.participation {
        let block = super::participation::render(report, &section.slug, p, theme);
        rendered.html.push_str(&block.html);
        rendered.toc.extend(block.toc);
        rendered.blocks.extend(block.blocks);
        // Shown as questions and answers, not as a wide table.
        rendered.placed.push(Call::Table(crate::participation::table_ids(&section.slug).0));
    }
    for table in section.tables.iter() {
        if !rendered.placed.contains(&Call::Table(table.id.clone())) {
            let e = resolver.table_html(table);
            rendered.html.push_str(&e.html);
            rendered.blocks.push(TextBlock {
                heading: Some(TocEntry { id: format!("tabla-{}", table.id), title: table.caption.clone(), level: 3 }),
                text: e.text,
            });
        }
    }
    for spec in section.charts.iter() {
        if rendered.placed.contains(&Call::Chart(spec.id.clone())) {
            continue;
        }
        if let Some(e) = resolver.chart_html(spec) {
            rendered.html.push_str(&e.html);
            rendered.blocks.push(TextBlock {
                heading: Some(TocEntry { id: format!("grafico-{}", spec.id), title: spec.title.clone(), level: 3 }),
                text: e.text,
            });
        }
    }
    // Notes close the section, after the tables and charts it did not place.
    rendered.html.push_str(&rendered.notes);
    (SectionBody { html: rendered.html.into(), toc: rendered.toc, blocks: rendered.blocks, key: 0 }, diags)
}

/// Renders the home page introduction.
pub fn render_home(report: &Report, theme: &Theme, lang: Lang) -> (String, Vec<Diagnostic>) {
    let resolver = PageResolver { report, section: None, theme, lang };
    let home = &report.home;
    let opts = RenderOptions { safe_html: report.settings().safe_html };
    let (rendered, diags) = markdown::render(&home.file, &home.body, home.body_line, opts, &[], &resolver);
    (rendered.html + &rendered.notes, diags)
}

/// A table cell by row label and column, as the reader sees it: the
/// lookup of `figure()`, for the home page's key figures.
pub fn cell_text(
    report: &Report,
    theme: &Theme,
    lang: Lang,
    table: &str,
    row: &str,
    col: &str,
) -> Result<String, Message> {
    PageResolver { report, section: None, theme, lang }.figure(table, row, col).map(|e| e.text)
}

/// A chapter's intro prose (the body of its `_index.md`), rendered like the
/// home page's: placements may quote any table of the report.
pub fn render_intro(
    report: &Report,
    chapter: &crate::model::Chapter,
    theme: &Theme,
    lang: Lang,
) -> (String, Vec<Diagnostic>) {
    let Some(file) = &chapter.file else { return (String::new(), Vec::new()) };
    let resolver = PageResolver { report, section: None, theme, lang };
    let opts = RenderOptions { safe_html: report.settings().safe_html };
    let (rendered, diags) = markdown::render(file, &chapter.body, chapter.body_line, opts, &[], &resolver);
    (rendered.html + &rendered.notes, diags)
}

/// One search entry per text block of `section`.
pub fn search_entries(section: &Section, body: &SectionBody) -> Vec<Entry> {
    let mut entries = Vec::new();
    let page = format!("{}.html", section.slug);
    // An h3 alone ("c. Programa Chile te recibe") does not say where it
    // sits; results name its h2 too.
    let mut parent: Option<&str> = None;
    for block in &body.blocks {
        let text = squash(&block.text);
        let (h, u) = match &block.heading {
            Some(hd) if hd.level <= 2 => {
                parent = Some(&hd.title);
                (hd.title.clone(), format!("{page}#{}", hd.id))
            }
            Some(hd) => match parent {
                Some(p) => (format!("{p} › {}", hd.title), format!("{page}#{}", hd.id)),
                None => (hd.title.clone(), format!("{page}#{}", hd.id)),
            },
            None => (section.title.clone(), page.clone()),
        };
        if text.is_empty() && block.heading.is_none() {
            continue;
        }
        entries.push(Entry { s: section.title.clone(), h, u, x: text });
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{TextBlock, TocEntry};

    #[test]
    fn a_body_reads_back_from_its_cache_bytes() {
        let heading = TocEntry { id: "a".into(), title: "Año \"1\"".into(), level: 2 };
        let body = SectionBody {
            html: Arc::from("<h2 id=\"a\">Año \"1\"</h2><svg>…</svg>"),
            toc: vec![heading.clone()],
            blocks: vec![TextBlock { heading: Some(heading), text: "texto".into() }],
            key: 7,
        };
        let bytes = body.encode().expect("encoded");
        assert_eq!(SectionBody::decode(&bytes, 7), Some(body));
        assert_eq!(SectionBody::decode(&bytes[..bytes.len() - 1], 7), None, "a torn value is not read");
        assert_eq!(SectionBody::decode(&bytes[..5], 7), None);
    }
}
