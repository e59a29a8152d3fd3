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
        fill: true,
        unit: None,
        group: None,
    };
    assert_eq!(display(&col(ColumnType::Money, None), &Cell::Int(-121239), &fmt), "-$\u{a0}121.239");
    assert_eq!(
        display(&col(ColumnType::Percent, None), &Cell::Num { value: 99.86, decimals: 2 }, &fmt),
        "99,86\u{a0}%"
    );
    assert_eq!(display(&col(ColumnType::Integer, None), &Cell::Int(12794), &fmt), "12.794");
    assert_eq!(display(&col(ColumnType::Text, Some("No aplica")), &Cell::Empty, &fmt), "No aplica");
    assert_eq!(display(&col(ColumnType::Integer, None), &Cell::Empty, &fmt), "—");
}

/// A table with one integer column `a`, a formula column `f` (integer) and
/// the given rows/total, for short cases.
fn tie_table(rows: &str, total: &str) -> String {
    format!(
        "tables:\n  - id: v\n    caption: V\n    columns:\n      - {{ id: n, label: N }}\n      - {{ id: a, label: A, type: integer }}\n      - {{ id: f, label: F, type: integer, formula: \"a / 12\" }}\n    rows:\n{rows}    total: {total}\n"
    )
}

#[test]
fn a_tie_is_rounded_half_away_from_zero_like_the_printed_figure() {
    // 3.042 / 12 = 253,5, printed as 254: it agrees.
    let yaml = tie_table("      - [x, 3042, 254]\n", "[T, 3042, ~]");
    let (_, diags) = build_one(&yaml);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn no_warning_ever_shows_two_figures_that_read_the_same() {
    for (a, printed) in [(3042, 253), (3042, 255), (30, 2), (30, 3), (-30, -3), (18, 1)] {
        let yaml = tie_table(&format!("      - [x, {a}, {printed}]\n"), "~");
        let (_, diags) = build_one(&yaml);
        for d in &diags {
            if let Message::FormulaMismatch { declared, computed, .. } = &d.message {
                assert_ne!(declared, computed, "{a}/{printed}");
            }
        }
    }
}

const CHAINED: &str = "tables:
  - id: t
    caption: T
    columns:
      - { id: item, label: Ítem }
      - { id: a, label: A, type: integer }
      - { id: b, label: B, type: integer }
      - { id: s, label: Suma, type: integer, formula: \"a + b\" }
      - { id: p, label: Parte, type: percent, formula: \"a / s * 100\" }
    rows:
      - [x, 30, 70, 100, 30.0]
      - [y, 10, 10, 20, 50.0]
    total: [Total, 40, 80, 120, 33.3]
";

#[test]
fn formula_totals_are_computed_from_computed_values_and_each_discrepancy_is_reported_once() {
    let (table, diags) = build_one(CHAINED);
    assert!(diags.is_empty(), "a consistent table: {diags:?}");
    assert_eq!(table.expect("t").checks, Checks { formulas: 4, totals: 4, cross: 0 });

    // A wrong printed total of A (41): reported once, on A; the ratio total
    // is computed from the computed totals (40 / 120), which it matches.
    let yaml = CHAINED.replace("[Total, 40, 80, 120, 33.3]", "[Total, 41, 80, 120, 33.3]");
    let (table, diags) = build_one(&yaml);
    let messages: Vec<&Message> = diags.iter().map(|d| &d.message).collect();
    assert_eq!(
        messages,
        [&Message::TotalMismatch { column: "A".into(), declared: "41".into(), computed: "40".into() }]
    );
    assert_eq!(table.expect("t").mismatches.len(), 1);

    // A total of Suma and a ratio that follow the wrong printed A (41, 121,
    // 33,9 %): the discrepancy arises in A; the others only repeat it.
    let yaml = CHAINED.replace("[Total, 40, 80, 120, 33.3]", "[Total, 41, 80, 121, 33.9]");
    let (_, diags) = build_one(&yaml);
    let columns: Vec<String> = diags
        .iter()
        .filter_map(|d| match &d.message {
            Message::TotalMismatch { column, computed, .. } => Some(format!("{column}={computed}")),
            _ => None,
        })
        .collect();
    assert_eq!(columns, ["A=40"]);

    // A ratio total that is wrong by itself: computed from computed totals.
    let yaml = CHAINED.replace("[Total, 40, 80, 120, 33.3]", "[Total, 40, 80, 120, 35.0]");
    let (_, diags) = build_one(&yaml);
    assert_eq!(
        diags[0].message,
        Message::TotalMismatch { column: "Parte".into(), declared: "35,0 %".into(), computed: "33,3 %".into() }
    );
}

#[test]
fn a_formula_over_a_formula_column_reads_the_computed_value() {
    // Suma of y is printed 21 (wrong: 20); Parte of y printed 50,0 is right
    // by the computed 20, and 47,6 (by the printed 21) is not flagged twice.
    for (parte, warnings) in [("50.0", 1), ("47.6", 1), ("60.0", 2)] {
        let yaml = CHAINED.replace("[y, 10, 10, 20, 50.0]", &format!("[y, 10, 10, 21, {parte}]"));
        let (_, diags) = build_one(&yaml);
        let rows = diags.iter().filter(|d| matches!(d.message, Message::FormulaMismatch { .. })).count();
        assert_eq!(rows, warnings, "{parte}: {diags:?}");
    }
}

#[test]
fn percentages_without_a_formula_are_not_summed_nor_claimed_as_checked() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N }\n      - { id: p, label: P, type: percent }\n    rows:\n      - [x, 99.8]\n      - [y, 50.0]\n    total: [T, 75.0]\n";
    let (table, diags) = build_one(yaml);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(table.expect("t").checks.count(), 0);
}

#[test]
fn a_column_with_fill_false_leaves_unprinted_cells_empty_but_checks_printed_ones() {
    let yaml = CHAINED
        .replace("formula: \"a / s * 100\" }", "formula: \"a / s * 100\", fill: false }")
        .replace("[y, 10, 10, 20, 50.0]", "[y, 10, 10, 20, ~]")
        .replace("[Total, 40, 80, 120, 33.3]", "[Total, 40, 80, 120, ~]");
    let (table, diags) = build_one(&yaml);
    assert!(diags.is_empty(), "{diags:?}");
    let table = table.expect("t");
    assert_eq!(table.rows[1].cells[4], Cell::Empty);
    assert_eq!(table.total.expect("total").cells[4], Cell::Empty);
    assert_eq!(table.checks, Checks { formulas: 3, totals: 3, cross: 0 });
}

#[test]
fn a_decimal_comma_is_recognised_with_the_point_to_use() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N }\n      - { id: p, label: P, type: percent }\n      - { id: q, label: Q, type: decimal }\n    rows:\n      - [x, 99,8, 1.5]\n      - [y, \"12,5\", 1]\n";
    let (table, diags) = build_one(yaml);
    assert!(table.is_none());
    let found: Vec<(Message, usize, usize, usize)> =
        diags.iter().map(|d| (d.message.clone(), d.span.line, d.span.col, d.span.len)).collect();
    assert_eq!(
        found,
        [
            (Message::DecimalComma { literal: "99,8".into(), suggestion: "99.8".into() }, 10, 13, 4),
            (Message::DecimalComma { literal: "12,5".into(), suggestion: "12.5".into() }, 11, 13, 4),
        ]
    );
}

