//! The report-wide verification page ("Verificación de cifras",
//! verificacion.html) and its open-data twin (datos/verificacion.csv):
//! every check cuenta made, counted by kind, and every discrepancy with
//! both figures and links to where they are printed.

use crate::crosscheck::OutcomeKind;
use crate::html;
use crate::markdown::escape_html;
use crate::model::Report;
use crate::theme::Theme;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// The page's address.
pub(crate) const HREF: &str = "verificacion.html";
/// The CSV of every discrepancy and cross-check.
pub(crate) const CSV: &str = "datos/verificacion.csv";

/// How many checks of each kind the report made, and how many disagree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cells of formula columns.
    pub formulas: usize,
    /// Declared totals.
    pub totals: usize,
    /// `checks:` between two places.
    pub declared: usize,
    /// `printed=` figures in prose.
    pub prose: usize,
    /// Comparisons that disagree (explained ones included).
    pub discrepancies: usize,
}

impl Counts {
    /// Every comparison made.
    pub fn total(&self) -> usize {
        self.formulas + self.totals + self.declared + self.prose
    }
}

/// Counts the checks of `report`.
pub(crate) fn counts(report: &Report) -> Counts {
    let mut c = Counts::default();
    for t in report.sections.iter().flat_map(|s| s.tables.iter()) {
        c.formulas += t.checks.formulas;
        c.totals += t.checks.totals;
        c.discrepancies += t.mismatches.iter().filter(|m| m.against.is_none()).count();
    }
    for o in &report.crosschecks {
        match o.kind {
            OutcomeKind::Declared => c.declared += 1,
            OutcomeKind::Prose => c.prose += 1,
        }
        c.discrepancies += usize::from(!o.agrees);
    }
    c
}

/// `n` with the singular or plural word: "1 tabla", "2 tablas".
pub(crate) fn count_words(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One discrepancy as the page and the CSV list it.
struct Row {
    kind: &'static str,
    place: String,
    href: String,
    figure: String,
    other_place: String,
    other_href: Option<String>,
    other_figure: String,
    agrees: bool,
    explain: Option<String>,
}

fn rows(report: &Report, theme: &Theme) -> Vec<Row> {
    let mut rows = Vec::new();
    for s in &report.sections {
        for t in s.tables.iter() {
            let href = format!("{}#{}", html::page_href(&s.slug), html::table_anchor(&t.id));
            for m in t.mismatches.iter().filter(|m| m.against.is_none()) {
                let row = m.row.clone().unwrap_or_else(|| theme.string("total"));
                rows.push(Row {
                    kind: if m.row.is_some() { "formula" } else { "total" },
                    place: format!("{} · {} · {}", t.id, row, m.column),
                    href: href.clone(),
                    figure: m.declared.clone(),
                    other_place: theme.string("computed"),
                    other_href: None,
                    other_figure: m.computed.clone(),
                    agrees: false,
                    explain: None,
                });
            }
        }
    }
    let section_of = |table: &Option<String>| {
        table
            .as_deref()
            .and_then(|id| report.table(id))
            .map(|(s, t)| format!("{}#{}", html::page_href(&s.slug), html::table_anchor(&t.id)))
    };
    for o in &report.crosschecks {
        let here = html::page_href(&o.section);
        rows.push(Row {
            kind: match o.kind {
                OutcomeKind::Declared => "checks",
                OutcomeKind::Prose => "printed",
            },
            place: match o.kind {
                OutcomeKind::Declared => o.left.place.clone(),
                OutcomeKind::Prose => format!("{}:{}", o.file, o.span.line),
            },
            href: section_of(&o.left.table).unwrap_or(here),
            figure: o.left.shown.clone(),
            other_place: o.right.place.clone(),
            other_href: section_of(&o.right.table),
            other_figure: o.right.shown.clone(),
            agrees: o.agrees,
            explain: o.explain.clone(),
        });
    }
    rows
}

/// The page's content, inside the theme's verification template.
pub(crate) fn page_html(report: &Report, theme: &Theme) -> String {
    let c = counts(report);
    let s = |k: &str| theme.string(k);
    let mut out = String::new();
    let _ = writeln!(out, "<p class=\"lead\">{}</p>", escape_html(&summary(&c, theme)));
    let _ = write!(out, "<ul class=\"verification-counts\">");
    for (n, key) in [
        (c.formulas, "verification_formulas"),
        (c.totals, "verification_totals"),
        (c.declared, "verification_declared_checks"),
        (c.prose, "verification_prose_checks"),
    ] {
        let _ = write!(out, "<li>{}</li>", escape_html(&counted(n, key, theme)));
    }
    out.push_str("</ul>\n");
    let all = rows(report, theme);
    let wrong: Vec<&Row> = all.iter().filter(|r| !r.agrees).collect();
    let _ = writeln!(out, "<h2 id=\"cuenta-discrepancias\">{}</h2>", escape_html(&s("verification_discrepancies")));
    if wrong.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape_html(&s("verification_none")));
    } else {
        out.push_str("<ul class=\"verification-list\">\n");
        for r in &wrong {
            push_row(&mut out, r, theme);
        }
        out.push_str("</ul>\n");
    }
    let agreeing: Vec<&Row> = all.iter().filter(|r| r.agrees).collect();
    if !agreeing.is_empty() {
        let _ = writeln!(out, "<h2 id=\"cuenta-coincidencias\">{}</h2>", escape_html(&s("verification_agreeing")));
        out.push_str("<ul class=\"verification-list\">\n");
        for r in &agreeing {
            push_row(&mut out, r, theme);
        }
        out.push_str("</ul>\n");
    }
    out
}

