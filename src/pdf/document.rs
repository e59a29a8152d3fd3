//! cuenta's model as the data the PDF template typesets: settings, chapters
//! and section bodies as Markdown trees, tables, charts, images and
//! interface strings. All of it is serialised to JSON and read by
//! `template.typ` with `json(…)`: editor text reaches Typst only as string
//! values, never as markup, so there is nothing to escape and nothing an
//! editor can run. `Hash`: the document and its files are everything Typst
//! reads, so their hash is the PDF's fingerprint.

use super::Charts;
use crate::markdown::tree::{self, inline_tree, Node, Tree};
use crate::markdown::{Call, Target};
use crate::model::{Entry, Report, Section};
use crate::table::{Cell, DataTable, Row};
use crate::theme::Theme;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The whole document, as `informe.json`.
#[derive(Debug, Hash, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub t: BTreeMap<&'static str, String>,
    pub intro: Vec<Node>,
    /// Chapters and the sections outside any chapter, in reading order.
    pub parts: Vec<PartData>,
    /// What each [`Node::Embed`] stands for, by its number.
    pub embeds: Vec<Embed>,
}

/// The files the document shows (charts' SVGs, images), by their path in
/// the World.
pub type Files = BTreeMap<String, Arc<Vec<u8>>>;

/// A chapter with its sections, or one section outside any chapter
/// (`chapter` none, one section).
#[derive(Debug, Hash, Serialize)]
pub struct PartData {
    pub chapter: Option<ChapterData>,
    pub sections: Vec<SectionData>,
}

#[derive(Debug, Hash, Serialize)]
pub struct ChapterData {
    pub slug: String,
    /// As the site shows it: "2", "IV"; empty for none.
    pub number: String,
    pub title: String,
    pub summary: Option<String>,
    pub c: Vec<Node>,
}

#[derive(Debug, Hash, Serialize)]
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
    /// The cover image (`portada`), when it is an image of the report.
    pub cover: Option<Embed>,
}

#[derive(Debug, Hash, Serialize)]
pub struct SectionData {
    pub slug: String,
    /// As the site shows it: "2.1"; empty for none.
    pub number: String,
    pub title: String,
    pub summary: Option<String>,
    pub c: Vec<Node>,
}

/// A resolved placement.
#[derive(Debug, Hash, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Embed {
    Table(TableData),
    Chart(ChartData),
    Figure {
        s: String,
    },
    /// An image of the report with its alternative text and caption.
    Image {
        file: String,
        alt: String,
        caption: Vec<Node>,
        /// Height over width, in ten-thousandths.
        ratio: u32,
    },
    /// A call that did not resolve (the site reported it).
    None,
}

#[derive(Debug, Hash, Serialize)]
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
#[derive(Debug, Hash, Serialize)]
#[serde(untagged)]
pub enum CellData {
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Hash, Serialize)]
pub struct ColumnData {
    pub label: String,
    pub numeric: bool,
}

#[derive(Debug, Hash, Serialize)]
pub struct Verification {
    pub ok: bool,
    /// The site's sentence: "Se verificaron 3 cifras calculadas…".
    pub text: String,
    /// "columna · fila: publicado X, calculado Y", one per mismatch.
    pub lines: Vec<String>,
}

#[derive(Debug, Hash, Serialize)]
pub struct ChartData {
    /// The SVG's path in the World.
    pub file: String,
    pub title: String,
    pub alt: String,
    /// The table the chart draws, when it is in the document.
    pub table: String,
    /// Height over width in ten-thousandths, so a tall chart is fitted to
    /// the page's height.
    pub ratio: u32,
}

