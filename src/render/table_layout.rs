//! How a table reads on a phone. Text-heavy tables (two text columns or
//! more) become stacked rows below 40em, each cell labelled with its
//! column; numeric tables keep the grid, with a sticky first column, a
//! scroll shadow and a description saying the box scrolls sideways.

use crate::markdown::escape_html;
use crate::table::DataTable;

/// The two ways a table is laid out on a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// The grid, scrolling sideways inside its box.
    Grid,
    /// One block per row, each cell with its column's name.
    Stack,
}

/// Stacked when more than one column holds text: side by side such columns
/// make rows hundreds of pixels tall and mostly blank on a phone.
pub(super) fn layout(table: &DataTable) -> Layout {
    let text = table.columns.iter().filter(|c| !c.kind.is_numeric()).count();
    if text >= 2 && table.columns.len() >= 3 {
        Layout::Stack
    } else {
        Layout::Grid
    }
}

/// The figure's classes.
pub(super) fn figure_class(layout: Layout) -> &'static str {
    match layout {
        Layout::Grid => "data-table table-grid",
        Layout::Stack => "data-table table-stack",
    }
}

/// ` data-label="…"` for a cell of column `col` in a stacked table.
pub(super) fn cell_label(table: &DataTable, layout: Layout, col: usize) -> String {
    match (layout, table.columns.get(col)) {
        (Layout::Stack, Some(c)) => format!(" data-label=\"{}\"", escape_html(&labelled(c))),
        _ => String::new(),
    }
}

/// A stacked cell's label: the column's with its group, `Presupuesto · Inicial`.
fn labelled(c: &crate::table::Column) -> String {
    match &c.group {
        Some(g) => format!("{g} · {}", c.label),
        None => c.label.clone(),
    }
}

/// For a grid of more than two columns: the id of the hint saying that the
/// box scrolls sideways, and the hint itself (shown on narrow screens only;
/// screen readers hear it as the box's description).
pub(super) fn scroll_hint(table: &DataTable, layout: Layout, text: &str) -> Option<(String, String)> {
    (layout == Layout::Grid && table.columns.len() > 2).then(|| {
        let id = format!("tabla-{}-desliza", table.id);
        let hint = format!("<p class=\"scroll-hint\" id=\"{id}\">{}</p>\n", escape_html(text));
        (id, hint)
    })
}
