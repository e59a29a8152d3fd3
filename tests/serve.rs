//! `cuenta serve`, driven through the real binary on loopback with port 0:
//! content types, refusal of paths that leave the site, the injected reload
//! script, rebuild on save, the error overlay and its removal, and a bounded
//! concurrent load. Every wait polls with a deadline; no fixed sleeps.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(10);

const INDEX: &str = "---\ntitle: Cuenta Pública Participativa 2019\ninstitution: Gobernación de Prueba\nyear: 2019\nlanguage: es-CL\n---\nPresentación.\n";

const SECTION: &str = r#"---
title: Atención
weight: 1
tables:
  - id: atenciones
    caption: Atenciones por trimestre
    columns:
      - { id: trimestre, label: Trimestre }
      - { id: total, label: Total, type: integer }
    rows:
      - [Primero, 120]
      - [Segundo, 135]
charts:
  - id: atenciones-grafico
    table: atenciones
    type: bar
    x: trimestre
    y: total
    title: Atenciones
---
Texto original de la sección.

{{ table(id="atenciones") }}

{{ chart(id="atenciones-grafico") }}
"#;

/// A report in a temp dir and `cuenta serve` running on it; killed on drop.
struct Served {
    dir: tempfile::TempDir,
    child: Child,
    addr: String,
    url: String,
    stderr: Arc<Mutex<String>>,
}

impl Served {
    fn start(section: &str) -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "content/_index.md", INDEX);
        write(dir.path(), "content/01-atencion.md", section);
        let mut child = Command::new(env!("CARGO_BIN_EXE_cuenta"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cuenta serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        drain(child.stderr.take().expect("stderr"), Arc::clone(&stderr));
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let _ = tx.send(line);
            }
        });
        let mut served = Served { dir, child, addr: String::new(), url: String::new(), stderr };
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no URL printed; stderr: {}", served.log()));
        served.url = line.expect("stdout line").trim().to_string();
        served.addr = served.url.trim_start_matches("http://").trim_end_matches('/').to_string();
        served
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn log(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn get(&self, path: &str) -> Reply {
        get(&self.addr, path)
    }

    fn version(&self) -> u64 {
        let body = self.get("/__cuenta/events").body;
        body.trim()
            .trim_start_matches("{\"version\":")
            .trim_end_matches('}')
            .parse()
            .unwrap_or_else(|_| panic!("events: {body}"))
    }

    /// Polls `path` until `check` holds; panics with the last reply after the deadline.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(path);
            if check(&reply) {
                return reply;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "{what}: not seen within {DEADLINE:?}\nlast reply: {} {}\nserver log:\n{}",
                    reply.status,
                    reply.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain(mut from: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut s) = into.lock() {
                s.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
}

fn write(root: &Path, rel: &str, text: &str) {
    let path: PathBuf = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn content_type(&self) -> &str {
        self.headers
            .lines()
            .find_map(|l| l.strip_prefix("Content-Type: ").or_else(|| l.strip_prefix("content-type: ")))
            .unwrap_or("")
    }
}

/// A plain HTTP/1.1 GET, path sent exactly as given (no normalisation).
fn get(addr: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(40))).expect("timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, headers: head.to_string(), body: body.to_string() }
}

#[test]
fn listens_on_loopback_and_serves_pages_with_their_content_types() {
    let s = Served::start(SECTION);
    assert!(s.url.starts_with("http://127.0.0.1:"), "{}", s.url);
    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/atencion.html", "text/html; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/search-index.js", "text/javascript; charset=utf-8"),
        ("/datos/atenciones.csv", "text/csv; charset=utf-8"),
        ("/datos/datapackage.json", "application/json"),
    ];
    for (path, kind) in cases {
        let r = s.get(path);
        assert_eq!((r.status, r.content_type()), (200, kind), "{path}");
    }
    let page = s.get("/atencion.html").body;
    assert!(page.contains("<svg"), "the chart is inline SVG");
    assert!(!s.root().join("output").exists(), "serve keeps the site in memory and writes nothing");
}

#[test]
fn injects_the_reload_script_into_served_pages_only() {
    let s = Served::start(SECTION);
    let page = s.get("/atencion.html").body;
    let script = page.find("<script id=\"cuenta-serve-reload\">").expect("reload script in the page");
    assert!(script < page.rfind("</body>").expect("body end"), "the script sits inside <body>");
    assert!(page.contains("/__cuenta/events?since="), "{page}");
    assert!(!s.get("/assets/style.css").body.contains("cuenta-serve-reload"));
    assert!(!s.get("/search-index.js").body.contains("cuenta-serve-reload"));
}

#[test]
fn answers_404_to_paths_that_leave_the_site() {
    let s = Served::start(SECTION);
    write(s.root(), "secreto.txt", "no debe verse");
    let attempts = [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/../secreto.txt",
        "/%2e%2e/secreto.txt",
        "/content/_index.md",
        "/../content/01-atencion.md",
        "/assets/../../secreto.txt",
        "/assets/..%5c..%5csecreto.txt",
        "/no-existe.html",
    ];
    for path in attempts {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(!r.body.contains("no debe verse") && !r.body.contains("root:"), "{path}");
    }
}

