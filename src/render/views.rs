//! What templates see: small serialisable view structs, never model types.
//! See docs/theme-contract.md.

use crate::markdown::TocEntry;
use serde::Serialize;

/// The report, for every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub institution: String,
    pub period: String,
    pub lang: String,
    pub description: Option<String>,
    pub licence: Option<String>,
    pub intro_html: String,
    pub zip: ZipView,
}

/// The offline copy link.
#[derive(Debug, Clone, Serialize)]
pub struct ZipView {
    pub href: String,
    pub size: String,
}

/// One entry of the navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub slug: String,
    pub href: String,
    pub title: String,
    pub summary: Option<String>,
    pub number: usize,
    pub current: bool,
}

/// The current page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
}

/// A rendered section.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub slug: String,
    pub href: String,
    pub title: String,
    pub summary: Option<String>,
    pub number: usize,
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// A link to a neighbouring page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub href: String,
    pub title: String,
}

/// One data set on datos.html.
#[derive(Debug, Clone, Serialize)]
pub struct DatasetView {
    pub id: String,
    pub caption: String,
    pub source: Option<String>,
    pub section_title: String,
    pub section_href: String,
    pub table_href: String,
    pub csv_href: String,
    pub rows: usize,
}
