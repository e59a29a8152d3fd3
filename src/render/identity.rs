//! The office's identity on every page: logo, icon, and, only when the
//! settings give `base_url`, the absolute addresses that sharing needs
//! (canonical link, Open Graph and Twitter card tags, `sitemap.xml`).
//! Without `base_url` nothing here writes an absolute address. Also the
//! accessibility statement page (`accesibilidad.html`).

use super::file::OutputFile;
use super::views::PageView;
use super::Shared;
use crate::diagnostics::Diagnostic;
use crate::model::Report;
use serde::Serialize;
use std::fmt::Write as _;

/// The statement's page name.
pub(super) const ACCESSIBILITY_HREF: &str = "accesibilidad.html";

/// The logo as pages show it (`site.logo`).
#[derive(Debug, Clone, Hash, Serialize)]
pub(super) struct LogoView {
    pub src: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The page icon when the settings name one (`site.favicon`).
#[derive(Debug, Clone, Hash, Serialize)]
pub(super) struct FaviconView {
    pub href: String,
    /// `image/png`, `image/svg+xml`…
    pub mime: String,
}

/// What sharing needs, only with `base_url` (`site.share`).
#[derive(Debug, Clone, Hash, Serialize)]
pub(super) struct ShareView {
    /// `https://…/`, ending in a slash: a page's address is this and its href.
    pub base: String,
    /// The cover image, else the logo, as an absolute address.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// `summary_large_image` with a cover, else `summary`.
    pub card: &'static str,
    /// `es_CL`: the report's language as Open Graph writes it.
    pub locale: String,
}

/// The accessibility statement's inputs (`statement` in its template).
#[derive(Debug, Clone, Hash, Serialize)]
pub(super) struct StatementView {
    /// The limits the office declares, after cuenta's own.
    pub limits: Vec<String>,
    pub reviewed: Option<String>,
}

/// The logo of `report`, published under medios/ like every image.
pub(super) fn logo(report: &Report) -> Option<LogoView> {
    let logo = report.settings().identity.logo.as_ref()?;
    let media = report.media.get(&logo.image.path);
    Some(LogoView {
        src: media.map_or_else(|| logo.image.path.clone(), |m| m.href.clone()),
        alt: logo.alt.clone(),
        width: media.and_then(|m| m.size).map(|s| s.0),
        height: media.and_then(|m| m.size).map(|s| s.1),
    })
}

/// The icon `favicon:` names, if it does.
pub(super) fn favicon(report: &Report) -> Option<FaviconView> {
    let icon = report.settings().identity.favicon.as_ref()?;
    let href = report.media.get(&icon.path).map_or_else(|| icon.path.clone(), |m| m.href.clone());
    let ext = icon.path.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    let mime = match ext.as_str() {
        "svg" => "image/svg+xml",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "image/png",
    };
    Some(FaviconView { href, mime: mime.to_string() })
}

/// Sharing tags' data, when the report says where it is published.
pub(super) fn share(
    report: &Report,
    cover: Option<&super::views::ImageView>,
    logo: Option<&LogoView>,
) -> Option<ShareView> {
    let base = report.settings().identity.base_url.clone()?;
    let absolute = |src: &str| if is_absolute(src) { src.to_string() } else { format!("{base}{src}") };
    let (image, image_alt, card) = match (cover, logo) {
        (Some(c), _) => (Some(absolute(&c.src)), Some(c.alt.clone()), "summary_large_image"),
        (None, Some(l)) => (Some(absolute(&l.src)), Some(l.alt.clone()), "summary"),
        (None, None) => (None, None, "summary"),
    };
    let locale = report.settings().language.replace('-', "_");
    Some(ShareView { base, image, image_alt, card, locale })
}

fn is_absolute(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `sitemap.xml`: every page of the site at its absolute address, in the
/// order of `pages` (sorted by the caller).
pub(super) fn sitemap<'a>(base: &str, pages: impl Iterator<Item = &'a str>) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let loc = if page == "index.html" { base.to_string() } else { format!("{base}{page}") };
        let _ = writeln!(xml, "<url><loc>{}</loc></url>", crate::html::escape_html(&loc));
    }
    xml.push_str("</urlset>\n");
    OutputFile::new("sitemap.xml", xml.into_bytes())
}

impl Shared<'_> {
    /// accesibilidad.html, from the settings. Made every build: one short
    /// page.
    pub(super) fn accessibility_page(&self) -> Result<OutputFile, Diagnostic> {
        let title = self.theme.string("accessibility_title");
        let page = PageView { kind: "accessibility", title, href: ACCESSIBILITY_HREF.into() };
        let a = &self.report.settings().identity.accessibility;
        let statement = StatementView { limits: a.limits.clone(), reviewed: a.reviewed.clone() };
        let mut ctx = self.context(page, &self.nav);
        ctx.insert("statement", &statement);
        let layout = self.render_now("accessibility.html", &ctx)?;
        // The zip's size in the report links is a typed part of the page.
        Ok(OutputFile::from_parts(ACCESSIBILITY_HREF, super::page_parts(&layout, |_| None)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sitemap_lists_each_page_at_its_address_and_the_home_at_the_root() {
        let file = sitemap("https://gob.cl/c/", ["index.html", "a&b.html"].into_iter());
        let xml = String::from_utf8(file.bytes().into_owned()).expect("utf8");
        assert!(
            xml.contains(
                "<url><loc>https://gob.cl/c/</loc></url>\n<url><loc>https://gob.cl/c/a&amp;b.html</loc></url>"
            ),
            "{xml}"
        );
    }
}
