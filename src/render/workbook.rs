//! Every table of the report in one `.xlsx` workbook, a sheet per table, for
//! people who open data in Excel or LibreOffice: typed numeric cells with
//! number formats (`#,##0`, `"$ "#,##0`, `0.0 %`, which a Chilean Excel
//! shows as 1.234, $ 1.234 and 99,8 %), units in the headers, the header row
//! frozen, the total after an empty row (outside the data, so a sum of the
//! data never counts it), then the source and note. The bytes depend on the
//! report alone: the document's dates are fixed. Writes no disk.

use super::data::people_heading;
use crate::model::Report;
use crate::number::NumberFormat;
use crate::table::{Cell, Column, ColumnType, DataTable, Row};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeSet;

/// Where the workbook is written.
pub(super) const PATH: &str = "datos/tablas.xlsx";

/// The workbook's bytes; empty if the writer fails (it only fails on limits
/// no report reaches, such as a million rows).
pub(super) fn workbook(report: &Report) -> Vec<u8> {
    build(report).unwrap_or_default()
}

fn build(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let s = report.settings();
    // A fixed date: the default is the time of the build, which would make
    // every build's bytes differ.
    let properties = DocProperties::new()
        .set_title(&s.title)
        .set_company(&s.institution)
        .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    book.set_properties(&properties);
    let mut names = BTreeSet::new();
    for section in &report.sections {
        for table in section.tables.iter() {
            let sheet = book.add_worksheet();
            sheet.set_name(sheet_name(&table.id, &mut names))?;
            write_table(sheet, table, &report.format)?;
        }
    }
    book.save_to_buffer()
}

/// A sheet name from a table id: Excel allows 31 characters, and ids
/// that share their first 31 get a number.
fn sheet_name(id: &str, taken: &mut BTreeSet<String>) -> String {
    let base: String = id.chars().take(31).collect();
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        let suffix = format!("~{n}");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.len()).collect::<String>());
        n += 1;
    }
    name
}

/// The Excel number format of a column (Excel keeps codes in US notation
/// and shows them in the reader's locale).
fn number_format(column: &Column, fmt: &NumberFormat) -> Format {
    let decimals = |default: u8| {
        let d = usize::from(column.decimals.unwrap_or(default).min(12));
        if d == 0 {
            String::new()
        } else {
            format!(".{}", "0".repeat(d))
        }
    };
    let code = match (column.kind, &column.unit) {
        (ColumnType::Money, None) => format!("\"{} \"#,##0", fmt.currency().replace('"', "")),
        (ColumnType::Percent, _) => format!("0{} %", decimals(1)),
        (ColumnType::Decimal, _) => format!("#,##0{}", decimals(1)),
        (ColumnType::Text, _) => "@".to_string(),
        (ColumnType::Date, _) => "dd-mm-yyyy".to_string(),
        _ => "#,##0".to_string(),
    };
    Format::new().set_num_format(code)
}

fn write_table(sheet: &mut Worksheet, table: &DataTable, fmt: &NumberFormat) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, column) in table.columns.iter().enumerate() {
        let header = people_heading(column, fmt);
        let width = header.chars().count().clamp(10, 40) as f64 + 2.0;
        sheet.set_column_width(c as u16, width)?;
        sheet.write_string_with_format(0, c as u16, header, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // Formats made once per column: a workbook of a large report has
    // hundreds of thousands of cells.
    let formats: Vec<Format> = table.columns.iter().map(|c| number_format(c, fmt)).collect();
    let mut r = 1;
    for row in &table.rows {
        write_row(sheet, r, table, row, (fmt, &formats), false)?;
        r += 1;
    }
    if let Some(total) = &table.total {
        // After an empty row: outside the data, so a sum never counts it.
        r += 1;
        write_row(sheet, r, table, total, (fmt, &formats), true)?;
        r += 1;
    }
    r += 1;
    let notes = [("Tabla", Some(&table.caption)), ("Fuente", table.source.as_ref()), ("Nota", table.note.as_ref())];
    for (word, text) in notes {
        if let Some(text) = text {
            sheet.write_string(r, 0, truncated(&format!("{word}: {text}")))?;
            r += 1;
        }
    }
    Ok(())
}

/// One row, each cell with its column's number format as this row reads
/// it (a fact-sheet row has its own type); bold for the total.
fn write_row(
    sheet: &mut Worksheet,
    r: u32,
    table: &DataTable,
    row: &Row,
    (fmt, formats): (&NumberFormat, &[Format]),
    total: bool,
) -> Result<(), XlsxError> {
    for (c, cell) in row.cells.iter().enumerate() {
        let (Some(column), Some(plain)) = (table.columns.get(c), formats.get(c)) else { continue };
        // A fact-sheet row has a type of its own; the total is bold.
        let own = row.own.as_ref().and_then(|_| table.column_in(c, row));
        let column = own.as_ref().unwrap_or(column);
        let col = c as u16;
        let scale = if column.kind == ColumnType::Percent { 100.0 } else { 1.0 };
        let owned;
        let format = match (&own, total) {
            (None, false) => plain,
            (None, true) => {
                owned = plain.clone().set_bold();
                &owned
            }
            (Some(column), bold) => {
                let f = number_format(column, fmt);
                owned = if bold { f.set_bold() } else { f };
                &owned
            }
        };
        match cell {
            Cell::Empty => {}
            Cell::Int(i) => {
                sheet.write_number_with_format(r, col, *i as f64 / scale, format)?;
            }
            Cell::Num { value, .. } => {
                sheet.write_number_with_format(r, col, value / scale, format)?;
            }
            Cell::Text(t) => {
                sheet.write_string_with_format(r, col, truncated(t), format)?;
            }
            Cell::List(items) => {
                sheet.write_string_with_format(r, col, truncated(&items.join("; ")), format)?;
            }
            Cell::Date(d) => {
                match u16::try_from(d.year).ok().and_then(|y| ExcelDateTime::from_ymd(y, d.month, d.day).ok()) {
                    Some(date) => {
                        sheet.write_datetime_with_format(r, col, date, format)?;
                    }
                    // Excel has no dates before 1900: the day as text.
                    None => {
                        sheet.write_string(r, col, d.to_string())?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Excel holds at most 32,767 characters in a cell.
fn truncated(text: &str) -> String {
    text.chars().take(32_767).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_and_unique() {
        let mut taken = BTreeSet::new();
        let long = "a".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken), "a".repeat(31));
        assert_eq!(sheet_name(&long, &mut taken), format!("{}~2", "a".repeat(29)));
        assert_eq!(sheet_name("visas", &mut taken), "visas");
    }
}