fn push_row(out: &mut String, r: &Row, theme: &Theme) {
    let other = match &r.other_href {
        Some(h) => format!("<a href=\"{}\">{}</a>", escape_html(h), escape_html(&r.other_place)),
        None => escape_html(&r.other_place),
    };
    let _ = write!(
        out,
        "<li class=\"verification-{}\"><a href=\"{}\">{}</a>: <span class=\"num\">{}</span>; {other}: <span class=\"num\">{}</span>",
        r.kind,
        escape_html(&r.href),
        escape_html(&r.place),
        escape_html(&r.figure),
        escape_html(&r.other_figure)
    );
    if let Some(why) = &r.explain {
        let _ =
            write!(out, " <em>({}: {})</em>", escape_html(&theme.string("verification_explained")), escape_html(why));
    }
    out.push_str("</li>\n");
}

/// "Se hicieron 14 comprobaciones; 2 cifras no coinciden."
fn summary(c: &Counts, theme: &Theme) -> String {
    let key = if c.discrepancies == 0 { "verification_summary_ok" } else { "verification_summary_warn" };
    theme
        .string(key)
        .replace("{checks}", &counted(c.total(), "verification_checks", theme))
        .replace("{discrepancies}", &counted(c.discrepancies, "verification_discrepancy", theme))
}

fn counted(n: usize, key: &str, theme: &Theme) -> String {
    match n {
        1 => theme.string(&format!("{key}_one")),
        n => theme.string(&format!("{key}_many")).replace("{n}", &n.to_string()),
    }
}

/// Every discrepancy and cross-check as CSV, for the data package.
pub(crate) fn csv(report: &Report, theme: &Theme) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = w.write_record(["tipo", "lugar", "cifra", "otro_lugar", "otra_cifra", "coincide", "explicacion"]);
    for r in rows(report, theme) {
        let plain = |s: &str| super::data::neutralise(&s.replace('\u{a0}', " "));
        let _ = w.write_record([
            r.kind.to_string(),
            plain(&r.place),
            plain(&r.figure),
            plain(&r.other_place),
            plain(&r.other_figure),
            r.agrees.to_string(),
            plain(r.explain.as_deref().unwrap_or("")),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// The CSV's resource in the data package.
pub(crate) fn resource_text(theme: &Theme) -> String {
    let field = |name: &str, kind: &str| json!({ "name": name, "type": kind });
    let resource: Value = json!({
        "name": "verificacion",
        "title": theme.string("verification_title"),
        "path": "verificacion.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": { "fields": [
            field("tipo", "string"), field("lugar", "string"), field("cifra", "string"),
            field("otro_lugar", "string"), field("otra_cifra", "string"), field("coincide", "boolean"),
            field("explicacion", "string"),
        ] },
        "description": theme.string("verification_resource"),
    });
    let pretty = serde_json::to_string_pretty(&resource).unwrap_or_default();
    let indented: Vec<String> = pretty.lines().map(|l| format!("    {l}")).collect();
    super::search::html_safe_json(&indented.join("\n"))
}
