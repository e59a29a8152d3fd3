//! cuenta's model as the data the PDF template typesets: settings, section
//! bodies as Markdown trees, tables, charts and interface strings. All of it
//! is serialised to JSON and read by `template.typ` with `json(…)`: editor
//! text reaches Typst only as string values, never as markup, so there is
//! nothing to escape and nothing an editor can run.

use super::Charts;
use crate::markdown::tree::{self, inline_tree, Node, Tree};
use crate::markdown::Call;
use crate::model::{Report, Section};
use crate::table::{Cell, DataTable, Row};
use crate::theme::Theme;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The whole document, as `informe.json`.
#[derive(Debug, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub t: BTreeMap<&'static str, String>,
    pub intro: Vec<Node>,
    pub sections: Vec<SectionData>,
    /// What each [`Node::Embed`] stands for, by its number.
    pub embeds: Vec<Embed>,
}

#[derive(Debug, Serialize)]
pub struct Meta {
    pub title: String,
    pub institution: String,
    pub period: String,
    pub subject: String,
    /// ISO 639 language and ISO 3166 region, from the report's tag.
    pub lang: String,
    pub region: Option<String>,
    /// `[year, month, day]`, or none: no clock reaches the PDF.
    pub date: Option<[i64; 3]>,
}

#[derive(Debug, Serialize)]
pub struct SectionData {
    pub slug: String,
    pub number: usize,
    pub title: String,
    pub summary: Option<String>,
    pub c: Vec<Node>,
}

/// A resolved placement.
#[derive(Debug, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Embed {
    Table(TableData),
    Chart(ChartData),
    Figure {
        s: String,
    },
    /// A call that did not resolve (the site reported it).
    None,
}

#[derive(Debug, Serialize)]
pub struct TableData {
    pub id: String,
    /// True for the table's first appearance: the one charts link to.
    pub anchor: bool,
    pub caption: Vec<Node>,
    pub columns: Vec<ColumnData>,
    pub rows: Vec<Vec<CellData>>,
    pub total: Option<Vec<CellData>>,
    pub source: Option<Vec<Node>>,
    pub note: Option<Vec<Node>>,
    /// None when the table has nothing to check.
    pub verification: Option<Verification>,
    /// "Se muestran 1.000 de 10.000 filas…" when rows were left out.
    pub omitted: Option<String>,
}

/// A cell as printed: a line of text, or a list (a JSON array).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CellData {
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Serialize)]
pub struct ColumnData {
    pub label: String,
    pub numeric: bool,
}

#[derive(Debug, Serialize)]
pub struct Verification {
    pub ok: bool,
    /// "columna · fila: publicado X, calculado Y", one per mismatch.
    pub lines: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ChartData {
    /// The SVG's path in the World.
    pub file: String,
    pub title: String,
    pub alt: String,
    /// The table the chart draws, when it is in the document.
    pub table: String,
    /// Height over width, so a tall chart is fitted to the page's height.
    pub ratio: f64,
}

/// Assembles the document from the report and every chart's figure (by
/// section slug and chart id). Also returns the SVGs the document shows:
/// the `n`-th is served as [`super::chart_path`]`(n)`.
pub fn assemble(report: &Report, theme: &Theme, charts: &Charts) -> (Document, Vec<String>) {
    let mut b = Builder {
        report,
        theme,
        charts,
        embeds: Vec::new(),
        anchored: BTreeSet::new(),
        files: BTreeMap::new(),
        svgs: Vec::new(),
    };
    let home = &report.home;
    let intro = b.body(None, &home.file, &home.body, home.body_line);
    let sections = report.sections.iter().map(|s| b.section(s)).collect();
    let s = report.settings();
    let (lang, region) = split_tag(&s.language);
    let meta = Meta {
        title: s.title.clone(),
        institution: s.institution.clone(),
        period: s.period.clone(),
        subject: s.description.clone().unwrap_or_else(|| s.title.clone()),
        lang,
        region,
        date: None,
    };
    // A chart links to its table only where the document shows the table.
    for embed in &mut b.embeds {
        if let Embed::Chart(chart) = embed {
            if !b.anchored.contains(&chart.table) {
                chart.table.clear();
            }
        }
    }
    (Document { meta, t: strings(theme), intro, sections, embeds: b.embeds }, b.svgs)
}

/// Height over width of an SVG, from its `viewBox` (1 when unreadable).
fn svg_ratio(svg: &str) -> f64 {
    let view_box = svg.split("viewBox=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
    let numbers: Vec<f64> = view_box.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    match numbers.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => h / w,
        _ => 1.0,
    }
}

/// `es-CL` → (`es`, Some(`CL`)).
fn split_tag(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split(['-', '_']);
    let lang = parts.next().filter(|l| l.len() == 2 || l.len() == 3).unwrap_or("es").to_ascii_lowercase();
    let region = parts.next().filter(|r| r.len() == 2).map(str::to_ascii_uppercase);
    (lang, region)
}

/// The interface strings the template prints, from the theme.
fn strings(theme: &Theme) -> BTreeMap<&'static str, String> {
    [
        "contents",
        "pdf_page",
        "section",
        "period",
        "source",
        "see_table",
        "verification_title",
        "verification_ok",
        "verification_warn",
        "total",
        "table",
        "chart",
        "pdf_rows_omitted",
    ]
    .into_iter()
    .map(|k| (k, theme.string(k)))
    .collect()
}