#[test]
fn formula_errors_point_at_the_exact_character_in_the_file() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: a, label: A, type: integer }\n      - { id: b, label: B, type: integer, formula: \"a > 1\" }\n      - { id: c, label: C, type: integer, formula: a + gastdo }\n";
    let (_, diags) = build_one(yaml);
    let found: Vec<(usize, usize)> = diags.iter().map(|d| (d.span.line, d.span.col)).collect();
    assert_eq!(found, [(7, 55), (8, 56)], "{diags:?}");
    assert_eq!(diags[0].message, Message::FormulaSyntax { problem: crate::formula::Problem::UnexpectedChar('>') });
}

#[test]
fn a_cycle_between_formula_columns_is_an_error() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: a, label: A, type: integer, formula: \"c + 1\" }\n      - { id: b, label: B, type: integer, formula: \"a * 2\" }\n      - { id: c, label: C, type: integer, formula: \"b\" }\n    rows:\n      - [1, 2, 3]\n";
    let (table, diags) = build_one(yaml);
    assert!(table.is_none());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].span.line, 6);
    let Message::FormulaCycle { cycle } = &diags[0].message else { panic!("{diags:?}") };
    assert_eq!(cycle.len(), 4);
    assert_eq!(cycle.first(), cycle.last());
}

#[test]
fn share_checks_a_column_of_percentages_row_by_row() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N }\n      - { id: m, label: M, type: integer }\n      - { id: p, label: P, type: percent, formula: \"share(m)\" }\n    rows:\n      - [x, 1, 25.0]\n      - [y, 3, 70.0]\n    total: [T, 4, 100.0]\n";
    let (table, diags) = build_one(yaml);
    let messages: Vec<&Message> = diags.iter().map(|d| &d.message).collect();
    assert_eq!(
        messages,
        [&Message::FormulaMismatch {
            column: "P".into(),
            row: "y".into(),
            declared: "70,0 %".into(),
            computed: "75,0 %".into()
        }]
    );
    assert_eq!(table.expect("t").checks, Checks { formulas: 2, totals: 2, cross: 0 });
}

