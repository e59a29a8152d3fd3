//! Images and links in a body: where they are (for the model's checks) and
//! how they are rewritten when rendered. An image alone in its paragraph
//! with a title, `![alt](img/foto.jpg "pie")`, becomes a `<figure>` with its
//! `<figcaption>`; every image gets the width and height read from its file.

use super::escape_html;
use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

/// An image or link written in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub image: bool,
    pub url: String,
    /// An image's alt text is empty.
    pub no_alt: bool,
    /// Byte offset of the reference in the body.
    pub offset: usize,
}

/// Where a reference leads once resolved, as the page writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub href: String,
    /// An image's width and height in CSS pixels, when known.
    pub size: Option<(u32, u32)>,
}

/// Every image and inline link of `body`, in order. Autolinks and e-mail
/// links are not references to check.
pub(crate) fn references(body: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut alt: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(body, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.push(Reference { image: true, url: dest_url.to_string(), no_alt: false, offset: range.start });
                alt = Some((out.len() - 1, String::new()));
            }
            Event::Text(t) | Event::Code(t) if alt.is_some() => {
                if let Some((_, text)) = alt.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((i, text)) = alt.take() {
                    out[i].no_alt = text.trim().is_empty();
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, .. })
                if !matches!(link_type, LinkType::Autolink | LinkType::Email) =>
            {
                out.push(Reference { image: false, url: dest_url.to_string(), no_alt: false, offset: range.start });
            }
            _ => {}
        }
    }
    out
}

/// Rewrites images and links that `target` resolves; an image alone in a
/// paragraph with a title becomes a figure with its caption.
pub(super) fn rewrite<'a>(events: Vec<Event<'a>>, target: &dyn Fn(&str) -> Option<Target>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((html, used)) = figure(&events[i..], target) {
            out.push(Event::Html(CowStr::from(html)));
            i += used;
            continue;
        }
        match &events[i] {
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let (alt, used) = alt_text(&events[i + 1..]);
                out.push(Event::InlineHtml(CowStr::from(img(dest_url, &alt, title, target))));
                i += used + 2;
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => match target(dest_url) {
                Some(t) => out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(t.href),
                    title: title.clone(),
                    id: id.clone(),
                })),
                None => out.push(events[i].clone()),
            },
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out
}

/// `<p>![alt](src "caption")</p>` → a figure; (html, events used).
fn figure(events: &[Event<'_>], target: &dyn Fn(&str) -> Option<Target>) -> Option<(String, usize)> {
    let [Event::Start(Tag::Paragraph), Event::Start(Tag::Image { dest_url, title, .. }), rest @ ..] = events else {
        return None;
    };
    if title.trim().is_empty() {
        return None;
    }
    let (alt, used) = alt_text(rest);
    if !matches!(rest.get(used + 1), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let html = format!(
        "<figure class=\"image\">{}<figcaption>{}</figcaption></figure>\n",
        img(dest_url, &alt, "", target),
        escape_html(title)
    );
    Some((html, used + 4))
}

/// The alt text up to the image's end, and how many events it took.
fn alt_text(events: &[Event<'_>]) -> (String, usize) {
    let mut alt = String::new();
    for (k, e) in events.iter().enumerate() {
        match e {
            Event::End(TagEnd::Image) => return (alt, k),
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            _ => {}
        }
    }
    (alt, events.len())
}

fn img(url: &str, alt: &str, title: &str, target: &dyn Fn(&str) -> Option<Target>) -> String {
    let t = target(url);
    let src = t.as_ref().map_or(url, |t| t.href.as_str());
    let size =
        t.as_ref().and_then(|t| t.size).map_or_else(String::new, |(w, h)| format!(" width=\"{w}\" height=\"{h}\""));
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape_html(title)) };
    format!("<img src=\"{}\" alt=\"{}\"{size}{title} loading=\"lazy\">", escape_html(src), escape_html(alt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::html;

    fn render(md: &str) -> String {
        let target = |url: &str| {
            (url == "img/foto.jpg").then(|| Target { href: "medios/img/foto.jpg".into(), size: Some((640, 480)) })
        };
        let events = rewrite(Parser::new_ext(md, crate::markdown::options()).collect(), &target);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn an_image_with_a_title_alone_in_its_paragraph_is_a_figure_with_its_caption() {
        assert_eq!(
            render("![Operativo en Calama](img/foto.jpg \"Operativo, marzo\")\n"),
            "<figure class=\"image\"><img src=\"medios/img/foto.jpg\" alt=\"Operativo en Calama\" width=\"640\" height=\"480\" loading=\"lazy\"><figcaption>Operativo, marzo</figcaption></figure>\n"
        );
    }

    #[test]
    fn an_image_inside_text_keeps_its_place_with_its_size() {
        let html = render("Ver ![logo](img/foto.jpg) aquí.\n");
        assert!(
            html.contains("Ver <img src=\"medios/img/foto.jpg\" alt=\"logo\" width=\"640\" height=\"480\""),
            "{html}"
        );
    }

    #[test]
    fn links_that_resolve_are_rewritten_and_others_kept() {
        let html = render("[foto](img/foto.jpg) y [otro](https://example.org)\n");
        assert!(html.contains("<a href=\"medios/img/foto.jpg\">foto</a>"), "{html}");
        assert!(html.contains("<a href=\"https://example.org\">otro</a>"), "{html}");
    }

    #[test]
    fn references_know_their_place_and_missing_alt_text() {
        let refs = references("Texto\n\n![](a.png) y [b](b.md)\n");
        assert_eq!(refs.len(), 2);
        assert_eq!((refs[0].image, refs[0].no_alt, refs[0].offset), (true, true, 7));
        assert_eq!((refs[1].image, refs[1].url.as_str()), (false, "b.md"));
    }
}
