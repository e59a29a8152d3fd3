//! The report as a PDF, through the real binary and read back with poppler
//! (pdfinfo, pdffonts, pdftotext): the shipped report's PDF is tagged, has
//! its metadata, outline, fonts and text in reading order, is the same bytes
//! on every build, is linked and zipped; editor text never runs as Typst;
//! bad input builds or names the section.
//!
//! Without poppler-utils, the tests that read the PDF write "SKIPPED <test>:
//! …" and pass, unless CUENTA_REQUIRE_BROWSER=1 (set by .ci/run, which
//! installs poppler-utils), where a missing tool is a failure.
#![cfg(feature = "pdf")]

mod common;

use common::browser::skip;
use common::SiteTest;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const PDF: &str = "cuenta-publica-2018.pdf";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Why the PDF cannot be read here (a poppler tool is missing), if so; under
/// CUENTA_REQUIRE_BROWSER=1 (CI) that is a failure, not a skip.
fn missing_poppler() -> Option<String> {
    let missing =
        ["pdfinfo", "pdffonts", "pdftotext"].into_iter().find(|tool| Command::new(tool).arg("-v").output().is_err())?;
    let why = format!("{missing} is not installed (apt-get install poppler-utils)");
    let required = std::env::var("CUENTA_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    assert!(!required, "CUENTA_REQUIRE_BROWSER=1 but {why}");
    Some(why)
}

/// Skips the calling test when poppler is missing (outside CI).
macro_rules! needs_poppler {
    ($test:literal) => {
        if let Some(why) = missing_poppler() {
            skip($test, &why);
            return;
        }
    };
}

/// Runs a poppler tool on `pdf` and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool).args(args).arg(pdf).arg("-").output().or_else(|_| {
        // pdfinfo and pdffonts take no output argument.
        Command::new(tool).args(args).arg(pdf).output()
    });
    let out = out.unwrap_or_else(|e| panic!("{tool}: {e} (poppler-utils is needed)"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn info(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    assert!(out.status.success(), "pdfinfo cannot read the PDF: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pdftotext's text with lines joined: words a line or a hyphen broke are whole again.
fn text(pdf: &Path) -> String {
    let raw = poppler("pdftotext", &["-enc", "UTF-8"], pdf);
    let joined = raw.replace("-\n", "").replace('\u{200B}', "");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The shipped report, built once per test into a temporary folder.
fn shipped(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().to_str().expect("utf-8 path");
    let mut all = vec!["build", "--no-cache", "--output", out];
    all.extend_from_slice(args);
    common::run_cuenta(&all, &root(), &[]).success();
    dir
}

/// One default build of the shipped report, shared by the tests that read it.
fn shipped_once() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| shipped(&[])).path()
}

#[test]
fn the_shipped_report_is_a_tagged_pdf_with_its_metadata_and_embedded_fonts() {
    needs_poppler!("the_shipped_report_is_a_tagged_pdf_with_its_metadata_and_embedded_fonts");
    let pdf = shipped_once().join(PDF);
    let info = info(&pdf);
    assert!(info.contains("Title:           Cuenta Pública Participativa 2018"), "{info}");
    assert!(info.contains("Author:          Gobernación Provincial de Antofagasta"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    assert!(!info.contains("CreationDate"), "no clock reaches the PDF: {info}");
    let bytes = std::fs::read(&pdf).expect("pdf");
    let plain = inflated(&bytes);
    for needle in ["/StructTreeRoot", "/MarkInfo", "/Marked true", "/Lang(es-CL)", "pdfuaid:part>1<", "/Outlines"] {
        assert!(plain.contains(needle), "the PDF lacks {needle}");
    }
    let fonts = Command::new("pdffonts").arg(&pdf).output().expect("pdffonts (poppler-utils)");
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: `emb` is the fourth from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "a font is not embedded: {row}");
    }
}

/// The PDF's objects with every Flate stream inflated, as text.
fn inflated(bytes: &[u8]) -> String {
    let mut out = String::from_utf8_lossy(bytes).into_owned();
    let mut rest = bytes;
    while let Some(start) = find(rest, b"stream") {
        let after = &rest[start + 6..];
        let body = after.strip_prefix(b"\r\n").or_else(|| after.strip_prefix(b"\n")).unwrap_or(after);
        let Some(end) = find(body, b"endstream") else { break };
        let mut text = String::new();
        if flate2::read::ZlibDecoder::new(&body[..end]).read_to_string(&mut text).is_ok() {
            out.push_str(&text);
        }
        rest = &body[end..];
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn the_outline_has_an_entry_per_chapter_and_section_and_the_text_reads_in_order() {
    needs_poppler!("the_outline_has_an_entry_per_chapter_and_section_and_the_text_reads_in_order");
    let pdf = shipped_once().join(PDF);
    let plain = inflated(&std::fs::read(&pdf).expect("pdf"));
    let text = text(&pdf);
    // Chapters and sections, numbered as the site numbers them (this report
    // declares its own numbers; "Fondo ORASMI" has none).
    let titles = [
        "I. Definiciones estratégicas",
        "1.1. Misión institucional",
        "1.2. Atribuciones",
        "II. Principales logros alcanzados durante el 2017",
        "2.1. Extranjería",
        "III. Seguridad",
        "IV. Programa Asistencial Social (ORASMI)",
        "Fondo ORASMI",
        "4.1. Conducción Oficina de Protección de Derechos de Niños, Niñas y Adolescentes",
        "V. Departamento de Administración y Finanzas",
        "6.1.1. Desglose de presupuesto",
        "6.1.2. Programa de Fortalecimiento de la Gestión Provincial de Sistema Protección Social",
        "6.1.3. Programa “Gobierno en Terreno”",
        "VI. Fortalecimiento Provincial de las Gobernaciones",
        "VII. Proyecciones y desafíos 2018",
    ];
    // Objects are written children first: the order is the text's, below.
    let marks = bookmarks(&plain);
    let mut in_outline: Vec<&str> = marks.iter().map(String::as_str).filter(|m| titles.contains(m)).collect();
    in_outline.sort();
    let mut want = titles.to_vec();
    want.sort();
    assert_eq!(in_outline, want, "one bookmark per chapter and section");
    let mut at = text.find("CHILE LO HACEMOS TODOS").expect("the introduction");
    for title in titles {
        let found = text[at..].find(title).unwrap_or_else(|| panic!("{title} missing or out of order"));
        at += found;
    }
    for figure in ["Mesa de Seguridad en Campamentos", "Génesis II", "Total", "Verificación de cifras"] {
        assert!(text.contains(figure), "{figure} is not in the PDF's text");
    }
    assert!(text.contains("página 2 de"), "the footer numbers pages");
}

/// Every `/Title` string of the PDF: literal `(…)`, or UTF-16BE hex `<FEFF…>`.
fn bookmarks(plain: &str) -> Vec<String> {
    let mut out = Vec::new();
    for rest in plain.split("/Title").skip(1) {
        if let Some(lit) = rest.strip_prefix('(') {
            out.push(lit.split(")/").next().unwrap_or("").replace("\\(", "(").replace("\\)", ")"));
        } else if let Some(hex) = rest.strip_prefix("<FEFF") {
            let hex = hex.split('>').next().unwrap_or("");
            let units: Vec<u16> =
                (0..hex.len() / 4).filter_map(|i| u16::from_str_radix(hex.get(i * 4..i * 4 + 4)?, 16).ok()).collect();
            out.push(String::from_utf16_lossy(&units));
        }
    }
    out
}

#[test]
fn the_pdf_is_the_same_bytes_across_builds_and_thread_counts() {
    let one = shipped(&["--jobs", "1"]);
    let many = shipped(&["--jobs", "4"]);
    let a = std::fs::read(one.path().join(PDF)).expect("pdf");
    let b = std::fs::read(many.path().join(PDF)).expect("pdf");
    assert!(a == b, "the PDF differs between builds");
}

#[test]
fn pages_link_the_pdf_with_its_size_and_the_offline_copy_holds_it() {
    let dir = shipped_once();
    let index = std::fs::read_to_string(dir.join("index.html")).expect("index");
    let data = std::fs::read_to_string(dir.join("datos.html")).expect("datos");
    for page in [&index, &data] {
        let link = format!("href=\"{PDF}\" download type=\"application/pdf\">Descargar PDF, ");
        let at = page.find(&link).unwrap_or_else(|| panic!("no PDF link"));
        let label = &page[at + link.len()..].split("</a>").next().unwrap_or("");
        let size = std::fs::metadata(dir.join(PDF)).expect("pdf").len();
        let want = if size < 1024 * 1024 {
            format!("{} KB", size.div_ceil(1024))
        } else {
            format!("{:.1} MB", size as f64 / 1048576.0).replace('.', ",")
        };
        assert_eq!(*label, want, "the link shows the PDF's size");
    }
    let zip = std::fs::File::open(dir.join("cuenta-publica-2018.zip")).expect("zip");
    let mut zip = zip::ZipArchive::new(zip).expect("zip reads");
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    assert!(names.iter().any(|n| n.ends_with(PDF)), "{names:?}");
    let mut inner = Vec::new();
    let name = names.iter().find(|n| n.ends_with(PDF)).cloned().unwrap_or_default();
    zip.by_name(&name).expect("entry").read_to_end(&mut inner).expect("read");
    assert!(inner == std::fs::read(dir.join(PDF)).expect("pdf"), "the zipped PDF is the same");
}

/// Every character Typst treats as markup, and attempts to run code.
const HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "#import \"@preview/x:0.1.0\": *",
    "#sys.inputs",
    "#{ panic() }",
    "\\u{41} back\\slash",
    "$x^2$ math",
    "@ref-a",
    "<label-b>",
    "[corchetes] {llaves}",
    "= no es título",
    "~ tilde",
    "// no es comentario",
    "/* tampoco */",
    "* + - listas",
    "`crudo` 'simple'",
    "_bajo_ %porcentaje",
];

#[test]
fn editor_text_is_printed_literally_and_never_runs_as_typst() {
    needs_poppler!("editor_text_is_printed_literally_and_never_runs_as_typst");
    let site = SiteTest::fixture("minimal");
    let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
    // Markdown (cells are inline Markdown too) would read its own marks: every
    // ASCII punctuation character is escaped, so what reaches Typst is the string.
    let escaped = |h: &str| -> String {
        h.chars().map(|c| if c.is_ascii_punctuation() { format!("\\{c}") } else { c.to_string() }).collect()
    };
    let prose: String = HOSTILE.iter().map(|h| format!("- {}\n", escaped(h))).collect();
    let cells: String = HOSTILE.iter().map(|h| format!("      - [{}, 1]\n", quoted(&escaped(h)))).collect();
    site.write(
        "content/02-hostil.md",
        &format!(
            "---\ntitle: {title}\ntables:\n  - id: hostil\n    caption: {caption}\n    columns:\n      - {{ id: texto, label: {label} }}\n      - {{ id: n, label: N, type: integer }}\n    rows:\n{cells}charts:\n  - id: g\n    table: hostil\n    type: bar\n    x: texto\n    y: n\n    title: {chart}\n---\nTexto #read(\"/etc/passwd\") con nota[^1].\n\n{prose}\n[^1]: Nota #import y $y$.\n",
            title = quoted("Título #sys <x> @y $z$"),
            caption = quoted("Leyenda #read(\"/etc/passwd\") [a]"),
            label = quoted("Col #x"),
            chart = quoted("Gráfico #eval(\"1\") \\ *b*"),
        ),
    );
    site.build().success();
    let pdf = site.out().join("cuenta-publica-2019.pdf");
    let text = text(&pdf);
    assert!(!text.contains("root:x:0:0"), "a file was read");
    for expected in [
        "2. Título #sys <x> @y $z$",
        "Leyenda #read(\"/etc/passwd\") [a]",
        "Col #x",
        "Gráfico #eval(\"1\") \\ *b*",
        "Texto #read(\"/etc/passwd\") con nota",
        "Nota #import y $y$.",
    ] {
        assert!(text.contains(expected), "not printed literally: {expected}\n---\n{text}");
    }
    for hostile in HOSTILE {
        assert!(text.matches(hostile).count() >= 2, "the cell and the list item print {hostile}\n---\n{text}");
    }
}

#[test]
fn a_huge_word_and_a_ten_thousand_row_table_still_make_a_pdf_that_points_to_the_csv() {
    needs_poppler!("a_huge_word_and_a_ten_thousand_row_table_still_make_a_pdf_that_points_to_the_csv");
    let site = SiteTest::fixture("minimal");
    let rows: String = (0..10_000).map(|i| format!("      - [fila {i}, {i}]\n")).collect();
    site.write(
        "content/02-grande.md",
        &format!(
            "---\ntitle: Grande\ntables:\n  - id: grande\n    caption: Diez mil filas\n    columns:\n      - {{ id: a, label: A }}\n      - {{ id: n, label: N, type: integer }}\n    rows:\n{rows}---\n{}\n",
            "x".repeat(5_000)
        ),
    );
    let run = site.build();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let pdf = site.out().join("cuenta-publica-2019.pdf");
    if run.code == 0 {
        let text = text(&pdf);
        assert!(text.contains("fila 999 "), "the first thousand rows are printed");
        assert!(text.contains("Se muestran 1.000 de 10.000 filas; la tabla completa está en datos/grande.csv."));
    } else {
        assert!(run.stderr.contains("Grande"), "the diagnostic names the section: {}", run.stderr);
    }
}

#[test]
fn pdf_false_leaves_the_pdf_and_its_links_out() {
    let site = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(site.root().join("content/_index.md")).expect("index");
    let index = index.replacen("---\n", "---\npdf: false\n", 1);
    site.write("content/_index.md", &index);
    site.build().success();
    assert!(!site.out().join("cuenta-publica-2019.pdf").exists());
    assert!(!site.read("index.html").contains(".pdf"));
}
