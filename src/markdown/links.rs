//! Which link and image targets may reach a page, and control characters
//! kept off it. A target is allowed when it names http, https, mailto or tel,
//! or no scheme at all (a relative path, `//host/…`, `?query`, `#fragment`):
//! `javascript:`, `vbscript:` and `data:` would run script in the site's
//! origin with one click. The scheme is read the way a browser reads it —
//! after pulldown-cmark has decoded entities and backslash escapes, with
//! leading spaces and controls skipped, tabs and newlines removed, and case
//! folded — so `JaVa&#x09;Script:` is seen for what it is.
//!
//! A refused link keeps its text and loses its target; a refused image
//! becomes its alternative text. Callers turn the refusals into diagnostics.
//! Raw HTML loses the theme's online-only marks (see [`crate::html::unmark_online`]).

use crate::diagnostics::{Diagnostic, Message, Span};
use crate::source::SourceFile;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// The schemes a link or image may name.
const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// True when `target` may be the `href` or `src` of a page.
pub(super) fn allowed(target: &str) -> bool {
    if target.chars().any(|c| is_control(c) && !matches!(c, '\t' | '\n' | '\r')) {
        return false;
    }
    // The URL standard: leading and trailing C0 controls and spaces are
    // stripped, and tabs and newlines anywhere are removed.
    let cleaned: String =
        target.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    match scheme(&cleaned) {
        None => true,
        Some(s) => ALLOWED_SCHEMES.iter().any(|a| s.eq_ignore_ascii_case(a)),
    }
}

/// The scheme of `url`: what comes before the first `:` when that colon
/// comes before any `/`, `?` or `#`. A scheme that does not start with a
/// letter, or holds other characters than letters, digits, `+`, `-` and `.`,
/// makes a browser read the whole as a relative path; it is still returned
/// (and so refused) rather than second-guessed, unless it is empty.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    (url.as_bytes()[end] == b':' && end > 0).then(|| &url[..end])
}

/// C0 controls, DEL and C1 controls.
pub(super) fn is_control(c: char) -> bool {
    c.is_control()
}

/// `text` without control characters other than tab and newline (which
/// HTML treats as spaces).
pub(super) fn without_controls(text: &str) -> Option<String> {
    let dirty = text.chars().any(|c| is_control(c) && !matches!(c, '\t' | '\n'));
    dirty.then(|| text.chars().filter(|&c| !is_control(c) || matches!(c, '\t' | '\n')).collect())
}

/// A link or image target that was taken out, and where its Markdown starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refused {
    pub offset: usize,
    pub target: String,
}

/// The events with control characters removed from text and, when `check`
/// holds, refused targets taken out (see the module comment).
pub(super) fn filter<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    check: bool,
) -> (Vec<Event<'a>>, Vec<Refused>) {
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let mut open: Vec<bool> = Vec::new();
    for (event, range) in events {
        let (kept, bad) = step(event, check, &mut open);
        out.extend(kept);
        if let Some(target) = bad {
            refused.push(Refused { offset: range.start, target });
        }
    }
    (out, refused)
}

/// [`filter`] over a body's items (placements pass through untouched).
pub(super) fn filter_items(items: Vec<super::Item<'_>>, check: bool) -> Vec<super::Item<'_>> {
    let mut open: Vec<bool> = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            super::Item::Md(event) => out.extend(step(event, check, &mut open).0.map(super::Item::Md)),
            placed => out.push(placed),
        }
    }
    out
}

/// The errors for the refused targets of a body (which starts at file line
/// `first_line`), read from its own parse so that each has its offset.
pub(super) fn body_diagnostics(file: &SourceFile, body: &str, first_line: usize) -> Vec<Diagnostic> {
    let events = pulldown_cmark::Parser::new_ext(body, super::options()).into_offset_iter();
    let refused = filter(events, true).1;
    diagnostics(file, body, first_line, &refused)
}

/// One event through the filter: the event to keep (None when a refused
/// link's or image's tag is dropped) and the refused target, if any.
/// `open` holds, per open link or image, whether its tags were dropped.
fn step<'a>(event: Event<'a>, check: bool, open: &mut Vec<bool>) -> (Option<Event<'a>>, Option<String>) {
    match event {
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            let bad = check && !allowed(dest_url);
            open.push(bad);
            if bad {
                (None, Some(dest_url.to_string()))
            } else {
                (Some(clean_tag(event)), None)
            }
        }
        // A fenced block's info string becomes `class="language-…"`.
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            (Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(clean(info))))), None)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => (open.pop().is_none_or(|dropped| !dropped).then_some(event), None),
        Event::Text(t) => (Some(Event::Text(clean(t))), None),
        Event::Code(t) => (Some(Event::Code(clean(t))), None),
        Event::Html(t) => (Some(Event::Html(unmark(clean(t)))), None),
        Event::InlineHtml(t) => (Some(Event::InlineHtml(unmark(clean(t)))), None),
        other => (Some(other), None),
    }
}

/// Raw HTML without the theme's online-only marks: an editor's comment
/// must not hide part of a page from the offline copy.
fn unmark(html: CowStr<'_>) -> CowStr<'_> {
    match crate::html::unmark_online(&html) {
        Some(plain) => CowStr::from(plain),
        None => html,
    }
}

/// A kept link or image with control characters out of its target and title.
fn clean_tag(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: clean(dest_url), title: clean(title), id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: clean(dest_url), title: clean(title), id })
        }
        other => other,
    }
}

