//! cuenta compiles a report folder into a static website.
//!
//! The pipeline runs one way: [`config`] reads the report settings from
//! `content/_index.md`, [`content`] discovers and splits the section files,
//! [`front_matter`] parses their YAML, [`model`] assembles and validates the
//! [`model::Report`] (tables in [`table`], formulas in [`formula`]), then
//! [`render`] turns it into output files through the [`theme`] (Markdown in
//! [`markdown`], numbers in [`number`], charts in [`chart`]), and [`output`]
//! swaps them into place atomically, after [`offline`] has packed the
//! offline copy; with the `pdf` feature, [`pdf`] typesets the report as a PDF
//! too. [`site`] is the one place that knows this order, and decides
//! around each stage what [`incremental`] may reuse from an earlier build.
//! Problems in the editor's input are [`diagnostics`]; failures of the
//! environment are [`error::Error`].

pub mod archive;
pub mod chart;
pub mod cli;
pub mod config;
pub mod content;
pub mod crosscheck;
pub mod diagnostics;
pub mod error;
pub mod formula;
pub mod front_matter;
pub mod front_page;
pub mod fuzz;
pub mod html;
pub mod incremental;
pub mod markdown;
pub mod model;
pub mod number;
pub mod offline;
pub mod output;
pub mod palette;
pub mod participation;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod table;
pub mod theme;
