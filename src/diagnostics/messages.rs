//! Every message cuenta can say about content, in Spanish and English.
//! A typed enum rather than free strings, so each message is written once per
//! language and tests can match on the variant.

use super::{Lang, YamlMessage};

/// What kind of named thing a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Table,
    Chart,
    Column,
    Section,
    Question,
}

impl Kind {
    /// The Spanish ending that agrees with the word: `tabla desconocida`,
    /// `gráfico desconocido`.
    fn ending(self, feminine: &'static str, masculine: &'static str) -> &'static str {
        match self {
            Kind::Chart => masculine,
            Kind::Table | Kind::Column | Kind::Section | Kind::Question => feminine,
        }
    }

    fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Table, Lang::Es) => "tabla",
            (Kind::Table, Lang::En) => "table",
            (Kind::Chart, Lang::Es) => "gráfico",
            (Kind::Chart, Lang::En) => "chart",
            (Kind::Column, Lang::Es) => "columna",
            (Kind::Column, Lang::En) => "column",
            (Kind::Section, Lang::Es) => "sección",
            (Kind::Section, Lang::En) => "section",
            (Kind::Question, Lang::Es) => "pregunta",
            (Kind::Question, Lang::En) => "question",
        }
    }
}

/// A problem in the content, with the data needed to explain it.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    InvalidUtf8,
    EmptyFile,
    FileTooLarge {
        size: u64,
        limit: u64,
    },
    MissingIndex,
    MissingFrontMatter,
    UnclosedFrontMatter,
    YamlSyntax {
        detail: String,
    },
    TabInYaml,
    /// A front matter that does not read: see [`YamlMessage`].
    Yaml(YamlMessage),
    InvalidColor {
        key: String,
        value: String,
    },
    LowContrast {
        foreground: String,
        background: String,
        ratio: f64,
    },
    UnknownField {
        field: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },
    UnknownVariant {
        value: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },
    MissingField {
        field: String,
    },
    InvalidValue {
        detail: String,
    },
    InvalidId {
        kind: Kind,
        id: String,
    },
    DuplicateId {
        kind: Kind,
        id: String,
        first: String,
    },
    UnknownId {
        kind: Kind,
        id: String,
        suggestion: Option<String>,
    },
    UnknownColumn {
        table: String,
        column: String,
        suggestion: Option<String>,
    },
    UnknownRow {
        table: String,
        row: String,
        suggestion: Option<String>,
    },
    UnknownPlacement {
        name: String,
        suggestion: Option<String>,
    },
    MalformedPlacement {
        text: String,
    },
    RowLength {
        expected: usize,
        found: usize,
    },
    TextInNumericColumn {
        column: String,
        value: String,
    },
    FractionInInteger {
        literal: String,
        suggestion: String,
    },
    BoolCell {
        column: String,
    },
    NotFinite {
        literal: String,
    },
    OutOfRange {
        literal: String,
    },
    NumberTooLong {
        literal: String,
    },
    ChartColumnNotNumeric {
        column: String,
    },
    ChartWithoutRows {
        table: String,
    },
    PieNeedsOneSeries {
        found: usize,
    },
    FormulaSyntax {
        problem: crate::formula::Problem,
    },
    FormulaCycle {
        cycle: Vec<String>,
    },
    DecimalComma {
        literal: String,
        suggestion: String,
    },
    UnknownUnit {
        unit: String,
        suggestion: Option<String>,
    },
    RowTypeWithFormula {
        column: String,
    },
    MalformedCheck {
        text: String,
    },
    CheckColumnNotNumeric {
        column: String,
    },
    EmptyCheckedCell {
        table: String,
        row: String,
        column: String,
    },
    PrintedNotANumber {
        text: String,
    },
    CrossCheckMismatch {
        left: String,
        left_figure: String,
        right: String,
        right_figure: String,
        explain: Option<String>,
    },
    PrintedMismatch {
        printed: String,
        place: String,
        figure: String,
    },
    UnitOnColumn {
        column: String,
    },
    FormulaUnknownColumn {
        name: String,
        suggestion: Option<String>,
    },
    FormulaOnTextColumn {
        column: String,
    },
    FormulaMismatch {
        column: String,
        row: String,
        declared: String,
        computed: String,
    },
    TotalMismatch {
        column: String,
        declared: String,
        computed: String,
    },
    FormulaNotComputable {
        column: String,
        row: String,
    },
    Template {
        detail: String,
    },
    ThemeNotFound {
        name: String,
    },
    SymlinkOutside,
    SymlinkLoop,
    SymlinkBroken,
    UnsafePath {
        path: String,
    },
    InvalidDate {
        value: String,
    },
    QuestionWithoutAnswer {
        id: String,
    },
    AnswerBeforeQuestion {
        answered: String,
        received: String,
    },
    UnknownKeyFigure {
        label: String,
        detail: Box<Message>,
    },
    DeadlineTooLong {
        days: u32,
        max: u32,
    },
    SumOfTextColumn {
        table: String,
        column: String,
    },
    RowAndSum,
    /// Typst could not lay out this section of the PDF.
    PdfSection {
        section: String,
        detail: String,
    },
    /// Typst could not lay out the PDF, and no single section is to blame.
    PdfReport {
        detail: String,
    },
    MissingAltText,
    BrokenLink {
        target: String,
        suggestion: Option<String>,
    },
    ImageTooLarge {
        size: u64,
        limit: u64,
    },
    SvgWithScript,
    UnsafeLink {
        target: String,
    },
    ThemeLinkOutside,
}

