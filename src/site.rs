//! `build(&BuildOptions) → BuildReport`: the one place that knows the stage
//! order, and the one place that decides reuse (asking [`crate::incremental`]
//! around each stage call):
//!
//! ```text
//! content::discover → model::load_home (config) → model::parse_section ⟲ reuse
//!   → model::assemble_parsed → Theme::load → render::render_section ⟲ reuse
//!   → render::render (pages; texts ⟲ reuse) → offline::with_offline_copy
//!     (entries ⟲ reuse) → output::write
//! ```

use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::error::Result;
use crate::incremental::{self, Keep, Reuse};
use crate::model::{self, Report};
use crate::offline;
use crate::output;
use crate::progress::{Hook, Stage};
use crate::render::{self, OutputFile, SectionBody};
use crate::theme::Theme;
use rayon::prelude::*;
use std::hash::Hasher;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub use crate::incremental::Session;

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
    /// Pack the offline zip (serve skips it until asked for).
    pub offline_copy: bool,
    /// Typeset the report as a PDF, when the report has it on (`pdf:`) and
    /// cuenta was built with the `pdf` feature. `serve` leaves it for the
    /// first request of the PDF.
    pub pdf: bool,
    /// Told each stage as it starts (the terminal progress bar).
    pub progress: Option<Hook>,
    /// Keep parsed sections, rendered bodies and pages and packed zip
    /// entries between builds, in `.<output>.cuenta-cache` beside the output
    /// folder (safe to delete).
    pub cache: bool,
    /// For a long-lived process (`serve`): keep all that in memory between
    /// builds instead of reading and writing the cache file.
    pub session: Option<Arc<Session>>,
}

impl BuildOptions {
    /// Options for building `root` into its `output/` folder.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            write: true,
            strict: false,
            lang: None,
            offline_copy: true,
            pdf: true,
            progress: None,
            cache: true,
            session: None,
        }
    }
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
    /// The checks made on the report's figures, as the verification page counts them.
    pub figures: crate::render::verification::Counts,
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

    /// `cuenta: 10 páginas, 22 tablas, 12 gráficos, 3 advertencias, 0 errores, 45 ms`
    pub fn summary_line(&self) -> String {
        let r = self;
        match r.lang {
            Lang::Es => format!(
                "cuenta: {} páginas, {} tablas, {} gráficos, {} advertencias, {} errores, {} ms",
                r.pages, r.tables, r.charts, r.warnings, r.errors, r.millis
            ),
            Lang::En => format!(
                "cuenta: {} pages, {} tables, {} charts, {} warnings, {} errors, {} ms",
                r.pages, r.tables, r.charts, r.warnings, r.errors, r.millis
            ),
        }
    }
}

/// Runs the pipeline and writes the site when `opts.write` is set and the
/// build did not fail. Content problems are in the report; Err is for the
/// environment (disk, output folder).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    // One writer at a time, from reading the cache to the swap: two builds
    // into one folder shared its temporary siblings and published half sites.
    let _lock = if opts.write { Some(output::lock(&output_dir(opts), opts.lang.unwrap_or_default())?) } else { None };
    let reuse = open_reuse(opts);
    let (mut summary, files) = compile_with(opts, &reuse)?;
    if opts.write && !summary.failed(opts.strict) {
        stage(opts, Stage::Writing);
        output::write(&summary.output, &files)?;
        summary.written = true;
        // Only a build that wrote its site keeps what it made: `check` and a
        // refused or failed build write nothing at all.
        reuse.save();
    }
    summary.millis = start.elapsed().as_millis();
    Ok(summary)
}

/// Runs the pipeline in memory: the summary and, unless the build failed,
/// every output file sorted by path. Writes nothing.
pub fn compile(opts: &BuildOptions) -> Result<(BuildReport, Vec<OutputFile>)> {
    compile_with(opts, &open_reuse(opts))
}

fn output_dir(opts: &BuildOptions) -> PathBuf {
    opts.output.clone().unwrap_or_else(|| opts.root.join("output"))
}

