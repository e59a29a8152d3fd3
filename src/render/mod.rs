//! `&Report` + `&Theme` → output files, pages rendered in parallel with
//! rayon. No file I/O here: the result is a sorted list of files, each as
//! the parts it is made of.

mod body;
mod chapter;
mod data;
mod file;
mod front_page;
mod identity;
mod late;
mod nav;
mod participation;
mod print;
mod scope;
mod search;
mod table_html;
mod table_layout;
pub(crate) mod verification;
mod views;
mod workbook;

pub(crate) use body::{render_section, SectionBody};
pub(crate) use file::{OutputFile, Part};
pub(crate) use late::{Layout, Segment};
pub(crate) use scope::scope_ids;

use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::html;
use crate::model::{Entry, Report};
use crate::theme::Theme;
use late::Marks;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use views::{DatasetView, DownloadView, LinkView, NavItem, PageView, SectionView, SiteView, ZipView};

/// What a text rendering asks a [`Memo`] for is: a fact about the text,
/// from which whoever keeps texts decides whether and where to keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Made {
    /// A page from `template`. `of_every_section`: its own inputs (besides
    /// what every page shares) cover every section, so hashing them costs
    /// about as much as rendering it.
    Page { template: &'static str, of_every_section: bool },
    /// A section's entries in the search index.
    SearchEntries,
    /// A table's CSV file for programs.
    Csv,
    /// A table's CSV file for Excel (BOM, `;`, decimal comma).
    ExcelCsv,
    /// A table's entry in the data package.
    Resource,
    /// A section body with its ids scoped for the whole-report page.
    ScopedBody,
    /// The workbook with a sheet per table (`datos/tablas.xlsx`).
    Workbook,
}

/// Lets whoever orders the stages keep texts between builds (`site.rs`
/// hands in the incremental module). Rendering says what each text is and
/// what it is made from, never whether or where it is kept.
pub(crate) trait Memo: Sync {
    /// `make()`, or the text an earlier build made as `made` from the same
    /// `inputs` (hashed only if the text may be kept).
    fn text(&self, made: Made, inputs: &mut dyn FnMut(&mut dyn Hasher), make: &mut dyn FnMut() -> Arc<str>)
        -> Arc<str>;

    /// [`Memo::text`] for a page's layout; `make` gives None when its
    /// template failed, which is never kept.
    fn page(
        &self,
        made: Made,
        inputs: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Option<Arc<Layout>>,
    ) -> Option<Arc<Layout>>;

    /// [`Memo::text`] for a binary file.
    fn bytes(
        &self,
        made: Made,
        inputs: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Vec<u8>,
    ) -> Arc<Vec<u8>>;

    /// A digest of `inputs`, to be hashed into other inputs: what many
    /// texts share is hashed once.
    fn digest(&self, inputs: &mut dyn FnMut(&mut dyn Hasher)) -> u128;
}

/// A page's parts: its layout's text, the bodies `body(n)` gives where
/// they go, and the zip's size as a part of its own.
fn page_parts(layout: &Layout, mut body: impl FnMut(usize) -> Option<Part>) -> Vec<Part> {
    layout
        .segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Text(text) => Some(Part::Owned(text.as_bytes().to_vec())),
            Segment::Body(n) => body(*n),
            Segment::ZipSize => Some(Part::ZipSize),
        })
        .collect()
}

