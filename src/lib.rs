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
pub mod html;
pub mod identity;
pub mod incremental;
pub mod markdown;
pub mod model;
pub mod number;
pub mod offline;
pub mod output;
pub mod palette;
pub mod participation;
pub mod progress;
mod render;
mod scaffold;
mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod spreadsheet;
pub mod table;
pub mod theme;
