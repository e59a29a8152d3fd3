//! The site being served: an immutable snapshot of the last good build, the
//! text of the last failed one, and a version that changes with every
//! rebuild. The rebuild thread publishes; request threads read a snapshot and
//! wait for the next version. The lock guards only the swap of a pointer and
//! a counter, never the pages themselves, so a slow client cannot block a
//! rebuild and a rebuild cannot block a client.

use crate::diagnostics::Lang;
use crate::render::OutputFile;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The files of one good build, by path relative to the site root.
#[derive(Debug, Default)]
pub struct Site {
    /// As the build made them: joined into one run only when asked for, so
    /// a rebuild does not copy the whole site.
    files: HashMap<String, OutputFile>,
}

impl Site {
    /// Holds `files` for serving.
    pub fn new(files: Vec<OutputFile>) -> Self {
        Site { files: files.into_iter().map(|f| (f.path.clone(), f)).collect() }
    }
    /// The bytes at `path`, if the build produced it.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path)
    }
    /// True before the first good build.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A failed build, as the terminal showed it.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The rendered diagnostics and summary line.
    pub text: String,
    pub lang: Lang,
}

/// What a request sees: one consistent state.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// 0 until the first build ends; then one more for every rebuild.
    pub version: u64,
    pub site: Arc<Site>,
    /// Set while the latest build failed; the site is then the last good one.
    pub problem: Option<Arc<Problem>>,
}

/// The outcome of one build, to publish.
#[derive(Debug)]
pub enum Outcome {
    Good(Site),
    Failed(Problem),
}

/// Shared between the rebuild thread and the request threads.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<Snapshot>,
    changed: Condvar,
    pdf: OnRequest,
}

/// Makes the PDF of the current content, or None when there is none (off,
/// or the content has errors).
pub type PdfMaker = Box<dyn Fn() -> Option<OutputFile> + Send + Sync>;

/// The PDF, which serve's builds leave out to keep saves fast: made on its
/// first request after each rebuild, and kept for that version of the site.
#[derive(Default)]
struct OnRequest {
    maker: std::sync::OnceLock<PdfMaker>,
    /// The version it was made for, and what was made.
    made: Mutex<Option<(u64, Option<OutputFile>)>>,
}

impl std::fmt::Debug for OnRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnRequest").field("maker", &self.maker.get().is_some()).finish_non_exhaustive()
    }
}

impl Live {
    /// The current state.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// Makes `outcome` current and wakes every waiting client. A failed build
    /// keeps the last good site.
    pub fn publish(&self, outcome: Outcome) -> u64 {
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
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
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

    /// How to make the PDF when it is asked for (set once, at start).
    pub fn make_pdf_with(&self, maker: PdfMaker) {
        let _ = self.pdf.maker.set(maker);
    }

    /// The PDF at `path` for the current version of the site, made now if
    /// this version has not made it yet. Requests wait for one another, so
    /// it is made once per version.
    pub fn pdf(&self, path: &str) -> Option<OutputFile> {
        let maker = self.pdf.maker.get()?;
        let version = self.snapshot().version;
        let mut made = self.pdf.made.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let file = match &*made {
            Some((v, file)) if *v == version => file.clone(),
            _ => {
                let file = maker();
                *made = Some((version, file.clone()));
                file
            }
        };
        file.filter(|f| f.path == path)
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
    fn the_pdf_is_made_on_first_request_once_per_version_of_the_site() {
        let live = Live::default();
        assert_eq!(live.pdf("a.pdf"), None, "no maker, no PDF");
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        live.make_pdf_with(Box::new(move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Some(file("a.pdf", "%PDF"))
        }));
        assert_eq!(live.pdf("a.pdf").map(|f| f.bytes().into_owned()), Some(b"%PDF".to_vec()));
        assert_eq!(live.pdf("b.pdf"), None, "only the report's PDF");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1, "made once for this version");
        live.publish(Outcome::Good(Site::new(vec![file("index.html", "nueva")])));
        assert!(live.pdf("a.pdf").is_some());
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2, "made again after a rebuild");
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_site() {
        let live = Live::default();
        live.publish(Outcome::Good(Site::new(vec![file("index.html", "uno")])));
        let v = live.publish(Outcome::Failed(Problem { text: "content/a.md:1:1: error".into(), lang: Lang::Es }));
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
