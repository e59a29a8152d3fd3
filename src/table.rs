//! Data tables declared in front matter: typed columns, cell validation,
//! formulas and declared totals. Takes a [`TableSpec`] as parsed from YAML and
//! returns a checked [`DataTable`] plus diagnostics. No HTML, no plotting.

use crate::diagnostics::{suggest, Diagnostic, Kind, Message, Span};
use crate::formula::Formula;
use crate::front_matter::{Positions, Value};
use crate::number::{written_decimals, NumberFormat};
pub(crate) use crate::participation::date::Date;
use crate::slug::is_valid_id;
use crate::source::SourceFile;
use serde::{Deserialize, Serialize};

/// A table as written in front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TableSpec {
    pub id: String,
    pub caption: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    /// Each row a list of cells, or `{ cells: [...], type: money, unit: M$ }`
    /// for a row with its own type (fact-sheet tables).
    pub rows: Vec<Value>,
    #[serde(default)]
    pub total: Option<Vec<Value>>,
    /// A spreadsheet or CSV the rows come from instead (see `spreadsheet`).
    #[serde(default)]
    pub rows_from: Option<String>,
    /// Its sheet; the first when left out.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Its cells, as `A2:E14`; every used cell when left out.
    #[serde(default)]
    pub range: Option<String>,
    /// Its total row: a row number (`15`) or range (`A15:E15`).
    #[serde(default)]
    pub total_from: Option<Value>,
}

/// A column as written in front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ColumnSpec {
    pub id: String,
    pub label: String,
    #[serde(rename = "type", default)]
    pub kind: ColumnType,
    #[serde(default)]
    pub decimals: Option<u8>,
    #[serde(default)]
    pub empty: Option<String>,
    #[serde(default)]
    pub formula: Option<String>,
    /// `false` when the document did not print the column's computed
    /// figures: a `~` cell stays empty instead of being filled in.
    #[serde(default)]
    pub fill: Option<bool>,
    /// Unit or scale of the figures (`M$`, `UF`, `personas`), shown in the
    /// header, on chart axes, by `figure()` and in the open data.
    #[serde(default)]
    pub unit: Option<String>,
    /// A header shared with the columns next to it that name the same
    /// group: `Presupuesto` over `Inicial | Vigente`.
    #[serde(default)]
    pub group: Option<String>,
}

/// What a column holds, which decides validation and formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ColumnType {
    #[default]
    Text,
    Integer,
    Decimal,
    Money,
    Percent,
    /// A calendar day, written `2019-12-31`, shown `31-12-2019`.
    Date,
}

impl ColumnType {
    pub(crate) fn is_numeric(self) -> bool {
        !matches!(self, ColumnType::Text | ColumnType::Date)
    }
    /// Whole-number columns hold exact i64 values.
    pub(crate) fn is_whole(self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::Money)
    }
}

/// A validated column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Column {
    pub id: String,
    pub label: String,
    pub kind: ColumnType,
    pub decimals: Option<u8>,
    pub empty: Option<String>,
    pub formula: Option<Formula>,
    /// Whether a `~` cell is filled in with its computed figure.
    pub fill: bool,
    /// Unit or scale of the figures, e.g. `M$`; None for the column
    /// type's own (the report's currency for money, % for percent).
    pub unit: Option<String>,
    /// The header this column shares with its neighbours of the same group.
    #[serde(default)]
    pub group: Option<String>,
}

impl Column {
    /// The label with its unit, as a header reads: `Presupuesto (M$)`.
    pub(crate) fn heading(&self) -> String {
        match &self.unit {
            Some(unit) => format!("{} ({unit})", self.label),
            None => self.label.clone(),
        }
    }
}

/// Runs of neighbouring columns: (group, first column, how many). A column
/// without a group is a run of one with None.
pub(crate) fn column_groups(columns: &[Column]) -> Vec<(Option<&str>, usize, usize)> {
    let mut runs: Vec<(Option<&str>, usize, usize)> = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        let group = c.group.as_deref();
        match runs.last_mut() {
            Some((g, _, n)) if group.is_some() && *g == group => *n += 1,
            _ => runs.push((group, i, 1)),
        }
    }
    runs
}

