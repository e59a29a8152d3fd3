//! Themes: Tera templates, static files and interface strings. The default
//! theme is embedded in the binary; `themes/default` and `themes/<name>` in
//! the report folder override it file by file. This is the only place Tera is
//! configured, and, with `content`, the only module that reads the disk.

use crate::diagnostics::{Diagnostic, Message, Span};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// A loaded theme, ready to render pages.
pub struct Theme {
    tera: tera::Tera,
    /// Static files by path under `static/`, sorted.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Interface strings for the report's language.
    pub strings: BTreeMap<String, String>,
    /// Where each template came from, for messages.
    origins: BTreeMap<String, String>,
    /// A content hash (XXH3-128) of the language and every file: what a
    /// rendered page depends on besides its context.
    pub fingerprint: u128,
    /// Ids the templates write literally (`id="cuenta-contenido"`): a
    /// heading in a body must not take them.
    pub page_ids: Vec<String>,
}

/// One file of a theme layer: relative path, where it came from, bytes.
struct LayerFile {
    rel: String,
    origin: String,
    bytes: Vec<u8>,
}

impl Theme {
    /// Loads theme `name` for `language` from `root/themes`, over the embedded default.
    pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, LayerFile> = BTreeMap::new();
        for (rel, bytes) in embedded::FILES {
            let origin = format!("themes/default/{rel} (built in)");
            files.insert(rel.to_string(), LayerFile { rel: rel.to_string(), origin, bytes: bytes.to_vec() });
        }
        overlay(&root.join("themes").join("default"), "themes/default", &mut files);
        if name != "default" {
            let dir = root.join("themes").join(name);
            if !dir.is_dir() {
                return Err(Diagnostic::file_error(
                    "content/_index.md",
                    Message::ThemeNotFound { name: name.to_string() },
                ));
            }
            overlay(&dir, &format!("themes/{name}"), &mut files);
        }
        build(files, language)
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            let origin = self.origins.get(name).cloned().unwrap_or_else(|| name.to_string());
            Diagnostic::file_error(&origin, Message::Template { detail: chain(&e) })
        })
    }

    /// The interface string `key`, or the key itself when the theme lacks it.
    pub fn string(&self, key: &str) -> String {
        self.strings.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

fn overlay(dir: &Path, shown: &str, files: &mut BTreeMap<String, LayerFile>) {
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(|p| p.starts_with('.')) {
            continue;
        }
        if let Ok(bytes) = std::fs::read(entry.path()) {
            let origin = format!("{shown}/{rel}");
            files.insert(rel.clone(), LayerFile { rel, origin, bytes });
        }
    }
}

fn build(files: BTreeMap<String, LayerFile>, language: &str) -> Result<Theme, Diagnostic> {
    let mut templates = Vec::new();
    let mut origins = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut i18n: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut identity = xxhash_rust::xxh3::Xxh3Default::new();
    for part in std::iter::once(language.as_bytes()).chain(files.values().flat_map(|f| [f.rel.as_bytes(), &f.bytes])) {
        identity.update(&(part.len() as u64).to_le_bytes());
        identity.update(part);
    }
    let fingerprint = identity.digest128();
    for (_, f) in files {
        if let Some(name) = f.rel.strip_prefix("templates/") {
            let text =
                String::from_utf8(f.bytes).map_err(|_| Diagnostic::file_error(&f.origin, Message::InvalidUtf8))?;
            origins.insert(name.to_string(), f.origin);
            templates.push((name.to_string(), text));
        } else if let Some(name) = f.rel.strip_prefix("static/") {
            statics.insert(name.to_string(), f.bytes);
        } else if let Some(name) = f.rel.strip_prefix("i18n/").and_then(|n| n.strip_suffix(".yaml")) {
            let text =
                String::from_utf8(f.bytes).map_err(|_| Diagnostic::file_error(&f.origin, Message::InvalidUtf8))?;
            i18n.insert(name.to_string(), (f.origin, text));
        }
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    let sources = templates.iter().map(|(n, t)| (n.as_str(), t.as_str()));
    tera.add_raw_templates(sources).map_err(|e| syntax_error(&e, &origins, &templates))?;
    let strings = strings(&i18n, language)?;
    let page_ids = literal_ids(templates.iter().map(|(_, t)| t.as_str()));
    Ok(Theme { tera, statics, strings, origins, fingerprint, page_ids })
}

/// Every `id="…"` whose value is plain text (no Tera), sorted, once.
fn literal_ids<'a>(templates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut ids = std::collections::BTreeSet::new();
    for text in templates {
        for (at, _) in text.match_indices("id=\"") {
            let value = &text[at + 4..];
            let Some(end) = value.find('"') else { continue };
            let id = &value[..end];
            if !id.is_empty() && !id.contains(['{', '}', '%', ' ']) {
                ids.insert(id.to_string());
            }
        }
    }
    ids.into_iter().collect()
}

/// Spanish first, then the report language's file over it, so that a
/// missing key still reads in a real language.
fn strings(i18n: &BTreeMap<String, (String, String)>, language: &str) -> Result<BTreeMap<String, String>, Diagnostic> {
    let primary = language.split(['-', '_']).next().unwrap_or("es").to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for name in ["es", primary.as_str()] {
        if let Some((origin, text)) = i18n.get(name) {
            let map = crate::front_matter::parse_strings(text)
                .map_err(|detail| Diagnostic::file_error(origin, Message::YamlSyntax { detail }))?;
            out.extend(map);
        }
    }
    Ok(out)
}

/// A template that does not parse, at the line and column Tera names.
fn syntax_error(e: &tera::Error, origins: &BTreeMap<String, String>, templates: &[(String, String)]) -> Diagnostic {
    let text = chain(e);
    let found = origins.iter().find(|(name, _)| text.contains(&format!("'{name}'")));
    let origin = found.map_or_else(|| "themes".to_string(), |(_, o)| o.clone());
    let source = found.and_then(|(name, _)| templates.iter().find(|(n, _)| n == name)).map(|(_, t)| t.as_str());
    // Tera writes "Failed to parse 'x.html': --> 2:7 | … | = expected …".
    let position = text.split_once(" --> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse::<usize>().ok()?, col.parse::<usize>().ok()?))
    });
    let (Some(source), Some((line, col))) = (source, position) else {
        return Diagnostic::file_error(&origin, Message::Template { detail: text });
    };
    let head = text.split(" --> ").next().unwrap_or_default().trim_end();
    let reason = text.rsplit_once("= ").map_or("", |(_, r)| r.trim());
    let mut d = Diagnostic::file_error(&origin, Message::Template { detail: format!("{head} {reason}") });
    d.span = Span::new(line, col);
    d.source_line = source.lines().nth(line.saturating_sub(1)).map(str::to_string);
    d
}

/// The error and its causes on one line: Tera puts the useful part last.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}
