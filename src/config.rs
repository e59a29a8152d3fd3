//! Report settings from the front matter of `content/_index.md`: raw serde
//! struct → validated [`Settings`] with defaults applied.

use crate::diagnostics::{Diagnostic, Message};
use crate::front_matter::{self, Positions};
use crate::front_page;
use crate::slug::{is_valid_id, slugify};
use crate::source::SourceFile;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    title: String,
    #[serde(default)]
    institution: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    licence: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    zip_name: Option<String>,
    #[serde(default)]
    safe_html: Option<bool>,
    #[serde(default)]
    participacion: Option<crate::participation::RawSettings>,
    #[serde(default)]
    cifras: Vec<front_page::RawKeyFigure>,
    #[serde(default)]
    autoridad: Option<front_page::RawAuthority>,
    #[serde(default)]
    portada: Option<front_page::RawCover>,
    #[serde(default)]
    cuentas_anteriores: Vec<front_page::RawPrevious>,
    #[serde(default)]
    numbering: Option<Numbering>,
    /// A named palette: `gobierno-de-chile`.
    #[serde(default)]
    palette: Option<String>,
    #[serde(default)]
    colors: Option<crate::palette::RawColors>,
    #[serde(default)]
    contact: Option<Contact>,
    #[serde(default)]
    pdf: Option<bool>,
}

/// How citizens reach the office (its OIRS), shown in every page's footer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// Who numbers chapters and sections: cuenta (`auto`, 1, 1.1, 1.2, 2 …) or
/// only the document (`none`: just the `number:` each file declares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Numbering {
    #[default]
    Auto,
    None,
}

/// The report's settings, defaults applied. `Hash`: whatever is made from
/// them is fingerprinted with all of them.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Settings {
    pub title: String,
    pub institution: String,
    /// The period covered, e.g. "2018" or "enero-diciembre 2018".
    pub period: String,
    pub year: Option<i32>,
    /// BCP 47 tag, `es-CL` by default.
    pub language: String,
    pub theme: String,
    pub description: Option<String>,
    pub licence: Option<String>,
    /// ISO 4217 code, `CLP` by default.
    pub currency: String,
    /// File name of the offline copy, without `.zip`.
    pub zip_name: String,
    /// Strip raw HTML from Markdown when true.
    pub safe_html: bool,
    /// The participation deadline and how to take part.
    pub participation: crate::participation::Settings,
    /// Key figures, the authority's message, cover, previous reports.
    pub front_page: front_page::FrontPage,
    /// `numbering:` — whether cuenta numbers what the document does not.
    pub numbering: Numbering,
    /// The report's colours, contrast-checked; None keeps the theme's.
    pub palette: Option<crate::palette::Palette>,
    /// The office's contact, for the footer.
    pub contact: Option<Contact>,
    /// Write the report as a PDF too (`pdf: false` turns it off).
    pub pdf: bool,
}

/// The home page: settings plus the introduction's Markdown.
#[derive(Debug, Clone)]
pub struct Home {
    pub settings: Settings,
    pub file: SourceFile,
    pub body: String,
    pub body_line: usize,
}

/// Parses `content/_index.md`.
pub fn load(file: SourceFile) -> Result<Home, Diagnostic> {
    let split = front_matter::split(&file)?;
    let (raw, positions): (RawSettings, Positions) = front_matter::parse_first(&file, &split)?;
    let settings = validate(raw, &file, &positions)?;
    let (body, body_line) = (split.body.to_string(), split.body_line);
    Ok(Home { settings, file, body, body_line })
}

