//! Spreadsheets as table rows: a range of an `.xlsx`, `.xls` or `.ods` sheet
//! (read with calamine) or of a `.csv`, from bytes the content stage already
//! read. Returns the cells as read (`Raw`) and turns one into the value a
//! YAML cell would have been, so that `table` types and checks both alike.
//! Reads no disk and knows nothing of columns beyond their type.
//!
//! Defined behaviour, documented in docs/format.md:
//! - a formula cell gives the value the office suite saved with it; with no
//!   saved value it is an error (the file was written by a program, not saved
//!   by Excel or LibreOffice);
//! - a merged cell's value belongs to its top-left cell, the others are empty;
//! - hidden rows are read like any other (the range decides what is read);
//! - a row of the range whose cells are all empty is left out;
//! - a date goes into a text column as `dd-mm-aaaa`; in a numeric one it is
//!   an error;
//! - in numeric columns, text with Chilean formatting is a number:
//!   `$ 1.234.567`, `99,8 %`, `12.794`, `(1.234)` (negative).

use crate::content::DataFiles;
use crate::diagnostics::{suggest, Diagnostic, Message, SheetMessage};
use crate::front_matter::Value;
use crate::number::NumberFormat;
use crate::table::{self, Column, DataTable, Locator, Row, TableSpec};
use calamine::{Data, Reader};
use std::io::Cursor;

/// A spreadsheet a section's tables were read from: part of what the section
/// is made of, so a changed file makes the section new (derived `Hash`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Input {
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
            let cell = yaml_value(raw, column.kind.is_numeric(), &column.id)
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
        })
    }
}

/// One cell as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// Year, month, day.
    Date(u16, u8, u8),
    /// A cell showing `#DIV/0!` and the like.
    Error(String),
    /// A formula saved without its value.
    NoSavedValue(String),
}

/// A rectangle of cells, 0-based and inclusive, as in `A2:E14`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellRange {
    pub first: (u32, u32),
    pub last: (u32, u32),
}

impl CellRange {
    /// Parses `A2:E14` (or a single cell, `B3`).
    pub(crate) fn parse(text: &str) -> Option<CellRange> {
        let text = text.trim();
        let (a, b) = text.split_once(':').unwrap_or((text, text));
        let (first, last) = (parse_cell(a)?, parse_cell(b)?);
        (first.0 <= last.0 && first.1 <= last.1).then_some(CellRange { first, last })
    }

    /// How many columns the range spans.
    pub(crate) fn width(&self) -> usize {
        (self.last.1 - self.first.1) as usize + 1
    }

    /// The range as written in a spreadsheet.
    pub(crate) fn name(&self) -> String {
        format!("{}:{}", cell_name(self.first), cell_name(self.last))
    }
}

/// `C7` → (6, 2).
fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1) - 1;
    let row: u32 = digits.parse().ok()?;
    (1..=1_048_576).contains(&row).then(|| (row - 1, col))
}

/// (6, 2) → `C7`.
pub(crate) fn cell_name((row, col): (u32, u32)) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// One sheet, dense from A1 to its last used cell.
#[derive(Debug)]
pub(crate) struct Sheet {
    /// None for a CSV file, which has no sheets.
    pub name: Option<String>,
    cells: Vec<Vec<Raw>>,
}

impl Sheet {
    /// The sheet's last used cell, if any.
    fn last(&self) -> Option<(u32, u32)> {
        let rows = self.cells.len();
        let cols = self.cells.iter().map(Vec::len).max().unwrap_or(0);
        (rows > 0 && cols > 0).then(|| (rows as u32 - 1, cols as u32 - 1))
    }

