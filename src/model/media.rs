//! Images and attachments under content/, and every image and link of the
//! sections resolved against them and against the report's pages: each
//! target rewritten for the page, each broken one an error at its
//! file:line:col.

use super::xref::{Page, Targets};
use super::{Chapter, Section};
use crate::content::Asset;
use crate::diagnostics::{suggest, Diagnostic, Diagnostics, Message, Span};
use crate::html::page_href;
use crate::markdown::{references, Reference, Target};
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Images over this size get a warning: a phone on a mobile connection
/// downloads each one, and the offline copy carries them all. A photo
/// exported for the web at 1600 px wide stays well under it.
pub(super) const IMAGE_WARN_BYTES: u64 = 1024 * 1024;

/// Where images and attachments are published in the site.
const MEDIA_DIR: &str = "medios";

/// An image or attachment as the site publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Media {
    /// Path below content/: `02-logros/img/foto.jpg`.
    pub rel: String,
    /// Its address in the site: `medios/02-logros/img/foto.jpg`.
    pub href: String,
    pub bytes: Arc<Vec<u8>>,
    /// Width and height of an image, read from its header.
    pub size: Option<(u32, u32)>,
}

fn is_image(rel: &str) -> bool {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(ext.as_str(), "png" | "jpg" | "jpeg" | "webp" | "svg")
}

/// The report's media, keyed by path below content/. An SVG that carries
/// script is refused.
pub(super) fn load(assets: Vec<Asset>, diags: &mut Diagnostics) -> BTreeMap<String, Media> {
    let mut media = BTreeMap::new();
    for asset in assets {
        let shown = format!("content/{}", asset.rel);
        let svg = asset.rel.to_ascii_lowercase().ends_with(".svg");
        if svg && has_script(&asset.bytes) {
            diags.push(Diagnostic::file_error(&shown, Message::SvgWithScript));
            continue;
        }
        let size = if svg {
            svg_size(&asset.bytes)
        } else if is_image(&asset.rel) {
            imagesize::blob_size(&asset.bytes)
                .ok()
                .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)))
        } else {
            None
        };
        let href = format!("{MEDIA_DIR}/{}", asset.rel);
        media.insert(asset.rel.clone(), Media { rel: asset.rel, href, bytes: asset.bytes, size });
    }
    media
}

/// Script elements, event handler attributes or `javascript:` URLs: an SVG
/// opened from the site would run them.
fn has_script(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    if text.contains("<script") || text.contains("javascript:") || text.contains("<foreignobject") {
        return true;
    }
    // ` onload=`, `\tonclick =` …: an attribute whose name starts with "on".
    text.match_indices("on").any(|(i, _)| {
        let before = text[..i].chars().next_back().is_some_and(char::is_whitespace);
        let name_end = text[i..].find(|c: char| !c.is_ascii_alphabetic()).map_or(text.len(), |e| i + e);
        before && name_end > i + 2 && text[name_end..].trim_start().starts_with('=')
    })
}