fn validate(raw: RawSettings, file: &SourceFile, positions: &Positions) -> Result<Settings, Diagnostic> {
    let palette = palette(&raw, file, positions)?;
    let period = raw.period.or_else(|| raw.year.map(|y| y.to_string())).unwrap_or_default();
    let zip_name = raw.zip_name.unwrap_or_else(|| match raw.year {
        Some(y) => format!("cuenta-publica-{y}"),
        None => format!("cuenta-publica-{}", slugify(&raw.title)),
    });
    if !is_valid_id(&zip_name) {
        return Err(Diagnostic::error(file, positions.span("zip_name"), Message::UnsafePath { path: zip_name }));
    }
    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if !is_valid_id(&theme) {
        return Err(Diagnostic::error(file, positions.span("theme"), Message::UnsafePath { path: theme }));
    }
    let participation = match raw.participacion {
        Some(p) => crate::participation::settings(p, file, positions)?,
        None => Default::default(),
    };
    let front = front_page::Raw {
        figures: raw.cifras,
        authority: raw.autoridad,
        cover: raw.portada,
        previous: raw.cuentas_anteriores,
    };
    let front_page = front_page::validate(front, file, positions)?;
    Ok(Settings {
        palette,
        contact: raw.contact,
        title: raw.title,
        institution: raw.institution.unwrap_or_default(),
        period,
        year: raw.year,
        language: raw.language.unwrap_or_else(|| "es-CL".to_string()),
        theme,
        description: raw.description,
        licence: raw.licence,
        currency: raw.currency.unwrap_or_else(|| "CLP".to_string()),
        zip_name,
        safe_html: raw.safe_html.unwrap_or(false),
        participation,
        front_page,
        numbering: raw.numbering.unwrap_or_default(),
        pdf: raw.pdf.unwrap_or(true),
    })
}

/// `palette:` and `colors:` resolved, or the error at the key it is about.
fn palette(
    raw: &RawSettings,
    file: &SourceFile,
    positions: &Positions,
) -> Result<Option<crate::palette::Palette>, Diagnostic> {
    use crate::palette::{resolve, PaletteError, PRESETS};
    resolve(raw.palette.as_deref(), raw.colors.as_ref()).map_err(|e| match e {
        PaletteError::UnknownPreset(value) => {
            let expected: Vec<String> = PRESETS.iter().map(|p| p.to_string()).collect();
            let suggestion = crate::diagnostics::suggest(&value, PRESETS);
            Diagnostic::error(file, positions.span("palette"), Message::UnknownVariant { value, suggestion, expected })
        }
        PaletteError::InvalidColor { key, value } => Diagnostic::error(
            file,
            positions.span(&format!("colors.{key}")),
            Message::InvalidColor { key: key.to_string(), value },
        ),
        PaletteError::LowContrast { foreground, background, ratio } => {
            // At the colour that changed the pair: the foreground's when set.
            let set = |k: &str| positions.get(&format!("colors.{k}")).map(|n| n.span);
            let span = set(foreground)
                .or_else(|| set(background))
                .unwrap_or_else(|| positions.span(if raw.colors.is_some() { "colors" } else { "palette" }));
            Diagnostic::error(
                file,
                span,
                Message::LowContrast { foreground: foreground.to_string(), background: background.to_string(), ratio },
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn home(text: &str) -> Result<Home, Diagnostic> {
        load(SourceFile::new(Path::new("_index.md"), "content/_index.md".into(), text))
    }

    #[test]
    fn defaults_follow_the_year() {
        let h = home("---\ntitle: Cuenta\nyear: 2018\n---\nHola\n").expect("home");
        assert_eq!(h.settings.period, "2018");
        assert_eq!(h.settings.language, "es-CL");
        assert_eq!(h.settings.theme, "default");
        assert_eq!(h.settings.zip_name, "cuenta-publica-2018");
        assert_eq!(h.body, "Hola\n");
        assert!(h.settings.pdf, "the PDF is on unless turned off");
    }

    #[test]
    fn pdf_false_turns_the_pdf_off() {
        let h = home("---\ntitle: C\npdf: false\n---\n").expect("home");
        assert!(!h.settings.pdf);
    }

    #[test]
    fn numbering_is_auto_unless_the_report_says_none() {
        assert_eq!(home("---\ntitle: C\n---\n").expect("home").settings.numbering, Numbering::Auto);
        let none = home("---\ntitle: C\nnumbering: none\n---\n").expect("home");
        assert_eq!(none.settings.numbering, Numbering::None);
        let err = home("---\ntitle: C\nnumbering: roman\n---\n").unwrap_err();
        assert_eq!(err.span.line, 3);
    }

    #[test]
    fn a_zip_name_with_a_slash_is_refused() {
        let err = home("---\ntitle: C\nzip_name: ../x\n---\n").unwrap_err();
        assert_eq!(err.span.line, 3);
        assert!(matches!(err.message, Message::UnsafePath { .. }));
    }
}
