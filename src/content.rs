//! Discovery: every `*.md` under `content/`, in sorted order, read into
//! [`SourceFile`]s. Symlinks that leave `content/` or loop, invalid UTF-8 and
//! oversized files become diagnostics. Only this module and `theme` read disk.
//! Spreadsheets under `content/` (what `rows_from:` may name) are read too,
//! as bytes, under the same rules.

use crate::diagnostics::{Diagnostic, Message, Span};
use crate::source::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use walkdir::WalkDir;

/// Files larger than this are refused: no real section comes close, and it
/// keeps a stray data dump from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// `content/_index.md`, when present.
    pub index: Option<SourceFile>,
    /// Every other Markdown file, sorted by path.
    pub sections: Vec<SourceFile>,
    /// Spreadsheets a table may take its rows from.
    pub data: DataFiles,
    /// Problems reading files.
    pub problems: Vec<Diagnostic>,
}

/// The spreadsheets under `content/`, by path relative to it (`/`
/// separated), with their bytes.
#[derive(Debug, Default, Clone)]
pub struct DataFiles {
    files: BTreeMap<String, Arc<[u8]>>,
}

impl DataFiles {
    /// The bytes of the spreadsheet at `path`, relative to `content/`.
    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    /// One XXH3-128 of every path and its bytes, in path order.
    pub fn digest(&self) -> u128 {
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
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Arc<[u8]>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

/// True for the files `rows_from:` may name.
fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| crate::spreadsheet::EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Files read by an earlier discovery of this process (`serve`): a file
/// whose size and modification time are unchanged is not read again.
#[derive(Debug, Default)]
pub struct Seen {
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

/// How long after its last write a file's time is trusted to show the next.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(1);

/// Walks `root/content`.
pub fn discover(root: &Path) -> Discovered {
    discover_with(root, None)
}

/// [`discover`], reusing files from `seen` that have not changed.
pub fn discover_with(root: &Path, seen: Option<&Seen>) -> Discovered {
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
        let spreadsheet = is_spreadsheet(path);
        if !entry.file_type().is_file() || (!spreadsheet && path.extension().is_none_or(|e| e != "md")) {
            continue;
        }
        let shown = display(root, path);
        let plain = !entry.path_is_symlink() && !linked.iter().any(|l| path.starts_with(l));
        let real = match path.strip_prefix(&content) {
            Ok(rel) if plain => Some(canonical_content.join(rel)),
            _ => None,
        };
        if spreadsheet {
            let key = shown.strip_prefix("content/").unwrap_or(&shown).to_string();
            match read_bytes(path, real, &canonical_content, &shown) {
                Ok((bytes, _)) => found.data.insert(key, bytes),
                Err(d) => found.problems.push(d),
            }
            continue;
        }
        match read(path, real, &canonical_content, &shown, seen) {
            Ok(file) if path == content.join("_index.md") => found.index = Some(file),
            Ok(file) => found.sections.push(file),
            Err(d) => found.problems.push(d),
        }
    }
    if found.index.is_none() && found.problems.is_empty() {
        found.problems.push(Diagnostic::file_error("content/_index.md", Message::MissingIndex));
    }
    found
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
    let real = resolve(path, real, content, shown)?;
    if let Some(file) = seen.and_then(|s| s.get(&real)) {
        return Ok(file);
    }
    let (bytes, meta) = read_bytes(path, Some(real.clone()), content, shown)?;
    let size = meta.len();
    let text =
        String::from_utf8(bytes).map_err(|e| invalid_utf8(path, shown, e.as_bytes(), e.utf8_error().valid_up_to()))?;
    let source = SourceFile::new(path, shown.to_string(), &text);
    if let (Some(seen), Ok(modified)) = (seen, meta.modified()) {
        seen.keep(real, modified, size, &source);
    }
    Ok(source)
}

/// Where `path` really is: `real` when known (no symlink on the way), else
/// found and checked to be inside `content`.
fn resolve(path: &Path, real: Option<PathBuf>, content: &Path, shown: &str) -> Result<PathBuf, Diagnostic> {
    let real = match real {
        Some(r) => r,
        None => path.canonicalize().map_err(|_| Diagnostic::file_error(shown, Message::SymlinkLoop))?,
    };
    if !real.starts_with(content) {
        return Err(Diagnostic::file_error(shown, Message::SymlinkOutside));
    }
    Ok(real)
}

/// The bytes of `path` (see [`resolve`]), refused past [`MAX_FILE_BYTES`].
fn read_bytes(
    path: &Path,
    real: Option<PathBuf>,
    content: &Path,
    shown: &str,
) -> Result<(Vec<u8>, std::fs::Metadata), Diagnostic> {
    use std::io::Read as _;
    let real = resolve(path, real, content, shown)?;
    let failed = |e: std::io::Error| Diagnostic::file_error(shown, Message::InvalidValue { detail: e.to_string() });
    let mut file = std::fs::File::open(&real).map_err(failed)?;
    let meta = file.metadata().map_err(failed)?;
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::file_error(shown, Message::FileTooLarge { size, limit: MAX_FILE_BYTES }));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(failed)?;
    Ok((bytes, meta))
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
