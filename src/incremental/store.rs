//! The store behind [`super::Reuse`]: values kept by their fingerprint,
//! nowhere (`--no-cache`, `check`), in memory (a `serve` session) or on disk
//! in `.<output>.cuenta-cache/` beside the output folder. Safe to delete at
//! any time: a missing, stale, damaged or older-format file only makes the
//! next build slower.
//!
//! On disk, values are not held in memory: at 10,000 sections they are a
//! quarter of a gigabyte. Opening the store reads only its index; a value is
//! read from the file when asked for, and checked against its checksum. A
//! build writes each new value through to a pending file as soon as it is
//! made; the pending file replaces the store only when the build's site was
//! written. The file is `MAGIC`, cuenta's code fingerprint, then entries of
//! (key, checksum, length, bytes); a file with another magic or fingerprint
//! is ignored whole, a torn entry ends the index.

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use super::{Kept, CODE};

/// The format's version: bumped whenever the layout or an encoding changes.
const MAGIC: &[u8] = b"CUENTA-CACHE-3\n";
/// Identifies the code that produced the values: a file written by any
/// other build of cuenta is ignored.
const FINGERPRINT: &str = CODE;
const FILE: &str = "cache.bin";
const PENDING: &str = "cache.bin.tmp";

/// A key: a value's fingerprint.
pub(crate) type Key = u128;

/// A cached value, shared.
pub(crate) type Value = Arc<Vec<u8>>;

/// The cache file a build started from: where each value is in it.
#[derive(Debug)]
struct Stored {
    file: Mutex<std::fs::File>,
    index: HashMap<Key, Slot>,
}

/// A value's place in the file, and its checksum.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: u64,
    len: usize,
    sum: u64,
}

/// Where new values go.
#[derive(Debug, Default)]
enum Place {
    /// Nowhere: `--no-cache`, or `check`, which writes nothing.
    #[default]
    Nowhere,
    /// Kept in memory for the next build of this process (`serve`).
    Memory,
    /// Written through to the pending file in this folder.
    Disk(PathBuf),
}

/// The pending file a build on disk writes new values into. Dropped before
/// it is committed (the build failed, or was refused), it removes itself and
/// the cache folder if it made it for nothing.
#[derive(Debug)]
struct Pending {
    dir: PathBuf,
    file: BufWriter<std::fs::File>,
    written: HashSet<Key>,
    committed: bool,
}

/// Kept values, loaded from disk or empty.
#[derive(Debug, Default)]
pub(crate) struct Store {
    place: Place,
    stored: Option<Stored>,
    /// Values kept in memory (`serve`), as they are used rather than as bytes.
    kept: RwLock<HashMap<Key, Kept>>,
    used: Mutex<HashSet<Key>>,
    pending: Mutex<Option<Pending>>,
    /// Set when the pending file could not be written: the build goes on,
    /// and the old cache is kept.
    broken: std::sync::atomic::AtomicBool,
}

impl Store {
    /// A store that keeps nothing between builds.
    pub(crate) fn none() -> Self {
        Store::default()
    }

    /// A store held in memory only, for the builds of one process.
    pub(crate) fn in_memory() -> Self {
        Store { place: Place::Memory, ..Store::default() }
    }

    /// Opens the store in `dir`; a missing or unreadable file gives an empty
    /// store. A read-only store serves values but never writes.
    pub(crate) fn open(dir: &Path, writable: bool) -> Self {
        let place = if writable { Place::Disk(dir.to_path_buf()) } else { Place::Nowhere };
        Store { place, stored: Stored::open(&dir.join(FILE)), ..Store::default() }
    }

    /// True when values live in this process only (`serve`).
    pub(crate) fn in_memory_only(&self) -> bool {
        matches!(self.place, Place::Memory)
    }

    /// True when values are written to disk.
    pub(crate) fn on_disk(&self) -> bool {
        matches!(self.place, Place::Disk(_))
    }

    /// The bytes kept on disk under `key`, if any.
    pub(crate) fn get(&self, key: Key) -> Option<Value> {
        let value = self.stored.as_ref()?.read(key)?;
        self.mark_used(key);
        Some(value)
    }

    /// Writes `value` under `key` when the store lives on disk.
    pub(crate) fn put(&self, key: Key, value: &[u8]) {
        if let Place::Disk(dir) = &self.place {
            self.write_through(dir, key, value);
        }
    }

    /// The value kept in memory under `key` by an earlier build of this
    /// process.
    pub(crate) fn kept(&self, key: Key) -> Option<Kept> {
        if !self.in_memory_only() {
            return None;
        }
        let value = self.kept.read().ok()?.get(&key)?.clone();
        self.mark_used(key);
        Some(value)
    }