/// Renders every page and data file of `report` around its section
/// `bodies` ([`render_section`] of each, in order).
pub(crate) fn render(
    report: &Report,
    theme: &Theme,
    lang: Lang,
    bodies: &[Arc<SectionBody>],
    memo: &dyn Memo,
) -> (Vec<OutputFile>, Diagnostics) {
    let mut diags = Diagnostics::default();
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
    let ctx = Shared::new(report, theme, home_html, home, memo);
    // Section pages in parallel with the rest: the whole-report page alone
    // is as long as all sections together.
    let search = || {
        let fragments: Vec<Arc<str>> = report
            .sections
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(s, b)| {
                let chapter = s.chapter.and_then(|c| report.chapters.get(c)).map(|c| &c.title);
                let mut inputs = |h: &mut dyn Hasher| (&s.slug, &s.title, chapter, b.fingerprint).hash(&mut &mut *h);
                memo.text(Made::SearchEntries, &mut inputs, &mut || {
                    let mut entries = body::search_entries(s, b);
                    nav::label_search(report, s, &mut entries);
                    Arc::from(search::fragment(&entries))
                })
            })
            .collect();
        OutputFile::new("search-index.js", search::script(&fragments))
    };
    let (pages, ((home, full), (search, (data, mut files)))) = rayon::join(
        || {
            let sections = (0..report.sections.len()).into_par_iter().map(|i| ctx.section_page(i, bodies, &order));
            let chapters = (0..report.chapters.len()).into_par_iter().map(|c| ctx.chapter_page(c, &intros, &order));
            sections.chain(chapters).collect::<Vec<_>>()
        },
        || {
            rayon::join(
                || rayon::join(|| ctx.home_page(), || ctx.print_pages(bodies, &intros)),
                || {
                    rayon::join(search, || {
                        // datos.html lists every download with its size.
                        let files = data_files(report, theme, memo);
                        (ctx.data_page(&files), files)
                    })
                },
            )
        },
    );
    files.push(search);
    let singles = [home, data, ctx.verification_page(), ctx.accessibility_page()];
    for page in pages.into_iter().chain(singles).chain(full) {
        match page {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    files.extend(theme.statics.iter().map(|(p, b)| OutputFile::new(format!("assets/{p}"), b.clone())));
    files.extend(
        report.media.values().map(|m| OutputFile::from_parts(m.href.clone(), vec![Part::Bytes(Arc::clone(&m.bytes))])),
    );
    if let Some(share) = &ctx.site.share {
        let mut pages: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.ends_with(".html") && !p.starts_with("medios/"))
            .collect();
        pages.sort_unstable();
        let sitemap = identity::sitemap(&share.base, pages.into_iter());
        files.push(sitemap);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diags)
}

/// The CSV of every table and the data package. A table's CSV and its
/// entry in the package are made from its section's file and the settings
/// (a session keeps them; on disk they are quicker to make again).
fn data_files(report: &Report, theme: &Theme, memo: &dyn Memo) -> Vec<OutputFile> {
    let tables: Vec<(&crate::model::Section, &crate::table::DataTable)> =
        report.sections.iter().flat_map(|s| s.tables.iter().map(move |t| (s, t))).collect();
    let settings = report.settings();
    fn made_of<'a>(
        settings: &'a crate::config::Settings,
        s: &'a crate::model::Section,
        t: &'a crate::table::DataTable,
    ) -> impl FnMut(&mut dyn Hasher) + 'a {
        // The spreadsheets the section's tables were read from, too.
        move |h| (settings, &s.file.display, &s.file.text, &s.inputs, &t.id).hash(&mut &mut *h)
    }
    let fmt = &report.format;
    // A CSV whose text the memo keeps: UTF-8 text, else kept as bytes.
    let csv_file = |made: Made, path: String, inputs: &mut dyn FnMut(&mut dyn Hasher), make: &dyn Fn() -> Vec<u8>| {
        let csv = memo.text(made, inputs, &mut || Arc::from(String::from_utf8(make()).unwrap_or_default()));
        if csv.is_empty() {
            return OutputFile::new(path, make());
        }
        OutputFile::from_parts(path, vec![Part::Shared(csv)])
    };
    // Each table's two CSVs: for programs and for Excel.
    let mut files: Vec<OutputFile> = tables
        .par_iter()
        .flat_map_iter(|(s, t)| {
            let programs = csv_file(Made::Csv, data::csv_path(&t.id), &mut made_of(settings, s, t), &|| data::csv(t));
            let excel = csv_file(Made::ExcelCsv, data::excel_csv_path(&t.id), &mut made_of(settings, s, t), &|| {
                data::excel_csv(t, fmt)
            });
            [programs, excel]
        })
        .collect();
    // Made of the same inputs as the tables' CSVs, all of them; writing it
    // costs more than the CSVs together, so a rebuild reuses it.
    let sheets =
        memo.bytes(Made::Workbook, &mut |h| tables.iter().for_each(|(s, t)| made_of(settings, s, t)(h)), &mut || {
            workbook::workbook(report)
        });
    files.push(OutputFile::from_parts(workbook::PATH, vec![Part::Bytes(sheets)]));
    let currency = &settings.currency;
    let mut resources: Vec<Arc<str>> = tables
        .par_iter()
        .map(|(s, t)| {
            memo.text(Made::Resource, &mut made_of(settings, s, t), &mut || {
                Arc::from(data::resource_text(s, t, currency))
            })
        })
        .collect();
    // The report's checks, made every build: they depend on every table.
    resources.push(Arc::from(verification::resource_text(theme)));
    files.push(OutputFile::new(verification::CSV, verification::csv(report, theme)));
    let package = data::datapackage(report, &resources);
    files.push(OutputFile::new("datos/datapackage.json", package));
    files
}