fn clean(text: CowStr<'_>) -> CowStr<'_> {
    match without_controls(&text) {
        Some(cleaned) => CowStr::from(cleaned),
        None => text,
    }
}

/// At most this many refused targets of one body are reported: each error
/// quotes its line, and 15,000 links on one 375 KB line printed gigabytes.
/// The page drops every one of them regardless.
const MAX_REPORTED: usize = 100;

/// The errors for a body's refused targets, in the order found; `text` is
/// the scanned body, whose line `i` (from 0) is line `first_line + i` of
/// `file`. One walk through the text for all of them: counting lines from
/// the start for each one took a minute for 20,000 links.
pub(super) fn diagnostics(file: &SourceFile, text: &str, first_line: usize, refused: &[Refused]) -> Vec<Diagnostic> {
    let refused = &refused[..refused.len().min(MAX_REPORTED)];
    let mut out = Vec::with_capacity(refused.len());
    let (mut at, mut line, mut line_start) = (0, first_line, 0);
    for r in refused {
        let offset = r.offset.min(text.len());
        if offset < at {
            // Offsets come in order; a reference definition may not.
            (at, line, line_start) = (0, first_line, 0);
        }
        for (i, _) in text[at..offset].match_indices('\n') {
            line += 1;
            line_start = at + i + 1;
        }
        at = offset;
        let col = text[line_start..offset].chars().count() + 1;
        out.push(Diagnostic::error(file, Span::new(line, col), Message::UnsafeLink { target: shown(&r.target) }));
    }
    out
}

/// A target as a message shows it: controls made visible, long ones cut.
pub(super) fn shown(target: &str) -> String {
    let mut out: String = target.chars().take(60).map(|c| if is_control(c) { '\u{FFFD}' } else { c }).collect();
    if target.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The first target in inline Markdown `text` that a page would refuse.
pub(super) fn first_refused(text: &str) -> Option<String> {
    if !text.contains(['[', '<']) {
        return None;
    }
    let events = pulldown_cmark::Parser::new_ext(text, super::options()).into_offset_iter();
    filter(events, true).1.into_iter().next().map(|r| shown(&r.target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_and_phone_schemes_and_relative_targets_are_allowed() {
        let allowed_targets = [
            "https://www.gob.cl/",
            "http://example.org/a?b#c",
            "HTTPS://GOB.CL",
            "mailto:oficina@gob.cl",
            "tel:+56221234567",
            "seguridad.html",
            "datos/visas.csv",
            "../otra.html",
            "#resumen",
            "?q=1",
            "//cdn.example.org/x.png",
            "a/b:c",
            "",
        ];
        for t in allowed_targets {
            assert!(allowed(t), "{t}");
        }
        let refused_targets = [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml;base64,PHN2Zz4=",
            "file:///etc/passwd",
            "java\u{0}script:alert(1)",
            "https://gob.cl/\u{0}",
        ];
        for t in refused_targets {
            assert!(!allowed(t), "{t:?}");
        }
    }

    #[test]
    fn entity_and_escape_variants_are_seen_after_decoding() {
        for text in [
            "[x](javascript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](<javascript:alert(1)>)",
            "<javascript:alert(1)>",
            "![x](data:image/svg+xml,<svg>)",
            "[x][r]\n\n[r]: JAVASCRIPT:alert(1)",
            "[![i](a.png)](vbscript:x)",
        ] {
            assert!(first_refused(text).is_some(), "{text}");
        }
        assert_eq!(first_refused("[x](https://gob.cl) y [y](#a)"), None);
    }

    #[test]
    fn errors_are_placed_in_one_walk_and_capped_per_body() {
        let text = "uno\n[a](javascript:x) b\ndos [c](data:y)\n";
        let file = SourceFile::new(std::path::Path::new("a.md"), "a.md".into(), text);
        let refused = filter(pulldown_cmark::Parser::new_ext(text, super::super::options()).into_offset_iter(), true).1;
        let at: Vec<(usize, usize)> =
            diagnostics(&file, text, 1, &refused).iter().map(|d| (d.span.line, d.span.col)).collect();
        assert_eq!(at, [(2, 1), (3, 5)]);
        let many = "[a](javascript:x) ".repeat(150);
        let refused =
            filter(pulldown_cmark::Parser::new_ext(&many, super::super::options()).into_offset_iter(), true).1;
        assert_eq!(refused.len(), 150);
        assert_eq!(diagnostics(&file, &many, 1, &refused).len(), MAX_REPORTED);
    }

    #[test]
    fn a_refused_link_keeps_its_text_and_an_image_its_alternative_text() {
        let render = |text: &str| {
            let events = pulldown_cmark::Parser::new_ext(text, super::super::options()).into_offset_iter();
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, filter(events, true).0.into_iter());
            html
        };
        assert_eq!(render("[clic](javascript:alert(1))"), "<p>clic</p>\n");
        assert_eq!(render("![logo](data:image/png;base64,AAAA)"), "<p>logo</p>\n");
        assert_eq!(render("[![i](a.png)](vbscript:x)"), "<p><img src=\"a.png\" alt=\"i\" /></p>\n");
        assert_eq!(render("[ok](https://gob.cl)"), "<p><a href=\"https://gob.cl\">ok</a></p>\n");
        assert_eq!(render("a\u{1}b\u{7f}c\u{85}d"), "<p>abcd</p>\n");
    }
}
