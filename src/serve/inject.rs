//! What `serve` adds to a page on its way to the browser: a script that
//! long-polls the events endpoint and reloads when the version changes, and,
//! while the latest build has errors, an overlay with the same text the
//! terminal printed. Built files never contain any of this.

use super::live::Problem;
use crate::diagnostics::{Lang, Severity};
use crate::markdown::escape_html;
use std::fmt::Write as _;

/// The long-poll endpoint the reload script asks.
pub(crate) const EVENTS_PATH: &str = "/__cuenta/events";

/// Marks the injected markup, so tests and people can find it.
pub(crate) const SCRIPT_ID: &str = "cuenta-serve-reload";
/// The id of the error overlay.
pub(crate) const OVERLAY_ID: &str = "cuenta-serve-error";

/// `html` with the reload script (and the overlay, if `problem`) inserted
/// before the last `</body>`, or at the end when there is none.
pub(super) fn into_page(html: &[u8], version: u64, problem: Option<&Problem>) -> Vec<u8> {
    let mut snippet = String::new();
    if let Some(p) = problem {
        snippet.push_str(&overlay(p));
    }
    snippet.push_str(&script(version));
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page knows the version it was served from; any other version means a
/// rebuild finished (good or failed), and a reload shows it. The scroll
/// position survives the reload, so an editor keeps their place.
fn script(version: u64) -> String {
    format!(
        r#"<script id="{SCRIPT_ID}">(function(){{var v={version},k="cuenta-serve-scroll",s=sessionStorage.getItem(k);if(s!==null){{sessionStorage.removeItem(k);addEventListener("load",function(){{scrollTo(0,+s)}})}}function poll(){{fetch("{EVENTS_PATH}?since="+v,{{cache:"no-store"}}).then(function(r){{return r.json()}}).then(function(e){{if(e.version!==v){{sessionStorage.setItem(k,String(scrollY));location.reload()}}else{{poll()}}}},function(){{setTimeout(poll,1000)}})}}poll()}})();</script>"#
    )
}

/// The failed build over the page: how many errors and warnings, then
/// each diagnostic as the terminal printed it, errors first, each set apart
/// by its colour, its icon and its word.
fn overlay(p: &Problem) -> String {
    let (title, close) = match p.lang {
        Lang::Es => ("La última versión tiene errores; se muestra la anterior hasta que los corrija.", "cerrar"),
        Lang::En => ("The latest version has errors; the previous one is shown until they are fixed.", "close"),
    };
    let mut items = String::new();
    for (severity, text) in &p.items {
        let (class, icon, colour) = match severity {
            Severity::Error => ("cuenta-serve-item-error", "✖", "#ff8a7a"),
            Severity::Warning => ("cuenta-serve-item-warning", "▲", "#ffd75e"),
        };
        let _ = write!(
            items,
            r#"<li class="{class}" style="margin:0 0 .75rem;padding:.25rem 0 .25rem .75rem;border-left:4px solid {colour}"><span aria-hidden="true" style="color:{colour};font-weight:bold">{icon} </span><pre style="display:inline;margin:0;white-space:pre-wrap;color:{colour}">{}</pre></li>"#,
            escape_html(text)
        );
    }
    format!(
        concat!(
            r#"<div id="{id}" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;background:rgba(20,20,20,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace">"#,
            r#"<button type="button" onclick="this.parentNode.remove()" style="float:right;font:inherit">{close}</button>"#,
            r#"<p style="margin:0 0 .5rem;color:#ffb4a8;font-weight:bold">cuenta: {title}</p>"#,
            r#"<p class="cuenta-serve-counts" style="margin:0 0 1rem">{counts}</p>"#,
            r#"<ol style="list-style:none;margin:0;padding:0">{items}</ol>"#,
            r#"<pre style="margin:0;white-space:pre-wrap">{summary}</pre></div>"#
        ),
        id = OVERLAY_ID,
        close = close,
        title = title,
        counts = counts(p),
        items = items,
        summary = escape_html(&p.summary)
    )
}

/// "2 errores, 1 advertencia" / "1 error, 0 warnings".
fn counts(p: &Problem) -> String {
    let (errors, warnings) = (p.count(Severity::Error), p.count(Severity::Warning));
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match p.lang {
        Lang::Es => {
            format!("{}, {}", plural(errors, "error", "errores"), plural(warnings, "advertencia", "advertencias"))
        }
        Lang::En => format!("{}, {}", plural(errors, "error", "errors"), plural(warnings, "warning", "warnings")),
    }
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_closing_body() {
        let page = String::from_utf8(into_page(b"<html><body><p>hola</p></BODY></html>", 7, None)).expect("utf8");
        let script = page.find(SCRIPT_ID).expect("script");
        assert!(script < page.find("</BODY>").expect("body"), "{page}");
        assert!(page.contains("var v=7,"), "{page}");
        assert!(!page.contains(OVERLAY_ID));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_the_end() {
        let page = String::from_utf8(into_page(b"<p>x</p>", 1, None)).expect("utf8");
        assert!(page.starts_with("<p>x</p><script"), "{page}");
    }

    #[test]
    fn the_overlay_escapes_the_diagnostics() {
        let p = Problem::failure("content/a.md:3:1: error: <b> & 'x'\n".into(), Lang::En);
        let page = String::from_utf8(into_page(b"<body></body>", 2, Some(&p))).expect("utf8");
        assert!(page.contains(">content/a.md:3:1: error: &lt;b&gt; &amp; &#39;x&#39;\n</pre>"), "{page}");
        assert!(page.contains("The latest version has errors"));
    }

    #[test]
    fn the_overlay_counts_errors_and_warnings_and_shows_errors_first_set_apart() {
        use crate::diagnostics::{Diagnostic, Message, Span};
        use crate::source::SourceFile;
        let file = SourceFile::new(std::path::Path::new("a.md"), "content/a.md".into(), "x\ny\nz\n");
        let diags = [
            Diagnostic::warning(&file, Span::new(1, 1), Message::MissingAltText),
            Diagnostic::error(&file, Span::new(2, 1), Message::SvgWithScript),
            Diagnostic::warning(&file, Span::new(3, 1), Message::MissingAltText),
        ];
        let p = Problem::from_diagnostics(&diags, "cuenta: resumen".into(), Lang::Es);
        let page = String::from_utf8(into_page(b"<body></body>", 2, Some(&p))).expect("utf8");
        assert!(
            page.contains(r#"<p class="cuenta-serve-counts" style="margin:0 0 1rem">1 error, 2 advertencias</p>"#),
            "{page}"
        );
        let error = page.find("cuenta-serve-item-error").expect("error item");
        let warnings: Vec<usize> = page.match_indices("cuenta-serve-item-warning").map(|(i, _)| i).collect();
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| *w > error), "errors first");
        assert!(page[error..].starts_with(r#"cuenta-serve-item-error" style="margin:0 0 .75rem;padding:.25rem 0 .25rem .75rem;border-left:4px solid #ff8a7a"><span aria-hidden="true" style="color:#ff8a7a;font-weight:bold">✖ </span>"#), "{page}");
        assert!(page.contains(r#"color:#ffd75e;font-weight:bold">▲ </span>"#));
        assert!(page.contains(">content/a.md:2:1: error: la imagen SVG contiene código"), "{page}");
        let en = Problem::from_diagnostics(&diags[1..2], String::new(), Lang::En);
        let page = String::from_utf8(into_page(b"", 1, Some(&en))).expect("utf8");
        assert!(page.contains(">1 error, 0 warnings</p>"), "{page}");
    }
}
