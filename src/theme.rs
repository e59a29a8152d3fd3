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
pub(crate) struct Theme {
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
    pub(crate) fn load(root: &Path, name: &str, language: &str) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, LayerFile> = BTreeMap::new();
        for (rel, bytes) in embedded::FILES {
            let origin = format!("themes/default/{rel} (built in)");
            files.insert(layer_key(rel, 0), LayerFile { rel: rel.to_string(), origin, bytes: bytes.to_vec() });
        }
        overlay(&root.join("themes").join("default"), "themes/default", 1, &mut files)?;
        if name != "default" {
            let dir = root.join("themes").join(name);
            if !dir.is_dir() {
                return Err(Diagnostic::file_error(
                    "content/_index.md",
                    Message::ThemeNotFound { name: name.to_string() },
                ));
            }
            overlay(&dir, &format!("themes/{name}"), 2, &mut files)?;
        }
        build(files, language)
    }

    /// Renders template `name` with `context`.
    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            let origin = self.origins.get(name).cloned().unwrap_or_else(|| name.to_string());
            Diagnostic::file_error(&origin, Message::Template { detail: chain(&e) })
        })
    }

    /// The theme with the report's palette appended to its stylesheet, so
    /// that pages stay as they are and only style.css changes, and an icon
    /// drawn from the palette unless the theme ships its own favicon.svg.
    pub(crate) fn with_palette(mut self, palette: Option<&crate::palette::Palette>) -> Self {
        if let (Some(p), Some(style)) = (palette, self.statics.get_mut("style.css")) {
            style.extend_from_slice(crate::palette::css(p).as_bytes());
        }
        self.statics.entry("favicon.svg".to_string()).or_insert_with(|| crate::palette::favicon(palette).into_bytes());
        self
    }

    /// The interface string `key`, or the key itself when the theme lacks it.
    pub(crate) fn string(&self, key: &str) -> String {
        self.strings.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

/// Where a layer's file goes in the merged theme: a template or static
/// file replaces the one below it, but every layer's interface strings are
/// kept (in layer order), so that a theme's `i18n/es.yaml` overrides only
/// the keys it defines.
fn layer_key(rel: &str, layer: u8) -> String {
    if rel.starts_with("i18n/") {
        format!("{rel}\u{0}{layer}")
    } else {
        rel.to_string()
    }
}

/// The built-in theme's files (path under the theme, bytes), sorted by path.
pub(crate) fn built_in_files() -> Vec<(&'static str, &'static [u8])> {
    let mut files: Vec<_> = embedded::FILES.iter().map(|(rel, bytes)| (*rel, *bytes)).collect();
    files.sort();
    files
}

/// Adds the files under `dir` over `files`. Symlinks get the policy of
/// `content/`: followed while they stay inside the report's `themes/`
/// folder, refused with an error when they leave it (a theme folder linked
/// to `/home/…` published whatever was there), loop or point nowhere.
fn overlay(dir: &Path, shown: &str, layer: u8, files: &mut BTreeMap<String, LayerFile>) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    let themes = dir.parent().and_then(|p| p.canonicalize().ok()).unwrap_or_default();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|err| link_error(dir, shown, &err))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(|p| p.starts_with('.')) {
            continue;
        }
        let origin = format!("{shown}/{rel}");
        let inside = entry.path().canonicalize().is_ok_and(|real| real.starts_with(&themes));
        if !inside {
            return Err(Diagnostic::file_error(&origin, Message::ThemeLinkOutside));
        }
        if let Ok(bytes) = std::fs::read(entry.path()) {
            files.insert(layer_key(&rel, layer), LayerFile { rel, origin, bytes });
        }
    }
    Ok(())
}

/// A file of a theme folder that cannot be read: a link that loops or
/// points nowhere, or a folder without permission.
fn link_error(dir: &Path, shown: &str, err: &walkdir::Error) -> Diagnostic {
    let rel = err.path().and_then(|p| p.strip_prefix(dir).ok()).map(|p| p.to_string_lossy().replace('\\', "/"));
    let origin = rel.map_or_else(|| shown.to_string(), |r| format!("{shown}/{r}"));
    let message = match err.io_error().map(std::io::Error::kind) {
        _ if err.loop_ancestor().is_some() => Message::SymlinkLoop,
        Some(std::io::ErrorKind::NotFound) => Message::SymlinkBroken,
        _ => Message::InvalidValue { detail: err.to_string() },
    };
    Diagnostic::file_error(&origin, message)
}

fn build(files: BTreeMap<String, LayerFile>, language: &str) -> Result<Theme, Diagnostic> {
    let mut templates = Vec::new();
    let mut origins = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut i18n: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
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
            i18n.entry(name.to_string()).or_default().push((f.origin, text));
        }
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(escape_for_page);
    let sources = templates.iter().map(|(n, t)| (n.as_str(), t.as_str()));
    tera.add_raw_templates(sources).map_err(|e| syntax_error(&e, &origins, &templates))?;
    register_theme_has(&mut tera, &statics);
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

/// Tera's HTML escaping, with control characters other than tab and newline
/// dropped first: a YAML escape (`"\x07"`) in a title must not reach a page.
fn escape_for_page(text: &str) -> String {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n')) {
        let clean: String = text.chars().filter(|&c| !c.is_control() || matches!(c, '\t' | '\n')).collect();
        return tera::escape_html(&clean);
    }
    tera::escape_html(text)
}

/// `theme_has(path="extra.css")` in templates: whether the theme ships that
/// static file, so that base.html links a theme's `static/extra.css`
/// after the default stylesheet without the theme overriding base.html.
fn register_theme_has(tera: &mut tera::Tera, statics: &BTreeMap<String, Vec<u8>>) {
    let names: std::collections::BTreeSet<String> = statics.keys().cloned().collect();
    tera.register_function("theme_has", move |args: &std::collections::HashMap<String, tera::Value>| {
        let path = args.get("path").and_then(tera::Value::as_str).unwrap_or_default();
        Ok(tera::Value::Bool(names.contains(path)))
    });
}

/// Spanish first, then the report language's files over it, each language
/// built in first and then each theme layer's keys over it, so that a
/// missing key still reads in a real language.
fn strings(
    i18n: &BTreeMap<String, Vec<(String, String)>>,
    language: &str,
) -> Result<BTreeMap<String, String>, Diagnostic> {
    let primary = language.split(['-', '_']).next().unwrap_or("es").to_ascii_lowercase();
    let mut out = BTreeMap::new();
    for name in ["es", primary.as_str()] {
        for (origin, text) in i18n.get(name).into_iter().flatten() {
            out.extend(crate::front_matter::parse_strings(origin, text)?);
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