    /// Keeps `value` for the next build when the store lives in memory.
    pub(crate) fn keep(&self, key: Key, value: Kept) {
        if !self.in_memory_only() {
            return;
        }
        if let Ok(mut kept) = self.kept.write() {
            kept.insert(key, value);
        }
        self.mark_used(key);
    }

    fn mark_used(&self, key: Key) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
    }

    /// Ends a build of a store in memory: what this build did not use is
    /// dropped, so a long session does not keep every version of every page.
    pub(crate) fn end_build(&self) {
        if !self.in_memory_only() {
            return;
        }
        if let (Ok(mut kept), Ok(mut used)) = (self.kept.write(), self.used.lock()) {
            kept.retain(|k, _| used.contains(k));
            used.clear();
        }
    }

    fn write_through(&self, dir: &Path, key: Key, value: &[u8]) {
        use std::sync::atomic::Ordering;
        if self.broken.load(Ordering::Relaxed) {
            return;
        }
        // Checksummed before the lock, which is held only to append.
        let sum = xxhash_rust::xxh3::xxh3_64(value);
        let Ok(mut pending) = self.pending.lock() else { return };
        let written = (|| -> std::io::Result<()> {
            let p = match pending.as_mut() {
                Some(p) => p,
                None => pending.insert(Pending::create(dir)?),
            };
            if p.written.insert(key) {
                write_entry(&mut p.file, key, sum, value)?;
            }
            Ok(())
        })();
        if written.is_err() {
            self.broken.store(true, Ordering::Relaxed);
        }
    }

    /// Makes this build's values the store: those it made (already in the
    /// pending file) and those it reused; the rest are dropped so the store
    /// does not grow forever. Nothing is written when nothing changed.
    pub(crate) fn save(&self) {
        let Place::Disk(dir) = &self.place else { return };
        let (Ok(used), Ok(mut pending)) = (self.used.lock(), self.pending.lock()) else {
            return;
        };
        let stored = self.stored.as_ref().map_or(0, |s| s.index.len());
        let pending = pending.take();
        if self.broken.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        if pending.is_none() && used.len() == stored {
            return;
        }
        let mut p = match pending {
            Some(p) => p,
            None => match Pending::create(dir) {
                Ok(p) => p,
                Err(_) => return,
            },
        };
        let mut reused: Vec<&Key> = used.iter().filter(|k| !p.written.contains(k)).collect();
        reused.sort();
        // A cache that cannot be written only costs speed next time: on
        // error the pending file removes itself as it is dropped.
        let values = reused.into_iter().filter_map(|k| Some((*k, self.stored.as_ref()?.read(*k)?)));
        let _ = p.commit(values);
    }
}

impl Pending {
    fn create(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut file = BufWriter::with_capacity(1 << 16, std::fs::File::create(dir.join(PENDING))?);
        file.write_all(MAGIC)?;
        write_field(&mut file, FINGERPRINT.as_bytes())?;
        Ok(Pending { dir: dir.to_path_buf(), file, written: HashSet::new(), committed: false })
    }

    /// Appends the reused `entries` and makes the file the cache.
    fn commit(&mut self, entries: impl Iterator<Item = (Key, Value)>) -> std::io::Result<()> {
        for (k, v) in entries {
            write_entry(&mut self.file, k, xxhash_rust::xxh3::xxh3_64(&v), &v)?;
        }
        // No fsync: an entry torn by a crash fails its checksum when read.
        self.file.flush()?;
        std::fs::rename(self.dir.join(PENDING), self.dir.join(FILE))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(self.dir.join(PENDING));
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

fn write_entry(out: &mut impl std::io::Write, key: Key, sum: u64, value: &[u8]) -> std::io::Result<()> {
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&sum.to_le_bytes())?;
    write_field(out, value)
}

fn write_field(out: &mut impl std::io::Write, data: &[u8]) -> std::io::Result<()> {
    out.write_all(&(data.len() as u64).to_le_bytes())?;
    out.write_all(data)
}

impl Stored {
    /// Reads the index of the cache file at `path`: None when it is missing,
    /// of another build of cuenta, or damaged before its first value.
    fn open(path: &Path) -> Option<Self> {
        use std::io::{BufReader, Seek as _};
        let file = std::fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut r = BufReader::with_capacity(1 << 16, file);
        let mut magic = vec![0; MAGIC.len()];
        r.read_exact(&mut magic).ok()?;
        let fingerprint = read_field(&mut r, size).ok()?;
        if magic != MAGIC || fingerprint != FINGERPRINT.as_bytes() {
            return None;
        }
        let mut index = HashMap::new();
        let mut at = r.stream_position().ok()?;
        // A torn tail ends the index; what came before it is good.
        while let Ok(head) = read_array::<32>(&mut r) {
            let key = Key::from_le_bytes(head[..16].try_into().ok()?);
            let sum = u64::from_le_bytes(head[16..24].try_into().ok()?);
            let len = u64::from_le_bytes(head[24..].try_into().ok()?);
            at += 32;
            if len > size.saturating_sub(at) || r.seek_relative(len as i64).is_err() {
                break;
            }
            index.insert(key, Slot { at, len: usize::try_from(len).ok()?, sum });
            at += len;
        }
        Some(Stored { file: Mutex::new(r.into_inner()), index })
    }

