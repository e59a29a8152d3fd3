//! `&Report` + `&Theme` → output files, pages rendered in parallel with
//! rayon. No file I/O here: the result is a sorted list of files, each as
//! the parts it is made of.

mod body;
mod chapter;
mod data;
mod file;
mod front_page;
mod nav;
mod participation;
mod scope;
mod search;
mod table_html;
mod table_layout;
mod views;

pub use data::neutralise;
pub use file::{OutputFile, Part};
pub use scope::scope_ids;

use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::model::Report;
use crate::theme::Theme;
use body::SectionBody;
use rayon::prelude::*;
use std::sync::Arc;
use views::{DatasetView, LinkView, NavItem, PageView, SectionView, SiteView, ZipView};

/// Views as JSON, for keys: `&dyn Serialize` is not object safe.
mod erased {
    pub trait Json {
        fn to_json(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Vec<u8> {
            serde_json::to_vec(self).unwrap_or_default()
        }
    }
}

/// Stands in for the zip's size until the zip exists (it contains the pages).
pub const ZIP_SIZE_TOKEN: &str = "@@CUENTA-ZIP-SIZE@@";

/// Marks where a section body goes on the whole-report page.
const BODY_TOKEN: &str = "@@CUENTA-BODY-";

/// Cuts a rendered page at each `@@CUENTA-BODY-<n>@@` and puts `body(n)`
/// there: the page becomes template text and shared bodies, none copied.
fn splice_bodies(page: String, mut body: impl FnMut(usize) -> Option<Part>) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = page.as_str();
    while let Some(start) = rest.find(BODY_TOKEN) {
        let after = &rest[start + BODY_TOKEN.len()..];
        let Some(end) = after.find("@@") else { break };
        let Some(part) = after[..end].parse::<usize>().ok().and_then(&mut body) else {
            // Not ours after all: keep the text and look further on.
            parts.push(Part::Owned(rest.as_bytes()[..start + BODY_TOKEN.len()].to_vec()));
            rest = after;
            continue;
        };
        parts.push(Part::Owned(rest.as_bytes()[..start].to_vec()));
        parts.push(part);
        rest = &after[end + 2..];
    }
    parts.push(Part::Owned(rest.as_bytes().to_vec()));
    parts.retain(|p| !p.is_empty());
    parts
}

/// Renders every page and data file of `report`.
pub fn render(report: &Report, theme: &Theme, lang: Lang, cache: &Cache) -> (Vec<OutputFile>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let bodies: Vec<(Arc<SectionBody>, Vec<Diagnostic>)> =
        report.sections.par_iter().map(|s| body::render_section_cached(report, s, theme, lang, cache)).collect();
    let (home_html, home_diags) = body::render_home(report, theme, lang);
    diags.extend(home_diags);
    let participate =
        participation::how_to_participate(&report.settings().participation, &report.settings().language, theme, 2);
    let cell = |t: &str, r: &str, c: &str| body::cell_text(report, theme, lang, t, r, c);
    let (home, home_diags) = front_page::home(report, cell, participate);
    diags.extend(home_diags);
    let (intros, intro_diags) = chapter::intros(report, theme, lang);
    diags.extend(intro_diags);
    let order = nav::reading_order(report);
    let bodies: Vec<Arc<SectionBody>> = bodies
        .into_iter()
        .map(|(b, d)| {
            diags.extend(d);
            b
        })
        .collect();
    let ctx = Shared::new(report, theme, home_html, home, cache);
    // Section pages in parallel with the rest: the whole-report page alone
    // is as long as all sections together.
    let search = || {
        let fragments: Vec<Arc<str>> = report
            .sections
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(s, b)| {
                cache.memo_text(search_key(report, s, b), || {
                    let mut entries = body::search_entries(s, b);
                    nav::label_search(report, s, &mut entries);
                    Arc::from(search::fragment(&entries))
                })
            })
            .collect();
        OutputFile::new("search-index.js", search::script(&fragments))
    };
    let (pages, ((home, full), (data, (search, mut files)))) = rayon::join(
        || {
            let sections = (0..report.sections.len()).into_par_iter().map(|i| ctx.section_page(i, &bodies, &order));
            let chapters = (0..report.chapters.len()).into_par_iter().map(|c| ctx.chapter_page(c, &intros, &order));
            sections.chain(chapters).collect::<Vec<_>>()
        },
        || {
            rayon::join(
                || rayon::join(|| ctx.home_page(), || ctx.full_page(&bodies, &intros)),
                || rayon::join(|| ctx.data_page(), || rayon::join(search, || data_files(report, cache))),
            )
        },
    );
    files.push(search);
    let singles = [home, full, data];
    for page in pages.into_iter().chain(singles) {
        match page {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    files.extend(theme.statics.iter().map(|(p, b)| OutputFile::new(format!("assets/{p}"), b.clone())));
    files.extend(
        report.media.values().map(|m| OutputFile::from_parts(m.href.clone(), vec![Part::Bytes(Arc::clone(&m.bytes))])),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diags)
}

/// What a section's search entries are made of: its address and title, its
/// chapter's title, and its body.
fn search_key(report: &Report, s: &crate::model::Section, b: &SectionBody) -> crate::cache::Key {
    let chapter = s.chapter.and_then(|c| report.chapters.get(c)).map_or("", |c| c.title.as_str());
    crate::cache::key(&[b"search", s.slug.as_bytes(), s.title.as_bytes(), chapter.as_bytes(), &b.key.to_le_bytes()])
}

/// The CSV of every table and the data package. A table's CSV depends on its
/// section's file and the number format; the package on all of them and the
/// settings.
fn data_files(report: &Report, cache: &Cache) -> Vec<OutputFile> {
    let settings = format!("{:?}", report.settings());
    let tables: Vec<(&crate::model::Section, &crate::table::DataTable)> =
        report.sections.iter().flat_map(|s| s.tables.iter().map(move |t| (s, t))).collect();
    let mut files: Vec<OutputFile> = tables
        .par_iter()
        .map(|(s, t)| {
            let key = crate::cache::key(&[b"csv", settings.as_bytes(), s.file.text.as_bytes(), t.id.as_bytes()]);
            let csv = cache.memo(key, || Arc::new(data::csv(t)));
            OutputFile::from_parts(format!("datos/{}.csv", t.id), vec![Part::Bytes(csv)])
        })
        .collect();
    let resources: Vec<Arc<str>> = tables
        .par_iter()
        .map(|(s, t)| {
            let key = crate::cache::key(&[b"resource", s.file.text.as_bytes(), t.id.as_bytes()]);
            // Kept for a session; on disk, made again (quicker than keeping).
            cache.memo::<Arc<str>>(key, || Arc::from(data::resource_text(s, t)))
        })
        .collect();
    let package = data::datapackage(report, &resources);
    files.push(OutputFile::new("datos/datapackage.json", package));
    files
}

/// Context shared by all pages.
struct Shared<'a> {
    report: &'a Report,
    theme: &'a Theme,
    cache: &'a Cache,
    site: SiteView,
    nav: Vec<NavItem>,
    home: views::HomeView,
    /// What every page depends on: the site, the navigation, the theme.
    salt: [u8; 16],
}