    /// The cells of `range`, row by row with each row's 0-based number; rows
    /// whose cells are all empty are left out. A range past the sheet's last
    /// used row or column is an error: it is almost always a typing slip.
    pub(crate) fn rows(&self, range: CellRange, file: &str) -> Result<Vec<(u32, Vec<Raw>)>, Message> {
        let outside = |last: Option<(u32, u32)>| {
            SheetMessage::RangeOutside {
                file: file.to_string(),
                sheet: self.name.clone(),
                range: range.name(),
                last: last.map(cell_name),
            }
            .into()
        };
        let last = self.last().ok_or_else(|| outside(None))?;
        if range.last.0 > last.0 || range.last.1 > last.1 {
            return Err(outside(Some(last)));
        }
        let mut rows = Vec::new();
        for r in range.first.0..=range.last.0 {
            let row: Vec<Raw> = (range.first.1..=range.last.1).map(|c| self.get(r, c)).collect();
            if row.iter().any(|c| *c != Raw::Empty) {
                rows.push((r, row));
            }
        }
        Ok(rows)
    }

    /// Every used cell, as a range (the default when `range:` is left out).
    pub(crate) fn used(&self) -> Option<CellRange> {
        self.last().map(|last| CellRange { first: (0, 0), last })
    }

    fn get(&self, row: u32, col: u32) -> Raw {
        self.cells.get(row as usize).and_then(|r| r.get(col as usize)).cloned().unwrap_or(Raw::Empty)
    }
}

/// Kinds of file a table may take its rows from, by extension.
pub(crate) const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "csv"];

/// Opens `sheet` (or the first) of the file `file` whose bytes are `bytes`.
pub(crate) fn open(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, Message> {
    if file.to_ascii_lowercase().ends_with(".csv") {
        return Ok(Sheet { name: None, cells: read_csv(bytes) });
    }
    let unreadable = |detail: String| Message::from(SheetMessage::Unreadable { file: file.to_string(), detail });
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) if names.iter().any(|n| n == wanted) => wanted.to_string(),
        Some(wanted) => {
            let suggestion = suggest(wanted, names.iter().map(String::as_str));
            let (file, sheet) = (file.to_string(), wanted.to_string());
            return Err(SheetMessage::SheetNotFound { file, sheet, suggestion, sheets: names }.into());
        }
        None => names.first().cloned().ok_or_else(|| unreadable("no sheets".into()))?,
    };
    let values = book.worksheet_range(&name).map_err(|e| unreadable(e.to_string()))?;
    // Formulas only matter where no value was saved; a reader that cannot
    // give them (xls) leaves those cells empty.
    let formulas = book.worksheet_formula(&name).unwrap_or_else(|_| calamine::Range::empty());
    let Some(end) = values.end().into_iter().chain(formulas.end()).max() else {
        return Ok(Sheet { name: Some(name), cells: Vec::new() });
    };
    let cells = (0..=end.0)
        .map(|r| (0..=end.1).map(|c| raw(values.get_value((r, c)), formulas.get_value((r, c)))).collect())
        .collect();
    Ok(Sheet { name: Some(name), cells })
}

/// A calamine cell as [`Raw`], given the formula the cell holds, if any.
fn raw(value: Option<&Data>, formula: Option<&String>) -> Raw {
    let formula = formula.filter(|f| !f.is_empty());
    match value.unwrap_or(&Data::Empty) {
        Data::Empty => formula.map_or(Raw::Empty, |f| Raw::NoSavedValue(f.clone())),
        Data::String(s) if s.is_empty() => formula.map_or(Raw::Empty, |f| Raw::NoSavedValue(f.clone())),
        Data::String(s) => Raw::Text(s.clone()),
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            Raw::Date(y, m, day)
        }
        Data::DateTimeIso(s) => iso_date(s).map_or_else(|| Raw::Text(s.clone()), |(y, m, d)| Raw::Date(y, m, d)),
        Data::DurationIso(s) => Raw::Text(s.clone()),
        Data::Error(e) => Raw::Error(e.to_string()),
    }
}

/// `2019-12-31` or `2019-12-31T…` → (2019, 12, 31).
fn iso_date(text: &str) -> Option<(u16, u8, u8)> {
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    Some((y, m, d))
}