#[test]
fn a_save_rebuilds_and_wakes_a_waiting_page() {
    let s = Served::start(SECTION);
    let before = s.version();
    let addr = s.addr.clone();
    let waiting = std::thread::spawn(move || get(&addr, &format!("/__cuenta/events?since={before}")).body);
    // Parked or not when the save lands, the poll answers with a newer version.
    write(s.root(), "content/01-atencion.md", &SECTION.replace("Texto original", "Texto corregido"));
    let answer = waiting.join().expect("long-poll");
    let after: u64 = answer.trim().trim_start_matches("{\"version\":").trim_end_matches('}').parse().expect("version");
    assert!(after > before, "{answer}");
    let page = s.wait_for("/atencion.html", "the new text", |r| r.body.contains("Texto corregido"));
    assert!(!page.body.contains("Texto original"));
    assert!(page.body.contains(&format!("var v={}", s.version())), "the page carries the version it was served from");
}

/// The session keeps rendered pages between builds (keyed by what they are
/// made from): a page must still follow edits made outside its own file —
/// another section's title in its "next" link, a theme template, the data
/// package built from another section's table.
#[test]
fn kept_pages_follow_edits_made_outside_their_own_file() {
    let s = Served::start(SECTION);
    let second = "---\ntitle: Seguimiento\nweight: 2\n---\nSegunda sección.\n";
    write(s.root(), "content/02-seguimiento.md", second);
    s.wait_for("/atencion.html", "a link to the second section", |r| r.body.contains("Seguimiento"));
    write(s.root(), "content/02-seguimiento.md", &second.replace("title: Seguimiento", "title: Control de gestión"));
    let page = s.wait_for("/atencion.html", "the new title in the link", |r| r.body.contains("Control de gestión"));
    assert!(!page.body.contains(">Seguimiento<"), "{}", page.body);

    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/section.html"))
            .expect("default section template");
    // Inside a block: Tera drops what a child template has outside them.
    let marked = template.replacen("{{ section.html | safe }}", "{{ section.html | safe }}<!-- plantilla local -->", 1);
    assert_ne!(marked, template);
    write(s.root(), "themes/default/templates/section.html", &marked);
    s.wait_for("/atencion.html", "the local template", |r| r.body.contains("plantilla local"));

    write(s.root(), "content/01-atencion.md", &SECTION.replace("Atenciones por trimestre", "Atenciones del año"));
    s.wait_for("/datos/datapackage.json", "the new caption in the data package", |r| {
        r.body.contains("Atenciones del año")
    });
    let search = s
        .wait_for("/search-index.js", "the new caption in the search index", |r| r.body.contains("Atenciones del año"));
    assert!(!search.body.contains("Atenciones por trimestre"));
}

#[test]
fn a_broken_save_shows_the_overlay_over_the_last_good_site_until_fixed() {
    let s = Served::start(SECTION);
    let broken = SECTION.replace("      - [Segundo, 135]", "      - [Segundo, 135, 7]");
    write(s.root(), "content/01-atencion.md", &broken);
    let page = s.wait_for("/atencion.html", "the overlay", |r| r.body.contains("id=\"cuenta-serve-error\""));
    assert_eq!(page.status, 200);
    let overlay = &page.body[page.body.find("cuenta-serve-error").expect("overlay")..];
    assert!(
        overlay.contains("content/01-atencion.md:12:9: error: la fila tiene 3 celdas y la tabla 2 columnas"),
        "{overlay}"
    );
    assert!(overlay.contains("12 |       - [Segundo, 135, 7]"), "the excerpt, as on the terminal: {overlay}");
    assert!(page.body.contains("Texto original"), "the last good site stays served");
    assert!(s.log().contains("content/01-atencion.md:12:9: error"), "the terminal shows it too");

    write(s.root(), "content/01-atencion.md", &SECTION.replace("Texto original", "Texto arreglado"));
    let page = s.wait_for("/atencion.html", "the fixed page", |r| r.body.contains("Texto arreglado"));
    assert!(!page.body.contains("cuenta-serve-error"), "the overlay is gone");
}

