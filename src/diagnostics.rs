//! Problems found in the editor's input: severity, file, line, column, a
//! message and a hint, in Spanish or English. They are collected across all
//! files, sorted by file and line, and printed as
//! `path:line:col: error: message`, the source line with a marker, then the hint.

mod messages;
mod yaml;

pub(crate) use messages::{Kind, Message, SheetMessage};
pub(crate) use yaml::{Shape, YamlMessage};

use crate::source::SourceFile;
use std::fmt::Write as _;

/// The language of messages: the report's, or the one chosen with `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// Spanish, the default.
    #[default]
    Es,
    /// English (`--lang en`).
    En,
}

impl Lang {
    /// Picks the language from a BCP 47 tag such as `es-CL` or `en-GB`.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

/// How serious a diagnostic is; `--strict` treats warnings as errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where in a file a problem is: 1-based line and column, and how many
/// characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

impl Span {
    pub fn new(line: usize, col: usize) -> Self {
        Span { line, col, len: 1 }
    }
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = len.max(1);
        self
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as shown to the editor (relative to the report folder).
    pub file: String,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in either language.
    pub message: Message,
    /// The offending line as the editor sees it, when known.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at `span` of `file`, quoting its line.
    pub fn error(file: &SourceFile, span: Span, message: Message) -> Self {
        Self::at(Severity::Error, file, span, message)
    }

    /// A warning at `span` of `file`, quoting its line.
    pub fn warning(file: &SourceFile, span: Span, message: Message) -> Self {
        Self::at(Severity::Warning, file, span, message)
    }

    fn at(severity: Severity, file: &SourceFile, span: Span, message: Message) -> Self {
        let line = file.line(span.line);
        Diagnostic {
            severity,
            file: file.display.clone(),
            span,
            message,
            source_line: (span.line > 0).then(|| line.to_string()),
        }
    }

    /// A problem that concerns a whole file (no line to quote).
    pub fn file_error(display: &str, message: Message) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: display.to_string(),
            span: Span::default(),
            message,
            source_line: None,
        }
    }

    /// `path:line:col` (or just `path` when the line is unknown).
    pub fn location(&self) -> String {
        if self.span.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.span.line, self.span.col)
        }
    }

    /// The full text: header line, quoted source with marker, hint.
    pub fn render(&self, lang: Lang) -> String {
        let (message, hint) = self.message.text(lang);
        let label = match (self.severity, lang) {
            (Severity::Error, _) => "error",
            (Severity::Warning, Lang::Es) => "advertencia",
            (Severity::Warning, Lang::En) => "warning",
        };
        let mut out = format!("{}: {label}: {message}\n", self.location());
        if let Some(line) = &self.source_line {
            let number = self.span.line.to_string();
            let pad = " ".repeat(number.len());
            let shown = line.replace('\t', " ");
            let _ = writeln!(out, "{number} | {shown}");
            let indent = " ".repeat(self.span.col.saturating_sub(1));
            let marker = "^".repeat(self.span.len.clamp(1, 80));
            let _ = writeln!(out, "{pad} | {indent}{marker}");
        }
        if let Some(hint) = hint {
            let word = match lang {
                Lang::Es => "sugerencia",
                Lang::En => "hint",
            };
            let _ = writeln!(out, "{word}: {hint}");
        }
        out
    }
}

/// All the diagnostics of one build, in a stable order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }
    pub(crate) fn errors(&self) -> usize {
        self.count(Severity::Error)
    }
    pub(crate) fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }
    fn count(&self, s: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == s).count()
    }
    /// Sorted by file, line, column, then severity, with duplicates removed.
    pub(crate) fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| (&a.file, a.span, a.severity).cmp(&(&b.file, b.span, b.severity)));
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub(crate) fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min()
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn renders_location_source_line_marker_and_hint() {
        let f = SourceFile::new(Path::new("x"), "content/a.md".into(), "---\ntitel: Hola\n---\n");
        let d = Diagnostic::error(
            &f,
            Span::new(2, 1).with_len(5),
            Message::UnknownField {
                field: "titel".into(),
                suggestion: Some("title".into()),
                expected: vec!["title".into(), "weight".into()],
            },
        );
        let text = d.render(Lang::En);
        assert!(text.starts_with("content/a.md:2:1: error: unknown field 'titel', did you mean 'title'?\n"), "{text}");
        assert!(text.contains("2 | titel: Hola\n  | ^^^^^\n"), "{text}");
        let es = d.render(Lang::Es);
        assert!(es.contains("campo desconocido 'titel', ¿quiso decir 'title'?"), "{es}");
    }

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(suggest("titel", ["title", "weight"]), Some("title".into()));
        assert_eq!(suggest("zzzzzz", ["title", "weight"]), None);
    }
}
