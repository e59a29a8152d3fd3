//! Messages about tables read from spreadsheets (`rows_from:`), in Spanish
//! and English. Kept apart from the YAML messages: they name a file, a sheet
//! and a cell of the spreadsheet as well as the line that declared the table.

use super::{did_you_mean, Lang, Message};

/// A problem with a table's spreadsheet.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetMessage {
    /// A cell's own problem, placed in the spreadsheet.
    Cell {
        file: String,
        sheet: Option<String>,
        cell: String,
        inner: Box<Message>,
    },
    NotFound {
        file: String,
        tried: Vec<String>,
    },
    Unsupported {
        file: String,
    },
    Unreadable {
        file: String,
        detail: String,
    },
    NotASpreadsheet {
        file: String,
    },
    SheetNotFound {
        file: String,
        sheet: String,
        suggestion: Option<String>,
        sheets: Vec<String>,
    },
    RangeSyntax {
        range: String,
    },
    RangeOutside {
        file: String,
        sheet: Option<String>,
        range: String,
        last: Option<String>,
    },
    RangeWidth {
        range: String,
        width: usize,
        columns: usize,
    },
    RowsTwice,
    CsvHasNoSheets {
        file: String,
    },
    WithoutFile {
        field: String,
    },
    DateInNumericColumn {
        column: String,
        date: String,
    },
    CellError {
        code: String,
    },
    FormulaWithoutValue {
        formula: String,
    },
}

/// `datos/x.xlsx, hoja «Ejecución»` (a CSV has no sheet).
fn place(lang: Lang, file: &str, sheet: &Option<String>) -> String {
    match (sheet, lang) {
        (Some(s), Lang::Es) => format!("{file}, hoja «{s}»"),
        (Some(s), Lang::En) => format!("{file}, sheet «{s}»"),
        (None, _) => file.to_string(),
    }
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|s| format!("«{s}»")).collect::<Vec<_>>().join(", ")
}

impl From<SheetMessage> for Message {
    fn from(m: SheetMessage) -> Self {
        Message::Sheet(m)
    }
}

