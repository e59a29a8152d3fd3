//! A table's own checks: formula cells row by row and declared totals,
//! compared with cuenta's computation at the precision the figure is
//! printed. Computations read computed values (a formula over a formula
//! column reads what cuenta computed, a formula total reads computed
//! totals), so every "calculado" can be reproduced from the table's data;
//! a printed figure that only repeats an earlier discrepancy is not
//! reported again: each discrepancy is reported once, where it arises.

use super::{display, Cell, Column, ColumnType, DataTable, Locator, Mismatch, Row};
use crate::diagnostics::{Diagnostic, Message};
use crate::number::{NumberFormat, NBSP};

/// The formula columns in an order where each comes after the formula
/// columns it reads, or None when they form a cycle.
pub(super) fn formula_order(columns: &[Column]) -> Option<Vec<usize>> {
    topological(columns).ok()
}

/// The columns of a cycle between formulas, in order, if there is one.
pub(super) fn find_cycle(columns: &[Column]) -> Option<Vec<usize>> {
    topological(columns).err()
}

fn reads(columns: &[Column], c: usize) -> Vec<usize> {
    let Some(formula) = &columns[c].formula else { return Vec::new() };
    let mut out: Vec<usize> = formula
        .references()
        .iter()
        .filter_map(|r| columns.iter().position(|col| col.id == r.name))
        .filter(|&i| columns[i].formula.is_some())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Depth-first ordering; Err holds the first cycle found.
fn topological(columns: &[Column]) -> Result<Vec<usize>, Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; columns.len()];
    let mut order = Vec::new();
    for start in (0..columns.len()).filter(|&c| columns[c].formula.is_some()) {
        if marks[start] != Mark::New {
            continue;
        }
        // An explicit stack (column, next dependency) instead of recursion.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        marks[start] = Mark::Open;
        while let Some(&mut (c, ref mut next)) = stack.last_mut() {
            let deps = reads(columns, c);
            match deps.get(*next).copied() {
                Some(d) => {
                    *next += 1;
                    match marks[d] {
                        Mark::New => {
                            marks[d] = Mark::Open;
                            stack.push((d, 0));
                        }
                        Mark::Open => {
                            let from = stack.iter().position(|&(s, _)| s == d).unwrap_or(0);
                            return Err(stack[from..].iter().map(|&(s, _)| s).collect());
                        }
                        Mark::Done => {}
                    }
                }
                None => {
                    marks[c] = Mark::Done;
                    order.push(c);
                    stack.pop();
                }
            }
        }
    }
    Ok(order)
}

/// The values cuenta computed (formula columns) or read (other columns),
/// by column and row, and the same for the total row.
struct Computed {
    cells: Vec<Vec<Option<f64>>>,
    totals: Vec<Option<f64>>,
    /// Where a printed figure disagreed: its inputs' consequences are not
    /// reported again.
    wrong: Vec<Vec<bool>>,
    wrong_total: Vec<bool>,
}

impl Computed {
    fn sum(&self, c: usize) -> Option<f64> {
        let values: Vec<f64> = self.cells[c].iter().flatten().copied().collect();
        (!values.is_empty()).then(|| values.iter().sum())
    }
}

/// Runs every check of `table`, filling `~` cells of formula columns and
/// totals (unless the column says `fill: false`).
pub(super) fn run(table: &mut DataTable, at: &Locator, fmt: &NumberFormat, diags: &mut Vec<Diagnostic>) {
    let Some(order) = formula_order(&table.columns) else { return };
    let n = table.columns.len();
    let mut computed = Computed {
        cells: (0..n).map(|c| table.rows.iter().map(|r| plain_value(&table.columns[c], r, c)).collect()).collect(),
        totals: vec![None; n],
        wrong: vec![vec![false; table.rows.len()]; n],
        wrong_total: vec![false; n],
    };
    for &c in &order {
        for r in 0..table.rows.len() {
            check_row_cell(table, &mut computed, c, r, at, fmt, diags);
        }
    }
    if table.total.is_none() {
        return;
    }
    // A fact sheet's rows of different types or units are not summed: no
    // adding pesos to people.
    let first_own = table.rows.first().and_then(|r| r.own.clone());
    let uniform = table.rows.iter().all(|r| r.own == first_own);
    let own_percent = first_own.as_ref().is_some_and(|o| o.kind == ColumnType::Percent);
    for c in 0..n {
        let column = &table.columns[c];
        if column.formula.is_none() && is_additive(column) && uniform && !own_percent {
            computed.totals[c] = computed.sum(c);
        }
    }
    let plain = (0..n).filter(|&c| table.columns[c].formula.is_none());
    for c in plain.chain(order.iter().copied()).collect::<Vec<_>>() {
        check_total_cell(table, &mut computed, c, at, fmt, diags);
    }
}

/// A percentage is not summed: the total of rates is no rate, and shares are
/// checked with `share()`.
fn is_additive(column: &Column) -> bool {
    column.kind.is_numeric() && column.kind != ColumnType::Percent
}

fn plain_value(column: &Column, row: &Row, c: usize) -> Option<f64> {
    if column.formula.is_some() {
        return None;
    }
    row.cells[c].number()
}

fn index(table: &DataTable, name: &str) -> Option<usize> {
    table.column_index(name)
}

