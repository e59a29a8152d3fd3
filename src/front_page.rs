//! What the home page says at a glance, from `content/_index.md`: key
//! figures ("cifras destacadas") that name table cells or sums of a column,
//! the authority's message, a cover image, and the office's previous
//! reports ("cuentas anteriores"). Raw serde structs → validated
//! [`FrontPage`]; the figures are resolved against the checked tables when
//! the home page is rendered, so they cannot disagree with them.

use crate::diagnostics::{Diagnostic, Message, Span};
use crate::front_matter::Positions;
use crate::source::SourceFile;
use serde::Deserialize;

/// One key figure as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKeyFigure {
    etiqueta: String,
    tabla: String,
    #[serde(default)]
    fila: Option<String>,
    columna: String,
    #[serde(default)]
    calculo: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAuthority {
    nombre: String,
    #[serde(default)]
    cargo: Option<String>,
    #[serde(default)]
    foto: Option<String>,
    #[serde(default)]
    foto_alt: Option<String>,
    #[serde(default)]
    mensaje: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCover {
    imagen: String,
    alt: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPrevious {
    #[serde(rename = "año", alias = "anio")]
    year: i32,
    titulo: String,
    url: String,
}

/// What a key figure shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Value {
    /// The cell of the row labelled `row`, in column `column`.
    Cell { row: String },
    /// The sum of the column over the table's rows (its total row aside).
    Sum,
}

/// A key figure, validated; resolved against its table at render time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct KeyFigure {
    pub label: String,
    pub table: String,
    pub column: String,
    pub value: Value,
    /// Where `tabla`, `fila` and `columna` were written, for diagnostics.
    pub table_span: Span,
    pub row_span: Span,
    pub column_span: Span,
}

/// The authority who presents the report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Authority {
    pub name: String,
    pub role: Option<String>,
    /// Photo path or URL, with its text alternative (required with a photo).
    pub photo: Option<(String, String)>,
    /// Plain text; blank lines separate paragraphs.
    pub message: Option<String>,
}

/// A previous report of the office.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Previous {
    pub year: i32,
    pub title: String,
    pub url: String,
}

/// Everything the home page shows besides the introduction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct FrontPage {
    pub figures: Vec<KeyFigure>,
    pub authority: Option<Authority>,
    /// Cover image path or URL, and its text alternative.
    pub cover: Option<(String, String)>,
    /// Newest first.
    pub previous: Vec<Previous>,
}

/// The raw parts of `_index.md` this module reads.
pub(crate) struct Raw {
    pub figures: Vec<RawKeyFigure>,
    pub authority: Option<RawAuthority>,
    pub cover: Option<RawCover>,
    pub previous: Vec<RawPrevious>,
}

/// Validates the home page's parts of `_index.md`.
pub(crate) fn validate(raw: Raw, file: &SourceFile, positions: &Positions) -> Result<FrontPage, Diagnostic> {
    let mut figures = Vec::with_capacity(raw.figures.len());
    for (i, f) in raw.figures.into_iter().enumerate() {
        let at = |sub: &str| positions.span(&format!("cifras.{i}.{sub}"));
        let row_len = f.fila.as_ref().map_or(1, |r| r.chars().count());
        let value = match (f.fila, f.calculo.as_deref().map(str::trim)) {
            (Some(row), None) => Value::Cell { row },
            (None, Some("suma")) => Value::Sum,
            (_, Some(other)) if other != "suma" => {
                let suggestion = crate::diagnostics::suggest(other, ["suma"]);
                let message =
                    Message::UnknownVariant { value: other.into(), suggestion, expected: vec!["suma".into()] };
                return Err(Diagnostic::error(file, at("calculo").with_len(other.chars().count()), message));
            }
            (Some(_), Some(_)) => return Err(Diagnostic::error(file, at("calculo"), Message::RowAndSum)),
            (None, _) => {
                return Err(Diagnostic::error(
                    file,
                    positions.span(&format!("cifras.{i}")),
                    Message::MissingField { field: "fila".into() },
                ))
            }
        };
        figures.push(KeyFigure {
            label: f.etiqueta,
            table_span: at("tabla").with_len(f.tabla.chars().count()),
            column_span: at("columna").with_len(f.columna.chars().count()),
            row_span: at("fila").with_len(row_len),
            table: f.tabla,
            column: f.columna,
            value,
        });
    }
    let authority = match raw.authority {
        None => None,
        Some(a) => {
            let photo = match (a.foto, a.foto_alt) {
                (Some(p), Some(alt)) if !alt.trim().is_empty() => {
                    Some((checked_link(p, file, positions, "autoridad.foto")?, alt))
                }
                (Some(_), _) => {
                    return Err(Diagnostic::error(
                        file,
                        positions.span("autoridad.foto"),
                        Message::MissingField { field: "foto_alt".into() },
                    ))
                }
                (None, _) => None,
            };
            Some(Authority { name: a.nombre, role: a.cargo, photo, message: a.mensaje })
        }
    };
    let cover = match raw.cover {
        Some(c) => Some((checked_link(c.imagen, file, positions, "portada.imagen")?, c.alt)),
        None => None,
    };
    let mut previous = Vec::with_capacity(raw.previous.len());
    for (i, p) in raw.previous.into_iter().enumerate() {
        let url = checked_link(p.url, file, positions, &format!("cuentas_anteriores.{i}.url"))?;
        previous.push(Previous { year: p.year, title: p.titulo, url });
    }
    previous.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.title.cmp(&b.title)));
    Ok(FrontPage { figures, authority, cover, previous })
}

/// A link an editor wrote: a web address or a path inside the site. Other
/// schemes (`javascript:`, `data:`) are refused.
pub(crate) fn checked_link(
    url: String,
    file: &SourceFile,
    positions: &Positions,
    path: &str,
) -> Result<String, Diagnostic> {
    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| !s.contains('/'));
    match scheme {
        None => Ok(url),
        Some(s) if ["http", "https", "mailto"].contains(&s.to_ascii_lowercase().as_str()) => Ok(url),
        Some(_) => {
            let span = positions.span(path).with_len(url.chars().count());
            Err(Diagnostic::error(file, span, Message::UnsafePath { path: url }))
        }
    }
}
