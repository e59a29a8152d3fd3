//! The build cache: values (rendered section bodies, packed zip entries)
//! keyed by a 128-bit hash of everything they are made from, kept between
//! builds in `.<output>.cuenta-cache/` beside the output folder (with the
//! build's temporary siblings, the only place a build writes besides the
//! output). Safe to delete at any time: a missing, stale or damaged cache
//! only makes the next build slower. Besides `content`, `theme` and
//! `output`, this is the one module that touches disk.
//!
//! Values are not held in memory: at 10,000 sections they are a quarter of a
//! gigabyte. Opening the cache reads only its index; a value is read from the
//! file when asked for. A build writes each new value through to a pending
//! file as soon as it is made; the pending file replaces the cache only when
//! the build's site was written.

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use xxhash_rust::xxh3::Xxh3Default;

/// Identifies the code that produced cached values: a cache written by any
/// other build of cuenta is ignored.
const FINGERPRINT: &str = env!("CUENTA_CODE_FINGERPRINT");
const MAGIC: &[u8] = b"CUENTA-CACHE-2\n";
const FILE: &str = "cache.bin";
const PENDING: &str = "cache.bin.tmp";

/// A key: the hash of a value's inputs.
pub type Key = u128;

/// Hashes `parts` (and the code fingerprint) into a key; the boundaries
/// between parts count, so `["ab", "c"]` and `["a", "bc"]` differ.
pub fn key(parts: &[&[u8]]) -> Key {
    let mut h = Xxh3Default::new();
    h.update(FINGERPRINT.as_bytes());
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest128()
}

/// Hashes the bytes of `parts` as one run: the same content split
/// differently gives the same hash.
pub fn content_key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Key {
    let mut h = Xxh3Default::new();
    for p in parts {
        h.update(p);
    }
    h.digest128()
}

/// A cached value, shared.
pub type Value = Arc<Vec<u8>>;

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
enum Store {
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

/// Cached values, loaded from disk or empty.
#[derive(Debug, Default)]
pub struct Cache {
    store: Store,
    stored: Option<Stored>,
    /// Values kept in memory (`serve`), as they are used rather than as
    /// bytes; bytes given to [`Cache::put`] are kept as a [`Value`].
    typed: RwLock<HashMap<Key, Arc<dyn std::any::Any + Send + Sync>>>,
    used: Mutex<HashSet<Key>>,
    pending: Mutex<Option<Pending>>,
    /// Set when the pending file could not be written: the build goes on,
    /// and the old cache is kept.
    broken: std::sync::atomic::AtomicBool,
}

impl Cache {
    /// A cache that keeps nothing between builds.
    pub fn disabled() -> Self {
        Cache::default()
    }

    /// A cache held in memory only, for the builds of one process.
    pub fn in_memory() -> Self {
        Cache { store: Store::Memory, ..Cache::default() }
    }

    /// Opens the cache in `dir`; a missing or unreadable file gives an empty
    /// cache. A read-only cache serves values but never writes.
    pub fn open(dir: &Path, writable: bool) -> Self {
        let store = if writable { Store::Disk(dir.to_path_buf()) } else { Store::Nowhere };
        Cache { store, stored: Stored::open(&dir.join(FILE)), ..Cache::default() }
    }

    /// The value for `key`, if cached.
    pub fn get(&self, key: Key) -> Option<Value> {
        let value = match &self.stored {
            Some(stored) => stored.read(key)?,
            None => return self.get_typed::<Value>(key),
        };
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
        Some(value)
    }

    /// Stores `value` under `key` and hands it back.
    pub fn put(&self, key: Key, value: Vec<u8>) -> Value {
        let value = Arc::new(value);
        match &self.store {
            Store::Nowhere => {}
            Store::Memory => self.put_typed(key, Arc::clone(&value)),
            Store::Disk(dir) => self.write_through(dir, key, &value),
        }
        value
    }

    /// True when values live in this process only (`serve`).
    pub fn lives_in_memory(&self) -> bool {
        matches!(self.store, Store::Memory)
    }

    /// The value of type `T` kept under `key` by an earlier build of this
    /// process; always None unless the cache lives in memory.
    pub fn get_typed<T: Clone + Send + Sync + 'static>(&self, key: Key) -> Option<T> {
        if !matches!(self.store, Store::Memory) {
            return None;
        }
        let value = self.typed.read().ok()?.get(&key)?.downcast_ref::<T>()?.clone();
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
        Some(value)
    }