    /// The value for `key`, read from the file; None if absent or torn.
    fn read(&self, key: Key) -> Option<Value> {
        use std::io::{Seek as _, SeekFrom};
        let slot = self.index.get(&key)?;
        let mut value = vec![0; slot.len];
        let mut file = self.file.lock().ok()?;
        file.seek(SeekFrom::Start(slot.at)).ok()?;
        file.read_exact(&mut value).ok()?;
        drop(file);
        (xxhash_rust::xxh3::xxh3_64(&value) == slot.sum).then(|| Arc::new(value))
    }
}

fn read_array<const N: usize>(r: &mut impl std::io::Read) -> std::io::Result<[u8; N]> {
    let mut buf = [0; N];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

fn read_field(r: &mut impl std::io::Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let len = u64::from_le_bytes(read_array::<8>(r)?);
    if len > limit {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    let mut data = vec![0; len as usize];
    r.read_exact(&mut data)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Key = 1;
    const B: Key = 2;

    /// A store folder saved by a build that made A → "uno" and B → "dos".
    fn saved_a_and_b() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path(), true);
        store.put(A, b"uno");
        store.put(B, b"dos");
        store.save();
        dir
    }

    #[test]
    fn values_survive_a_save_and_unused_ones_are_dropped() {
        let dir = saved_a_and_b();
        let again = Store::open(dir.path(), true);
        assert_eq!(again.get(A).as_deref(), Some(&b"uno".to_vec()));
        again.save();
        drop(again);
        let last = Store::open(dir.path(), true);
        assert!(last.get(A).is_some());
        assert!(last.get(B).is_none(), "B was not used by the second build");
    }

    #[test]
    fn an_unsaved_build_leaves_the_store_as_it_was() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path(), true);
        store.put(A, b"uno");
        store.save();
        drop(store);
        let failed = Store::open(dir.path(), true);
        failed.put(B, b"dos");
        assert!(dir.path().join(PENDING).exists(), "new values go to disk at once");
        drop(failed);
        assert!(!dir.path().join(PENDING).exists());
        let after = Store::open(dir.path(), true);
        assert!(after.get(A).is_some());
        assert!(after.get(B).is_none());
    }

    #[test]
    fn a_store_in_memory_keeps_what_the_last_build_used() {
        let store = Store::in_memory();
        store.keep(A, Kept::Text(Arc::from("página")));
        store.keep(B, Kept::Text(Arc::from("otra")));
        store.end_build();
        assert!(matches!(store.kept(A), Some(Kept::Text(t)) if &*t == "página"));
        store.end_build();
        assert!(store.kept(B).is_none(), "B was not used by the last build");
        assert!(Store::none().kept(A).is_none());
    }

    #[test]
    fn a_read_only_store_writes_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let folder = dir.path().join("cache");
        let store = Store::open(&folder, false);
        store.put(A, b"uno");
        store.save();
        drop(store);
        assert!(!folder.exists());
    }

    #[test]
    fn a_torn_value_is_not_served() {
        let dir = saved_a_and_b();
        let path = dir.path().join(FILE);
        let mut bytes = std::fs::read(&path).expect("read");
        let at = bytes.windows(3).position(|w| w == b"dos").expect("value on disk");
        bytes[at..at + 3].fill(0);
        std::fs::write(&path, bytes).expect("write");
        let again = Store::open(dir.path(), true);
        assert!(again.get(A).is_some());
        assert!(again.get(B).is_none());
    }

    #[test]
    fn a_damaged_or_older_file_is_an_empty_store() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(b"\xff\xff");
        std::fs::write(dir.path().join(FILE), bytes).expect("write");
        assert!(Store::open(dir.path(), true).get(A).is_none());
        let older = saved_a_and_b();
        let path = older.path().join(FILE);
        let bytes = std::fs::read(&path).expect("read");
        std::fs::write(&path, [b"CUENTA-CACHE-2\n", &bytes[MAGIC.len()..]].concat()).expect("write");
        assert!(Store::open(older.path(), true).get(A).is_none(), "an older format is not read");
    }
}
