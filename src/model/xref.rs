//! Cross-references and anchors. A link `#4.1` leads to the chapter or
//! section numbered 4.1, `#seguridad` to the section or chapter with that
//! page name, `#visas` (or `#tabla-visas`) to the table and `#grafico-x` to
//! the chart, wherever they are in the report; an anchor the page itself
//! has is left alone. A link to `otra.md#foo` or `otra.html#foo` must name
//! an anchor that page has: a heading, a note, a table or a chart.
//!
//! A page's anchors are worked out only when some link names one of them,
//! so a report without such links pays nothing.

use super::{Chapter, Section};
use crate::html;
use crate::markdown::{Call, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A page of the report that has prose of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
    Section(usize),
    Chapter(usize),
}

/// Where the report's numbers, ids and anchors lead.
pub(super) struct Targets<'a> {
    sections: &'a [Section],
    chapters: &'a [Chapter],
    by_href: BTreeMap<String, Page>,
    /// "4.1" → page; the first in reading order when two declare it.
    numbers: BTreeMap<String, String>,
    /// Page names, table and chart ids and anchors → page and anchor.
    ids: BTreeMap<String, String>,
    /// Per section, then per chapter: its anchors, None when they cannot
    /// all be known here (a participation page's generated ones).
    anchors: Vec<OnceLock<Option<BTreeSet<String>>>>,
}

/// Ids the theme's templates give page furniture all start with this
/// (`cuenta-contenido`): a link may name them on any page.
const THEME_PREFIX: &str = "cuenta-";

impl<'a> Targets<'a> {
    pub(super) fn new(sections: &'a [Section], chapters: &'a [Chapter]) -> Self {
        let mut by_href = BTreeMap::new();
        let mut numbers = BTreeMap::new();
        let mut ids = BTreeMap::new();
        // Reading order: a chapter before its sections.
        let mut order: Vec<Page> = Vec::with_capacity(sections.len() + chapters.len());
        order.extend((0..chapters.len()).map(Page::Chapter));
        order.extend((0..sections.len()).map(Page::Section));
        order.sort_by_key(|p| match *p {
            Page::Chapter(c) => (chapters[c].sections.first().copied().unwrap_or(usize::MAX), 0),
            Page::Section(i) => (i, 1),
        });
        for page in order {
            let (slug, number) = match page {
                Page::Section(i) => (&sections[i].slug, &sections[i].number),
                Page::Chapter(c) => (&chapters[c].slug, &chapters[c].number),
            };
            let href = html::page_href(slug);
            if !number.is_empty() {
                numbers.entry(number.clone()).or_insert_with(|| href.clone());
            }
            ids.entry(slug.clone()).or_insert_with(|| href.clone());
            by_href.insert(href, page);
        }
        for s in sections {
            let page = html::page_href(&s.slug);
            for t in s.tables.iter() {
                let anchor = html::table_anchor(&t.id);
                ids.entry(anchor.clone()).or_insert_with(|| format!("{page}#{anchor}"));
            }
            for c in s.charts.iter() {
                let anchor = html::chart_anchor(&c.id);
                ids.entry(anchor.clone()).or_insert_with(|| format!("{page}#{anchor}"));
            }
        }
        // Bare ids come after page names and anchors: `#presupuesto` is the
        // page when a section and a table share the name.
        for s in sections {
            let page = html::page_href(&s.slug);
            for t in s.tables.iter() {
                ids.entry(t.id.clone()).or_insert_with(|| format!("{page}#{}", html::table_anchor(&t.id)));
            }
            for c in s.charts.iter() {
                ids.entry(c.id.clone()).or_insert_with(|| format!("{page}#{}", html::chart_anchor(&c.id)));
            }
        }
        let anchors = (0..sections.len() + chapters.len()).map(|_| OnceLock::new()).collect();
        Targets { sections, chapters, by_href, numbers, ids, anchors }
    }

    /// The page at `href` (`seguridad.html`), if it is one with prose.
    pub(super) fn page(&self, href: &str) -> Option<Page> {
        self.by_href.get(href).copied()
    }

    /// A link `#fragment` written on `from`: None when the page has that
    /// anchor (the link stays as written), the place it names elsewhere,
    /// or an error with the nearest anchor, number or id.
    pub(super) fn fragment(&self, from: Page, fragment: &str) -> Result<Option<Target>, Option<String>> {
        if self.has_anchor(from, fragment) {
            return Ok(None);
        }
        let number = fragment.trim_end_matches('.');
        let found = self.numbers.get(number).or_else(|| self.ids.get(fragment));
        match found {
            Some(href) => Ok(Some(Target { href: href.clone(), size: None })),
            None => Err(self.nearest(Some(from), fragment).map(|s| format!("#{s}"))),
        }
    }

