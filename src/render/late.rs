//! Values a page shows that are known only after its template has run: a
//! section body (shared with the whole-report page, never copied through
//! Tera's context) and the offline copy's size (known once the zip, which
//! holds the pages, is packed).
//!
//! A template prints a [`Mark`] where such a value goes; the page Tera
//! returns is cut at once into a [`Layout`] of typed segments, and nothing
//! downstream reads text for marks. A mark holds a nonce drawn afresh for
//! each build: no editor text, theme text or earlier build can contain it,
//! so text that merely looks like a mark (`@@CUENTA-BODY-0@@` in a title,
//! a cell or raw HTML) is printed as it is. Marks hash as what they stand
//! for, not as their nonce, so a page's inputs are the same from one build
//! to the next, and a layout kept between builds holds no nonce.

use serde::{Deserialize, Serialize};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

/// What a mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Late {
    /// The body of section `n`.
    Body(usize),
    /// The offline copy's size.
    ZipSize,
}

/// A late value as a template sees it: a string to print (with `| safe`
/// for a body; a size survives escaping as it is).
#[derive(Debug, Clone)]
pub(super) struct Mark {
    late: Late,
    token: Arc<str>,
}

impl Hash for Mark {
    /// What the mark stands for, never its nonce: page inputs must not
    /// change from one build to the next.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.late.hash(state);
    }
}

impl Serialize for Mark {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.token)
    }
}

/// One run of a page as its template made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Segment {
    /// The template's own text (and the context values it printed).
    Text(String),
    /// Where the body of section `n` goes.
    Body(usize),
    /// Where the offline copy's size goes.
    ZipSize,
}

/// A rendered page cut where its late values go; it holds no mark, so it
/// may be kept between builds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Layout {
    pub segments: Vec<Segment>,
}

/// The marks of one build: a nonce no input can hold.
#[derive(Debug, Clone)]
pub(super) struct Marks {
    /// `cuenta-<32 hex digits>-`: only letters, digits and hyphens, which
    /// HTML escaping leaves as they are.
    prefix: String,
}

impl Marks {
    /// Marks with a fresh nonce: 128 bits from the standard library's
    /// randomly keyed hasher, so no text written before this build (an
    /// editor's, a theme's, a kept page's) can contain them.
    pub(super) fn new() -> Self {
        let random = |salt: u64| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(salt);
            h.finish()
        };
        Marks { prefix: format!("cuenta-{:016x}{:016x}-", random(1), random(2)) }
    }

    /// Where the body of section `n` goes.
    pub(super) fn body(&self, n: usize) -> Mark {
        Mark { late: Late::Body(n), token: Arc::from(format!("{}b{n}-", self.prefix)) }
    }

    /// Where the offline copy's size goes.
    pub(super) fn zip_size(&self) -> Mark {
        Mark { late: Late::ZipSize, token: Arc::from(format!("{}z-", self.prefix)) }
    }

    /// `page` as Tera made it, cut at this build's marks.
    pub(super) fn cut(&self, page: &str) -> Layout {
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut rest = page;
        while let Some(at) = rest.find(&self.prefix) {
            let after = &rest[at + self.prefix.len()..];
            let Some((late, len)) = late_value(after) else {
                // Only a template that cut a mark short gets here.
                text.push_str(&rest[..at + self.prefix.len()]);
                rest = after;
                continue;
            };
            text.push_str(&rest[..at]);
            if !text.is_empty() {
                segments.push(Segment::Text(std::mem::take(&mut text)));
            }
            segments.push(match late {
                Late::Body(n) => Segment::Body(n),
                Late::ZipSize => Segment::ZipSize,
            });
            rest = &after[len..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        Layout { segments }
    }
}

/// What follows a nonce: `b<n>-` or `z-`, and its length.
fn late_value(after: &str) -> Option<(Late, usize)> {
    if let Some(rest) = after.strip_prefix("z-") {
        return Some((Late::ZipSize, after.len() - rest.len()));
    }
    let digits = after.strip_prefix('b')?;
    let end = digits.find(|c: char| !c.is_ascii_digit())?;
    let n = digits[..end].parse().ok()?;
    digits[end..].starts_with('-').then_some((Late::Body(n), 1 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(mark: &Mark) -> String {
        serde_json::to_value(mark).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
    }

    #[test]
    fn a_page_is_cut_at_its_marks_and_nowhere_else() {
        let marks = Marks::new();
        let (body, size) = (token(&marks.body(12)), token(&marks.zip_size()));
        let page = format!("<main>{body}</main>@@CUENTA-BODY-0@@ (ZIP, {size}) @@CUENTA-ZIP-SIZE@@{size}");
        let layout = marks.cut(&page);
        assert_eq!(
            layout.segments,
            vec![
                Segment::Text("<main>".into()),
                Segment::Body(12),
                Segment::Text("</main>@@CUENTA-BODY-0@@ (ZIP, ".into()),
                Segment::ZipSize,
                Segment::Text(") @@CUENTA-ZIP-SIZE@@".into()),
                Segment::ZipSize,
            ]
        );
    }

    #[test]
    fn another_builds_marks_are_plain_text() {
        let (this, other) = (Marks::new(), Marks::new());
        assert_ne!(token(&this.body(0)), token(&other.body(0)));
        let page = format!("<p>{}</p>", token(&other.body(0)));
        assert_eq!(this.cut(&page).segments, vec![Segment::Text(page)]);
    }

    #[test]
    fn a_mark_cut_short_by_a_template_stays_text() {
        let marks = Marks::new();
        let short = format!("{}b7", marks.prefix);
        assert_eq!(marks.cut(&short).segments, vec![Segment::Text(short)]);
    }

    #[test]
    fn marks_hash_as_what_they_stand_for() {
        use std::hash::DefaultHasher;
        let digest = |m: &Mark| {
            let mut h = DefaultHasher::new();
            m.hash(&mut h);
            h.finish()
        };
        assert_eq!(digest(&Marks::new().body(3)), digest(&Marks::new().body(3)));
        assert_ne!(digest(&Marks::new().body(3)), digest(&Marks::new().zip_size()));
    }
}
