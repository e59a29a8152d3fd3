//! Open data: each table as CSV for programs (UTF-8, header of stable column
//! ids, plain numbers, computed cells filled in, formula injection
//! neutralised) and as CSV for Excel with a Chilean locale (BOM, `;`,
//! decimal comma, header of labels with units); every table in one workbook
//! (`workbook.rs`); and a Frictionless `datapackage.json`. The total row is
//! no data row: the CSVs leave it out and the package states it (`totals`),
//! so summing a column never counts it twice.

use crate::model::{Report, Section};
use crate::number::NumberFormat;
use crate::table::{Cell, Column, ColumnType, DataTable};
use serde_json::{json, Value};

/// Where the CSV for programs of table `id` is written.
pub(super) fn csv_path(id: &str) -> String {
    format!("datos/{id}.csv")
}

/// Where the CSV for Excel of table `id` is written.
pub(super) fn excel_csv_path(id: &str) -> String {
    format!("datos/excel/{id}.csv")
}

/// The CSV of one table for programs: header of column ids (the data
/// package's field names), then the rows; no total row.
pub(super) fn csv(table: &DataTable) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors would only come from I/O.
    let _ = w.write_record(table.columns.iter().map(|c| neutralise(&c.id)));
    for row in &table.rows {
        let _ = w.write_record(row.cells.iter().map(plain));
    }
    w.into_inner().unwrap_or_default()
}

/// The CSV of one table as Excel opens it with a Chilean (or any Spanish)
/// locale: UTF-8 with a BOM (else Excel reads it as Windows-1252), `;`
/// between cells, decimal comma, figures without thousands separators so
/// that Excel reads them as numbers; header of labels with their unit.
pub(super) fn excel_csv(table: &DataTable, fmt: &NumberFormat) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(table.columns.iter().map(|c| neutralise(&people_heading(c, fmt))));
    for row in &table.rows {
        let _ = w.write_record(row.cells.iter().map(|c| match c {
            Cell::Num { .. } | Cell::Int(_) => plain(c).replace('.', ","),
            // Day first, which a Chilean Excel reads as a date.
            Cell::Date(d) => format!("{:02}-{:02}-{:04}", d.day, d.month, d.year),
            other => plain(other),
        }));
    }
    w.into_inner().unwrap_or_default()
}

/// A column's label with its unit, for people: `Presupuesto (M$)`,
/// `Monto ($)`, `Avance (%)`.
/// Under a column group, the group leads: `Presupuesto · Inicial (M$)`.
pub(super) fn people_heading(column: &Column, fmt: &NumberFormat) -> String {
    let heading = match (&column.unit, column.kind) {
        (Some(_), _) => column.heading(),
        (None, ColumnType::Money) => format!("{} ({})", column.label, fmt.currency()),
        (None, ColumnType::Percent) => format!("{} (%)", column.label),
        _ => column.label.clone(),
    };
    grouped(column, &heading)
}

/// `text` led by the column's group, if it has one.
fn grouped(column: &Column, text: &str) -> String {
    match &column.group {
        Some(group) => format!("{group} · {text}"),
        None => text.to_string(),
    }
}

/// A cell as plain data: numbers with a point and no grouping.
fn plain(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Int(i) => i.to_string(),
        Cell::Num { value, decimals } => format!("{value:.decimals$}"),
        Cell::Text(t) => neutralise(t),
        Cell::List(items) => neutralise(&items.join("; ")),
        // ISO 8601, the Table Schema's default date format.
        Cell::Date(date) => date.to_string(),
    }
}

/// Spreadsheets run cells that start with = + - @ as formulas, also after
/// leading spaces and in their full-width forms (`＝1+1`, typed with an
/// Asian input method); a leading apostrophe makes them text. Numbers never
/// reach here.
pub(crate) fn neutralise(text: &str) -> String {
    const SIGNS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    let first = text.trim_start_matches(|c: char| c.is_whitespace() && c != '\t' && c != '\r');
    if text.starts_with(SIGNS) || first.starts_with(SIGNS) {
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
        ColumnType::Date => "date",
    }
}

/// What a column holds, for the data package: its unit and, for a
/// computed column, how it is computed.
fn description(column: &Column, currency: &str) -> String {
    let what = match (column.kind, &column.unit) {
        (ColumnType::Text, _) => "Texto".to_string(),
        (ColumnType::Date, _) => "Fecha, como año-mes-día (2019-12-31)".to_string(),
        (ColumnType::Integer, None) => "Número entero".to_string(),
        (ColumnType::Decimal, None) => "Número decimal, con punto decimal".to_string(),
        (ColumnType::Money, None) => format!("Monto en {currency}, sin separador de miles"),
        (ColumnType::Percent, _) => "Porcentaje, de 0 a 100 (99.8 es 99,8 %)".to_string(),
        (_, Some(unit)) => format!("Cifra en {unit}, sin separador de miles, con punto decimal"),
    };
    match &column.formula {
        Some(f) => format!("{what}. Calculado: {}", f.source()),
        None => format!("{what}."),
    }
}

