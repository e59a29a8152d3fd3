//! Issue 9: whatever the input, `cuenta build` either builds or fails with
//! `path:line:col: error: …` and exit code 1; it never panics, never writes
//! outside the output folder and its temporary siblings, and never touches
//! the previous site unless the new one is complete.
//!
//! Every case is a tiny report under tests/fixtures/bad/<case>/ with an
//! `expected.txt` holding a line (or distinctive part) of the diagnostic, or
//! `ok` for legitimate input that must build clean. Big files, symlinks and
//! the killed build are generated here, in temporary copies.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cuenta");

/// Generous: a debug build of the largest case takes a few seconds. A build
/// that goes past it is a hang (the 5,000-character label once took minutes).
const LIMIT: Duration = Duration::from_secs(120);

/// Every folder under tests/fixtures/bad, each exercised by a test below.
const CASES: &[&str] = &[
    "bom-crlf",
    "chart-id-with-slash",
    "chart-without-rows",
    "duplicate-slug",
    "duplicate-slug-from-file-names",
    "duplicate-table-id",
    "empty-file",
    "empty-index",
    "huge-file",
    "infinity",
    "integer-overflow",
    "integer-underflow",
    "invalid-utf8",
    "long-label",
    "negative-infinity-in-integer",
    "not-a-number",
    "number-limits",
    "slug-with-dotdot",
    "slug-with-slash",
    "symlink-dangling",
    "symlink-dir-outside",
    "symlink-loop",
    "symlink-outside",
    "symlink-self",
    "tab-in-yaml",
    "table-id-with-dotdot",
    "table-id-with-slash",
    "ten-thousand-rows",
    "theme-missing",
    "theme-missing-variable",
    "theme-syntax-error",
    "unclosed-front-matter",
    "zip-name-with-dotdot",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

// ---------------------------------------------------------------- helpers

/// What a finished build said.
struct Outcome {
    code: Option<i32>,
    stderr: String,
}

fn spawn_build(root: &Path, out: &Path) -> Child {
    Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cuenta")
}

/// Waits for `child`, killing it and failing the test after `limit`.
fn finish(mut child: Child, limit: Duration) -> Outcome {
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll cuenta") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cuenta build did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = reader.join().expect("stderr reader");
    Outcome { code: status.code(), stderr }
}

fn build(root: &Path, out: &Path) -> Outcome {
    finish(spawn_build(root, out), LIMIT)
}

/// Every file, folder and link under `dir` (links not followed), with bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    walk(dir, dir, &mut all);
    all
}

fn walk(base: &Path, dir: &Path, all: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        let rel = path.strip_prefix(base).expect("under base").to_string_lossy().into_owned();
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).expect("read link");
            all.insert(format!("{rel} ->"), target.to_string_lossy().into_owned().into_bytes());
        } else if meta.is_dir() {
            all.insert(format!("{rel}/"), Vec::new());
            walk(base, &path, all);
        } else {
            all.insert(rel, std::fs::read(&path).expect("read file"));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("create symlink");
}

/// A good site, built once from the clean `bom-crlf` fixture: the "previous
/// output" every case starts from.
fn baseline() -> &'static Path {
    static BASELINE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, site) = BASELINE.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let site = tmp.path().join("site");
        let run = build(&fixtures().join("bom-crlf"), &site);
        assert_eq!(run.code, Some(0), "baseline build failed:\n{}", run.stderr);
        (tmp, site)
    });
    site
}

/// A fixture copied to `tmp/report`, with the baseline site in `tmp/site`.
struct Case {
    name: &'static str,
    tmp: tempfile::TempDir,
}

impl Case {
    fn new(name: &'static str) -> Case {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixtures().join(name), &tmp.path().join("report"));
        copy_dir(baseline(), &tmp.path().join("site"));
        Case { name, tmp }
    }
    fn root(&self) -> PathBuf {
        self.tmp.path().join("report")
    }
    fn out(&self) -> PathBuf {
        self.tmp.path().join("site")
    }
    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    fn expected(&self) -> String {
        let text = std::fs::read_to_string(self.root().join("expected.txt")).expect("expected.txt");
        text.trim().to_string()
    }

