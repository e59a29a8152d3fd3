//! Answers one HTTP request from a [`Snapshot`]: a file of the served set,
//! the reload events, a redirect for a folder without its slash, or 404.
//! Paths are resolved against the set of built files, never against the
//! disk, so `..`, encoded dots, absolute paths and symlinks have nothing to
//! reach; [`resolve`] still refuses them outright so that no lookup ever sees
//! such a name. HTML pages get the reload script (and the error overlay)
//! injected here, on the way out; the built files stay untouched.

use super::inject::{self, EVENTS_PATH};
use super::live::{Live, Snapshot};
use std::io::Write;
use std::time::Duration;

/// How long a long-poll waits before answering "no change"; below the idle
/// timeouts of browsers and proxies.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);

/// One answer, written whole and followed by closing the connection.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    /// Writes the status line, headers and (unless `head_only`) the body.
    pub fn write_to(&self, out: &mut impl Write, head_only: bool) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        if let Some(to) = &self.location {
            head.push_str(&format!("Location: {to}\r\n"));
        }
        // Every rebuild may change any file; the browser must never reuse one.
        head.push_str("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Answers a GET or HEAD for `target`, the request's path and query.
pub fn answer(target: &str, live: &Live) -> Reply {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path == EVENTS_PATH {
        return events(query, live);
    }
    let snap = live.snapshot();
    let Some(key) = resolve(path) else {
        return not_found();
    };
    if let Some(bytes) = snap.site.get(&key) {
        return file(&key, bytes, &snap);
    }
    if key.ends_with(".pdf") {
        if let Some(pdf) = live.pdf(&key) {
            return file(&key, &pdf, &snap);
        }
    }
    if snap.site.get(&format!("{key}/index.html")).is_some() {
        return redirect(&format!("{path}/"));
    }
    if snap.site.is_empty() && snap.problem.is_some() && is_page(&key) {
        return error_page(&snap);
    }
    not_found()
}

/// `?since=N` → waits for a version other than N, answers `{"version":M}`.
fn events(query: &str, live: &Live) -> Reply {
    let since = query.split('&').find_map(|p| p.strip_prefix("since=")).and_then(|v| v.parse::<u64>().ok());
    let version = match since {
        Some(seen) => live.wait_change(seen, POLL_TIMEOUT),
        None => live.snapshot().version,
    };
    respond(200, "application/json", format!("{{\"version\":{version}}}\n").into_bytes())
}

fn file(key: &str, f: &crate::render::OutputFile, snap: &Snapshot) -> Reply {
    let kind = content_type(key);
    if kind.starts_with("text/html") {
        let page = inject::into_page(&f.bytes(), snap.version, snap.problem.as_deref());
        return respond(200, kind, page);
    }
    respond(200, kind, f.bytes().into_owned())
}

/// Before the first good build there is no site: every page shows the error.
fn error_page(snap: &Snapshot) -> Reply {
    let page = inject::into_page(
        b"<!doctype html><meta charset=\"utf-8\"><title>cuenta</title><body></body>",
        snap.version,
        snap.problem.as_deref(),
    );
    respond(503, "text/html; charset=utf-8", page)
}

fn is_page(key: &str) -> bool {
    key.ends_with(".html")
}

fn not_found() -> Reply {
    text(404, "404: no existe / not found\n")
}

fn redirect(to: &str) -> Reply {
    // The path came from the request line, which holds no CR or LF; a
    // header value is still checked before it is written.
    let location = (!to.contains(['\r', '\n'])).then(|| to.to_string());
    Reply { location, ..text(301, "\n") }
}

/// A plain-text answer.
pub fn text(status: u16, body: &str) -> Reply {
    respond(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
}

fn respond(status: u16, content_type: &'static str, body: Vec<u8>) -> Reply {
    Reply { status, content_type, location: None, body }
}

/// The served path for a request path, or None when it could name anything
/// outside the site: `/` and `dir/` map to `index.html`; percent escapes are
/// decoded first, then empty, `.` and `..` segments, backslashes, colons and
/// NULs are refused.
pub fn resolve(path: &str) -> Option<String> {
    let rest = path.strip_prefix('/')?;
    let decoded = percent_decode(rest)?;
    let folder = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut key = String::with_capacity(decoded.len() + 10);
    if !trimmed.is_empty() {
        for segment in trimmed.split('/') {
            let bad = segment.is_empty() || segment == "." || segment == ".." || segment.contains(['\\', ':', '\0']);
            if bad {
                return None;
            }
            key.push_str(segment);
            key.push('/');
        }
    }
    if folder {
        key.push_str("index.html");
    } else {
        key.pop();
    }
    Some(key)
}

/// Decodes `%XX` escapes; None for a broken escape or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a served path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "zip" => "application/zip",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pages_folders_and_refuses_escapes() {
        let cases: [(&str, Option<&str>); 14] = [
            ("/", Some("index.html")),
            ("/seguridad.html", Some("seguridad.html")),
            ("/datos/", Some("datos/index.html")),
            ("/datos/visas.csv", Some("datos/visas.csv")),
            ("/assets/Estilo%20nuevo.css", Some("assets/Estilo nuevo.css")),
            ("/../Cargo.toml", None),
            ("/%2e%2e/%2e%2e/etc/passwd", None),
            ("/%2E%2E/x", None),
            ("/a/%2f/b", None),
            ("//etc/passwd", None),
            ("/./index.html", None),
            ("/a\\..\\b", None),
            ("/C:/Windows", None),
            ("/%zz", None),
        ];
        for (path, expected) in cases {
            assert_eq!(resolve(path).as_deref(), expected, "{path}");
        }
        assert_eq!(resolve("etc/passwd"), None);
        assert_eq!(resolve("/%00"), None);
    }

    #[test]
    fn types_follow_the_extension() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/style.css", "text/css; charset=utf-8"),
            ("search-index.js", "text/javascript; charset=utf-8"),
            ("assets/logo.SVG", "image/svg+xml"),
            ("datos/visas.csv", "text/csv; charset=utf-8"),
            ("datos/datapackage.json", "application/json"),
            ("cuenta-publica-2018.zip", "application/zip"),
            ("LICENSE", "application/octet-stream"),
        ];
        for (path, expected) in cases {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }
}
