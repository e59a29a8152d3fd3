//! Adversarial guard (issue 21): generated hostile inputs, each under the
//! 400 KB file limit, each of which must finish within a stated budget.
//!
//! ```text
//! cargo run --release --example adversarial -- --bin target/release/cuenta [--dir DIR] [--only NAME]
//! ```
//!
//! For every case it writes a small report into `DIR/<case>/`, runs `cuenta`
//! on it (`check`, so nothing is written to disk, unless the case says
//! otherwise), and prints one Markdown row: the exit code, the wall time and
//! whether it met the budget. A run past the hard limit is killed. A case
//! passes when cuenta exits 0 or 1 (content accepted or refused with a
//! diagnostic) within its budget; a crash (any other code, or a signal) or a
//! slow run fails it. The process exits 1 when any case failed. This is a
//! guard, not a timed test: budgets are for a release build on the
//! benchmark machine (BENCHMARKS.md), with wide margins.
//!
//! Only std, like examples/synth.rs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// A run past this is killed and reported as over budget.
const HARD_LIMIT: Duration = Duration::from_secs(60);

struct Case {
    name: &'static str,
    what: &'static str,
    /// The section's text, under content/01-caso.md.
    section: fn() -> String,
    /// Extra arguments after `check`; a first `build` runs `build` instead.
    args: &'static [&'static str],
    budget: Duration,
}

const INDEX: &str = "---\ntitle: Informe adversario\ninstitution: Prueba\nyear: 2019\n---\nPortada.\n";

fn table_header(formula: &str) -> String {
    format!(
        "---\ntitle: Caso\ntables:\n  - id: t\n    caption: Tabla\n    columns:\n      - {{ id: a, label: A, type: integer }}\n      - {{ id: b, label: B, type: integer, formula: \"{formula}\" }}\n    rows:\n      - [1, ~]\n---\nTexto.\n"
    )
}

fn cases() -> Vec<Case> {
    let s = Duration::from_secs;
    vec![
        Case {
            name: "headings",
            what: "20,000 repeated `## Resumen` headings (unique ids)",
            section: || format!("---\ntitle: Caso\n---\n{}", "## Resumen\n\n".repeat(20_000)),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "placed-3000",
            what: "one table placed 3,000 times",
            section: || {
                let mut t = table_header("a");
                t.push_str(&"{{ table(id=\"t\") }}\n\n".repeat(3_000));
                t
            },
            args: &[],
            budget: s(5),
        },
        Case {
            name: "placed-3000-build",
            what: "one table placed 3,000 times, built (refused at the second placement)",
            section: || {
                let mut t = table_header("a");
                t.push_str(&"{{ table(id=\"t\") }}\n\n".repeat(3_000));
                t
            },
            args: &["build"],
            budget: s(5),
        },
        Case {
            name: "markers",
            what: "private-use U+E000/U+E001 in text, 10,000 times",
            section: || {
                format!("---\ntitle: Caso\n---\n{}", "Texto \u{E000}\u{E001} fin \u{E000} solo.\n".repeat(10_000))
            },
            args: &[],
            budget: s(5),
        },
        Case {
            name: "formula-minus",
            what: "a formula of 20,000 leading `-`",
            section: || table_header(&format!("{}a", "-".repeat(20_000))),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "formula-terms",
            what: "a formula of 60,000 terms",
            section: || table_header(&format!("a{}", " + a".repeat(60_000))),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "formula-parens",
            what: "a formula in 50,000 nested parentheses",
            section: || table_header(&format!("{}a{}", "(".repeat(50_000), ")".repeat(50_000))),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "yaml-nesting",
            what: "200,000 nested `[` in front matter",
            section: || format!("---\ntitle: Caso\nsummary: {}\n---\nTexto.\n", "[".repeat(200_000)),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "yaml-aliases",
            what: "a 10 KB anchored scalar aliased 20,000 times",
            section: || {
                let mut t = format!(
                    "---\ntitle: Caso\ntables:\n  - id: t\n    caption: &c \"{}\"\n    columns:\n      - {{ id: a, label: A }}\n    rows:\n",
                    "x".repeat(10_000)
                );
                t.push_str(&"      - [*c]\n".repeat(20_000));
                t.push_str("---\n{{ table(id=\"t\") }}\n");
                t
            },
            args: &[],
            budget: s(5),
        },
        Case {
            name: "script-links",
            what: "15,000 `javascript:` links in a body with safe_html",
            section: || format!("---\ntitle: Caso\n---\n{}", "[x](javascript:alert(1)) ".repeat(15_000)),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "quotes",
            what: "10,000 nested block quotes",
            section: || format!("---\ntitle: Caso\n---\n{}texto\n", "> ".repeat(10_000)),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "braces",
            what: "100,000 unclosed `{{` on one line",
            section: || format!("---\ntitle: Caso\n---\n{}\n", "{{ ".repeat(100_000)),
            args: &[],
            budget: s(5),
        },
        Case {
            name: "jobs",
            what: "`--jobs 30000`",
            section: || "---\ntitle: Caso\n---\nTexto.\n".to_string(),
            args: &["--jobs", "30000"],
            budget: s(5),
        },
    ]
}

