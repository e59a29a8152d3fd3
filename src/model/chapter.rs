//! Chapters and numbering. A folder directly under `content/` is a chapter:
//! its sections are the Markdown files below it, and its optional
//! `_index.md` gives the chapter's title, summary, number and intro prose.
//! [`organise`] puts sections in reading order, groups them and gives every
//! chapter and section the number it shows.

use super::Section;
use crate::config::Numbering;
use crate::diagnostics::{Diagnostic, Message, Span};
use crate::front_matter::{self, Positions};
use crate::slug::{is_valid_id, slugify, strip_order_prefix};
use crate::source::SourceFile;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A chapter's `_index.md` front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChapterSpec {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    weight: Option<i64>,
    #[serde(default)]
    number: Option<String>,
    #[serde(default)]
    slug: Option<String>,
}

/// One chapter: a folder of sections with its own page.
#[derive(Debug, Clone)]
pub(crate) struct Chapter {
    /// The folder, as messages show it: `content/02-logros`.
    pub dir: String,
    pub slug: String,
    /// The `slug:` field, or the top of `_index.md`.
    pub slug_span: Span,
    pub title: String,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    /// The `number:` field (or the number the title began with).
    pub declared: Option<String>,
    /// The number shown ("" when none), set when chapters are organised.
    pub number: String,
    /// `_index.md`, when the folder has one.
    pub file: Option<SourceFile>,
    /// Intro prose: the Markdown body of `_index.md`.
    pub body: String,
    pub body_line: usize,
    /// Images and links of the intro that lead somewhere in the report, by
    /// the URL as written (see [`super::Section::links`]).
    pub links: BTreeMap<String, crate::markdown::Target>,
    /// Indices into `Report::sections`, in reading order.
    pub sections: Vec<usize>,
}

/// A top-level entry of the report, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Entry {
    Chapter(usize),
    /// A section directly under `content/`, in no chapter.
    Section(usize),
}

/// The chapter folder a section file belongs to: `content/02-x/a/b.md` →
/// `content/02-x`; None for a file directly under `content/`.
pub(super) fn chapter_dir(display: &str) -> Option<&str> {
    let rel = display.strip_prefix("content/")?;
    let end = rel.find('/')?;
    Some(&display[.."content/".len() + end])
}

/// Parses a chapter's `_index.md`; None when it has errors.
pub(super) fn parse(file: SourceFile) -> (Option<Chapter>, Vec<Diagnostic>) {
    let split = match front_matter::split(&file) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let (spec, positions): (ChapterSpec, Positions) = match front_matter::parse(&file, &split) {
        Ok(v) => v,
        Err(d) => return (None, d),
    };
    let dir = chapter_dir(&file.display).unwrap_or("content/capitulo").to_string();
    let mut chapter = implicit(&dir);
    let mut diags = Vec::new();
    if let Some(slug) = spec.slug {
        if is_valid_id(&slug) {
            chapter.slug = slug;
        } else {
            diags.push(Diagnostic::error(&file, positions.span("slug"), Message::UnsafePath { path: slug }));
            return (None, diags);
        }
    }
    if let Some(title) = spec.title {
        let (number, title) = split_number(&title);
        chapter.title = title.to_string();
        chapter.declared = number.map(str::to_string);
    }
    chapter.declared = spec.number.or(chapter.declared);
    chapter.slug_span = positions.get("slug").map_or_else(|| Span::new(1, 1), |n| n.span);
    chapter.summary = spec.summary;
    chapter.weight = spec.weight;
    chapter.body = split.body.to_string();
    chapter.body_line = split.body_line;
    chapter.file = Some(file);
    (Some(chapter), diags)
}

/// A chapter folder without `_index.md`: named after the folder.
fn implicit(dir: &str) -> Chapter {
    let name = strip_order_prefix(dir.rsplit('/').next().unwrap_or(dir));
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    let title = chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
    let slug = slugify(name);
    Chapter {
        dir: dir.to_string(),
        slug: if slug.is_empty() { "capitulo".into() } else { slug },
        slug_span: Span::new(1, 1),
        title,
        summary: None,
        weight: None,
        declared: None,
        number: String::new(),
        file: None,
        body: String::new(),
        body_line: 1,
        links: BTreeMap::new(),
        sections: Vec::new(),
    }
}

/// A title that begins with its own number, `4.1. Avances` or `3. Gestión`:
/// the number and the rest. A year (`2018 en cifras`) is not a number here:
/// it needs a dot.
pub(super) fn split_number(title: &str) -> (Option<&str>, &str) {
    let token = title.split_whitespace().next().unwrap_or("");
    let rest = title.trim_start()[token.len()..].trim_start();
    let parts: Vec<&str> = token.strip_suffix('.').unwrap_or(token).split('.').collect();
    let numeric = parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let dotted = parts.len() > 1 || token.ends_with('.');
    if numeric && dotted && !rest.is_empty() {
        (Some(token.strip_suffix('.').unwrap_or(token)), rest)
    } else {
        (None, title)
    }
}

