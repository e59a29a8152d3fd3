//! One section file → [`Section`]: front matter parsed, tables built and
//! checked, chart specs located. Cross-section checks live in the parent.

use super::Section;
use crate::chart::{ChartSpec, RawChart};
use crate::content::DataFiles;
use crate::diagnostics::{Diagnostic, Kind, Message, Span};
use crate::front_matter::{self, Positions};
use crate::number::NumberFormat;
use crate::participation;
use crate::slug::{is_valid_id, slug_from_path};
use crate::source::SourceFile;
use crate::spreadsheet;
use crate::table::{Locator, TableSpec};
use serde::Deserialize;

/// A section's front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionSpec {
    pub title: String,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    /// The document's own number, "4.1": shown instead of cuenta's.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub tables: Vec<TableSpec>,
    #[serde(default)]
    pub charts: Vec<RawChart>,
    /// A participation process: see [`crate::participation`].
    #[serde(default)]
    pub participacion: Option<participation::RawParticipation>,
    /// Figures printed in two places that must agree.
    #[serde(default)]
    pub checks: Vec<crate::crosscheck::CheckSpec>,
}

/// Parses one section file; None when it has errors that stop it rendering.
/// `data` holds the spreadsheets under content/ its tables may read.
pub(super) fn parse(file: SourceFile, fmt: &NumberFormat, data: &DataFiles) -> (Option<Section>, Vec<Diagnostic>) {
    let split = match front_matter::split(&file) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let (spec, positions): (SectionSpec, Positions) = match front_matter::parse(&file, &split) {
        Ok(v) => v,
        Err(all) => return (None, all),
    };
    let (body, body_line) = (split.body.to_string(), split.body_line);
    let calls = crate::markdown::placements(&body);
    let mut diags = Vec::new();
    let slug = match &spec.slug {
        Some(s) if is_valid_id(s) => s.clone(),
        Some(s) => {
            diags.push(Diagnostic::error(&file, positions.span("slug"), Message::UnsafePath { path: s.clone() }));
            String::new()
        }
        None => slug_from_path(&file.display),
    };
    let mut tables = Vec::with_capacity(spec.tables.len());
    let mut inputs = Vec::new();
    for (i, t) in spec.tables.into_iter().enumerate() {
        let at = Locator { file: &file, positions: &positions, path: format!("tables.{i}") };
        let (table, problems) = spreadsheet::build_table(t, &at, fmt, data, &mut inputs);
        diags.extend(problems);
        tables.extend(table);
    }
    let participation = spec.participacion.and_then(|raw| {
        let (p, problems) = participation::parse(raw, &file, &positions, "participacion");
        diags.extend(problems);
        p
    });
    if let Some(p) = &participation {
        let (derived, problems) = participation::tables(p, &slug, &file, positions.span("participacion"));
        diags.extend(problems);
        tables.extend(derived);
    }
    let mut charts = Vec::with_capacity(spec.charts.len());
    for (i, raw) in spec.charts.into_iter().enumerate() {
        let path = format!("charts.{i}");
        let chart = ChartSpec::from_raw(raw, &positions, &path);
        if !is_valid_id(&chart.id) {
            diags.push(Diagnostic::error(
                &file,
                chart.span,
                Message::InvalidId { kind: Kind::Chart, id: chart.id.clone() },
            ));
        }
        charts.push(chart);
    }
    let checks = crate::crosscheck::parse_claims(spec.checks, &file, |p| positions.span(p), &mut diags);
    let slug_span = positions.get("slug").map_or_else(|| Span::new(1, 1), |n| n.span);
    // "4.1. Avances" is number 4.1 and title "Avances": never two numbers.
    let (own_number, title) = super::chapter::split_number(&spec.title);
    let declared = spec.number.or_else(|| own_number.map(str::to_string));
    let section = Section {
        slug,
        slug_span,
        title: title.to_string(),
        declared,
        chapter: None,
        links: Default::default(),
        summary: spec.summary,
        weight: spec.weight,
        number: String::new(),
        file,
        body,
        body_line,
        calls,
        tables: tables.into(),
        charts: charts.into(),
        participation: participation.map(Box::new),
        checks,
        inputs,
    };
    let fatal = diags.iter().any(|d| d.severity == crate::diagnostics::Severity::Error);
    (if fatal { None } else { Some(section) }, diags)
}
