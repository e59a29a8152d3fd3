//! The assembled report: settings, home page and ordered sections with their
//! checked tables and charts. Built once by [`assemble`], immutable afterwards.

mod chapter;
mod media;
mod section;

use crate::cache::Cache;
use crate::chart::ChartSpec;
use crate::config::{self, Home, Settings};
use crate::content;
use crate::diagnostics::{suggest, Diagnostic, Diagnostics, Kind, Message, Span};
use crate::number::NumberFormat;
use crate::source::SourceFile;
use crate::table::DataTable;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

pub use chapter::{Chapter, Entry};
pub use media::Media;
pub use section::SectionSpec;

/// One section page. Kept in the build cache (as JSON, without its file,
/// which is read anyway) when it parsed without a problem.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Section {
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
    /// Shared: a `serve` session hands out the same parsed tables every build.
    pub tables: std::sync::Arc<Vec<DataTable>>,
    pub charts: std::sync::Arc<Vec<ChartSpec>>,
    /// The participation process this section presents, if any.
    pub participation: Option<Box<crate::participation::Participation>>,
}

/// Where a table lives: section index and table index.
#[derive(Debug, Clone, Copy)]
pub struct TableRef {
    pub section: usize,
    pub table: usize,
}

/// The whole report, validated.
#[derive(Debug, Clone)]
pub struct Report {
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
}

impl Report {
    pub fn settings(&self) -> &Settings {
        &self.home.settings
    }

    /// The table with `id`, anywhere in the report.
    pub fn table(&self, id: &str) -> Option<(&Section, &DataTable)> {
        let r = self.tables.get(id)?;
        let section = self.sections.get(r.section)?;
        Some((section, section.tables.get(r.table)?))
    }

    /// All table ids, sorted: for suggestions.
    pub fn table_ids(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// Counts for the summary line.
    pub fn counts(&self) -> (usize, usize) {
        let tables = self.sections.iter().map(|s| s.tables.len()).sum();
        let charts = self.sections.iter().map(|s| s.charts.len()).sum();
        (tables, charts)
    }
}

/// Reads and validates the report under `root`. Returns the report when it
/// has no errors (warnings allowed) and every diagnostic found.
pub fn assemble(root: &Path) -> (Option<Report>, Diagnostics) {
    assemble_with(root, None, &crate::cache::Cache::disabled())
}

/// Parsed sections kept between builds of a long-lived process (`serve`),
/// keyed by each file's text and the report's number format: a save then
/// parses only the file that changed.
#[derive(Debug, Default)]
pub struct Memo {
    parsed: Mutex<HashMap<crate::cache::Key, Parsed>>,
    /// Keys used by the build in progress: the others are dropped at its end.
    used: Mutex<Vec<crate::cache::Key>>,
    files: content::Seen,
}

type Parsed = (Option<Section>, Vec<Diagnostic>);

impl Memo {
    fn parse(&self, file: SourceFile, format: &NumberFormat, settings: &str) -> Parsed {
        let key = crate::cache::key(&[file.display.as_bytes(), file.text.as_bytes(), settings.as_bytes()]);
        if let Ok(mut used) = self.used.lock() {
            used.push(key);
        }
        if let Some(hit) = self.parsed.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let parsed = section::parse(file, format);
        if let Ok(mut m) = self.parsed.lock() {
            m.insert(key, parsed.clone());
        }
        parsed
    }

    /// Forgets the sections the last build did not use (older versions of
    /// files saved since), so a long session does not keep them all.
    fn end_build(&self) {
        if let (Ok(mut parsed), Ok(mut used)) = (self.parsed.lock(), self.used.lock()) {
            let keep: std::collections::HashSet<crate::cache::Key> = used.drain(..).collect();
            parsed.retain(|k, _| keep.contains(k));
        }
    }
}

/// Parses a section through the build cache: a file that parsed without a
/// problem is kept as JSON, keyed by its path, text and number format (and
/// the code's fingerprint), so an unchanged file is not parsed again. Files
/// with problems are parsed every time, so their messages are never stale.
fn parse_cached(file: SourceFile, format: &NumberFormat, settings: &str, cache: &Cache) -> Parsed {
    let key = crate::cache::key(&[b"section", file.display.as_bytes(), file.text.as_bytes(), settings.as_bytes()]);
    if let Some(section) = cache.get(key).and_then(|b| serde_json::from_slice::<Section>(&b).ok()) {
        return (Some(Section { file, ..section }), Vec::new());
    }
    let parsed = section::parse(file, format);
    if let (Some(section), true) = (&parsed.0, parsed.1.is_empty()) {
        if let Ok(json) = serde_json::to_vec(section) {
            cache.put(key, json);
        }
    }
    parsed
}

/// [`assemble`], reusing unchanged sections from `memo` (a `serve`
/// session) or else from the build cache.
pub fn assemble_with(root: &Path, memo: Option<&Memo>, cache: &Cache) -> (Option<Report>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let found = content::discover_with(root, memo.map(|m| &m.files));
    diags.extend(found.problems);
    let home = match found.index.map(config::load) {
        Some(Ok(home)) => Some(home),
        Some(Err(d)) => {
            diags.push(d);
            None
        }
        None => None,
    };
    let format = home.as_ref().map_or_else(
        || NumberFormat::new("es-CL", "CLP"),
        |h| NumberFormat::new(&h.settings.language, &h.settings.currency),
    );
    let settings =
        home.as_ref().map_or_else(String::new, |h| format!("{}|{}", h.settings.language, h.settings.currency));
    let parsed: Vec<Parsed> = found
        .sections
        .into_par_iter()
        .map(|file| match memo {
            Some(memo) => memo.parse(file, &format, &settings),
            None => parse_cached(file, &format, &settings, cache),
        })
        .collect();
    if let Some(memo) = memo {
        memo.end_build();
    }
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
    let index = media::Index::new(&sections, &outline.chapters, &media);
    let links: Vec<_> = sections.iter().map(|s| media::links_of(s, &index, &mut diags)).collect();
    for (s, l) in sections.iter_mut().zip(links) {
        s.links = l;
    }
    check_slugs(&sections, &outline.chapters, &mut diags);
    let tables = index_tables(&sections, &mut diags);
    check_charts(&sections, &tables, &mut diags);
    check_participation(&sections, &tables, &mut diags);
    let (chapters, entries) = (outline.chapters, outline.entries);
    let report = home.map(|home| Report { home, sections, chapters, entries, media, format, tables });
    if diags.errors() > 0 {
        return (None, diags);
    }
    (report, diags)
}

/// Page names cuenta writes itself; a section may not take them.
pub(crate) const RESERVED: [&str; 4] = ["index", "informe-completo", "datos", "search-index"];

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
        let first = if RESERVED.contains(&slug.as_str()) {
            Some("cuenta".to_string())
        } else {
            seen.get(slug.as_str()).cloned()
        };
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