/// An SVG's width and height attributes (in px or plain numbers), else its
/// viewBox's.
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}="))? + name.len() + 2;
        let quote = tag[at..].chars().next()?;
        let rest = &tag[at + 1..];
        Some(rest[..rest.find(quote)?].to_string())
    };
    let px =
        |v: String| v.trim().trim_end_matches("px").parse::<f64>().ok().filter(|n| *n > 0.0).map(|n| n.round() as u32);
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w, h));
    }
    let view: Vec<f64> = attr("viewBox")?.split([' ', ',']).filter_map(|n| n.parse().ok()).collect();
    match view[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

/// `a/./b/../c` → `a/c`; None when it climbs above its root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A URL with a scheme (`https:`, `mailto:`) or protocol-relative: not ours.
fn is_external(url: &str) -> bool {
    let scheme =
        url.find(':').is_some_and(|i| url[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
    scheme || url.starts_with("//")
}

/// What the report's pages and files are called, for resolving links.
pub(super) struct Index<'a> {
    /// `content/02-x/01-y.md` → page href.
    files: BTreeMap<String, String>,
    /// Every page name the site has.
    pages: Vec<String>,
    media: &'a BTreeMap<String, Media>,
    /// Numbers, ids and anchors: see [`super::xref`].
    targets: Targets<'a>,
}

impl<'a> Index<'a> {
    pub(super) fn new(sections: &'a [Section], chapters: &'a [Chapter], media: &'a BTreeMap<String, Media>) -> Self {
        let mut files = BTreeMap::new();
        let mut pages: Vec<String> = crate::slug::RESERVED_PAGES.iter().map(|p| page_href(p)).collect();
        for s in sections {
            files.insert(s.file.display.clone(), page_href(&s.slug));
            pages.push(page_href(&s.slug));
        }
        for c in chapters {
            if let Some(f) = &c.file {
                files.insert(f.display.clone(), page_href(&c.slug));
            }
            pages.push(page_href(&c.slug));
        }
        Index { files, pages, media, targets: Targets::new(sections, chapters) }
    }

    /// Resolves `url` written on page `page`, in file `from` (its display path).
    fn resolve(&self, page: Page, from: &str, url: &str) -> Result<Option<Target>, Option<String>> {
        if let Some(fragment) = url.strip_prefix('#') {
            return self.targets.fragment(page, fragment);
        }
        if url.is_empty() || is_external(url) {
            return Ok(None);
        }
        let (path, fragment) = match url.find(['#', '?']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let anchor = fragment.strip_prefix('#').unwrap_or("");
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let here = normalise(&format!("{dir}/{path}"));
        if path.ends_with(".md") {
            return match here.as_ref().and_then(|p| self.files.get(p)) {
                Some(href) => {
                    self.targets.anchor_of(href, anchor).map_err(|s| s.map(|s| format!("{path}#{s}")))?;
                    Ok(Some(Target { href: format!("{href}{fragment}"), size: None }))
                }
                None => Err(suggest(path, self.files.keys().filter_map(|f| f.rsplit('/').next()))),
            };
        }
        if !path.contains('/') && path.ends_with(".html") {
            return if self.pages.iter().any(|p| p == path) {
                self.targets.anchor_of(path, anchor).map(|()| None).map_err(|s| s.map(|s| format!("{path}#{s}")))
            } else {
                Err(suggest(path, self.pages.iter().map(String::as_str)))
            };
        }
        let below = |p: Option<String>| p.and_then(|p| p.strip_prefix("content/").map(str::to_string));
        let found = [below(here), normalise(path)].into_iter().flatten().find_map(|p| self.media.get(&p));
        match found {
            Some(m) => Ok(Some(Target { href: format!("{}{fragment}", m.href), size: m.size })),
            None => {
                // Offered as the editor would write it from this file.
                let folder = dir.strip_prefix("content").map_or("", |d| d.trim_start_matches('/'));
                let near = |k: &'a String| match k.strip_prefix(folder).and_then(|k| k.strip_prefix('/')) {
                    Some(rel) if !folder.is_empty() => rel,
                    _ => k.as_str(),
                };
                Err(suggest(path, self.media.keys().map(near)))
            }
        }
    }
}

/// Prose with links: a section's body or a chapter's intro.
pub(super) struct Prose<'a> {
    pub page: Page,
    pub file: &'a SourceFile,
    pub body: &'a str,
    /// The file line the body starts on.
    pub body_line: usize,
}

impl<'a> Prose<'a> {
    pub(super) fn of_section(sections: &'a [Section], i: usize) -> Self {
        let s = &sections[i];
        Prose { page: Page::Section(i), file: &s.file, body: &s.body, body_line: s.body_line }
    }

    /// A chapter's intro; None for a folder without `_index.md`.
    pub(super) fn of_chapter(chapters: &'a [Chapter], c: usize) -> Option<Self> {
        let ch = &chapters[c];
        Some(Prose { page: Page::Chapter(c), file: ch.file.as_ref()?, body: &ch.body, body_line: ch.body_line })
    }
}

/// Resolves every image and link of `prose`: the rewritten targets, by the
/// URL as written. Broken ones (a file, page, anchor, number or id that is
/// not there), images without alt text and heavy images are diagnostics at
/// their place in the file.
pub(super) fn links_of(prose: &Prose<'_>, index: &Index<'_>, diags: &mut Diagnostics) -> BTreeMap<String, Target> {
    let text = &prose.file.text;
    let body_start = text.len().checked_sub(prose.body.len()).filter(|s| text[*s..] == prose.body[..]);
    let mut links = BTreeMap::new();
    for r in references(prose.body) {
        let span = span_of(prose, body_start, &r);
        match index.resolve(prose.page, &prose.file.display, &r.url) {
            Ok(Some(target)) => {
                let heavy = index
                    .media
                    .values()
                    .find(|m| m.href == target.href)
                    .filter(|m| m.bytes.len() as u64 > IMAGE_WARN_BYTES);
                if let (true, Some(m)) = (r.image, heavy) {
                    let size = m.bytes.len() as u64;
                    diags.push(Diagnostic::warning(
                        prose.file,
                        span,
                        Message::ImageTooLarge { size, limit: IMAGE_WARN_BYTES },
                    ));
                }
                links.insert(r.url.clone(), target);
            }
            Ok(None) => {}
            Err(suggestion) => {
                let message = if r.url.contains('#') && !broken_path(index, prose, &r.url) {
                    Message::UnknownAnchor { target: r.url.clone(), suggestion }
                } else {
                    Message::BrokenLink { target: r.url.clone(), suggestion }
                };
                diags.push(Diagnostic::error(prose.file, span, message));
            }
        }
        if r.image && r.no_alt {
            diags.push(Diagnostic::warning(prose.file, span, Message::MissingAltText));
        }
    }
    links
}

/// True when what comes before the `#` of `url` is itself not found: the
/// error is about the file, not the anchor.
fn broken_path(index: &Index<'_>, prose: &Prose<'_>, url: &str) -> bool {
    let path = url.split('#').next().unwrap_or("");
    !path.is_empty() && index.resolve(prose.page, &prose.file.display, path).is_err()
}

/// The reference's line and column in the file.
fn span_of(prose: &Prose<'_>, body_start: Option<usize>, r: &Reference) -> Span {
    match body_start {
        Some(start) => {
            let (line, col) = prose.file.position(start + r.offset);
            Span::new(line, col)
        }
        None => {
            let before = prose.body.get(..r.offset).unwrap_or("");
            Span::new(prose.body_line + before.matches('\n').count(), 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_within_their_root() {
        assert_eq!(normalise("content/02-x/../img/a.png").as_deref(), Some("content/img/a.png"));
        assert_eq!(normalise("content/./a.md").as_deref(), Some("content/a.md"));
        assert_eq!(normalise("../../a"), None);
    }

    #[test]
    fn svg_with_script_or_handlers_is_recognised() {
        assert!(has_script(b"<svg><script>alert(1)</script></svg>"));
        assert!(has_script(b"<svg onload=\"x()\"></svg>"));
        assert!(has_script(b"<svg><a href=\"javascript:x()\"/></svg>"));
        assert!(!has_script(b"<svg><text>Montones de gente</text></svg>"));
    }

    #[test]
    fn svg_size_comes_from_its_attributes_or_view_box() {
        assert_eq!(svg_size(b"<svg width=\"120px\" height='80'>"), Some((120, 80)));
        assert_eq!(svg_size(b"<?xml?><svg viewBox=\"0 0 300 150\">"), Some((300, 150)));
        assert_eq!(svg_size(b"<svg>"), None);
    }
}
