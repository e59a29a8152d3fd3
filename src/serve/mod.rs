//! `cuenta serve`: builds the report in memory, serves it over HTTP on the
//! loopback address, watches `content/` and `themes/`, rebuilds on save and
//! makes open pages reload themselves.
//!
//! The site is held in memory ([`crate::site::compile`]) rather than written
//! to `output/`: a save then costs no disk writes, `output/` keeps whatever
//! the editor last published, and the server can only ever answer with files
//! of the build (there is no folder on disk to escape from). The offline zip
//! is left out for speed, and the PDF is made when it is first asked for;
//! pages show "—" for their sizes.
//!
//! Threads: one rebuilds (fed by the file watcher), the main one accepts
//! connections, and each connection gets its own short-lived thread (up to a
//! cap), so a long-poll never holds up a page. They share one `live::Live`.
//! A panic in a rebuild is caught and shown like a failed build: the
//! rebuild thread lives on and the next save is built again.

mod conn;
mod http;
mod inject;
mod live;
mod watch;

use crate::diagnostics::Lang;
use crate::error::{Error, Result};
use crate::render::OutputFile;
use crate::site::{self, BuildOptions, BuildReport, Session};
use live::{Live, Outcome, Problem, Site};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use conn::{MAX_CONNECTIONS, MAX_HEAD};
pub use http::{content_type, resolve};
pub use inject::{EVENTS_PATH, OVERLAY_ID, SCRIPT_ID};

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The report folder.
    pub root: PathBuf,
    /// Address to listen on; loopback unless chosen on purpose.
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    /// Message language; the report's by default.
    pub lang: Option<Lang>,
}

/// Serves until the process is stopped. Prints the URL on stdout once the
/// first build is done; build output and logs go to stderr.
pub fn run(opts: &ServeOptions) -> Result<()> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| Error::Other(format!("{addr}: cannot listen: {e}")))?;
    let bound = listener.local_addr().map_err(|e| Error::Other(format!("{addr}: cannot listen: {e}")))?;
    let live = Arc::new(Live::default());
    // The session keeps parsed sections and rendered bodies in memory, so a
    // save re-parses and re-renders only what it changed.
    let session = Arc::new(Session::new());
    let build_opts = BuildOptions {
        write: false,
        offline_copy: false,
        pdf: false,
        lang: opts.lang,
        session: Some(session),
        ..BuildOptions::new(&opts.root)
    };
    // One build at a time in the session: a save's rebuild or the PDF.
    let building = Arc::new(Mutex::new(()));
    live.make_pdf_with(Box::new({
        let (opts, building) = (BuildOptions { pdf: true, ..build_opts.clone() }, Arc::clone(&building));
        move || {
            let _one = building.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let (summary, files) = site::compile(&opts).ok()?;
            if summary.failed(opts.strict) {
                return None;
            }
            files.into_iter().find(|f| f.path.ends_with(".pdf") && !f.path.contains('/'))
        }
    }));
    rebuild(&build_opts, &live, &building);
    let watching = watch::start(&opts.root, {
        let live = Arc::clone(&live);
        move || rebuild(&build_opts, &live, &building)
    });
    if let Err(e) = &watching {
        eprintln!("cuenta: {e}; the site will not rebuild on save");
    }
    let url = match bound {
        SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
        a => format!("http://{a}/"),
    };
    println!("{url}");
    eprintln!("cuenta: {url} (Ctrl+C)");
    if !opts.bind.is_loopback() {
        eprintln!("cuenta: listening on {}: other machines on the network can see this site", opts.bind);
    }
    conn::accept(&listener, &live, &Arc::new(conn::Hosts::for_addr(bound)));
    drop(watching);
    Ok(())
}

/// Builds once, prints what `cuenta build` would, and publishes the result.
fn rebuild(opts: &BuildOptions, live: &Live, building: &Mutex<()>) {
    let _one = building.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let lang = opts.lang.unwrap_or_default();
    publish(live, lang, opts.strict, || site::compile(opts));
}

/// Runs `compile` and publishes its outcome. A panic inside it (a bug in
/// cuenta, not in the content) is published as a failed build, so the
/// browser shows it over the last good site and the next save rebuilds;
/// before, it killed the rebuild thread and the server never rebuilt again.
fn publish(live: &Live, lang: Lang, strict: bool, compile: impl FnOnce() -> Result<(BuildReport, Vec<OutputFile>)>) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(compile));
    let result = result.unwrap_or_else(|payload| Err(Error::Other(internal_error(lang, payload.as_ref()))));
    let (text, outcome) = match result {
        Ok((summary, files)) => {
            let mut text: String = summary.diagnostics.iter().map(|d| d.render(summary.lang)).collect();
            text.push_str(&summary.summary_line());
            text.push('\n');
            let outcome = if summary.failed(strict) {
                Outcome::Failed(Problem { text: text.clone(), lang: summary.lang })
            } else {
                Outcome::Good(Site::new(files))
            };
            (text, outcome)
        }
        Err(e) => {
            let text = format!("error: {e}\n");
            (text.clone(), Outcome::Failed(Problem { text, lang }))
        }
    };
    eprint!("{text}");
    live.publish(outcome);
}

/// The text shown for a panic, with its message when it has one.
fn internal_error(lang: Lang, payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    match lang {
        Lang::Es => format!(
            "error interno de cuenta al compilar ({detail}); guarde de nuevo para reintentar, y si se repite, informe el error"
        ),
        Lang::En => {
            format!("internal error in cuenta while building ({detail}); save again to retry, and if it repeats, report it")
        }
    }
}

/// How long the watcher waits for a burst of saves to settle. An editor's
/// save (write in place, or write a temporary file and rename it) sends its
/// events within a few milliseconds; every millisecond here is added to each
/// save-to-reload, so it is kept short.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_rebuild_is_shown_as_a_failed_build_and_the_next_one_publishes() {
        let live = Live::default();
        publish(&live, Lang::Es, false, || panic!("índice fuera de rango"));
        let snap = live.snapshot();
        let problem = snap.problem.expect("the panic is published as a problem");
        assert!(
            problem.text.contains("error interno de cuenta al compilar (índice fuera de rango)"),
            "{}",
            problem.text
        );
        assert_eq!(snap.version, 1, "clients waiting for a change are woken");
        let report = BuildReport {
            pages: 1,
            tables: 0,
            charts: 0,
            diagnostics: Vec::new(),
            errors: 0,
            warnings: 0,
            millis: 0,
            figures: Default::default(),
            lang: Lang::Es,
            written: false,
            output: PathBuf::new(),
        };
        let page = OutputFile::new("index.html", b"ok".to_vec());
        publish(&live, Lang::Es, false, move || Ok((report, vec![page])));
        let snap = live.snapshot();
        assert!(snap.problem.is_none() && snap.site.get("index.html").is_some(), "the next save builds again");
    }
}