    /// Keeps `value` for the next build when the cache lives in memory.
    pub fn put_typed<T: Send + Sync + 'static>(&self, key: Key, value: T) {
        if !matches!(self.store, Store::Memory) {
            return;
        }
        if let (Ok(mut typed), Ok(mut used)) = (self.typed.write(), self.used.lock()) {
            typed.insert(key, Arc::new(value));
            used.insert(key);
        }
    }

    /// `make()`, or its value from an earlier build when the cache lives in
    /// memory.
    pub fn memo<T: Clone + Send + Sync + 'static>(&self, key: Key, make: impl FnOnce() -> T) -> T {
        if let Some(v) = self.get_typed(key) {
            return v;
        }
        let v = make();
        if matches!(self.store, Store::Memory) {
            self.put_typed(key, v.clone());
        }
        v
    }

    /// Text kept under `key`, in memory or on disk.
    pub fn text(&self, key: Key) -> Option<Arc<str>> {
        if self.lives_in_memory() {
            return self.get_typed(key);
        }
        self.get(key).and_then(|b| std::str::from_utf8(&b).ok().map(Arc::from))
    }

    /// Keeps `text` under `key`, in memory or on disk.
    pub fn keep_text(&self, key: Key, text: &Arc<str>) {
        if self.lives_in_memory() {
            self.put_typed(key, Arc::clone(text));
        } else if !matches!(self.store, Store::Nowhere) {
            self.put(key, text.as_bytes().to_vec());
        }
    }

    /// [`Cache::memo`] for text, kept on disk too when the cache lives there.
    pub fn memo_text(&self, key: Key, make: impl FnOnce() -> Arc<str>) -> Arc<str> {
        if let Some(text) = self.text(key) {
            return text;
        }
        let text = make();
        self.keep_text(key, &text);
        text
    }

    /// Ends a build of a cache in memory: what this build did not use is
    /// dropped, so a long session does not keep every version of every page.
    pub fn end_build(&self) {
        if !matches!(self.store, Store::Memory) {
            return;
        }
        if let (Ok(mut typed), Ok(mut used)) = (self.typed.write(), self.used.lock()) {
            typed.retain(|k, _| used.contains(k));
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

    /// Makes this build's values the cache: those it made (already in the
    /// pending file) and those it reused; the rest are dropped so the cache
    /// does not grow forever. Nothing is written when nothing changed.
    pub fn save(&self) {
        let Store::Disk(dir) = &self.store else { return };
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

    /// A cache folder saved by a build that made "a" → "uno" and "b" → "dos".
    fn saved_a_and_b() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        let cache = Cache::open(dir.path(), true);
        cache.put(key(&[b"a"]), b"uno".to_vec());
        cache.put(key(&[b"b"]), b"dos".to_vec());
        cache.save();
        dir
    }

    #[test]
    fn values_survive_a_save_and_unused_ones_are_dropped() {
        let dir = saved_a_and_b();
        let again = Cache::open(dir.path(), true);
        assert_eq!(again.get(key(&[b"a"])).as_deref(), Some(&b"uno".to_vec()));
        again.save();
        drop(again);
        let last = Cache::open(dir.path(), true);
        assert!(last.get(key(&[b"a"])).is_some());
        assert!(last.get(key(&[b"b"])).is_none(), "b was not used by the second build");
    }

    #[test]
    fn an_unsaved_build_leaves_the_cache_as_it_was() {
        let dir = tempfile::tempdir().expect("tmp");
        let cache = Cache::open(dir.path(), true);
        cache.put(key(&[b"a"]), b"uno".to_vec());
        cache.save();
        drop(cache);
        let failed = Cache::open(dir.path(), true);
        failed.put(key(&[b"b"]), b"dos".to_vec());
        assert!(dir.path().join(PENDING).exists(), "new values go to disk at once");
        drop(failed);
        assert!(!dir.path().join(PENDING).exists());
        let after = Cache::open(dir.path(), true);
        assert!(after.get(key(&[b"a"])).is_some());
        assert!(after.get(key(&[b"b"])).is_none());
    }

    #[test]
    fn a_cache_in_memory_keeps_typed_values_used_by_the_last_build() {
        let cache = Cache::in_memory();
        let made = std::cell::Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            String::from("página")
        };
        assert_eq!(cache.memo(key(&[b"a"]), make), "página");
        assert_eq!(cache.memo(key(&[b"a"]), make), "página");
        assert_eq!(made.get(), 1, "the second build reuses the value");
        cache.put_typed(key(&[b"b"]), 7u32);
        cache.end_build();
        let _ = cache.memo(key(&[b"a"]), make);
        cache.end_build();
        assert_eq!(cache.get_typed::<u32>(key(&[b"b"])), None, "b was not used by the last build");
        assert_eq!(Cache::disabled().get_typed::<String>(key(&[b"a"])), None);
    }

    #[test]
    fn text_is_kept_on_disk_too() {
        let dir = tempfile::tempdir().expect("tmp");
        let cache = Cache::open(dir.path(), true);
        assert_eq!(&*cache.memo_text(key(&[b"t"]), || Arc::from("año")), "año");
        cache.save();
        drop(cache);
        let again = Cache::open(dir.path(), true);
        assert_eq!(&*again.memo_text(key(&[b"t"]), || unreachable!("read from disk")), "año");
    }

    #[test]
    fn a_read_only_cache_writes_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let folder = dir.path().join("cache");
        let cache = Cache::open(&folder, false);
        cache.put(key(&[b"a"]), b"uno".to_vec());
        cache.save();
        drop(cache);
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
        let again = Cache::open(dir.path(), true);
        assert!(again.get(key(&[b"a"])).is_some());
        assert!(again.get(key(&[b"b"])).is_none());
    }

    #[test]
    fn a_damaged_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(b"\xff\xff");
        std::fs::write(dir.path().join(FILE), bytes).expect("write");
        assert!(Cache::open(dir.path(), true).get(key(&[b"a"])).is_none());
    }

    #[test]
    fn keys_depend_on_every_part_and_their_boundaries() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(key(&[b"x"]), key(&[b"x"]));
        assert_eq!(content_key([&b"ab"[..], b"c"]), content_key([&b"a"[..], b"bc"]));
        assert_ne!(content_key([&b"ab"[..]]), content_key([&b"ba"[..]]));
    }
}
