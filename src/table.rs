//! Data tables declared in front matter: typed columns, cell validation,
//! formulas and declared totals. Takes a [`TableSpec`] as parsed from YAML and
//! returns a checked [`DataTable`] plus diagnostics. No HTML, no plotting.

use crate::diagnostics::{suggest, Diagnostic, Kind, Message, Span};
use crate::formula::Formula;
use crate::front_matter::{Positions, Value};
use crate::number::{written_decimals, NumberFormat};
use crate::slug::is_valid_id;
use crate::source::SourceFile;
use serde::{Deserialize, Serialize};

/// A table as written in front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub id: String,
    pub caption: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub rows: Vec<Vec<Value>>,
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
pub struct ColumnSpec {
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
}

/// What a column holds, which decides validation and formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    #[default]
    Text,
    Integer,
    Decimal,
    Money,
    Percent,
}

impl ColumnType {
    pub fn is_numeric(self) -> bool {
        self != ColumnType::Text
    }
    /// Whole-number columns hold exact i64 values.
    fn is_whole(self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::Money)
    }
}

/// A validated column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Column {
    pub id: String,
    pub label: String,
    pub kind: ColumnType,
    pub decimals: Option<u8>,
    pub empty: Option<String>,
    pub formula: Option<Formula>,
}

/// One typed cell. `Num` remembers the decimals it was written with, so a
/// check compares at the precision the document printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Int(i64),
    Num { value: f64, decimals: usize },
    Text(String),
    List(Vec<String>),
}

impl Cell {
    /// The numeric value, if any.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Num { value, .. } => Some(*value),
            _ => None,
        }
    }
}

/// A row of typed cells; `computed[i]` is true when a formula filled cell i.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub computed: Vec<bool>,
    pub span: Span,
}

impl Row {
    /// The text of the row's first text cell: how editors and readers name it.
    pub fn label(&self) -> Option<&str> {
        self.cells.iter().find_map(|c| match c {
            Cell::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }
}

/// A declared figure that disagrees with cuenta's own computation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mismatch {
    pub column: String,
    /// None for the total row.
    pub row: Option<String>,
    pub declared: String,
    pub computed: String,
}

/// A checked table, ready to render, chart and export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataTable {
    pub id: String,
    pub caption: String,
    pub source: Option<String>,
    pub note: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub total: Option<Row>,
    pub mismatches: Vec<Mismatch>,
    /// How many declared figures were checked (formula cells and totals).
    pub checks: usize,
    pub span: Span,
}

impl DataTable {
    /// Index of the column with `id`.
    pub fn column_index(&self, id: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.id == id)
    }

    /// A cell as the reader sees it (numbers formatted; text as written).
    pub fn display(&self, col: usize, cell: &Cell, fmt: &NumberFormat) -> String {
        match self.columns.get(col) {
            Some(column) => display(column, cell, fmt),
            None => String::new(),
        }
    }
}

/// Formats a cell for its column.
pub fn display(column: &Column, cell: &Cell, fmt: &NumberFormat) -> String {
    let decimals = |d: usize| column.decimals.map_or(d, usize::from);
    match (cell, column.kind) {
        (Cell::Empty, _) => column.empty.clone().unwrap_or_else(|| "—".to_string()),
        (Cell::Int(i), ColumnType::Money) => fmt.money(*i),
        (Cell::Int(i), ColumnType::Percent) => fmt.percent(*i as f64, decimals(0)),
        (Cell::Int(i), ColumnType::Decimal) => fmt.decimal(*i as f64, decimals(0)),
        (Cell::Int(i), _) => fmt.integer(*i),
        (Cell::Num { value, decimals: d }, ColumnType::Percent) => fmt.percent(*value, decimals(*d)),
        (Cell::Num { value, decimals: d }, _) => fmt.decimal(*value, decimals(*d)),
        (Cell::Text(t), _) => t.clone(),
        (Cell::List(items), _) => items.join("; "),
    }
}

