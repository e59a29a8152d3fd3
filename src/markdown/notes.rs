//! Footnotes: each reference becomes a numbered link to its note, with ids
//! of the page's own (`nota-1`, `ref-nota-1`; the whole-report page prefixes
//! them with the section like every other id), and the notes are taken out
//! of the flow to be placed at the end of the section, each with a link back
//! to where it was cited.

use super::escape_html;
use pulldown_cmark::{html, CowStr, Event, Tag, TagEnd};
use std::collections::BTreeMap;

/// Interface words the notes need, in the page's language.
pub(super) struct Words {
    /// The list's name, "Notas".
    pub notes: String,
    /// The back link's name, "Volver al texto".
    pub back: String,
}

/// The events without footnote definitions, references rewritten, and the
/// notes' HTML (empty when there are none).
pub(super) fn collect<'a>(events: Vec<Event<'a>>, words: &Words) -> (Vec<Event<'a>>, String) {
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    let number_of = |label: &str, numbers: &mut BTreeMap<String, usize>| {
        let next = numbers.len() + 1;
        *numbers.entry(label.to_string()).or_insert(next)
    };
    let mut out = Vec::with_capacity(events.len());
    let mut bodies: BTreeMap<usize, Vec<Event<'a>>> = BTreeMap::new();
    let mut current: Option<(usize, Vec<Event<'a>>)> = None;
    let mut cited: BTreeMap<usize, usize> = BTreeMap::new();
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((number_of(&label, &mut numbers), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((n, body)) = current.take() {
                    bodies.insert(n, body);
                }
            }
            Event::FootnoteReference(label) => {
                let n = number_of(&label, &mut numbers);
                let times = cited.entry(n).or_insert(0);
                *times += 1;
                // A note cited twice: the second citation gets its own id.
                let id = if *times == 1 { format!("ref-nota-{n}") } else { format!("ref-nota-{n}-{times}") };
                let link = format!("<sup class=\"footnote-ref\"><a href=\"#nota-{n}\" id=\"{id}\">{n}</a></sup>");
                push(&mut current, &mut out, Event::InlineHtml(CowStr::from(link)));
            }
            other => push(&mut current, &mut out, other),
        }
    }
    (out, notes_html(bodies, &cited, words))
}

fn push<'a>(current: &mut Option<(usize, Vec<Event<'a>>)>, out: &mut Vec<Event<'a>>, event: Event<'a>) {
    match current {
        Some((_, body)) => body.push(event),
        None => out.push(event),
    }
}

fn notes_html(bodies: BTreeMap<usize, Vec<Event<'_>>>, cited: &BTreeMap<usize, usize>, words: &Words) -> String {
    if bodies.is_empty() {
        return String::new();
    }
    let mut out = format!("<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n", escape_html(&words.notes));
    for (n, body) in bodies {
        let mut inner = String::new();
        html::push_html(&mut inner, body.into_iter());
        let back = if cited.contains_key(&n) {
            format!(
                " <a class=\"footnote-back\" href=\"#ref-nota-{n}\" aria-label=\"{} {n}\">↩\u{fe0e}</a>",
                escape_html(&words.back)
            )
        } else {
            String::new()
        };
        // The back link goes inside the note's last paragraph.
        let inner = inner.trim_end();
        let inner = match inner.strip_suffix("</p>") {
            Some(text) => format!("{text}{back}</p>"),
            None => format!("{inner}{back}"),
        };
        out.push_str(&format!("<li id=\"nota-{n}\">{inner}</li>\n"));
    }
    out.push_str("</ol>\n</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn render(md: &str) -> (String, String) {
        let words = Words { notes: "Notas".into(), back: "Volver al texto".into() };
        let (events, notes) = collect(Parser::new_ext(md, Options::ENABLE_FOOTNOTES).collect(), &words);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        (out, notes)
    }

    #[test]
    fn notes_are_numbered_in_citation_order_and_link_both_ways() {
        let (body, notes) = render("Uno[^b] y dos[^a].\n\n[^a]: Nota A.\n[^b]: Nota B.\n");
        assert_eq!(
            body,
            "<p>Uno<sup class=\"footnote-ref\"><a href=\"#nota-1\" id=\"ref-nota-1\">1</a></sup> y dos<sup class=\"footnote-ref\"><a href=\"#nota-2\" id=\"ref-nota-2\">2</a></sup>.</p>\n"
        );
        assert!(notes.contains("<li id=\"nota-1\"><p>Nota B. <a class=\"footnote-back\" href=\"#ref-nota-1\" aria-label=\"Volver al texto 1\">"), "{notes}");
        assert!(notes.contains("<li id=\"nota-2\"><p>Nota A."), "{notes}");
        assert!(notes.starts_with("<section class=\"footnotes\" aria-label=\"Notas\">"), "{notes}");
    }

    #[test]
    fn a_body_without_notes_gets_no_list() {
        assert_eq!(render("Texto.\n").1, "");
    }
}