/// Context shared by all pages.
struct Shared<'a> {
    report: &'a Report,
    theme: &'a Theme,
    memo: &'a dyn Memo,
    /// Where late values go in this build's pages.
    marks: Marks,
    site: SiteView,
    nav: Vec<NavItem>,
    home: views::HomeView,
    /// A digest of what every page depends on: the site, the navigation,
    /// the theme.
    salt: u128,
}

impl<'a> Shared<'a> {
    fn new(
        report: &'a Report,
        theme: &'a Theme,
        intro_html: String,
        home: views::HomeView,
        memo: &'a dyn Memo,
    ) -> Self {
        let s = report.settings();
        let marks = Marks::new();
        let mut site = SiteView {
            title: s.title.clone(),
            institution: s.institution.clone(),
            period: s.period.clone(),
            lang: s.language.clone(),
            description: s.description.clone(),
            licence: s.licence.clone(),
            intro_html,
            zip: ZipView { href: format!("{}.zip", s.zip_name), size: marks.zip_size() },
            previous: front_page::previous(report),
            contact: s.contact.as_ref().map(views::ContactView::from),
            search_example: report.sections.first().and_then(|sec| views::search_example(&sec.title)),
            logo: identity::logo(report),
            favicon: identity::favicon(report),
            share: None,
        };
        site.share = identity::share(report, home.cover.as_ref(), site.logo.as_ref());
        let nav = nav::tree(report);
        let salt = memo.digest(&mut |h| (&site, &nav, theme.fingerprint).hash(&mut &mut *h));
        Shared { report, theme, memo, marks, site, nav, home, salt }
    }

    /// Renders `template`, or has the memo reuse what an earlier build
    /// rendered from the same inputs: `inputs` must hash everything the
    /// context holds besides what every page shares. The context is made
    /// only when the page is rendered. `of_every_section`: see
    /// [`Made::Page`].
    fn render_memo(
        &self,
        template: &'static str,
        inputs: &dyn Fn(&mut dyn Hasher),
        of_every_section: bool,
        ctx: impl Fn() -> tera::Context,
    ) -> Result<Arc<Layout>, Diagnostic> {
        let mut failed = None;
        let mut all_inputs = |h: &mut dyn Hasher| {
            self.salt.hash(&mut &mut *h);
            inputs(h);
        };
        let layout = self.memo.page(Made::Page { template, of_every_section }, &mut all_inputs, &mut || {
            self.render_now(template, &ctx()).map_err(|d| failed = Some(d)).ok().map(Arc::new)
        });
        match (layout, failed) {
            (Some(layout), _) => Ok(layout),
            (None, Some(d)) => Err(d),
            (None, None) => Ok(Arc::default()),
        }
    }