struct Builder<'a> {
    report: &'a Report,
    theme: &'a Theme,
    charts: &'a Charts,
    embeds: Vec<Embed>,
    anchored: BTreeSet<String>,
    /// Chart → the number of its SVG file, so a chart shown twice is one file.
    files: BTreeMap<(String, String), usize>,
    svgs: Vec<String>,
}

impl Builder<'_> {
    fn section(&mut self, section: &Section) -> SectionData {
        let mut c = self.body(Some(section), &section.file, &section.body, section.body_line);
        let placed = self.placed_in(section);
        for table in section.tables.iter() {
            if !placed.contains(&Call::Table(table.id.clone())) {
                let embed = Embed::Table(self.table(table));
                let n = self.push(embed);
                c.push(Node::Embed { n, block: true });
            }
        }
        for spec in section.charts.iter() {
            if !placed.contains(&Call::Chart(spec.id.clone())) {
                let embed = self.chart(section, &spec.id);
                let n = self.push(embed);
                c.push(Node::Embed { n, block: true });
            }
        }
        SectionData {
            slug: section.slug.clone(),
            number: section.number,
            title: section.title.clone(),
            summary: section.summary.clone(),
            c,
        }
    }

    /// The calls a section's body makes (the site appends the rest).
    fn placed_in(&self, section: &Section) -> Vec<Call> {
        tree::tree(&section.file, &section.body, section.body_line, 0).calls
    }

    fn body(
        &mut self,
        section: Option<&Section>,
        file: &crate::source::SourceFile,
        body: &str,
        line: usize,
    ) -> Vec<Node> {
        let Tree { mut nodes, calls } = tree::tree(file, body, line, self.embeds.len());
        for call in &calls {
            let embed = match call {
                Call::Table(id) => match self.report.table(id) {
                    Some((_, t)) => Embed::Table(self.table(t)),
                    None => Embed::None,
                },
                Call::Chart(id) => match section {
                    Some(s) => self.chart(s, id),
                    None => self.chart_anywhere(id),
                },
                Call::Figure { table, row, col } => self.figure(table, row, col),
            };
            self.embeds.push(embed);
        }
        breakable(&mut nodes);
        self.retarget_links(&mut nodes);
        level_headings(&mut nodes, 1);
        nodes
    }

    /// Links to a page of the report (`seccion.html`, `seccion.html#x`,
    /// `informe-completo.html#capitulo-seccion`) jump to that section.
    fn retarget_links(&self, nodes: &mut [Node]) {
        for node in nodes {
            match node {
                Node::Link { url, c } => {
                    if let Some(slug) = self.section_of(url) {
                        *url = format!("#seccion-{slug}");
                    }
                    self.retarget_links(c);
                }
                Node::Par { c }
                | Node::Heading { c, .. }
                | Node::List { c, .. }
                | Node::Item { c }
                | Node::Quote { c }
                | Node::Emph { c }
                | Node::Strong { c }
                | Node::Strike { c }
                | Node::Note { c }
                | Node::Grid { c, .. }
                | Node::Row { c, .. }
                | Node::Cell { c } => self.retarget_links(c),
                _ => {}
            }
        }
    }

    fn section_of(&self, url: &str) -> Option<&str> {
        let (page, fragment) = url.split_once('#').unwrap_or((url, ""));
        let slug = match page.strip_suffix(".html")? {
            "informe-completo" => fragment.strip_prefix("capitulo-")?,
            page => page,
        };
        self.report.sections.iter().find(|s| s.slug == slug).map(|s| s.slug.as_str())
    }

    fn push(&mut self, embed: Embed) -> usize {
        self.embeds.push(embed);
        self.embeds.len() - 1
    }

    fn table(&mut self, t: &DataTable) -> TableData {
        let fmt = &self.report.format;
        let cells = |row: &Row| -> Vec<CellData> {
            row.cells.iter().enumerate().map(|(i, cell)| cell_data(t, i, cell, fmt)).collect()
        };
        let (declared, computed) = (self.theme.string("declared"), self.theme.string("computed"));
        let verification = (t.checks > 0).then(|| Verification {
            ok: t.mismatches.is_empty(),
            lines: t
                .mismatches
                .iter()
                .map(|m| {
                    let place = m.row.clone().unwrap_or_else(|| self.theme.string("total"));
                    format!("{} · {place}: {declared} {}, {computed} {}", m.column, m.declared, m.computed)
                })
                .collect(),
        });
        TableData {
            id: t.id.clone(),
            anchor: self.anchored.insert(t.id.clone()),
            caption: inline_tree(&t.caption),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnData { label: breakable_text(&c.label), numeric: c.kind.is_numeric() })
                .collect(),
            rows: t.rows.iter().take(MAX_ROWS).map(cells).collect(),
            total: t.total.as_ref().map(cells),
            source: t.source.as_deref().map(inline_tree),
            note: t.note.as_deref().map(inline_tree),
            verification,
            omitted: (t.rows.len() > MAX_ROWS).then(|| {
                self.theme
                    .string("pdf_rows_omitted")
                    .replace("{shown}", &fmt.integer(MAX_ROWS as i64))
                    .replace("{rows}", &fmt.integer(t.rows.len() as i64))
                    .replace("{csv}", &format!("datos/{}.csv", t.id))
            }),
        }
    }

    /// A chart of `section`, or of another section as the site finds it.
    fn chart(&mut self, section: &Section, id: &str) -> Embed {
        if self.charts.contains_key(&(section.slug.clone(), id.to_string())) {
            return self.chart_embed(section, id);
        }
        self.chart_anywhere(id)
    }

    fn chart_anywhere(&mut self, id: &str) -> Embed {
        let report = self.report;
        for section in &report.sections {
            if self.charts.contains_key(&(section.slug.clone(), id.to_string())) {
                return self.chart_embed(section, id);
            }
        }
        Embed::None
    }

    fn chart_embed(&mut self, section: &Section, id: &str) -> Embed {
        let key = (section.slug.clone(), id.to_string());
        let Some(figure) = self.charts.get(&key) else { return Embed::None };
        let n = match self.files.get(&key) {
            Some(n) => *n,
            None => {
                self.svgs.push(figure.svg.clone());
                self.files.insert(key, self.svgs.len() - 1);
                self.svgs.len() - 1
            }
        };
        let table = section.charts.iter().find(|c| c.id == id).map(|c| c.table.clone()).unwrap_or_default();
        Embed::Chart(ChartData {
            file: super::chart_path(n),
            title: figure.title.clone(),
            alt: figure.alt.clone(),
            table,
            ratio: svg_ratio(&figure.svg),
        })
    }

    fn figure(&self, table: &str, row: &str, col: &str) -> Embed {
        let Some((_, t)) = self.report.table(table) else { return Embed::None };
        let Some(c) = t.column_index(col) else { return Embed::None };
        let found = t.rows.iter().chain(t.total.iter()).find(|r| r.label().is_some_and(|l| l.trim() == row.trim()));
        match found {
            Some(r) => Embed::Figure { s: t.display(c, &r.cells[c], &self.report.format) },
            None => Embed::None,
        }
    }
}

