//! A small zip writer for the offline copy: deflated entries with fixed
//! timestamps, Unix permissions and UTF-8 names, so the same files give the
//! same bytes. Each entry is packed on its own, as its local header and data,
//! so entries pack in parallel and can be cached; the archive is then their
//! concatenation and a central directory. Each thread keeps its compressors
//! and reuses them between entries: the zip crate made a new one per entry,
//! whose set-up (allocating and clearing its tables) was a tenth of a
//! 1,000-section build.
//!
//! Entries are deflated by libdeflate, which packs a whole buffer at once:
//! on the pages of the 1,000-section benchmark its level 1 took two thirds
//! of the time of zlib-rs at level 2 for 5 % smaller output (103 against
//! 153 ms; 20.5 % against 21.5 % of the input). A file too large to copy
//! into one buffer more (the whole-report page of a huge report) is
//! streamed through zlib-rs instead.

use flate2::write::DeflateEncoder;
use flate2::Compression;
use libdeflater::{CompressionLvl, Compressor, Crc};
use std::cell::RefCell;
use std::io::Write as _;

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const END64: u32 = 0x0606_4b50;
const LOCATOR64: u32 = 0x0706_4b50;
/// 1980-01-01 00:00, the earliest date zip can say.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Bit 11: names are UTF-8.
const FLAGS: u16 = 1 << 11;
const DEFLATE: u16 = 8;
const VERSION: u16 = 20;
const VERSION64: u16 = 45;
/// Made by Unix (3), so that the permissions below are read.
const MADE_BY: u16 = (3 << 8) | VERSION64;
const MODE: u32 = 0o100_644;
const LOCAL_HEADER: usize = 30;

/// libdeflate's level for entries packed whole.
const WHOLE_LEVEL: i32 = 1;
/// zlib-rs's level for entries streamed: about libdeflate's level 1 in size.
const STREAM_LEVEL: u32 = 2;
/// Entries larger than this are streamed, not copied into one buffer.
const STREAM_ABOVE: usize = 32 << 20;

/// A thread's compressors, the buffer an entry's parts are joined in and the
/// one libdeflate writes to: kept, so that each entry does not allocate and
/// clear buffers as large as itself.
struct Packers {
    whole: Compressor,
    joined: Vec<u8>,
    packed: Vec<u8>,
    stream: Option<DeflateEncoder<Vec<u8>>>,
}

thread_local! {
    static PACKERS: RefCell<Option<Packers>> = const { RefCell::new(None) };
}

/// Why an archive could not be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ArchiveError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("a file in the offline copy is over 4 GB")]
    TooLarge,
    #[error("not a packed entry")]
    NotAnEntry,
}

/// Packs one file named `name`, given as `parts` in order: its local header
/// followed by its deflated data.
pub(crate) fn entry(name: &str, parts: &[&[u8]]) -> Result<Vec<u8>, ArchiveError> {
    let size: usize = parts.iter().map(|p| p.len()).sum();
    pack(name, parts, size, size > STREAM_ABOVE)
}

/// [`entry`] of `size` bytes, streamed or packed whole as `stream` says.
fn pack(name: &str, parts: &[&[u8]], size: usize, stream: bool) -> Result<Vec<u8>, ArchiveError> {
    let (Ok(size32), Ok(name_len)) = (u32::try_from(size), u16::try_from(name.len())) else {
        return Err(ArchiveError::TooLarge);
    };
    // The header goes first into the output, with its checksum and packed
    // size filled in after: no second copy of the data.
    let mut out = Vec::with_capacity(LOCAL_HEADER + name.len() + size / 3 + 64);
    put32(&mut out, LOCAL);
    put16(&mut out, VERSION);
    put16(&mut out, FLAGS);
    put16(&mut out, DEFLATE);
    put16(&mut out, 0);
    put16(&mut out, DOS_DATE);
    put32(&mut out, 0); // crc, below
    put32(&mut out, 0); // packed size, below
    put32(&mut out, size32);
    put16(&mut out, name_len);
    put16(&mut out, 0);
    out.extend_from_slice(name.as_bytes());
    let data_start = out.len();
    let mut crc = Crc::new();
    parts.iter().for_each(|p| crc.update(p));
    let mut out = PACKERS.with(|cell| -> Result<Vec<u8>, ArchiveError> {
        let mut slot = cell.borrow_mut();
        let packers = slot.get_or_insert_with(|| Packers {
            whole: Compressor::new(CompressionLvl::new(WHOLE_LEVEL).unwrap_or_default()),
            joined: Vec::new(),
            packed: Vec::new(),
            stream: None,
        });
        if stream {
            deflate_stream(packers, out, parts)
        } else {
            deflate_whole(packers, out, parts)
        }
    })?;
    let packed = out.len().saturating_sub(data_start);
    let packed = u32::try_from(packed).map_err(|_| ArchiveError::TooLarge)?;
    let fields = out.get_mut(14..22).ok_or(ArchiveError::NotAnEntry)?;
    fields[..4].copy_from_slice(&crc.sum().to_le_bytes());
    fields[4..].copy_from_slice(&packed.to_le_bytes());
    Ok(out)
}

