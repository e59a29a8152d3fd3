//! Reading a spreadsheet's cells: a sheet of an `.xlsx`, `.xls` or `.ods`
//! (calamine) or a `.csv` file, from its bytes, as [`Raw`] cells; ranges
//! written as in Excel (`A2:E14`). Knows nothing of tables.

use crate::diagnostics::{suggest, Message, SheetMessage};
use calamine::{Data, Reader};
use std::io::Cursor;

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

/// One sheet: its cells are read from calamine's ranges only where asked,
/// so a stray cell far down a sheet costs nothing more.
#[derive(Debug)]
pub(crate) struct Sheet {
    /// None for a CSV file, which has no sheets.
    pub name: Option<String>,
    cells: Cells,
}

#[derive(Debug)]
enum Cells {
    Book { values: calamine::Range<Data>, formulas: calamine::Range<String> },
    Csv(Vec<Vec<Raw>>),
}

impl Sheet {
    /// The sheet's last used row and column, if any.
    fn last(&self) -> Option<(u32, u32)> {
        match &self.cells {
            Cells::Book { values, formulas } => {
                let ends = values.end().into_iter().chain(formulas.end());
                ends.reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)))
            }
            Cells::Csv(rows) => {
                let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
                (!rows.is_empty() && cols > 0).then(|| (rows.len() as u32 - 1, cols as u32 - 1))
            }
        }
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

    /// Every used cell, as a range (the default when `range:` is left out):
    /// from the first used row and column to the last.
    pub(crate) fn used(&self) -> Option<CellRange> {
        let first = match &self.cells {
            Cells::Book { values, formulas } => {
                values.start().into_iter().chain(formulas.start()).reduce(|a, b| (a.0.min(b.0), a.1.min(b.1)))?
            }
            Cells::Csv(_) => (0, 0),
        };
        self.last().map(|last| CellRange { first, last })
    }

    fn get(&self, row: u32, col: u32) -> Raw {
        match &self.cells {
            Cells::Book { values, formulas } => raw(values.get_value((row, col)), formulas.get_value((row, col))),
            Cells::Csv(rows) => rows.get(row as usize).and_then(|r| r.get(col as usize)).cloned().unwrap_or(Raw::Empty),
        }
    }
}

/// Kinds of file a table may take its rows from, by extension.
pub(crate) const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "csv"];

/// Opens `sheet` (or the first) of the file `file` whose bytes are `bytes`.
pub(crate) fn open(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, Message> {
    if file.to_ascii_lowercase().ends_with(".csv") {
        return Ok(Sheet { name: None, cells: Cells::Csv(read_csv(bytes)) });
    }
    let unreadable = |detail: String| Message::from(SheetMessage::Unreadable { file: file.to_string(), detail });
    // calamine's only word here is "Cannot detect file format": ours says it in the editor's language.
    let not_a_book = |_| Message::from(SheetMessage::NotASpreadsheet { file: file.to_string() });
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(not_a_book)?;
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
    Ok(Sheet { name: Some(name), cells: Cells::Book { values, formulas } })
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn csv_files_in_latin_1_with_semicolons_are_read() {
        let rows = read_csv(b"Regi\xf3n;Monto\nAys\xe9n;$ 1.234\n;\n");
        assert_eq!(rows.len(), 2, "the trailing empty row is dropped");
        assert_eq!(rows[0][0], Raw::Text("Región".into()));
        assert_eq!(rows[1][1], Raw::Text("$ 1.234".into()));
    }
}
