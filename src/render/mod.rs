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
pub mod verification;
mod views;

pub use body::{render_section, SectionBody};
pub use data::neutralise;
pub use file::{OutputFile, Part};
pub use scope::scope_ids;
pub use table_html::checked_text;

use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::html;
use crate::model::Report;
use crate::theme::Theme;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use views::{DatasetView, LinkView, NavItem, PageView, SectionView, SiteView, ZipView};

/// Lets whoever orders the stages keep texts between builds (`site.rs`
/// hands in the incremental module). Rendering says what each text is made
/// from, never whether or where it is kept.
pub trait Memo: Sync {
    /// `make()`, or the text an earlier build made of `kind` from the same
    /// `inputs` (hashed only if the text may be kept). `worth_a_disk_read`:
    /// false for texts quicker to make than to read back.
    fn text(
        &self,
        kind: &'static str,
        worth_a_disk_read: bool,
        inputs: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Arc<str>,
    ) -> Arc<str>;

    /// A digest of `inputs`, to be hashed into other inputs: what many
    /// texts share is hashed once.
    fn digest(&self, inputs: &mut dyn FnMut(&mut dyn Hasher)) -> u128;
}

/// Keeps nothing: every text is made.
pub struct Fresh;

impl Memo for Fresh {
    fn text(
        &self,
        _: &'static str,
        _: bool,
        _: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Arc<str>,
    ) -> Arc<str> {
        make()
    }

    fn digest(&self, _: &mut dyn FnMut(&mut dyn Hasher)) -> u128 {
        0
    }
}

/// Stands in for the zip's size in Tera's output; cut out at once into a
/// [`Part::ZipSize`] of the page.
const ZIP_SIZE_TOKEN: &str = "@@CUENTA-ZIP-SIZE@@";

/// Stands in for the PDF's size in Tera's output; cut out at once into a
/// [`Part::PdfSize`] of the page.
const PDF_SIZE_TOKEN: &str = "@@CUENTA-PDF-SIZE@@";

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
    let parts = parts.into_iter().flat_map(|p| cut_size(p, ZIP_SIZE_TOKEN, Part::ZipSize));
    let mut parts: Vec<Part> = parts.flat_map(|p| cut_size(p, PDF_SIZE_TOKEN, Part::PdfSize)).collect();
    parts.retain(|p| matches!(p, Part::ZipSize | Part::PdfSize) || !p.is_empty());
    parts
}

/// A page's own text cut where it shows a download's size (`token`), which
/// becomes the typed part `size`; other parts as they are.
fn cut_size(part: Part, token: &str, size: Part) -> Vec<Part> {
    let Part::Owned(bytes) = part else { return vec![part] };
    let Ok(text) = std::str::from_utf8(&bytes) else { return vec![Part::Owned(bytes)] };
    if !text.contains(token) {
        return vec![Part::Owned(bytes)];
    }
    let mut parts = Vec::new();
    for (i, piece) in text.split(token).enumerate() {
        if i > 0 {
            parts.push(size.clone());
        }
        parts.push(Part::Owned(piece.as_bytes().to_vec()));
    }
    parts
}

