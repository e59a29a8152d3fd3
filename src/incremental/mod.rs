//! Reuse between builds, and the only module that knows it. `site.rs` asks
//! it around each stage call: "this value, made from these inputs: is it
//! kept?". Stages never import it; they are pure functions of their inputs
//! (rendering asks a [`crate::render::Memo`], which this module implements,
//! for page texts, and says only what each is made from).
//!
//! - A `Fingerprint` is XXH3-128 over cuenta's own code fingerprint, the
//!   kind of value and the inputs' derived [`Hash`]: typed, never JSON,
//!   `Debug` text or hand-joined strings.
//! - One store, nowhere (`--no-cache`, `check`), in memory (a
//!   `serve` [`Session`]) or on disk beside the output folder.
//! - One versioned binary encoding for what is kept on disk ([`postcard`]
//!   over the values' serde derives), behind the store's own magic and code
//!   fingerprint: a file of another format or build of cuenta is ignored, a
//!   value that fails its checksum or does not decode is made again.

mod store;

use crate::diagnostics::Diagnostic;
use crate::model::{ParsedSection, Section};
use crate::render::{Layout, SectionBody};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use store::{Store, Value};
use xxhash_rust::xxh3::Xxh3Default;

/// Identifies the code that made a value: cuenta's version and sources.
const CODE: &str = env!("CUENTA_CODE_FINGERPRINT");

/// What a value is made from, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Fingerprint(pub(crate) u128);

/// Feeds derived [`Hash`] implementations into XXH3-128.
struct Fingerprinter(Xxh3Default);

impl Hasher for Fingerprinter {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// The fingerprint of a value of `kind` made from `inputs`, by this build of
/// cuenta.
pub(crate) fn fingerprint(kind: &str, inputs: &(impl Hash + ?Sized)) -> Fingerprint {
    fingerprint_with(kind, &mut |h| inputs.hash(&mut &mut *h))
}

/// [`fingerprint`] for inputs that hash themselves into a `dyn Hasher`.
pub(crate) fn fingerprint_with(kind: &str, inputs: &mut dyn FnMut(&mut dyn Hasher)) -> Fingerprint {
    let mut h = Fingerprinter(Xxh3Default::new());
    CODE.hash(&mut h);
    kind.hash(&mut h);
    inputs(&mut h);
    Fingerprint(h.0.digest128())
}

/// A value as a session keeps it in memory: as it is used, not as bytes.
#[derive(Debug, Clone)]
pub(crate) enum Kept {
    Parsed(Arc<ParsedSection>),
    Body(Arc<SectionBody>),
    Text(Arc<str>),
    Page(Arc<Layout>),
    Bytes(Value),
}

/// What `serve` keeps between its builds, in one place: the values of the
/// last build and the files it read.
#[derive(Debug)]
pub struct Session {
    store: Store,
    seen: crate::content::Seen,
}

impl Session {
    /// A fresh session, keeping everything in memory.
    pub fn new() -> Self {
        Session { store: Store::in_memory(), seen: crate::content::Seen::default() }
    }

    /// Files read by the last build, reused while unchanged on disk.
    pub(crate) fn seen(&self) -> &crate::content::Seen {
        &self.seen
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// The reuse of one build: its own store (on disk or none) or a session's.
#[derive(Debug)]
pub(crate) struct Reuse<'a> {
    store: StoreRef<'a>,
}

#[derive(Debug)]
enum StoreRef<'a> {
    Own(Box<Store>),
    Session(&'a Session),
}

/// Where a text is worth keeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// In a session only: quicker to make again than to read from disk.
    Session,
    /// In a session and on disk.
    Always,
}

impl<'a> Reuse<'a> {
    /// Nothing is reused or kept.
    pub(crate) fn none() -> Self {
        Reuse { store: StoreRef::Own(Box::new(Store::none())) }
    }

    /// The store in `dir` (read-only unless `writable`).
    pub(crate) fn on_disk(dir: &Path, writable: bool) -> Self {
        Reuse { store: StoreRef::Own(Box::new(Store::open(dir, writable))) }
    }

    /// The session's store.
    pub(crate) fn session(session: &'a Session) -> Self {
        Reuse { store: StoreRef::Session(session) }
    }

    fn store(&self) -> &Store {
        match &self.store {
            StoreRef::Own(s) => s,
            StoreRef::Session(s) => &s.store,
        }
    }