/// Assembles the document from the report and every chart's figure (by
/// section slug and chart id), with the files it shows: chart `n`'s SVG at
/// [`super::chart_path`]`(n)`, image `n` at [`super::image_path`]`(n, ext)`.
pub fn assemble(report: &Report, theme: &Theme, charts: &Charts) -> (Document, Files) {
    let mut b = Builder {
        report,
        theme,
        charts,
        embeds: Vec::new(),
        anchored: BTreeSet::new(),
        chart_files: BTreeMap::new(),
        images: BTreeMap::new(),
        files: Files::new(),
    };
    let home = &report.home;
    let intro = b.body(None, &home.file, &home.body, home.body_line, 1);
    let parts = report
        .entries
        .iter()
        .filter_map(|entry| match *entry {
            Entry::Section(i) => {
                Some(PartData { chapter: None, sections: vec![b.section(report.sections.get(i)?, 1)] })
            }
            Entry::Chapter(c) => {
                let ch = report.chapters.get(c)?;
                let body = match &ch.file {
                    Some(file) => b.body(None, file, &ch.body, ch.body_line, 1),
                    None => Vec::new(),
                };
                let chapter = ChapterData {
                    slug: ch.slug.clone(),
                    number: ch.number.clone(),
                    title: ch.title.clone(),
                    summary: ch.summary.clone(),
                    c: body,
                };
                let sections =
                    ch.sections.iter().filter_map(|&i| Some(b.section(report.sections.get(i)?, 2))).collect();
                Some(PartData { chapter: Some(chapter), sections })
            }
        })
        .collect();
    let s = report.settings();
    let (lang, region) = split_tag(&s.language);
    let cover = s.front_page.cover.as_ref().and_then(|(src, alt)| {
        let media = report.media.get(src.strip_prefix("./").unwrap_or(src))?;
        let target = Target { href: media.href.clone(), size: media.size };
        b.image(&target, &[Node::Text { s: alt.clone() }], "")
    });
    let meta = Meta {
        title: s.title.clone(),
        institution: s.institution.clone(),
        period: s.period.clone(),
        subject: s.description.clone().unwrap_or_else(|| s.title.clone()),
        lang,
        region,
        date: None,
        cover,
    };
    // A chart links to its table only where the document shows the table.
    for embed in &mut b.embeds {
        if let Embed::Chart(chart) = embed {
            if !b.anchored.contains(&chart.table) {
                chart.table.clear();
            }
        }
    }
    (Document { meta, t: strings(theme), intro, parts, embeds: b.embeds }, b.files)
}

/// Height over width of an SVG, from its `viewBox` (1 when unreadable), in
/// ten-thousandths.
fn svg_ratio(svg: &str) -> u32 {
    let view_box = svg.split("viewBox=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
    let numbers: Vec<f64> = view_box.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    match numbers.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 => ratio(*w, *h),
        _ => 10_000,
    }
}

/// `h / w` in ten-thousandths, bounded so that a degenerate image cannot
/// ask for an absurd box.
fn ratio(w: f64, h: f64) -> u32 {
    ((h / w) * 10_000.0).round().clamp(100.0, 100_000.0) as u32
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
    ["contents", "pdf_page", "period", "source", "see_table", "verification_title", "table", "chart"]
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
    chart_files: BTreeMap<(String, String), String>,
    /// Image (by its address in the site) → its path in the World.
    images: BTreeMap<String, String>,
    files: Files,
}

