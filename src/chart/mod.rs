//! Charts declared in front matter: the spec, its checks against its table,
//! and drawing it as an accessible SVG with plotters, at build time, in
//! memory. Text is measured with a font embedded in the binary so that the
//! SVG is byte-identical on every machine. plotters stays inside this module.

mod draw;
mod layout;
mod svg;

use crate::diagnostics::{Diagnostic, Lang, Message, Span};
use crate::front_matter::Positions;
use crate::markdown::escape_html;
use crate::number::NumberFormat;
use crate::source::SourceFile;
use crate::table::{Cell, DataTable};
use serde::{Deserialize, Serialize};

/// The chart kinds editors can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChartKind {
    Bar,
    Hbar,
    Stacked,
    Line,
    Pie,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A chart as written in front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChart {
    id: String,
    table: String,
    #[serde(rename = "type")]
    kind: ChartKind,
    x: String,
    y: OneOrMany,
    title: String,
    #[serde(default)]
    description: Option<String>,
}

/// A located chart spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ChartSpec {
    pub id: String,
    pub table: String,
    pub kind: ChartKind,
    pub x: String,
    pub y: Vec<String>,
    pub title: String,
    pub description: Option<String>,
    pub span: Span,
    pub table_span: Span,
    x_span: Span,
    y_spans: Vec<Span>,
}

impl ChartSpec {
    /// Attaches file positions to a parsed chart at YAML `path`.
    pub(crate) fn from_raw(raw: RawChart, positions: &Positions, path: &str) -> Self {
        let y = match raw.y {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        let y_spans = (0..y.len())
            .map(|i| {
                positions.get(&format!("{path}.y.{i}")).map_or_else(|| positions.span(&format!("{path}.y")), |n| n.span)
            })
            .collect();
        ChartSpec {
            id: raw.id,
            table: raw.table,
            kind: raw.kind,
            x: raw.x,
            y,
            title: raw.title,
            description: raw.description,
            span: positions.span(&format!("{path}.id")),
            table_span: positions.span(&format!("{path}.table")),
            x_span: positions.span(&format!("{path}.x")),
            y_spans,
        }
    }

    /// Checks the spec against its table: columns exist, y are numeric, the
    /// table has rows, a pie has one series.
    pub(crate) fn check(&self, table: &DataTable, file: &SourceFile) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        let ids = || table.columns.iter().map(|c| c.id.as_str());
        let unknown = |column: &str, span: Span| {
            let suggestion = crate::diagnostics::suggest(column, ids());
            Diagnostic::error(
                file,
                span,
                Message::UnknownColumn { table: table.id.clone(), column: column.to_string(), suggestion },
            )
        };
        if table.column_index(&self.x).is_none() {
            diags.push(unknown(&self.x, self.x_span));
        }
        for (y, span) in self.y.iter().zip(&self.y_spans) {
            match table.column_index(y) {
                None => diags.push(unknown(y, *span)),
                Some(i) if !table.columns[i].kind.is_numeric() => {
                    diags.push(Diagnostic::error(file, *span, Message::ChartColumnNotNumeric { column: y.clone() }))
                }
                Some(_) => {}
            }
        }
        if self.y.is_empty() {
            diags.push(Diagnostic::error(file, self.span, Message::MissingField { field: "y".into() }));
        }
        if self.kind == ChartKind::Pie && self.y.len() > 1 {
            diags.push(Diagnostic::error(file, self.span, Message::PieNeedsOneSeries { found: self.y.len() }));
        }
        if table.rows.is_empty() {
            diags.push(Diagnostic::error(file, self.table_span, Message::ChartWithoutRows { table: table.id.clone() }));
        }
        diags
    }
}

/// The figures a chart draws, pulled out of its table.
#[derive(Debug, Clone)]
pub(crate) struct ChartData {
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Rows left out because the chart would be unreadable.
    pub omitted: usize,
}

/// One y column.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub label: String,
    /// The column's unit (`M$`), written on the axis ticks.
    pub unit: Option<String>,
    pub values: Vec<Option<f64>>,
    /// Each value as the table prints it.
    pub shown: Vec<String>,
}

/// Charts draw at most this many categories; the table keeps them all.
const MAX_CATEGORIES: usize = 60;