    /// Builds into the folder holding the previous site; checks the exit
    /// code, that nothing panicked, and that nothing but the output changed.
    fn run(&self, want_code: i32) -> Outcome {
        let report_before = report_files(&self.root());
        let site_before = snapshot(&self.out());
        let siblings_before = names(self.tmp.path());
        let run = build(&self.root(), &self.out());
        let name = self.name;
        assert!(!run.stderr.contains("panicked"), "{name}: cuenta panicked:\n{}", run.stderr);
        assert_eq!(run.code, Some(want_code), "{name}: exit code; stderr:\n{}", run.stderr);
        assert_eq!(names(self.tmp.path()), siblings_before, "{name}: wrote beside the output folder");
        assert!(report_files(&self.root()) == report_before, "{name}: the build changed the report folder");
        if want_code != 0 {
            assert!(snapshot(&self.out()) == site_before, "{name}: a failed build changed the previous output");
        }
        run
    }

    /// The case must fail with its expected diagnostic and leave the previous site.
    fn fails(&self) {
        let run = self.run(1);
        let want = self.expected();
        assert_ne!(want, "ok", "{}: expected.txt says the input is legitimate", self.name);
        assert!(run.stderr.contains(&want), "{}: stderr lacks\n  {want}\ngot:\n{}", self.name, run.stderr);
    }

    /// The case is legitimate: it must build clean and replace the site.
    fn builds(&self) -> BTreeMap<String, Vec<u8>> {
        assert_eq!(self.expected(), "ok", "{}", self.name);
        let run = self.run(0);
        assert!(run.stderr.contains(" 0 errores") && !run.stderr.contains(": error:"), "{}: {}", self.name, run.stderr);
        let site = snapshot(&self.out());
        assert!(site != snapshot(baseline()), "{}: the site was not replaced", self.name);
        site
    }
}

/// The report folder as the editor wrote it: a build never changes it.
fn report_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(root)
}

/// The names in a folder, sorted, leaving out the siblings meant to outlive
/// a build: the build cache (`.<out>.cuenta-cache`, see src/cache.rs), the
/// lock every writing build takes and the written files' stamps
/// (`.<out>.cuenta-lock`, `.<out>.cuenta-stamps`, see src/output.rs).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| ![".cuenta-cache", ".cuenta-lock", ".cuenta-stamps"].iter().any(|s| n.ends_with(s)))
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------- the corpus

#[test]
fn every_fixture_folder_is_a_listed_case_with_an_expectation() {
    let found = names(&fixtures());
    assert_eq!(found, CASES, "tests/fixtures/bad and CASES disagree");
    for case in CASES {
        let expected = std::fs::read_to_string(fixtures().join(case).join("expected.txt")).unwrap_or_default();
        assert!(!expected.trim().is_empty(), "{case}: expected.txt is missing or empty");
        assert!(fixtures().join(case).join("content/_index.md").is_file(), "{case}: no content/_index.md");
    }
}

macro_rules! fails {
    ($($test:ident => $case:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            Case::new($case).fails();
        }
    )*};
}