impl Builder<'_> {
    /// A section whose title is a heading of `level` (1 outside a chapter,
    /// 2 inside one).
    fn section(&mut self, section: &Section, level: u8) -> SectionData {
        let mut c = self.body(Some(section), &section.file, &section.body, section.body_line, level);
        let placed = &section.calls;
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
            number: section.number.clone(),
            title: section.title.clone(),
            summary: section.summary.clone(),
            c,
        }
    }

    /// A body whose headings go under a heading of `level`.
    fn body(
        &mut self,
        section: Option<&Section>,
        file: &crate::source::SourceFile,
        body: &str,
        line: usize,
        level: u8,
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
                Call::Figure { table, row, col, printed } => self.figure(table, row, col, printed.as_deref()),
            };
            self.embeds.push(embed);
        }
        breakable(&mut nodes);
        let links = section.map(|s| &s.links);
        self.resolve(&mut nodes, links);
        level_headings(&mut nodes, level);
        nodes
    }

    /// Links to a page of the report jump to that section; images of the
    /// report become figures with the image itself.
    fn resolve(&mut self, nodes: &mut [Node], links: Option<&BTreeMap<String, Target>>) {
        for node in nodes.iter_mut() {
            match node {
                Node::Link { url, c } => {
                    // As the page points it: an attachment's address in the site.
                    if let Some(t) = links.and_then(|l| l.get(url.as_str())) {
                        *url = t.href.clone();
                    }
                    if let Some(slug) = self.section_of(url) {
                        *url = format!("#seccion-{slug}");
                    }
                    self.resolve(c, links);
                }
                Node::Image { url, title, c } => {
                    let target = links.and_then(|l| l.get(url.as_str()));
                    if let Some(embed) = target.and_then(|t| self.image(t, c, title)) {
                        let n = self.push(embed);
                        *node = Node::Embed { n, block: true };
                    }
                }
                Node::Par { c } => {
                    self.resolve(c, links);
                    // An image alone in its paragraph is a figure, not text.
                    if let [Node::Embed { .. }] = c.as_slice() {
                        *node = c.remove(0);
                    }
                }
                Node::Heading { c, .. }
                | Node::List { c, .. }
                | Node::Item { c }
                | Node::Quote { c }
                | Node::Emph { c }
                | Node::Strong { c }
                | Node::Strike { c }
                | Node::Note { c }
                | Node::Grid { c, .. }
                | Node::Row { c, .. }
                | Node::Cell { c } => self.resolve(c, links),
                _ => {}
            }
        }
    }

    /// An image of the report as a figure: its bytes served to Typst, its
    /// alternative text and its caption (the Markdown image's title).
    fn image(&mut self, target: &Target, alt: &[Node], title: &str) -> Option<Embed> {
        let media = self.report.media_at(&target.href)?;
        let ext = media.rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        let ext = match ext.as_str() {
            "jpeg" => "jpg".to_string(),
            "png" | "jpg" | "webp" | "svg" => ext,
            _ => return None,
        };
        let file = match self.images.get(&target.href) {
            Some(file) => file.clone(),
            None => {
                let file = super::image_path(self.images.len(), &ext);
                self.images.insert(target.href.clone(), file.clone());
                self.files.insert(file.clone(), Arc::clone(&media.bytes));
                file
            }
        };
        let size = target.size.or(media.size);
        Some(Embed::Image {
            file,
            alt: alt.iter().map(tree::plain).collect(),
            caption: if title.is_empty() { Vec::new() } else { inline_tree(title) },
            ratio: size.map_or(6_000, |(w, h)| if w > 0 && h > 0 { ratio(w as f64, h as f64) } else { 6_000 }),
        })
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
        let cells = |row: &Row| -> Vec<CellData> { (0..row.cells.len()).map(|i| cell_data(t, i, row, fmt)).collect() };
        let verification = (t.checks.count() > 0).then(|| self.verification(t));
        TableData {
            id: t.id.clone(),
            anchor: self.anchored.insert(t.id.clone()),
            caption: inline_tree(&t.caption),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnData { label: breakable_text(&c.heading()), numeric: c.kind.is_numeric() })
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

    /// The table's verification note, worded as on the site.
    fn verification(&self, t: &DataTable) -> Verification {
        let theme = self.theme;
        let checked = crate::render::checked_text(t, theme);
        let ok = t.mismatches.is_empty();
        let key = if ok { "verification_ok" } else { "verification_warn" };
        let (declared, computed) = (theme.string("declared"), theme.string("computed"));
        let lines = t
            .mismatches
            .iter()
            .map(|m| match &m.against {
                Some(against) => {
                    let mut line = format!(
                        "{}: {}; {} {against}: {}",
                        m.column,
                        m.declared,
                        theme.string("verification_elsewhere"),
                        m.computed
                    );
                    if let Some(why) = &m.explain {
                        line.push_str(&format!(" ({}: {why})", theme.string("verification_explained")));
                    }
                    line
                }
                None => {
                    let place = m.row.clone().unwrap_or_else(|| theme.string("total"));
                    format!("{} · {place}: {declared} {}, {computed} {}", m.column, m.declared, m.computed)
                }
            })
            .collect();
        Verification { ok, text: theme.string(key).replace("{checked}", &checked), lines }
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
        let file = match self.chart_files.get(&key) {
            Some(file) => file.clone(),
            None => {
                let file = super::chart_path(self.chart_files.len());
                self.files.insert(file.clone(), Arc::new(figure.svg.as_bytes().to_vec()));
                self.chart_files.insert(key, file.clone());
                file
            }
        };
        let table = section.charts.iter().find(|c| c.id == id).map(|c| c.table.clone()).unwrap_or_default();
        Embed::Chart(ChartData {
            file,
            title: figure.title.clone(),
            alt: figure.alt.clone(),
            table,
            ratio: svg_ratio(&figure.svg),
        })
    }

    /// A figure quoted in prose, as the site prints it: as the prose states
    /// it (`printed=`), or the cell with its unit.
    fn figure(&self, table: &str, row: &str, col: &str, printed: Option<&str>) -> Embed {
        let Some((_, t)) = self.report.table(table) else { return Embed::None };
        let Some(c) = t.column_index(col) else { return Embed::None };
        let found = t.rows.iter().chain(t.total.iter()).find(|r| r.label().is_some_and(|l| l.trim() == row.trim()));
        let Some(r) = found else { return Embed::None };
        let s = match (printed, t.column_in(c, r)) {
            (Some(p), _) => p.replace(' ', "\u{a0}"),
            (None, Some(column)) => crate::table::display_with_unit(&column, &r.cells[c], &self.report.format),
            (None, None) => return Embed::None,
        };
        Embed::Figure { s }
    }
}

