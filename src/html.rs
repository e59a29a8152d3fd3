//! The one HTML/XML escaper, and the naming rules every page shares: page
//! addresses, table and chart anchors. Charts (SVG), tables and bodies all
//! escape through here, so what is well-formed in one is in the others.

/// Escapes text for HTML and XML (SVG) content and attribute values. Control
/// characters other than tab and newline are dropped: XML forbids them.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    escape_into(&mut out, s);
    out
}

/// [`escape_html`], appending to `out`.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
}

/// Opens what a theme marks online-only: left out of the offline copy.
pub(crate) const ONLINE_START: &str = "<!--cuenta:online-->";
/// Closes what a theme marks online-only.
pub(crate) const ONLINE_END: &str = "<!--/cuenta:online-->";

/// Raw HTML from an editor with the theme's online-only marks made plain
/// comments, so that the offline copy never drops what an editor wrote.
pub(crate) fn unmark_online(html: &str) -> Option<String> {
    html.contains("<!--")
        .then(|| html.replace(ONLINE_START, "<!-- cuenta:online -->"))
        .map(|h| h.replace(ONLINE_END, "<!-- /cuenta:online -->"))
        .filter(|h| h != html)
}

/// The address of a section's page: `visas.html`.
pub(crate) fn page_href(slug: &str) -> String {
    format!("{slug}.html")
}

/// The id of a placed table: `tabla-visas`.
pub(crate) fn table_anchor(id: &str) -> String {
    format!("tabla-{id}")
}

/// The id of a placed chart: `grafico-visas-barras`.
pub(crate) fn chart_anchor(id: &str) -> String {
    format!("grafico-{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_editors_online_only_marks_become_plain_comments() {
        let html = "<p>a</p><!--cuenta:online-->b<!--/cuenta:online-->";
        let plain = unmark_online(html).unwrap_or_default();
        assert_eq!(plain, "<p>a</p><!-- cuenta:online -->b<!-- /cuenta:online -->");
        assert!(!plain.contains(ONLINE_START) && !plain.contains(ONLINE_END));
        assert_eq!(unmark_online("<!-- nota --><p>a</p>"), None);
    }

    #[test]
    fn escaping_makes_text_safe_in_html_and_xml_alike() {
        let cases = [
            ("a < b & \"c\" 'd'", "a &lt; b &amp; &quot;c&quot; &#39;d&#39;"),
            ("etiqueta\u{1}\u{7}\u{1b} rota", "etiqueta rota"),
            ("línea\nnueva\tcon tab", "línea\nnueva\tcon tab"),
            ("\u{7f}\u{85}fin", "fin"),
        ];
        for (input, want) in cases {
            assert_eq!(escape_html(input), want, "{input:?}");
        }
    }

    #[test]
    fn names_follow_one_rule() {
        assert_eq!(page_href("visas"), "visas.html");
        assert_eq!(table_anchor("visas"), "tabla-visas");
        assert_eq!(chart_anchor("visas-barras"), "grafico-visas-barras");
    }
}
