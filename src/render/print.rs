//! Which sections go on which print page. The whole report is one page,
//! `informe-completo.html`, until its section bodies weigh more than
//! [`SPLIT_BYTES`]; then (or always, with `print_pages: chapters`) each
//! chapter gets a print page of its own, `informe-completo-<chapter>.html`
//! (a run of sections outside any chapter shares one, named after its first
//! section), and `informe-completo.html` becomes their index.
//!
//! Only the plan lives here: how a print page is rendered (its ids scoped,
//! its bodies spliced in) is the same whichever sections it holds.

use crate::config::PrintPages;
use crate::model::{Entry, Report};

/// Above this many bytes of section bodies the whole report is split by
/// chapter. Measured (BENCHMARKS.md, "Print pages"): headless Chromium on
/// this machine lays out an 8 MB print page of the synthetic report in about
/// 3 s and needs about 0.5 GB for it; a phone is slower still and its tab is
/// killed well before a desktop's. The 2018 report's page is 0.4 MB, far
/// below: only very large reports are split.
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
    if !splits(report.settings().print_pages, weight, limit) || report.chapters.is_empty() {
        let page = PrintPage { href: INDEX_HREF.into(), entries: report.entries.clone() };
        return Plan { pages: vec![page], split: false };
    }
    let mut pages: Vec<PrintPage> = Vec::new();
    for entry in &report.entries {
        let loose_run = matches!(entry, Entry::Section(_))
            && pages.last().is_some_and(|p| matches!(p.entries.last(), Some(Entry::Section(_))));
        match pages.last_mut() {
            Some(last) if loose_run => last.entries.push(*entry),
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