    /// A section file parsed, or as an earlier build parsed it. On disk only
    /// sections without a problem are kept, so messages are never stale;
    /// `restore` gives a section read from disk back what is not kept there
    /// (its source file).
    pub(crate) fn section(
        &self,
        fp: Fingerprint,
        make: impl FnOnce() -> ParsedSection,
        restore: impl FnOnce(Section) -> Section,
    ) -> ParsedSection {
        let store = self.store();
        if let Some(Kept::Parsed(p)) = store.kept(fp.0) {
            return (*p).clone();
        }
        if let Some(section) = store.get(fp.0).and_then(|b| postcard::from_bytes::<Section>(&b).ok()) {
            return (Some(restore(section)), Vec::new());
        }
        let parsed = make();
        if store.in_memory_only() {
            store.keep(fp.0, Kept::Parsed(Arc::new(parsed.clone())));
        } else if let (Some(section), true, true) = (&parsed.0, parsed.1.is_empty(), store.on_disk()) {
            if let Ok(bytes) = postcard::to_allocvec(section) {
                store.put(fp.0, &bytes);
            }
        }
        parsed
    }

    /// A section body rendered, or as an earlier build rendered it. Bodies
    /// with problems are never kept.
    pub(crate) fn body(
        &self,
        fp: Fingerprint,
        make: impl FnOnce() -> (SectionBody, Vec<Diagnostic>),
    ) -> (Arc<SectionBody>, Vec<Diagnostic>) {
        let store = self.store();
        if let Some(Kept::Body(b)) = store.kept(fp.0) {
            return (b, Vec::new());
        }
        if let Some(body) = store.get(fp.0).and_then(|b| postcard::from_bytes::<SectionBody>(&b).ok()) {
            return (Arc::new(body), Vec::new());
        }
        let (body, diags) = make();
        let body = Arc::new(body);
        if diags.is_empty() {
            if store.in_memory_only() {
                store.keep(fp.0, Kept::Body(Arc::clone(&body)));
            } else if store.on_disk() {
                if let Ok(bytes) = postcard::to_allocvec(&*body) {
                    store.put(fp.0, &bytes);
                }
            }
        }
        (body, diags)
    }

    /// A text made by `make`, or as an earlier build made it. `inputs`
    /// hash what it is made from; they are read only when the text may be
    /// kept (a key can cost as much as the text).
    pub(crate) fn text(
        &self,
        kind: &str,
        keep: Keep,
        inputs: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Arc<str>,
    ) -> Arc<str> {
        let store = self.store();
        if store.in_memory_only() {
            let fp = fingerprint_with(kind, inputs);
            if let Some(Kept::Text(t)) = store.kept(fp.0) {
                return t;
            }
            let text = make();
            store.keep(fp.0, Kept::Text(Arc::clone(&text)));
            return text;
        }
        if keep == Keep::Session || !store.on_disk() {
            return make();
        }
        let fp = fingerprint_with(kind, inputs);
        if let Some(text) = store.get(fp.0).and_then(|b| std::str::from_utf8(&b).ok().map(Arc::from)) {
            return text;
        }
        let text = make();
        store.put(fp.0, text.as_bytes());
        text
    }

    /// A page's layout made by `make`, or as an earlier build made it;
    /// None (its template failed) is never kept.
    pub(crate) fn page(
        &self,
        kind: &str,
        keep: Keep,
        inputs: &mut dyn FnMut(&mut dyn Hasher),
        make: &mut dyn FnMut() -> Option<Arc<Layout>>,
    ) -> Option<Arc<Layout>> {
        let store = self.store();
        if store.in_memory_only() {
            let fp = fingerprint_with(kind, inputs);
            if let Some(Kept::Page(p)) = store.kept(fp.0) {
                return Some(p);
            }
            let page = make()?;
            store.keep(fp.0, Kept::Page(Arc::clone(&page)));
            return Some(page);
        }
        if keep == Keep::Session || !store.on_disk() {
            return make();
        }
        let fp = fingerprint_with(kind, inputs);
        if let Some(page) = store.get(fp.0).and_then(|b| postcard::from_bytes::<Layout>(&b).ok()) {
            return Some(Arc::new(page));
        }
        let page = make()?;
        if let Ok(bytes) = postcard::to_allocvec(&*page) {
            store.put(fp.0, &bytes);
        }
        Some(page)
    }

