//! A small zip writer for the offline copy: deflated entries with fixed
//! timestamps, Unix permissions and UTF-8 names, so the same files give the
//! same bytes. Each entry is packed on its own, as its local header and data,
//! so entries pack in parallel and can be cached; the archive is then their
//! concatenation and a central directory. Each thread keeps one compressor
//! and resets it between entries: the zip crate makes a new one per entry,
//! whose set-up (allocating and clearing its tables) was a tenth of a
//! 1,000-section build.

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
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

thread_local! {
    static ENCODER: RefCell<Option<(u32, DeflateEncoder<Vec<u8>>)>> = const { RefCell::new(None) };
}

/// Why an archive could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("a file in the offline copy is over 4 GB")]
    TooLarge,
    #[error("not a packed entry")]
    NotAnEntry,
}

/// Packs one file named `name`, given as `parts` in order: its local header
/// followed by its deflated data.
pub fn entry(name: &str, parts: &[&[u8]], level: u32) -> Result<Vec<u8>, ArchiveError> {
    let size: usize = parts.iter().map(|p| p.len()).sum();
    let (Ok(size32), Ok(name_len)) = (u32::try_from(size), u16::try_from(name.len())) else {
        return Err(ArchiveError::TooLarge);
    };
    // The header goes first into the compressor's own output, with its
    // checksum and packed size filled in after: no second copy of the data.
    let mut head = Vec::with_capacity(LOCAL_HEADER + name.len() + size / 3 + 64);
    put32(&mut head, LOCAL);
    put16(&mut head, VERSION);
    put16(&mut head, FLAGS);
    put16(&mut head, DEFLATE);
    put16(&mut head, 0);
    put16(&mut head, DOS_DATE);
    put32(&mut head, 0); // crc, below
    put32(&mut head, 0); // packed size, below
    put32(&mut head, size32);
    put16(&mut head, name_len);
    put16(&mut head, 0);
    head.extend_from_slice(name.as_bytes());
    let data_start = head.len();
    let mut crc = Crc::new();
    let mut out = ENCODER.with(|cell| -> std::io::Result<Vec<u8>> {
        let mut slot = cell.borrow_mut();
        let fresh = || (level, DeflateEncoder::new(Vec::new(), Compression::new(level)));
        if slot.as_ref().is_none_or(|(l, _)| *l != level) {
            *slot = Some(fresh());
        }
        let (_, enc) = slot.get_or_insert_with(fresh);
        enc.reset(head)?;
        for p in parts {
            crc.update(p);
            enc.write_all(p)?;
        }
        enc.try_finish()?;
        enc.reset(Vec::new())
    })?;
    let packed = out.len().saturating_sub(data_start);
    let packed = u32::try_from(packed).map_err(|_| ArchiveError::TooLarge)?;
    let fields = out.get_mut(14..22).ok_or(ArchiveError::NotAnEntry)?;
    fields[..4].copy_from_slice(&crc.sum().to_le_bytes());
    fields[4..].copy_from_slice(&packed.to_le_bytes());
    Ok(out)
}

/// What follows `entries` (made by [`entry`], in the order given) to make
/// them an archive: the central directory and the end records. The entries
/// themselves are not copied: the archive is written as they are, then this.
pub fn directory(entries: &[&[u8]]) -> Result<Vec<u8>, ArchiveError> {
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
        let a = entry("top/índice.html", &[page.as_bytes(), b"!"], 2).expect("pack");
        let b = entry("top/datos/a.csv", &[b""], 2).expect("pack");
        let files = read_back(archive(&[&a, &b]).expect("archive"));
        assert_eq!(files[0].0, "top/índice.html");
        assert_eq!(files[0].1, format!("{page}!").into_bytes());
        assert_eq!(files[0].2, Some(0o100_644));
        assert_eq!((files[1].0.as_str(), files[1].1.len()), ("top/datos/a.csv", 0));
    }

    #[test]
    fn a_reused_compressor_gives_the_same_bytes_as_a_fresh_one() {
        let first = entry("a", &[b"uno dos tres uno dos tres"], 2).expect("pack");
        let _ = entry("b", &[&[7u8; 100_000]], 2).expect("pack");
        let again = std::thread::spawn(|| entry("a", &[b"uno dos tres uno dos tres"], 2).expect("pack"))
            .join()
            .expect("thread");
        assert_eq!(first, again);
    }

    #[test]
    fn more_entries_than_the_classic_format_counts_use_zip64_end_records() {
        // One packed entry, renamed by hand (names have the same length).
        let one = entry("f00000", &[b"1"], 2).expect("pack");
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