    /// Renders `template` and cuts the page where its late values go.
    fn render_now(&self, template: &str, ctx: &tera::Context) -> Result<Layout, Diagnostic> {
        Ok(self.marks.cut(&self.theme.render(template, ctx)?))
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

    /// Section `i` for a template. Its HTML is a mark: bodies are put in
    /// the page as parts of their own, since passing them through the
    /// template context would copy each several times.
    fn section_view(&self, i: usize, body: &SectionBody) -> SectionView {
        let s = &self.report.sections[i];
        SectionView {
            slug: s.slug.clone(),
            href: html::page_href(&s.slug),
            title: s.title.clone(),
            summary: s.summary.clone(),
            number: s.number.clone(),
            html: self.marks.body(i),
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
        let href = html::page_href(&s.slug);
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
        let inputs = |h: &mut dyn Hasher| (&page, &nav, &view, &chapter, &prev, &next).hash(&mut &mut *h);
        let layout = self.render_memo("section.html", &inputs, false, ctx)?;
        let body = |n: usize| (n == i).then(|| Part::Shared(Arc::clone(&bodies[i].html)));
        Ok(OutputFile::from_parts(href, page_parts(&layout, body)))
    }

    fn home_page(&self) -> Result<OutputFile, Diagnostic> {
        let page = PageView { kind: "home", title: self.site.title.clone(), href: "index.html".into() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &self.nav);
            ctx.insert("home", &self.home);
            ctx
        };
        let inputs = |h: &mut dyn Hasher| (&page, &self.home).hash(&mut &mut *h);
        let layout = self.render_memo("index.html", &inputs, false, ctx)?;
        Ok(OutputFile::from_parts("index.html", page_parts(&layout, |_| None)))
    }

    /// The print pages of the plan ([`print::plan`]): the whole report on
    /// one, or each chapter on its own and their index.
    fn print_pages(&self, bodies: &[Arc<SectionBody>], intros: &[String]) -> Vec<Result<OutputFile, Diagnostic>> {
        let plan = print::plan(self.report, |i| bodies.get(i).map_or(0, |b| b.html.len()), print::SPLIT_BYTES);
        let mut pages: Vec<_> = plan.pages.par_iter().map(|p| self.full_page(p, plan.split, bodies, intros)).collect();
        if plan.split {
            pages.push(self.print_index(&plan));
        }
        pages
    }

    /// A print page: each body of its sections demoted one heading level
    /// and its ids prefixed with its section's slug, spliced in after Tera.
    fn full_page(
        &self,
        print_page: &print::PrintPage,
        split: bool,
        bodies: &[Arc<SectionBody>],
        intros: &[String],
    ) -> Result<OutputFile, Diagnostic> {
        let view = |i: usize| {
            let mut v = self.section_view(i, &bodies[i]);
            let prefix = format!("{}--", v.slug);
            for t in &mut v.toc {
                t.id = format!("{prefix}{}", t.id);
            }
            v
        };
        let parts = self.parts(&print_page.entries, view, intros);
        let sections: Vec<SectionView> = parts.iter().flat_map(|p| p.sections.iter().cloned()).collect();
        let mut on_page = vec![false; self.report.sections.len()];
        for e in &print_page.entries {
            match *e {
                Entry::Section(i) => on_page[i] = true,
                Entry::Chapter(c) => self.report.chapters[c].sections.iter().for_each(|&i| on_page[i] = true),
            }
        }
        let mut title = self.theme.string("print_version");
        if let (true, Some(chapter)) = (split, parts.first().and_then(|p| p.chapter.as_ref())) {
            title = format!("{title}: {}", chapter.title);
        }
        let page = PageView { kind: "full", title, href: print_page.href.clone() };
        let index = if split { print::INDEX_HREF } else { "" };
        let short_nav = if split { nav::chapters_only(&self.nav) } else { Vec::new() };
        let nav = if split { &short_nav } else { &self.nav };
        let ctx = || {
            let mut ctx = self.context(page.clone(), nav);
            ctx.insert("sections", &sections);
            ctx.insert("parts", &parts);
            ctx.insert("print_pages", &Vec::<views::PrintPageView>::new());
            ctx.insert("print_index", index);
            ctx
        };
        let inputs = |h: &mut dyn Hasher| (&page, &sections, &parts, index, nav).hash(&mut &mut *h);
        let layout = self.render_memo("full.html", &inputs, true, ctx)?;
        let scoped: Vec<Option<Arc<str>>> = self
            .report
            .sections
            .par_iter()
            .zip(bodies.par_iter())
            .zip(on_page.par_iter())
            .map(|((s, b), &here)| {
                if !here {
                    return None;
                }
                let mut inputs = |h: &mut dyn Hasher| (&s.slug, b.fingerprint).hash(&mut &mut *h);
                let mut scoped = || Arc::from(scope_ids(&scope::demote_headings(&b.html), &format!("{}--", s.slug)));
                Some(self.memo.text(Made::ScopedBody, &mut inputs, &mut scoped))
            })
            .collect();
        let parts = page_parts(&layout, |i| scoped.get(i).cloned().flatten().map(Part::Shared));
        Ok(OutputFile::from_parts(print_page.href.clone(), parts))
    }

    /// `informe-completo.html` when the report is split: the cover, the
    /// introduction and a link to each print page.
    fn print_index(&self, plan: &print::Plan) -> Result<OutputFile, Diagnostic> {
        let pages: Vec<views::PrintPageView> = plan
            .pages
            .iter()
            .map(|p| {
                let sections: usize = p
                    .entries
                    .iter()
                    .map(|e| match *e {
                        Entry::Chapter(c) => self.report.chapters[c].sections.len(),
                        Entry::Section(_) => 1,
                    })
                    .sum();
                let (title, number) = match p.entries.first() {
                    Some(&Entry::Chapter(c)) => {
                        let ch = &self.report.chapters[c];
                        (ch.title.clone(), ch.number.clone())
                    }
                    Some(&Entry::Section(i)) => {
                        let s = &self.report.sections[i];
                        (s.title.clone(), s.number.clone())
                    }
                    None => (String::new(), String::new()),
                };
                views::PrintPageView { href: p.href.clone(), title, number, sections }
            })
            .collect();
        let page = PageView { kind: "full", title: self.theme.string("print_version"), href: print::INDEX_HREF.into() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &self.nav);
            ctx.insert("sections", &Vec::<SectionView>::new());
            ctx.insert("parts", &Vec::<views::PartView>::new());
            ctx.insert("print_pages", &pages);
            ctx.insert("print_index", "");
            ctx
        };
        let inputs = |h: &mut dyn Hasher| (&page, &pages).hash(&mut &mut *h);
        let layout = self.render_memo("full.html", &inputs, false, ctx)?;
        Ok(OutputFile::from_parts(print::INDEX_HREF, page_parts(&layout, |_| None)))
    }

