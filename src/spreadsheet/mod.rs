//! Spreadsheets as table rows (`rows_from:`): finds the file among those the
//! content stage read, reads the declared range (`read`), turns each cell
//! into the value a YAML cell would have been (`cell`) and hands the rows to
//! `table`, which types and checks them as written ones. Reads no disk.
//!
//! Defined behaviour, documented in docs/format.md:
//! - a formula cell gives the value the office suite saved with it; with no
//!   saved value it is an error (the file was written by a program, not saved
//!   by Excel or LibreOffice);
//! - a merged cell's value belongs to its top-left cell, the others are empty;
//! - hidden rows are read like any other (the range decides what is read);
//! - a row of the range whose cells are all empty is left out;
//! - a date cell (or text `31-12-2019`) is a day in a `date` column; in a
//!   text column it is the text `dd-mm-aaaa`; in a numeric one an error;
//! - in numeric columns, text with Chilean formatting is a number:
//!   `$ 1.234.567`, `99,8 %`, `12.794`, `(1.234)` (negative).

use crate::content::DataFiles;
use crate::diagnostics::{Diagnostic, Message, SheetMessage};
use crate::front_matter::Value;
use crate::number::NumberFormat;
use crate::table::{self, Column, DataTable, Locator, Row, TableSpec};

mod cell;
mod read;

use cell::yaml_value;
pub(crate) use read::EXTENSIONS;
use read::{cell_name, open, CellRange, Raw};

/// A spreadsheet a section's tables were read from: part of what the section
/// is made of, so a changed file makes the section new (derived `Hash`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Input {
    /// Path relative to `content/`.
    pub path: String,
    /// XXH3-128 of its bytes.
    pub digest: u128,
}

/// Builds a table declared in front matter, with its rows from the
/// spreadsheet of `rows_from:` when it has one; that file is added to
/// `inputs`. Every problem is placed at the declaration's line and, for a
/// cell, names the file, sheet and cell.
pub(crate) fn build_table(
    spec: TableSpec,
    at: &Locator,
    fmt: &NumberFormat,
    data: &DataFiles,
    inputs: &mut Vec<Input>,
) -> (Option<DataTable>, Vec<Diagnostic>) {
    let Some(path) = spec.rows_from.clone() else {
        let stray = [
            ("sheet", spec.sheet.is_some()),
            ("range", spec.range.is_some()),
            ("total_from", spec.total_from.is_some()),
        ];
        let problems: Vec<Diagnostic> = stray
            .iter()
            .filter(|(_, set)| *set)
            .map(|(field, _)| at.error(field, SheetMessage::WithoutFile { field: field.to_string() }.into()))
            .collect();
        if !problems.is_empty() {
            return (None, problems);
        }
        return table::build(spec, at, fmt);
    };
    if !spec.rows.is_empty() || spec.total.is_some() {
        return (None, vec![at.error("rows_from", SheetMessage::RowsTwice.into())]);
    }
    let (key, bytes) = match find(&path, &at.file.display, data) {
        Ok(found) => found,
        Err(message) => return (None, vec![at.error("rows_from", message)]),
    };
    inputs.push(Input { path: key, digest: xxhash_rust::xxh3::xxh3_128(bytes) });
    let declared =
        Declared { path: &path, sheet: spec.sheet.clone(), range: spec.range.clone(), total: spec.total_from.clone() };
    let read = |columns: &[Column], diags: &mut Vec<Diagnostic>| declared.rows(bytes, columns, at, diags);
    table::build_with(spec, at, fmt, Some(&read))
}

/// The file `path` names, relative to the section's folder or else to
/// `content/`: its key among the data files and its bytes. Paths that climb
/// out (`..`) or are absolute are refused; symlinks out of `content/` were
/// refused when it was read.
fn find<'a>(path: &str, section: &str, data: &'a DataFiles) -> Result<(String, &'a [u8]), Message> {
    let clean = path.trim();
    let climbs = clean.split(['/', '\\']).any(|part| part == "..");
    if clean.is_empty() || climbs || clean.starts_with(['/', '\\']) || clean.contains(':') {
        return Err(Message::UnsafePath { path: path.to_string() });
    }
    let folder = section.strip_prefix("content/").unwrap_or(section).rsplit_once('/').map(|(dir, _)| dir);
    let candidates: Vec<String> =
        folder.map(|dir| format!("{dir}/{clean}")).into_iter().chain(std::iter::once(clean.to_string())).collect();
    for key in &candidates {
        if let Some(bytes) = data.get(key) {
            return Ok((key.clone(), bytes));
        }
    }
    let known = clean.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(ext)));
    if !known {
        return Err(SheetMessage::Unsupported { file: path.to_string() }.into());
    }
    let tried = candidates.iter().map(|c| format!("content/{c}")).collect();
    Err(SheetMessage::NotFound { file: path.to_string(), tried }.into())
}

/// What the table declared about its spreadsheet.
struct Declared<'a> {
    path: &'a str,
    sheet: Option<String>,
    range: Option<String>,
    total: Option<Value>,
}