fn check_row_cell(
    table: &mut DataTable,
    computed: &mut Computed,
    c: usize,
    r: usize,
    at: &Locator,
    fmt: &NumberFormat,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(formula) = table.columns[c].formula.clone() else { return };
    let value = formula.eval(
        |name| index(table, name).and_then(|i| computed.cells[i][r]),
        |name| index(table, name).and_then(|i| computed.sum(i)),
    );
    computed.cells[c][r] = value;
    let row = &table.rows[r];
    let inputs_wrong = formula.variables().iter().any(|v| index(table, v).is_some_and(|i| computed.wrong[i][r]));
    // What the formula gives from the printed figures, to tell a
    // consequence of an earlier discrepancy from a new one.
    let from_printed = inputs_wrong.then(|| {
        formula.eval(
            |name| index(table, name).and_then(|i| row.cells[i].number()),
            |name| {
                let i = index(table, name)?;
                Some(table.rows.iter().filter_map(|row| row.cells[i].number()).sum())
            },
        )
    });
    let sub = format!("rows.{r}.{c}");
    if settle(table, c, Some(r), value, from_printed.flatten(), at, &sub, fmt, diags) {
        computed.wrong[c][r] = true;
    }
}

fn check_total_cell(
    table: &mut DataTable,
    computed: &mut Computed,
    c: usize,
    at: &Locator,
    fmt: &NumberFormat,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(total) = &table.total else { return };
    let formula = table.columns[c].formula.clone();
    let mut from_printed = None;
    if let Some(formula) = &formula {
        let of = |name: &str| index(table, name).and_then(|i| computed.totals[i]);
        computed.totals[c] = formula.eval(of, of);
        let inputs_wrong = formula.variables().iter().any(|v| index(table, v).is_some_and(|i| computed.wrong_total[i]));
        if inputs_wrong {
            let printed = |name: &str| index(table, name).and_then(|i| total.cells[i].number());
            from_printed = formula.eval(printed, printed);
        }
    }
    let value = computed.totals[c];
    let sub = format!("total.{c}");
    if settle(table, c, None, value, from_printed, at, &sub, fmt, diags) {
        computed.wrong_total[c] = true;
    }
}

/// Fills an empty cell (row `r`, or the total row) with `value`, or
/// compares the printed one with it; true when they disagree.
#[allow(clippy::too_many_arguments)]
fn settle(
    table: &mut DataTable,
    c: usize,
    r: Option<usize>,
    value: Option<f64>,
    from_printed: Option<f64>,
    at: &Locator,
    sub: &str,
    fmt: &NumberFormat,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let column = table.columns[c].clone();
    let row_label = match r {
        Some(r) => table.rows[r].label().map_or_else(|| format!("#{}", r + 1), str::to_string),
        None => "total".to_string(),
    };
    if let Some(v) = value.filter(|v| column.kind.is_whole() && (v.is_nan() || v.abs() >= 9.2e18)) {
        // Past i64 a sum was written as `18446744073709551616.0` in an
        // integer column: a silent change of type.
        diags.push(at.error(sub, Message::OutOfRange { literal: format!("{v:.0}") }));
        return false;
    }
    let row = match r {
        Some(r) => &mut table.rows[r],
        None => match table.total.as_mut() {
            Some(total) => total,
            None => return false,
        },
    };
    if row.cells[c] == Cell::Empty {
        match value {
            Some(v) if column.fill => {
                row.cells[c] = filled(&column, v);
                row.computed[c] = true;
            }
            None if column.fill && column.formula.is_some() => {
                diags.push(
                    at.warning(sub, Message::FormulaNotComputable { column: column.label.clone(), row: row_label }),
                );
            }
            _ => {}
        }
        return false;
    }
    let Some(value) = value else { return false };
    let declared = row.cells[c].clone();
    match r {
        Some(_) => table.checks.formulas += 1,
        None => table.checks.totals += 1,
    }
    if agrees(&column, &declared, value, fmt) || from_printed.is_some_and(|p| agrees(&column, &declared, p, fmt)) {
        return false;
    }
    let mismatch = Mismatch {
        column: column.label.clone(),
        row: r.map(|_| row_label.clone()),
        declared: display(&column, &declared, fmt),
        computed: display(&column, &like(&column, &declared, value), fmt),
        against: None,
        explain: None,
    };
    // A terminal shows a no-break space as a space; messages use a plain one.
    let plain = |s: &str| s.replace(NBSP, " ");
    let message = match r {
        Some(_) => Message::FormulaMismatch {
            column: mismatch.column.clone(),
            row: row_label,
            declared: plain(&mismatch.declared),
            computed: plain(&mismatch.computed),
        },
        None => Message::TotalMismatch {
            column: mismatch.column.clone(),
            declared: plain(&mismatch.declared),
            computed: plain(&mismatch.computed),
        },
    };
    diags.push(at.warning(sub, message));
    table.mismatches.push(mismatch);
    true
}

/// True when `value` prints exactly as the declared cell does, rounded at
/// the cell's printed precision, half away from zero.
pub(super) fn agrees(column: &Column, declared: &Cell, value: f64, fmt: &NumberFormat) -> bool {
    display(column, declared, fmt) == display(column, &like(column, declared, value), fmt)
}

/// `value` as a cell printed like `declared` (same kind, same decimals).
fn like(column: &Column, declared: &Cell, value: f64) -> Cell {
    match declared {
        Cell::Num { decimals, .. } => Cell::Num { value, decimals: *decimals },
        _ => filled(column, value),
    }
}

/// The cell a computation fills in, typed for its column.
fn filled(column: &Column, value: f64) -> Cell {
    if matches!(column.kind, ColumnType::Integer | ColumnType::Money) && value.abs() < 9.2e18 {
        return Cell::Int(value.round() as i64);
    }
    Cell::Num { value, decimals: column.decimals.map_or(1, usize::from) }
}