impl<'a> Shared<'a> {
    fn new(report: &'a Report, theme: &'a Theme, intro_html: String, home: views::HomeView, cache: &'a Cache) -> Self {
        let s = report.settings();
        let site = SiteView {
            title: s.title.clone(),
            institution: s.institution.clone(),
            period: s.period.clone(),
            lang: s.language.clone(),
            description: s.description.clone(),
            licence: s.licence.clone(),
            intro_html,
            zip: ZipView { href: format!("{}.zip", s.zip_name), size: ZIP_SIZE_TOKEN.to_string() },
            previous: front_page::previous(report),
        };
        let nav = nav::tree(report);
        let salt = crate::cache::key(&[
            &serde_json::to_vec(&site).unwrap_or_default(),
            &serde_json::to_vec(&nav).unwrap_or_default(),
            &theme.fingerprint.to_le_bytes(),
        ])
        .to_le_bytes();
        Shared { report, theme, cache, site, nav, home, salt }
    }

    /// Renders `template`, or reuses what an earlier build rendered from the
    /// same inputs: `inputs` must be everything the context holds besides
    /// what every page shares. The context is made only when the page is
    /// rendered. A session (`serve`) keeps every page; a build on disk keeps
    /// pages whose `inputs` are small (`keep_on_disk`): the key of a page
    /// listing every section is as dear as rendering it.
    fn render_memo(
        &self,
        template: &str,
        inputs: &[&dyn erased::Json],
        keep_on_disk: bool,
        ctx: impl FnOnce() -> tera::Context,
    ) -> Result<String, Diagnostic> {
        if !self.cache.lives_in_memory() && !keep_on_disk {
            return self.theme.render(template, &ctx());
        }
        let json: Vec<Vec<u8>> = inputs.iter().map(|v| v.to_json()).collect();
        let mut parts: Vec<&[u8]> = vec![template.as_bytes(), &self.salt];
        parts.extend(json.iter().map(Vec::as_slice));
        let key = crate::cache::key(&parts);
        if let Some(html) = self.cache.text(key) {
            return Ok(html.to_string());
        }
        let html: Arc<str> = Arc::from(self.theme.render(template, &ctx())?);
        self.cache.keep_text(key, &html);
        Ok(html.to_string())
    }

