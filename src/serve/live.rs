//! The site being served: an immutable snapshot of the last good build, the
//! text of the last failed one, and a version that changes with every
//! rebuild. The rebuild thread publishes; request threads read a snapshot and
//! wait for the next version. The lock guards only the swap of a pointer and
//! a counter, never the pages themselves, so a slow client cannot block a
//! rebuild and a rebuild cannot block a client.

use crate::diagnostics::{Diagnostic, Lang, Severity};
use crate::render::OutputFile;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The files of one good build, by path relative to the site root.
#[derive(Debug, Default)]
pub(super) struct Site {
    /// As the build made them: joined into one run only when asked for, so
    /// a rebuild does not copy the whole site.
    files: HashMap<String, OutputFile>,
}

impl Site {
    /// Holds `files` for serving.
    pub(super) fn new(files: Vec<OutputFile>) -> Self {
        Site { files: files.into_iter().map(|f| (f.path.clone(), f)).collect() }
    }
    /// The bytes at `path`, if the build produced it.
    pub(super) fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path)
    }
    /// True before the first good build.
    pub(super) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A failed build, as the terminal showed it.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    /// Each diagnostic as the terminal printed it, errors first (each
    /// severity in the terminal's order).
    pub items: Vec<(Severity, String)>,
    /// The summary line, or the failure of the environment.
    pub summary: String,
    pub lang: Lang,
}

impl Problem {
    /// The diagnostics of a failed build and its summary line.
    pub(super) fn from_diagnostics(diagnostics: &[Diagnostic], summary: String, lang: Lang) -> Self {
        let mut items: Vec<(Severity, String)> = diagnostics.iter().map(|d| (d.severity, d.render(lang))).collect();
        // Stable: within a severity, the terminal's order (file, line).
        items.sort_by_key(|(severity, _)| *severity != Severity::Error);
        Problem { items, summary, lang }
    }

    /// A build that could not run (disk, panic): one error.
    pub(super) fn failure(text: String, lang: Lang) -> Self {
        Problem { items: vec![(Severity::Error, text)], summary: String::new(), lang }
    }

    /// How many diagnostics of `severity` it holds.
    pub(super) fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|(s, _)| *s == severity).count()
    }
}

/// What a request sees: one consistent state.
#[derive(Debug, Clone, Default)]
pub(super) struct Snapshot {
    /// 0 until the first build ends; then one more for every rebuild.
    pub version: u64,
    pub site: Arc<Site>,
    /// Set while the latest build failed; the site is then the last good one.
    pub problem: Option<Arc<Problem>>,
}

/// The outcome of one build, to publish.
#[derive(Debug)]
pub(super) enum Outcome {
    Good(Site),
    Failed(Problem),
}

/// Shared between the rebuild thread and the request threads.
#[derive(Debug, Default)]
pub(super) struct Live {
    state: Mutex<Snapshot>,
    changed: Condvar,
}

impl Live {
    /// The current state.
    pub(super) fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// Makes `outcome` current and wakes every waiting client. A failed build
    /// keeps the last good site.
    pub(super) fn publish(&self, outcome: Outcome) -> u64 {
        let mut state = self.lock();
        state.version += 1;
        match outcome {
            Outcome::Good(site) => {
                state.site = Arc::new(site);
                state.problem = None;
            }
            Outcome::Failed(problem) => state.problem = Some(Arc::new(problem)),
        }
        self.changed.notify_all();
        state.version
    }

    /// Waits until the version differs from `seen`, or `timeout` passes;
    /// returns the version then.
    pub(super) fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        while state.version == seen {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = match self.changed.wait_timeout(state, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        state.version
    }

    /// A panic in one request thread must not stop the others: the state is
    /// always consistent (it is replaced whole), so a poisoned lock is usable.
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes().to_vec())
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_site() {
        let live = Live::default();
        live.publish(Outcome::Good(Site::new(vec![file("index.html", "uno")])));
        let v = live.publish(Outcome::Failed(Problem::failure("content/a.md:1:1: error".into(), Lang::Es)));
        let s = live.snapshot();
        assert_eq!(v, 2);
        assert_eq!(s.site.get("index.html").map(|f| f.bytes().to_vec()).as_deref(), Some(&b"uno"[..]));
        assert!(s.problem.is_some());
        live.publish(Outcome::Good(Site::new(vec![file("index.html", "dos")])));
        assert!(live.snapshot().problem.is_none());
    }

    #[test]
    fn waiting_returns_at_once_when_the_version_already_moved() {
        let live = Live::default();
        live.publish(Outcome::Good(Site::default()));
        assert_eq!(live.wait_change(0, Duration::from_secs(30)), 1);
        assert_eq!(live.wait_change(1, Duration::from_millis(10)), 1);
    }

    #[test]
    fn a_publish_wakes_a_waiting_client() {
        let live = Arc::new(Live::default());
        let waiter = {
            let live = Arc::clone(&live);
            std::thread::spawn(move || live.wait_change(0, Duration::from_secs(30)))
        };
        live.publish(Outcome::Good(Site::default()));
        assert_eq!(waiter.join().expect("waiter"), 1);
    }
}
