//! The Typst World cuenta compiles in: one template, the files cuenta hands
//! it (the document's JSON, the charts' SVGs) and the fonts compiled into
//! the binary. It reads nothing from disk or network: any other path, any
//! package, and the clock are refused.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The template every PDF is typeset with.
const TEMPLATE: &str = include_str!("template.typ");

/// The faces the PDF may use: Libertinus Serif for text (bold and italic
/// included) and the theme's DejaVu Sans, which the charts' SVGs name.
static FONT_FILES: [&[u8]; 5] = [
    include_bytes!("fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../../themes/default/fonts/DejaVuSans.ttf"),
];

/// Parsed once per process: they are constants of the binary.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|bytes| Font::iter(Bytes::new(*bytes))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// A World holding the template and `files` by their virtual path.
pub struct CuentaWorld {
    main: Source,
    /// Looked up only, never listed: the order cannot reach the PDF.
    files: HashMap<FileId, Bytes>,
}

/// The id of a path of ours: None for one the virtual file system refuses,
/// which then is simply not served. Typst interns every path for the life
/// of the process (at most 65,535 of them), so cuenta's paths are few and
/// fixed: `informe.json`, `graficos/<n>.svg` and `imagenes/<n>.<ext>`.
fn id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl CuentaWorld {
    /// `files`: virtual path (as the template names it) → bytes.
    pub fn new(files: BTreeMap<String, Bytes>) -> Self {
        let main = Source::detached(TEMPLATE);
        let files = files.into_iter().filter_map(|(path, bytes)| Some((id(&path)?, bytes))).collect();
        CuentaWorld { main, files }
    }
}

impl World for CuentaWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        Err(refuse(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or_else(|| refuse(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    /// No clock: the PDF must not depend on the day it was built.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn refuse(id: FileId) -> FileError {
    match id.root() {
        VirtualRoot::Package(spec) => FileError::Package(PackageError::NotFound(spec.clone())),
        VirtualRoot::Project => FileError::AccessDenied,
    }
}