impl SheetMessage {
    /// The message and an optional hint, in `lang`.
    pub(super) fn text(&self, lang: Lang) -> (String, Option<String>) {
        let es = lang == Lang::Es;
        let pick = |a: String, b: String| if es { a } else { b };
        use SheetMessage::*;
        match self {
            Cell { file, sheet, cell, inner } => {
                let (message, hint) = inner.text(lang);
                let word = pick("celda".into(), "cell".into());
                let hint = match **inner {
                    Message::TextInNumericColumn { .. } => Some(pick(
                        "deje en la celda solo la cifra ('$ 1.234.567', '99,8 %' y '(1.234)' se aceptan), o vacía si no hay dato".into(),
                        "leave only the figure in the cell ('$ 1.234.567', '99,8 %' and '(1.234)' are accepted), or empty it when there is no figure".into(),
                    )),
                    _ => hint,
                };
                (format!("{}, {word} {cell}: {message}", place(lang, file, sheet)), hint)
            }
            NotFound { file, tried } => (
                pick(format!("no se encuentra la planilla '{file}'"), format!("spreadsheet '{file}' not found")),
                Some(pick(
                    format!("se buscó en {}; la ruta es relativa a la carpeta de la sección o a content/", tried.join(" y ")),
                    format!("looked for {}; the path is relative to the section's folder or to content/", tried.join(" and ")),
                )),
            ),
            Unsupported { file } => (
                pick(format!("'{file}' no es una planilla que cuenta sepa leer"), format!("'{file}' is not a spreadsheet cuenta can read")),
                Some(pick("use un archivo .xlsx, .xls, .ods o .csv".into(), "use a .xlsx, .xls, .ods or .csv file".into())),
            ),
            Unreadable { file, detail } => (
                pick(format!("no se puede leer la planilla '{file}': {detail}"), format!("cannot read spreadsheet '{file}': {detail}")),
                Some(pick(
                    "ábrala en Excel o LibreOffice y guárdela de nuevo como .xlsx u .ods".into(),
                    "open it in Excel or LibreOffice and save it again as .xlsx or .ods".into(),
                )),
            ),
            NotASpreadsheet { file } => (
                pick(
                    format!("no se puede leer la planilla '{file}': no es un archivo de Excel ni de LibreOffice válido"),
                    format!("cannot read spreadsheet '{file}': it is not a valid Excel or LibreOffice file"),
                ),
                Some(pick(
                    "ábrala en Excel o LibreOffice y guárdela de nuevo como .xlsx u .ods".into(),
                    "open it in Excel or LibreOffice and save it again as .xlsx or .ods".into(),
                )),
            ),
            SheetNotFound { file, sheet, suggestion, sheets } => (
                pick(
                    format!("la planilla '{file}' no tiene la hoja «{sheet}»{}", did_you_mean(lang, suggestion)),
                    format!("spreadsheet '{file}' has no sheet «{sheet}»{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(format!("sus hojas son {}", quoted(sheets)), format!("its sheets are {}", quoted(sheets)))),
            ),
            RangeSyntax { range } => (
                pick(format!("el rango '{range}' no es válido"), format!("range '{range}' is not valid")),
                Some(pick(
                    "escríbalo como en Excel: la celda de arriba a la izquierda, dos puntos y la de abajo a la derecha, por ejemplo \"A2:E14\"".into(),
                    "write it as in Excel: the top-left cell, a colon and the bottom-right cell, for example \"A2:E14\"".into(),
                )),
            ),
            RangeOutside { file, sheet, range, last: Some(last) } => (
                pick(
                    format!("el rango {range} sale de los datos de {}, que terminan en la celda {last}", place(lang, file, sheet)),
                    format!("range {range} goes past the data of {}, which ends at cell {last}", place(lang, file, sheet)),
                ),
                Some(pick(
                    "corrija range: para que abarque solo las celdas de la tabla".into(),
                    "correct range: so that it covers only the table's cells".into(),
                )),
            ),
            RangeOutside { file, sheet, range, last: None } => (
                pick(format!("{} está vacía: no hay datos en {range}", place(lang, file, sheet)), format!("{} is empty: there is no data in {range}", place(lang, file, sheet))),
                Some(pick("revise el nombre de la hoja (sheet:)".into(), "check the sheet's name (sheet:)".into())),
            ),
            RangeWidth { range, width, columns } => (
                pick(
                    format!("el rango {range} tiene {width} columnas y la tabla declara {columns}"),
                    format!("range {range} has {width} columns but the table declares {columns}"),
                ),
                Some(pick(
                    "declare una columna por cada columna del rango, en el mismo orden".into(),
                    "declare one column for each column of the range, in the same order".into(),
                )),
            ),
            RowsTwice => (
                pick("la tabla tiene rows: y rows_from: a la vez".into(), "the table has both rows: and rows_from:".into()),
                Some(pick(
                    "deje solo una: las filas se escriben aquí o vienen de la planilla".into(),
                    "keep only one: the rows are written here or come from the spreadsheet".into(),
                )),
            ),
            CsvHasNoSheets { file } => (
                pick(format!("'{file}' es un CSV: no tiene hojas"), format!("'{file}' is a CSV: it has no sheets")),
                Some(pick("quite sheet:".into(), "remove sheet:".into())),
            ),
            WithoutFile { field } => (
                pick(format!("'{field}:' solo sirve junto a rows_from:"), format!("'{field}:' only works with rows_from:")),
                Some(pick(
                    "agregue rows_from: con la ruta de la planilla, o quite este campo".into(),
                    "add rows_from: with the spreadsheet's path, or remove this field".into(),
                )),
            ),
            DateInNumericColumn { column, date } => (
                pick(format!("fecha {date} en la columna numérica '{column}'"), format!("date {date} in numeric column '{column}'")),
                Some(pick(
                    "declare la columna sin type: (texto) para mostrar fechas".into(),
                    "declare the column without type: (text) to show dates".into(),
                )),
            ),
            CellError { code } => (
                pick(format!("la celda muestra el error {code}"), format!("the cell shows the error {code}")),
                Some(pick("corrija la fórmula en la planilla".into(), "correct the formula in the spreadsheet".into())),
            ),
            FormulaWithoutValue { formula } => (
                pick(format!("la fórmula {formula} no tiene su valor guardado"), format!("formula {formula} has no saved value")),
                Some(pick(
                    "abra el archivo en Excel o LibreOffice y guárdelo: así queda guardado el valor de cada fórmula".into(),
                    "open the file in Excel or LibreOffice and save it: that stores the value of each formula".into(),
                )),
            ),
        }
    }
}
