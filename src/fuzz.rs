//! Entry points for fuzzing and for the regression test that replays the
//! fuzz corpus (see docs/fuzzing.md). Each takes the raw bytes of one content
//! file, runs the same stages a build runs on it, in memory, and returns
//! nothing: the only thing a fuzzer looks for is a panic or a hang. Not a
//! stable API; no disk, no theme, no output.

use crate::chart::{self, ChartData, ChartSpec};
use crate::config;
use crate::diagnostics::{Diagnostic, Kind, Lang, Message};
use crate::front_matter::{self, Positions};
use crate::markdown::{self, Call, Embedded, RenderOptions, Resolver};
use crate::model::SectionSpec;
use crate::number::NumberFormat;
use crate::source::SourceFile;
use crate::table::{self, DataTable, Locator};
use std::path::Path;

/// Front matter and tables: split → YAML parse (as a section and as the
/// report's `_index.md`) → every table built and checked.
pub fn front_matter(bytes: &[u8]) {
    let Some(file) = source(bytes) else { return };
    let _ = config::load(file.clone());
    let fmt = NumberFormat::new("es-CL", "CLP");
    let mut diags = Vec::new();
    let _ = tables(&file, &fmt, &mut diags);
    show(&diags);
}

/// A whole section: [`front_matter()`], then its charts drawn as SVG and its
/// Markdown body rendered with placements resolved against its own tables,
/// with and without `safe_html`.
pub fn section(bytes: &[u8]) {
    let Some(file) = source(bytes) else { return };
    let fmt = NumberFormat::new("es-CL", "CLP");
    let mut diags = Vec::new();
    let Some((spec_charts, positions, built)) = tables(&file, &fmt, &mut diags) else {
        show(&diags);
        return;
    };
    for (i, raw) in spec_charts.into_iter().enumerate() {
        let spec = ChartSpec::from_raw(raw, &positions, &format!("charts.{i}"));
        let Some(t) = built.iter().find(|t| t.id == spec.table) else { continue };
        let problems = spec.check(t, &file);
        if problems.is_empty() {
            if let Some(data) = ChartData::from_table(&spec, t, &fmt) {
                let _ = chart::render_svg(&spec, &data, &fmt, Lang::Es);
            }
        }
        diags.extend(problems);
    }
    if let Ok(split) = front_matter::split(&file) {
        let resolver = Tables { tables: &built, fmt: &fmt };
        for safe_html in [false, true] {
            let opts = RenderOptions { safe_html };
            let (_, problems) = markdown::render(&file, split.body, split.body_line, opts, &[], &resolver);
            diags.extend(problems);
        }
    }
    show(&diags);
}

/// A formula as a column's `formula:` holds it: parsed, its variables
/// listed, and evaluated with every variable known, then with none.
pub fn formula(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let Ok(f) = crate::formula::Formula::parse(text) else { return };
    let names = f.variables().to_vec();
    let known = |name: &str| names.iter().position(|n| *n == name).map(|i| i as f64 * 1.5 - 2.0);
    let _ = f.eval(known, known);
    let _ = f.eval(|_| None, |_| None);
}

/// A Markdown body with placements, rendered against two known tables and
/// a chart, with and without `safe_html`. Beyond not panicking, the page
/// must hold no control character and, with `safe_html`, no link or image
/// target with a scheme other than http, https, mailto and tel.
pub fn placements(bytes: &[u8]) {
    let Ok(body) = std::str::from_utf8(bytes) else { return };
    let file = SourceFile::new(Path::new("content/fuzz.md"), "content/fuzz.md".into(), body);
    let resolver = Known;
    for safe_html in [false, true] {
        let opts = RenderOptions { safe_html };
        let (rendered, diags) = markdown::render(&file, &file.text, 1, opts, &["t".to_string()], &resolver);
        let html = &rendered.html;
        assert!(!html.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "a control character in {html:?}");
        if safe_html {
            assert!(!has_script_target(html), "a script target in {html:?}");
        }
        // The whole-report page's copy: the prefix (a character no page
        // holds, see above) is only ever inserted.
        let scoped = crate::render::scope_ids(html, "\u{1}");
        assert_eq!(scoped.replace('\u{1}', ""), *html, "scoping changed more than ids");
        show(&diags);
    }
    let inline = markdown::inline(body, false);
    assert!(!has_script_target(&inline), "a script target in an inline field: {inline:?}");
}

