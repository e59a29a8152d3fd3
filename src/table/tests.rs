use super::*;
use crate::front_matter;
use crate::source::SourceFile;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Doc {
    tables: Vec<TableSpec>,
}

/// Builds the first table of a front-matter snippet; returns it and the messages.
fn build_one(yaml: &str) -> (Option<DataTable>, Vec<Diagnostic>) {
    let text = format!("---\n{yaml}---\n");
    let file = SourceFile::new(Path::new("t.md"), "t.md".into(), &text);
    let split = front_matter::split(&file).expect("split");
    let (doc, positions): (Doc, _) = front_matter::parse(&file, &split).expect("parse");
    let spec = doc.tables.into_iter().next().expect("one table");
    let at = Locator { file: &file, positions: &positions, path: "tables.0".into() };
    build(spec, &at, &NumberFormat::new("es-CL", "CLP"))
}

const BUDGET: &str = "tables:
  - id: presupuesto
    caption: Presupuesto
    columns:
      - { id: item, label: Ítem }
      - { id: aprobado, label: Aprobado, type: money }
      - { id: gastado, label: Gastado, type: money }
      - { id: pct, label: Cumplimiento, type: percent, formula: \"gastado / aprobado * 100\" }
    rows:
      - [Personal, 3620010, 3620010, 100]
      - [Bienes, 73994320, 73520866, 99.8]
      - [Terreno, 12220000, 12219989, 100.0]
      - [Migrantes, 1000, 500, ~]
    total: [Total, 89835330, 89361365, ~]
";

#[test]
fn formula_mismatch_is_a_warning_in_report_format_at_the_cell() {
    let (table, diags) = build_one(BUDGET);
    let table = table.expect("table builds");
    let warnings: Vec<_> = diags.iter().filter(|d| d.severity == crate::diagnostics::Severity::Warning).collect();
    assert_eq!(warnings.len(), 1, "{diags:?}");
    assert_eq!(warnings[0].span.line, 12, "points at the Bienes row");
    assert_eq!(
        warnings[0].message,
        Message::FormulaMismatch {
            column: "Cumplimiento".into(),
            row: "Bienes".into(),
            declared: "99,8 %".into(),
            computed: "99,4 %".into()
        }
    );
    assert_eq!(table.mismatches.len(), 1);
}

#[test]
fn values_within_printed_precision_agree() {
    // 12219989 / 12220000 = 99.99991 %, printed as 100.0: no warning.
    let (_, diags) = build_one(BUDGET);
    assert!(!diags.iter().any(|d| matches!(&d.message, Message::FormulaMismatch { row, .. } if row == "Terreno")));
}

#[test]
fn null_cells_are_computed_and_marked() {
    let (table, _) = build_one(BUDGET);
    let table = table.expect("table");
    assert_eq!(table.rows[3].cells[3], Cell::Num { value: 50.0, decimals: 1 });
    assert!(table.rows[3].computed[3]);
    let total = table.total.expect("total");
    assert!(total.computed[3], "the total's ratio is computed from the totals");
}

#[test]
fn declared_total_is_checked_against_the_column_sum() {
    let yaml = BUDGET.replace("total: [Total, 89835330, 89361365, ~]", "total: [Total, 89835331, 89361365, ~]");
    let (table, diags) = build_one(&yaml);
    let d = diags.iter().find(|d| matches!(d.message, Message::TotalMismatch { .. })).expect("total warning");
    assert_eq!(
        d.message,
        Message::TotalMismatch {
            column: "Aprobado".into(),
            declared: "$ 89.835.331".into(),
            computed: "$ 89.835.330".into()
        }
    );
    assert_eq!((d.span.line, d.span.col), (15, 20));
    assert_eq!(table.expect("table").mismatches.len(), 2);
}

#[test]
fn printed_thousands_separator_is_an_error_with_a_suggestion() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: a, label: A }\n      - { id: n, label: N, type: integer }\n    rows:\n      - [x, 12.794]\n";
    let (table, diags) = build_one(yaml);
    assert!(table.is_none());
    assert_eq!(diags[0].message, Message::FractionInInteger { literal: "12.794".into(), suggestion: "12794".into() });
    assert_eq!((diags[0].span.line, diags[0].span.col, diags[0].span.len), (9, 13, 6));
}

#[test]
fn malformed_rows_and_cells_are_errors_at_their_line() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: a, label: A }\n      - { id: n, label: N, type: integer, formula: \"m * 2\" }\n    rows:\n      - [x]\n      - [y, mucho]\n";
    let (_, diags) = build_one(yaml);
    let find = |pred: &dyn Fn(&Message) -> bool| diags.iter().find(|d| pred(&d.message)).map(|d| d.span.line);
    assert_eq!(find(&|m| matches!(m, Message::FormulaUnknownColumn { name, .. } if name == "m")), Some(7));
    assert_eq!(find(&|m| matches!(m, Message::RowLength { expected: 2, found: 1 })), Some(9));
    assert_eq!(find(&|m| matches!(m, Message::TextInNumericColumn { .. })), Some(10));
}

#[test]
fn ids_and_duplicate_columns_are_validated() {
    let yaml = "tables:\n  - id: Mal/../id\n    caption: V\n    columns:\n      - { id: a, label: A }\n      - { id: a, label: B }\n";
    let (_, diags) = build_one(yaml);
    assert!(diags.iter().any(|d| matches!(&d.message, Message::InvalidId { id, .. } if id == "Mal/../id")));
    assert!(diags.iter().any(|d| matches!(&d.message, Message::DuplicateId { id, .. } if id == "a")));
}

#[test]
fn limits_of_numbers_are_handled() {
    let ok = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N, type: integer }\n      - { id: d, label: D, type: decimal }\n    rows:\n      - [9223372036854775807, 1.7976931348623157e308]\n";
    let (table, diags) = build_one(ok);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(table.expect("t").rows[0].cells[0], Cell::Int(i64::MAX));
    for bad in ["9223372036854775808", ".nan", ".inf"] {
        let yaml = ok.replace("9223372036854775807", bad);
        let (table, diags) = build_one(&yaml);
        assert!(table.is_none(), "{bad}");
        assert!(
            matches!(diags[0].message, Message::OutOfRange { .. } | Message::NotFinite { .. }),
            "{bad}: {:?}",
            diags[0].message
        );
    }
}

#[test]
fn cells_format_by_column_type() {
    let fmt = NumberFormat::new("es-CL", "CLP");
    let col = |kind, empty: Option<&str>| Column {
        id: "c".into(),
        label: "C".into(),
        kind,
        decimals: None,
        empty: empty.map(str::to_string),
        formula: None,
    };
    assert_eq!(display(&col(ColumnType::Money, None), &Cell::Int(-121239), &fmt), "-$ 121.239");
    assert_eq!(display(&col(ColumnType::Percent, None), &Cell::Num { value: 99.86, decimals: 2 }, &fmt), "99,86 %");
    assert_eq!(display(&col(ColumnType::Integer, None), &Cell::Int(12794), &fmt), "12.794");
    assert_eq!(display(&col(ColumnType::Text, Some("No aplica")), &Cell::Empty, &fmt), "No aplica");
    assert_eq!(display(&col(ColumnType::Integer, None), &Cell::Empty, &fmt), "—");
}
