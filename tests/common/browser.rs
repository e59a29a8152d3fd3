//! The browser tests' tools: Chromium, node and the pinned npm packages of
//! tests/browser (installed with `npm ci` on first use), and how a test says
//! it was skipped so that the skip shows without --nocapture.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Chromium the tests drive: $CHROMIUM, else /usr/bin/chromium.
pub(crate) fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// None when the browser tools are all there; otherwise the missing piece,
/// named exactly. The pinned npm packages are installed on first use when
/// npm is there. Under CUENTA_REQUIRE_BROWSER=1 (CI) a missing piece fails
/// the test instead.
pub(crate) fn missing_tools() -> Option<String> {
    let why = if !chromium().is_file() {
        Some(format!(
            "Chromium is not at {} (install it with apt-get install chromium, or set CHROMIUM)",
            chromium().display()
        ))
    } else if Command::new("node").arg("--version").output().is_err() {
        Some("node is not installed (apt-get install nodejs npm)".to_string())
    } else {
        npm_packages().err()
    };
    let why = why?;
    let required = std::env::var("CUENTA_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(!required, "CUENTA_REQUIRE_BROWSER=1 but {why}");
    Some(why)
}

/// The pinned packages of tests/browser/package-lock.json, installed with
/// `npm ci` the first time a browser test needs them (once per test run).
fn npm_packages() -> Result<(), String> {
    static INSTALLED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(install_npm_packages).clone()
}

fn install_npm_packages() -> Result<(), String> {
    let dir = root().join("tests/browser");
    let present = ["playwright-core", "axe-core"].iter().all(|p| dir.join("node_modules").join(p).is_dir());
    if present {
        return Ok(());
    }
    let npm = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .output()
        .map_err(|_| {
            "npm is not installed, so tests/browser/node_modules cannot be installed (apt-get install npm)".to_string()
        })?;
    if !npm.status.success() {
        let stderr = String::from_utf8_lossy(&npm.stderr);
        let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").to_string();
        return Err(format!("npm ci in tests/browser failed (no network?): {last}"));
    }
    Ok(())
}

/// Says the test was skipped, and why, on the terminal itself: libtest
/// captures `eprintln!`, so a skip printed that way only showed with
/// --nocapture, beside an "ok".
pub(crate) fn skip(test: &str, why: &str) {
    use std::io::Write as _;
    let line = format!("\nSKIPPED {test}: {why}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
