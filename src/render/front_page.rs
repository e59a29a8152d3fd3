//! The home page's parts besides the introduction: key figures read from
//! the checked tables (through the same lookup as `figure()`), the
//! authority's message, the cover, how to take part, previous reports.

use super::views::{AuthorityView, HomeView, ImageView, KeyFigureView, PreviousView};
use crate::diagnostics::{Diagnostic, Kind, Message};
use crate::front_page::{KeyFigure, Value};
use crate::model::Report;
use crate::table::Cell;

/// The home page view and the problems of its key figures. `cell` reads
/// the cell of a row (by its label) and column of a table, as the reader
/// sees it: `figure()`'s lookup, handed in so that it exists once.
pub(super) fn home(
    report: &Report,
    cell: impl Fn(&str, &str, &str) -> Result<String, Message>,
    participate_html: String,
) -> (HomeView, Vec<Diagnostic>) {
    let s = report.settings();
    let page = &s.front_page;
    let mut diags = Vec::new();
    let mut figures = Vec::with_capacity(page.figures.len());
    for f in &page.figures {
        let value = match &f.value {
            Value::Cell { row } => cell(&f.table, row, &f.column),
            Value::Sum => column_sum(report, f),
        };
        match value {
            Ok(value) => {
                let (href, caption) = report
                    .table(&f.table)
                    .map(|(sec, t)| (format!("{}.html#tabla-{}", sec.slug, t.id), t.caption.clone()))
                    .unwrap_or_default();
                figures.push(KeyFigureView { value, label: f.label.clone(), href, caption });
            }
            Err(message) => {
                let span = match &message {
                    Message::UnknownColumn { .. } | Message::SumOfTextColumn { .. } => f.column_span,
                    Message::UnknownRow { .. } => f.row_span,
                    _ => f.table_span,
                };
                let message = Message::UnknownKeyFigure { label: f.label.clone(), detail: Box::new(message) };
                diags.push(Diagnostic::error(&report.home.file, span, message));
            }
        }
    }
    let authority = page.authority.as_ref().map(|a| AuthorityView {
        name: a.name.clone(),
        role: a.role.clone(),
        photo: a.photo.as_ref().map(|(src, alt)| ImageView { src: published(report, src), alt: alt.clone() }),
        message_html: a.message.as_deref().map(super::participation::paragraphs).unwrap_or_default(),
    });
    let cover = page.cover.as_ref().map(|(src, alt)| ImageView { src: published(report, src), alt: alt.clone() });
    (HomeView { figures, authority, cover, participate_html }, diags)
}

/// A home-page photo's address: an image under content/ (written relative
/// to it, as in `content/_index.md`) is published under medios/ like the
/// sections' images; anything else (an address, a theme file) as written.
fn published(report: &Report, src: &str) -> String {
    let rel = src.strip_prefix("./").unwrap_or(src);
    report.media.get(rel).map_or_else(|| src.to_string(), |m| m.href.clone())
}

/// The previous reports, for the home page and the footer.
pub(super) fn previous(report: &Report) -> Vec<PreviousView> {
    let page = &report.settings().front_page;
    page.previous.iter().map(|p| PreviousView { year: p.year, title: p.title.clone(), url: p.url.clone() }).collect()
}

/// The sum of a numeric column over the table's rows (not its total row),
/// formatted as the column formats its cells.
fn column_sum(report: &Report, f: &KeyFigure) -> Result<String, Message> {
    let (_, table) = report.table(&f.table).ok_or_else(|| Message::UnknownId {
        kind: Kind::Table,
        id: f.table.clone(),
        suggestion: crate::diagnostics::suggest(&f.table, report.table_ids()),
    })?;
    let c = table.column_index(&f.column).ok_or_else(|| Message::UnknownColumn {
        table: table.id.clone(),
        column: f.column.clone(),
        suggestion: crate::diagnostics::suggest(&f.column, table.columns.iter().map(|c| c.id.as_str())),
    })?;
    if !table.columns[c].kind.is_numeric() {
        return Err(Message::SumOfTextColumn { table: table.id.clone(), column: f.column.clone() });
    }
    let cells = table.rows.iter().filter_map(|r| r.cells.get(c));
    let total = if cells.clone().all(|x| matches!(x, Cell::Int(_) | Cell::Empty)) {
        Cell::Int(
            cells.filter_map(|x| if let Cell::Int(i) = x { Some(*i) } else { None }).fold(0i64, i64::saturating_add),
        )
    } else {
        let decimals =
            cells.clone().map(|x| if let Cell::Num { decimals, .. } = x { *decimals } else { 0 }).max().unwrap_or(0);
        Cell::Num { value: cells.filter_map(Cell::number).sum(), decimals }
    };
    Ok(table.display(c, &total, &report.format))
}