    /// Checks that `fragment` is an anchor of the page at `href`; the
    /// error carries the nearest one.
    pub(super) fn anchor_of(&self, href: &str, fragment: &str) -> Result<(), Option<String>> {
        match self.page(href) {
            Some(page) if !self.has_anchor(page, fragment) => Err(self.nearest(Some(page), fragment)),
            _ => Ok(()),
        }
    }

    fn has_anchor(&self, page: Page, fragment: &str) -> bool {
        fragment.is_empty()
            || fragment.starts_with(THEME_PREFIX)
            || self.anchors(page).is_none_or(|set| set.contains(fragment))
    }

    /// The nearest anchor of `page`, else the nearest number or id.
    fn nearest(&self, page: Option<Page>, fragment: &str) -> Option<String> {
        let own = page.and_then(|p| self.anchors(p)).into_iter().flatten().map(String::as_str);
        let elsewhere = self.numbers.keys().chain(self.ids.keys()).map(String::as_str);
        crate::diagnostics::suggest(fragment, own.chain(elsewhere))
    }

    fn anchors(&self, page: Page) -> Option<&BTreeSet<String>> {
        let slot = match page {
            Page::Section(i) => i,
            Page::Chapter(c) => self.sections.len() + c,
        };
        self.anchors.get(slot)?.get_or_init(|| self.collect(page)).as_ref()
    }

    /// Everything a page's markup gives an id, as the renderer names it.
    fn collect(&self, page: Page) -> Option<BTreeSet<String>> {
        let (body, mut reserved, calls) = match page {
            Page::Section(i) => {
                let s = &self.sections[i];
                if s.participation.is_some() {
                    return None;
                }
                let mut own: Vec<String> = s.tables.iter().map(|t| html::table_anchor(&t.id)).collect();
                own.extend(s.charts.iter().map(|c| html::chart_anchor(&c.id)));
                (&s.body, own, s.calls.clone())
            }
            Page::Chapter(c) => {
                let ch = &self.chapters[c];
                (&ch.body, Vec::new(), crate::markdown::placements(&ch.body))
            }
        };
        for call in calls {
            match call {
                Call::Table(id) => reserved.push(html::table_anchor(&id)),
                Call::Chart(id) => reserved.push(html::chart_anchor(&id)),
                Call::Figure { .. } => {}
            }
        }
        let headings = crate::markdown::anchors(body, &reserved);
        Some(reserved.into_iter().chain(headings).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(slug: &str, number: &str, body: &str) -> Section {
        let text = format!("---\ntitle: {slug}\n---\n{body}");
        let file = crate::source::SourceFile::new(std::path::Path::new("a.md"), format!("content/{slug}.md"), &text);
        let fmt = crate::number::NumberFormat::new("es-CL", "CLP");
        let mut s =
            super::super::section::parse(file, &fmt, &crate::content::DataFiles::default()).0.expect("a section");
        s.number = number.into();
        s
    }

    #[test]
    fn a_fragment_names_an_anchor_here_or_a_number_or_id_elsewhere() {
        let sections = [
            section("visas", "4.1", "## Solicitudes\n\nTexto[^n].\n\n[^n]: Nota.\n"),
            section("seguridad", "4.2", "## Acciones\n"),
        ];
        let t = Targets::new(&sections, &[]);
        let here = Page::Section(0);
        let href = |r: Result<Option<Target>, Option<String>>| r.map(|t| t.map(|t| t.href));
        assert_eq!(href(t.fragment(here, "solicitudes")), Ok(None));
        assert_eq!(href(t.fragment(here, "nota-1")), Ok(None));
        assert_eq!(href(t.fragment(here, "cuenta-contenido")), Ok(None));
        assert_eq!(href(t.fragment(here, "4.2")), Ok(Some("seguridad.html".into())));
        assert_eq!(href(t.fragment(here, "4.2.")), Ok(Some("seguridad.html".into())));
        assert_eq!(href(t.fragment(here, "seguridad")), Ok(Some("seguridad.html".into())));
        assert_eq!(href(t.fragment(here, "solicitud")), Err(Some("#solicitudes".into())));
        assert_eq!(t.anchor_of("seguridad.html", "acciones"), Ok(()));
        assert_eq!(t.anchor_of("seguridad.html", "accion"), Err(Some("acciones".into())));
        assert_eq!(t.anchor_of("index.html", "lo-que-sea"), Ok(()));
    }
}