/// One typed cell. `Num` remembers the decimals it was written with, so a
/// check compares at the precision the document printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Cell {
    Empty,
    Int(i64),
    Num {
        value: f64,
        decimals: usize,
    },
    Text(String),
    List(Vec<String>),
    /// A day of a `date` column.
    Date(Date),
}

impl Cell {
    /// The numeric value, if any.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Num { value, .. } => Some(*value),
            _ => None,
        }
    }
}

/// A row of typed cells; `computed[i]` is true when a formula filled cell i.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    pub computed: Vec<bool>,
    pub span: Span,
    /// The row's own type for its numeric cells, in a fact-sheet table.
    #[serde(default)]
    pub own: Option<RowType>,
}

/// A row's own type, unit and decimals, overriding its numeric columns':
/// a fact sheet mixes pesos, people and percentages in one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RowType {
    pub kind: ColumnType,
    pub unit: Option<String>,
    pub decimals: Option<u8>,
}

impl RowType {
    /// `column` as this row's numeric cells read it.
    fn apply(&self, column: &Column) -> Column {
        if !column.kind.is_numeric() {
            return column.clone();
        }
        Column {
            kind: self.kind,
            unit: self.unit.clone(),
            decimals: self.decimals.or(column.decimals),
            ..column.clone()
        }
    }
}

impl Row {
    /// The text of the row's first text cell: how editors and readers name it.
    pub(crate) fn label(&self) -> Option<&str> {
        self.cells.iter().find_map(|c| match c {
            Cell::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }
}

/// A declared figure that disagrees with cuenta's own computation.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub(crate) struct Mismatch {
    pub column: String,
    /// None for the total row.
    pub row: Option<String>,
    pub declared: String,
    pub computed: String,
    /// For a figure repeated elsewhere: that other place (`computed` is
    /// then the figure printed there).
    #[serde(default)]
    pub against: Option<String>,
    /// The editor's explanation of the difference.
    #[serde(default)]
    pub explain: Option<String>,
}

/// A checked table, ready to render, chart and export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DataTable {
    pub id: String,
    pub caption: String,
    pub source: Option<String>,
    pub note: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub total: Option<Row>,
    pub mismatches: Vec<Mismatch>,
    /// How many declared figures were checked, by kind.
    pub checks: Checks,
    pub span: Span,
}

/// How many printed figures of a table were compared with a computation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Checks {
    /// Cells of formula columns, row by row.
    pub formulas: usize,
    /// Declared totals.
    pub totals: usize,
    /// Comparisons with the same figure printed elsewhere in the report.
    #[serde(default)]
    pub cross: usize,
}

impl Checks {
    /// Every comparison made.
    pub(crate) fn count(&self) -> usize {
        self.formulas + self.totals + self.cross
    }
}

