//! `build(&BuildOptions) → BuildReport`: the one place that knows the stage
//! order — assemble, load the theme, render, pack the offline copy, write.

use crate::cache::Cache;
use crate::diagnostics::{Diagnostic, Diagnostics, Lang};
use crate::error::Result;
use crate::model;
use crate::output;
use crate::progress::{Hook, Stage};
use crate::render::{self, OutputFile, Part, ZIP_SIZE_TOKEN};
use crate::theme::Theme;
use std::path::PathBuf;
use std::sync::Arc;
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
    /// Pack the offline zip (serve skips it until asked for).
    pub offline_copy: bool,
    /// Told each stage as it starts (the terminal progress bar).
    pub progress: Option<Hook>,
    /// Keep rendered bodies and packed zip entries between builds, in
    /// `.<output>.cuenta-cache` beside the output folder (safe to delete).
    pub cache: bool,
    /// For a long-lived process (`serve`): keep the cache and parsed sections
    /// in memory between builds instead of reading and writing the cache file.
    pub session: Option<Arc<Session>>,
}

/// What `serve` keeps between its builds.
#[derive(Debug, Default)]
pub struct Session {
    pub cache: Cache,
    pub memo: model::Memo,
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

/// Runs the pipeline and writes the site when `opts.write` is set and the
/// build did not fail. Content problems are in the report; Err is for the
/// environment (disk, output folder).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let cache = open_cache(opts);
    let (mut summary, files) = compile_with(opts, &cache)?;
    if opts.write && !summary.failed(opts.strict) {
        stage(opts, Stage::Writing);
        output::write(&summary.output, &files)?;
        summary.written = true;
        // Only a build that wrote its site keeps its cache: `check` and a
        // refused or failed build write nothing at all.
        if opts.session.is_none() {
            cache.save();
        }
    }
    summary.millis = start.elapsed().as_millis();
    Ok(summary)
}

/// Runs the pipeline in memory: the summary and, unless the build failed,
/// every output file sorted by path. Writes nothing.
pub fn compile(opts: &BuildOptions) -> Result<(BuildReport, Vec<OutputFile>)> {
    compile_with(opts, &open_cache(opts))
}

fn output_dir(opts: &BuildOptions) -> PathBuf {
    opts.output.clone().unwrap_or_else(|| opts.root.join("output"))
}

/// The cache beside the output folder, or an empty one (`--no-cache`, or a
/// session that brings its own).
fn open_cache(opts: &BuildOptions) -> Cache {
    if opts.cache && opts.session.is_none() {
        Cache::open(&output::sibling(&output_dir(opts), "cache"), opts.write)
    } else {
        Cache::disabled()
    }
}

fn compile_with(opts: &BuildOptions, own_cache: &Cache) -> Result<(BuildReport, Vec<OutputFile>)> {
    let start = Instant::now();
    let out_dir = output_dir(opts);
    stage(opts, Stage::Reading);
    let cache = opts.session.as_ref().map_or(own_cache, |s| &s.cache);
    let (report, mut diags) = model::assemble_with(&opts.root, opts.session.as_ref().map(|s| &s.memo), cache);
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
        lang,
        written: false,
        output: out_dir.clone(),
    };
    let mut files = Vec::new();
    if let Some(report) = &report {
        (summary.tables, summary.charts) = report.counts();
        summary.pages = report.sections.len() + report.chapters.len() + 3;
        stage(opts, Stage::Rendering { pages: summary.pages, lang });
        match Theme::load(&opts.root, &report.settings().theme, &report.settings().language) {
            Err(d) => diags.push(d),
            Ok(theme) => {
                let (rendered, render_diags) = render::render(report, &theme, lang, cache);
                diags.extend(render_diags);
                files = rendered;
            }
        }
    }
    finish(&mut summary, diags);
    if summary.failed(opts.strict) {
        files.clear();
    } else if let Some(report) = &report {
        let name = &report.settings().zip_name;
        if opts.offline_copy {
            stage(opts, Stage::Packing);
        }
        files = if opts.offline_copy {
            with_offline_copy(files, name, &report.format, cache)?
        } else {
            fill_zip_size(files, "—")
        };
    }
    if let Some(session) = &opts.session {
        session.cache.end_build();
    }
    summary.millis = start.elapsed().as_millis();
    Ok((summary, files))
}