    /// Bytes made by `make` (a packed zip entry), or as an earlier build
    /// made them.
    pub(crate) fn bytes<E>(&self, fp: Fingerprint, make: impl FnOnce() -> Result<Vec<u8>, E>) -> Result<Value, E> {
        let store = self.store();
        if let Some(Kept::Bytes(b)) = store.kept(fp.0) {
            return Ok(b);
        }
        if let Some(b) = store.get(fp.0) {
            return Ok(b);
        }
        let value = Arc::new(make()?);
        if store.in_memory_only() {
            store.keep(fp.0, Kept::Bytes(Arc::clone(&value)));
        } else {
            store.put(fp.0, &value);
        }
        Ok(value)
    }

    /// The fingerprint of section `i`'s body: the settings, the message
    /// language, the theme's strings and literal ids, and every section the
    /// body shows ([`crate::model::Report::dependencies`]): its file, the
    /// spreadsheets its tables were read from, whether it is the section
    /// itself, and its tables' checks and discrepancies.
    pub(crate) fn body_fingerprint(
        report: &crate::model::Report,
        i: usize,
        theme: &crate::theme::Theme,
        lang: crate::diagnostics::Lang,
    ) -> Fingerprint {
        fingerprint_with("body", &mut |h| {
            report.settings().hash(&mut &mut *h);
            lang.hash(&mut &mut *h);
            theme.strings.hash(&mut &mut *h);
            theme.page_ids.hash(&mut &mut *h);
            for j in report.dependencies(i) {
                let s = &report.sections[j];
                (j == i, &s.file.display, &s.file.text, &s.inputs).hash(&mut &mut *h);
                // A table's verification note also holds what other
                // sections' `checks:` and `printed=` found about it.
                for t in s.tables.iter() {
                    (&t.checks, &t.mismatches).hash(&mut &mut *h);
                }
            }
            // Where its images and links lead once resolved (a renamed page,
            // an image's size), and the bytes of the media they lead to.
            let links = report.sections.get(i).map(|s| &s.links);
            links.hash(&mut &mut *h);
            for target in links.into_iter().flat_map(|l| l.values()) {
                report.media_at(&target.href).hash(&mut &mut *h);
            }
        })
    }

    /// Ends a build: a session forgets what this build did not use.
    pub(crate) fn end_build(&self) {
        self.store().end_build();
    }

    /// Makes what this build made and used the store on disk, for the next
    /// build (a session keeps its values in memory instead).
    pub(crate) fn save(&self) {
        if let StoreRef::Own(store) = &self.store {
            store.save();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_depend_on_kind_inputs_and_their_boundaries() {
        assert_ne!(fingerprint("a", &("ab", "c")), fingerprint("a", &("a", "bc")));
        assert_ne!(fingerprint("a", &1u8), fingerprint("b", &1u8));
        assert_eq!(fingerprint("a", &["x"]), fingerprint("a", &["x"]));
    }

    #[test]
    fn texts_are_kept_on_disk_only_when_asked() {
        let dir = tempfile::tempdir().expect("tmp");
        let first = Reuse::on_disk(dir.path(), true);
        let kept = |h: &mut dyn Hasher| "kept".hash(&mut &mut *h);
        let session_only = |h: &mut dyn Hasher| "session".hash(&mut &mut *h);
        assert_eq!(&*first.text("t", Keep::Always, &mut { kept }, &mut || Arc::from("año")), "año");
        assert_eq!(&*first.text("t", Keep::Session, &mut { session_only }, &mut || Arc::from("mes")), "mes");
        first.save();
        drop(first);
        let again = Reuse::on_disk(dir.path(), true);
        assert_eq!(&*again.text("t", Keep::Always, &mut { kept }, &mut || unreachable!("read from disk")), "año");
        let mut made = false;
        again.text("t", Keep::Session, &mut { session_only }, &mut || {
            made = true;
            Arc::from("mes")
        });
        assert!(made, "a session-only text is made again");
    }

    #[test]
    fn a_session_reuses_what_its_last_build_used() {
        let session = Session::new();
        let reuse = Reuse::session(&session);
        let mut made = 0;
        for _ in 0..2 {
            reuse.text("t", Keep::Session, &mut |h| "x".hash(&mut &mut *h), &mut || {
                made += 1;
                Arc::from("x")
            });
            reuse.end_build();
        }
        assert_eq!(made, 1);
    }
}