impl DataTable {
    /// Index of the column with `id`.
    pub(crate) fn column_index(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    /// Column `col` as `row` reads it: with the row's own type, if any.
    pub(crate) fn column_in(&self, col: usize, row: &Row) -> Option<Column> {
        let column = self.columns.get(col)?;
        Some(row.own.as_ref().map_or_else(|| column.clone(), |own| own.apply(column)))
    }

    /// A cell as the reader sees it (numbers formatted; text as written).
    pub(crate) fn display_in(&self, col: usize, row: &Row, fmt: &NumberFormat) -> String {
        match (self.column_in(col, row), row.cells.get(col)) {
            (Some(column), Some(cell)) => display(&column, cell, fmt),
            _ => String::new(),
        }
    }

    /// A cell as the reader sees it (numbers formatted; text as written).
    pub(crate) fn display(&self, col: usize, cell: &Cell, fmt: &NumberFormat) -> String {
        match self.columns.get(col) {
            Some(column) => display(column, cell, fmt),
            None => String::new(),
        }
    }
}

/// A figure as prose states it, with its unit: `M$ 422.935.621`,
/// `1.234 personas`, `$ 1.000` (the header is not there to say it).
pub(crate) fn display_with_unit(column: &Column, cell: &Cell, fmt: &NumberFormat) -> String {
    let shown = display(column, cell, fmt);
    match (&column.unit, cell) {
        (Some(unit), Cell::Int(_) | Cell::Num { .. }) => fmt.with_unit(&shown, unit),
        _ => shown,
    }
}

/// Formats a cell for its column, as the table prints it: a column with a
/// unit prints plain figures under a header that names the unit.
pub(crate) fn display(column: &Column, cell: &Cell, fmt: &NumberFormat) -> String {
    let decimals = |d: usize| column.decimals.map_or(d, usize::from);
    match (cell, column.kind) {
        (Cell::Empty, _) => column.empty.clone().unwrap_or_else(|| "—".to_string()),
        (Cell::Int(i), ColumnType::Money) if column.unit.is_none() => fmt.money(*i),
        (Cell::Int(i), ColumnType::Percent) => fmt.percent(*i as f64, decimals(0)),
        (Cell::Int(i), ColumnType::Decimal) => fmt.decimal(*i as f64, decimals(0)),
        (Cell::Int(i), _) => fmt.integer(*i),
        (Cell::Num { value, decimals: d }, ColumnType::Percent) => fmt.percent(*value, decimals(*d)),
        (Cell::Num { value, decimals: d }, _) => fmt.decimal(*value, decimals(*d)),
        (Cell::Text(t), _) => t.clone(),
        (Cell::List(items), _) => items.join("; "),
        (Cell::Date(date), _) => fmt.date(*date),
    }
}

/// Where the table sits in its file, to point diagnostics at rows and cells.
pub(crate) struct Locator<'a> {
    pub file: &'a SourceFile,
    pub positions: &'a Positions,
    /// Path of this table in the YAML, e.g. `tables.2`.
    pub path: String,
}

impl Locator<'_> {
    pub(crate) fn span(&self, sub: &str) -> Span {
        self.positions.span(&format!("{}.{sub}", self.path))
    }
    fn literal(&self, sub: &str) -> Option<&str> {
        self.positions.literal(&format!("{}.{sub}", self.path))
    }
    pub(crate) fn error(&self, sub: &str, message: Message) -> Diagnostic {
        Diagnostic::error(self.file, self.span(sub), message)
    }
    fn warning(&self, sub: &str, message: Message) -> Diagnostic {
        Diagnostic::warning(self.file, self.span(sub), message)
    }
}

/// Rows that come from elsewhere than the YAML (a spreadsheet): given the
/// validated columns, the typed rows and total, adding any problem found.
pub(crate) type ExternalRows<'a> = &'a dyn Fn(&[Column], &mut Vec<Diagnostic>) -> (Vec<Row>, Option<Row>);

/// Validates and checks a table. Returns the table when it is usable (even
/// with warnings) and every diagnostic found.
pub(crate) fn build(spec: TableSpec, at: &Locator, fmt: &NumberFormat) -> (Option<DataTable>, Vec<Diagnostic>) {
    build_with(spec, at, fmt, None)
}

/// [`build`], with the rows from `external` instead of the YAML when given:
/// they are checked (formulas, totals) exactly as written ones.
pub(crate) fn build_with(
    spec: TableSpec,
    at: &Locator,
    fmt: &NumberFormat,
    external: Option<ExternalRows>,
) -> (Option<DataTable>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if !is_valid_id(&spec.id) {
        diags.push(at.error("id", Message::InvalidId { kind: Kind::Table, id: spec.id.clone() }));
    }
    let columns = build_columns(&spec.columns, at, &mut diags);
    let (rows, total) = match external {
        Some(read) => read(&columns, &mut diags),
        None => yaml_rows(&spec, &columns, at, &mut diags),
    };
    let fields =
        [("caption", Some(spec.caption.as_str())), ("source", spec.source.as_deref()), ("note", spec.note.as_deref())];
    diags.extend(links::check(fields, &rows, total.as_ref(), at));
    if diags.iter().any(|d| d.severity == crate::diagnostics::Severity::Error) {
        return (None, diags);
    }
    let mut table = DataTable {
        id: spec.id,
        caption: spec.caption,
        source: spec.source,
        note: spec.note,
        columns,
        rows,
        total,
        mismatches: Vec::new(),
        checks: Checks::default(),
        span: at.span("id"),
    };
    check::run(&mut table, at, fmt, &mut diags);
    (Some(table), diags)
}