/// The session's store, the cache beside the output folder, or nothing
/// (`--no-cache`).
fn open_reuse(opts: &BuildOptions) -> Reuse<'_> {
    match &opts.session {
        Some(session) => Reuse::session(session),
        None if opts.cache => Reuse::on_disk(&output::sibling(&output_dir(opts), "cache"), opts.write),
        None => Reuse::none(),
    }
}

/// The stages in order: discover → config → parse (through reuse) →
/// assemble → theme → section bodies (through reuse) → pages → offline copy.
fn compile_with(opts: &BuildOptions, reuse: &Reuse) -> Result<(BuildReport, Vec<OutputFile>)> {
    let start = Instant::now();
    let out_dir = output_dir(opts);
    stage(opts, Stage::Reading);
    let (report, mut diags) = assemble(opts, reuse);
    let lang =
        opts.lang.unwrap_or_else(|| report.as_ref().map_or(Lang::Es, |r| Lang::from_tag(&r.settings().language)));
    let mut summary = BuildReport {
        pages: 0,
        tables: 0,
        charts: 0,
        diagnostics: Vec::new(),
        errors: 0,
        warnings: 0,
        millis: 0,
        figures: Default::default(),
        lang,
        written: false,
        output: out_dir.clone(),
    };
    let mut files = Vec::new();
    if let Some(report) = &report {
        (summary.tables, summary.charts) = report.counts();
        // Home, whole report, open data and verification pages, besides
        // one page per section and per chapter.
        summary.pages = report.sections.len() + report.chapters.len() + 4;
        summary.figures = crate::render::verification::counts(report);
        stage(opts, Stage::Rendering { pages: summary.pages, lang });
        let settings = report.settings();
        match Theme::load(&opts.root, &settings.theme, &settings.language)
            .map(|t| t.with_palette(settings.palette.as_ref()))
        {
            Err(d) => diags.push(d),
            Ok(theme) => {
                let bodies = bodies(report, &theme, lang, reuse, &mut diags);
                let (rendered, render_diags) = render::render(report, &theme, lang, &bodies, reuse);
                diags.extend(render_diags);
                files = rendered;
                if diags.errors() == 0 {
                    files = with_pdf(opts, files, report, &theme, lang, reuse, &mut diags);
                }
            }
        }
    }
    finish(&mut summary, diags);
    if summary.failed(opts.strict) {
        files.clear();
    } else if let Some(report) = &report {
        files = if opts.offline_copy {
            stage(opts, Stage::Packing);
            let separator = if report.format.decimal(0.5, 1).contains(',') { "," } else { "." };
            let pack = |path: &str, parts: &[&[u8]]| {
                let fp = incremental::fingerprint_with("zip-entry", &mut |h| {
                    h.write(path.as_bytes());
                    parts.iter().for_each(|p| h.write(p));
                });
                reuse.bytes(fp, || offline::pack_entry(path, parts).map(|e| e.to_vec()))
            };
            offline::with_offline_copy(files, &report.settings().zip_name, separator, &pack)?
        } else {
            offline::fill_zip_size(files, "—")
        };
    }
    reuse.end_build();
    summary.millis = start.elapsed().as_millis();
    Ok((summary, files))
}

/// Discovers, parses (reusing unchanged sections) and assembles the report.
fn assemble(opts: &BuildOptions, reuse: &Reuse) -> (Option<Report>, Diagnostics) {
    let found = content::discover_with(&opts.root, opts.session.as_deref().map(Session::seen));
    let mut diags = Diagnostics::default();
    diags.extend(found.problems);
    let home = model::load_home(found.index, &mut diags);
    let format = model::number_format(home.as_ref());
    let settings = home.as_ref().map(|h| (&h.settings.language, &h.settings.currency));
    let parsed = found
        .sections
        .into_par_iter()
        .map(|file| {
            let fp = incremental::fingerprint("section", &(&file.display, &file.text, settings));
            let restore = file.clone();
            reuse.section(fp, || model::parse_section(file, &format), |s| model::Section { file: restore, ..s })
        })
        .collect();
    let beside = model::Beside { chapters: found.chapters, assets: found.assets };
    model::assemble_parsed(home, parsed, beside, format, diags)
}

