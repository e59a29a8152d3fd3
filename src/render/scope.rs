//! Prefixes the ids of a section's HTML so that many sections can share one
//! page (the printable whole report) without clashing anchors.

const ATTRS: [&str; 4] = [" id=\"", " href=\"#", " aria-labelledby=\"", " aria-describedby=\""];

/// Prefixes every id, in-page link target and ARIA reference with `prefix`.
pub fn scope_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((pos, attr)) = ATTRS.iter().filter_map(|a| rest.find(a).map(|p| (p, *a))).min() {
        let start = pos + attr.len();
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('"') else {
            rest = &rest[start..];
            break;
        };
        let value = &rest[start..start + end];
        let scoped: Vec<String> = value.split(' ').filter(|v| !v.is_empty()).map(|v| format!("{prefix}{v}")).collect();
        out.push_str(&scoped.join(" "));
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ids_links_and_aria_references() {
        let html = r##"<h2 id="a">A</h2><a href="#a">x</a><a href="b.html#c">y</a><svg aria-labelledby="t d">"##;
        assert_eq!(
            scope_ids(html, "s--"),
            r##"<h2 id="s--a">A</h2><a href="#s--a">x</a><a href="b.html#c">y</a><svg aria-labelledby="s--t s--d">"##
        );
    }
}