#[test]
fn a_unit_goes_in_the_header_and_with_a_figure_quoted_alone() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N }\n      - { id: m, label: Presupuesto, type: money, unit: M$ }\n      - { id: p, label: Personas, type: integer, unit: personas }\n    rows:\n      - [x, 422935621, 1234]\n";
    let (table, diags) = build_one(yaml);
    assert!(diags.is_empty(), "{diags:?}");
    let table = table.expect("t");
    let fmt = NumberFormat::new("es-CL", "CLP");
    let (m, p) = (&table.columns[1], &table.columns[2]);
    assert_eq!(m.heading(), "Presupuesto (M$)");
    assert_eq!(display(m, &table.rows[0].cells[1], &fmt), "422.935.621", "never '$ 422.935.621' (pesos)");
    assert_eq!(display_with_unit(m, &table.rows[0].cells[1], &fmt), "M$\u{a0}422.935.621");
    assert_eq!(display_with_unit(p, &table.rows[0].cells[2], &fmt), "1.234\u{a0}personas");
}

#[test]
fn a_misspelled_unit_or_a_unit_on_a_text_column_is_an_error() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N, unit: M$ }\n      - { id: m, label: M, type: money, unit: m$ }\n";
    let (table, diags) = build_one(yaml);
    assert!(table.is_none());
    let found: Vec<(&Message, usize)> = diags.iter().map(|d| (&d.message, d.span.line)).collect();
    assert_eq!(
        found,
        [
            (&Message::UnitOnColumn { column: "n".into() }, 6),
            (&Message::UnknownUnit { unit: "m$".into(), suggestion: Some("M$".into()) }, 7),
        ]
    );
}

const FACT_SHEET: &str = "tables:
  - id: ficha
    caption: Ficha
    columns:
      - { id: dato, label: Dato }
      - { id: valor, label: Valor, type: decimal }
    rows:
      - { cells: [Presupuesto, 422935621], type: money, unit: M$ }
      - { cells: [Beneficiarios, 1234], type: integer, unit: personas }
      - { cells: [Ejecución, 99.8], type: percent }
    total: [Total, 5]
";