/// A cell as printed: numbers formatted for the report's language, text as
/// the site shows it (without its Markdown marks).
fn cell_data(t: &DataTable, i: usize, cell: &Cell, fmt: &crate::number::NumberFormat) -> CellData {
    let plain = |s: &str| breakable_text(&inline_tree(s).iter().map(tree::plain).collect::<String>());
    match cell {
        Cell::Text(s) => CellData::Text(plain(s)),
        Cell::List(items) => CellData::List(items.iter().map(|s| plain(s)).collect()),
        _ => CellData::Text(t.display(i, cell, fmt)),
    }
}

/// Body headings become levels 2 to 4 under their section's level 1, never
/// skipping a level (PDF/UA readers expect an unbroken outline).
fn level_headings(nodes: &mut [Node], mut previous: u8) {
    for node in nodes {
        if let Node::Heading { level, .. } = node {
            *level = (*level).clamp(2, 4).min(previous + 1);
            previous = *level;
        }
    }
}

/// A table prints at most this many rows (about 25 pages); the rest are in
/// its CSV, which the note under it names. Typesetting ten thousand rows
/// took most of a build and made a PDF no one prints.
const MAX_ROWS: usize = 1_000;

/// Words longer than this get invisible break opportunities, so that a
/// pasted URL or a run of digits cannot push text off the page.
const LONGEST_WORD: usize = 40;