/// Where the table sits in its file, to point diagnostics at rows and cells.
pub struct Locator<'a> {
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
pub fn build(spec: TableSpec, at: &Locator, fmt: &NumberFormat) -> (Option<DataTable>, Vec<Diagnostic>) {
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
        None => {
            let mut rows = Vec::with_capacity(spec.rows.len());
            for (r, raw) in spec.rows.iter().enumerate() {
                if let Some(row) = build_row(raw, &columns, at, &format!("rows.{r}"), &mut diags) {
                    rows.push(row);
                }
            }
            let total = spec.total.as_ref().and_then(|raw| build_row(raw, &columns, at, "total", &mut diags));
            (rows, total)
        }
    };
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
        checks: 0,
        span: at.span("id"),
    };
    check_formulas(&mut table, at, fmt, &mut diags);
    check_total(&mut table, at, fmt, &mut diags);
    (Some(table), diags)
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
        });
    }
    for (i, spec) in specs.iter().enumerate() {
        let Some(source) = &spec.formula else { continue };
        let sub = format!("columns.{i}.formula");
        if !spec.kind.is_numeric() {
            diags.push(at.error(&sub, Message::FormulaOnTextColumn { column: spec.id.clone() }));
            continue;
        }
        match Formula::parse(source) {
            Err(detail) => diags.push(at.error(&sub, Message::FormulaSyntax { detail })),
            Ok(formula) => {
                let numeric: Vec<&str> =
                    columns.iter().filter(|c| c.kind.is_numeric()).map(|c| c.id.as_str()).collect();
                let unknown: Vec<&String> =
                    formula.variables().iter().filter(|v| !numeric.contains(&v.as_str())).collect();
                for name in &unknown {
                    let suggestion = suggest(name, numeric.iter().copied());
                    diags.push(at.error(&sub, Message::FormulaUnknownColumn { name: name.to_string(), suggestion }));
                }
                if unknown.is_empty() {
                    columns[i].formula = Some(formula);
                }
            }
        }
    }
    columns
}

