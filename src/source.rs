//! A content file as the editor sees it: its display path, its text (BOM
//! removed, CRLF folded to LF so line numbers match the editor), and a line
//! index to turn byte offsets into line and column.

use std::path::{Path, PathBuf};

/// One source file held in memory.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    /// Path relative to the report root, with `/` separators, for messages.
    pub display: String,
    /// Absolute or root-joined path on disk.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Builds a source file from raw text, normalising BOM and line endings.
    pub fn new(path: &Path, display: String, raw: &str) -> Self {
        let text = normalise(raw);
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { display, path: path.to_path_buf(), text, line_starts }
    }

    /// The text of line `line` (1-based), without its newline; empty if absent.
    pub fn line(&self, line: usize) -> &str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.line_starts.get(i)) else {
            return "";
        };
        let end = self.line_starts.get(line).map_or(self.text.len(), |&next| next - 1);
        self.text.get(start..end).unwrap_or("")
    }

    /// Line (1-based) and column (1-based, in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let col = self.text.get(start..offset.min(self.text.len())).map_or(0, |s| s.chars().count());
        (idx + 1, col + 1)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Removes a leading BOM and turns CRLF (and lone CR) into LF.
fn normalise(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return raw.to_string();
    }
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_invisible_to_line_numbers() {
        let f = SourceFile::new(Path::new("a.md"), "a.md".into(), "\u{feff}uno\r\ndos\r\ntres");
        assert_eq!(f.line(1), "uno");
        assert_eq!(f.line(2), "dos");
        assert_eq!(f.line(3), "tres");
        assert_eq!(f.line(4), "");
        assert_eq!(f.position(4), (2, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new(Path::new("a.md"), "a.md".into(), "año: x");
        assert_eq!(f.position("año: ".len()), (1, 6));
    }
}