fails! {
    unclosed_front_matter_is_reported_at_its_opening_line => "unclosed-front-matter",
    a_tab_in_yaml_is_reported_at_its_line => "tab-in-yaml",
    invalid_utf8_is_reported_at_the_first_bad_byte => "invalid-utf8",
    an_empty_section_is_an_error => "empty-file",
    an_empty_index_is_an_error => "empty-index",
    a_repeated_table_id_names_both_places => "duplicate-table-id",
    a_repeated_slug_points_at_both_slug_lines => "duplicate-slug",
    file_names_that_give_the_same_slug_are_an_error => "duplicate-slug-from-file-names",
    a_table_id_with_dotdot_is_refused => "table-id-with-dotdot",
    a_table_id_with_a_slash_is_refused => "table-id-with-slash",
    a_slug_with_dotdot_is_refused => "slug-with-dotdot",
    a_slug_with_a_slash_is_refused => "slug-with-slash",
    a_chart_id_with_a_slash_is_refused => "chart-id-with-slash",
    a_zip_name_with_dotdot_is_refused => "zip-name-with-dotdot",
    a_theme_template_that_does_not_parse_is_reported_at_its_line => "theme-syntax-error",
    a_theme_template_naming_a_missing_variable_is_an_error => "theme-missing-variable",
    a_missing_theme_is_an_error => "theme-missing",
    a_chart_over_a_table_without_rows_is_an_error => "chart-without-rows",
    an_integer_past_i64_max_is_out_of_range => "integer-overflow",
    an_integer_below_i64_min_does_not_fit => "integer-underflow",
    nan_is_not_a_figure => "not-a-number",
    infinity_is_not_a_figure => "infinity",
    negative_infinity_in_an_integer_column_is_not_a_figure => "negative-infinity-in-integer",
}

