//! Markdown pipe tables get the wrapper cuenta's own tables have: a box
//! that scrolls sideways (reachable from the keyboard) instead of the page.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Puts every `<table>` of `events` inside `<div class="table-scroll md-table">`.
pub(super) fn wrap_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => {
                out.push(Event::Html(CowStr::Borrowed("<div class=\"table-scroll md-table\" tabindex=\"0\">\n")));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    #[test]
    fn a_pipe_table_scrolls_in_its_own_box() {
        let md = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        let events = wrap_tables(Parser::new_ext(md, Options::ENABLE_TABLES).collect());
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        assert!(out.starts_with("<div class=\"table-scroll md-table\" tabindex=\"0\">\n<table>"), "{out}");
        assert!(out.trim_end().ends_with("</table>\n</div>"), "{out}");
    }
}
