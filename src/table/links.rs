//! Link targets in a table's inline-Markdown fields (caption, source, note,
//! text and list cells): one that could run script (`javascript:`, `data:`,
//! …) is an error at the field, whatever `safe_html` says. Pages drop such
//! targets anyway; the error tells the editor why a link went missing.

use super::{Cell, Locator, Row};
use crate::diagnostics::{Diagnostic, Message};
use crate::markdown::refused_link;

/// Errors for every field of the table that holds a refused target.
pub(super) fn check(
    fields: [(&str, Option<&str>); 3],
    rows: &[Row],
    total: Option<&Row>,
    at: &Locator,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut report = |sub: String, text: &str| {
        if let Some(target) = refused_link(text) {
            diags.push(at.error(&sub, Message::UnsafeLink { target }));
        }
    };
    for (name, text) in fields {
        if let Some(text) = text {
            report(name.to_string(), text);
        }
    }
    let rows = rows.iter().enumerate().map(|(r, row)| (format!("rows.{r}"), row));
    for (sub, row) in rows.chain(total.map(|t| ("total".to_string(), t))) {
        for (c, cell) in row.cells.iter().enumerate() {
            match cell {
                Cell::Text(t) => report(format!("{sub}.{c}"), t),
                Cell::List(items) => items.iter().enumerate().for_each(|(i, t)| report(format!("{sub}.{c}.{i}"), t)),
                _ => {}
            }
        }
    }
    diags
}