/// [`breakable_text`] on every text node.
fn breakable(nodes: &mut [Node]) {
    for node in nodes {
        match node {
            Node::Text { s } => *s = breakable_text(s),
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
            | Node::Note { c }
            | Node::Grid { c, .. }
            | Node::Row { c, .. }
            | Node::Cell { c } => breakable(c),
            _ => {}
        }
    }
}

/// Inserts a zero-width space every [`LONGEST_WORD`] characters of a word.
fn breakable_text(s: &str) -> String {
    if s.len() <= LONGEST_WORD {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + s.len() / LONGEST_WORD * 3);
    let mut run = 0;
    for c in s.chars() {
        if c.is_whitespace() {
            run = 0;
        } else {
            run += 1;
            if run > LONGEST_WORD {
                out.push('\u{200B}');
                run = 1;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_split_into_language_and_region() {
        assert_eq!(split_tag("es-CL"), ("es".into(), Some("CL".into())));
        assert_eq!(split_tag("en"), ("en".into(), None));
        assert_eq!(split_tag("x"), ("es".into(), None));
    }

    #[test]
    fn body_headings_never_skip_a_level() {
        let h = |level| Node::Heading { level, c: Vec::new() };
        let mut nodes = vec![h(1), h(3), h(4), h(6), h(2)];
        level_headings(&mut nodes, 1);
        assert_eq!(nodes, vec![h(2), h(3), h(4), h(4), h(2)]);
    }

    #[test]
    fn an_svg_ratio_comes_from_its_view_box() {
        assert_eq!(svg_ratio("<svg width=\"800\" viewBox=\"0 0 800 400\">"), 0.5);
        assert_eq!(svg_ratio("<svg>"), 1.0);
    }

    #[test]
    fn long_words_get_break_opportunities_and_short_ones_do_not() {
        assert_eq!(breakable_text("corto y claro"), "corto y claro");
        let long = "a".repeat(100);
        let broken = breakable_text(&long);
        assert_eq!(broken.matches('\u{200B}').count(), 2);
        assert_eq!(broken.replace('\u{200B}', ""), long);
    }
}