/// Renders every page and data file of `report` around its section
/// `bodies` ([`render_section`] of each, in order).
pub fn render(
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
                memo.text("search", false, &mut inputs, &mut || {
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
            let sections = (0..report.sections.len()).into_par_iter().map(|i| ctx.section_page(i, bodies, &order));
            let chapters = (0..report.chapters.len()).into_par_iter().map(|c| ctx.chapter_page(c, &intros, &order));
            sections.chain(chapters).collect::<Vec<_>>()
        },
        || {
            rayon::join(
                || rayon::join(|| ctx.home_page(), || ctx.full_page(bodies, &intros)),
                || rayon::join(|| ctx.data_page(), || rayon::join(search, || data_files(report, theme, memo))),
            )
        },
    );
    files.push(search);
    let singles = [home, full, data, ctx.verification_page()];
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
        move |h| (settings, &s.file.display, &s.file.text, &t.id).hash(&mut &mut *h)
    }
    let mut files: Vec<OutputFile> = tables
        .par_iter()
        .map(|(s, t)| {
            let path = format!("datos/{}.csv", t.id);
            let csv = memo.text("csv", false, &mut made_of(settings, s, t), &mut || {
                // CSV of UTF-8 text is UTF-8; were it not, it is kept as bytes.
                Arc::from(String::from_utf8(data::csv(t)).unwrap_or_default())
            });
            if csv.is_empty() {
                return OutputFile::new(path, data::csv(t));
            }
            OutputFile::from_parts(path, vec![Part::Shared(csv)])
        })
        .collect();
    let mut resources: Vec<Arc<str>> = tables
        .par_iter()
        .map(|(s, t)| {
            memo.text("resource", false, &mut made_of(settings, s, t), &mut || Arc::from(data::resource_text(s, t)))
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
            contact: s.contact.as_ref().map(views::ContactView::from),
            search_example: report.sections.first().and_then(|sec| views::search_example(&sec.title)),
            pdf: (cfg!(feature = "pdf") && s.pdf)
                .then(|| ZipView { href: format!("{}.pdf", s.zip_name), size: PDF_SIZE_TOKEN.to_string() }),
        };
        let nav = nav::tree(report);
        let salt = memo.digest(&mut |h| (&site, &nav, theme.fingerprint).hash(&mut &mut *h));
        Shared { report, theme, memo, site, nav, home, salt }
    }

    /// Renders `template`, or has the memo reuse what an earlier build
    /// rendered from the same inputs: `inputs` must hash everything the
    /// context holds besides what every page shares. The context is made
    /// only when the page is rendered. `worth_a_disk_read` is false for
    /// pages whose inputs (every section) cost as much to hash as the page
    /// to render.
    fn render_memo(
        &self,
        template: &'static str,
        inputs: &dyn Fn(&mut dyn Hasher),
        worth_a_disk_read: bool,
        ctx: impl Fn() -> tera::Context,
    ) -> Result<String, Diagnostic> {
        let mut failed = None;
        let mut all_inputs = |h: &mut dyn Hasher| {
            self.salt.hash(&mut &mut *h);
            inputs(h);
        };
        let html = self.memo.text(template, worth_a_disk_read, &mut all_inputs, &mut || match self
            .theme
            .render(template, &ctx())
        {
            Ok(html) => Arc::from(html),
            Err(d) => {
                failed = Some(d);
                Arc::from("")
            }
        });
        match failed {
            Some(d) => Err(d),
            None => Ok(html.to_string()),
        }
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
            href: html::page_href(&s.slug),
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
        let html = self.render_memo("section.html", &inputs, true, ctx)?;
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
        let inputs = |h: &mut dyn Hasher| (&page, &self.home).hash(&mut &mut *h);
        let html = self.render_memo("index.html", &inputs, true, ctx)?;
        Ok(OutputFile::from_parts("index.html", splice_bodies(html, |_| None)))
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
        let inputs = |h: &mut dyn Hasher| (&page, &sections, &parts).hash(&mut &mut *h);
        let html = self.render_memo("full.html", &inputs, false, ctx)?;
        let mut scoped: Vec<Option<Arc<str>>> = self
            .report
            .sections
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(s, b)| {
                let mut inputs = |h: &mut dyn Hasher| (&s.slug, b.fingerprint).hash(&mut &mut *h);
                let mut scoped = || Arc::from(scope_ids(&scope::demote_headings(&b.html), &format!("{}--", s.slug)));
                // Scoping is one quick pass: reading it back from disk cost more.
                Some(self.memo.text("scoped", false, &mut inputs, &mut scoped))
            })
            .collect();
        let parts = splice_bodies(html, |i| scoped.get_mut(i).and_then(Option::take).map(Part::Shared));
        Ok(OutputFile::from_parts("informe-completo.html", parts))
    }

    /// verificacion.html: every check of the report and every discrepancy.
    /// Made every build, without the cache: it reads every table.
    fn verification_page(&self) -> Result<OutputFile, Diagnostic> {
        let title = self.theme.string("verification_title");
        let page = PageView { kind: "verification", title, href: verification::HREF.into() };
        let mut ctx = self.context(page, &self.nav);
        ctx.insert("verification_html", &verification::page_html(self.report, self.theme));
        let html = self.theme.render("verification.html", &ctx)?;
        Ok(OutputFile::new(verification::HREF, html.into_bytes()))
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
                section_href: html::page_href(&s.slug),
                table_href: format!("{}#{}", html::page_href(&s.slug), html::table_anchor(&t.id)),
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
        let inputs = |h: &mut dyn Hasher| (&page, &datasets).hash(&mut &mut *h);
        let html = self.render_memo("data.html", &inputs, false, ctx)?;
        Ok(OutputFile::from_parts("datos.html", splice_bodies(html, |_| None)))
    }
}
