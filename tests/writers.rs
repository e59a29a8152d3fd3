//! One writer at a time: two builds into the same output folder, and an
//! output folder that is a symbolic link. Run through the real binary.

mod common;

use common::{build_into, snapshot, SiteTest};
use std::path::Path;
use std::process::{Command, Stdio};

/// A report with enough files that two builds overlap while writing.
fn many_sections(site: &SiteTest, count: usize) {
    for i in 0..count {
        let text = format!(
            "---\ntitle: Sección {i}\nweight: {i}\ntables:\n  - id: t{i}\n    caption: Tabla {i}\n    columns:\n      - {{ id: a, label: A }}\n      - {{ id: n, label: N, type: integer }}\n    rows:\n      - [uno, {i}]\n      - [dos, 2]\n---\nTexto de la sección {i}.\n\n{{{{ table(id=\"t{i}\") }}}}\n"
        );
        site.write(&format!("content/{i:03}-s{i}.md"), &text);
    }
}

fn build_command(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cuenta"));
    cmd.args(["build", "--no-cache", "--output"]).arg(out).arg("--root").arg(root);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

#[test]
fn two_builds_into_one_folder_at_once_publish_one_complete_site() {
    let site = SiteTest::fixture("minimal");
    many_sections(&site, 150);
    let clean = site.root().join("clean");
    build_into(site.root(), &clean);
    let expected = snapshot(&clean);
    let out = site.out();
    for round in 0..4 {
        let first = build_command(site.root(), &out).spawn().expect("first build");
        let second = build_command(site.root(), &out).spawn().expect("second build");
        for child in [first, second] {
            let done = child.wait_with_output().expect("wait");
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert_eq!(done.status.code(), Some(0), "round {round}: {stderr}");
        }
        let published = snapshot(&out);
        assert_eq!(published.len(), expected.len(), "round {round}: the published folder is one whole site");
        assert!(published == expected, "round {round}: the published bytes equal a clean build");
    }
}

#[test]
#[cfg(unix)]
fn an_output_folder_that_is_a_link_is_built_through_and_stays_a_link() {
    let site = SiteTest::fixture("minimal");
    let target = site.root().join("www");
    let link = site.root().join("output");
    std::fs::create_dir(&target).expect("target");
    std::os::unix::fs::symlink(&target, &link).expect("link");
    for edit in ["Primera versión.", "Segunda versión."] {
        site.write("content/01-unica.md", &format!("---\ntitle: Única\n---\n{edit}\n"));
        let run = common::run_cuenta(&["build", "--output", link.to_str().expect("utf-8")], site.root(), &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink(), "still a link");
        let page = std::fs::read_to_string(target.join("unica.html")).expect("the target holds the site");
        assert!(page.contains(edit), "the target follows the latest build");
    }
}

#[test]
fn a_second_build_says_it_waits_and_writes_once_the_first_is_done() {
    use std::io::BufRead as _;
    let site = SiteTest::fixture("minimal");
    let out = site.out();
    let lock_path = site.root().join(".output.cuenta-lock");
    let held =
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).expect("lock file");
    held.lock().expect("hold the lock like a running build");
    let mut child = build_command(site.root(), &out).spawn().expect("build");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("a line while waiting");
    assert!(first.starts_with("cuenta: otra compilación está escribiendo en "), "{first}");
    assert!(first.ends_with("; se espera a que termine"), "{first}");
    assert!(child.try_wait().expect("status").is_none(), "it waits");
    assert!(!out.exists(), "nothing written while the other build holds the folder");
    drop(held);
    assert!(child.wait().expect("wait").success());
    assert!(out.join("index.html").is_file());
}
