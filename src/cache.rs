//! The build cache: values (rendered section bodies, packed zip entries)
//! keyed by a 128-bit hash of everything they are made from, kept between
//! builds in `.<output>.cuenta-cache/` beside the output folder (with the
//! build's temporary siblings, the only place a build writes besides the
//! output). Safe to delete at any time: a missing,
//! stale or damaged cache only makes the next build slower. Besides
//! `content`, `theme` and `output`, this is the one module that touches disk.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// Identifies the code that produced cached values: a cache written by any
/// other build of cuenta is ignored.
const FINGERPRINT: &str = env!("CUENTA_CODE_FINGERPRINT");
const MAGIC: &[u8] = b"CUENTA-CACHE-1\n";
const FILE: &str = "cache.bin";

/// A key: the hash of a value's inputs.
pub type Key = u128;

/// Hashes `parts` (and the code fingerprint) into a key.
pub fn key(parts: &[&[u8]]) -> Key {
    let half = |salt: u8| {
        // DefaultHasher::new() is SipHash with fixed keys: stable between
        // runs of one build of cuenta, which is all a cache needs.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        FINGERPRINT.hash(&mut h);
        for p in parts {
            p.hash(&mut h);
        }
        h.finish()
    };
    ((half(1) as u128) << 64) | half(2) as u128
}

/// Cached values, loaded from disk or empty.
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    entries: RwLock<HashMap<Key, Arc<Vec<u8>>>>,
    used: Mutex<HashSet<Key>>,
    added: Mutex<usize>,
}

impl Cache {
    /// A cache that keeps nothing between builds.
    pub fn disabled() -> Self {
        Cache::default()
    }

    /// A cache held in memory only, for the builds of one process.
    pub fn in_memory() -> Self {
        Cache { dir: Some(PathBuf::new()), ..Cache::default() }
    }

    /// Opens the cache in `dir`; a missing or unreadable file gives an empty cache.
    pub fn open(dir: &Path) -> Self {
        let entries = read(&dir.join(FILE)).unwrap_or_default();
        Cache { dir: Some(dir.to_path_buf()), entries: RwLock::new(entries), ..Cache::default() }
    }

    /// The value for `key`, if cached.
    pub fn get(&self, key: Key) -> Option<Arc<Vec<u8>>> {
        let value = self.entries.read().ok()?.get(&key).cloned()?;
        if let Ok(mut used) = self.used.lock() {
            used.insert(key);
        }
        Some(value)
    }

    /// Stores `value` under `key` and hands it back, shared.
    pub fn put(&self, key: Key, value: Vec<u8>) -> Arc<Vec<u8>> {
        let value = Arc::new(value);
        if self.dir.is_none() {
            return value;
        }
        if let (Ok(mut entries), Ok(mut used), Ok(mut added)) =
            (self.entries.write(), self.used.lock(), self.added.lock())
        {
            entries.insert(key, Arc::clone(&value));
            used.insert(key);
            *added += 1;
        }
        value
    }

    /// Writes the entries this build used, dropping the rest so the cache
    /// does not grow forever. Nothing is written when nothing changed.
    pub fn save(&self) {
        let Some(dir) = &self.dir else { return };
        let (Ok(entries), Ok(used), Ok(added)) = (self.entries.read(), self.used.lock(), self.added.lock()) else {
            return;
        };
        if *added == 0 && used.len() == entries.len() {
            return;
        }
        let mut keys: Vec<&Key> = used.iter().collect();
        keys.sort();
        let mut bytes = Vec::from(MAGIC);
        write_field(&mut bytes, FINGERPRINT.as_bytes());
        for k in keys {
            if let Some(v) = entries.get(k) {
                bytes.extend_from_slice(&k.to_le_bytes());
                write_field(&mut bytes, v);
            }
        }
        // A cache that cannot be written only costs speed next time.
        let _ = std::fs::create_dir_all(dir).and_then(|_| {
            let tmp = dir.join(format!("{FILE}.tmp"));
            std::fs::File::create(&tmp)?.write_all(&bytes)?;
            std::fs::rename(&tmp, dir.join(FILE))
        });
    }
}

fn write_field(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(data);
}

fn read(path: &Path) -> Option<HashMap<Key, Arc<Vec<u8>>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.read_to_end(&mut bytes).ok()?;
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let fingerprint = take_field(&mut rest)?;
    if fingerprint != FINGERPRINT.as_bytes() {
        return None;
    }
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (k, tail) = rest.split_at_checked(16)?;
        rest = tail;
        let key = Key::from_le_bytes(k.try_into().ok()?);
        entries.insert(key, Arc::new(take_field(&mut rest)?.to_vec()));
    }
    Some(entries)
}

fn take_field<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, tail) = rest.split_at_checked(8)?;
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    let (field, tail) = tail.split_at_checked(len)?;
    *rest = tail;
    Some(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_a_save_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().expect("tmp");
        let cache = Cache::open(dir.path());
        cache.put(key(&[b"a"]), b"uno".to_vec());
        cache.put(key(&[b"b"]), b"dos".to_vec());
        cache.save();
        let again = Cache::open(dir.path());
        assert_eq!(again.get(key(&[b"a"])).as_deref(), Some(&b"uno".to_vec()));
        again.save();
        let last = Cache::open(dir.path());
        assert!(last.get(key(&[b"a"])).is_some());
        assert!(last.get(key(&[b"b"])).is_none(), "b was not used by the second build");
    }

    #[test]
    fn a_damaged_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join(FILE), b"CUENTA-CACHE-1\n\xff\xff").expect("write");
        assert!(Cache::open(dir.path()).get(key(&[b"a"])).is_none());
    }

    #[test]
    fn keys_depend_on_every_part_and_their_boundaries() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(key(&[b"x"]), key(&[b"x"]));
    }
}