/// A CSV as a sheet of text cells. UTF-8 (with or without BOM) or, failing
/// that, Windows-1252 as Excel saves "CSV" in Chile; `;` or `,` separated,
/// whichever the first line uses more.
fn read_csv(bytes: &[u8]) -> Vec<Vec<Raw>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Raw>> = reader
        .records()
        .map_while(Result::ok)
        .map(|rec| {
            rec.iter().map(|s| if s.trim().is_empty() { Raw::Empty } else { Raw::Text(s.to_string()) }).collect()
        })
        .collect();
    while rows.last().is_some_and(|r| r.iter().all(|c| *c == Raw::Empty)) {
        rows.pop();
    }
    rows
}

/// One byte of Windows-1252: Latin-1 but for the typographic signs at 0x80-0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    if (0x80..0xA0).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        char::from(b)
    }
}

/// What a YAML cell holding this spreadsheet cell would be, with the literal
/// it would have been written as (which decides a number's decimals), for a
/// numeric column or not.
pub(crate) fn yaml_value(cell: &Raw, numeric: bool, column: &str) -> Result<(Value, Option<String>), Message> {
    match cell {
        Raw::Empty => Ok((Value::Null, None)),
        Raw::Number(f) => Ok(number_value(*f)),
        Raw::Text(t) if numeric => match chilean_number(t) {
            Some(literal) => literal_value(&literal).ok_or(Message::OutOfRange { literal }),
            None => Err(Message::TextInNumericColumn { column: column.to_string(), value: t.clone() }),
        },
        Raw::Text(t) => Ok((Value::String(t.clone()), None)),
        Raw::Bool(b) => Ok((Value::Bool(*b), Some(if *b { "VERDADERO" } else { "FALSO" }.to_string()))),
        Raw::Date(y, m, d) if numeric => {
            Err(SheetMessage::DateInNumericColumn { column: column.to_string(), date: format!("{d:02}-{m:02}-{y:04}") }
                .into())
        }
        Raw::Date(y, m, d) => Ok((Value::String(format!("{d:02}-{m:02}-{y:04}")), None)),
        Raw::Error(code) => Err(SheetMessage::CellError { code: code.clone() }.into()),
        Raw::NoSavedValue(formula) => Err(SheetMessage::FormulaWithoutValue { formula: format!("={formula}") }.into()),
    }
}

/// A number with the literal it reads as: at most two decimals, which is
/// what a figure read from a sheet shows unless its column says `decimals:`
/// (a sheet's 97,2000709561 % is shown as 97,20 %; its value is kept whole).
fn number_value(f: f64) -> (Value, Option<String>) {
    let literal = shown_literal(f);
    let number = if literal.contains('.') {
        serde_yaml::Number::from(f)
    } else {
        literal.parse::<i64>().map_or_else(|_| serde_yaml::Number::from(f), serde_yaml::Number::from)
    };
    (Value::Number(number), Some(literal))
}

/// The shortest literal of `f` to two decimals: 1234, 0.3, 97.2, 97.2 for 97.2000709.
fn shown_literal(f: f64) -> String {
    let fixed = format!("{:.2}", (f * 100.0).round() / 100.0);
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    match trimmed {
        "-0" | "" => "0".to_string(),
        t => t.to_string(),
    }
}

/// A plain literal (`-1234`, `99.8`) as a YAML number.
fn literal_value(literal: &str) -> Option<(Value, Option<String>)> {
    let number = if literal.contains('.') {
        serde_yaml::Number::from(literal.parse::<f64>().ok()?)
    } else {
        serde_yaml::Number::from(literal.parse::<i64>().ok()?)
    };
    Some((Value::Number(number), Some(literal.to_string())))
}