/// Every section's body, in order, reusing those whose inputs are unchanged.
fn bodies(report: &Report, theme: &Theme, lang: Lang, reuse: &Reuse, diags: &mut Diagnostics) -> Vec<Arc<SectionBody>> {
    let made: Vec<(Arc<SectionBody>, Vec<Diagnostic>)> = (0..report.sections.len())
        .into_par_iter()
        .map(|i| {
            let fp = Reuse::body_fingerprint(report, i, theme, lang);
            reuse.body(fp, || {
                let (mut body, diags) = render::render_section(report, i, theme, lang);
                body.fingerprint = fp.0;
                (body, diags)
            })
        })
        .collect();
    made.into_iter()
        .map(|(body, problems)| {
            diags.extend(problems);
            body
        })
        .collect()
}

impl render::Memo for Reuse<'_> {
    fn text(
        &self,
        kind: &'static str,
        worth_a_disk_read: bool,
        inputs: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Arc<str>,
    ) -> Arc<str> {
        let keep = if worth_a_disk_read { Keep::Always } else { Keep::Session };
        Reuse::text(self, kind, keep, inputs, make)
    }

    fn digest(&self, inputs: &mut dyn FnMut(&mut dyn Hasher)) -> u128 {
        incremental::fingerprint_with("digest", inputs).0
    }
}

fn stage(opts: &BuildOptions, s: Stage) {
    if let Some(hook) = &opts.progress {
        hook.report(s);
    }
}

/// Adds the report as a PDF (`<zip name>.pdf`, made before the offline
/// copy is packed so that the copy holds it) and puts its size where pages
/// show it ("—" when it is not made here). The PDF is reused while its
/// source (everything Typst reads) is unchanged. A PDF Typst cannot lay out
/// is an error naming the section; `pdf: false` or a build without the `pdf`
/// feature leaves it out (and render leaves out its links).
fn with_pdf(
    opts: &BuildOptions,
    mut files: Vec<OutputFile>,
    report: &model::Report,
    theme: &Theme,
    lang: Lang,
    reuse: &Reuse,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let label = match typeset_pdf(opts, &mut files, report, theme, lang, reuse, diags) {
        Some(bytes) => {
            let separator = if report.format.decimal(0.5, 1).contains(',') { "," } else { "." };
            offline::human_size(bytes, separator)
        }
        None => "—".to_string(),
    };
    files.iter_mut().for_each(|f| f.fill_pdf_size(&label));
    files
}

/// Adds the PDF to `files` when this build makes it; returns its size.
#[cfg(feature = "pdf")]
fn typeset_pdf(
    opts: &BuildOptions,
    files: &mut Vec<OutputFile>,
    report: &model::Report,
    theme: &Theme,
    lang: Lang,
    reuse: &Reuse,
    diags: &mut Diagnostics,
) -> Option<usize> {
    if !(opts.pdf && report.settings().pdf) {
        return None;
    }
    stage(opts, Stage::Typesetting);
    let source = crate::pdf::source(report, theme, lang);
    let fp = incremental::fingerprint("pdf", &source);
    match reuse.bytes(fp, || crate::pdf::typeset(report, theme, lang, &source)) {
        Ok(bytes) => {
            let size = bytes.len();
            files.push(OutputFile::from_parts(
                format!("{}.pdf", report.settings().zip_name),
                vec![render::Part::Bytes(bytes)],
            ));
            files.sort_by(|a, b| a.path.cmp(&b.path));
            Some(size)
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Without the `pdf` feature there is no PDF.
#[cfg(not(feature = "pdf"))]
fn typeset_pdf(
    _: &BuildOptions,
    _: &mut Vec<OutputFile>,
    _: &model::Report,
    _: &Theme,
    _: Lang,
    _: &Reuse,
    _: &mut Diagnostics,
) -> Option<usize> {
    None
}

fn finish(summary: &mut BuildReport, diags: Diagnostics) {
    summary.errors = diags.errors();
    summary.warnings = diags.warnings();
    summary.diagnostics = diags.sorted();
}
