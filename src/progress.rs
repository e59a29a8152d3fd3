//! Build progress: the stages [`crate::site`] reports through a [`Hook`], and
//! a bar on the terminal for large reports. Takes stage events, draws on
//! stderr; it must not draw when stderr is not a terminal (logs, CI, pipes)
//! nor for small reports, whose builds end before a bar would be readable.

use crate::diagnostics::Lang;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Reports with more pages than this show a bar; smaller ones build in well
/// under a second, where a bar would only flicker.
pub const BAR_MIN_PAGES: usize = 200;

/// A point in the build, reported as it is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking the content files.
    Reading,
    /// The report is assembled; rendering its pages starts.
    Rendering { pages: usize, lang: Lang },
    /// Typesetting the report as a PDF.
    Typesetting,
    /// Packing the offline copy (zip).
    Packing,
    /// Writing the files into the output folder.
    Writing,
}

/// A callback for [`Stage`]s, cheap to clone into build options.
#[derive(Clone)]
pub struct Hook(Arc<dyn Fn(Stage) + Send + Sync>);

impl Hook {
    /// Wraps `f`, called once per stage, on the building thread.
    pub fn new(f: impl Fn(Stage) + Send + Sync + 'static) -> Self {
        Hook(Arc::new(f))
    }

    /// Reports `stage`.
    pub fn report(&self, stage: Stage) {
        (self.0)(stage)
    }
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hook")
    }
}

/// Whether a build of `pages` pages should draw a bar.
pub fn shows_bar(pages: usize, terminal: bool) -> bool {
    terminal && pages > BAR_MIN_PAGES
}

/// A bar over the stages of one build, drawn on stderr when it is a terminal.
/// The render stage is one step: its pages are rendered in parallel inside
/// `render`, which has no business knowing about terminals.
#[derive(Debug)]
pub struct TerminalProgress {
    terminal: bool,
    bar: Mutex<Option<(ProgressBar, Lang)>>,
}

impl TerminalProgress {
    /// Progress for a build started from the command line.
    pub fn for_stderr() -> Arc<Self> {
        Arc::new(TerminalProgress { terminal: std::io::stderr().is_terminal(), bar: Mutex::new(None) })
    }

    /// The hook to put in [`crate::site::BuildOptions::progress`].
    pub fn hook(self: &Arc<Self>) -> Hook {
        let me = Arc::clone(self);
        Hook::new(move |stage| me.on(stage))
    }

    fn on(&self, stage: Stage) {
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        if let Stage::Rendering { pages, lang } = stage {
            if shows_bar(pages, self.terminal) {
                *slot = Some((new_bar(pages, lang), lang));
            }
        }
        if let Some((bar, lang)) = slot.as_ref() {
            let (position, es, en) = match stage {
                Stage::Reading => (0, "leyendo", "reading"),
                Stage::Rendering { .. } => (1, "generando páginas", "rendering pages"),
                Stage::Typesetting => (2, "componiendo el PDF", "typesetting the PDF"),
                Stage::Packing => (2, "empaquetando la copia sin conexión", "packing the offline copy"),
                Stage::Writing => (3, "escribiendo", "writing"),
            };
            bar.set_position(position);
            bar.set_message(if *lang == Lang::Es { es } else { en });
        }
    }

    /// Clears the bar, so that the diagnostics and summary print cleanly.
    pub fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some((bar, _)) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}

fn new_bar(pages: usize, lang: Lang) -> ProgressBar {
    let bar = ProgressBar::new(4);
    let template = match lang {
        Lang::Es => {
            format!("{{spinner}} cuenta: {pages} páginas [{{bar:24}}] {{msg}} ({{elapsed}})")
        }
        Lang::En => format!("{{spinner}} cuenta: {pages} pages [{{bar:24}}] {{msg}} ({{elapsed}})"),
    };
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_needs_a_terminal_and_a_large_report() {
        let cases = [(201, true, true), (200, true, false), (5000, false, false), (10, false, false)];
        for (pages, terminal, expected) in cases {
            assert_eq!(shows_bar(pages, terminal), expected, "{pages} pages, terminal {terminal}");
        }
    }

    #[test]
    fn off_a_terminal_no_bar_is_made() {
        let progress = Arc::new(TerminalProgress { terminal: false, bar: Mutex::new(None) });
        let hook = progress.hook();
        hook.report(Stage::Rendering { pages: 5000, lang: Lang::Es });
        assert!(progress.bar.lock().expect("lock").is_none());
    }
}
