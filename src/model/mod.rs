//! The assembled report: settings, home page and ordered sections with their
//! checked tables and charts. Built once by [`assemble_parsed`], immutable afterwards.

mod chapter;
mod media;
mod section;
mod xref;

use crate::chart::ChartSpec;
use crate::config::{self, Home, Settings};
use crate::content;
use crate::diagnostics::{suggest, Diagnostic, Diagnostics, Kind, Message, Span};
use crate::markdown::Call;
use crate::number::NumberFormat;
use crate::source::SourceFile;
use crate::table::DataTable;
use std::collections::BTreeMap;

pub(crate) use chapter::{Chapter, Entry};
pub(crate) use media::Media;
pub(crate) use section::SectionSpec;

/// One section page. Serialisable (without its file, which is read anyway)
/// so that a build can keep it for the next one.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Section {
    pub slug: String,
    /// The `slug:` field, or the top of the file when the slug comes from its name.
    pub slug_span: Span,
    pub title: String,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    /// The number shown ("4.1", "" for none): declared, or given by
    /// `numbering: auto` from the position in its chapter.
    pub number: String,
    /// The `number:` field, or the number the title began with.
    pub declared: Option<String>,
    /// Index into `Report::chapters`; None for a file right under content/.
    pub chapter: Option<usize>,
    /// Images and links of the body that lead somewhere in the report, by
    /// the URL as written: where the page points them.
    #[serde(skip)]
    pub links: BTreeMap<String, crate::markdown::Target>,
    #[serde(skip)]
    pub file: SourceFile,
    pub body: String,
    pub body_line: usize,
    /// The body's placements, in order, found by the parser that renders
    /// them ([`crate::markdown::placements`]).
    pub calls: Vec<Call>,
    /// Shared: a `serve` session hands out the same parsed tables every build.
    pub tables: std::sync::Arc<Vec<DataTable>>,
    pub charts: std::sync::Arc<Vec<ChartSpec>>,
    /// The participation process this section presents, if any.
    pub participation: Option<Box<crate::participation::Participation>>,
    /// The section's `checks:`, resolved once the report is assembled.
    #[serde(default)]
    pub checks: Vec<crate::crosscheck::Claim>,
    /// The spreadsheets its tables were read from (`rows_from:`): part of
    /// what the section is made of, like its file.
    #[serde(default)]
    pub inputs: Vec<crate::spreadsheet::Input>,
}

/// Where a table lives: section index and table index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableRef {
    pub section: usize,
    pub table: usize,
}

/// The whole report, validated.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub home: Home,
    pub sections: Vec<Section>,
    /// Folders of sections, in reading order.
    pub chapters: Vec<Chapter>,
    /// Chapters and sections outside any chapter, in reading order.
    pub entries: Vec<Entry>,
    /// Images and attachments under content/, by path below it.
    pub media: BTreeMap<String, Media>,
    pub format: NumberFormat,
    tables: BTreeMap<String, TableRef>,
    /// Every comparison of figures printed in two places (`checks:` and
    /// `printed=`), in section order.
    pub crosschecks: Vec<crate::crosscheck::Outcome>,
}

impl Report {
    pub(crate) fn settings(&self) -> &Settings {
        &self.home.settings
    }

    /// The table with `id`, anywhere in the report.
    pub(crate) fn table(&self, id: &str) -> Option<(&Section, &DataTable)> {
        let r = self.tables.get(id)?;
        let section = self.sections.get(r.section)?;
        Some((section, section.tables.get(r.table)?))
    }

