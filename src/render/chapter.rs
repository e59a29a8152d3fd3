//! Chapter pages (`<chapter>.html`: the intro and the list of its sections)
//! and the chapters' part of the whole-report page.

use super::nav::{self, Page};
use super::views::{ChapterView, PageView, PartView, SectionView};
use super::{body, scope_ids, OutputFile, Shared};
use crate::diagnostics::{Diagnostic, Lang};
use crate::model::{Entry, Report};
use crate::theme::Theme;
use rayon::prelude::*;
use std::hash::Hash;

/// Every chapter's intro, rendered once for its page and the whole report.
pub(super) fn intros(report: &Report, theme: &Theme, lang: Lang) -> (Vec<String>, Vec<Diagnostic>) {
    let rendered: Vec<(String, Vec<Diagnostic>)> =
        report.chapters.par_iter().map(|c| body::render_intro(report, c, theme, lang)).collect();
    let mut diags = Vec::new();
    let html = rendered
        .into_iter()
        .map(|(h, d)| {
            diags.extend(d);
            h
        })
        .collect();
    (html, diags)
}

impl Shared<'_> {
    fn chapter_view(&self, c: usize, intro_html: String) -> ChapterView {
        let ch = &self.report.chapters[c];
        let tree = nav::tree_item(&self.nav, &ch.slug);
        ChapterView {
            slug: ch.slug.clone(),
            href: crate::html::page_href(&ch.slug),
            title: ch.title.clone(),
            summary: ch.summary.clone(),
            number: ch.number.clone(),
            intro_html,
            sections: tree.map(|t| t.sections.clone()).unwrap_or_default(),
        }
    }

    /// `<chapter>.html`.
    pub(super) fn chapter_page(&self, c: usize, intros: &[String], order: &[Page]) -> Result<OutputFile, Diagnostic> {
        let view = self.chapter_view(c, intros.get(c).cloned().unwrap_or_default());
        let nav = nav::for_page(&self.nav, self.report, Page::Chapter(c));
        let (prev, next) = nav::neighbours(self.report, order, Page::Chapter(c));
        let page = PageView { kind: "chapter", title: view.title.clone(), href: view.href.clone() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &nav);
            ctx.insert("chapter", &view);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            ctx
        };
        let inputs = |h: &mut dyn std::hash::Hasher| (&page, &nav, &view, &prev, &next).hash(&mut &mut *h);
        let layout = self.render_memo("chapter.html", &inputs, false, ctx)?;
        Ok(OutputFile::from_parts(view.href.clone(), super::page_parts(&layout, |_| None)))
    }

    /// The whole report as read, or the part of it `entries` name:
    /// chapters (their intros' ids prefixed like the sections' bodies)
    /// holding their sections' views (`view(i)` for section `i`).
    pub(super) fn parts(
        &self,
        entries: &[Entry],
        view: impl Fn(usize) -> SectionView,
        intros: &[String],
    ) -> Vec<PartView> {
        entries
            .iter()
            .map(|e| match *e {
                Entry::Section(i) => PartView { chapter: None, sections: vec![view(i)] },
                Entry::Chapter(c) => {
                    let ch = &self.report.chapters[c];
                    let intro = intros.get(c).map_or_else(String::new, |h| scope_ids(h, &format!("{}--", ch.slug)));
                    PartView {
                        chapter: Some(self.chapter_view(c, intro)),
                        sections: ch.sections.iter().map(|&i| view(i)).collect(),
                    }
                }
            })
            .collect()
    }
}