fn stage(opts: &BuildOptions, s: Stage) {
    if let Some(hook) = &opts.progress {
        hook.report(s);
    }
}

/// Puts `label` where pages show the zip's size.
fn fill_zip_size(mut files: Vec<OutputFile>, label: &str) -> Vec<OutputFile> {
    use rayon::prelude::*;
    files
        .par_iter_mut()
        .filter(|f| f.path.ends_with(".html"))
        .for_each(|f| f.replace_in_template(ZIP_SIZE_TOKEN, label));
    files
}

fn finish(summary: &mut BuildReport, diags: Diagnostics) {
    summary.errors = diags.errors();
    summary.warnings = diags.warnings();
    summary.diagnostics = diags.sorted();
}

/// Adds the offline copy. Its pages leave out what only makes sense online
/// (the link to the zip itself, marked by the theme), so the zip is packed
/// once and the online pages then show its exact size.
fn with_offline_copy(
    files: Vec<OutputFile>,
    name: &str,
    fmt: &crate::number::NumberFormat,
    cache: &Cache,
) -> Result<Vec<OutputFile>> {
    let separator = if fmt.decimal(0.5, 1).contains(',') { "," } else { "." };
    let zip = OutputFile::from_parts(format!("{name}.zip"), output::zip(&files, name, &offline_parts, cache)?);
    let mut files = fill_zip_size(files, &output::human_size(zip.len(), separator));
    files.push(zip);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

const ONLINE_START: &str = "<!--cuenta:online-->";
const ONLINE_END: &str = "<!--/cuenta:online-->";

/// A file as the offline copy holds it, as the slices to write in order (no
/// copy is made): pages lose what the theme marked online-only. Only the
/// theme's text can hold the marks, so section bodies (most of a page's
/// bytes) pass through unread.
fn offline_parts(file: &OutputFile) -> Vec<&[u8]> {
    if !file.path.ends_with(".html") {
        return file.parts().collect();
    }
    let mut parts = Vec::new();
    for part in file.raw_parts() {
        match part {
            Part::Owned(bytes) => parts.extend(strip_online_only(bytes)),
            shared => parts.push(shared),
        }
    }
    parts
}

/// Text without its `<!--cuenta:online-->…<!--/cuenta:online-->` blocks.
fn strip_online_only(bytes: &[u8]) -> Vec<&[u8]> {
    let Ok(text) = std::str::from_utf8(bytes) else { return vec![bytes] };
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(ONLINE_START) {
        parts.push(&rest.as_bytes()[..start]);
        match rest[start..].find(ONLINE_END) {
            Some(end) => rest = &rest[start + end + ONLINE_END.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    parts.push(rest.as_bytes());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_pages_drop_online_only_blocks() {
        let page = b"<ul><li>a</li><!--cuenta:online--><li>zip</li><!--/cuenta:online--></ul>";
        assert_eq!(strip_online_only(page).concat(), b"<ul><li>a</li></ul>");
    }

    #[test]
    fn the_offline_copy_strips_only_the_themes_text_of_pages() {
        let marked = "<!--cuenta:online-->zip<!--/cuenta:online-->";
        let body: Arc<str> = Arc::from(format!("<p>{marked}</p>"));
        let page = OutputFile::from_parts(
            "a.html",
            vec![Part::Owned(format!("<nav>{marked}</nav>").into_bytes()), Part::Shared(body.clone())],
        );
        assert_eq!(offline_parts(&page).concat(), format!("<nav></nav><p>{marked}</p>").into_bytes());
        let data = OutputFile::new("datos/a.csv", marked.as_bytes().to_vec());
        assert_eq!(offline_parts(&data).concat(), marked.as_bytes(), "only pages are changed");
    }
}