/// The total row as the package states it: field name → value.
fn totals(t: &DataTable) -> Option<Value> {
    let total = t.total.as_ref()?;
    let map: serde_json::Map<String, Value> = t
        .columns
        .iter()
        .zip(&total.cells)
        .filter_map(|(c, cell)| {
            let value = match cell {
                Cell::Int(i) => json!(i),
                Cell::Num { value, decimals } => json!(format!("{value:.decimals$}").parse::<f64>().ok()?),
                Cell::Text(text) => json!(text),
                _ => return None,
            };
            Some((c.id.clone(), value))
        })
        .collect();
    Some(Value::Object(map))
}

/// One table as a resource of the data package: fields named by the
/// stable column ids, titled by their labels.
fn resource(section: &Section, t: &DataTable, currency: &str) -> Value {
    let fields: Vec<Value> = t
        .columns
        .iter()
        .map(|c| {
            let mut field = json!({
                "name": c.id,
                "title": grouped(c, &c.label),
                "description": description(c, currency),
                "type": field_type(c.kind),
            });
            // Table Schema has no unit: a property for machines, and in
            // the description for people.
            if let Some(unit) = &c.unit {
                field["unit"] = json!(unit);
            }
            // Table Schema has no column groups: the group leads the title
            // and is kept as a property of its own.
            if let Some(group) = &c.group {
                field["group"] = json!(group);
            }
            field
        })
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
    if let Some(totals) = totals(t) {
        // Not a row of the CSV: the total the report publishes, per field.
        r["totals"] = totals;
    }
    r
}

/// A resource as it reads inside the package: pretty-printed at the depth
/// of the `resources` array, HTML-safe (see `search::html_safe_json`).
pub(super) fn resource_text(section: &Section, t: &DataTable, currency: &str) -> String {
    let pretty = serde_json::to_string_pretty(&resource(section, t, currency)).unwrap_or_default();
    let indented: Vec<String> = pretty.lines().map(|l| format!("    {l}")).collect();
    super::search::html_safe_json(&indented.join("\n"))
}

/// The package without its resources: they are spliced in as text, each
/// made once (and kept by a `serve` session) rather than all every build.
fn package(report: &Report, resources: Value) -> Value {
    let s = report.settings();
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
    package
}

/// The Frictionless Data Package describing every table, from each table's
/// [`resource_text`] in order.
pub(super) fn datapackage(report: &Report, resources: &[impl AsRef<str>]) -> Vec<u8> {
    let shell =
        super::search::html_safe_json(&serde_json::to_string_pretty(&package(report, json!([]))).unwrap_or_default());
    // A key in the JSON text: inside strings the quotes would be escaped.
    let slot = "\"resources\": []";
    let Some(at) = shell.find(slot) else { return format!("{shell}\n").into_bytes() };
    let (before, after) = (&shell[..at + slot.len() - 1], &shell[at + slot.len()..]);
    // Written once into a buffer of the final size: the resources of a large
    // report are megabytes, and each copy of them was felt.
    let size: usize = resources.iter().map(|r| r.as_ref().len() + 2).sum();
    let mut text = String::with_capacity(shell.len() + size + 8);
    text.push_str(before);
    if !resources.is_empty() {
        text.push('\n');
        for (i, r) in resources.iter().enumerate() {
            if i > 0 {
                text.push_str(",\n");
            }
            text.push_str(r.as_ref());
        }
        text.push_str("\n  ");
    }
    text.push(']');
    text.push_str(after);
    text.push('\n');
    text.into_bytes()
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
    fn formula_signs_after_spaces_or_in_full_width_are_neutralised_too() {
        for text in [" =1+1", "\u{a0}+1", "\u{3000}-1", "＝1+1", "＋1", "－1", "＠cmd", " \t=x", "\n=1"] {
            assert_eq!(neutralise(text), format!("'{text}"), "{text:?}");
        }
        assert_eq!(neutralise(" texto = otro"), " texto = otro");
    }

    #[test]
    fn the_package_spliced_from_resources_is_the_package_printed_whole() {
        let report = crate::model::assemble(std::path::Path::new("tests/fixtures/report")).0.expect("fixture");
        let pairs: Vec<(&Section, &DataTable)> =
            report.sections.iter().flat_map(|s| s.tables.iter().map(move |t| (s, t))).collect();
        assert!(pairs.len() > 1);
        let texts: Vec<String> = pairs.iter().map(|(s, t)| resource_text(s, t, "CLP")).collect();
        let whole = package(&report, Value::Array(pairs.iter().map(|(s, t)| resource(s, t, "CLP")).collect()));
        let expected =
            super::super::search::html_safe_json(&serde_json::to_string_pretty(&whole).expect("json")) + "\n";
        assert_eq!(String::from_utf8(datapackage(&report, &texts)).expect("utf-8"), expected);
        let none: [&str; 0] = [];
        let empty: Value = serde_json::from_slice(&datapackage(&report, &none)).expect("valid json");
        assert_eq!(empty["resources"], json!([]));
    }

    #[test]
    fn numbers_are_plain_in_csv() {
        assert_eq!(plain(&Cell::Int(-121239)), "-121239");
        assert_eq!(plain(&Cell::Num { value: 99.8, decimals: 1 }), "99.8");
        assert_eq!(plain(&Cell::Empty), "");
    }
}