/// Appends `parts` deflated by libdeflate, joined first in the thread's buffer.
fn deflate_whole(packers: &mut Packers, mut out: Vec<u8>, parts: &[&[u8]]) -> Result<Vec<u8>, ArchiveError> {
    let input: &[u8] = match parts {
        [one] => one,
        _ => {
            packers.joined.clear();
            parts.iter().for_each(|p| packers.joined.extend_from_slice(p));
            &packers.joined
        }
    };
    let bound = packers.whole.deflate_compress_bound(input.len());
    if packers.packed.len() < bound {
        packers.packed.resize(bound, 0);
    }
    let written = packers.whole.deflate_compress(input, &mut packers.packed).map_err(|_| ArchiveError::TooLarge)?;
    out.extend_from_slice(packers.packed.get(..written).ok_or(ArchiveError::TooLarge)?);
    Ok(out)
}

/// Appends `parts` deflated by zlib-rs as they come.
fn deflate_stream(packers: &mut Packers, out: Vec<u8>, parts: &[&[u8]]) -> Result<Vec<u8>, ArchiveError> {
    let enc = packers.stream.get_or_insert_with(|| DeflateEncoder::new(Vec::new(), Compression::new(STREAM_LEVEL)));
    enc.reset(out)?;
    for p in parts {
        enc.write_all(p)?;
    }
    enc.try_finish()?;
    Ok(enc.reset(Vec::new())?)
}

/// What follows `entries` (made by [`entry`], in the order given) to make
/// them an archive: the central directory and the end records. The entries
/// themselves are not copied: the archive is written as they are, then this.
pub(crate) fn directory(entries: &[&[u8]]) -> Result<Vec<u8>, ArchiveError> {
    let mut out = Vec::with_capacity(entries.len() * 80 + 100);
    let mut offset = 0usize;
    for e in entries {
        let header = e.get(..LOCAL_HEADER).ok_or(ArchiveError::NotAnEntry)?;
        if u32::from_le_bytes([header[0], header[1], header[2], header[3]]) != LOCAL {
            return Err(ArchiveError::NotAnEntry);
        }
        let offset32 = u32::try_from(offset).map_err(|_| ArchiveError::TooLarge)?;
        let name_len = usize::from(u16::from_le_bytes([header[26], header[27]]));
        let name = e.get(LOCAL_HEADER..LOCAL_HEADER + name_len).ok_or(ArchiveError::NotAnEntry)?;
        put32(&mut out, CENTRAL);
        put16(&mut out, MADE_BY);
        // Version needed, flags, method, time, date, crc, sizes and name
        // length: as in the local header.
        out.extend_from_slice(&header[4..28]);
        put16(&mut out, 0); // extra field
        put16(&mut out, 0); // comment
        put16(&mut out, 0); // disk
        put16(&mut out, 0); // internal attributes
        put32(&mut out, MODE << 16);
        put32(&mut out, offset32);
        out.extend_from_slice(name);
        offset += e.len();
    }
    let size = out.len();
    end_records(&mut out, entries.len(), offset, size)?;
    Ok(out)
}

