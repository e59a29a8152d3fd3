//! The whole report as one tagged PDF (PDF/UA-1), typeset with Typst used as
//! a library: cover, contents, numbered sections, tables, the site's own
//! chart SVGs and footnotes, with the fonts compiled into the binary.
//!
//! [`document`] turns the model into data (JSON), `template.typ` (ours, fixed)
//! lays that data out, and [`world`] is the sandbox Typst compiles in: it
//! serves the template, the JSON and the SVGs, and nothing else. Editors'
//! text reaches Typst only as JSON strings, so no text of theirs is ever
//! read as Typst markup. Typst types stay inside this module.

mod document;
mod world;

use crate::chart::{self, ChartData};
use crate::diagnostics::{Diagnostic, Lang, Message, Span};
use crate::model::Report;
use crate::theme::Theme;
use std::collections::BTreeMap;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Bytes;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// A chart as the PDF shows it: the site's SVG, its title and its
/// description (the figure's alternative text).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartFigure {
    pub svg: String,
    pub title: String,
    pub alt: String,
}

/// Every chart of the report, by section slug and chart id.
pub type Charts = BTreeMap<(String, String), ChartFigure>;

/// Draws every chart of `report` as the site does.
pub fn charts(report: &Report, lang: Lang) -> Charts {
    let fmt = &report.format;
    let mut out = Charts::new();
    for section in &report.sections {
        for spec in section.charts.iter() {
            let Some((_, table)) = report.table(&spec.table) else { continue };
            let Some(data) = ChartData::from_table(spec, table, fmt) else { continue };
            let alt = spec.description.clone().unwrap_or_else(|| chart::describe(spec, &data, lang));
            let figure = ChartFigure { svg: chart::render_svg(spec, &data, fmt, lang), title: spec.title.clone(), alt };
            out.insert((section.slug.clone(), spec.id.clone()), figure);
        }
    }
    out
}

/// Where the template finds the `n`-th chart.
fn chart_path(n: usize) -> String {
    format!("/graficos/{n}.svg")
}

/// Where the template finds the `n`-th image (its extension tells Typst
/// its format).
fn image_path(n: usize, ext: &str) -> String {
    format!("/imagenes/{n}.{ext}")
}

/// Everything Typst reads for the PDF besides the template and the fonts
/// (constants of the binary): the document's data and the files it shows.
/// Its hash is the PDF's fingerprint, so nothing the PDF shows can change
/// without the PDF being made again.
#[derive(Debug, Hash)]
pub struct Source {
    doc: document::Document,
    files: document::Files,
}

/// The PDF's source: the report as data, with its charts drawn as the site
/// draws them and its images. Pure, and cheap next to [`typeset`].
pub fn source(report: &Report, theme: &Theme, lang: Lang) -> Source {
    let (doc, files) = document::assemble(report, theme, &charts(report, lang));
    Source { doc, files }
}

/// The report as PDF bytes, typeset from `source`. Fails with a diagnostic
/// naming the section Typst could not lay out (or the report's settings
/// file when no single section is to blame).
pub fn typeset(report: &Report, theme: &Theme, lang: Lang, source: &Source) -> Result<Vec<u8>, Diagnostic> {
    compile(source).map_err(|detail| blame(report, theme, lang, detail))
}

/// Typesets `source` into PDF bytes, or says why not.
fn compile(source: &Source) -> Result<Vec<u8>, String> {
    let json = serde_json::to_vec(&source.doc).map_err(|e| e.to_string())?;
    let mut files = BTreeMap::new();
    files.insert("/informe.json".to_string(), Bytes::new(json));
    for (path, bytes) in &source.files {
        files.insert(path.clone(), Bytes::new(bytes.as_slice().to_vec()));
    }
    let world = world::CuentaWorld::new(files);
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let paged = output.map_err(|errors| describe(&errors))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?;
    let options = PdfOptions {
        // The document id is a hash of this: the same report, the same id.
        ident: typst::foundations::Smart::Custom(format!("cuenta:{}", source.doc.meta.title)),
        creator: typst::foundations::Smart::Custom(Some("cuenta".to_string())),
        standards,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&paged, &options).map_err(|errors| describe(&errors))?;
    // Typst memoises across compilations; a build keeps nothing of it.
    typst::comemo::evict(0);
    Ok(bytes)
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    let mut text: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
    text.dedup();
    text.join("; ")
}

/// Finds the section that stops the PDF by typesetting each alone (only
/// when the whole failed, so it costs nothing on a good build).
fn blame(report: &Report, theme: &Theme, lang: Lang, detail: String) -> Diagnostic {
    for section in &report.sections {
        let mut single = report.clone();
        single.sections = vec![section.clone()];
        single.chapters = Vec::new();
        single.entries = vec![crate::model::Entry::Section(0)];
        single.home.body = String::new();
        if let Err(detail) = compile(&source(&single, theme, lang)) {
            return Diagnostic::error(
                &section.file,
                Span::new(1, 1),
                Message::PdfSection { section: section.title.clone(), detail },
            );
        }
    }
    Diagnostic::error(&report.home.file, Span::new(1, 1), Message::PdfReport { detail })
}

#[cfg(test)]
mod tests;