/// A cell as printed: numbers formatted for the report's language (with
/// the row's own unit in a fact sheet), text as the site shows it (without
/// its Markdown marks).
fn cell_data(t: &DataTable, i: usize, row: &Row, fmt: &crate::number::NumberFormat) -> CellData {
    let plain = |s: &str| breakable_text(&inline_tree(s).iter().map(tree::plain).collect::<String>());
    match row.cells.get(i) {
        Some(Cell::Text(s)) => CellData::Text(plain(s)),
        Some(Cell::List(items)) => CellData::List(items.iter().map(|s| plain(s)).collect()),
        Some(cell) if row.own.as_ref().is_some_and(|o| o.unit.is_some()) => CellData::Text(
            t.column_in(i, row).map(|c| crate::table::display_with_unit(&c, cell, fmt)).unwrap_or_default(),
        ),
        Some(_) => CellData::Text(t.display_in(i, row, fmt)),
        None => CellData::Text(String::new()),
    }
}

/// Body headings go under their section's heading (`base`), at most two
/// levels deeper, never skipping a level (PDF/UA readers expect an
/// unbroken outline).
fn level_headings(nodes: &mut [Node], base: u8) {
    let mut previous = base;
    for node in nodes {
        if let Node::Heading { level, .. } = node {
            // `##` is a body's biggest heading on the site; `#` counts as it.
            let wanted = base + (*level).saturating_sub(1).max(1);
            *level = wanted.clamp(base + 1, base + 3).min(previous + 1);
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
    fn body_headings_of_a_section_in_a_chapter_go_one_level_lower() {
        let h = |level| Node::Heading { level, c: Vec::new() };
        let mut nodes = vec![h(2), h(3), h(2), h(5)];
        level_headings(&mut nodes, 2);
        assert_eq!(nodes, vec![h(3), h(4), h(3), h(4)]);
    }

    #[test]
    fn an_svg_ratio_comes_from_its_view_box() {
        assert_eq!(svg_ratio("<svg width=\"800\" viewBox=\"0 0 800 400\">"), 5_000);
        assert_eq!(svg_ratio("<svg>"), 10_000);
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