struct Outcome {
    code: Option<i32>,
    wall: Duration,
    killed: bool,
}

fn run(bin: &Path, root: &Path, args: &[&str]) -> std::io::Result<Outcome> {
    let start = Instant::now();
    // `check` unless the case asks for `build` (which writes beside the report).
    let (command, args) = match args.split_first() {
        Some((&"build", rest)) => ("build", rest),
        _ => ("check", args),
    };
    let mut child = Command::new(bin)
        .arg(command)
        .args(args)
        .arg("--root")
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Outcome { code: status.code(), wall: start.elapsed(), killed: false });
        }
        if start.elapsed() > HARD_LIMIT {
            child.kill()?;
            child.wait()?;
            return Ok(Outcome { code: None, wall: start.elapsed(), killed: true });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn write_case(dir: &Path, case: &Case) -> std::io::Result<u64> {
    let content = dir.join("content");
    std::fs::create_dir_all(&content)?;
    let index = if case.name == "script-links" {
        INDEX.replace("year: 2019\n", "year: 2019\nsafe_html: true\n")
    } else {
        INDEX.to_string()
    };
    std::fs::write(content.join("_index.md"), index)?;
    let text = (case.section)();
    std::fs::write(content.join("01-caso.md"), &text)?;
    Ok(text.len() as u64)
}

fn main() -> ExitCode {
    let mut bin = PathBuf::from("target/release/cuenta");
    let mut dir = std::env::temp_dir().join("cuenta-adversarial");
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--bin", Some(v)) => bin = PathBuf::from(v),
            ("--dir", Some(v)) => dir = PathBuf::from(v),
            ("--only", Some(v)) => only = Some(v),
            _ => {
                eprintln!("usage: adversarial [--bin PATH] [--dir DIR] [--only NAME]");
                return ExitCode::from(2);
            }
        }
    }
    let mut table =
        String::from("| case | input | file | budget | exit | wall | verdict |\n|---|---|--:|--:|--:|--:|---|\n");
    let mut failed = 0;
    for case in cases().iter().filter(|c| only.as_deref().is_none_or(|o| o == c.name)) {
        let root = dir.join(case.name);
        let _ = std::fs::remove_dir_all(&root);
        let outcome = write_case(&root, case).and_then(|size| run(&bin, &root, case.args).map(|o| (size, o)));
        let (size, o) = match outcome {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{}: {e}", case.name);
                return ExitCode::from(2);
            }
        };
        let ok = !o.killed && matches!(o.code, Some(0 | 1)) && o.wall <= case.budget;
        failed += usize::from(!ok);
        let exit = match (o.killed, o.code) {
            (true, _) => "killed".to_string(),
            (false, Some(c)) => c.to_string(),
            (false, None) => "signal".to_string(),
        };
        let verdict = match (ok, o.killed, o.code) {
            (true, _, _) => "met",
            (false, true, _) => "OVER BUDGET (killed)",
            (false, false, Some(0 | 1)) => "OVER BUDGET",
            _ => "CRASH",
        };
        let row = format!(
            "| {} | {} | {} KB | {} s | {} | {:.2} s | {} |\n",
            case.name,
            case.what,
            size.div_ceil(1024),
            case.budget.as_secs(),
            exit,
            o.wall.as_secs_f64(),
            verdict
        );
        eprint!("{row}");
        let _ = write!(table, "{row}");
        let _ = std::fs::remove_dir_all(&root);
    }
    println!("{table}");
    if failed > 0 {
        eprintln!("adversarial: {failed} case(s) failed");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
