//! Build progress: the stages `site` reports through its hook, and the bar
//! the CLI draws from them only for large reports on a terminal.

use cuenta::progress::{Hook, Stage};
use cuenta::site::{self, BuildOptions};
use cuenta::Lang;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// A report of `n` one-line sections (n + 5 pages).
fn report(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(content.join("_index.md"), "---\ntitle: Informe\nyear: 2019\n---\nHola.\n").expect("index");
    for i in 1..=n {
        std::fs::write(
            content.join(format!("{i:03}-seccion-{i}.md")),
            format!("---\ntitle: Sección {i}\nweight: {i}\n---\nTexto {i}.\n"),
        )
        .expect("section");
    }
    dir
}

fn stages_of(opts: BuildOptions, write: bool) -> Vec<Stage> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let opts = BuildOptions { write, progress: Some(Hook::new(move |s| log.lock().expect("lock").push(s))), ..opts };
    let report = site::build(&opts).expect("build");
    assert_eq!(report.errors, 0, "{:?}", report.diagnostics);
    let stages = seen.lock().expect("lock").clone();
    stages
}

#[test]
fn a_build_reports_each_stage_in_order() {
    let dir = report(2);
    let stages = stages_of(BuildOptions::new(dir.path()), true);
    assert_eq!(stages, [Stage::Reading, Stage::Rendering { pages: 7, lang: Lang::Es }, Stage::Packing, Stage::Writing]);
    let check = stages_of(BuildOptions { offline_copy: false, ..BuildOptions::new(dir.path()) }, false);
    assert_eq!(check, [Stage::Reading, Stage::Rendering { pages: 7, lang: Lang::Es }]);
}

fn build_in_a_terminal(root: &Path) -> Option<String> {
    let cmd = format!("{} build --root '{}'", env!("CARGO_BIN_EXE_cuenta"), root.display());
    // `script` runs the command on a pseudo-terminal, as an editor's shell would.
    let out = Command::new("script").args(["-qefc", &cmd, "/dev/null"]).env("TERM", "xterm").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_large_report_shows_a_bar_on_a_terminal_and_nothing_elsewhere() {
    let dir = report(210);
    let piped =
        Command::new(env!("CARGO_BIN_EXE_cuenta")).args(["build", "--root"]).arg(dir.path()).output().expect("build");
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert_eq!(stderr.lines().count(), 1, "only the summary line when stderr is not a terminal: {stderr}");
    assert!(stderr.starts_with("cuenta: 215 páginas"), "{stderr}");
    let Some(terminal) = build_in_a_terminal(dir.path()) else {
        eprintln!("skipped: `script` (util-linux) is needed to run on a pseudo-terminal");
        return;
    };
    assert!(terminal.contains("cuenta: 215 páginas ["), "the bar: {terminal:?}");
    assert!(terminal.contains("cuenta: 215 páginas, 0 tablas"), "then the summary: {terminal:?}");
}

#[test]
fn a_small_report_shows_no_bar_even_on_a_terminal() {
    let dir = report(3);
    let Some(terminal) = build_in_a_terminal(dir.path()) else {
        eprintln!("skipped: `script` (util-linux) is needed to run on a pseudo-terminal");
        return;
    };
    assert!(!terminal.contains('['), "{terminal:?}");
    assert!(terminal.contains("cuenta: 8 páginas, 0 tablas"), "{terminal:?}");
}