/// The rows and total row written in the YAML, typed for `columns`.
fn yaml_rows(
    spec: &TableSpec,
    columns: &[Column],
    at: &Locator,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Row>, Option<Row>) {
    let mut rows = Vec::with_capacity(spec.rows.len());
    for (r, raw) in spec.rows.iter().enumerate() {
        let sub = format!("rows.{r}");
        let row = match raw {
            Value::Sequence(cells) => build_row(cells, columns, at, &sub, diags),
            Value::Mapping(map) => build_typed_row(map, columns, at, &sub, diags),
            _ => {
                let detail = "a row is a list of cells, or { cells: [...], type: ..., unit: ... }".to_string();
                diags.push(at.error(&sub, Message::InvalidValue { detail }));
                None
            }
        };
        rows.extend(row);
    }
    let total = spec.total.as_ref().and_then(|raw| build_row(raw, columns, at, "total", diags));
    (rows, total)
}

/// A group's columns sit side by side: the last column pushed may not
/// name a group that an earlier run of columns already closed.
fn check_group(columns: &[Column], at: &Locator, sub: &str, diags: &mut Vec<Diagnostic>) {
    let Some((last, before)) = columns.split_last() else { return };
    let Some(group) = &last.group else { return };
    let adjacent = before.last().is_some_and(|c| c.group.as_ref() == Some(group));
    if let (false, Some(first)) = (adjacent, before.iter().position(|c| c.group.as_ref() == Some(group))) {
        let message = Message::SplitColumnGroup { group: group.clone(), first: before[first].id.clone() };
        diags.push(at.error(&format!("{sub}.group"), message));
    }
}

fn build_columns(specs: &[ColumnSpec], at: &Locator, diags: &mut Vec<Diagnostic>) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let sub = format!("columns.{i}");
        if !is_valid_column_id(&spec.id) {
            diags.push(at.error(&format!("{sub}.id"), Message::InvalidId { kind: Kind::Column, id: spec.id.clone() }));
        }
        if columns.iter().any(|c| c.id == spec.id) {
            let first = format!("{}:{}", at.file.display, at.span(&sub).line);
            diags.push(
                at.error(&format!("{sub}.id"), Message::DuplicateId { kind: Kind::Column, id: spec.id.clone(), first }),
            );
        }
        columns.push(Column {
            id: spec.id.clone(),
            label: spec.label.clone(),
            kind: spec.kind,
            decimals: spec.decimals,
            empty: spec.empty.clone(),
            formula: None,
            fill: spec.fill.unwrap_or(true),
            unit: None,
            group: spec.group.as_ref().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()),
        });
        check_group(&columns, at, &sub, diags);
        if let Some(unit) = &spec.unit {
            match crate::number::unit_problem(unit) {
                Some(suggestion) if spec.kind.is_numeric() => {
                    let suggestion = suggestion.map(str::to_string);
                    diags.push(
                        at.error(&format!("{sub}.unit"), Message::UnknownUnit { unit: unit.clone(), suggestion }),
                    );
                }
                _ if !spec.kind.is_numeric() || spec.kind == ColumnType::Percent => {
                    diags.push(at.error(&format!("{sub}.unit"), Message::UnitOnColumn { column: spec.id.clone() }));
                }
                _ => columns[i].unit = Some(unit.clone()),
            }
        }
    }
    for (i, spec) in specs.iter().enumerate() {
        let Some(source) = &spec.formula else { continue };
        let sub = format!("columns.{i}.formula");
        if !spec.kind.is_numeric() {
            diags.push(at.error(&sub, Message::FormulaOnTextColumn { column: spec.id.clone() }));
            continue;
        }
        match Formula::parse(source) {
            Err(e) => diags.push(Diagnostic::error(
                at.file,
                formula_span(at, &sub, source, e.offset, e.len),
                Message::FormulaSyntax { problem: e.problem },
            )),
            Ok(formula) => {
                let numeric: Vec<&str> =
                    columns.iter().filter(|c| c.kind.is_numeric()).map(|c| c.id.as_str()).collect();
                let mut known = true;
                for reference in formula.references() {
                    if numeric.contains(&reference.name.as_str()) {
                        continue;
                    }
                    known = false;
                    let suggestion = suggest(&reference.name, numeric.iter().copied());
                    let span = formula_span(at, &sub, source, reference.offset, reference.name.len());
                    let message = Message::FormulaUnknownColumn { name: reference.name.clone(), suggestion };
                    diags.push(Diagnostic::error(at.file, span, message));
                }
                if known {
                    columns[i].formula = Some(formula);
                }
            }
        }
    }
    if let Some(cycle) = check::find_cycle(&columns) {
        let names: Vec<String> = cycle.iter().map(|&c| columns[c].id.clone()).collect();
        let mut shown = names.clone();
        shown.push(names[0].clone());
        diags.push(at.error(&format!("columns.{}.formula", cycle[0]), Message::FormulaCycle { cycle: shown }));
        for c in cycle {
            columns[c].formula = None;
        }
    }
    columns
}

