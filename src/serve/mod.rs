//! `cuenta serve`: builds the report in memory, serves it over HTTP on the
//! loopback address, watches `content/` and `themes/`, rebuilds on save and
//! makes open pages reload themselves.
//!
//! The site is held in memory ([`crate::site::compile`]) rather than written
//! to `output/`: a save then costs no disk writes, `output/` keeps whatever
//! the editor last published, and the server can only ever answer with files
//! of the build (there is no folder on disk to escape from). The offline zip
//! is left out for speed; pages show "—" for its size.
//!
//! Threads: one rebuilds (fed by the file watcher), the main one accepts
//! connections, and each request gets its own short-lived thread, so a
//! long-poll never holds up a page. They share one `live::Live`.

mod http;
mod inject;
mod live;
mod watch;

use crate::diagnostics::Lang;
use crate::error::{Error, Result};
use crate::site::{self, BuildOptions, Session};
use live::{Live, Outcome, Problem, Site};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

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
    let server = tiny_http::Server::http(addr).map_err(|e| Error::Other(format!("{addr}: cannot listen: {e}")))?;
    let live = Arc::new(Live::default());
    // The session keeps parsed sections and rendered bodies in memory, so a
    // save re-parses and re-renders only what it changed.
    let session = Arc::new(Session::new());
    let build_opts = BuildOptions {
        write: false,
        offline_copy: false,
        lang: opts.lang,
        session: Some(session),
        ..BuildOptions::new(&opts.root)
    };
    rebuild(&build_opts, &live);
    let watching = watch::start(&opts.root, {
        let live = Arc::clone(&live);
        move || rebuild(&build_opts, &live)
    });
    if let Err(e) = &watching {
        eprintln!("cuenta: {e}; the site will not rebuild on save");
    }
    let url = match server.server_addr().to_ip() {
        Some(SocketAddr::V6(a)) => format!("http://[{}]:{}/", a.ip(), a.port()),
        Some(a) => format!("http://{a}/"),
        None => format!("http://{addr}/"),
    };
    println!("{url}");
    eprintln!("cuenta: {url} (Ctrl+C)");
    if !opts.bind.is_loopback() {
        eprintln!("cuenta: listening on {}: other machines on the network can see this site", opts.bind);
    }
    for request in server.incoming_requests() {
        let live = Arc::clone(&live);
        std::thread::spawn(move || http::handle(request, &live));
    }
    drop(watching);
    Ok(())
}

/// Builds once, prints what `cuenta build` would, and publishes the result.
fn rebuild(opts: &BuildOptions, live: &Live) {
    // A panic in a build (a bug, never the editor's fault) must not kill the
    // rebuild thread: it becomes an error shown over the last good site, and
    // the next save builds again.
    let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| site::compile(opts)))
        .unwrap_or_else(|_| Err(Error::Other("internal error: the build panicked; please report it".into())));
    let (text, outcome) = match compiled {
        Ok((summary, files)) => {
            let mut text: String = summary.diagnostics.iter().map(|d| d.render(summary.lang)).collect();
            text.push_str(&summary.summary_line());
            text.push('\n');
            let outcome = if summary.failed(opts.strict) {
                Outcome::Failed(Problem { text: text.clone(), lang: summary.lang })
            } else {
                Outcome::Good(Site::new(files))
            };
            (text, outcome)
        }
        Err(e) => {
            let text = format!("error: {e}\n");
            (text.clone(), Outcome::Failed(Problem { text, lang: opts.lang.unwrap_or_default() }))
        }
    };
    eprint!("{text}");
    live.publish(outcome);
}

/// How long the watcher waits for a burst of saves to settle. An editor's
/// save (write in place, or write a temporary file and rename it) sends its
/// events within a few milliseconds; every millisecond here is added to each
/// save-to-reload, so it is kept short.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