/// Column ids are like table ids but may use `_` too (`y2016`, `monto_total`).
fn is_valid_column_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn build_row(raw: &[Value], columns: &[Column], at: &Locator, sub: &str, diags: &mut Vec<Diagnostic>) -> Option<Row> {
    if raw.len() != columns.len() {
        diags.push(at.error(sub, Message::RowLength { expected: columns.len(), found: raw.len() }));
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
    ok.then(|| Row { computed: vec![false; cells.len()], cells, span: at.span(sub) })
}

/// A cell typed for its column, from its YAML value and the literal it was
/// written as; spreadsheet cells come through here too, as the YAML value
/// they would have been.
pub(crate) fn typed_cell(value: &Value, column: &Column, literal: Option<&str>) -> Result<Cell, Message> {
    let numeric = column.kind.is_numeric();
    match value {
        Value::Null => Ok(Cell::Empty),
        Value::Bool(b) if !numeric => Ok(Cell::Text(literal.map_or_else(|| b.to_string(), str::to_string))),
        Value::Bool(_) => Err(Message::BoolCell { column: column.id.clone() }),
        Value::String(s) if !numeric => Ok(Cell::Text(s.clone())),
        Value::String(s) => Err(Message::TextInNumericColumn { column: column.id.clone(), value: s.clone() }),
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

fn typed_number(n: &serde_yaml::Number, kind: ColumnType, literal: Option<&str>) -> Result<Cell, Message> {
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

/// True when `computed` rounds to what was declared, at the declared precision.
fn agrees(declared: &Cell, computed: f64) -> bool {
    match declared {
        Cell::Int(i) => (computed - *i as f64).abs() < 0.5,
        Cell::Num { value, decimals } => {
            let scale = 10f64.powi(*decimals as i32);
            (computed * scale).round() == (value * scale).round()
        }
        _ => true,
    }
}

/// The cell a computation fills in, typed for its column.
fn computed_cell(column: &Column, value: f64, like: Option<&Cell>) -> Cell {
    if column.kind.is_whole() && value.abs() < 9.2e18 {
        return Cell::Int(value.round() as i64);
    }
    let decimals = match like {
        Some(Cell::Num { decimals, .. }) => *decimals,
        _ => column.decimals.map_or(1, usize::from),
    };
    Cell::Num { value, decimals }
}

fn row_name(row: &Row, index: usize) -> String {
    row.label().map_or_else(|| format!("#{}", index + 1), str::to_string)
}

fn check_formulas(table: &mut DataTable, at: &Locator, fmt: &NumberFormat, diags: &mut Vec<Diagnostic>) {
    for c in 0..table.columns.len() {
        let Some(formula) = table.columns[c].formula.clone() else { continue };
        for r in 0..table.rows.len() {
            let row = &table.rows[r];
            let value = formula.eval(|name| table.column_index(name).and_then(|i| row.cells[i].number()));
            let sub = format!("rows.{r}.{c}");
            let name = row_name(row, r);
            apply_check(table, c, Target::Row(r), value, at, &sub, name, fmt, diags);
        }
    }
}

fn check_total(table: &mut DataTable, at: &Locator, fmt: &NumberFormat, diags: &mut Vec<Diagnostic>) {
    if table.total.is_none() {
        return;
    }
    // Plain columns first: formula totals may read them (a ratio of totals).
    let order: Vec<usize> = (0..table.columns.len())
        .filter(|&c| table.columns[c].formula.is_none())
        .chain((0..table.columns.len()).filter(|&c| table.columns[c].formula.is_some()))
        .collect();
    for c in order {
        let column = &table.columns[c];
        if !column.kind.is_numeric() {
            continue;
        }
        let value = match &column.formula {
            Some(formula) => {
                let total = table.total.as_ref();
                formula.eval(|name| table.column_index(name).and_then(|i| total.and_then(|t| t.cells[i].number())))
            }
            None => column_sum(table, c),
        };
        let sub = format!("total.{c}");
        apply_check(table, c, Target::Total, value, at, &sub, String::new(), fmt, diags);
    }
}

fn column_sum(table: &DataTable, c: usize) -> Option<f64> {
    let values: Vec<f64> = table.rows.iter().filter_map(|r| r.cells[c].number()).collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

#[derive(Clone, Copy)]
enum Target {
    Row(usize),
    Total,
}

/// Fills an empty cell with `value`, or compares a declared one with it.
#[allow(clippy::too_many_arguments)]
fn apply_check(
    table: &mut DataTable,
    c: usize,
    target: Target,
    value: Option<f64>,
    at: &Locator,
    sub: &str,
    row_label: String,
    fmt: &NumberFormat,
    diags: &mut Vec<Diagnostic>,
) {
    let column = table.columns[c].clone();
    let row = match target {
        Target::Row(r) => &mut table.rows[r],
        Target::Total => match table.total.as_mut() {
            Some(t) => t,
            None => return,
        },
    };
    let Some(value) = value else {
        if row.cells[c] == Cell::Empty && column.formula.is_some() {
            diags.push(at.warning(sub, Message::FormulaNotComputable { column: column.label.clone(), row: row_label }));
        }
        return;
    };
    if row.cells[c] == Cell::Empty {
        row.cells[c] = computed_cell(&column, value, None);
        row.computed[c] = true;
        return;
    }
    table.checks += 1;
    let declared = row.cells[c].clone();
    if agrees(&declared, value) {
        return;
    }
    let computed = computed_cell(&column, value, Some(&declared));
    let declared_text = display(&column, &declared, fmt);
    let computed_text = display(&column, &computed, fmt);
    let message = match target {
        Target::Row(_) => Message::FormulaMismatch {
            column: column.label.clone(),
            row: row_label.clone(),
            declared: declared_text.clone(),
            computed: computed_text.clone(),
        },
        Target::Total => Message::TotalMismatch {
            column: column.label.clone(),
            declared: declared_text.clone(),
            computed: computed_text.clone(),
        },
    };
    diags.push(at.warning(sub, message));
    table.mismatches.push(Mismatch {
        column: column.label,
        row: matches!(target, Target::Row(_)).then_some(row_label),
        declared: declared_text,
        computed: computed_text,
    });
}

#[cfg(test)]
mod tests;