/// The span of the character at byte `offset` of a formula, when the
/// formula stands on one line as written (plain or quoted without escapes);
/// else the span of the whole scalar.
fn formula_span(at: &Locator, sub: &str, source: &str, offset: usize, len: usize) -> Span {
    let base = at.span(sub);
    let line = at.file.line(base.line);
    let Some(rest) = line.char_indices().nth(base.col.saturating_sub(1)).map(|(i, _)| &line[i..]) else {
        return base;
    };
    let quote = usize::from(rest.starts_with(['"', '\'']));
    if !rest[quote..].starts_with(source) {
        return base;
    }
    let before = source.get(..offset).map_or(0, |s| s.chars().count());
    let width = source.get(offset..offset + len).map_or(1, |s| s.chars().count());
    Span::new(base.line, base.col + quote + before).with_len(width)
}

/// Column ids are like table ids but may use `_` too (`y2016`, `monto_total`).
fn is_valid_column_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn build_row(raw: &[Value], columns: &[Column], at: &Locator, sub: &str, diags: &mut Vec<Diagnostic>) -> Option<Row> {
    if raw.len() != columns.len() {
        match decimal_comma(raw, at, sub) {
            Some((span, message)) => diags.push(Diagnostic::error(at.file, span, message)),
            None => diags.push(at.error(sub, Message::RowLength { expected: columns.len(), found: raw.len() })),
        }
        return None;
    }
    let mut cells = Vec::with_capacity(raw.len());
    let mut ok = true;
    for (c, (value, column)) in raw.iter().zip(columns).enumerate() {
        let cell_path = format!("{sub}.{c}");
        match typed_cell(value, column, at.literal(&cell_path)) {
            Ok(cell) => cells.push(cell),
            Err(message) => {
                // The cell's span covers its text.
                diags.push(at.error(&cell_path, message));
                ok = false;
            }
        }
    }
    ok.then(|| Row { computed: vec![false; cells.len()], cells, span: at.span(sub), own: None })
}

