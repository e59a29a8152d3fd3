//! `cuenta serve` under hostile clients, through the real binary on
//! loopback with port 0: an endless request header, more idle connections
//! than the cap, requests addressed to another host (DNS rebinding) and
//! absolute-form request targets. Every wait polls with a deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INDEX: &str =
    "---\ntitle: Cuenta Pública 2019\ninstitution: Gobernación de Prueba\nyear: 2019\n---\nPresentación.\n";
const SECTION: &str = "---\ntitle: Atención\n---\nTexto de la sección.\n";

/// `cuenta serve` on a tiny report; killed on drop.
struct Served {
    _dir: tempfile::TempDir,
    child: Child,
    addr: String,
}

impl Served {
    fn start() -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content/_index.md"), INDEX).expect("index");
        std::fs::write(dir.path().join("content/01-atencion.md"), SECTION).expect("section");
        let mut child = Command::new(env!("CARGO_BIN_EXE_cuenta"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cuenta serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the URL");
        let addr = line.trim().trim_start_matches("http://").trim_end_matches('/').to_string();
        assert!(!addr.is_empty(), "no URL printed");
        Served { _dir: dir, child, addr }
    }

    fn port(&self) -> &str {
        self.addr.rsplit(':').next().expect("port")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `request` as given and returns (status, whole answer).
fn exchange(addr: &str, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    // The server may answer and close before reading all of a long request.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

fn get(addr: &str, target: &str, host: &str) -> (u16, String) {
    exchange(addr, format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
}

#[test]
fn an_endless_request_header_is_cut_off_and_the_server_keeps_answering() {
    let s = Served::start();
    let mut request = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Relleno: ", s.addr).into_bytes();
    request.extend(std::iter::repeat_n(b'a', 4 * 1024 * 1024));
    let (status, _) = exchange(&s.addr, &request);
    assert_eq!(status, 431, "a head past the limit is refused");
    assert_eq!(get(&s.addr, "/", &s.addr).0, 200);
}

#[test]
fn requests_for_another_host_are_refused_and_loopback_names_answered() {
    let s = Served::start();
    let port = s.port();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
        assert_eq!(get(&s.addr, "/atencion.html", &host).0, 200, "{host}");
    }
    for host in [format!("rebind.example:{port}"), "localhost".to_string(), format!("localhost:{port}0")] {
        let (status, text) = get(&s.addr, "/atencion.html", &host);
        assert_eq!(status, 403, "{host}");
        assert!(!text.contains("Texto de la sección"), "{host}: the draft is not shown");
    }
    let missing = exchange(&s.addr, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0;
    assert_eq!(missing, 403, "no Host at all");
}

#[test]
fn an_absolute_form_target_is_answered_like_its_path() {
    let s = Served::start();
    let (status, text) = get(&s.addr, &format!("http://{}/atencion.html", s.addr), "otro.example");
    assert_eq!(status, 200);
    assert!(text.contains("Texto de la sección"));
    let (status, _) = get(&s.addr, "http://rebind.example/atencion.html", &s.addr);
    assert_eq!(status, 403, "the target's authority is checked like a Host");
}

#[test]
fn idle_connections_past_the_cap_are_turned_away_and_freed_places_serve_again() {
    let s = Served::start();
    let idle: Vec<TcpStream> =
        (0..cuenta::test_support::MAX_CONNECTIONS).map(|_| TcpStream::connect(&s.addr).expect("idle")).collect();
    let (status, text) = get(&s.addr, "/", &s.addr);
    assert_eq!(status, 503, "{text}");
    drop(idle);
    let start = Instant::now();
    while get(&s.addr, "/", &s.addr).0 != 200 {
        assert!(start.elapsed() < Duration::from_secs(15), "places are freed when clients leave");
        std::thread::sleep(Duration::from_millis(50));
    }
}
