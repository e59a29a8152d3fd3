//! The connections of the preview server: accepts them with a cap on how
//! many are open at once, reads one request head of bounded size, checks
//! that it is addressed to this server (DNS rebinding: a web page the
//! editor visits must not read the unpublished draft through a name that
//! resolves to 127.0.0.1), answers it through [`super::http`] and closes.
//! One request per connection keeps every limit simple; the pages are
//! served from memory, so a new connection per file costs little on
//! loopback.

use super::http::{self, Reply};
use super::live::Live;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The largest request head read: request line and headers. Browsers send
/// a few hundred bytes; a 300 MB header was once kept whole in memory.
pub(crate) const MAX_HEAD: usize = 16 * 1024;

/// Connections open at once. Each is a thread (a long-poll holds one for
/// up to 25 s); a few open tabs need a handful. Beyond the cap a connection
/// is answered 503 at once instead of getting a thread.
pub const MAX_CONNECTIONS: usize = 64;

/// How long a client may take to send its head, or to take the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The `Host` values a request may carry.
#[derive(Debug, Clone)]
pub(super) enum Hosts {
    /// Any host: the editor bound a non-loopback address on purpose.
    Any,
    /// Exactly these (lower case, with the port).
    Only(Vec<String>),
}

impl Hosts {
    /// For a server listening on `addr`: loopback names with the port when
    /// the address is a loopback one; any host otherwise (`--bind` chose to
    /// be seen by other machines, under names the server cannot know).
    pub(super) fn for_addr(addr: SocketAddr) -> Hosts {
        if !addr.ip().is_loopback() {
            return Hosts::Any;
        }
        let port = addr.port();
        let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "[::1]".to_string()];
        if let IpAddr::V4(ip) = addr.ip() {
            names.push(ip.to_string());
        }
        let mut allowed: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
        if port == 80 {
            allowed.extend(names);
        }
        Hosts::Only(allowed)
    }

    fn allows(&self, host: &str) -> bool {
        match self {
            Hosts::Any => true,
            Hosts::Only(list) => list.iter().any(|h| h.eq_ignore_ascii_case(host)),
        }
    }
}

/// Accepts connections until the listener fails; each is answered on its
/// own thread while fewer than [`MAX_CONNECTIONS`] are open.
pub(super) fn accept(listener: &TcpListener, live: &Arc<Live>, hosts: &Arc<Hosts>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = http::text(503, "demasiadas conexiones / too many connections\n").write_to(&mut stream, false);
            continue;
        }
        let slot = Slot(Arc::clone(&open));
        let (live, hosts) = (Arc::clone(live), Arc::clone(hosts));
        let spawned = std::thread::Builder::new().spawn(move || {
            let _slot = slot;
            serve_one(stream, &live, &hosts);
        });
        // A thread that cannot start drops its closure, and with it the slot.
        drop(spawned);
    }
}

/// Frees its connection's place when the thread ends, even by a panic.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn serve_one(mut stream: TcpStream, live: &Live, hosts: &Hosts) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let (reply, head_only) = match read_head(&mut stream) {
        Ok(head) => route(&head, live, hosts),
        Err(status) => (refusal(status), false),
    };
    // Errors writing the answer (the client went away) are not the
    // server's problem.
    let _ = reply.write_to(&mut stream, head_only);
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Reads up to the blank line that ends the head. Err(431) past
/// [`MAX_HEAD`], Err(400) for a connection closed early or a head that is
/// not text.
fn read_head(stream: &mut impl Read) -> Result<String, u16> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).map_err(|_| 400u16)?;
        if n == 0 {
            return Err(400);
        }
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&head[from..], b"\r\n\r\n") {
            head.truncate(from + end);
            break;
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
    }
    if head.len() > MAX_HEAD {
        return Err(431);
    }
    String::from_utf8(head).map_err(|_| 400)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What a request head is answered with, and whether the body is left out.
fn route(head: &str, live: &Live, hosts: &Hosts) -> (Reply, bool) {
    let Some(request) = parse(head) else {
        return (refusal(400), false);
    };
    if !request.host.as_deref().is_some_and(|h| hosts.allows(h)) {
        return (refusal(403), false);
    }
    match request.method {
        "GET" => (http::answer(&request.target, live), false),
        "HEAD" => (http::answer(&request.target, live), true),
        _ => (refusal(405), false),
    }
}

fn refusal(status: u16) -> Reply {
    let body = match status {
        403 => "403: este servidor solo responde a su propia dirección / this server answers only its own address\n",
        405 => "método no permitido / method not allowed\n",
        431 => "431: encabezado demasiado grande / request header too large\n",
        _ => "400: solicitud inválida / bad request\n",
    };
    http::text(status, body)
}

/// The parts of a request head the server uses.
#[derive(Debug, PartialEq, Eq)]
struct Request<'a> {
    method: &'a str,
    /// Path and query, whatever form the request line used.
    target: String,
    /// The authority of an absolute-form target, else the Host header.
    host: Option<String>,
}

fn parse(head: &str) -> Option<Request<'_>> {
    let mut lines = head.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, raw_target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") {
        return None;
    }
    let header_host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim().to_string());
    let (target, host) = match absolute_form(raw_target) {
        // RFC 9112 §3.2.2: the target's authority wins over Host.
        Some((authority, path)) => (path, Some(authority)),
        None if raw_target.starts_with('/') => (raw_target.to_string(), header_host),
        None => return None,
    };
    Some(Request { method, target, host })
}

/// `http://host:port/path?q` → (`host:port`, `/path?q`).
fn absolute_form(target: &str) -> Option<(String, String)> {
    let scheme_end = target.find("://")?;
    if !target[..scheme_end].eq_ignore_ascii_case("http") {
        return None;
    }
    let rest = &target[scheme_end + 3..];
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    Some((authority.to_string(), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Hosts {
        Hosts::for_addr("127.0.0.1:4000".parse().expect("addr"))
    }

    #[test]
    fn only_the_bound_address_and_its_loopback_names_are_answered() {
        let hosts = loopback();
        for good in ["localhost:4000", "LOCALHOST:4000", "127.0.0.1:4000", "[::1]:4000"] {
            assert!(hosts.allows(good), "{good}");
        }
        for bad in ["evil.example:4000", "localhost", "localhost:4001", "127.0.0.1", "attacker.com"] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        assert!(Hosts::for_addr("0.0.0.0:4000".parse().expect("addr")).allows("mi-equipo.local:4000"));
    }

    #[test]
    fn an_absolute_form_target_is_answered_like_its_path() {
        let r = parse("GET http://localhost:4000/datos/?x=1 HTTP/1.1\r\nHost: otro:1").expect("parsed");
        assert_eq!(r.target, "/datos/?x=1");
        assert_eq!(r.host.as_deref(), Some("localhost:4000"));
        let r = parse("GET http://localhost:4000 HTTP/1.1").expect("parsed");
        assert_eq!(r.target, "/");
        assert_eq!(parse("GET ftp://x/ HTTP/1.1"), None);
        assert_eq!(parse("GET * HTTP/1.1"), None);
    }

    #[test]
    fn a_head_past_the_limit_is_refused_without_reading_on() {
        let mut endless = std::io::repeat(b'a');
        assert_eq!(read_head(&mut endless), Err(431));
        let mut short = &b"GET / HTTP/1.1\r\nHost: localhost:4000\r\n\r\nbody"[..];
        assert_eq!(read_head(&mut short).as_deref(), Ok("GET / HTTP/1.1\r\nHost: localhost:4000"));
    }
}
