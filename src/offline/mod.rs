//! The offline copy: every file of the site packed into one zip, its pages
//! without what only makes sense online (the theme marks it), and the size
//! the online pages show for it. Pure: the files in, the zip's parts out.

use crate::error::{Error, Result};
use crate::render::{OutputFile, Part};
use std::sync::Arc;

/// A packed zip entry, shared (with whoever keeps it for the next build).
pub(crate) type Entry = Arc<Vec<u8>>;

/// Packs one entry: its path in the archive and its bytes as slices.
/// `site.rs` hands in one that reuses what an earlier build packed.
pub(crate) type Packer<'a> = &'a (dyn Fn(&str, &[&[u8]]) -> Result<Entry> + Sync);

/// Packs one entry afresh: the [`Packer`] that keeps nothing.
pub(crate) fn pack_entry(path: &str, parts: &[&[u8]]) -> Result<Entry> {
    crate::archive::entry(path, parts).map(Arc::new).map_err(zip_error)
}

/// Adds the offline copy `<name>.zip` to `files` and puts its size where
/// pages show it. Its pages leave out what only makes sense online (the
/// link to the zip itself), so the zip is packed once and the online pages
/// then show its exact size.
pub(crate) fn with_offline_copy(
    files: Vec<OutputFile>,
    name: &str,
    decimal_separator: &str,
    pack: Packer,
) -> Result<Vec<OutputFile>> {
    let zip = OutputFile::from_parts(format!("{name}.zip"), zip(&files, name, &offline_parts, pack)?);
    let mut files = fill_zip_size(files, &human_size(zip.len(), decimal_separator));
    files.push(zip);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Puts `label` where pages show the zip's size (`—` when there is no zip).
pub(crate) fn fill_zip_size(mut files: Vec<OutputFile>, label: &str) -> Vec<OutputFile> {
    files.iter_mut().for_each(|f| f.fill_zip_size(label));
    files
}

use crate::html::{ONLINE_END, ONLINE_START};

/// A file as the offline copy holds it, as the slices to write in order (no
/// copy is made): pages lose what the theme marked online-only. Only the
/// theme's text can hold the marks, so section bodies (most of a page's
/// bytes) pass through unread; a block may span parts (the zip's size sits
/// inside the link to the zip).
fn offline_parts(file: &OutputFile) -> Vec<&[u8]> {
    if !file.path.ends_with(".html") {
        return file.parts().collect();
    }
    let mut parts = Vec::new();
    let mut inside = false;
    for part in file.raw_parts() {
        match part {
            Part::Owned(bytes) => inside = strip_online_only(bytes, inside, &mut parts),
            other if !inside => parts.push(&**other),
            _ => {}
        }
    }
    parts
}

/// Pushes the slices of `bytes` outside `<!--cuenta:online-->…<!--/cuenta:online-->`
/// blocks (`inside`: a block opened in an earlier part); returns whether a
/// block is still open at the end.
fn strip_online_only<'a>(bytes: &'a [u8], mut inside: bool, parts: &mut Vec<&'a [u8]>) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        parts.push(bytes);
        return inside;
    };
    let mut rest = text;
    loop {
        if inside {
            match rest.find(ONLINE_END) {
                Some(end) => {
                    rest = &rest[end + ONLINE_END.len()..];
                    inside = false;
                }
                None => return true,
            }
        } else {
            match rest.find(ONLINE_START) {
                Some(start) => {
                    parts.push(&rest.as_bytes()[..start]);
                    rest = &rest[start + ONLINE_START.len()..];
                    inside = true;
                }
                None => {
                    parts.push(rest.as_bytes());
                    return false;
                }
            }
        }
    }
}

/// Packs `files` under one top folder, with fixed timestamps and sorted
/// entries so that the same input gives a byte-identical zip. Entries are
/// packed in parallel; the archive is returned as its parts. `transform`
/// gives a file as the archive holds it, as slices of it, so a file is
/// adapted without being copied.
fn zip(
    files: &[OutputFile],
    top: &str,
    transform: &(dyn Fn(&OutputFile) -> Vec<&[u8]> + Sync),
    pack: Packer,
) -> Result<Vec<Part>> {
    use rayon::prelude::*;
    let mut sorted: Vec<&OutputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    // Largest first, so the whole-report page (often half the bytes) starts
    // at once on one core while the other packs the rest.
    let mut by_size: Vec<usize> = (0..sorted.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(sorted[i].len()));
    let mut packed: Vec<(usize, Result<Entry>)> = by_size
        .par_iter()
        .map(|&i| {
            let parts = transform(sorted[i]);
            (i, pack(&format!("{top}/{}", sorted[i].path), &parts))
        })
        .collect();
    packed.sort_by_key(|(i, _)| *i);
    let entries = packed.into_iter().map(|(_, p)| p).collect::<Result<Vec<Entry>>>()?;
    let slices: Vec<&[u8]> = entries.iter().map(|e| e.as_slice()).collect();
    let directory = crate::archive::directory(&slices).map_err(zip_error)?;
    // The entries are kept as they are (shared with whoever keeps them), not
    // copied into one buffer: the archive is written part by part.
    let mut parts: Vec<Part> = entries.into_iter().map(Part::Bytes).collect();
    parts.push(Part::Owned(directory));
    Ok(parts)
}

fn zip_error(e: crate::archive::ArchiveError) -> Error {
    Error::Other(format!("zip: {e}"))
}

/// A human size in the report's language: `412 KB`, `1,2 MB`.
pub(crate) fn human_size(bytes: usize, decimal_separator: &str) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    } else {
        let mb = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        format!("{} MB", mb.replace('.', decimal_separator))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_pages_drop_online_only_blocks() {
        let page = b"<ul><li>a</li><!--cuenta:online--><li>zip</li><!--/cuenta:online--></ul>";
        let mut parts = Vec::new();
        assert!(!strip_online_only(page, false, &mut parts));
        assert_eq!(parts.concat(), b"<ul><li>a</li></ul>");
    }

    #[test]
    fn an_online_only_block_may_hold_the_zip_size() {
        let page = OutputFile::from_parts(
            "a.html",
            vec![
                Part::Owned(b"<p>a</p><!--cuenta:online--><a>zip (".to_vec()),
                Part::ZipSize,
                Part::Owned(b")</a><!--/cuenta:online--><p>b</p>".to_vec()),
            ],
        );
        assert_eq!(offline_parts(&page).concat(), b"<p>a</p><p>b</p>");
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

    #[test]
    fn sizes_read_like_a_download_link() {
        assert_eq!(human_size(412 * 1024 - 10, ","), "412 KB");
        assert_eq!(human_size(1_300_000, ","), "1,2 MB");
        assert_eq!(human_size(10, ","), "1 KB");
    }

    #[test]
    fn zip_is_deterministic_and_sorted() {
        let files = vec![OutputFile::new("b.html", b"b".to_vec()), OutputFile::new("a.html", b"a".to_vec())];
        fn same(f: &OutputFile) -> Vec<&[u8]> {
            f.parts().collect()
        }
        let packed = |files: &[OutputFile]| {
            let parts = zip(files, "top", &same, &pack_entry).expect("zip");
            OutputFile::from_parts("a.zip", parts).bytes().into_owned()
        };
        let one = packed(&files);
        let two = packed(&files.iter().rev().cloned().collect::<Vec<_>>());
        assert_eq!(one, two);
        let archive = zip::ZipArchive::new(std::io::Cursor::new(one)).expect("read");
        let names: Vec<&str> = archive.file_names().collect();
        assert!(names.contains(&"top/a.html") && names.contains(&"top/b.html"));
    }
}