    /// All table ids, sorted: for suggestions.
    pub(crate) fn table_ids(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// The sections whose content section `i`'s body shows, `i` included,
    /// sorted: the owners of the tables it places or quotes, of the charts it
    /// places, of the table each of its charts (placed or declared) is drawn
    /// from (followed from a chart to its table's section), and of the
    /// sections and tables its participation questions link to. What else a
    /// page shows from elsewhere (settings, navigation, theme) is the same
    /// for every page and is fingerprinted with it.
    pub(crate) fn dependencies(&self, i: usize) -> Vec<usize> {
        let Some(section) = self.sections.get(i) else { return Vec::new() };
        let mut found = std::collections::BTreeSet::from([i]);
        let mut charts: Vec<(usize, &ChartSpec)> = section.charts.iter().map(|c| (i, c)).collect();
        for call in &section.calls {
            match call {
                Call::Table(id) | Call::Figure { table: id, .. } => {
                    found.extend(self.tables.get(id).map(|r| r.section))
                }
                Call::Chart(id) => charts.extend(self.chart(i, id)),
            }
        }
        // Participation questions link to a section (its title) or a table
        // (its caption).
        for q in section.participation.iter().flat_map(|p| p.questions.iter()) {
            if let Some((slug, _)) = &q.section {
                found.extend(self.sections.iter().position(|s| &s.slug == slug));
            }
            if let Some((id, _)) = &q.table {
                found.extend(self.tables.get(id).map(|r| r.section));
            }
        }
        for (owner, chart) in charts {
            found.insert(owner);
            found.extend(self.tables.get(&chart.table).map(|r| r.section));
        }
        found.into_iter().collect()
    }

    /// The image or attachment a page's link `href` leads to, if any.
    pub(crate) fn media_at(&self, href: &str) -> Option<&Media> {
        self.media.values().find(|m| m.href == href)
    }

    /// The chart `id` as section `i` finds it: its own first, then the first
    /// section that declares it.
    pub(crate) fn chart(&self, i: usize, id: &str) -> Option<(usize, &ChartSpec)> {
        let find = |j: usize| self.sections.get(j)?.charts.iter().find(|c| c.id == id).map(|c| (j, c));
        find(i).or_else(|| (0..self.sections.len()).find_map(find))
    }

    /// Counts for the summary line.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let tables = self.sections.iter().map(|s| s.tables.len()).sum();
        let charts = self.sections.iter().map(|s| s.charts.len()).sum();
        (tables, charts)
    }
}

/// A section file parsed: the section unless it has errors that stop it
/// rendering, and every problem found.
pub(crate) type ParsedSection = (Option<Section>, Vec<Diagnostic>);

/// Parses one section file; `data` holds the spreadsheets under content/
/// its tables may read.
pub(crate) fn parse_section(file: SourceFile, format: &NumberFormat, data: &content::DataFiles) -> ParsedSection {
    section::parse(file, format, data)
}

#[cfg(test)]
/// Reads and validates the report under `root`. Returns the report when it
/// has no errors (warnings allowed) and every diagnostic found.
pub(crate) fn assemble(root: &std::path::Path) -> (Option<Report>, Diagnostics) {
    use rayon::prelude::*;
    let found = content::discover(root);
    let mut diags = Diagnostics::default();
    diags.extend(found.problems);
    let home = load_home(found.index, &mut diags);
    let format = number_format(home.as_ref());
    let parsed = found.sections.into_par_iter().map(|file| section::parse(file, &format, &found.data)).collect();
    let beside = Beside { chapters: found.chapters, assets: found.assets };
    assemble_parsed(home, parsed, beside, format, diags)
}

/// The report settings from `content/_index.md`, if it is there and valid.
pub(crate) fn load_home(index: Option<SourceFile>, diags: &mut Diagnostics) -> Option<Home> {
    match index.map(config::load) {
        Some(Ok(home)) => Some(home),
        Some(Err(d)) => {
            diags.push(d);
            None
        }
        None => None,
    }
}

/// How the report writes numbers (Chilean pesos in es-CL without settings).
pub(crate) fn number_format(home: Option<&Home>) -> NumberFormat {
    home.map_or_else(
        || NumberFormat::new("es-CL", "CLP"),
        |h| NumberFormat::new(&h.settings.language, &h.settings.currency),
    )
}