/// `{ cells: [...], type: money, unit: M$, decimals: 1 }`: a row of a
/// fact-sheet table with its own type for its numeric cells.
fn build_typed_row(
    map: &[(Value, Value)],
    columns: &[Column],
    at: &Locator,
    sub: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Row> {
    const KEYS: [&str; 4] = ["cells", "type", "unit", "decimals"];
    let mut own = RowType { kind: ColumnType::Decimal, unit: None, decimals: None };
    let mut cells = None;
    let mut ok = true;
    for (key, value) in map {
        let key = key.as_str().unwrap_or_default();
        let path = format!("{sub}.{key}");
        match key {
            "cells" => cells = value.as_sequence(),
            "type" => match value.as_str().and_then(numeric_type_named) {
                Some(kind) => own.kind = kind,
                _ => {
                    let expected: Vec<String> = ["integer", "decimal", "money", "percent"].map(String::from).into();
                    let text = value.as_str().unwrap_or_default().to_string();
                    let suggestion = suggest(&text, expected.iter().map(String::as_str));
                    diags.push(at.error(&path, Message::UnknownVariant { value: text, suggestion, expected }));
                    ok = false;
                }
            },
            "unit" => match value.as_str() {
                Some(unit) if crate::number::unit_problem(unit).is_none() => own.unit = Some(unit.to_string()),
                _ => {
                    let unit = value.as_str().unwrap_or_default().to_string();
                    let suggestion = crate::number::unit_problem(&unit).flatten().map(str::to_string);
                    diags.push(at.error(&path, Message::UnknownUnit { unit, suggestion }));
                    ok = false;
                }
            },
            "decimals" => own.decimals = value.as_u64().and_then(|d| u8::try_from(d).ok()),
            other => {
                let expected: Vec<String> = KEYS.map(String::from).into();
                let suggestion = suggest(other, KEYS);
                diags.push(at.error(&path, Message::UnknownField { field: other.to_string(), suggestion, expected }));
                ok = false;
            }
        }
    }
    if let Some(c) = columns.iter().find(|c| c.formula.is_some()) {
        diags.push(at.error(&format!("{sub}.type"), Message::RowTypeWithFormula { column: c.id.clone() }));
        ok = false;
    }
    let Some(raw) = cells else {
        diags.push(at.error(sub, Message::MissingField { field: "cells".into() }));
        return None;
    };
    let typed: Vec<Column> = columns.iter().map(|c| own.apply(c)).collect();
    let row = build_row(raw, &typed, at, &format!("{sub}.cells"), diags)?;
    ok.then_some(Row { own: Some(own), span: at.span(sub), ..row })
}

/// A numeric column type by the name an editor writes, English or Spanish
/// (as `type:` on a column reads it through the front matter's aliases).
fn numeric_type_named(name: &str) -> Option<ColumnType> {
    match name {
        "integer" | "entero" => Some(ColumnType::Integer),
        "decimal" => Some(ColumnType::Decimal),
        "money" | "dinero" | "monto" => Some(ColumnType::Money),
        "percent" | "porcentaje" => Some(ColumnType::Percent),
        _ => None,
    }
}

/// `[x, 99,8]` is read by YAML as three cells, `99` and `8`: two numbers
/// written with only a comma between them are taken for a decimal comma.
fn decimal_comma(raw: &[Value], at: &Locator, sub: &str) -> Option<(Span, Message)> {
    (0..raw.len().saturating_sub(1)).find_map(|i| {
        if !matches!((&raw[i], &raw[i + 1]), (Value::Number(_), Value::Number(_))) {
            return None;
        }
        let (a, b) = (at.span(&format!("{sub}.{i}")), at.span(&format!("{sub}.{}", i + 1)));
        let (left, right) = (at.literal(&format!("{sub}.{i}"))?, at.literal(&format!("{sub}.{}", i + 1))?);
        let line = at.file.line(a.line);
        let between = line.chars().nth(a.col - 1 + a.len);
        let adjacent = a.line == b.line && b.col == a.col + a.len + 1 && between == Some(',');
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        (adjacent && digits(right) && !left.contains(['.', 'e', 'E'])).then(|| {
            let message =
                Message::DecimalComma { literal: format!("{left},{right}"), suggestion: format!("{left}.{right}") };
            (Span::new(a.line, a.col).with_len(a.len + 1 + b.len), message)
        })
    })
}

/// `"99,8"` written as text in a numeric column: the decimal comma of print.
fn decimal_comma_text(s: &str) -> Option<Message> {
    let (int, frac) = s.trim().split_once(',')?;
    let unsigned = int.strip_prefix('-').unwrap_or(int);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    (digits(unsigned) && digits(frac))
        .then(|| Message::DecimalComma { literal: s.trim().to_string(), suggestion: format!("{int}.{frac}") })
}

/// A cell typed for its column, from its YAML value and the literal it was
/// written as; spreadsheet cells come through here too, as the YAML value
/// they would have been.
pub(crate) fn typed_cell(value: &Value, column: &Column, literal: Option<&str>) -> Result<Cell, Message> {
    let numeric = column.kind.is_numeric();
    if column.kind == ColumnType::Date {
        return typed_date(value, column, literal);
    }
    match value {
        Value::Null => Ok(Cell::Empty),
        Value::Bool(b) if !numeric => Ok(Cell::Text(literal.map_or_else(|| b.to_string(), str::to_string))),
        Value::Bool(_) => Err(Message::BoolCell { column: column.id.clone() }),
        Value::String(s) if !numeric => Ok(Cell::Text(s.clone())),
        Value::String(s) => Err(decimal_comma_text(s)
            .unwrap_or_else(|| Message::TextInNumericColumn { column: column.id.clone(), value: s.clone() })),
        Value::Number(n) if !numeric => Ok(Cell::Text(literal.map_or_else(|| n.to_string(), str::to_string))),
        Value::Number(n) => typed_number(n, column.kind, literal),
        Value::Sequence(items) if !numeric => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                Value::Bool(b) => Ok(b.to_string()),
                _ => Err(Message::InvalidValue { detail: "a list cell holds only text".into() }),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Cell::List),
        Value::Sequence(_) => Err(Message::TextInNumericColumn { column: column.id.clone(), value: "[…]".into() }),
        _ => Err(Message::InvalidValue { detail: "a cell is a number, a text, a list of texts or ~".into() }),
    }
}

