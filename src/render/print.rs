//! Which sections go on which print page. The whole report is one page,
//! `informe-completo.html`, until its section bodies weigh more than
//! [`SPLIT_BYTES`]; then (or always, with `print_pages: chapters`) each
//! chapter gets a print page of its own, `informe-completo-<chapter>.html`
//! (a run of sections outside any chapter shares one, named after its first
//! section, until it weighs as much as the limit), and
//! `informe-completo.html` becomes their index.
//!
//! Only the plan lives here: how a print page is rendered (its ids scoped,
//! its bodies spliced in) is the same whichever sections it holds.

use crate::config::PrintPages;
use crate::model::{Entry, Report};

/// Above this many bytes of section bodies the whole report is split by
/// chapter. Measured (BENCHMARKS.md, "Print pages"): headless Chromium's
/// peak memory grows by about 10 MB per MB of print page (216 MB for an
/// empty page, 293 MB at 6.8 MB, 360 MB at 13.5 MB), so the 161 MB page of
/// 10,000 sections would need about 2 GB, which no phone gives one tab.
/// At 8 MB a page stays near 300 MB, and the time to lay it out grows
/// faster than its size above that. The 2018 report's page is 94 KB: only
/// very large reports are split.
pub(super) const SPLIT_BYTES: usize = 8 * 1024 * 1024;

/// The address of the whole report, or of the index of its print pages.
pub(super) const INDEX_HREF: &str = "informe-completo.html";

/// One print page: its address and the top-level entries it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PrintPage {
    pub href: String,
    pub entries: Vec<Entry>,
}

/// The print pages; `split` when there is an index page besides them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    pub pages: Vec<PrintPage>,
    pub split: bool,
}

/// The print pages of `report`, whose section `i`'s body weighs
/// `body_bytes(i)`; `limit` is [`SPLIT_BYTES`] but for tests.
pub(super) fn plan(report: &Report, body_bytes: impl Fn(usize) -> usize, limit: usize) -> Plan {
    let weight: usize = (0..report.sections.len()).map(&body_bytes).sum();
    if !splits(report.settings().print_pages, weight, limit) {
        let page = PrintPage { href: INDEX_HREF.into(), entries: report.entries.clone() };
        return Plan { pages: vec![page], split: false };
    }
    let mut pages: Vec<PrintPage> = Vec::new();
    // Sections outside any chapter share a page until it is as heavy as
    // the limit: a report without chapters is split too.
    let mut loose_weight = 0;
    for entry in &report.entries {
        let joins = match *entry {
            Entry::Section(i) => {
                let last_loose = pages.last().is_some_and(|p| matches!(p.entries.last(), Some(Entry::Section(_))));
                let fits = last_loose && loose_weight + body_bytes(i) <= limit;
                loose_weight = if fits { loose_weight + body_bytes(i) } else { body_bytes(i) };
                fits
            }
            Entry::Chapter(_) => false,
        };
        match pages.last_mut() {
            Some(last) if joins => last.entries.push(*entry),
            _ => {
                let slug = match *entry {
                    Entry::Chapter(c) => &report.chapters[c].slug,
                    Entry::Section(i) => &report.sections[i].slug,
                };
                pages.push(PrintPage { href: href_of(slug), entries: vec![*entry] });
            }
        }
    }
    Plan { pages, split: true }
}

/// Whether a report whose bodies weigh `weight` bytes is split.
fn splits(setting: PrintPages, weight: usize, limit: usize) -> bool {
    match setting {
        PrintPages::Single => false,
        PrintPages::Chapters => true,
        PrintPages::Auto => weight > limit,
    }
}

/// `informe-completo-<slug>.html`. Page names of sections and chapters may
/// not start with `informe-completo-` (see `model::check_slugs`), so these
/// never clash with them.
pub(super) fn href_of(slug: &str) -> String {
    crate::html::page_href(&format!("{}{slug}", crate::slug::PRINT_PAGE_PREFIX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_split_above_the_limit_or_when_told() {
        let cases = [
            (PrintPages::Auto, SPLIT_BYTES, false),
            (PrintPages::Auto, SPLIT_BYTES + 1, true),
            (PrintPages::Single, 10 * SPLIT_BYTES, false),
            (PrintPages::Chapters, 1, true),
        ];
        for (setting, weight, want) in cases {
            assert_eq!(splits(setting, weight, SPLIT_BYTES), want, "{setting:?} {weight}");
        }
        assert_eq!(href_of("gestion"), "informe-completo-gestion.html");
    }
}
