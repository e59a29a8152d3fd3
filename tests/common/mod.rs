//! Test support: copy a fixture report to a temp dir, run the real binary on
//! it, read what it wrote.
#![allow(dead_code)]

pub(crate) mod browser;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A report copied into a temporary folder.
pub(crate) struct SiteTest {
    pub dir: tempfile::TempDir,
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>` into a fresh temp dir.
    pub(crate) fn fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name), dir.path());
        SiteTest { dir }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// Writes (or replaces) a file under the report root.
    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Runs `cuenta <args…> --root <root>`.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_cuenta(args, self.root(), &[])
    }

    /// `cuenta build --root <root> --output <root>/output`.
    pub(crate) fn build(&self) -> Run {
        let out = self.out();
        self.run(&["build", "--output", out.to_str().expect("utf-8 path")])
    }

    /// A file of the built site, as text.
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// The outcome of one run of the binary.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts exit 0 and no panic.
    pub(crate) fn success(self) -> Self {
        assert_eq!(self.code, 0, "stderr:\n{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }
}

/// Runs the real binary with `args` plus `--root root`, and extra env vars.
pub(crate) fn run_cuenta(args: &[&str], root: &Path, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cuenta"));
    cmd.args(args).arg("--root").arg(root);
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run cuenta"))
}

/// `cuenta build --root root --output out`, asserted to succeed.
pub(crate) fn build_into(root: &Path, out: &Path) -> Run {
    run_cuenta(&["build", "--output", out.to_str().expect("utf-8 path")], root, &[]).success()
}

/// Every file under `dir`, relative path → bytes, sorted.
pub(crate) fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).expect("under fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `cuenta check --root <root> [extra…]`: exit code and stderr.
pub(crate) fn check(root: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cuenta"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("run cuenta");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The diagnostics alone, without the summary line.
pub(crate) fn diagnostics(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.starts_with("cuenta: ")).map(|l| format!("{l}\n")).collect()
}

/// Checks `root` in Spanish and then in English (`--lang en`): each must
/// exit 1 with exactly `es`, `en` as its diagnostics; a difference is
/// described in `failures`, under `name`, so one run shows every case.
pub(crate) fn expect_messages(root: &Path, name: &str, es: &str, en: &str, failures: &mut Vec<String>) {
    for (extra, expected) in [(&[][..], es), (&["--lang", "en"][..], en)] {
        let (code, stderr) = check(root, extra);
        let got = diagnostics(&stderr);
        if code != 1 || got != expected {
            failures.push(format!("{name} {extra:?}: exit {code}\n--- expected\n{expected}--- got\n{got}"));
        }
    }
}
