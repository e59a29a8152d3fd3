//! Navigation views: the contents tree (chapters with their sections), the
//! part of it each page shows, reading order (previous and next) and
//! breadcrumbs. A section page shows every chapter and only its own
//! chapter's sections, so the site grows linearly with the report.

use super::search::Entry as SearchEntry;
use super::views::{LinkView, NavItem};
use crate::model::{Entry, Report, Section};

/// Sections outside any chapter are all listed on each section page only up
/// to this many; beyond it a page lists the chapters and itself, or the
/// navigation would make the site grow with the square of N.
pub(super) const FULL_NAV_LIMIT: usize = 60;

/// A chapter's sections are all listed on its pages up to this many; in a
/// larger chapter a page lists this many around itself.
const CHAPTER_NAV_LIMIT: usize = 20;

/// A page of the reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
    Chapter(usize),
    Section(usize),
}

pub(super) fn section_href(s: &Section) -> String {
    crate::html::page_href(&s.slug)
}

fn section_item(s: &Section) -> NavItem {
    NavItem {
        slug: s.slug.clone(),
        href: section_href(s),
        title: s.title.clone(),
        summary: s.summary.clone(),
        number: s.number.clone(),
        current: false,
        kind: "section",
        sections: Vec::new(),
    }
}

/// The whole contents: one item per top-level entry, chapters holding
/// their sections.
pub(super) fn tree(report: &Report) -> Vec<NavItem> {
    report
        .entries
        .iter()
        .map(|e| match *e {
            Entry::Section(i) => section_item(&report.sections[i]),
            Entry::Chapter(c) => {
                let ch = &report.chapters[c];
                NavItem {
                    slug: ch.slug.clone(),
                    href: crate::html::page_href(&ch.slug),
                    title: ch.title.clone(),
                    summary: ch.summary.clone(),
                    number: ch.number.clone(),
                    current: false,
                    kind: "chapter",
                    sections: ch.sections.iter().map(|&i| section_item(&report.sections[i])).collect(),
                }
            }
        })
        .collect()
}

/// The chapters and loose sections alone: what a print page of a split
/// report lists (the whole tree on each of them made the print pages grow
/// with N times the chapters).
pub(super) fn chapters_only(tree: &[NavItem]) -> Vec<NavItem> {
    tree.iter().map(|n| NavItem { sections: Vec::new(), ..n.clone() }).collect()
}

/// What `page` lists: every chapter, the sections of the chapter it is in
/// (or is), and the loose sections while they are few; the page itself is
/// marked current.
pub(super) fn for_page(tree: &[NavItem], report: &Report, page: Page) -> Vec<NavItem> {
    let (here, chapter) = match page {
        Page::Chapter(c) => (report.chapters[c].slug.as_str(), Some(c)),
        Page::Section(i) => (report.sections[i].slug.as_str(), report.sections[i].chapter),
    };
    let loose = tree.iter().filter(|n| n.kind == "section").count();
    let mut chapter_index = 0;
    let mut out = Vec::new();
    for item in tree {
        if item.kind == "chapter" {
            let open = chapter == Some(chapter_index);
            chapter_index += 1;
            let sections = if open {
                let shown = window(&item.sections, here);
                item.sections[shown].iter().map(|s| NavItem { current: s.slug == here, ..s.clone() }).collect()
            } else {
                Vec::new()
            };
            out.push(NavItem { current: item.slug == here, sections, ..item.clone() });
        } else if loose <= FULL_NAV_LIMIT || item.slug == here {
            out.push(NavItem { current: item.slug == here, ..item.clone() });
        }
    }
    out
}

/// The sections of an open chapter a page lists: all of them up to
/// [`CHAPTER_NAV_LIMIT`]; in a larger chapter, that many around the current
/// one (the chapter's own page, linked above them, lists them all). With a
/// fixed number of chapters, listing every section of the chapter made the
/// site grow with the square of N.
fn window(sections: &[NavItem], here: &str) -> std::ops::Range<usize> {
    if sections.len() <= CHAPTER_NAV_LIMIT {
        return 0..sections.len();
    }
    let at = sections.iter().position(|s| s.slug == here).unwrap_or(0);
    let start = at.saturating_sub(CHAPTER_NAV_LIMIT / 2).min(sections.len() - CHAPTER_NAV_LIMIT);
    start..start + CHAPTER_NAV_LIMIT
}

/// Every page in reading order: a chapter's page, then its sections.
pub(super) fn reading_order(report: &Report) -> Vec<Page> {
    let mut pages = Vec::with_capacity(report.sections.len() + report.chapters.len());
    for e in &report.entries {
        match *e {
            Entry::Section(i) => pages.push(Page::Section(i)),
            Entry::Chapter(c) => {
                pages.push(Page::Chapter(c));
                pages.extend(report.chapters[c].sections.iter().map(|&i| Page::Section(i)));
            }
        }
    }
    pages
}

fn link(report: &Report, page: Page) -> LinkView {
    match page {
        Page::Chapter(c) => {
            let ch = &report.chapters[c];
            LinkView { href: crate::html::page_href(&ch.slug), title: ch.title.clone(), number: ch.number.clone() }
        }
        Page::Section(i) => {
            let s = &report.sections[i];
            LinkView { href: section_href(s), title: s.title.clone(), number: s.number.clone() }
        }
    }
}

/// The pages before and after `page` in reading order.
pub(super) fn neighbours(report: &Report, order: &[Page], page: Page) -> (Option<LinkView>, Option<LinkView>) {
    let Some(at) = order.iter().position(|p| *p == page) else { return (None, None) };
    let prev = at.checked_sub(1).and_then(|j| order.get(j)).map(|p| link(report, *p));
    (prev, order.get(at + 1).map(|p| link(report, *p)))
}

/// The chapter a section sits in, for its breadcrumb.
pub(super) fn chapter_link(report: &Report, i: usize) -> Option<LinkView> {
    report.sections[i].chapter.map(|c| link(report, Page::Chapter(c)))
}

/// Search results name the chapter before the section.
pub(super) fn label_search(report: &Report, section: &Section, entries: &mut [SearchEntry]) {
    if let Some(c) = section.chapter.and_then(|c| report.chapters.get(c)) {
        for e in entries {
            e.s = format!("{} › {}", c.title, e.s);
        }
    }
}

/// The top-level item named `slug`.
pub(super) fn tree_item<'a>(tree: &'a [NavItem], slug: &str) -> Option<&'a NavItem> {
    tree.iter().find(|n| n.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_chapter_lists_a_window_around_the_current_section() {
        let item = |k: usize| NavItem {
            slug: format!("s{k}"),
            href: String::new(),
            title: String::new(),
            summary: None,
            number: String::new(),
            current: false,
            kind: "section",
            sections: Vec::new(),
        };
        let small: Vec<NavItem> = (0..CHAPTER_NAV_LIMIT).map(item).collect();
        assert_eq!(window(&small, "s3"), 0..CHAPTER_NAV_LIMIT);
        let large: Vec<NavItem> = (0..200).map(item).collect();
        assert_eq!(window(&large, "s0"), 0..20);
        assert_eq!(window(&large, "s100"), 90..110);
        assert_eq!(window(&large, "s199"), 180..200);
        assert_eq!(window(&large, "chapter-page"), 0..20);
    }
}
