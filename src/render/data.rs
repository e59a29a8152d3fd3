//! Open data: each table as CSV (plain numbers, computed cells filled in,
//! formula injection neutralised) and a Frictionless `datapackage.json`.

use crate::model::Report;
use crate::table::{Cell, ColumnType, DataTable};
use serde_json::{json, Value};

/// The CSV of one table: header from column labels, then rows, then the total.
pub fn csv(table: &DataTable) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors would only come from I/O.
    let _ = w.write_record(table.columns.iter().map(|c| neutralise(&c.label)));
    for row in table.rows.iter().chain(table.total.iter()) {
        let _ = w.write_record(row.cells.iter().map(plain));
    }
    w.into_inner().unwrap_or_default()
}

/// A cell as plain data: numbers with a point and no grouping.
fn plain(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Int(i) => i.to_string(),
        Cell::Num { value, decimals } => format!("{value:.decimals$}"),
        Cell::Text(t) => neutralise(t),
        Cell::List(items) => neutralise(&items.join("; ")),
    }
}

/// Spreadsheets run cells that start with = + - @ as formulas; a leading
/// apostrophe makes them text. Numbers never reach here.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn field_type(kind: ColumnType) -> &'static str {
    match kind {
        ColumnType::Text => "string",
        ColumnType::Integer | ColumnType::Money => "integer",
        ColumnType::Decimal | ColumnType::Percent => "number",
    }
}

/// The Frictionless Data Package describing every table.
pub fn datapackage(report: &Report) -> Vec<u8> {
    let s = report.settings();
    let resources: Vec<Value> = report
        .sections
        .iter()
        .flat_map(|section| section.tables.iter().map(move |t| (section, t)))
        .map(|(section, t)| {
            let fields: Vec<Value> = t
                .columns
                .iter()
                .map(|c| json!({ "name": c.label, "title": c.label, "description": c.id, "type": field_type(c.kind) }))
                .collect();
            let mut r = json!({
                "name": t.id,
                "title": t.caption,
                "path": format!("{}.csv", t.id),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": { "fields": fields },
                "description": format!("{} — {}", section.title, t.caption),
            });
            if let Some(source) = &t.source {
                r["sources"] = json!([{ "title": source }]);
            }
            r
        })
        .collect();
    let mut package = json!({
        "profile": "tabular-data-package",
        "name": s.zip_name,
        "title": s.title,
        "resources": resources,
    });
    if !s.institution.is_empty() {
        package["contributors"] = json!([{ "title": s.institution, "role": "publisher" }]);
    }
    if let Some(description) = &s.description {
        package["description"] = json!(description);
    }
    if let Some(licence) = &s.licence {
        package["licenses"] = json!([{ "name": licence, "title": licence }]);
    }
    let json = serde_json::to_string_pretty(&package).unwrap_or_default();
    let mut bytes = super::search::html_safe_json(&json).into_bytes();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_but_plain_text_is_not() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("Visas"), "Visas");
    }

    #[test]
    fn numbers_are_plain_in_csv() {
        assert_eq!(plain(&Cell::Int(-121239)), "-121239");
        assert_eq!(plain(&Cell::Num { value: 99.8, decimals: 1 }), "99.8");
        assert_eq!(plain(&Cell::Empty), "");
    }
}