/// What content/ holds beside the sections: chapters' `_index.md` files and
/// the images and attachments. Cheap to read again on every build.
#[derive(Debug, Default)]
pub(crate) struct Beside {
    pub chapters: Vec<SourceFile>,
    pub assets: Vec<content::Asset>,
}

/// Orders, numbers and cross-checks parsed sections into the report, with
/// their chapters, media and links: pure.
pub(crate) fn assemble_parsed(
    home: Option<Home>,
    parsed: Vec<ParsedSection>,
    found: Beside,
    format: NumberFormat,
    mut diags: Diagnostics,
) -> (Option<Report>, Diagnostics) {
    let mut sections = Vec::with_capacity(parsed.len());
    for (section, problems) in parsed {
        diags.extend(problems);
        sections.extend(section);
    }
    let mut indexes = Vec::with_capacity(found.chapters.len());
    for file in found.chapters {
        let (chapter, problems) = chapter::parse(file);
        diags.extend(problems);
        indexes.extend(chapter);
    }
    let numbering = home.as_ref().map(|h| h.settings.numbering).unwrap_or_default();
    let (mut sections, outline) = chapter::organise(sections, indexes, numbering);
    let media = media::load(found.assets, &mut diags);
    if let Some(h) = &home {
        crate::identity::check_files(&h.settings.identity, &h.file, media.keys().map(String::as_str), &mut diags);
    }
    let index = media::Index::new(&sections, &outline.chapters, &media);
    let links: Vec<_> = (0..sections.len())
        .map(|i| media::links_of(&media::Prose::of_section(&sections, i), &index, &mut diags))
        .collect();
    let intro_links: Vec<_> = (0..outline.chapters.len())
        .map(|c| {
            let prose = media::Prose::of_chapter(&outline.chapters, c);
            prose.map(|p| media::links_of(&p, &index, &mut diags)).unwrap_or_default()
        })
        .collect();
    for (s, l) in sections.iter_mut().zip(links) {
        s.links = l;
    }
    let mut outline = outline;
    for (c, l) in outline.chapters.iter_mut().zip(intro_links) {
        c.links = l;
    }
    check_slugs(&sections, &outline.chapters, &mut diags);
    let tables = index_tables(&sections, &mut diags);
    check_charts(&sections, &tables, &mut diags);
    check_participation(&sections, &tables, &mut diags);
    let crosschecks = cross_check(&mut sections, &tables, &format, &mut diags);
    let (chapters, entries) = (outline.chapters, outline.entries);
    let report = home.map(|home| Report { home, sections, chapters, entries, media, format, tables, crosschecks });
    if diags.errors() > 0 {
        return (None, diags);
    }
    (report, diags)
}

/// Resolves every section's `checks:` and prose `printed=` figures, and
/// notes each disagreement in the tables it concerns.
fn cross_check(
    sections: &mut [Section],
    tables: &BTreeMap<String, TableRef>,
    format: &NumberFormat,
    diags: &mut Diagnostics,
) -> Vec<crate::crosscheck::Outcome> {
    use crate::crosscheck::{self, Source};
    let sources: Vec<Source> = sections
        .iter()
        .map(|s| Source {
            file: &s.file,
            slug: &s.slug,
            claims: &s.checks,
            // Only bodies that can hold a `printed=` are scanned again.
            printed: (if s.body.contains("printed") {
                crate::markdown::placements_at(&s.file, &s.body, s.body_line)
            } else {
                Vec::new()
            })
            .into_iter()
            .filter_map(|(call, span)| match call {
                crate::markdown::Call::Figure { table, row, col, printed: Some(p) } => Some((table, row, col, p, span)),
                _ => None,
            })
            .collect(),
        })
        .collect();
    let lookup: BTreeMap<&str, &DataTable> = tables
        .iter()
        .filter_map(|(id, r)| Some((id.as_str(), sections.get(r.section)?.tables.get(r.table)?)))
        .collect();
    let (outcomes, problems) = crosscheck::run(&sources, &lookup, format);
    diags.extend(problems);
    let notes: Vec<(String, Option<crate::table::Mismatch>)> = outcomes.iter().flat_map(crosscheck::notes).collect();
    drop(sources);
    for (id, mismatch) in notes {
        let Some(r) = tables.get(&id) else { continue };
        // Copies the tables only if a serve session shares them.
        let Some(table) = std::sync::Arc::make_mut(&mut sections[r.section].tables).get_mut(r.table) else { continue };
        table.checks.cross += 1;
        table.mismatches.extend(mismatch);
    }
    outcomes
}