/// Text with Chilean formatting as a plain literal: `$ 1.234.567` →
/// `1234567`, `99,8 %` → `99.8`, `(1.234)` → `-1234`. A point followed by
/// groups of three digits groups thousands; a lone point followed by other
/// than three digits is a decimal point (`1234.5`, as programs write).
pub(crate) fn chilean_number(text: &str) -> Option<String> {
    let mut t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        (negative, t) = (true, inner.to_string());
    }
    if let Some(rest) = t.strip_prefix('-') {
        (negative, t) = (!negative, rest.to_string());
    }
    let mut t = t.trim_start_matches('$').trim_end_matches('%');
    if let Some(rest) = t.strip_prefix('-') {
        (negative, t) = (!negative, rest);
    }
    let (whole, fraction) = match t.split_once(',') {
        Some((w, f)) => (w.to_string(), Some(f)),
        None => match t.split_once('.') {
            Some((w, f)) if !f.contains('.') && f.len() != 3 => (w.to_string(), Some(f)),
            _ => (t.to_string(), None),
        },
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped_ok = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let digits: String = groups.concat();
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !grouped_ok || !all_digits(&digits) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    Some(match fraction {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chilean_formatted_text_reads_as_plain_numbers() {
        let cases = [
            ("$ 1.234.567", Some("1234567")),
            ("99,8 %", Some("99.8")),
            ("12.794", Some("12794")),
            ("(1.234)", Some("-1234")),
            ("-$ 5.000", Some("-5000")),
            ("$ -5.000", Some("-5000")),
            ("1234.5", Some("1234.5")),
            ("0,25", Some("0.25")),
            ("1\u{a0}234", Some("1234")),
            ("1.23.4", None),
            ("12.3456", Some("12.3456")),
            ("1.234,5", Some("1234.5")),
            ("1.2345,6", None),
            ("doce", None),
            ("", None),
            ("$", None),
        ];
        for (text, want) in cases {
            assert_eq!(chilean_number(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn ranges_read_as_in_a_spreadsheet() {
        assert_eq!(CellRange::parse("A2:E14"), Some(CellRange { first: (1, 0), last: (13, 4) }));
        assert_eq!(CellRange::parse("$B$3"), Some(CellRange { first: (2, 1), last: (2, 1) }));
        assert_eq!(CellRange::parse("AA10:AB11").map(|r| r.width()), Some(2));
        for bad in ["A2-E14", "E14:A2", "2A:E4", "A0:B2", ""] {
            assert_eq!(CellRange::parse(bad), None, "{bad:?}");
        }
        assert_eq!(cell_name((6, 2)), "C7");
        assert_eq!(cell_name((0, 26)), "AA1");
        assert_eq!(cell_name((0, 701)), "ZZ1");
    }

    #[test]
    fn figures_from_a_sheet_show_at_most_two_decimals() {
        assert_eq!(number_value(0.1 + 0.2).1.as_deref(), Some("0.3"));
        assert_eq!(number_value(1234.0).1.as_deref(), Some("1234"));
        assert_eq!(number_value(-0.5).1.as_deref(), Some("-0.5"));
        assert_eq!(number_value(97.2000709561).1.as_deref(), Some("97.2"));
        assert_eq!(number_value(78.9917545997).1.as_deref(), Some("78.99"));
        assert_eq!(number_value(1e300).0, Value::Number(serde_yaml::Number::from(1e300)));
    }

    #[test]
    fn csv_files_in_latin_1_with_semicolons_are_read() {
        let rows = read_csv(b"Regi\xf3n;Monto\nAys\xe9n;$ 1.234\n;\n");
        assert_eq!(rows.len(), 2, "the trailing empty row is dropped");
        assert_eq!(rows[0][0], Raw::Text("Región".into()));
        assert_eq!(rows[1][1], Raw::Text("$ 1.234".into()));
    }

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

    #[test]
    fn dates_are_text_in_text_columns_and_errors_in_numeric_ones() {
        let date = Raw::Date(2019, 12, 31);
        assert_eq!(yaml_value(&date, false, "fecha").map(|v| v.0), Ok(Value::String("31-12-2019".into())));
        assert!(matches!(
            yaml_value(&date, true, "monto"),
            Err(Message::Sheet(SheetMessage::DateInNumericColumn { .. }))
        ));
    }
}
