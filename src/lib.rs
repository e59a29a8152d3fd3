//! cuenta compiles a report folder into a static website.
//!
//! The pipeline runs one way: [`config`] reads the report settings from
//! `content/_index.md`, [`content`] discovers and splits the section files,
//! [`front_matter`] parses their YAML, [`model`] assembles and validates the
//! [`model::Report`] (tables in [`table`], formulas in [`formula`]), then
//! [`render`] turns it into output files through the [`theme`] (Markdown in
//! [`markdown`], numbers in [`number`], charts in [`chart`]), and [`output`]
//! swaps them into place atomically, after [`offline`] has packed the
//! offline copy. [`site`] is the one place that knows this order, and decides
//! around each stage what [`incremental`] may reuse from an earlier build.
//! Problems in the editor's input are [`diagnostics`]; failures of the
//! environment are [`error::Error`].
//!
//! Everything is `pub(crate)` but the binary's entry ([`cli`]), the build
//! ([`site`], [`progress`], [`Lang`]) and the fuzz targets' entry points
//! ([`fuzz`]); `unreachable_pub` and `missing_docs` keep it so.

mod archive;
mod chart;
pub mod cli;
mod config;
mod content;
mod crosscheck;
mod diagnostics;
mod error;
mod formula;
mod front_matter;
mod front_page;
pub mod fuzz;
mod html;
mod identity;
mod incremental;
mod markdown;
mod model;
mod number;
mod offline;
mod output;
mod palette;
mod participation;
pub mod progress;
mod render;
mod scaffold;
mod serve;
pub mod site;
mod slug;
mod source;
mod spreadsheet;
mod table;
mod theme;
pub use diagnostics::Lang;

/// What the integration tests reach into beyond the build itself; not an
/// interface for other programs.
#[doc(hidden)]
pub mod test_support {
    pub use crate::diagnostics::Diagnostic;
    pub use crate::front_matter::{value_of, Number, Value};
    pub use crate::markdown::inline;
    pub use crate::serve::conn::MAX_CONNECTIONS;
}
