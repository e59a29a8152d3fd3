//! Save-to-reload benchmark for `cuenta serve` (issue 7).
//!
//! ```text
//! cargo run --release --example reload -- --root DIR [--edits 11] [--cuenta PATH]
//! ```
//!
//! Starts `cuenta serve --port 0` on the report in `DIR`, then, `--edits`
//! times: waits on the events endpoint the way an open page does, appends a
//! sentence to the middle section's file and measures the time from the write
//! to the answer that tells the page to reload (debounce and rebuild
//! included), then checks that the page now carries the sentence. Prints each
//! edit and the median, minimum and maximum in milliseconds; the file is put
//! back as it was. `--cuenta` defaults to the `cuenta` binary beside this
//! example's folder (`target/release/cuenta`).
//!
//! Only std: the client speaks just enough HTTP/1.1 for two endpoints.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const EVENTS: &str = "/__cuenta/events";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reload: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    root: PathBuf,
    edits: usize,
    cuenta: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut root = None;
    let mut edits = 11;
    let mut cuenta = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("cuenta")))
        .unwrap_or_else(|| PathBuf::from("cuenta"));
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--root" => root = Some(PathBuf::from(value()?)),
            "--edits" => edits = value()?.parse().map_err(|_| "--edits takes a number")?,
            "--cuenta" => cuenta = PathBuf::from(value()?),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(Args { root: root.ok_or("--root DIR is required")?, edits: edits.max(1), cuenta })
}

/// The server, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run() -> Result<(), String> {
    let args = args()?;
    let (file, page) = middle_section(&args.root)?;
    let original = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut child = Command::new(&args.cuenta)
        .args(["serve", "--port", "0", "--root"])
        .arg(&args.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", args.cuenta.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    let mut url = String::new();
    BufReader::new(stdout).read_line(&mut url).map_err(|e| e.to_string())?;
    let addr = url.trim().trim_start_matches("http://").trim_end_matches('/').to_string();
    if addr.is_empty() {
        return Err("cuenta serve printed no address".into());
    }
    let result = edits(&addr, &file, &original, &page, args.edits);
    // Put the section back even when a measurement failed.
    let restored = std::fs::write(&file, &original).map_err(|e| format!("{}: {e}", file.display()));
    drop(server);
    let mut times = result?;
    restored?;
    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!(
        "save-to-reload: median {median:.0} ms, min {:.0} ms, max {:.0} ms over {} edits",
        times[0],
        times[times.len() - 1],
        times.len()
    );
    Ok(())
}

fn edits(addr: &str, file: &Path, original: &str, page: &str, n: usize) -> Result<Vec<f64>, String> {
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        std::thread::sleep(Duration::from_millis(300));
        let seen = version(&get(addr, EVENTS)?)?;
        let waiter = {
            let addr = addr.to_string();
            std::thread::spawn(move || get(&addr, &format!("{EVENTS}?since={seen}")))
        };
        // Let the long-poll reach the server before the save.
        std::thread::sleep(Duration::from_millis(150));
        let marker = format!("Edición de prueba número {i}.");
        let start = Instant::now();
        std::fs::write(file, format!("{original}\n{marker}\n")).map_err(|e| format!("{}: {e}", file.display()))?;
        let answer = waiter.join().map_err(|_| "waiting thread panicked")??;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if version(&answer)? == seen {
            return Err(format!("edit {i}: the server answered without a new version"));
        }
        if !get(addr, &format!("/{page}"))?.contains(&marker) {
            return Err(format!("edit {i}: {page} does not show the edit"));
        }
        println!("edit {i}: {ms:.0} ms");
        times.push(ms);
    }
    Ok(times)
}

/// The file in the middle of `content/` (by name) and the page it becomes.
fn middle_section(root: &Path) -> Result<(PathBuf, String), String> {
    let dir = root.join("content");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.file_name().is_some_and(|n| n != "_index.md"))
        .collect();
    files.sort();
    let file = files.get(files.len() / 2).ok_or("no sections in content/")?.clone();
    let stem = file.file_stem().and_then(|s| s.to_str()).ok_or("odd file name")?;
    // `0500-seccion-500` → `seccion-500`: numeric prefixes are dropped.
    let slug = stem.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['-', '_']);
    Ok((file.clone(), format!("{slug}.html")))
}

/// GET `path` and return the body (the server closes each connection).
fn get(addr: &str, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("{addr}: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut response = String::new();
    stream.read_to_string(&mut response).map_err(|e| format!("{path}: {e}"))?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or(format!("{path}: no HTTP answer"))?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("{path}: {}", head.lines().next().unwrap_or("")));
    }
    Ok(body.to_string())
}

fn version(json: &str) -> Result<u64, String> {
    json.split("\"version\":")
        .nth(1)
        .map(|v| v.trim_start().chars().take_while(char::is_ascii_digit).collect::<String>())
        .and_then(|v| v.parse().ok())
        .ok_or(format!("not an events answer: {json}"))
}