#[test]
fn rows_of_a_fact_sheet_keep_their_own_type_and_are_never_summed_together() {
    let (table, diags) = build_one(FACT_SHEET);
    assert!(diags.is_empty(), "pesos, people and a percentage are not summed: {diags:?}");
    let table = table.expect("t");
    assert_eq!(table.checks.count(), 0);
    let fmt = NumberFormat::new("es-CL", "CLP");
    let shown: Vec<String> = table.rows.iter().map(|r| table.display_in(1, r, &fmt)).collect();
    assert_eq!(shown, ["422.935.621", "1.234", "99,8\u{a0}%"]);
    let with_unit: Vec<String> = table
        .rows
        .iter()
        .map(|r| display_with_unit(&table.column_in(1, r).expect("column"), &r.cells[1], &fmt))
        .collect();
    assert_eq!(with_unit, ["M$\u{a0}422.935.621", "1.234\u{a0}personas", "99,8\u{a0}%"]);
    assert_eq!(table.rows[0].cells[1], Cell::Int(422935621), "a money row holds whole pesos");
}

#[test]
fn rows_of_one_type_are_still_summed() {
    let yaml = FACT_SHEET
        .replace("[Beneficiarios, 1234], type: integer, unit: personas", "[Otro, 1], type: money, unit: M$")
        .replace("[Ejecución, 99.8], type: percent", "[Más, 1], type: money, unit: M$");
    let (_, diags) = build_one(&yaml);
    assert!(matches!(diags[0].message, Message::TotalMismatch { .. }), "{diags:?}");
}

#[test]
fn a_row_type_is_refused_in_a_table_with_formulas_and_must_be_known() {
    let yaml = "tables:\n  - id: v\n    caption: V\n    columns:\n      - { id: n, label: N }\n      - { id: a, label: A, type: integer }\n      - { id: b, label: B, type: integer, formula: \"a * 2\" }\n    rows:\n      - { cells: [x, 1, ~], type: money }\n      - { cells: [y, 1, ~], type: plata }\n";
    let (table, diags) = build_one(yaml);
    assert!(table.is_none());
    let found: Vec<(&Message, usize)> = diags.iter().map(|d| (&d.message, d.span.line)).collect();
    assert!(found.contains(&(&Message::RowTypeWithFormula { column: "b".into() }, 10)), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(m, line)| *line == 11 && matches!(m, Message::UnknownVariant { value, .. } if value == "plata")),
        "{found:?}"
    );
}

#[test]
fn a_date_column_reads_iso_days_shows_them_day_first_and_refuses_other_forms() {
    let yaml = "tables:
  - id: hitos
    caption: Hitos
    columns:
      - { id: hito, label: Hito }
      - { id: dia, label: Día, type: fecha }
    rows:
      - [Inicio, 2019-03-05]
      - [Cierre, \"2019-12-31\"]
      - [Pendiente, ~]
";
    let (table, diags) = build_one(yaml);
    assert!(diags.is_empty(), "{diags:?}");
    let table = table.expect("table");
    assert_eq!(table.columns[1].kind, ColumnType::Date);
    assert_eq!(table.rows[0].cells[1], Cell::Date(Date { year: 2019, month: 3, day: 5 }));
    let (es, en) = (NumberFormat::new("es-CL", "CLP"), NumberFormat::new("en", "CLP"));
    assert_eq!(table.display_in(1, &table.rows[1], &es), "31-12-2019");
    assert_eq!(table.display_in(1, &table.rows[1], &en), "2019-12-31");
    assert_eq!(table.rows[2].cells[1], Cell::Empty);
    for (bad, shown) in [("05/03/2019", "05/03/2019"), ("2019-02-30", "2019-02-30"), ("20190305", "20190305")] {
        let (table, diags) = build_one(&yaml.replace("2019-03-05", bad));
        assert!(table.is_none(), "{bad}");
        let want = Message::NotADate { column: "dia".into(), value: shown.into() };
        assert!(diags.iter().any(|d| d.message == want), "{bad}: {diags:?}");
    }
}