fn did_you_mean(lang: Lang, suggestion: &Option<String>) -> String {
    match (suggestion, lang) {
        (Some(s), Lang::Es) => format!(", ¿quiso decir '{s}'?"),
        (Some(s), Lang::En) => format!(", did you mean '{s}'?"),
        (None, _) => String::new(),
    }
}

/// What is wrong with a formula, in words.
fn formula_problem(problem: &crate::formula::Problem, lang: Lang) -> String {
    use crate::formula::Problem::*;
    let es = lang == Lang::Es;
    match problem {
        UnexpectedChar(c) if es => format!("'{c}' no es parte de una fórmula"),
        UnexpectedChar(c) => format!("'{c}' is no part of a formula"),
        ExpectedOperand if es => "falta un número, una columna o '(' aquí".into(),
        ExpectedOperand => "a number, a column or '(' is missing here".into(),
        ExpectedOperator if es => "falta un operador (+ - * /) aquí".into(),
        ExpectedOperator => "an operator (+ - * /) is missing here".into(),
        UnclosedParen if es => "este '(' no se cierra".into(),
        UnclosedParen => "this '(' is never closed".into(),
        UnopenedParen if es => "este ')' no tiene su '('".into(),
        UnopenedParen => "this ')' has no '('".into(),
        UnknownFunction(name) if es => format!("'{name}' no es una función; hay sum(columna) y share(columna)"),
        UnknownFunction(name) => format!("'{name}' is not a function; there are sum(column) and share(column)"),
        AggregateArgument(name) if es => format!("{name}( lleva el id de una columna y ')'"),
        AggregateArgument(name) => format!("{name}( takes one column id and ')'"),
        BadNumber(text) if es => format!("'{text}' no es un número"),
        BadNumber(text) => format!("'{text}' is not a number"),
        Empty if es => "la fórmula está vacía".into(),
        Empty => "the formula is empty".into(),
        TooLong { limit } if es => format!("la fórmula pasa de {limit} caracteres"),
        TooLong { limit } => format!("the formula is longer than {limit} characters"),
        TooDeep { limit } if es => format!("la fórmula anida más de {limit} niveles"),
        TooDeep { limit } => format!("the formula nests deeper than {limit} levels"),
    }
}

fn list(items: &[String]) -> String {
    items.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
}