/// The end of central directory record, preceded by its zip64 form when
/// there are more entries than the classic record can count (65,535).
fn end_records(out: &mut Vec<u8>, count: usize, start: usize, size: usize) -> Result<(), ArchiveError> {
    let (Ok(start32), Ok(size32)) = (u32::try_from(start), u32::try_from(size)) else {
        return Err(ArchiveError::TooLarge);
    };
    let count16 = match u16::try_from(count) {
        Ok(n) if n < u16::MAX => n,
        _ => {
            // The zip64 end record follows the directory.
            let end64 = (start + size) as u64;
            put32(out, END64);
            out.extend_from_slice(&44u64.to_le_bytes());
            put16(out, MADE_BY);
            put16(out, VERSION64);
            put32(out, 0);
            put32(out, 0);
            out.extend_from_slice(&(count as u64).to_le_bytes());
            out.extend_from_slice(&(count as u64).to_le_bytes());
            out.extend_from_slice(&(size as u64).to_le_bytes());
            out.extend_from_slice(&(start as u64).to_le_bytes());
            put32(out, LOCATOR64);
            put32(out, 0);
            out.extend_from_slice(&end64.to_le_bytes());
            put32(out, 1);
            u16::MAX
        }
    };
    put32(out, END);
    put16(out, 0);
    put16(out, 0);
    put16(out, count16);
    put16(out, count16);
    put32(out, size32);
    put32(out, start32);
    put16(out, 0);
    Ok(())
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    /// The archive as one run of bytes.
    fn archive(entries: &[&[u8]]) -> Result<Vec<u8>, ArchiveError> {
        let mut out = entries.concat();
        out.extend(directory(entries)?);
        Ok(out)
    }

    fn read_back(bytes: Vec<u8>) -> Vec<(String, Vec<u8>, Option<u32>)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid zip");
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).expect("entry");
                let mut data = Vec::new();
                f.read_to_end(&mut data).expect("inflate and crc");
                (f.name().to_string(), data, f.unix_mode())
            })
            .collect()
    }

    #[test]
    fn entries_read_back_with_their_names_bytes_and_permissions() {
        let page = "<p>Año 2018: ñandú</p>".repeat(500);
        let a = entry("top/índice.html", &[page.as_bytes(), b"!"]).expect("pack");
        let b = entry("top/datos/a.csv", &[b""]).expect("pack");
        let files = read_back(archive(&[&a, &b]).expect("archive"));
        assert_eq!(files[0].0, "top/índice.html");
        assert_eq!(files[0].1, format!("{page}!").into_bytes());
        assert_eq!(files[0].2, Some(0o100_644));
        assert_eq!((files[1].0.as_str(), files[1].1.len()), ("top/datos/a.csv", 0));
    }

    #[test]
    fn a_reused_compressor_gives_the_same_bytes_as_a_fresh_one() {
        let first = entry("a", &[b"uno dos tres uno dos tres"]).expect("pack");
        let _ = entry("b", &[&[7u8; 100_000]]).expect("pack");
        let again =
            std::thread::spawn(|| entry("a", &[b"uno dos tres uno dos tres"]).expect("pack")).join().expect("thread");
        assert_eq!(first, again);
    }

    #[test]
    fn streamed_and_whole_entries_read_back_the_same() {
        let page = "<p>Año 2018: ñandú</p>".repeat(5000);
        let parts: [&[u8]; 3] = [b"<main>", page.as_bytes(), b"</main>"];
        let size = parts.iter().map(|p| p.len()).sum();
        let whole = pack("a.html", &parts, size, false).expect("pack");
        let streamed = pack("a.html", &parts, size, true).expect("pack");
        assert_ne!(whole, streamed, "two compressors");
        for packed in [whole, streamed] {
            let files = read_back(archive(&[&packed]).expect("archive"));
            assert_eq!(files[0].1, parts.concat());
        }
    }

    #[test]
    fn more_entries_than_the_classic_format_counts_use_zip64_end_records() {
        // One packed entry, renamed by hand (names have the same length).
        let one = entry("f00000", &[b"1"]).expect("pack");
        let many: Vec<Vec<u8>> = (0..70_000)
            .map(|i| {
                let mut e = one.clone();
                e[LOCAL_HEADER..LOCAL_HEADER + 6].copy_from_slice(format!("f{i:05}").as_bytes());
                e
            })
            .collect();
        let refs: Vec<&[u8]> = many.iter().map(Vec::as_slice).collect();
        let zip = zip::ZipArchive::new(std::io::Cursor::new(archive(&refs).expect("archive"))).expect("zip64 read");
        assert_eq!(zip.len(), 70_000);
    }

    #[test]
    fn something_else_is_refused() {
        assert!(matches!(archive(&[b"not a zip entry at all, no no no"]), Err(ArchiveError::NotAnEntry)));
    }
}
