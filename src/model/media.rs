//! Images and attachments under content/, and every image and link of the
//! sections resolved against them and against the report's pages: each
//! target rewritten for the page, each broken one an error at its
//! file:line:col.

use super::{Chapter, Section};
use crate::content::Asset;
use crate::diagnostics::{suggest, Diagnostic, Diagnostics, Message, Span};
use crate::markdown::{references, Reference, Target};
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
}

impl<'a> Index<'a> {
    pub(super) fn new(sections: &[Section], chapters: &[Chapter], media: &'a BTreeMap<String, Media>) -> Self {
        let mut files = BTreeMap::new();
        let mut pages: Vec<String> = crate::slug::RESERVED_PAGES.iter().map(|p| format!("{p}.html")).collect();
        for s in sections {
            files.insert(s.file.display.clone(), format!("{}.html", s.slug));
            pages.push(format!("{}.html", s.slug));
        }
        for c in chapters {
            if let Some(f) = &c.file {
                files.insert(f.display.clone(), format!("{}.html", c.slug));
            }
            pages.push(format!("{}.html", c.slug));
        }
        Index { files, pages, media }
    }

    /// Resolves `url` written in `from` (a file's display path).
    fn resolve(&self, from: &str, url: &str) -> Result<Option<Target>, Option<String>> {
        if url.is_empty() || url.starts_with('#') || is_external(url) {
            return Ok(None);
        }
        let (path, fragment) = match url.find(['#', '?']) {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let here = normalise(&format!("{dir}/{path}"));
        if path.ends_with(".md") {
            return match here.as_ref().and_then(|p| self.files.get(p)) {
                Some(href) => Ok(Some(Target { href: format!("{href}{fragment}"), size: None })),
                None => Err(suggest(path, self.files.keys().filter_map(|f| f.rsplit('/').next()))),
            };
        }
        if !path.contains('/') && path.ends_with(".html") {
            return if self.pages.iter().any(|p| p == path) {
                Ok(None)
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

/// Resolves every image and link of `section`: the rewritten targets, by
/// the URL as written. Broken ones, images without alt text and heavy images
/// are diagnostics at their place in the file.
pub(super) fn links_of(section: &Section, index: &Index<'_>, diags: &mut Diagnostics) -> BTreeMap<String, Target> {
    let body_start =
        section.file.text.len().checked_sub(section.body.len()).filter(|s| section.file.text[*s..] == section.body[..]);
    let mut links = BTreeMap::new();
    for r in references(&section.body) {
        let span = span_of(section, body_start, &r);
        match index.resolve(&section.file.display, &r.url) {
            Ok(Some(target)) => {
                let heavy = index
                    .media
                    .values()
                    .find(|m| m.href == target.href)
                    .filter(|m| m.bytes.len() as u64 > IMAGE_WARN_BYTES);
                if let (true, Some(m)) = (r.image, heavy) {
                    let size = m.bytes.len() as u64;
                    diags.push(Diagnostic::warning(
                        &section.file,
                        span,
                        Message::ImageTooLarge { size, limit: IMAGE_WARN_BYTES },
                    ));
                }
                links.insert(r.url.clone(), target);
            }
            Ok(None) => {}
            Err(suggestion) => {
                let message = Message::BrokenLink { target: r.url.clone(), suggestion };
                diags.push(Diagnostic::error(&section.file, span, message));
            }
        }
        if r.image && r.no_alt {
            diags.push(Diagnostic::warning(&section.file, span, Message::MissingAltText));
        }
    }
    links
}

/// The reference's line and column in the file.
fn span_of(section: &Section, body_start: Option<usize>, r: &Reference) -> Span {
    match body_start {
        Some(start) => {
            let (line, col) = section.file.position(start + r.offset);
            Span::new(line, col)
        }
        None => {
            let before = section.body.get(..r.offset).unwrap_or("");
            Span::new(section.body_line + before.matches('\n').count(), 1)
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