/// Chapters and the reading order of the report.
#[derive(Debug, Clone, Default)]
pub(super) struct Outline {
    pub chapters: Vec<Chapter>,
    pub entries: Vec<Entry>,
}

/// Sorts `sections` into reading order (top-level entries by weight then
/// path; inside a chapter the same), groups them in chapters (`indexes` are
/// the parsed `_index.md` files; a folder without one still is a chapter)
/// and numbers chapters and sections.
pub(super) fn organise(sections: Vec<Section>, indexes: Vec<Chapter>, numbering: Numbering) -> (Vec<Section>, Outline) {
    let mut chapters: BTreeMap<String, Chapter> = indexes.into_iter().map(|c| (c.dir.clone(), c)).collect();
    let mut members: BTreeMap<String, Vec<Section>> = BTreeMap::new();
    let mut loose = Vec::new();
    for s in sections {
        match chapter_dir(&s.file.display) {
            Some(dir) => {
                chapters.entry(dir.to_string()).or_insert_with(|| implicit(dir));
                members.entry(dir.to_string()).or_default().push(s);
            }
            None => loose.push(s),
        }
    }
    enum Top {
        Chapter(Chapter, Vec<Section>),
        Loose(Section),
    }
    let mut top: Vec<(Option<i64>, String, Top)> = Vec::new();
    for (dir, chapter) in chapters {
        let mut own = members.remove(&dir).unwrap_or_default();
        own.sort_by(|a, b| order(a.weight, &a.file.display).cmp(&order(b.weight, &b.file.display)));
        top.push((chapter.weight, dir, Top::Chapter(chapter, own)));
    }
    top.extend(loose.into_iter().map(|s| (s.weight, s.file.display.clone(), Top::Loose(s))));
    top.sort_by(|a, b| order(a.0, &a.1).cmp(&order(b.0, &b.1)));

    let mut outline = Outline::default();
    let mut ordered = Vec::new();
    for (position, (_, _, entry)) in top.into_iter().enumerate() {
        let auto = (numbering == Numbering::Auto).then(|| (position + 1).to_string());
        match entry {
            Top::Loose(mut s) => {
                s.chapter = None;
                s.number = declared(&s.declared).or(auto).unwrap_or_default();
                outline.entries.push(Entry::Section(ordered.len()));
                ordered.push(s);
            }
            Top::Chapter(mut chapter, own) => {
                chapter.number = declared(&chapter.declared).or(auto).unwrap_or_default();
                let ci = outline.chapters.len();
                for (j, mut s) in own.into_iter().enumerate() {
                    let auto = (numbering == Numbering::Auto).then(|| match chapter.number.as_str() {
                        "" => (j + 1).to_string(),
                        n => format!("{n}.{}", j + 1),
                    });
                    s.chapter = Some(ci);
                    s.number = declared(&s.declared).or(auto).unwrap_or_default();
                    chapter.sections.push(ordered.len());
                    ordered.push(s);
                }
                outline.entries.push(Entry::Chapter(ci));
                outline.chapters.push(chapter);
            }
        }
    }
    (ordered, outline)
}

/// A declared number as shown: "4.1." and "4.1" are the same number (the
/// theme writes the dot after it).
fn declared(number: &Option<String>) -> Option<String> {
    number.as_deref().map(|n| n.trim().trim_end_matches('.').to_string()).filter(|n| !n.is_empty())
}

/// Weighted entries first, by weight; then by path.
fn order(weight: Option<i64>, path: &str) -> (bool, Option<i64>, &str) {
    (weight.is_none(), weight, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_begins_with_its_number_gives_it_up() {
        let cases = [
            ("4.1. Avances del plan", Some("4.1"), "Avances del plan"),
            ("6.1.1 Desglose", Some("6.1.1"), "Desglose"),
            ("3. Gestión", Some("3"), "Gestión"),
            ("2018 en cifras", None, "2018 en cifras"),
            ("4.1.", None, "4.1."),
            ("Seguridad", None, "Seguridad"),
            ("1.a Otro", None, "1.a Otro"),
        ];
        for (title, number, rest) in cases {
            assert_eq!(split_number(title), (number, rest), "{title}");
        }
    }

    #[test]
    fn a_section_belongs_to_the_folder_right_under_content() {
        assert_eq!(chapter_dir("content/02-logros/01-visas.md"), Some("content/02-logros"));
        assert_eq!(chapter_dir("content/02-logros/a/b.md"), Some("content/02-logros"));
        assert_eq!(chapter_dir("content/03-seguridad.md"), None);
    }

    #[test]
    fn a_folder_without_index_is_named_after_itself() {
        let c = implicit("content/04-gestion-interna");
        assert_eq!((c.slug.as_str(), c.title.as_str()), ("gestion-interna", "Gestion interna"));
    }
}
