//! `build(&BuildOptions) → BuildReport`: the one place that knows the stage
//! order — assemble, load the theme, render, pack the offline copy, write.

use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::error::Result;
use crate::model;
use crate::output;
use crate::render::{self, OutputFile, ZIP_SIZE_TOKEN};
use crate::theme::Theme;
use std::path::PathBuf;
use std::time::Instant;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The report folder (holding content/ and maybe themes/).
    pub root: PathBuf,
    /// Where to write; `root/output` by default.
    pub output: Option<PathBuf>,
    /// False for `cuenta check`: everything but writing.
    pub write: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Message language; the report's language by default.
    pub lang: Option<Lang>,
}

/// The outcome of a build, for the summary line and the exit code.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub tables: usize,
    pub charts: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    pub millis: u128,
    pub lang: Lang,
    /// True when the site was written.
    pub written: bool,
    pub output: PathBuf,
}

impl BuildReport {
    /// A build fails on errors, and on warnings when strict.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors > 0 || (strict && self.warnings > 0)
    }
}

/// Runs the pipeline. Content problems are in the report; Err is for the
/// environment (disk, output folder).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let out_dir = opts.output.clone().unwrap_or_else(|| opts.root.join("output"));
    let (report, mut diags) = model::assemble(&opts.root);
    let lang = opts.lang.unwrap_or_else(|| report.as_ref().map_or(Lang::Es, |r| Lang::from_tag(&r.settings().language)));
    let mut summary = BuildReport { pages: 0, tables: 0, charts: 0, diagnostics: Vec::new(), errors: 0, warnings: 0, millis: 0, lang, written: false, output: out_dir.clone() };
    let mut files = Vec::new();
    if let Some(report) = &report {
        (summary.tables, summary.charts) = report.counts();
        summary.pages = report.sections.len() + 3;
        match Theme::load(&opts.root, &report.settings().theme, &report.settings().language) {
            Err(d) => diags.push(d),
            Ok(theme) => {
                let (rendered, render_diags) = render::render(report, &theme, lang);
                diags.extend(render_diags);
                files = rendered;
            }
        }
    }
    finish(&mut summary, diags);
    if !summary.failed(opts.strict) {
        if let Some(report) = &report {
            let files = with_offline_copy(files, &report.settings().zip_name, &report.format)?;
            if opts.write {
                output::write(&out_dir, &files)?;
                summary.written = true;
            }
        }
    }
    summary.millis = start.elapsed().as_millis();
    Ok(summary)
}

fn finish(summary: &mut BuildReport, diags: Diagnostics) {
    summary.errors = diags.errors();
    summary.warnings = diags.warnings();
    summary.diagnostics = diags.sorted();
}

/// Fills in the zip's size on every page and adds the zip. The size label is
/// part of the pages inside the zip, so iterate until it is stable.
fn with_offline_copy(mut files: Vec<OutputFile>, name: &str, fmt: &crate::number::NumberFormat) -> Result<Vec<OutputFile>> {
    let separator = if fmt.decimal(0.5, 1).contains(',') { "," } else { "." };
    let templates: Vec<(usize, String)> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| std::str::from_utf8(&f.bytes).ok().filter(|t| t.contains(ZIP_SIZE_TOKEN)).map(|t| (i, t.to_string())))
        .collect();
    let mut label = String::from("1 KB");
    let mut zip = Vec::new();
    for _ in 0..4 {
        for (i, text) in &templates {
            files[*i].bytes = text.replace(ZIP_SIZE_TOKEN, &label).into_bytes();
        }
        zip = output::zip(&files, name)?;
        let actual = output::human_size(zip.len(), separator);
        if actual == label {
            break;
        }
        label = actual;
    }
    files.push(OutputFile { path: format!("{name}.zip"), bytes: zip });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