impl Message {
    /// The message and an optional hint, in `lang`.
    pub fn text(&self, lang: Lang) -> (String, Option<String>) {
        let es = lang == Lang::Es;
        let pick = |a: String, b: String| if es { a } else { b };
        use Message::*;
        match self {
            InvalidUtf8 => (
                pick("el archivo no está en UTF-8".into(), "the file is not valid UTF-8".into()),
                Some(pick(
                    "guárdelo con codificación UTF-8 desde su editor".into(),
                    "save it with UTF-8 encoding from your editor".into(),
                )),
            ),
            EmptyFile => (
                pick("el archivo está vacío".into(), "the file is empty".into()),
                Some(pick(
                    "una sección empieza con '---', 'title: …' y '---'".into(),
                    "a section starts with '---', 'title: …' and '---'".into(),
                )),
            ),
            FileTooLarge { size, limit } => (
                pick(
                    format!("el archivo pesa {size} bytes, más que el límite de {limit}"),
                    format!("the file is {size} bytes, over the {limit} byte limit"),
                ),
                Some(pick(
                    "divida la sección en varios archivos".into(),
                    "split the section into several files".into(),
                )),
            ),
            MissingIndex => (
                pick(
                    "falta content/_index.md, la portada con los datos del informe".into(),
                    "content/_index.md is missing: the home page with the report settings".into(),
                ),
                Some(pick(
                    "cree un informe nuevo con 'cuenta init'".into(),
                    "start a new report with 'cuenta init'".into(),
                )),
            ),
            MissingFrontMatter => (
                pick(
                    "falta el encabezado YAML al inicio del archivo".into(),
                    "the file does not start with YAML front matter".into(),
                ),
                Some(pick(
                    "la primera línea debe ser '---', luego 'title: …' y otra línea '---'".into(),
                    "the first line must be '---', then 'title: …' and another '---' line".into(),
                )),
            ),
            UnclosedFrontMatter => (
                pick(
                    "el encabezado YAML que empieza aquí no se cierra con '---'".into(),
                    "the front matter that starts here is not closed with '---'".into(),
                ),
                Some(pick(
                    "agregue una línea con solo '---' después del último campo, antes del texto".into(),
                    "add a line with just '---' after the last field, before the text".into(),
                )),
            ),
            YamlSyntax { detail } => (
                pick(format!("YAML inválido: {detail}"), format!("invalid YAML: {detail}")),
                Some(pick(
                    "revise la sangría y los dos puntos; los textos con ':' van entre comillas".into(),
                    "check indentation and colons; quote text that contains ':'".into(),
                )),
            ),
            Yaml(message) => message.text(lang),
            InvalidColor { key, value } => (
                pick(
                    format!("'{value}' no es un color para '{key}'"),
                    format!("'{value}' is not a colour for '{key}'"),
                ),
                Some(pick(
                    "escriba el color en hexadecimal, como #0f69b4".into(),
                    "write the colour in hexadecimal, like #0f69b4".into(),
                )),
            ),
            LowContrast { foreground, background, ratio } => (
                pick(
                    format!("{foreground} sobre {background} tiene contraste {ratio:.2}:1, menos que 4.5:1"),
                    format!("{foreground} on {background} has contrast {ratio:.2}:1, under 4.5:1"),
                ),
                Some(pick(
                    "oscurezca el texto o aclare el fondo hasta 4.5:1 (WCAG 2.1 AA), para que se lea bien".into(),
                    "darken the text or lighten the background to 4.5:1 (WCAG 2.1 AA), so it reads well".into(),
                )),
            ),
            TabInYaml => (
                pick(
                    "YAML no admite tabulaciones para sangrar".into(),
                    "YAML does not allow tabs for indentation".into(),
                ),
                Some(pick(
                    "reemplace la tabulación por espacios, dos por cada nivel de sangría".into(),
                    "replace the tab with spaces, two for each level of indentation".into(),
                )),
            ),
            UnknownField { field, suggestion, expected } => (
                pick(
                    format!("campo desconocido '{field}'{}", did_you_mean(lang, suggestion)),
                    format!("unknown field '{field}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    format!("los campos posibles son {}", list(expected)),
                    format!("expected one of {}", list(expected)),
                )),
            ),
            UnknownVariant { value, suggestion, expected } => (
                pick(
                    format!("valor desconocido '{value}'{}", did_you_mean(lang, suggestion)),
                    format!("unknown value '{value}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    format!("los valores posibles son {}", list(expected)),
                    format!("expected one of {}", list(expected)),
                )),
            ),
            MissingField { field } => (
                pick(format!("falta el campo '{field}'"), format!("missing field '{field}'")),
                Some(pick(format!("agregue '{field}: …'"), format!("add '{field}: …'"))),
            ),
            InvalidValue { detail } => {
                (pick(format!("valor inválido: {detail}"), format!("invalid value: {detail}")), None)
            }
            InvalidId { kind, id } => (
                pick(
                    format!("identificador de {} inválido '{id}'", kind.word(lang)),
                    format!("invalid {} id '{id}'", kind.word(lang)),
                ),
                Some(pick(
                    "use solo minúsculas sin tildes, dígitos y guiones, como 'visas-2017'".into(),
                    "use only lower-case letters a-z, digits and hyphens, like 'visas-2017'".into(),
                )),
            ),
            DuplicateId { kind, id, first } => (
                pick(
                    format!(
                        "{} '{id}' {}; ya está {} en {first}",
                        kind.word(lang),
                        kind.ending("repetida", "repetido"),
                        kind.ending("definida", "definido")
                    ),
                    format!("duplicate {} id '{id}', first defined at {first}", kind.word(lang)),
                ),
                Some(pick(
                    "cada identificador debe ser único en el informe; cambie uno de los dos".into(),
                    "ids must be unique in the report; rename one of them".into(),
                )),
            ),
            UnknownId { kind, id, suggestion } => (
                pick(
                    format!(
                        "{} {} '{id}'{}",
                        kind.word(lang),
                        kind.ending("desconocida", "desconocido"),
                        did_you_mean(lang, suggestion)
                    ),
                    format!("unknown {} '{id}'{}", kind.word(lang), did_you_mean(lang, suggestion)),
                ),
                Some(match kind {
                    Kind::Section => pick(
                        "use el nombre de la página de la sección, sin '.html' (su 'slug')".into(),
                        "use the name of the section's page, without '.html' (its 'slug')".into(),
                    ),
                    _ => pick(
                        format!(
                            "use el 'id' de {} {} {} en el encabezado",
                            kind.ending("una", "un"),
                            kind.word(lang),
                            kind.ending("declarada", "declarado")
                        ),
                        format!("use the 'id' of a {} declared in front matter", kind.word(lang)),
                    ),
                }),
            ),
            UnknownColumn { table, column, suggestion } => (
                pick(
                    format!("la tabla '{table}' no tiene la columna '{column}'{}", did_you_mean(lang, suggestion)),
                    format!("table '{table}' has no column '{column}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick("use el 'id' de una de sus columnas".into(), "use the 'id' of one of its columns".into())),
            ),
            UnknownRow { table, row, suggestion } => (
                pick(
                    format!("la tabla '{table}' no tiene una fila '{row}'{}", did_you_mean(lang, suggestion)),
                    format!("table '{table}' has no row '{row}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    "'row' es el texto de la primera celda de la fila".into(),
                    "'row' is the text of the row's first cell".into(),
                )),
            ),
            UnknownPlacement { name, suggestion } => (
                pick(
                    format!("función desconocida '{name}'{}", did_you_mean(lang, suggestion)),
                    format!("unknown function '{name}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    "use table(id=\"…\"), chart(id=\"…\") o figure(table=\"…\", row=\"…\", col=\"…\")".into(),
                    "use table(id=\"…\"), chart(id=\"…\") or figure(table=\"…\", row=\"…\", col=\"…\")".into(),
                )),
            ),
            MalformedPlacement { text } => (
                pick(format!("no se entiende '{text}'"), format!("cannot read '{text}'")),
                Some(pick(
                    "escriba por ejemplo {{ table(id=\"visas\") }}, con comillas dobles".into(),
                    "write for example {{ table(id=\"visas\") }}, with double quotes".into(),
                )),
            ),
            RowLength { expected, found } => (
                pick(
                    format!("la fila tiene {found} celdas y la tabla {expected} columnas"),
                    format!("the row has {found} cells but the table has {expected} columns"),
                ),
                Some(pick(
                    "agregue o quite celdas; use ~ para una celda vacía".into(),
                    "add or remove cells; use ~ for an empty cell".into(),
                )),
            ),
            TextInNumericColumn { column, value } => (
                pick(
                    format!("texto '{value}' en la columna numérica '{column}'"),
                    format!("text '{value}' in numeric column '{column}'"),
                ),
                Some(pick(
                    "escriba solo el número, sin '$', '%' ni puntos de miles; use ~ si no hay dato".into(),
                    "write the plain number, without '$', '%' or thousands separators; use ~ when there is no figure"
                        .into(),
                )),
            ),
            FractionInInteger { literal, suggestion } => (
                pick(
                    format!("'{literal}' se lee como número con decimales, pero la columna es entera"),
                    format!("'{literal}' reads as a decimal number, but the column holds whole numbers"),
                ),
                Some(pick(
                    format!("si el punto separa los miles, escriba el número sin él: {suggestion}"),
                    format!("if the point separates thousands, write the number without it: {suggestion}"),
                )),
            ),
            BoolCell { column } => (
                pick(format!("valor sí/no en la columna '{column}'"), format!("a yes/no value in column '{column}'")),
                Some(pick(
                    "ponga el texto entre comillas, por ejemplo \"Sí\"".into(),
                    "quote the text, for example \"Yes\"".into(),
                )),
            ),
            NotFinite { literal } => (
                pick(format!("'{literal}' no es una cifra"), format!("'{literal}' is not a figure")),
                Some(pick(
                    "use un número, o ~ si no hay dato".into(),
                    "use a number, or ~ when there is no figure".into(),
                )),
            ),
            OutOfRange { literal } => (
                pick(
                    format!("'{literal}' es demasiado grande para una columna entera"),
                    format!("'{literal}' is too large for a whole-number column"),
                ),
                Some(pick(
                    "use una columna 'decimal' para cifras de esta magnitud".into(),
                    "use a 'decimal' column for figures of this size".into(),
                )),
            ),
            NumberTooLong { literal } => (
                pick(
                    format!("el número '{literal}' no cabe en 64 bits"),
                    format!("the number '{literal}' does not fit in 64 bits"),
                ),
                Some(pick(
                    format!("en una columna 'decimal' escríbalo con decimales: {literal}.0"),
                    format!("in a 'decimal' column write it with decimals: {literal}.0"),
                )),
            ),
            ChartColumnNotNumeric { column } => (
                pick(
                    format!("el gráfico usa la columna '{column}', que no es numérica"),
                    format!("the chart plots column '{column}', which is not numeric"),
                ),
                Some(pick(
                    "en 'y' van columnas de tipo integer, decimal, money o percent".into(),
                    "'y' takes integer, decimal, money or percent columns".into(),
                )),
            ),
            ChartWithoutRows { table } => (
                pick(
                    format!("el gráfico usa la tabla '{table}', que no tiene filas"),
                    format!("the chart draws table '{table}', which has no rows"),
                ),
                Some(pick(
                    "agregue filas a la tabla o quite el gráfico".into(),
                    "add rows to the table or remove the chart".into(),
                )),
            ),
            PieNeedsOneSeries { found } => (
                pick(
                    format!("un gráfico de torta muestra una sola serie, no {found}"),
                    format!("a pie chart shows one series, not {found}"),
                ),
                Some(pick(
                    "deje una sola columna en 'y', o use type: bar".into(),
                    "keep one column in 'y', or use type: bar".into(),
                )),
            ),
            FormulaSyntax { problem } => (
                pick(
                    format!("fórmula inválida: {}", formula_problem(problem, Lang::Es)),
                    format!("invalid formula: {}", formula_problem(problem, Lang::En)),
                ),
                Some(pick(
                    "use ids de columnas, números, + - * / ( ), sum(columna) y share(columna), por ejemplo \"gastado / aprobado * 100\"".into(),
                    "use column ids, numbers, + - * / ( ), sum(column) and share(column), e.g. \"spent / approved * 100\"".into(),
                )),
            ),
            FormulaCycle { cycle } => (
                pick(
                    format!("las fórmulas forman un ciclo: {}", cycle.join(" → ")),
                    format!("the formulas form a cycle: {}", cycle.join(" → ")),
                ),
                Some(pick(
                    "una fórmula no puede depender, directa o indirectamente, de su propia columna".into(),
                    "a formula cannot depend, directly or indirectly, on its own column".into(),
                )),
            ),
            RowTypeWithFormula { column } => (
                pick(
                    format!("una fila con tipo propio no cabe en una tabla con fórmulas (columna '{column}')"),
                    format!("a row with its own type does not fit a table with formulas (column '{column}')"),
                ),
                Some(pick(
                    "quite el tipo de la fila, o la fórmula de la columna".into(),
                    "remove the row's type, or the column's formula".into(),
                )),
            ),
            MalformedCheck { text } => (
                pick(format!("comprobación mal escrita '{text}'"), format!("malformed check '{text}'")),
                Some(pick(
                    "nombre una celda como tabla.fila.columna (la fila por su primera celda, o total) o una suma como sum(tabla.columna)".into(),
                    "name a cell as table.row.column (the row by its first cell, or total) or a sum as sum(table.column)".into(),
                )),
            ),
            CheckColumnNotNumeric { column } => (
                pick(
                    format!("la columna '{column}' no es numérica y no se puede comparar"),
                    format!("column '{column}' is not numeric and cannot be compared"),
                ),
                Some(pick("compare columnas integer, decimal, money o percent".into(), "compare integer, decimal, money or percent columns".into())),
            ),
            EmptyCheckedCell { table, row, column } => (
                pick(
                    format!("la celda '{row}' · '{column}' de la tabla '{table}' está vacía"),
                    format!("cell '{row}' · '{column}' of table '{table}' is empty"),
                ),
                Some(pick("compare una celda con una cifra".into(), "compare a cell that holds a figure".into())),
            ),
            PrintedNotANumber { text } => (
                pick(format!("printed=\"{text}\" no es una cifra"), format!("printed=\"{text}\" is not a figure")),
                Some(pick(
                    "escriba la cifra como la dice el texto, por ejemplo printed=\"64\" o printed=\"1.234,5\"".into(),
                    "write the figure as the text states it, e.g. printed=\"64\" or printed=\"1.234,5\"".into(),
                )),
            ),
            CrossCheckMismatch { left, left_figure, right, right_figure, explain } => (
                match (explain, es) {
                    (Some(why), true) => format!("{left} dice {left_figure} y {right} dice {right_figure} (explicado: {why})"),
                    (Some(why), false) => format!("{left} says {left_figure} and {right} says {right_figure} (explained: {why})"),
                    (None, true) => format!("las cifras no coinciden: {left} dice {left_figure}, {right} dice {right_figure}"),
                    (None, false) => format!("the figures disagree: {left} says {left_figure}, {right} says {right_figure}"),
                },
                Some(match (explain, es) {
                    (Some(_), true) => "si la diferencia está aceptada, agregue accepted: true".into(),
                    (Some(_), false) => "if the difference is accepted, add accepted: true".into(),
                    (None, true) => "corrija la cifra si es un error de tipeo; si la fuente lo dice así, explíquelo con explain: \"…\" (y accepted: true)".into(),
                    (None, false) => "fix the figure if it is a typo; if the source says so, explain it with explain: \"…\" (and accepted: true)".into(),
                }),
            ),
            PrintedMismatch { printed, place, figure } => (
                pick(
                    format!("el texto dice {printed}, pero {place} dice {figure}"),
                    format!("the text says {printed}, but {place} says {figure}"),
                ),
                Some(pick(
                    "corrija el texto o la tabla si es un error de tipeo; si la fuente lo dice así, explíquelo en una comprobación (checks:) con explain".into(),
                    "fix the text or the table if it is a typo; if the source says so, explain it in a check (checks:) with explain".into(),
                )),
            ),
            UnknownUnit { unit, suggestion } => (
                pick(
                    format!("unidad no válida '{unit}'{}", did_you_mean(lang, suggestion)),
                    format!("invalid unit '{unit}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    "use una unidad corta como M$, MM$, US$, UF, UTM, m², km, días o personas".into(),
                    "use a short unit such as M$, MM$, US$, UF, UTM, m², km, días or personas".into(),
                )),
            ),
            UnitOnColumn { column } => (
                pick(
                    format!("la columna '{column}' no puede llevar unidad"),
                    format!("column '{column}' cannot have a unit"),
                ),
                Some(pick(
                    "una unidad va en columnas integer, decimal o money; percent ya muestra %".into(),
                    "a unit goes on integer, decimal or money columns; percent already shows %".into(),
                )),
            ),
            DecimalComma { literal, suggestion } => (
                pick(
                    format!("'{literal}' usa coma decimal; use punto decimal: {suggestion}"),
                    format!("'{literal}' uses a decimal comma; use a decimal point: {suggestion}"),
                ),
                Some(pick(
                    format!("en YAML la coma separa celdas: escriba {suggestion}; la página lo mostrará con coma"),
                    format!("in YAML a comma separates cells: write {suggestion}; the page shows it in the report's locale"),
                )),
            ),
            FormulaUnknownColumn { name, suggestion } => (
                pick(
                    format!("la fórmula nombra la columna desconocida '{name}'{}", did_you_mean(lang, suggestion)),
                    format!("the formula names unknown column '{name}'{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    "use el 'id' de una columna numérica de la misma tabla".into(),
                    "use the 'id' of a numeric column of the same table".into(),
                )),
            ),
            FormulaOnTextColumn { column } => (
                pick(
                    format!("la columna de texto '{column}' no puede tener fórmula"),
                    format!("text column '{column}' cannot have a formula"),
                ),
                Some(pick("dé a la columna un tipo numérico".into(), "give the column a numeric type".into())),
            ),
            FormulaMismatch { column, row, declared, computed } => (
                pick(
                    format!("'{column}' en la fila '{row}': publicado {declared}, calculado {computed}"),
                    format!("'{column}' in row '{row}': declared {declared}, computed {computed}"),
                ),
                Some(pick(
                    "si el documento original dice así, déjelo: la página lo muestra en su nota de verificación".into(),
                    "if the source document says so, keep it: the page shows it in its verification note".into(),
                )),
            ),
            TotalMismatch { column, declared, computed } => (
                pick(
                    format!("total de '{column}': publicado {declared}, calculado {computed}"),
                    format!("total of '{column}': declared {declared}, computed {computed}"),
                ),
                Some(pick(
                    "si el documento original dice así, déjelo: la página lo muestra en su nota de verificación".into(),
                    "if the source document says so, keep it: the page shows it in its verification note".into(),
                )),
            ),
            FormulaNotComputable { column, row } => (
                pick(
                    format!("no se puede calcular '{column}' en la fila '{row}' (falta un dato o divide por cero)"),
                    format!("cannot compute '{column}' in row '{row}' (a figure is missing or it divides by zero)"),
                ),
                None,
            ),
            Template { detail } => (
                pick(format!("error en la plantilla: {detail}"), format!("template error: {detail}")),
                Some(pick(
                    "revise la plantilla del tema; los nombres de variables están en docs/theme-contract.md".into(),
                    "check the theme template; variable names are listed in docs/theme-contract.md".into(),
                )),
            ),
            ThemeNotFound { name } => (
                pick(format!("no existe el tema '{name}'"), format!("theme '{name}' does not exist")),
                Some(pick(
                    format!("cree themes/{name}/templates/ o use theme: default"),
                    format!("create themes/{name}/templates/ or use theme: default"),
                )),
            ),
            SymlinkOutside => (
                pick(
                    "el enlace simbólico apunta fuera de content/".into(),
                    "the symbolic link points outside content/".into(),
                ),
                Some(pick("copie el archivo dentro de content/".into(), "copy the file into content/".into())),
            ),
            SymlinkLoop => (
                pick("los enlaces simbólicos forman un ciclo".into(), "the symbolic links form a loop".into()),
                Some(pick("elimine el enlace".into(), "remove the link".into())),
            ),
            SymlinkBroken => (
                pick(
                    "el enlace simbólico apunta a un archivo que no existe".into(),
                    "the symbolic link points to a file that does not exist".into(),
                ),
                Some(pick("corrija o elimine el enlace".into(), "fix or remove the link".into())),
            ),
            UnsafePath { path } => (
                pick(format!("ruta no permitida '{path}'"), format!("path not allowed '{path}'")),
                Some(pick("use un nombre sin '/', '\\' ni '..'".into(), "use a name without '/', '\\' or '..'".into())),
            ),
            InvalidDate { value } => (
                pick(format!("'{value}' no es una fecha"), format!("'{value}' is not a date")),
                Some(pick(
                    "escriba la fecha como año-mes-día, con cuatro, dos y dos cifras: 2019-05-10".into(),
                    "write the date as year-month-day, with four, two and two digits: 2019-05-10".into(),
                )),
            ),
            QuestionWithoutAnswer { id } => (
                pick(
                    format!("la pregunta '{id}' no tiene respuesta ni estado"),
                    format!("question '{id}' has neither an answer nor a status"),
                ),
                Some(pick(
                    "agregue 'respuesta: …' (y 'respondida: fecha'), o 'estado: en plazo' o 'estado: pendiente'".into(),
                    "add 'respuesta: …' (and 'respondida: date'), or 'estado: en plazo' or 'estado: pendiente'".into(),
                )),
            ),
            AnswerBeforeQuestion { answered, received } => (
                pick(
                    format!("la respuesta tiene fecha {answered}, anterior a la pregunta, recibida el {received}"),
                    format!("the answer is dated {answered}, before the question, received on {received}"),
                ),
                Some(pick(
                    "revise las fechas 'recibida' y 'respondida'; una de las dos está mal escrita".into(),
                    "check the 'recibida' and 'respondida' dates; one of them is mistyped".into(),
                )),
            ),
            DeadlineTooLong { days, max } => (
                pick(
                    format!("un plazo de {days} días hábiles es más largo que el máximo, {max}"),
                    format!("a deadline of {days} business days is longer than the maximum, {max}"),
                ),
                Some(pick(
                    "el plazo legal habitual es de 45 días hábiles; revise la cifra".into(),
                    "the usual legal deadline is 45 business days; check the figure".into(),
                )),
            ),
            SumOfTextColumn { table, column } => (
                pick(
                    format!("la columna '{column}' de la tabla '{table}' es de texto: no se puede sumar"),
                    format!("column '{column}' of table '{table}' holds text: it cannot be summed"),
                ),
                Some(pick(
                    "sume una columna numérica, o nombre una celda con 'fila'".into(),
                    "sum a numeric column, or name one cell with 'fila'".into(),
                )),
            ),
            RowAndSum => (
                pick(
                    "una cifra destacada lleva 'fila' o 'calculo: suma', no ambas".into(),
                    "a key figure takes 'fila' or 'calculo: suma', not both".into(),
                ),
                Some(pick(
                    "con 'fila' muestra una celda; con 'calculo: suma', la suma de la columna".into(),
                    "'fila' shows one cell; 'calculo: suma' the sum of the column".into(),
                )),
            ),
            PdfSection { section, detail } => (
                pick(
                    format!("no se pudo componer el PDF en la sección '{section}': {detail}"),
                    format!("the PDF could not be typeset at section '{section}': {detail}"),
                ),
                Some(pick(
                    "revise el texto y las tablas de esta sección, o desactive el PDF con 'pdf: false' en content/_index.md".into(),
                    "check this section's text and tables, or turn the PDF off with 'pdf: false' in content/_index.md".into(),
                )),
            ),
            PdfReport { detail } => (
                pick(format!("no se pudo componer el PDF: {detail}"), format!("the PDF could not be typeset: {detail}")),
                Some(pick(
                    "desactive el PDF con 'pdf: false' en este archivo".into(),
                    "turn the PDF off with 'pdf: false' in this file".into(),
                )),
            ),
            UnknownKeyFigure { label, detail } => {
                let (inner, hint) = detail.text(lang);
                (pick(format!("la cifra destacada '{label}': {inner}"), format!("key figure '{label}': {inner}")), hint)
            }
            MissingAltText => (
                pick("la imagen no tiene texto alternativo".into(), "the image has no alt text".into()),
                Some(pick(
                    "describa entre los corchetes lo que muestra, para quien no la ve: ![Operativo en Calama](…)".into(),
                    "say between the brackets what it shows, for readers who cannot see it: ![Operation in Calama](…)"
                        .into(),
                )),
            ),
            BrokenLink { target, suggestion } => (
                pick(
                    format!("el enlace lleva a '{target}', que no está en el informe{}", did_you_mean(lang, suggestion)),
                    format!("the link leads to '{target}', which is not in the report{}", did_you_mean(lang, suggestion)),
                ),
                Some(pick(
                    "enlace a otra sección por su archivo (../03-seguridad.md) o su página (seguridad.html), o a un archivo guardado bajo content/".into(),
                    "link another section by its file (../03-seguridad.md) or page (seguridad.html), or a file kept under content/".into(),
                )),
            ),
            ImageTooLarge { size, limit } => (
                pick(
                    format!("la imagen pesa {} KB, más que {} KB", size / 1024, limit / 1024),
                    format!("the image is {} KB, over {} KB", size / 1024, limit / 1024),
                ),
                Some(pick(
                    "redúzcala (por ejemplo a 1600 px de ancho, JPEG o WebP): se descarga en cada teléfono y en la copia sin conexión".into(),
                    "shrink it (say to 1600 px wide, JPEG or WebP): every phone downloads it, and the offline copy carries it".into(),
                )),
            ),
            SvgWithScript => (
                pick("la imagen SVG contiene código (script o eventos)".into(), "the SVG image contains code (script or event handlers)".into()),
                Some(pick(
                    "expórtela de nuevo sin interactividad, o use PNG".into(),
                    "export it again without interactivity, or use PNG".into(),
                )),
            ),
            UnsafeLink { target } => (
                pick(
                    format!("enlace no permitido '{target}': podría ejecutar código en el sitio"),
                    format!("link not allowed '{target}': it could run code on the site"),
                ),
                Some(pick(
                    "use una dirección http, https, mailto o tel, o una ruta relativa".into(),
                    "use an http, https, mailto or tel address, or a relative path".into(),
                )),
            ),
            ThemeLinkOutside => (
                pick(
                    "el enlace simbólico apunta fuera de themes/; el archivo no se publica".into(),
                    "the symbolic link points outside themes/; the file is not published".into(),
                ),
                Some(pick("copie el archivo dentro de themes/".into(), "copy the file into themes/".into())),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_words_agree_in_gender_with_the_kind() {
        let unknown = |kind| Message::UnknownId { kind, id: "x".into(), suggestion: None }.text(Lang::Es);
        let (chart, chart_hint) = unknown(Kind::Chart);
        assert_eq!(chart, "gráfico desconocido 'x'");
        assert_eq!(chart_hint.as_deref(), Some("use el 'id' de un gráfico declarado en el encabezado"));
        assert_eq!(unknown(Kind::Table).0, "tabla desconocida 'x'");
        let duplicate = Message::DuplicateId { kind: Kind::Chart, id: "x".into(), first: "a.md:3".into() };
        assert_eq!(duplicate.text(Lang::Es).0, "gráfico 'x' repetido; ya está definido en a.md:3");
    }
}