/// Every page name is taken once: sections, chapters and cuenta's own pages.
fn check_slugs(sections: &[Section], chapters: &[Chapter], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let chapter_pages = chapters.iter().filter_map(|c| c.file.as_ref().map(|f| (&c.slug, f, c.slug_span)));
    // A chapter without `_index.md` has no file to point at: a clash with
    // one is reported at the section that takes its name.
    let implicit = chapters.iter().filter(|c| c.file.is_none());
    for c in implicit {
        seen.insert(&c.slug, c.dir.clone());
    }
    let pages = chapter_pages.chain(sections.iter().map(|s| (&s.slug, &s.file, s.slug_span)));
    for (slug, file, span) in pages {
        let reserved =
            crate::slug::RESERVED_PAGES.contains(&slug.as_str()) || slug.starts_with(crate::slug::PRINT_PAGE_PREFIX);
        let first = if reserved { Some("cuenta".to_string()) } else { seen.get(slug.as_str()).cloned() };
        match first {
            Some(first) => diags.push(Diagnostic::error(
                file,
                span,
                Message::DuplicateId { kind: Kind::Section, id: slug.clone(), first },
            )),
            None => {
                seen.insert(slug, format!("{}:{}", file.display, span.line));
            }
        }
    }
}

fn index_tables(sections: &[Section], diags: &mut Diagnostics) -> BTreeMap<String, TableRef> {
    let mut tables: BTreeMap<String, TableRef> = BTreeMap::new();
    for (si, s) in sections.iter().enumerate() {
        for (ti, t) in s.tables.iter().enumerate() {
            if let Some(first) = tables.get(&t.id) {
                let other = &sections[first.section];
                let at = format!("{}:{}", other.file.display, other.tables[first.table].span.line);
                diags.push(Diagnostic::error(
                    &s.file,
                    t.span,
                    Message::DuplicateId { kind: Kind::Table, id: t.id.clone(), first: at },
                ));
            } else {
                tables.insert(t.id.clone(), TableRef { section: si, table: ti });
            }
        }
    }
    tables
}

/// Questions may name the section or table they concern: both must exist.
fn check_participation(sections: &[Section], tables: &BTreeMap<String, TableRef>, diags: &mut Diagnostics) {
    for s in sections {
        if let Some(p) = &s.participation {
            let slugs = sections.iter().map(|o| o.slug.as_str());
            diags.extend(crate::participation::check_links(&s.file, p, slugs, tables.keys().map(String::as_str)));
        }
    }
}

fn check_charts(sections: &[Section], tables: &BTreeMap<String, TableRef>, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for s in sections {
        for chart in s.charts.iter() {
            let here = format!("{}:{}", s.file.display, chart.span.line);
            if let Some(first) = seen.get(chart.id.as_str()) {
                diags.push(Diagnostic::error(
                    &s.file,
                    chart.span,
                    Message::DuplicateId { kind: Kind::Chart, id: chart.id.clone(), first: first.clone() },
                ));
                continue;
            }
            seen.insert(&chart.id, here);
            match tables.get(&chart.table) {
                None => {
                    let suggestion = suggest(&chart.table, tables.keys().map(String::as_str));
                    diags.push(Diagnostic::error(
                        &s.file,
                        chart.table_span,
                        Message::UnknownId { kind: Kind::Table, id: chart.table.clone(), suggestion },
                    ));
                }
                Some(r) => {
                    let table = &sections[r.section].tables[r.table];
                    diags.extend(chart.check(table, &s.file));
                }
            }
        }
    }
}
