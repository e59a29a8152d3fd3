//! Figures repeated across the report: a section's `checks:` assert that
//! two figures printed in different places agree (a cell, or the sum of a
//! column, of any table), and `{{ figure(…, printed="64") }}` asserts that
//! the prose states the table's figure. Both are resolved once the whole
//! report is assembled; each comparison becomes an [`Outcome`], shown on the
//! report's verification page and, when it disagrees, in the verification
//! note of the tables concerned and as a warning at the check's place.

use crate::diagnostics::{suggest, Diagnostic, Kind, Message, Span};
use crate::number::{round_half_away, NumberFormat, NBSP};
use crate::source::SourceFile;
use crate::table::{display_with_unit, Cell, DataTable, Mismatch};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A check as written in front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckSpec {
    /// One side: `tabla.fila.columna` or `sum(tabla.columna)`.
    pub figure: String,
    /// The other side, written the same way.
    pub equals: String,
    /// The editor's explanation of a known difference.
    #[serde(default)]
    pub explain: Option<String>,
    /// The difference is known and accepted: `check --strict` passes.
    #[serde(default)]
    pub accepted: bool,
}

/// Where a figure is read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum Side {
    /// A cell: table id, row (its first cell's text, or `total`), column id.
    Cell { table: String, row: String, column: String },
    /// The sum of a column's rows.
    Sum { table: String, column: String },
}

impl Side {
    /// Parses `tabla.fila.columna` or `sum(tabla.columna)`. Table and
    /// column ids have no dots; the row is everything between them.
    pub(crate) fn parse(text: &str) -> Option<Side> {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix("sum(").and_then(|r| r.strip_suffix(')')) {
            let (table, column) = inner.trim().split_once('.')?;
            let ok = !table.is_empty() && !column.is_empty() && !column.contains('.');
            return ok.then(|| Side::Sum { table: table.trim().into(), column: column.trim().into() });
        }
        let (table, rest) = text.split_once('.')?;
        let (row, column) = rest.rsplit_once('.')?;
        let ok = !table.is_empty() && !row.trim().is_empty() && !column.is_empty();
        ok.then(|| Side::Cell { table: table.trim().into(), row: row.trim().into(), column: column.trim().into() })
    }

    fn table(&self) -> &str {
        match self {
            Side::Cell { table, .. } | Side::Sum { table, .. } => table,
        }
    }
}

/// A declared check, parsed, with the places of its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Claim {
    pub figure: Side,
    pub equals: Side,
    pub explain: Option<String>,
    pub accepted: bool,
    pub span: Span,
    pub figure_span: Span,
    pub equals_span: Span,
}

/// Parses a section's `checks:`; bad sides are errors at their place.
pub(crate) fn parse_claims(
    specs: Vec<CheckSpec>,
    file: &SourceFile,
    span: impl Fn(&str) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Claim> {
    let mut claims = Vec::with_capacity(specs.len());
    for (i, spec) in specs.into_iter().enumerate() {
        let (figure_span, equals_span) = (span(&format!("checks.{i}.figure")), span(&format!("checks.{i}.equals")));
        let figure = Side::parse(&spec.figure);
        let equals = Side::parse(&spec.equals);
        for (side, text, at) in [(&figure, &spec.figure, figure_span), (&equals, &spec.equals, equals_span)] {
            if side.is_none() {
                diags.push(Diagnostic::error(file, at, Message::MalformedCheck { text: text.clone() }));
            }
        }
        if let (Some(figure), Some(equals)) = (figure, equals) {
            let span = span(&format!("checks.{i}"));
            claims.push(Claim {
                figure,
                equals,
                explain: spec.explain,
                accepted: spec.accepted,
                span,
                figure_span,
                equals_span,
            });
        }
    }
    claims
}

/// What kind of comparison an outcome is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) enum OutcomeKind {
    /// A `checks:` entry: two figures of tables.
    Declared,
    /// A `figure(…, printed=…)` in prose.
    Prose,
}

/// One figure of a comparison, as printed, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Figure {
    /// Table id, or None for prose.
    pub table: Option<String>,
    /// Readable place: `orasmi-origen · Total · Peticiones`.
    pub place: String,
    /// The figure as printed there.
    pub shown: String,
}

/// One comparison made, agreeing or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Outcome {
    pub kind: OutcomeKind,
    /// The file and place of the check or the prose.
    pub file: String,
    pub span: Span,
    /// Slug of the section where the check or prose is.
    pub section: String,
    pub left: Figure,
    pub right: Figure,
    pub agrees: bool,
    pub explain: Option<String>,
    pub accepted: bool,
}