    fn context(&self, page: PageView, nav: &[NavItem]) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("t", &self.theme.strings);
        ctx.insert("nav", nav);
        ctx.insert("page", &page);
        ctx.insert("assets", "assets/");
        ctx.insert("search_index", "search-index.js");
        ctx
    }

    /// Section `i` for a template. Its HTML is a token: bodies are spliced
    /// in after Tera runs, since passing them through the template context
    /// would copy each several times.
    fn section_view(&self, i: usize, body: &SectionBody) -> SectionView {
        let s = &self.report.sections[i];
        SectionView {
            slug: s.slug.clone(),
            href: format!("{}.html", s.slug),
            title: s.title.clone(),
            summary: s.summary.clone(),
            number: s.number.clone(),
            html: format!("{BODY_TOKEN}{i}@@"),
            toc: body.toc.clone(),
        }
    }

    fn section_page(
        &self,
        i: usize,
        bodies: &[Arc<SectionBody>],
        order: &[nav::Page],
    ) -> Result<OutputFile, Diagnostic> {
        let s = &self.report.sections[i];
        let nav: Vec<NavItem> = nav::for_page(&self.nav, self.report, nav::Page::Section(i));
        let href = format!("{}.html", s.slug);
        let page = PageView { kind: "section", title: s.title.clone(), href: href.clone() };
        let view = self.section_view(i, &bodies[i]);
        let (prev, next) = nav::neighbours(self.report, order, nav::Page::Section(i));
        let chapter: Option<LinkView> = nav::chapter_link(self.report, i);
        let ctx = || {
            let mut ctx = self.context(page.clone(), &nav);
            ctx.insert("section", &view);
            ctx.insert("chapter", &chapter);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            ctx
        };
        let html = self.render_memo("section.html", &[&page, &nav, &view, &chapter, &prev, &next], true, ctx)?;
        let body = |n: usize| (n == i).then(|| Part::Shared(Arc::clone(&bodies[i].html)));
        Ok(OutputFile::from_parts(href, splice_bodies(html, body)))
    }

    fn home_page(&self) -> Result<OutputFile, Diagnostic> {
        let page = PageView { kind: "home", title: self.site.title.clone(), href: "index.html".into() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &self.nav);
            ctx.insert("home", &self.home);
            ctx
        };
        let html = self.render_memo("index.html", &[&page, &self.home], true, ctx)?;
        Ok(OutputFile::new("index.html", html.into_bytes()))
    }

    /// The whole report on one page: each body demoted one heading level
    /// and its ids prefixed with its section's slug, spliced in after Tera.
    fn full_page(&self, bodies: &[Arc<SectionBody>], intros: &[String]) -> Result<OutputFile, Diagnostic> {
        let sections: Vec<SectionView> = (0..bodies.len())
            .map(|i| {
                let mut v = self.section_view(i, &bodies[i]);
                let prefix = format!("{}--", v.slug);
                for t in &mut v.toc {
                    t.id = format!("{prefix}{}", t.id);
                }
                v
            })
            .collect();
        let parts = self.parts(&sections, intros);
        let title = self.theme.string("print_version");
        let page = PageView { kind: "full", title, href: "informe-completo.html".into() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &self.nav);
            ctx.insert("sections", &sections);
            ctx.insert("parts", &parts);
            ctx
        };
        let html = self.render_memo("full.html", &[&page, &parts], false, ctx)?;
        let mut scoped: Vec<Option<Arc<str>>> = self
            .report
            .sections
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(s, b)| {
                let key = crate::cache::key(&[b"scoped", s.slug.as_bytes(), &b.key.to_le_bytes()]);
                let scoped = || Arc::from(scope_ids(&scope::demote_headings(&b.html), &format!("{}--", s.slug)));
                // Kept in memory (`serve`) but not on disk: scoping is one
                // quick pass, and writing its result to the cache cost more.
                Some(self.cache.memo::<Arc<str>>(key, scoped))
            })
            .collect();
        let parts = splice_bodies(html, |i| scoped.get_mut(i).and_then(Option::take).map(Part::Shared));
        Ok(OutputFile::from_parts("informe-completo.html", parts))
    }

    fn data_page(&self) -> Result<OutputFile, Diagnostic> {
        let datasets: Vec<DatasetView> = self
            .report
            .sections
            .iter()
            .flat_map(|s| s.tables.iter().map(move |t| (s, t)))
            .map(|(s, t)| DatasetView {
                id: t.id.clone(),
                caption: t.caption.clone(),
                source: t.source.clone(),
                section_title: s.title.clone(),
                section_href: format!("{}.html", s.slug),
                table_href: format!("{}.html#tabla-{}", s.slug, t.id),
                csv_href: format!("datos/{}.csv", t.id),
                rows: t.rows.len(),
            })
            .collect();
        let title = self.theme.string("open_data");
        let page = PageView { kind: "data", title, href: "datos.html".into() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &self.nav);
            ctx.insert("datasets", &datasets);
            ctx.insert("datapackage_href", "datos/datapackage.json");
            ctx
        };
        let html = self.render_memo("data.html", &[&page, &datasets], false, ctx)?;
        Ok(OutputFile::new("datos.html", html.into_bytes()))
    }
}