#[test]
fn a_50_mb_section_is_refused_without_reading_it() {
    let case = Case::new("huge-file");
    let mut big = b"---\ntitle: Enorme\n---\n".to_vec();
    let line = b"Una linea de texto que se repite para llegar a cincuenta megabytes.\n";
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    big.truncate(50 * 1024 * 1024);
    case.write("content/02-enorme.md", &big);
    case.fails();
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_outside_content_is_refused_and_not_published() {
    let case = Case::new("symlink-outside");
    std::fs::write(case.tmp.path().join("secreto.md"), "---\ntitle: Secreto\n---\nclave-ultrasecreta\n")
        .expect("write");
    symlink("../../secreto.md", &case.root().join("content/02-fuera.md"));
    case.fails();
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_outside_content_is_refused() {
    let case = Case::new("symlink-dir-outside");
    let outside = case.tmp.path().join("otros");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("01-secreto.md"), "---\ntitle: Secreto\n---\nclave\n").expect("write");
    symlink("../../otros", &case.root().join("content/otros"));
    case.fails();
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_that_loops_is_reported() {
    let case = Case::new("symlink-loop");
    symlink(".", &case.root().join("content/bucle"));
    case.fails();
}

#[cfg(unix)]
#[test]
fn a_symlink_to_itself_is_a_loop_not_outside() {
    let case = Case::new("symlink-self");
    symlink("02-mismo.md", &case.root().join("content/02-mismo.md"));
    case.fails();
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_reported_as_such() {
    let case = Case::new("symlink-dangling");
    symlink("no-existe.md", &case.root().join("content/02-roto.md"));
    case.fails();
}

// ---------------------------------------------------------------- legitimate input

#[test]
fn a_table_of_ten_thousand_rows_builds_clean() {
    let case = Case::new("ten-thousand-rows");
    let mut text = String::from(
        "---\ntitle: Grande\ntables:\n  - id: grande\n    caption: Diez mil filas\n    columns:\n      - { id: fila, label: Fila }\n      - { id: n, label: N, type: integer }\n      - { id: m, label: Monto, type: money }\n      - { id: d, label: D, type: decimal }\n    rows:\n",
    );
    for i in 0..10_000 {
        text.push_str(&format!("      - [Fila {i}, {i}, -{i}, {}.5]\n", i % 97));
    }
    text.push_str("    total: [Total, ~, ~, ~]\ncharts:\n  - id: grande\n    table: grande\n    type: line\n    x: fila\n    y: [n, d]\n    title: Diez mil filas\n---\n{{ table(id=\"grande\") }}\n");
    case.write("content/02-grande.md", text.as_bytes());
    let site = case.builds();
    let csv = String::from_utf8(site["datos/grande.csv"].clone()).expect("utf-8 csv");
    assert_eq!(csv.lines().count(), 1 + 10_000, "header and rows: the total is no data row");
    assert!(csv.ends_with("Fila 9999,9999,-9999,8.5\r\n"), "negative money stays a number in CSV");
    let package = String::from_utf8(site["datos/datapackage.json"].clone()).expect("utf-8 json");
    for total in ["\"n\": 49995000", "\"m\": -49995000", "\"d\": 484604.0"] {
        assert!(package.contains(total), "the data package states the total {total}");
    }
}

#[test]
fn five_thousand_character_labels_build_clean() {
    let site = Case::new("long-label").builds();
    let page = String::from_utf8(site["seccion.html"].clone()).expect("utf-8 page");
    assert!(page.contains(&"Gobernación".repeat(455)), "the long word is kept whole in the table");
    assert_eq!(page.matches("<svg").count(), 3, "the three charts are drawn");
}

#[test]
fn numbers_at_the_limits_of_i64_and_f64_build_clean() {
    let site = Case::new("number-limits").builds();
    let csv = String::from_utf8(site["datos/limites.csv"].clone()).expect("utf-8 csv");
    assert!(csv.contains("Máximo,9223372036854775807,9223372036854775807,17976931348623157"), "{csv}");
    assert!(csv.contains("Mínimo,-9223372036854775808,-9223372036854775808,-17976931348623157"), "{csv}");
    let page = String::from_utf8(site["seccion.html"].clone()).expect("utf-8 page");
    assert!(page.contains("9.223.372.036.854.775.807"), "the figure prints i64::MAX");
}

#[test]
fn a_bom_and_crlf_line_endings_build_the_same_bytes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let clean = tmp.path().join("clean");
    let windows = tmp.path().join("windows");
    copy_dir(&fixtures().join("bom-crlf"), &clean);
    copy_dir(&fixtures().join("bom-crlf"), &windows);
    for rel in ["content/_index.md", "content/01-seccion.md"] {
        let text = std::fs::read_to_string(clean.join(rel)).expect("read");
        assert!(!text.contains('\r') && !text.starts_with('\u{feff}'), "the committed fixture is the clean one");
        std::fs::write(windows.join(rel), format!("\u{feff}{}", text.replace('\n', "\r\n"))).expect("write");
    }
    let one = build(&clean, &tmp.path().join("one"));
    let two = build(&windows, &tmp.path().join("two"));
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert_eq!(two.code, Some(0), "{}", two.stderr);
    let (one, two) = (snapshot(&tmp.path().join("one")), snapshot(&tmp.path().join("two")));
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} differs with a BOM and CRLF");
    }
}

// ---------------------------------------------------------------- the output folder

#[test]
fn a_folder_without_the_marker_is_never_replaced() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("mis-documentos");
    std::fs::create_dir_all(out.join("sub")).expect("mkdir");
    std::fs::write(out.join("tesis.docx"), b"irreemplazable").expect("write");
    std::fs::write(out.join("sub/notas.txt"), b"notas").expect("write");
    let before = snapshot(tmp.path());
    let run = build(&fixtures().join("bom-crlf"), &out);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("refusing to replace a folder that cuenta did not create"), "{}", run.stderr);
    assert!(run.stderr.contains(".cuenta-output"), "names the marker: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(snapshot(tmp.path()) == before, "the folder and its surroundings are untouched");
}

#[test]
fn a_file_in_the_way_or_a_foreign_temp_sibling_is_never_replaced() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("site"), b"a file, not a folder").expect("write");
    let before = snapshot(tmp.path());
    let run = build(&fixtures().join("bom-crlf"), &tmp.path().join("site"));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(snapshot(tmp.path()) == before);

    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(baseline(), &tmp.path().join("site"));
    let foreign = tmp.path().join(".site.cuenta-tmp");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("importante.txt"), b"not cuenta's").expect("write");
    let before = snapshot(tmp.path());
    let run = build(&fixtures().join("long-label"), &tmp.path().join("site"));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(snapshot(tmp.path()) == before);
}

