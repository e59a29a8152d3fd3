//! Prefixes the ids of a section's HTML so that many sections can share one
//! page (the printable whole report) without clashing anchors.

/// Attributes whose whole value is one id or a list of ids.
const ID_ATTRS: [&str; 4] = ["id", "aria-labelledby", "aria-describedby", "for"];

/// Elements whose content is raw text: no tags inside, up to the end tag.
const RAW_TEXT: [&str; 3] = ["script", "style", "textarea"];

/// Prefixes every id, in-page link target and ARIA reference with `prefix`.
/// Only attributes of tags change: the HTML is read as a browser reads it
/// (tags, comments, raw-text elements), so text that merely shows markup
/// (`<code>&lt;a href="#top"&gt;</code>`, prose that writes `id="y"`) is
/// text, as it is on the section's own page.
pub(crate) fn scope_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    scope_ids_into(&mut out, html, prefix);
    out
}

/// [`scope_ids`] appending to `out`, so a long page is built without copies.
/// The prefix is only ever inserted: before each id an attribute names.
pub(super) fn scope_ids_into(out: &mut String, html: &str, prefix: &str) {
    let bytes = html.as_bytes();
    let mut copied = 0;
    let mut from = 0;
    let mut insert = |at: usize| {
        out.push_str(&html[copied..at]);
        out.push_str(prefix);
        copied = at;
    };
    // Text escapes every `<` it holds, so each `<` left starts markup.
    while let Some(found) = memchr::memchr(b'<', &bytes[from..]) {
        let lt = from + found;
        from = match bytes.get(lt + 1) {
            Some(b'!') if html[lt..].starts_with("<!--") => skip_past(html, lt + 4, "-->"),
            Some(b'!') if html[lt..].starts_with("<![CDATA[") => skip_past(html, lt + 9, "]]>"),
            Some(b'!' | b'?' | b'/') => skip_past(html, lt + 1, ">"),
            Some(c) if c.is_ascii_alphabetic() => start_tag(html, lt + 1, &mut |attr, value| {
                id_starts(attr, &html[value.clone()]).for_each(|i| insert(value.start + i));
            }),
            _ => lt + 1,
        };
    }
    out.push_str(&html[copied..]);
}

/// Where `html` goes on after the first `end` at or after `at` (its end
/// when there is none).
fn skip_past(html: &str, at: usize, end: &str) -> usize {
    let found = match end.as_bytes() {
        [one] => html.as_bytes().get(at..).and_then(|rest| memchr::memchr(*one, rest)),
        _ => html.get(at..).and_then(|rest| rest.find(end)),
    };
    found.map_or(html.len(), |i| at + i + end.len())
}

/// Reads the start tag whose name begins at `at`, calling `attr` with each
/// attribute's name (as written) and the byte range of its value. Returns
/// where the markup goes on: after the tag, or at the end tag of a
/// raw-text element.
fn start_tag(html: &str, at: usize, attr: &mut dyn FnMut(&str, std::ops::Range<usize>)) -> usize {
    let bytes = html.as_bytes();
    let stop = |b: u8| b.is_ascii_whitespace() || b == b'/' || b == b'>';
    let mut i = at;
    while i < bytes.len() && !stop(bytes[i]) {
        i += 1;
    }
    let name = &html[at..i];
    // Most tags (`<td>`, `</p>`) have no value before their first `>`:
    // then nothing in them is quoted and that `>` ends them.
    let mut end = i;
    while end < bytes.len() && bytes[end] != b'>' && bytes[end] != b'=' {
        end += 1;
    }
    if bytes.get(end) == Some(&b'=') {
        end = attributes(html, i, attr);
    }
    let after = (end + 1).min(html.len());
    if RAW_TEXT.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return end_tag(html, after, name);
    }
    after
}

