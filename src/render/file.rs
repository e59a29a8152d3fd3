//! An output file as the parts it is made of. A section body is one shared
//! part of its page (and its scoped copy one of the whole-report page), so
//! pages never copy the bodies; the writer, the zip and the server read the
//! parts in order.

use std::borrow::Cow;
use std::sync::Arc;

/// One run of a file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Owned(Vec<u8>),
    Shared(Arc<str>),
    /// Bytes shared with whoever keeps them between builds, such as a
    /// packed zip entry.
    Bytes(Arc<Vec<u8>>),
    /// Where a page shows the offline copy's size, known only once the
    /// copy is packed ([`OutputFile::fill_zip_size`]); empty until then.
    ZipSize,
    /// Where a page shows the PDF's size, known only once the PDF is made
    /// ([`OutputFile::fill_pdf_size`]); empty until then.
    PdfSize,
}

impl std::ops::Deref for Part {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Part::Owned(b) => b,
            Part::Shared(s) => s.as_bytes(),
            Part::Bytes(b) => b,
            Part::ZipSize | Part::PdfSize => b"",
        }
    }
}

/// A file to write, path relative to the output folder with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    parts: Vec<Part>,
}

impl OutputFile {
    /// A file of one run of bytes.
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile { path: path.into(), parts: vec![Part::Owned(bytes)] }
    }

    /// A file made of `parts`, in order.
    pub fn from_parts(path: impl Into<String>, parts: Vec<Part>) -> Self {
        OutputFile { path: path.into(), parts }
    }

    /// The parts, in order.
    pub fn parts(&self) -> impl Iterator<Item = &[u8]> {
        self.parts.iter().map(|p| &**p)
    }

    /// The parts as they are: template text and shared bodies.
    pub fn raw_parts(&self) -> &[Part] {
        &self.parts
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole content, borrowed when it is one part.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self.parts.as_slice() {
            [one] => Cow::Borrowed(&**one),
            _ => {
                let mut all = Vec::with_capacity(self.len());
                self.parts().for_each(|p| all.extend_from_slice(p));
                Cow::Owned(all)
            }
        }
    }

    /// Puts `label` where the page shows the offline copy's size.
    pub fn fill_zip_size(&mut self, label: &str) {
        self.fill(&Part::ZipSize, label);
    }

    /// Puts `label` where the page shows the PDF's size.
    pub fn fill_pdf_size(&mut self, label: &str) {
        self.fill(&Part::PdfSize, label);
    }

    fn fill(&mut self, which: &Part, label: &str) {
        for part in &mut self.parts {
            if part == which {
                *part = Part::Owned(label.as_bytes().to_vec());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_read_as_one_file_and_the_zip_size_is_a_part_of_its_own() {
        let body: Arc<str> = Arc::from("<p>texto</p>");
        let mut f = OutputFile::from_parts(
            "a.html",
            vec![Part::Owned(b"<main>".to_vec()), Part::ZipSize, Part::Shared(body), Part::Owned(b"</main>".to_vec())],
        );
        assert_eq!(f.len(), f.bytes().len());
        f.fill_zip_size("7 KB");
        assert_eq!(&*f.bytes(), b"<main>7 KB<p>texto</p></main>");
    }

    #[test]
    fn the_pdf_size_is_a_part_of_its_own_filled_apart_from_the_zip_size() {
        let mut f = OutputFile::from_parts(
            "a.html",
            vec![Part::Owned(b"PDF, ".to_vec()), Part::PdfSize, Part::Owned(b"; ZIP, ".to_vec()), Part::ZipSize],
        );
        f.fill_pdf_size("1,2 MB");
        assert_eq!(&*f.bytes(), b"PDF, 1,2 MB; ZIP, ");
        f.fill_zip_size("3 MB");
        assert_eq!(&*f.bytes(), b"PDF, 1,2 MB; ZIP, 3 MB");
    }
}