/// A section's claims and prose figures, with what the check needs of it.
pub(crate) struct Source<'a> {
    pub file: &'a SourceFile,
    pub slug: &'a str,
    pub claims: &'a [Claim],
    /// `figure()` calls with `printed=`: (table, row, column, printed, place).
    pub printed: Vec<(String, String, String, String, Span)>,
}

/// A number with the decimals it is printed with.
#[derive(Debug, Clone, Copy)]
struct Value {
    value: f64,
    decimals: usize,
}

/// Resolves every claim against `tables` (id → table). Unknown names are
/// errors with a suggestion; disagreements are warnings unless accepted.
pub(crate) fn run(
    sources: &[Source],
    tables: &BTreeMap<&str, &DataTable>,
    fmt: &NumberFormat,
) -> (Vec<Outcome>, Vec<Diagnostic>) {
    let mut outcomes = Vec::new();
    let mut diags = Vec::new();
    for source in sources {
        for claim in source.claims {
            let left = resolve(&claim.figure, tables, fmt);
            let right = resolve(&claim.equals, tables, fmt);
            let (left, right) = match (left, right) {
                (Ok(l), Ok(r)) => (l, r),
                (l, r) => {
                    for (result, at) in [(l, claim.figure_span), (r, claim.equals_span)] {
                        if let Err(message) = result {
                            diags.push(Diagnostic::error(source.file, at, message));
                        }
                    }
                    continue;
                }
            };
            let agrees = same(left.1, right.1);
            let outcome = Outcome {
                kind: OutcomeKind::Declared,
                file: source.file.display.clone(),
                span: claim.span,
                section: source.slug.to_string(),
                left: left.0,
                right: right.0,
                agrees,
                explain: claim.explain.clone(),
                accepted: claim.accepted,
            };
            if !agrees && !claim.accepted {
                diags.push(Diagnostic::warning(source.file, claim.span, mismatch_message(&outcome)));
            }
            outcomes.push(outcome);
        }
        for (table, row, column, printed, span) in &source.printed {
            let side = Side::Cell { table: table.clone(), row: row.clone(), column: column.clone() };
            let right = match resolve(&side, tables, fmt) {
                Ok(r) => r,
                // An unknown table, row or column in a figure() is reported
                // where the page is rendered.
                Err(_) => continue,
            };
            let Some(value) = fmt.parse_printed(printed) else {
                diags.push(Diagnostic::error(source.file, *span, Message::PrintedNotANumber { text: printed.clone() }));
                continue;
            };
            let left = Figure { table: None, place: source.file.display.clone(), shown: printed.clone() };
            let agrees = same(Value { value: value.0, decimals: value.1 }, right.1);
            let outcome = Outcome {
                kind: OutcomeKind::Prose,
                file: source.file.display.clone(),
                span: *span,
                section: source.slug.to_string(),
                left,
                right: right.0,
                agrees,
                explain: None,
                accepted: false,
            };
            if !agrees {
                diags.push(Diagnostic::warning(source.file, *span, mismatch_message(&outcome)));
            }
            outcomes.push(outcome);
        }
    }
    (outcomes, diags)
}

/// What `outcome` adds to the verification note of each table it reads:
/// one more comparison, and the discrepancy when the figures disagree.
pub(crate) fn notes(outcome: &Outcome) -> Vec<(String, Option<Mismatch>)> {
    let mut out = Vec::new();
    let sides = [(&outcome.left, &outcome.right), (&outcome.right, &outcome.left)];
    let mut seen: Vec<&str> = Vec::new();
    for (here, there) in sides {
        let Some(id) = here.table.as_deref() else { continue };
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        if outcome.agrees {
            out.push((id.to_string(), None));
            continue;
        }
        let against = match outcome.kind {
            OutcomeKind::Prose => format!("{}:{}", outcome.file, outcome.span.line),
            OutcomeKind::Declared => there.place.clone(),
        };
        let mismatch = Mismatch {
            column: here.place.clone(),
            row: None,
            declared: here.shown.clone(),
            computed: there.shown.clone(),
            against: Some(against),
            explain: outcome.explain.clone(),
        };
        out.push((id.to_string(), Some(mismatch)));
    }
    out
}

fn mismatch_message(o: &Outcome) -> Message {
    let plain = |s: &str| s.replace(NBSP, " ");
    match o.kind {
        OutcomeKind::Declared => Message::CrossCheckMismatch {
            left: o.left.place.clone(),
            left_figure: plain(&o.left.shown),
            right: o.right.place.clone(),
            right_figure: plain(&o.right.shown),
            explain: o.explain.clone(),
        },
        OutcomeKind::Prose => Message::PrintedMismatch {
            printed: plain(&o.left.shown),
            place: o.right.place.clone(),
            figure: plain(&o.right.shown),
        },
    }
}

