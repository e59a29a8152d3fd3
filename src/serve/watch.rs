//! Watches `content/` and `themes/` and calls a rebuild after each burst of
//! changes has settled (no event for [`DEBOUNCE`]). Saves that land while a
//! build runs are coalesced into one more build. Reads are not changes: the
//! build itself opens every file, and counting that would rebuild forever.
//! Editor droppings (swap and backup files) are ignored too.
//!
//! The debounce is a few lines here rather than notify-debouncer-mini, whose
//! events drop the event kind that tells a read from a write.

use super::DEBOUNCE;
use crate::error::{Error, Result};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watching {
    _thread: std::thread::JoinHandle<()>,
}

/// Starts watching `root`; `rebuild` runs on the watcher's own thread.
pub(super) fn start(root: &Path, rebuild: impl Fn() + Send + 'static) -> Result<Watching> {
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| Error::Other(format!("file watcher: {e}")))?;
    let dirs = Dirs::new(root);
    watcher
        .watch(&dirs.content, RecursiveMode::Recursive)
        .map_err(|e| Error::Other(format!("{}: cannot watch: {e}", dirs.content.display())))?;
    // The root itself, not recursively: to notice a themes/ folder created
    // after start without watching output/ or a target/ beside it.
    watcher
        .watch(&dirs.root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Other(format!("{}: cannot watch: {e}", dirs.root.display())))?;
    let mut themes_watched = dirs.themes.is_dir() && watcher.watch(&dirs.themes, RecursiveMode::Recursive).is_ok();
    let thread = std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut relevant = dirs.changed(&first);
            loop {
                match rx.recv_timeout(DEBOUNCE) {
                    Ok(more) => relevant |= dirs.changed(&more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            if !themes_watched && dirs.themes.is_dir() {
                themes_watched = watcher.watch(&dirs.themes, RecursiveMode::Recursive).is_ok();
            }
            if relevant {
                rebuild();
            }
        }
    });
    Ok(Watching { _thread: thread })
}

struct Dirs {
    root: PathBuf,
    content: PathBuf,
    themes: PathBuf,
}

impl Dirs {
    fn new(root: &Path) -> Self {
        // Events arrive with absolute paths; compare like with like.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Dirs { content: root.join("content"), themes: root.join("themes"), root }
    }

    /// An event that can alter the site.
    fn changed(&self, event: &notify::Result<Event>) -> bool {
        match event {
            Ok(e) => !matches!(e.kind, EventKind::Access(_)) && e.paths.iter().any(|p| self.matters(p)),
            // The watcher lost track (e.g. queue overflow): rebuild to be safe.
            Err(_) => true,
        }
    }

    /// A path whose change can alter the site.
    fn matters(&self, path: &Path) -> bool {
        let inside = path.starts_with(&self.content) || path.starts_with(&self.themes);
        inside && !is_editor_file(path)
    }
}

fn is_editor_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") || name.starts_with(".#") || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_changes() {
        let dirs = Dirs { root: "/r".into(), content: "/r/content".into(), themes: "/r/themes".into() };
        let at = |kind| Ok(Event::new(kind).add_path("/r/content/01-a.md".into()));
        assert!(!dirs.changed(&at(EventKind::Access(notify::event::AccessKind::Any))));
        assert!(dirs.changed(&at(EventKind::Modify(notify::event::ModifyKind::Any))));
        assert!(dirs.changed(&at(EventKind::Create(notify::event::CreateKind::File))));
    }

    #[test]
    fn only_content_and_theme_changes_matter() {
        let dirs = Dirs { root: "/r".into(), content: "/r/content".into(), themes: "/r/themes".into() };
        let cases = [
            ("/r/content/01-a.md", true),
            ("/r/content/sub/02-b.md", true),
            ("/r/themes/mine/templates/base.html", true),
            ("/r/themes", true),
            ("/r/output/index.html", false),
            ("/r/.output.cuenta-tmp/index.html", false),
            ("/r/content/.01-a.md.swp", false),
            ("/r/content/01-a.md~", false),
            ("/r/content/4913", false),
        ];
        for (path, expected) in cases {
            assert_eq!(dirs.matters(Path::new(path)), expected, "{path}");
        }
    }
}
