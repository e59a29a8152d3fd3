//! Section bodies: Markdown with placed tables, charts and figures, then the
//! tables and charts the editor did not place, in declaration order.

use super::search::{squash, Entry};
use super::table_html;
use crate::chart::{self, ChartData, ChartSpec};
use crate::diagnostics::{suggest, Diagnostic, Kind, Lang, Message};
use crate::html;
use crate::markdown::{self, Call, Embedded, RenderOptions, Resolver, TextBlock, TocEntry};
use crate::model::{Report, Section};
use crate::table::{DataTable, Row};
use crate::theme::Theme;

/// A section's rendered body. Serialisable so that a build can keep it for
/// the next one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct SectionBody {
    /// Shared by the section's page and the whole-report page.
    pub html: std::sync::Arc<str>,
    pub toc: Vec<TocEntry>,
    pub blocks: Vec<TextBlock>,
    /// The fingerprint of what the body is made from (0 when nobody took
    /// it): what is derived from the body alone (its scoped copy, its search
    /// entries) is made from it.
    pub fingerprint: u128,
}

struct PageResolver<'a> {
    report: &'a Report,
    /// Where the prose's images and links lead, resolved by the model.
    links: Option<&'a std::collections::BTreeMap<String, markdown::Target>>,
    /// The section being rendered: its charts are found first.
    section: Option<&'a Section>,
    theme: &'a Theme,
    lang: Lang,
}

impl PageResolver<'_> {
    fn find_chart(&self, id: &str) -> Option<&ChartSpec> {
        let here = self.section.and_then(|s| self.report.sections.iter().position(|o| o.slug == s.slug));
        match here {
            Some(i) => self.report.chart(i, id).map(|(_, c)| c),
            None => self.report.sections.iter().find_map(|s| s.charts.iter().find(|c| c.id == id)),
        }
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
            format!("#{}", html::table_anchor(&table.id))
        } else {
            format!("{}#{}", html::page_href(&table_section.slug), html::table_anchor(&table.id))
        };
        let html = format!(
            "<figure class=\"chart\" id=\"{}\">\n{svg}\n<figcaption>{}. <a href=\"{href}\">{}</a></figcaption>\n</figure>\n",
            html::chart_anchor(&spec.id),
            markdown::escape_html(&spec.title),
            markdown::escape_html(&self.theme.string("see_table"))
        );
        Some(Embedded { html, text: format!("{} {}", spec.title, chart::describe(spec, &data, self.lang)) })
    }

    /// A figure of a table; with `printed`, the prose's own text is shown
    /// (crosscheck compares it with the cell).
    fn figure(&self, table_id: &str, row: &str, col: &str, printed: Option<&str>) -> Result<Embedded, Message> {
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
        let text = match printed {
            Some(p) => p.replace(' ', "\u{a0}"),
            None => match table.column_in(c, r) {
                Some(column) => crate::table::display_with_unit(&column, &r.cells[c], &self.report.format),
                None => String::new(),
            },
        };
        Ok(Embedded { html: format!("<span class=\"figure\">{}</span>", markdown::escape_html(&text)), text })
    }
}

impl Resolver for PageResolver<'_> {
    fn target(&self, url: &str) -> Option<markdown::Target> {
        self.links?.get(url).cloned()
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
                let spec = self.find_chart(id).ok_or_else(unknown)?;
                self.chart_html(spec).ok_or_else(unknown)
            }
            Call::Figure { table, row, col, printed } => self.figure(table, row, col, printed.as_deref()),
        }
    }
}

/// The words of a table for the search index: caption, labels and cells.
fn table_text(table: &DataTable, report: &Report) -> String {
    let mut parts = vec![table.caption.clone()];
    parts.extend(table.columns.iter().map(|c| c.label.clone()));
    for row in table.rows.iter().chain(table.total.iter()) {
        for i in 0..row.cells.len() {
            parts.push(table.display_in(i, row, &report.format));
        }
    }
    parts.join(" ")
}

/// Renders section `i`: body, then unplaced tables and charts.
pub(crate) fn render_section(report: &Report, i: usize, theme: &Theme, lang: Lang) -> (SectionBody, Vec<Diagnostic>) {
    let section = &report.sections[i];
    let resolver = PageResolver { report, links: Some(&section.links), section: Some(section), theme, lang };
    let mut reserved: Vec<String> = theme.page_ids.clone();
    reserved.extend(section.tables.iter().map(|t| html::table_anchor(&t.id)));
    reserved.extend(section.charts.iter().map(|c| html::chart_anchor(&c.id)));
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
                heading: Some(TocEntry { id: html::table_anchor(&table.id), title: table.caption.clone(), level: 3 }),
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
                heading: Some(TocEntry { id: html::chart_anchor(&spec.id), title: spec.title.clone(), level: 3 }),
                text: e.text,
            });
        }
    }
    // Notes close the section, after the tables and charts it did not place.
    rendered.html.push_str(&rendered.notes);
    (SectionBody { html: rendered.html.into(), toc: rendered.toc, blocks: rendered.blocks, fingerprint: 0 }, diags)
}

/// Renders the home page introduction.
pub(super) fn render_home(report: &Report, theme: &Theme, lang: Lang) -> (String, Vec<Diagnostic>) {
    let resolver = PageResolver { report, links: None, section: None, theme, lang };
    let home = &report.home;
    let opts = RenderOptions { safe_html: report.settings().safe_html };
    let (rendered, diags) = markdown::render(&home.file, &home.body, home.body_line, opts, &[], &resolver);
    (rendered.html + &rendered.notes, diags)
}

/// A table cell by row label and column, as the reader sees it: the
/// lookup of `figure()`, for the home page's key figures.
pub(super) fn cell_text(
    report: &Report,
    theme: &Theme,
    lang: Lang,
    table: &str,
    row: &str,
    col: &str,
) -> Result<String, Message> {
    PageResolver { report, links: None, section: None, theme, lang }.figure(table, row, col, None).map(|e| e.text)
}

/// A chapter's intro prose (the body of its `_index.md`), rendered like the
/// home page's: placements may quote any table of the report.
pub(super) fn render_intro(
    report: &Report,
    chapter: &crate::model::Chapter,
    theme: &Theme,
    lang: Lang,
) -> (String, Vec<Diagnostic>) {
    let Some(file) = &chapter.file else { return (String::new(), Vec::new()) };
    let resolver = PageResolver { report, links: Some(&chapter.links), section: None, theme, lang };
    let opts = RenderOptions { safe_html: report.settings().safe_html };
    let (rendered, diags) = markdown::render(file, &chapter.body, chapter.body_line, opts, &[], &resolver);
    (rendered.html + &rendered.notes, diags)
}

/// One search entry per text block of `section`.
pub(super) fn search_entries(section: &Section, body: &SectionBody) -> Vec<Entry> {
    let mut entries = Vec::new();
    let page = html::page_href(&section.slug);
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