/// A cell of a `date` column: `2019-12-31`, or empty. Only the ISO form:
/// `10/05/2019` is 10 May in Chile and 5 October elsewhere.
fn typed_date(value: &Value, column: &Column, literal: Option<&str>) -> Result<Cell, Message> {
    let not_a_date = |value: String| Message::NotADate { column: column.id.clone(), value };
    match value {
        Value::Null => Ok(Cell::Empty),
        Value::String(s) => Date::parse(s).map(Cell::Date).ok_or_else(|| not_a_date(s.clone())),
        Value::Number(n) => Err(not_a_date(literal.map_or_else(|| n.to_string(), str::to_string))),
        Value::Bool(b) => Err(not_a_date(literal.map_or_else(|| b.to_string(), str::to_string))),
        _ => Err(not_a_date("[…]".into())),
    }
}

fn typed_number(n: &crate::front_matter::Number, kind: ColumnType, literal: Option<&str>) -> Result<Cell, Message> {
    let lit = || literal.map_or_else(|| n.to_string(), str::to_string);
    if let Some(i) = n.as_i64() {
        return Ok(if kind.is_whole() { Cell::Int(i) } else { Cell::Num { value: i as f64, decimals: 0 } });
    }
    let Some(f) = n.as_f64() else {
        return Err(Message::OutOfRange { literal: lit() });
    };
    if !f.is_finite() {
        return Err(Message::NotFinite { literal: lit() });
    }
    if !kind.is_whole() {
        let decimals = literal.and_then(literal_decimals).unwrap_or_else(|| written_decimals(f));
        return Ok(Cell::Num { value: f, decimals });
    }
    if f.fract() != 0.0 {
        let literal = lit();
        let suggestion: String = literal.chars().filter(|c| *c != '.' && *c != ',').collect();
        return Err(Message::FractionInInteger { literal, suggestion });
    }
    if f.abs() >= 9.2e18 || n.as_u64().is_some() {
        return Err(Message::OutOfRange { literal: lit() });
    }
    Ok(Cell::Int(f as i64))
}

/// Decimals as written in a plain YAML number literal: `100.0` → 1.
fn literal_decimals(lit: &str) -> Option<usize> {
    if lit.contains(['e', 'E']) {
        return None;
    }
    Some(lit.split_once('.').map_or(0, |(_, f)| f.len()).min(12))
}

mod check;

mod links;
#[cfg(test)]
mod tests;
