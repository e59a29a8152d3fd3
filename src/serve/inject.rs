//! What `serve` adds to a page on its way to the browser: a script that
//! long-polls the events endpoint and reloads when the version changes, and,
//! while the latest build has errors, an overlay with the same text the
//! terminal printed. Built files never contain any of this.

use super::live::Problem;
use crate::diagnostics::Lang;
use crate::markdown::escape_html;

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

fn overlay(p: &Problem) -> String {
    let (title, close) = match p.lang {
        Lang::Es => ("La última versión tiene errores; se muestra la anterior hasta que los corrija.", "cerrar"),
        Lang::En => ("The latest version has errors; the previous one is shown until they are fixed.", "close"),
    };
    format!(
        concat!(
            r#"<div id="{id}" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;background:rgba(20,20,20,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace">"#,
            r#"<button type="button" onclick="this.parentNode.remove()" style="float:right;font:inherit">{close}</button>"#,
            r#"<p style="margin:0 0 1rem;color:#ffb4a8;font-weight:bold">cuenta: {title}</p>"#,
            r#"<pre style="margin:0;white-space:pre-wrap">{text}</pre></div>"#
        ),
        id = OVERLAY_ID,
        close = close,
        title = title,
        text = escape_html(&p.text)
    )
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
        let p = Problem { text: "content/a.md:3:1: error: <b> & 'x'\n".into(), lang: Lang::En };
        let page = String::from_utf8(into_page(b"<body></body>", 2, Some(&p))).expect("utf8");
        assert!(page.contains("<pre style=\"margin:0;white-space:pre-wrap\">content/a.md:3:1: error: &lt;b&gt; &amp; &#39;x&#39;\n</pre>"), "{page}");
        assert!(page.contains("The latest version has errors"));
    }
}
