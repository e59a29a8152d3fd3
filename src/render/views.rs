//! What templates see: small serialisable view structs, never model types.
//! See docs/theme-contract.md.

use crate::markdown::TocEntry;
use serde::Serialize;

/// The report, for every template.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct SiteView {
    pub title: String,
    pub institution: String,
    pub period: String,
    pub lang: String,
    pub description: Option<String>,
    pub licence: Option<String>,
    pub intro_html: String,
    pub zip: ZipView,
    /// The office's previous reports, newest first.
    pub previous: Vec<PreviousView>,
    /// The office's contact (OIRS), when the settings give one.
    pub contact: Option<ContactView>,
    /// A word of this report for the search box's example (the longest
    /// word of the first section's title), so the example finds something.
    pub search_example: Option<String>,
    /// The report as a PDF, when the build makes one.
    pub pdf: Option<ZipView>,
}

/// The longest word of `title` (at least four letters), in lower case.
pub fn search_example(title: &str) -> Option<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .rev()
        .max_by_key(|w| w.chars().count())
        .map(str::to_lowercase)
}

/// The office's contact, with the link targets of its email and phone.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ContactView {
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `tel:` followed by the phone's digits and a leading `+`.
    pub phone_href: Option<String>,
}

impl From<&crate::config::Contact> for ContactView {
    fn from(c: &crate::config::Contact) -> Self {
        let phone_href = c.phone.as_ref().map(|p| {
            let digits: String = p.chars().filter(|ch| ch.is_ascii_digit() || *ch == '+').collect();
            format!("tel:{digits}")
        });
        ContactView { address: c.address.clone(), email: c.email.clone(), phone: c.phone.clone(), phone_href }
    }
}

/// A download link: the offline copy, the PDF.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ZipView {
    pub href: String,
    pub size: String,
}

/// One entry of the navigation.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct NavItem {
    pub slug: String,
    pub href: String,
    pub title: String,
    pub summary: Option<String>,
    /// The number shown, "4.1" or "IV"; empty when it has none.
    pub number: String,
    pub current: bool,
    /// "chapter" or "section".
    pub kind: &'static str,
    /// A chapter's sections: all of them on the home page, only on the
    /// pages of that chapter elsewhere.
    pub sections: Vec<NavItem>,
}

/// The current page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
}

/// A rendered section.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct SectionView {
    pub slug: String,
    pub href: String,
    pub title: String,
    pub summary: Option<String>,
    pub number: String,
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// A link to a neighbouring page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct LinkView {
    pub href: String,
    pub title: String,
    pub number: String,
}

/// A chapter: its page, or its opening on the whole-report page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ChapterView {
    pub slug: String,
    pub href: String,
    pub title: String,
    pub summary: Option<String>,
    pub number: String,
    /// The rendered intro of its `_index.md` (use |safe).
    pub intro_html: String,
    pub sections: Vec<NavItem>,
}

/// The whole-report page as read: each chapter (None for sections outside
/// any) with its sections.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PartView {
    pub chapter: Option<ChapterView>,
    pub sections: Vec<SectionView>,
}

/// One data set on datos.html.
#[derive(Debug, Clone, Hash, Serialize)]
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

/// One key figure of the home page, read from its checked table.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct KeyFigureView {
    /// As the table shows it ("13.014", "99,86 %").
    pub value: String,
    pub label: String,
    /// The table it comes from.
    pub href: String,
    pub caption: String,
}

/// An image with its text alternative.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct ImageView {
    pub src: String,
    pub alt: String,
}

/// The authority who presents the report.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct AuthorityView {
    pub name: String,
    pub role: Option<String>,
    pub photo: Option<ImageView>,
    pub message_html: String,
}

/// The home page besides the introduction (template variable `home`).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct HomeView {
    pub figures: Vec<KeyFigureView>,
    pub authority: Option<AuthorityView>,
    pub cover: Option<ImageView>,
    /// "How to take part", while the participation process is open.
    pub participate_html: String,
}

/// A previous report of the office (`site.previous`).
#[derive(Debug, Clone, Hash, Serialize)]
pub struct PreviousView {
    pub year: i32,
    pub title: String,
    pub url: String,
}
