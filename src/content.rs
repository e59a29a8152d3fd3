//! Discovery: every `*.md` under `content/`, in sorted order, read into
//! [`SourceFile`]s. Symlinks that leave `content/` or loop, invalid UTF-8 and
//! oversized files become diagnostics. Only this module and `theme` read disk.
//! Images, attachments and the spreadsheets `rows_from:` may name are read
//! too, as bytes, under the same rules.

use crate::diagnostics::{Diagnostic, Message, Span};
use crate::source::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;
use walkdir::WalkDir;

/// Files larger than this are refused: no real section comes close, and it
/// keeps a stray data dump from exhausting memory.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What discovery found.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// `content/_index.md`, when present.
    pub index: Option<SourceFile>,
    /// Every other Markdown file, sorted by path.
    pub sections: Vec<SourceFile>,
    /// `content/<folder>/_index.md`: a chapter's title and intro.
    pub chapters: Vec<SourceFile>,
    /// Images and attachments under content/, sorted by path.
    pub assets: Vec<Asset>,
    /// Spreadsheets a table may take its rows from.
    pub data: DataFiles,
    /// Problems reading files.
    pub problems: Vec<Diagnostic>,
}

/// The spreadsheets under content/, by path relative to it (`/`
/// separated), with their bytes.
#[derive(Debug, Default, Clone)]
pub(crate) struct DataFiles {
    files: BTreeMap<String, std::sync::Arc<Vec<u8>>>,
}

impl DataFiles {
    /// The bytes of the spreadsheet at `path`, relative to content/.
    pub(crate) fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| b.as_slice())
    }

    /// One XXH3-128 of every path and its bytes, in path order.
    pub(crate) fn digest(&self) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (path, bytes) in &self.files {
            hasher.update(&(path.len() as u64).to_le_bytes());
            hasher.update(path.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        hasher.digest128()
    }

    /// Adds a file (tests build sets of files without a disk).
    pub(crate) fn insert(&mut self, path: impl Into<String>, bytes: impl Into<std::sync::Arc<Vec<u8>>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

/// True for the files `rows_from:` may name.
fn is_spreadsheet(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    ext.is_some_and(|e| crate::spreadsheet::EXTENSIONS.contains(&e.as_str()))
}

/// Files read by an earlier discovery of this process (`serve`): a file
/// whose size and modification time are unchanged is not read again.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    files: Mutex<HashMap<PathBuf, (SystemTime, u64, SourceFile)>>,
}

impl Seen {
    /// The file at `real` as read before, if it has not changed since.
    fn get(&self, real: &Path) -> Option<SourceFile> {
        let meta = std::fs::metadata(real).ok()?;
        let files = self.files.lock().ok()?;
        let (modified, size, file) = files.get(real)?;
        (meta.modified().ok()? == *modified && meta.len() == *size).then(|| file.clone())
    }

    fn keep(&self, real: PathBuf, modified: SystemTime, size: u64, file: &SourceFile) {
        // File times tick coarsely (a few ms): a file written again in the
        // tick it was read in, at the same size, would look unchanged. So a
        // file modified within the last second is read again next time.
        let settled = SystemTime::now().duration_since(modified).is_ok_and(|age| age > SETTLE);
        if !settled {
            return;
        }
        if let Ok(mut files) = self.files.lock() {
            files.insert(real, (modified, size, file.clone()));
        }
    }
}

/// A file beside the Markdown that the site carries: an image or an
/// attachment. Its bytes are data of the model, so a changed image is a
/// changed input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Asset {
    /// Path below content/ with `/` separators: `02-logros/img/foto.jpg`.
    pub rel: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// Images and the attachments a report links to; anything else under
/// content/ (editors' notes, spreadsheets' lock files) stays out of the site.
pub(crate) const ASSET_EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "webp", "svg", "pdf", "xlsx", "docx"];

/// Attachments larger than this are refused: the offline copy carries every
/// one of them, and a citizen on a phone downloads it.
pub(crate) const MAX_ASSET_BYTES: u64 = 32 * 1024 * 1024;

fn is_asset(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    ext.is_some_and(|e| ASSET_EXTENSIONS.contains(&e.as_str()))
}

/// How long after its last write a file's time is trusted to show the next.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(1);

/// Walks `root/content`.
pub(crate) fn discover(root: &Path) -> Discovered {
    discover_with(root, None)
}

/// [`discover`], reusing files from `seen` that have not changed.
pub(crate) fn discover_with(root: &Path, seen: Option<&Seen>) -> Discovered {
    let content = root.join("content");
    let mut found = Discovered::default();
    let canonical_content = match content.canonicalize() {
        Ok(c) => c,
        Err(_) => {
            found.problems.push(Diagnostic::file_error("content/_index.md", Message::MissingIndex));
            return found;
        }
    };
    let walker = WalkDir::new(&content).follow_links(true).sort_by_file_name();
    // Folders reached through a symlink: files under them are resolved and
    // checked; any other file is where its path says (resolving each one
    // cost a system call per path component, a tenth of a `serve` rebuild).
    let mut linked: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let shown = err.path().map_or_else(|| "content".to_string(), |p| display(root, p));
                let message =
                    if err.loop_ancestor().is_some() { Message::SymlinkLoop } else { link_problem(err.path(), &err) };
                found.problems.push(Diagnostic::file_error(&shown, message));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() && entry.path_is_symlink() {
            linked.push(path.to_path_buf());
        }
        let (asset, spreadsheet) = (is_asset(path), is_spreadsheet(path));
        if entry.file_type().is_file() && (asset || spreadsheet) {
            match read_asset(path, &content, &canonical_content, &display(root, path)) {
                Ok(file) => {
                    // An .xlsx is both: read once, shared.
                    if spreadsheet {
                        found.data.insert(file.rel.clone(), std::sync::Arc::clone(&file.bytes));
                    }
                    if asset {
                        found.assets.push(file);
                    }
                }
                Err(d) => found.problems.push(d),
            }
            continue;
        }
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let shown = display(root, path);
        let plain = !entry.path_is_symlink() && !linked.iter().any(|l| path.starts_with(l));
        let real = match path.strip_prefix(&content) {
            Ok(rel) if plain => Some(canonical_content.join(rel)),
            _ => None,
        };
        match read(path, real, &canonical_content, &shown, seen) {
            Ok(file) if path == content.join("_index.md") => found.index = Some(file),
            Ok(file) if is_chapter_index(path, &content) => found.chapters.push(file),
            Ok(file) => found.sections.push(file),
            Err(d) => found.problems.push(d),
        }
    }
    if found.index.is_none() && found.problems.is_empty() {
        found.problems.push(Diagnostic::file_error("content/_index.md", Message::MissingIndex));
    }
    found
}