/// True when `html` has an `href` or `src` attribute whose scheme is not
/// allowed. Only attributes count: prose may well read `isrc="…"`, and
/// text never holds a tag, its `<` being escaped.
fn has_script_target(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let is_attribute = |i: usize| {
        let before = &lower[..i];
        before.ends_with([' ', '\n', '\t']) && before.rfind('<') > before.rfind('>')
    };
    ["href=\"", "src=\""].iter().any(|attr| {
        lower.match_indices(attr).filter(|(i, _)| is_attribute(*i)).any(|(i, _)| {
            let value = &lower[i + attr.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            let scheme_end = value.find([':', '/', '?', '#']);
            match scheme_end {
                // A scheme starts with a letter (the URL standard); `:0x` is
                // a relative path, which browsers never run.
                Some(end) if value.as_bytes()[end] == b':' && is_scheme(&value[..end]) => {
                    !["http", "https", "mailto", "tel"].contains(&&value[..end])
                }
                _ => false,
            }
        })
    })
}

/// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves `t`, `u` (tables) and `c` (chart); anything else is unknown.
struct Known;

impl Resolver for Known {
    fn resolve(&self, call: &Call) -> Result<Embedded, Message> {
        let unknown = |id: &str| Message::UnknownId { kind: Kind::Table, id: id.to_string(), suggestion: None };
        match call {
            Call::Table(id) | Call::Chart(id) if ["t", "u", "c"].contains(&id.as_str()) => {
                Ok(Embedded { html: format!("<figure id=\"tabla-{id}\"></figure>"), text: id.clone() })
            }
            Call::Figure { table, row, col, .. } if table == "t" => {
                Ok(Embedded { html: markdown::escape_html(&format!("{row}/{col}")), text: format!("{row}/{col}") })
            }
            Call::Table(id) | Call::Chart(id) | Call::Figure { table: id, .. } => Err(unknown(id)),
        }
    }
}

/// The file as discovery would hold it; None for invalid UTF-8, which
/// discovery refuses before any parsing.
fn source(bytes: &[u8]) -> Option<SourceFile> {
    let text = std::str::from_utf8(bytes).ok()?;
    Some(SourceFile::new(Path::new("content/fuzz.md"), "content/fuzz.md".into(), text))
}

type Parsed = (Vec<chart::RawChart>, Positions, Vec<DataTable>);

fn tables(file: &SourceFile, fmt: &NumberFormat, diags: &mut Vec<Diagnostic>) -> Option<Parsed> {
    let split = front_matter::split(file).map_err(|d| diags.push(d)).ok()?;
    let (spec, positions): (SectionSpec, Positions) =
        front_matter::parse(file, &split).map_err(|d| diags.extend(d)).ok()?;
    let mut built = Vec::new();
    for (i, t) in spec.tables.into_iter().enumerate() {
        let at = Locator { file, positions: &positions, path: format!("tables.{i}") };
        let (table, problems) = table::build(t, &at, fmt);
        diags.extend(problems);
        built.extend(table);
    }
    Some((spec.charts, positions, built))
}

/// Renders every message, in both languages, as the CLI would print it.
fn show(diags: &[Diagnostic]) {
    for d in diags {
        let _ = d.render(Lang::Es);
        let _ = d.render(Lang::En);
    }
}

/// Resolves placements against the section's own tables.
struct Tables<'a> {
    tables: &'a [DataTable],
    fmt: &'a NumberFormat,
}

impl Resolver for Tables<'_> {
    fn resolve(&self, call: &Call) -> Result<Embedded, Message> {
        let find = |id: &str| self.tables.iter().find(|t| t.id == id);
        let unknown = |id: &str| Message::UnknownId { kind: Kind::Table, id: id.to_string(), suggestion: None };
        match call {
            Call::Table(id) | Call::Chart(id) => find(id)
                .map(|t| Embedded { html: markdown::escape_html(&t.caption), text: t.caption.clone() })
                .ok_or_else(|| unknown(id)),
            Call::Figure { table, row, col, .. } => {
                let t = find(table).ok_or_else(|| unknown(table))?;
                let c = t.column_index(col).ok_or_else(|| unknown(col))?;
                let r = t
                    .rows
                    .iter()
                    .chain(t.total.iter())
                    .find(|r| r.label() == Some(row.as_str()))
                    .ok_or_else(|| unknown(row))?;
                let text = t.display(c, &r.cells[c], self.fmt);
                Ok(Embedded { html: markdown::inline(&text, true), text })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_script_target;

    #[test]
    fn a_script_target_counts_only_as_an_attribute_of_a_tag() {
        assert!(has_script_target("<a href=\"javascript:alert(1)\">x</a>"));
        assert!(has_script_target("<img alt=\"\" src=\"data:text/html,x\">"));
        assert!(!has_script_target("<a href=\"https://gob.cl\">x</a>"));
        // Prose that reads like an attribute is text: its `<` would be escaped.
        assert!(!has_script_target("<p>isrc=\"irU: J\" y a href=\"javascript:x\"</p>"));
        assert!(!has_script_target("<p>&lt;a href=\"javascript:x\"&gt;</p>"));
    }
}