/// Two figures agree when they read the same at the coarser of their two
/// printed precisions (rounded half away from zero).
fn same(a: Value, b: Value) -> bool {
    let d = a.decimals.min(b.decimals);
    round_half_away(a.value, d) == round_half_away(b.value, d)
}

fn resolve(side: &Side, tables: &BTreeMap<&str, &DataTable>, fmt: &NumberFormat) -> Result<(Figure, Value), Message> {
    let id = side.table();
    let table = tables.get(id).ok_or_else(|| Message::UnknownId {
        kind: Kind::Table,
        id: id.to_string(),
        suggestion: suggest(id, tables.keys().copied()),
    })?;
    let column_id = match side {
        Side::Cell { column, .. } | Side::Sum { column, .. } => column,
    };
    let c = table.column_index(column_id).ok_or_else(|| Message::UnknownColumn {
        table: table.id.clone(),
        column: column_id.clone(),
        suggestion: suggest(column_id, table.columns.iter().map(|c| c.id.as_str())),
    })?;
    let column = &table.columns[c];
    if !column.kind.is_numeric() {
        return Err(Message::CheckColumnNotNumeric { column: column_id.clone() });
    }
    match side {
        Side::Cell { row, .. } => {
            let found = if row.eq_ignore_ascii_case("total") {
                table.total.as_ref()
            } else {
                table.rows.iter().chain(table.total.iter()).find(|r| r.label().is_some_and(|l| l.trim() == row.trim()))
            };
            let r = found.ok_or_else(|| Message::UnknownRow {
                table: table.id.clone(),
                row: row.clone(),
                suggestion: suggest(
                    row,
                    table.rows.iter().filter_map(|r| r.label()).chain(table.total.as_ref().map(|_| "total")),
                ),
            })?;
            let cell = &r.cells[c];
            let column = &table.column_in(c, r).unwrap_or_else(|| column.clone());
            let value = cell_value(cell, column.decimals).ok_or_else(|| Message::EmptyCheckedCell {
                table: table.id.clone(),
                row: row.clone(),
                column: column_id.clone(),
            })?;
            let row_name = r.label().map_or_else(|| row.clone(), str::to_string);
            let place = format!("{} · {} · {}", table.id, row_name, column.heading());
            Ok((Figure { table: Some(table.id.clone()), place, shown: display_with_unit(column, cell, fmt) }, value))
        }
        Side::Sum { .. } => {
            let cells: Vec<Value> =
                table.rows.iter().filter_map(|r| cell_value(&r.cells[c], column.decimals)).collect();
            let value: f64 = cells.iter().map(|v| v.value).sum();
            let decimals = cells.iter().map(|v| v.decimals).max().unwrap_or(0);
            let cell = match (column.kind.is_numeric(), decimals) {
                (_, 0) if value.abs() < 9.2e18 && value.fract() == 0.0 => Cell::Int(value as i64),
                _ => Cell::Num { value, decimals },
            };
            let place = format!("sum({}.{})", table.id, column.id);
            Ok((
                Figure { table: Some(table.id.clone()), place, shown: display_with_unit(column, &cell, fmt) },
                Value { value, decimals },
            ))
        }
    }
}

fn cell_value(cell: &Cell, decimals: Option<u8>) -> Option<Value> {
    match cell {
        Cell::Int(i) => Some(Value { value: *i as f64, decimals: 0 }),
        Cell::Num { value, decimals: d } => Some(Value { value: *value, decimals: decimals.map_or(*d, usize::from) }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_name_a_cell_or_the_sum_of_a_column() {
        let cases: &[(&str, Option<Side>)] = &[
            (
                "orasmi.Peticiones recibidas.n",
                Some(Side::Cell { table: "orasmi".into(), row: "Peticiones recibidas".into(), column: "n".into() }),
            ),
            ("t.Ley 20.000.n", Some(Side::Cell { table: "t".into(), row: "Ley 20.000".into(), column: "n".into() })),
            ("t.total.n", Some(Side::Cell { table: "t".into(), row: "total".into(), column: "n".into() })),
            ("sum(t.n)", Some(Side::Sum { table: "t".into(), column: "n".into() })),
            ("sum(t)", None),
            ("t.n", None),
            ("t..n", None),
        ];
        for (text, want) in cases {
            assert_eq!(Side::parse(text), *want, "{text}");
        }
    }

    #[test]
    fn figures_agree_at_the_coarser_printed_precision() {
        let v = |value, decimals| Value { value, decimals };
        assert!(same(v(63.0, 0), v(63.0, 0)));
        assert!(!same(v(63.0, 0), v(64.0, 0)));
        assert!(same(v(29.44, 2), v(29.4, 1)));
        assert!(same(v(253.5, 1), v(254.0, 0)));
        assert!(!same(v(29.46, 2), v(29.4, 1)));
    }
}