/// Reads attributes from `i` to the tag's `>`, whose place it returns.
fn attributes(html: &str, mut i: usize, attr: &mut dyn FnMut(&str, std::ops::Range<usize>)) -> usize {
    let bytes = html.as_bytes();
    let stop = |b: u8| b.is_ascii_whitespace() || b == b'/' || b == b'>';
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return i;
        }
        let name_start = i;
        while i < bytes.len() && !stop(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        // A stray `=` with no name is kept as a name, so the loop moves on.
        i = i.max(name_start + 1).min(bytes.len());
        let name = &html[name_start..i];
        skip_space(&mut i);
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        skip_space(&mut i);
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = html[i + 1..].find(char::from(q)).map_or(html.len(), |e| i + 1 + e);
                let value = i + 1..end;
                i = (end + 1).min(html.len());
                value
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                start..i
            }
        };
        attr(name, value);
    }
}

/// Where the end tag `</name` of a raw-text element starts, from `at`.
fn end_tag(html: &str, at: usize, name: &str) -> usize {
    let mut from = at;
    while let Some(found) = html[from..].find("</") {
        let tag = from + found + 2;
        if html.get(tag..tag + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name)) {
            return from + found;
        }
        from = tag;
    }
    html.len()
}

/// Where each id named by attribute `attr` starts in its `value`: every
/// token of `id` and the ARIA references, the fragment of an in-page link
/// (a bare `#` is the top of the page and stays); none for other attributes.
fn id_starts<'v>(attr: &str, value: &'v str) -> Box<dyn Iterator<Item = usize> + 'v> {
    let is = |name: &str| attr.eq_ignore_ascii_case(name);
    if is("href") || is("xlink:href") {
        return Box::new(value.strip_prefix('#').filter(|f| !f.is_empty()).map(|_| 1).into_iter());
    }
    if !ID_ATTRS.iter().any(|a| is(a)) {
        return Box::new(std::iter::empty());
    }
    let bytes = value.as_bytes();
    Box::new((0..bytes.len()).filter(move |&i| bytes[i] != b' ' && (i == 0 || bytes[i - 1] == b' ')))
}

/// Moves every heading one level down (h2 → h3 … h5 → h6), for bodies
/// placed under a section title on the whole-report page. h6 stays h6.
/// One pass over the tags.
pub(super) fn demote_headings(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[from..]) {
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

    #[test]
    fn only_attributes_of_tags_change_never_text_that_shows_markup() {
        let cases = [
            // Inline code and code blocks show HTML as escaped text.
            (r##"<p><code>&lt;a href="#top" id="x"&gt;</code></p>"##, None),
            (
                r##"<pre><code>&lt;h2 id="x"&gt;
</code></pre>"##,
                None,
            ),
            // Prose may write an attribute as text.
            (r##"<p>escriba id="y" o href="#z"</p>"##, None),
            (r##"<!-- <a href="#c" id="c"> --><p>x</p>"##, None),
            (r##"<script>var s = '<a id="s">';</script>"##, None),
            (r##"<SCRIPT>'<a id="s">'</Script><i id="k">"##, Some(r##"<SCRIPT>'<a id="s">'</Script><i id="s--k">"##)),
            // Raw HTML is markup: single quotes, no quotes, upper case.
            (
                r##"<A HREF='#a' title="id=&quot;t&quot;">x</A><span id=b class="id">y</span>"##,
                Some(r##"<A HREF='#s--a' title="id=&quot;t&quot;">x</A><span id=s--b class="id">y</span>"##),
            ),
            (r##"<a title="a > b" href="#m">x</a>"##, Some(r##"<a title="a > b" href="#s--m">x</a>"##)),
            (r##"<label for="q">x</label>"##, Some(r##"<label for="s--q">x</label>"##)),
            // A bare `#` is the top of the page; spaces between references stay.
            (
                r##"<a href="#">x</a><div aria-describedby=" p  q">"##,
                Some(r##"<a href="#">x</a><div aria-describedby=" s--p  s--q">"##),
            ),
        ];
        for (html, want) in cases {
            assert_eq!(scope_ids(html, "s--"), want.unwrap_or(html), "{html}");
        }
    }

    #[test]
    fn broken_markup_ends_the_pass_without_a_panic() {
        for html in ["<a href=\"#x", "<a href=", "<a ", "<", "<!--", "<script>", "<a =x id='é'>", "<é id=a>"] {
            let _ = scope_ids(html, "s--");
        }
        assert_eq!(scope_ids("<a href=\"#x", "s--"), "<a href=\"#s--x");
    }
}
