//! A checked [`DataTable`] as accessible HTML: caption, scoped headers,
//! numeric cells right-aligned, source, CSV link, note and the verification
//! note that shows readers where the published figures disagree.

use super::table_layout;
use crate::markdown::{escape_html, inline};
use crate::number::NumberFormat;
use crate::table::{Cell, ColumnType, DataTable, Row};
use crate::theme::Theme;
use std::fmt::Write as _;

/// Renders `table`; `safe_html` strips raw HTML from cell Markdown.
pub fn render(table: &DataTable, fmt: &NumberFormat, theme: &Theme, safe_html: bool) -> String {
    let id = &table.id;
    let mut out = String::with_capacity(512 + table.rows.len() * table.columns.len() * 40);
    let layout = table_layout::layout(table);
    let hint = table_layout::scroll_hint(table, layout, &theme.string("table_scrolls"));
    let described = hint.as_ref().map_or_else(String::new, |(hid, _)| format!(" aria-describedby=\"{hid}\""));
    let _ = write!(
        out,
        "<figure class=\"{}\" id=\"tabla-{id}\">\n{}<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"tabla-{id}-caption\"{described}>\n<table>\n<caption id=\"tabla-{id}-caption\">{}</caption>\n<thead><tr>",
        table_layout::figure_class(layout),
        hint.map_or_else(String::new, |(_, h)| h),
        inline(&table.caption, safe_html)
    );
    for c in &table.columns {
        let class = if c.kind.is_numeric() { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape_html(&c.heading()));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        render_row(&mut out, table, row, fmt, theme, safe_html, layout);
    }
    out.push_str("</tbody>\n");
    if let Some(total) = &table.total {
        out.push_str("<tfoot>\n");
        render_row(&mut out, table, total, fmt, theme, safe_html, layout);
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n</div>\n");
    render_meta(&mut out, table, theme, safe_html);
    render_verification(&mut out, table, theme);
    out.push_str("</figure>\n");
    out
}

fn render_row(
    out: &mut String,
    table: &DataTable,
    row: &Row,
    fmt: &NumberFormat,
    theme: &Theme,
    safe_html: bool,
    layout: table_layout::Layout,
) {
    out.push_str("<tr>");
    for (i, (cell, column)) in row.cells.iter().zip(&table.columns).enumerate() {
        let header = i == 0 && column.kind == ColumnType::Text;
        let mut classes = Vec::new();
        if column.kind.is_numeric() {
            classes.push("num");
        }
        if row.computed.get(i).copied().unwrap_or(false) {
            classes.push("computed");
        }
        if *cell == Cell::Empty {
            classes.push("empty");
        }
        let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", classes.join(" ")) };
        let label = table_layout::cell_label(table, layout, i);
        let (open, close) = if header {
            (format!("<th scope=\"row\"{class}{label}>"), "</th>")
        } else {
            (format!("<td{class}{label}>"), "</td>")
        };
        out.push_str(&open);
        out.push_str(&cell_html(table, i, row, fmt, theme, safe_html));
        out.push_str(close);
    }
    out.push_str("</tr>\n");
}

fn cell_html(table: &DataTable, col: usize, row: &Row, fmt: &NumberFormat, theme: &Theme, safe_html: bool) -> String {
    let Some(cell) = row.cells.get(col) else { return String::new() };
    match cell {
        Cell::Text(t) => inline(t, safe_html),
        Cell::List(items) => {
            let lis: String = items.iter().map(|i| format!("<li>{}</li>", inline(i, safe_html))).collect();
            format!("<ul class=\"cell-list\">{lis}</ul>")
        }
        Cell::Empty if table.columns[col].empty.is_none() => {
            format!(
                "<span aria-hidden=\"true\">—</span><span class=\"visually-hidden\">{}</span>",
                escape_html(&theme.string("empty_cell"))
            )
        }
        // A fact-sheet row with a unit of its own prints it with the figure.
        _ if row.own.as_ref().is_some_and(|o| o.unit.is_some()) => match table.column_in(col, row) {
            Some(column) => escape_html(&crate::table::display_with_unit(&column, cell, fmt)),
            None => String::new(),
        },
        _ => escape_html(&table.display_in(col, row, fmt)),
    }
}

fn render_meta(out: &mut String, table: &DataTable, theme: &Theme, safe_html: bool) {
    out.push_str("<p class=\"table-meta\">");
    if let Some(source) = &table.source {
        let _ = write!(
            out,
            "<span class=\"table-source\">{}: {}</span> ",
            escape_html(&theme.string("source")),
            inline(source, safe_html)
        );
    }
    let _ = writeln!(
        out,
        "<a class=\"table-csv\" href=\"datos/{}.csv\">{}</a></p>",
        table.id,
        escape_html(&theme.string("download_csv"))
    );
    if let Some(note) = &table.note {
        let _ = writeln!(out, "<p class=\"table-note\">{}</p>", inline(note, safe_html));
    }
}

fn render_verification(out: &mut String, table: &DataTable, theme: &Theme) {
    if table.checks.count() == 0 {
        return;
    }
    let checked = checked_text(table, theme);
    let title = escape_html(&theme.string("verification_title"));
    if table.mismatches.is_empty() {
        let _ = writeln!(
            out,
            "<div class=\"verification verification-ok\" role=\"note\"><p><strong>{title}.</strong> {}</p></div>",
            escape_html(&theme.string("verification_ok").replace("{checked}", &checked))
        );
        return;
    }
    let _ = write!(
        out,
        "<div class=\"verification verification-warn\" role=\"note\"><p><strong>{title}.</strong> {}</p><ul>",
        escape_html(&theme.string("verification_warn").replace("{checked}", &checked))
    );
    let (declared, computed) = (theme.string("declared"), theme.string("computed"));
    for m in &table.mismatches {
        if let Some(against) = &m.against {
            let _ = write!(
                out,
                "<li>{}: <span class=\"num\">{}</span>; {} {}: <span class=\"num\">{}</span>",
                escape_html(&m.column),
                escape_html(&m.declared),
                escape_html(&theme.string("verification_elsewhere")),
                escape_html(against),
                escape_html(&m.computed)
            );
            if let Some(why) = &m.explain {
                let _ = write!(
                    out,
                    " <em>({}: {})</em>",
                    escape_html(&theme.string("verification_explained")),
                    escape_html(why)
                );
            }
            out.push_str("</li>");
            continue;
        }
        let place = match &m.row {
            Some(row) => format!("{} · {}", m.column, row),
            None => format!("{} · {}", m.column, theme.string("total")),
        };
        let _ = write!(
            out,
            "<li>{}: {} <span class=\"num\">{}</span>, {} <span class=\"num\">{}</span></li>",
            escape_html(&place),
            escape_html(&declared),
            escape_html(&m.declared),
            escape_html(&computed),
            escape_html(&m.computed)
        );
    }
    out.push_str("</ul></div>\n");
}

/// What was checked, counted by kind: "3 cifras calculadas por fórmula y
/// 1 total". The note claims exactly this much.
pub fn checked_text(table: &DataTable, theme: &Theme) -> String {
    let count = |n: usize, key: &str| match n {
        0 => None,
        1 => Some(theme.string(&format!("{key}_one"))),
        n => Some(theme.string(&format!("{key}_many")).replace("{n}", &n.to_string())),
    };
    let parts: Vec<String> = [
        count(table.checks.formulas, "verification_formulas"),
        count(table.checks.totals, "verification_totals"),
        count(table.checks.cross, "verification_cross"),
    ]
    .into_iter()
    .flatten()
    .collect();
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), theme.string("verification_and")),
        None => String::new(),
    }
}