#[test]
fn an_empty_folder_is_used_and_gets_the_marker() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(tmp.path().join("site")).expect("mkdir");
    let run = build(&fixtures().join("bom-crlf"), &tmp.path().join("site"));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(tmp.path().join("site/.cuenta-output").is_file());
    assert_eq!(names(tmp.path()), ["site"], "no temporary sibling is left");
}

/// A report with `n` sections, each with a table, big enough that writing
/// it takes a while.
fn big_report(root: &Path, n: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(content.join("_index.md"), "---\ntitle: Informe grande\nyear: 2018\n---\nPortada.\n")
        .expect("write");
    let body = "Texto de relleno para que cada página pese algo. ".repeat(40);
    for i in 0..n {
        let text = format!(
            "---\ntitle: Sección {i}\ntables:\n  - id: tabla-{i}\n    caption: Tabla {i}\n    columns:\n      - {{ id: k, label: K }}\n      - {{ id: n, label: N, type: integer }}\n    rows:\n      - [uno, {i}]\n      - [dos, 2]\n---\n## Parte {i}\n\n{body}\n"
        );
        std::fs::write(content.join(format!("{i:04}-seccion-{i}.md")), text).expect("write");
    }
}

#[test]
fn a_build_killed_half_way_leaves_the_previous_site_and_the_next_build_works() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(baseline(), &site);
    let before = snapshot(&site);
    let root = tmp.path().join("grande");
    // 3,000 sections take minutes in a debug build on two busy cores; 1,200
    // still spend about half a second writing, plenty for a 1 ms poll.
    big_report(&root, 1200);
    let partial = tmp.path().join(".site.cuenta-tmp");
    let mut child = spawn_build(&root, &site);
    let deadline = Instant::now() + Duration::from_secs(600);
    while !partial.exists() {
        if let Some(status) = child.try_wait().expect("poll") {
            panic!("the build ended ({status}) before it started writing");
        }
        assert!(Instant::now() < deadline, "the build never started writing");
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "the build finished before it was killed; make the report bigger");
    assert!(snapshot(&site) == before, "the killed build changed the previous site");
    let mut left = names(tmp.path());
    left.retain(|n| n != ".site.cuenta-tmp");
    assert_eq!(left, ["grande", "site"], "nothing but the output and its temporary sibling");

    let run = build(&fixtures().join("long-label"), &site);
    assert_eq!(run.code, Some(0), "the next build: {}", run.stderr);
    assert_eq!(names(tmp.path()), ["grande", "site"], "the stale temporary folder is cleaned up");
    assert!(site.join("seccion.html").is_file() && snapshot(&site) != before);
}

// ---------------------------------------------------------------- fuzz corpus

/// Replays every committed fuzz input (fuzz/corpus/<target>/ and the crashes
/// kept in fuzz/regressions/<target>/) through the library entry points, so
/// that `cargo test` catches a regression without cargo-fuzz or nightly.
#[test]
fn every_committed_fuzz_input_runs_without_panic() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    type Target = (&'static str, fn(&[u8]));
    let targets: [Target; 4] = [
        ("front_matter", cuenta::fuzz::front_matter),
        ("section", cuenta::fuzz::section),
        ("formula", cuenta::fuzz::formula),
        ("placements", cuenta::fuzz::placements),
    ];
    for (target, run) in targets {
        for kind in ["corpus", "regressions"] {
            let dir = fuzz.join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).expect("read input");
                let started = Instant::now();
                run(&bytes);
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "{} is slow: {:?}",
                    path.display(),
                    started.elapsed()
                );
                count += 1;
            }
        }
    }
    assert!(count > 0, "no committed fuzz inputs found under fuzz/corpus");
}