/// Charts draw values beyond ±this at the bound (labels keep the real
/// figure): an axis from -f64::MAX to f64::MAX spans infinity, and pixel
/// positions computed on it overflow.
const MAX_DRAWN: f64 = 1e300;

impl ChartData {
    /// Extracts the chart's data; the spec must have passed [`ChartSpec::check`].
    pub(crate) fn from_table(spec: &ChartSpec, table: &DataTable, fmt: &NumberFormat) -> Option<Self> {
        let x = table.column_index(&spec.x)?;
        let rows = &table.rows[..table.rows.len().min(MAX_CATEGORIES)];
        let categories = rows.iter().map(|r| plain_text(&table.display(x, &r.cells[x], fmt))).collect();
        let mut series = Vec::new();
        for y in &spec.y {
            let c = table.column_index(y)?;
            series.push(Series {
                label: table.columns[c].heading(),
                unit: table.columns[c].unit.clone(),
                values: rows.iter().map(|r| r.cells[c].number().map(|v| v.clamp(-MAX_DRAWN, MAX_DRAWN))).collect(),
                shown: rows
                    .iter()
                    .map(|r| if r.cells[c] == Cell::Empty { "—".into() } else { table.display_in(c, r, fmt) })
                    .collect(),
            });
        }
        Some(ChartData { kind: spec.kind, categories, series, omitted: table.rows.len() - rows.len() })
    }
}

/// Strips the Markdown emphasis marks a label may carry.
fn plain_text(s: &str) -> String {
    s.replace(['*', '_', '`'], "")
}

/// Renders a chart to an SVG string with title and description, ids
/// `grafico-<id>-title` and `grafico-<id>-desc`.
pub(crate) fn render_svg(spec: &ChartSpec, data: &ChartData, fmt: &NumberFormat, lang: Lang) -> String {
    let svg = draw::draw(data, fmt);
    let desc = spec.description.clone().unwrap_or_else(|| describe(spec, data, lang));
    let base = format!("grafico-{}", spec.id);
    let open_end = svg.find('>').unwrap_or(0);
    let head = &svg[..open_end];
    let rest = &svg[open_end + 1..];
    let head = head.replacen(
        "<svg ",
        &format!("<svg class=\"chart-svg\" role=\"img\" aria-labelledby=\"{base}-title {base}-desc\" "),
        1,
    );
    format!(
        "{head}>\n<title id=\"{base}-title\">{}</title>\n<desc id=\"{base}-desc\">{}</desc>{rest}",
        escape_html(&spec.title),
        escape_html(&desc)
    )
}

/// What the data shows, in words, for screen readers and the search index.
pub(crate) fn describe(spec: &ChartSpec, data: &ChartData, lang: Lang) -> String {
    let kind = match (spec.kind, lang) {
        (ChartKind::Bar, Lang::Es) => "Gráfico de barras",
        (ChartKind::Hbar, Lang::Es) => "Gráfico de barras horizontales",
        (ChartKind::Stacked, Lang::Es) => "Gráfico de barras apiladas",
        (ChartKind::Line, Lang::Es) => "Gráfico de líneas",
        (ChartKind::Pie, Lang::Es) => "Gráfico circular",
        (ChartKind::Bar, Lang::En) => "Bar chart",
        (ChartKind::Hbar, Lang::En) => "Horizontal bar chart",
        (ChartKind::Stacked, Lang::En) => "Stacked bar chart",
        (ChartKind::Line, Lang::En) => "Line chart",
        (ChartKind::Pie, Lang::En) => "Pie chart",
    };
    let mut parts = Vec::new();
    for (i, category) in data.categories.iter().enumerate() {
        let values: Vec<String> = data.series.iter().map(|s| format!("{} {}", s.label, s.shown[i])).collect();
        parts.push(format!("{category}: {}", values.join(", ")));
    }
    let mut text = format!("{kind}. {}.", parts.join("; "));
    if data.omitted > 0 {
        text.push_str(&match lang {
            Lang::Es => format!(" Se omiten {} filas; véalas en la tabla.", data.omitted),
            Lang::En => format!(" {} more rows are in the table.", data.omitted),
        });
    }
    text
}

#[cfg(test)]
mod tests;