impl Declared<'_> {
    /// The typed rows and total row. A problem with the file, sheet or
    /// range stops there; every cell's problem is told, not only the first.
    fn rows(
        &self,
        bytes: &[u8],
        columns: &[Column],
        at: &Locator,
        diags: &mut Vec<Diagnostic>,
    ) -> (Vec<Row>, Option<Row>) {
        match self.cells(bytes, columns.len(), at) {
            Err(d) => {
                diags.push(d);
                (Vec::new(), None)
            }
            Ok((sheet, first_col, rows, total)) => {
                let mut typed_row = |(r, cells): &(u32, Vec<Raw>)| {
                    let place = Place { file: self.path, sheet: &sheet, row: *r, first_col };
                    place.typed(cells, columns, at, diags)
                };
                let typed: Vec<Row> = rows.iter().filter_map(&mut typed_row).collect();
                let total = total.as_ref().and_then(typed_row);
                (typed, total)
            }
        }
    }

    /// The sheet's name, the range's first column, its rows and total row.
    #[allow(clippy::type_complexity)]
    fn cells(
        &self,
        bytes: &[u8],
        width: usize,
        at: &Locator,
    ) -> Result<(Option<String>, u32, Vec<(u32, Vec<Raw>)>, Option<(u32, Vec<Raw>)>), Diagnostic> {
        let sheet = open(self.path, bytes, self.sheet.as_deref()).map_err(|m| {
            let field =
                if matches!(m, Message::Sheet(SheetMessage::SheetNotFound { .. })) { "sheet" } else { "rows_from" };
            at.error(field, m)
        })?;
        if sheet.name.is_none() && self.sheet.is_some() {
            return Err(at.error("sheet", SheetMessage::CsvHasNoSheets { file: self.path.to_string() }.into()));
        }
        let range = match &self.range {
            Some(text) => CellRange::parse(text)
                .ok_or_else(|| at.error("range", SheetMessage::RangeSyntax { range: text.clone() }.into()))?,
            None => sheet.used().unwrap_or(CellRange { first: (0, 0), last: (0, 0) }),
        };
        if range.width() != width {
            let message = SheetMessage::RangeWidth { range: range.name(), width: range.width(), columns: width };
            return Err(at.error(if self.range.is_some() { "range" } else { "rows_from" }, message.into()));
        }
        let mut rows = sheet.rows(range, self.path).map_err(|m| at.error("range", m))?;
        let total = match &self.total {
            None => None,
            Some(declared) => {
                let row = total_row(declared, range).ok_or_else(|| {
                    at.error("total_from", SheetMessage::RangeSyntax { range: scalar_text(declared) }.into())
                })?;
                // The total may sit inside the range: it is then no data row.
                rows.retain(|(r, _)| *r != row.first.0);
                sheet.rows(row, self.path).map_err(|m| at.error("total_from", m))?.into_iter().next()
            }
        };
        Ok((sheet.name, range.first.1, rows, total))
    }
}

/// The total row's cells: `15` is row 15 across the range's columns; a
/// one-row range must be as wide as the table's.
fn total_row(declared: &Value, range: CellRange) -> Option<CellRange> {
    let row = match declared {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()).filter(|n| *n >= 1)? - 1,
        Value::String(s) => match CellRange::parse(s) {
            Some(r) if r.first.0 == r.last.0 => return (r.width() == range.width()).then_some(r),
            _ => s.trim().parse::<u32>().ok().filter(|n| *n >= 1)? - 1,
        },
        _ => return None,
    };
    Some(CellRange { first: (row, range.first.1), last: (row, range.last.1) })
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => "…".to_string(),
    }
}

/// Where a row sits in the spreadsheet, to name its cells in messages.
struct Place<'a> {
    file: &'a str,
    sheet: &'a Option<String>,
    row: u32,
    first_col: u32,
}

impl Place<'_> {
    /// The row typed for `columns`, as YAML cells are; None when a cell is wrong.
    fn typed(&self, cells: &[Raw], columns: &[Column], at: &Locator, diags: &mut Vec<Diagnostic>) -> Option<Row> {
        let mut typed = Vec::with_capacity(cells.len());
        for (c, (raw, column)) in cells.iter().zip(columns).enumerate() {
            let cell = yaml_value(raw, column.kind, &column.id)
                .and_then(|(value, literal)| table::typed_cell(&value, column, literal.as_deref()));
            match cell {
                Ok(cell) => typed.push(cell),
                Err(inner) => {
                    let message = SheetMessage::Cell {
                        file: self.file.to_string(),
                        sheet: self.sheet.clone(),
                        cell: cell_name((self.row, self.first_col + c as u32)),
                        inner: Box::new(inner),
                    };
                    diags.push(at.error("rows_from", message.into()));
                }
            }
        }
        (typed.len() == columns.len()).then(|| Row {
            computed: vec![false; typed.len()],
            cells: typed,
            span: at.span("rows_from"),
            own: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_looked_up_beside_the_section_then_under_content() {
        let mut data = DataFiles::default();
        data.insert("02-finanzas/datos/a.xlsx", b"local".to_vec());
        data.insert("datos/a.xlsx", b"shared".to_vec());
        data.insert("datos/b.csv", b"b".to_vec());
        let section = "content/02-finanzas/01-ejecucion.md";
        assert_eq!(find("datos/a.xlsx", section, &data).map(|f| f.1), Ok(&b"local"[..]));
        assert_eq!(find("datos/b.csv", section, &data).map(|f| f.0), Ok("datos/b.csv".to_string()));
        assert_eq!(find("datos/a.xlsx", "content/01-a.md", &data).map(|f| f.1), Ok(&b"shared"[..]));
        for bad in ["../x.xlsx", "datos/../../x.xlsx", "/etc/x.csv", "C:\\x.xlsx", "datos\\..\\x.csv"] {
            assert_eq!(find(bad, section, &data), Err(Message::UnsafePath { path: bad.to_string() }), "{bad}");
        }
        assert!(matches!(find("datos/c.pdf", section, &data), Err(Message::Sheet(SheetMessage::Unsupported { .. }))));
    }
}
