//! Prefixes the ids of a section's HTML so that many sections can share one
//! page (the printable whole report) without clashing anchors.

const ATTRS: [&str; 4] = [" id", " href", " aria-labelledby", " aria-describedby"];

/// Prefixes every id, in-page link target and ARIA reference with `prefix`.
/// One pass over the text: each `="` is checked for one of the attributes.
pub(crate) fn scope_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    scope_ids_into(&mut out, html, prefix);
    out
}

/// [`scope_ids`] appending to `out`, so a long page is built without copies.
pub(super) fn scope_ids_into(out: &mut String, html: &str, prefix: &str) {
    let mut copied = 0;
    let mut from = 0;
    // Searching for one byte is much faster than for the pair `="`.
    while let Some(found) = html[from..].find('=') {
        let eq = from + found;
        from = eq + 1;
        if html.as_bytes().get(eq + 1) != Some(&b'"') {
            continue;
        }
        let start = eq + 2;
        from = start;
        let Some(attr) = ATTRS.iter().find(|a| html[..eq].ends_with(*a)) else { continue };
        let Some(len) = html[start..].find('"') else { break };
        let value = &html[start..start + len];
        let is_href = *attr == " href";
        if is_href && !value.starts_with('#') {
            continue;
        }
        out.push_str(&html[copied..start]);
        let tokens = value.split(' ').filter(|v| !v.is_empty());
        let scoped: Vec<String> = if is_href {
            vec![format!("#{prefix}{}", &value[1..])]
        } else {
            tokens.map(|v| format!("{prefix}{v}")).collect()
        };
        out.push_str(&scoped.join(" "));
        copied = start + len;
        from = copied;
    }
    out.push_str(&html[copied..]);
}

/// Moves every heading one level down (h2 → h3 … h5 → h6), for bodies
/// placed under a section title on the whole-report page. h6 stays h6.
/// One pass over the tags.
pub(super) fn demote_headings(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = html[from..].find('<') {
        let lt = from + found;
        let name = lt + 1 + usize::from(bytes.get(lt + 1) == Some(&b'/'));
        from = name;
        let level = match (bytes.get(name), bytes.get(name + 1)) {
            (Some(b'h'), Some(d @ b'1'..=b'5')) => d + 1,
            _ => continue,
        };
        out.push_str(&html[copied..name + 1]);
        out.push(char::from(level));
        copied = name + 2;
        from = copied;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_one_level_down_and_other_tags_are_untouched() {
        let html = "<h2 id=\"a\">A</h2><h3>B</h3><h6>C</h6><header><hr></header><h1>á</h1>x < y <";
        assert_eq!(
            demote_headings(html),
            "<h3 id=\"a\">A</h3><h4>B</h4><h6>C</h6><header><hr></header><h2>á</h2>x < y <"
        );
    }

    #[test]
    fn prefixes_ids_links_and_aria_references() {
        let html = r##"<h2 id="a">A</h2><a href="#a">x</a><a href="b.html#c">y</a><svg aria-labelledby="t d">"##;
        assert_eq!(
            scope_ids(html, "s--"),
            r##"<h2 id="s--a">A</h2><a href="#s--a">x</a><a href="b.html#c">y</a><svg aria-labelledby="s--t s--d">"##
        );
    }
}
