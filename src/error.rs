//! Failures of the environment (disk, theme engine, sockets), as opposed to
//! problems in the editor's content, which are [`crate::diagnostics`].
//! Every variant carries the path or name it concerns.

use std::path::PathBuf;

/// An environment failure: cuenta could not do its work, whatever the content.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: refusing to replace a folder that cuenta did not create (no {marker} file inside); choose another --output or empty it")]
    ForeignOutput { path: PathBuf, marker: &'static str },
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;