    /// verificacion.html: every check of the report and every discrepancy.
    /// Made every build, without the cache: it reads every table.
    fn verification_page(&self) -> Result<OutputFile, Diagnostic> {
        let title = self.theme.string("verification_title");
        let page = PageView { kind: "verification", title, href: verification::HREF.into() };
        let mut ctx = self.context(page, &self.nav);
        ctx.insert("verification_html", &verification::page_html(self.report, self.theme));
        let layout = self.render_now("verification.html", &ctx)?;
        Ok(OutputFile::from_parts(verification::HREF, page_parts(&layout, |_| None)))
    }

    fn data_page(&self, files: &[OutputFile]) -> Result<OutputFile, Diagnostic> {
        let separator = if self.report.format.decimal(0.5, 1).contains(',') { "," } else { "." };
        // By path: a report may have thousands of tables, each with two files.
        let sizes: std::collections::HashMap<&str, usize> = files.iter().map(|f| (f.path.as_str(), f.len())).collect();
        let download = |href: String, name: &str, usage: &str, format: &str| {
            let size = sizes.get(href.as_str()).copied().unwrap_or(0);
            DownloadView {
                name: self.theme.string(name),
                usage: self.theme.string(usage),
                format: format.to_string(),
                size: crate::offline::human_size(size, separator),
                href,
            }
        };
        let downloads = vec![
            download(workbook::PATH.to_string(), "download_workbook", "for_excel", "XLSX"),
            download("datos/datapackage.json".to_string(), "datapackage", "for_programs", "JSON"),
        ];
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
                section_href: html::page_href(&s.slug),
                table_href: format!("{}#{}", html::page_href(&s.slug), html::table_anchor(&t.id)),
                csv_href: data::csv_path(&t.id),
                rows: t.rows.len(),
                downloads: vec![
                    download(data::excel_csv_path(&t.id), "csv_excel", "for_excel", "CSV"),
                    download(data::csv_path(&t.id), "csv_programs", "for_programs", "CSV"),
                ],
            })
            .collect();
        let title = self.theme.string("open_data");
        let page = PageView { kind: "data", title, href: "datos.html".into() };
        let ctx = || {
            let mut ctx = self.context(page.clone(), &self.nav);
            ctx.insert("datasets", &datasets);
            ctx.insert("downloads", &downloads);
            ctx.insert("datapackage_href", "datos/datapackage.json");
            ctx
        };
        let inputs = |h: &mut dyn Hasher| (&page, &datasets, &downloads).hash(&mut &mut *h);
        let layout = self.render_memo("data.html", &inputs, true, ctx)?;
        Ok(OutputFile::from_parts("datos.html", page_parts(&layout, |_| None)))
    }
}