#[test]
fn a_report_that_never_built_shows_its_errors_on_every_page() {
    let s = Served::start(&SECTION.replace("title: Atención\n", "titel: Atención\n"));
    let r = s.get("/");
    assert_eq!(r.status, 503);
    assert!(
        r.body.contains(
            "content/01-atencion.md:2:1: error: campo desconocido &#39;titel&#39;, ¿quiso decir &#39;title&#39;?"
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("cuenta-serve-reload"), "the error page reloads itself once fixed");
    write(s.root(), "content/01-atencion.md", SECTION);
    s.wait_for("/", "the first good build", |r| r.status == 200 && !r.body.contains("cuenta-serve-error"));
}

#[test]
fn keeps_serving_under_concurrent_requests() {
    let s = Served::start(SECTION);
    let paths = ["/", "/atencion.html", "/assets/style.css", "/datos/atenciones.csv", "/search-index.js"];
    let workers: Vec<_> = (0..8)
        .map(|t| {
            let addr = s.addr.clone();
            std::thread::spawn(move || {
                (0..50).map(|i| get(&addr, paths[(t + i) % paths.len()]).status).collect::<Vec<u16>>()
            })
        })
        .collect();
    let statuses: Vec<u16> = workers.into_iter().flat_map(|w| w.join().expect("worker")).collect();
    assert_eq!(statuses.len(), 400);
    assert!(statuses.iter().all(|&c| c == 200), "{:?}", statuses.iter().filter(|&&c| c != 200).collect::<Vec<_>>());
}

/// Loads a page in headless Chromium, marks its window, saves a change and
/// waits for the page to come back without the mark and with the new text:
/// the reload happened by itself. Skipped (visibly) without Chromium or
/// node; the npm packages are installed on first use.
#[test]
fn an_open_page_reloads_itself_in_a_real_browser() {
    if let Some(why) = common::browser::missing_tools() {
        common::browser::skip("an_open_page_reloads_itself_in_a_real_browser", &why);
        return;
    }
    let chromium = common::browser::chromium();
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules");
    let s = Served::start(SECTION);
    let mut node = Command::new("node")
        .args(["--input-type=module", "-e", BROWSER_SCRIPT])
        .env("CUENTA_NODE_MODULES", &modules)
        .env("CHROMIUM", &chromium)
        .env("PAGE", format!("{}atencion.html", s.url))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node");
    let node_log = Arc::new(Mutex::new(String::new()));
    drain(node.stderr.take().expect("stderr"), Arc::clone(&node_log));
    let (tx, rx) = mpsc::channel();
    let stdout = node.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut expect = |word: &str, within: Duration| {
        let got = rx.recv_timeout(within);
        if got.as_deref() != Ok(word) {
            let _ = node.kill();
            let _ = node.wait();
            panic!(
                "browser: wanted {word}, got {got:?}\n{}\nserver:\n{}",
                node_log.lock().map(|l| l.clone()).unwrap_or_default(),
                s.log()
            );
        }
    };
    expect("ready", Duration::from_secs(60));
    write(s.root(), "content/01-atencion.md", &SECTION.replace("Texto original", "Texto corregido"));
    expect("reloaded", Duration::from_secs(30));
    let _ = node.wait();
}

const BROWSER_SCRIPT: &str = r#"
import { createRequire } from 'node:module';
const require = createRequire(process.env.CUENTA_NODE_MODULES + '/');
const { chromium } = require('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
try {
  const page = await browser.newPage();
  await page.goto(process.env.PAGE);
  await page.evaluate(() => { window.__cuentaMark = 1; });
  console.log('ready');
  const deadline = Date.now() + 25000;
  let done = false;
  while (!done && Date.now() < deadline) {
    // Evaluating during the reload can fail; that is expected, try again.
    done = await page.evaluate(() => !window.__cuentaMark && document.body.innerText.includes('Texto corregido')).catch(() => false);
    if (!done) await new Promise(r => setTimeout(r, 50));
  }
  console.log(done ? 'reloaded' : 'timeout');
} finally {
  await browser.close();
}
"#;

/// An .xlsx with the two quarters' figures.
fn atenciones_xlsx(first: f64) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, (name, n)) in [("Primero", first), ("Segundo", 135.0)].into_iter().enumerate() {
        sheet.write_string(r as u32, 0, name).expect("name");
        sheet.write_number(r as u32, 1, n).expect("figure");
    }
    book.save_to_buffer().expect("xlsx")
}

/// A table's spreadsheet is an input of its page: saving it in Excel
/// rebuilds the page, as saving the section does.
#[test]
fn saving_a_tables_spreadsheet_rebuilds_its_page() {
    let from_sheet = SECTION.replace(
        "    rows:\n      - [Primero, 120]\n      - [Segundo, 135]\n",
        "    rows_from: datos/atenciones.xlsx\n",
    );
    assert_ne!(from_sheet, SECTION);
    let s = Served::start(&from_sheet);
    let sheet = s.root().join("content/datos/atenciones.xlsx");
    std::fs::create_dir_all(sheet.parent().expect("parent")).expect("mkdir");
    std::fs::write(&sheet, atenciones_xlsx(120.0)).expect("write xlsx");
    s.wait_for("/atencion.html", "the figure from the sheet", |r| r.body.contains(">120<"));
    std::fs::write(&sheet, atenciones_xlsx(121.0)).expect("write xlsx");
    s.wait_for("/atencion.html", "the sheet's new figure", |r| r.body.contains(">121<"));
}