/// `content/<folder>/_index.md`: the one file of a chapter folder that is
/// not a section.
fn is_chapter_index(path: &Path, content: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "_index.md") && path.parent().and_then(Path::parent) == Some(content)
}

/// Reads `path`, whose real place is `real` when known (no symlink on the
/// way), else found and checked to be inside `content`.
fn read(
    path: &Path,
    real: Option<PathBuf>,
    content: &Path,
    shown: &str,
    seen: Option<&Seen>,
) -> Result<SourceFile, Diagnostic> {
    use std::io::Read as _;
    let real = match real {
        Some(r) => r,
        None => path.canonicalize().map_err(|_| Diagnostic::file_error(shown, Message::SymlinkLoop))?,
    };
    if !real.starts_with(content) {
        return Err(Diagnostic::file_error(shown, Message::SymlinkOutside));
    }
    if let Some(file) = seen.and_then(|s| s.get(&real)) {
        return Ok(file);
    }
    let failed = |e: std::io::Error| Diagnostic::file_error(shown, Message::InvalidValue { detail: e.to_string() });
    let mut file = std::fs::File::open(&real).map_err(failed)?;
    let meta = file.metadata().map_err(failed)?;
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::file_error(shown, Message::FileTooLarge { size, limit: MAX_FILE_BYTES }));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(failed)?;
    let text =
        String::from_utf8(bytes).map_err(|e| invalid_utf8(path, shown, e.as_bytes(), e.utf8_error().valid_up_to()))?;
    let source = SourceFile::new(path, shown.to_string(), &text);
    if let (Some(seen), Ok(modified)) = (seen, meta.modified()) {
        seen.keep(real, modified, size, &source);
    }
    Ok(source)
}

/// Reads an image or attachment, refusing one whose real place is outside
/// content/ (a symlink) or that is too large.
fn read_asset(path: &Path, content: &Path, canonical_content: &Path, shown: &str) -> Result<Asset, Diagnostic> {
    let real = path.canonicalize().map_err(|_| Diagnostic::file_error(shown, Message::SymlinkLoop))?;
    if !real.starts_with(canonical_content) {
        return Err(Diagnostic::file_error(shown, Message::SymlinkOutside));
    }
    let failed = |e: std::io::Error| Diagnostic::file_error(shown, Message::InvalidValue { detail: e.to_string() });
    let size = std::fs::metadata(&real).map_err(failed)?.len();
    if size > MAX_ASSET_BYTES {
        return Err(Diagnostic::file_error(shown, Message::FileTooLarge { size, limit: MAX_ASSET_BYTES }));
    }
    let bytes = std::fs::read(&real).map_err(failed)?;
    let rel = path.strip_prefix(content).unwrap_or(path);
    let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    Ok(Asset { rel, bytes: bytes.into() })
}

/// Points at the first byte that is not UTF-8: the editor can find it.
fn invalid_utf8(path: &Path, shown: &str, bytes: &[u8], valid: usize) -> Diagnostic {
    // The prefix is valid UTF-8 by definition; normalised the same way as
    // the whole file, so that line numbers match the editor's.
    let prefix = SourceFile::new(path, shown.to_string(), &String::from_utf8_lossy(&bytes[..valid]));
    let (line, col) = prefix.position(prefix.text.len());
    let whole = SourceFile::new(path, shown.to_string(), &String::from_utf8_lossy(bytes));
    Diagnostic::error(&whole, Span::new(line, col), Message::InvalidUtf8)
}

/// Why a link could not be followed: it leads back to itself, or nowhere.
fn link_problem(path: Option<&Path>, err: &walkdir::Error) -> Message {
    let Some(mut at) = path.map(Path::to_path_buf) else {
        return Message::InvalidValue { detail: err.to_string() };
    };
    let mut seen = std::collections::BTreeSet::new();
    while let Ok(target) = std::fs::read_link(&at) {
        if !seen.insert(at.clone()) {
            return Message::SymlinkLoop;
        }
        at = at.parent().map_or_else(|| target.clone(), |p| p.join(&target));
    }
    if seen.is_empty() || at.symlink_metadata().is_ok() {
        // Not a link problem (permissions, a vanished file): say what it is.
        return Message::InvalidValue { detail: err.to_string() };
    }
    Message::SymlinkBroken
}

/// `content/02-x.md` style path for messages, relative to the report root.
fn display(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).map_or_else(|_| path.to_path_buf(), Path::to_path_buf);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
