//! Reuse never publishes what a fresh build would not (issue 14). For each row
//! of a table of mutations, on a fixture and on the shipped report: build with
//! the cache and warm a `serve` session, apply the mutation, then (a) a build
//! that reuses the previous build's cache and (b) a rebuild inside the same
//! session must both be byte-identical, file by file (the zip included), to a
//! `--no-cache` build of the same content.
//!
//! To cover a new input, add a row: a name, an optional `setup` applied before
//! the first builds, and the `mutate` step. Rows are plain functions of the
//! report folder; [`edit`], [`write`] and [`remove`] assert that what they
//! change is there, so a row cannot silently stop testing anything.

use cuenta::site::{self, BuildOptions, Session};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One mutation of a report folder.
struct Row {
    name: &'static str,
    /// Applied before the first (cache-filling) builds.
    setup: Option<fn(&Path)>,
    mutate: fn(&Path),
}

const fn row(name: &'static str, mutate: fn(&Path)) -> Row {
    Row { name, setup: None, mutate }
}

const fn row_after(name: &'static str, setup: fn(&Path), mutate: fn(&Path)) -> Row {
    Row { name, setup: Some(setup), mutate }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Replaces `from` by `to` in `rel` (under `root`); `from` must be there.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(&path, text.replace(from, to)).expect("write");
}

/// Writes (or replaces) `rel` under `root`.
fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// Removes `rel`, which must exist.
fn remove(root: &Path, rel: &str) {
    std::fs::remove_file(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
}

fn rename(root: &Path, from: &str, to: &str) {
    std::fs::rename(root.join(from), root.join(to)).unwrap_or_else(|e| panic!("{from}: {e}"));
}

/// The default theme's Spanish strings with `key` set to `value`.
fn theme_strings_with(key: &str, value: &str) -> String {
    let text = std::fs::read_to_string(manifest_dir().join("themes/default/i18n/es.yaml")).expect("es.yaml");
    let prefix = format!("{key}: ");
    assert!(text.lines().any(|l| l.starts_with(&prefix)), "no string {key}");
    text.lines()
        .map(|l| if l.starts_with(&prefix) { format!("{prefix}\"{value}\"") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A default template with `from` replaced by `to`.
fn template_with(name: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(manifest_dir().join("themes/default/templates").join(name)).expect("template");
    assert!(text.contains(from), "{name} does not contain {from:?}");
    text.replace(from, to)
}

/// Every file of a built folder (without the output marker), path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .filter(|(rel, _)| rel != ".cuenta-output")
        .collect()
}

/// `pdf`: whether builds typeset the PDF. Only the rows of [`PDF_ROWS`] do:
/// its fingerprint is everything Typst reads, and typesetting in a debug
/// build costs seconds that the other rows need not pay.
fn options(root: &Path, out: &Path, cache: bool, pdf: bool) -> BuildOptions {
    BuildOptions { output: Some(out.to_path_buf()), cache, lang: None, pdf, ..BuildOptions::new(root) }
}

/// Builds `root` into `out`; the build must succeed and write.
fn build(root: &Path, out: &Path, cache: bool, pdf: bool) -> BTreeMap<String, Vec<u8>> {
    let report = site::build(&options(root, out, cache, pdf)).expect("build");
    assert!(report.written, "build failed: {:#?}", report.diagnostics);
    snapshot(out)
}

/// A rebuild inside a `serve` session, with the offline copy packed so that
/// the zip is compared too.
fn serve_rebuild(root: &Path, session: &Arc<Session>, pdf: bool) -> BTreeMap<String, Vec<u8>> {
    let opts = BuildOptions { write: false, session: Some(Arc::clone(session)), pdf, ..BuildOptions::new(root) };
    let (summary, files) = site::compile(&opts).expect("compile");
    assert!(!summary.failed(false), "serve rebuild failed: {:#?}", summary.diagnostics);
    files.into_iter().map(|f| (f.path.clone(), f.parts().flatten().copied().collect())).collect()
}

/// Names the first file where `got` and `want` differ, with both versions.
fn first_difference(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    // Pages first: a stale page also makes the zip differ, and the page says why.
    let mut paths: Vec<&String> = got.keys().chain(want.keys()).collect();
    paths.sort_by_key(|p| (p.ends_with(".zip"), *p));
    paths.dedup();
    paths.into_iter().find_map(|p| match (got.get(p), want.get(p)) {
        (Some(a), Some(b)) if a == b => None,
        (a, b) => {
            let show = |v: Option<&Vec<u8>>| v.map_or("(missing)".into(), |v| String::from_utf8_lossy(v).into_owned());
            let (a, b) = (show(a), show(b));
            let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
            let around = |s: &str| s.get(at.saturating_sub(120)..(at + 120).min(s.len())).unwrap_or("").to_string();
            Some(format!("{p}\n  reused: …{}…\n  fresh:  …{}…", around(&a), around(&b)))
        }
    })
}

/// The test of one row on a copy of `fixture`, without the PDF.
fn check(fixture: &Path, row: &Row) {
    check_with(fixture, row, false);
}

/// The test of one row on a copy of `fixture`; `pdf`: with the PDF.
fn check_with(fixture: &Path, row: &Row, pdf: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("report");
    copy_report(fixture, &root);
    if let Some(setup) = row.setup {
        setup(&root);
    }
    let out = dir.path().join("output");
    build(&root, &out, true, pdf);
    let session = Arc::new(Session::new());
    serve_rebuild(&root, &session, pdf);
    (row.mutate)(&root);
    let cached = build(&root, &out, true, pdf);
    let served = serve_rebuild(&root, &session, pdf);
    let fresh = build(&root, &dir.path().join("fresh"), false, pdf);
    if let Some(diff) = first_difference(&cached, &fresh) {
        panic!("{}: a build reusing the cache differs from a fresh build at {diff}", row.name);
    }
    if let Some(diff) = first_difference(&served, &fresh) {
        panic!("{}: a serve rebuild differs from a fresh build at {diff}", row.name);
    }
}

/// Copies the report folder (content/ and themes/ only).
fn copy_report(from: &Path, to: &Path) {
    for sub in ["content", "themes"] {
        let src = from.join(sub);
        for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let target = to.join(sub).join(entry.path().strip_prefix(&src).expect("under"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
}

fn fixture() -> PathBuf {
    manifest_dir().join("tests/fixtures/report")
}

const VISAS: &str = "content/01-visas.md";
const BUDGET: &str = "content/02-datos/01-presupuesto.md";

fn change_visas_total(root: &Path) {
    edit(root, VISAS, "total: [Total, 12901, 12732]", "total: [Total, 12902, 12732]");
}

fn change_visas_cell(root: &Path) {
    edit(root, VISAS, "[Visas temporarias, 12794, 12638]", "[Visas temporarias, 12795, 12638]");
}

fn quote_figure_with_single_quotes(root: &Path) {
    edit(
        root,
        BUDGET,
        r#"figure(table="visas", row="Total", col="y2016")"#,
        "figure(table='visas', row='Total', col='y2016')",
    );
}

/// A chart declared in the budget section over the visas table, placed in a
/// third section.
fn chart_over_another_sections_table_placed_in_a_third(root: &Path) {
    edit(
        root,
        BUDGET,
        "charts:\n",
        "charts:\n  - { id: visas-cruzado, table: visas, type: bar, x: tipo, y: y2016, title: Visas desde presupuesto }\n",
    );
    write(
        root,
        "content/03-tercera.md",
        "---\ntitle: Tercera\nweight: 3\n---\nEl gráfico de otra sección:\n\n{{ chart(id=\"visas-cruzado\") }}\n",
    );
}

/// The visas table (and nothing else) moved from its section to the budget's.
fn move_visas_table_to_budget(root: &Path) {
    let visas = std::fs::read_to_string(root.join(VISAS)).expect("read");
    let start = visas.find("tables:\n").expect("tables");
    let end = visas.find("charts:\n").expect("charts");
    let block = visas[start + "tables:\n".len()..end].to_string();
    std::fs::write(root.join(VISAS), format!("{}{}", &visas[..start], &visas[end..])).expect("write");
    edit(root, BUDGET, "tables:\n", &format!("tables:\n{block}"));
}

fn rename_visas_table(root: &Path) {
    edit(root, VISAS, "id: visas\n", "id: visados\n");
    edit(root, VISAS, "table: visas,", "table: visados,");
    edit(root, VISAS, r#"table="visas""#, r#"table="visados""#);
    edit(root, VISAS, r#"table(id="visas")"#, r#"table(id="visados")"#);
    edit(root, BUDGET, r#"table="visas""#, r#"table="visados""#);
    edit(root, "content/_index.md", r#"table="visas""#, r#"table="visados""#);
}

const FIXTURE_ROWS: &[Row] = &[
    row("change a cell", change_visas_cell),
    row("change a declared total", change_visas_total),
    row_after("change a total quoted by a single-quoted figure", quote_figure_with_single_quotes, change_visas_total),
    row("quote a placement with single quotes", quote_figure_with_single_quotes),
    row_after(
        "change a row of a table charted from a second section and placed in a third",
        chart_over_another_sections_table_placed_in_a_third,
        change_visas_cell,
    ),
    row("change a title", |r| edit(r, VISAS, "title: Extranjería", "title: Migración")),
    row("change a summary", |r| edit(r, VISAS, "summary: Solicitudes de residencia.", "summary: Otra cosa.")),
    row("change a setting in _index.md", |r| {
        edit(r, "content/_index.md", "period: enero a diciembre de 2018", "period: todo 2019")
    }),
    row("turn on safe_html", |r| edit(r, "content/_index.md", "year: 2018\n", "year: 2018\nsafe_html: true\n")),
    row("change the currency", |r| edit(r, "content/_index.md", "year: 2018\n", "year: 2018\ncurrency: USD\n")),
    row("change a theme string", |r| {
        write(r, "themes/propio/i18n/es.yaml", &theme_strings_with("see_table", "Ver el cuadro"))
    }),
    row("change a theme string pages show", |r| {
        write(r, "themes/propio/i18n/es.yaml", &theme_strings_with("previous", "Atrás"))
    }),
    row("change a template", |r| edit(r, "themes/propio/templates/index.html", "<ol>", "<ol class=\"otra\">")),
    row("override a template", |r| {
        write(r, "themes/propio/templates/section.html", &template_with("section.html", "<h1>", "<h1 class=\"x\">"))
    }),
    row("rename a table id", rename_visas_table),
    row("add a section", |r| write(r, "content/03-nueva.md", "---\ntitle: Nueva\nweight: 3\n---\nTexto nuevo.\n")),
    row("remove a section", |r| remove(r, BUDGET)),
    row("rename a section", |r| rename(r, BUDGET, "content/02-datos/01-gastos.md")),
    row("move a chart's table to another section", move_visas_table_to_budget),
    row("change a section's body", |r| edit(r, VISAS, "solicitudes en 2016.", "solicitudes durante 2016.")),
    row("give a column a unit", |r| {
        edit(
            r,
            BUDGET,
            "{ id: aprobado, label: Aprobado, type: money }",
            "{ id: aprobado, label: Aprobado, type: money, unit: \"M$\" }",
        )
    }),
    row_after(
        "change a total a cross-check in another section names",
        check_visas_total_from_budget,
        change_visas_total,
    ),
    row_after("change a printed= figure", print_the_visas_total_in_budget, |r| {
        edit(r, BUDGET, r#"printed="12.901""#, r#"printed="12.900""#)
    }),
    row("choose a palette", |r| {
        edit(r, "content/_index.md", "year: 2018\n", "year: 2018\npalette: gobierno-de-chile\n")
    }),
    row("add the office's contact", |r| {
        edit(r, "content/_index.md", "year: 2018\n", "year: 2018\ncontact: { email: oirs@ejemplo.cl }\n")
    }),
];

/// The budget section asserts that the visas table's printed total is the
/// sum of its rows: a check that lives in one section over another's table.
fn check_visas_total_from_budget(root: &Path) {
    edit(
        root,
        BUDGET,
        "weight: 2\n",
        "weight: 2\nchecks:\n  - figure: visas.total.y2016\n    equals: sum(visas.y2016)\n",
    );
}

/// The budget section's prose states the visas total itself (`printed=`).
fn print_the_visas_total_in_budget(root: &Path) {
    edit(root, BUDGET, r#"col="y2016") }}"#, r#"col="y2016", printed="12.901") }}"#);
}

#[test]
fn a_total_quoted_with_single_quotes_in_another_section_is_not_stale() {
    check(&fixture(), &FIXTURE_ROWS[2]);
}

#[test]
fn a_chart_placed_in_a_third_section_follows_its_table_in_a_second() {
    check(&fixture(), &FIXTURE_ROWS[4]);
}

#[test]
fn every_mutation_of_the_fixture_rebuilds_as_a_fresh_build() {
    for row in FIXTURE_ROWS {
        check(&fixture(), row);
    }
}

const SHIPPED_ROWS: &[Row] = &[
    row("change a declared total quoted by another section", |r| {
        let rel = shipped_file_with(r, "id: visas\n");
        let text = std::fs::read_to_string(r.join(&rel)).expect("read");
        let total = text.lines().find(|l| l.trim_start().starts_with("total:")).expect("a total").to_string();
        edit(r, &rel, &total, &total.replacen(", ", ", 1", 1));
    }),
    row("change a title", |r| edit(r, "content/03-seguridad.md", "title: Seguridad\n", "title: Seguridad pública\n")),
    row("change a setting in _index.md", |r| edit(r, "content/_index.md", "period: \"2018\"", "period: \"2018-2019\"")),
    row("remove a section", |r| remove(r, "content/03-seguridad.md")),
    row("add a section", |r| write(r, "content/08-anexo.md", "---\ntitle: Anexo\nweight: 8\n---\nAnexo.\n")),
    row("change a key figure on the home page", |r| {
        edit(r, "content/_index.md", "columna: y2016 }", "columna: y2017 }")
    }),
    row("change a participation activity", |r| {
        edit(r, "content/06-fortalecimiento-provincial-de-las-gobernaciones.md", "atenciones: 502", "atenciones: 503")
    }),
    row_after(
        "change the caption of a table a participation question links to",
        add_a_question_linking_to_visas,
        |r| {
            let rel = shipped_file_with(r, "id: visas\n");
            let text = std::fs::read_to_string(r.join(&rel)).expect("read");
            let caption = text
                .lines()
                .skip_while(|l| !l.contains("id: visas"))
                .find(|l| l.contains("caption:"))
                .expect("caption");
            edit(r, &rel, caption, &format!("{caption} (revisada)"));
        },
    ),
];

/// A participation question in chapter 6 that links to the visas table.
fn add_a_question_linking_to_visas(root: &Path) {
    edit(
        root,
        "content/06-fortalecimiento-provincial-de-las-gobernaciones.md",
        "      atenciones: 502\n",
        "      atenciones: 502\n  preguntas:\n    - { tema: Visas, recibida: 2019-04-03, pregunta: \"¿Cuántas?\", respuesta: \"Muchas.\", tabla: visas }\n",
    );
}

/// The section file of the shipped report (copied under `root`) holding `text`.
fn shipped_file_with(root: &Path, text: &str) -> String {
    // Sections sit in chapter folders too (issue 16).
    let mut names: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    names.sort();
    let found = names.into_iter().find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(text)));
    let path = found.unwrap_or_else(|| panic!("no section holds {text:?}"));
    path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/")
}

fn phone_fixture() -> PathBuf {
    manifest_dir().join("tests/fixtures/phone")
}

const IMAGE: &str = "content/02-gestion/img/operativo.svg";
const CHAPTER: &str = "content/02-gestion/_index.md";

/// Chapters, numbering and media (issue 16), on the fixture that has them.
const PHONE_ROWS: &[Row] = &[
    row("replace an image under content/ with one of another size", |r| {
        edit(r, IMAGE, r#"width="640" height="360""#, r#"width="800" height="600""#)
    }),
    row("replace an image under content/ with other bytes of the same size", |r| {
        edit(r, IMAGE, "fill=\"#fd0\"", "fill=\"#f80\"")
    }),
    row("change a chapter's title", |r| edit(r, CHAPTER, "title: Gestión\n", "title: Gestión del año\n")),
    row("change a chapter's intro", |r| edit(r, CHAPTER, "operativos en terreno", "operativos y visitas en terreno")),
    row("change numbering in content/_index.md", |r| {
        edit(r, "content/_index.md", "numbering: none\n", "numbering: auto\n")
    }),
    row("change a section's number", |r| edit(r, "content/01-presentacion.md", "number: \"I\"", "number: \"0\"")),
];

#[test]
fn every_mutation_of_chapters_numbering_and_media_rebuilds_as_a_fresh_build() {
    for row in PHONE_ROWS {
        check(&phone_fixture(), row);
    }
}

/// What the PDF shows (issue 19), on the fixture with chapters and images:
/// each mutation must reach the PDF in a cached build and a serve rebuild
/// exactly as in a fresh one.
#[cfg(feature = "pdf")]
const PDF_ROWS: &[Row] = &[
    row("change a cell the PDF prints", |r| {
        edit(r, "content/02-gestion/02-presupuesto.md", "[Personal, 3620010,", "[Personal, 3620011,")
    }),
    row("change a footnote", |r| {
        edit(r, "content/02-gestion/01-operativos.md", "Departamento de Seguridad.", "Departamento de Orden.")
    }),
    row("change an image's caption", |r| {
        edit(r, "content/02-gestion/01-operativos.md", "marzo de 2019\")", "abril de 2019\")")
    }),
    row("change a chapter's intro", |r| edit(r, CHAPTER, "operativos en terreno", "operativos y visitas en terreno")),
    row("change a chapter's title", |r| edit(r, CHAPTER, "title: Gestión\n", "title: Gestión del año\n")),
    row("replace an image the PDF shows with other bytes", |r| edit(r, IMAGE, "fill=\"#fd0\"", "fill=\"#f80\"")),
    row("change numbering", |r| edit(r, "content/_index.md", "numbering: none\n", "numbering: auto\n")),
    row("turn the PDF off", |r| edit(r, "content/_index.md", "numbering: none\n", "numbering: none\npdf: false\n")),
    row_after(
        "turn the PDF back on",
        |r| edit(r, "content/_index.md", "numbering: none\n", "numbering: none\npdf: false\n"),
        |r| edit(r, "content/_index.md", "pdf: false\n", "pdf: true\n"),
    ),
];

#[test]
#[cfg(feature = "pdf")]
fn every_mutation_the_pdf_shows_rebuilds_it_as_a_fresh_build() {
    for row in PDF_ROWS {
        check_with(&phone_fixture(), row, true);
    }
    let footer = row("change the PDF's footer string", |r| {
        write(r, "themes/propio/i18n/es.yaml", &theme_strings_with("pdf_page", "hoja {page} de {pages}"))
    });
    check_with(&fixture(), &footer, true);
}

#[test]
fn every_mutation_of_the_shipped_report_rebuilds_as_a_fresh_build() {
    for row in SHIPPED_ROWS {
        check(&manifest_dir(), row);
    }
}

#[test]
fn a_cache_of_an_older_format_garbage_or_truncated_is_ignored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("report");
    copy_report(&fixture(), &root);
    let out = dir.path().join("output");
    build(&root, &out, true, false);
    let cache_dir = dir.path().join(".output.cuenta-cache");
    let stored: Vec<PathBuf> = walkdir::WalkDir::new(&cache_dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(!stored.is_empty(), "the first build keeps a cache");
    let good: Vec<(PathBuf, Vec<u8>)> = stored.iter().map(|p| (p.clone(), std::fs::read(p).expect("read"))).collect();
    change_visas_total(&root);
    let fresh = build(&root, &dir.path().join("fresh"), false, false);
    type Damage = fn(&[u8]) -> Vec<u8>;
    let damages: [(&str, Damage); 5] = [
        ("an older format", |b| {
            let mut b = b.to_vec();
            if let Some(p) = b.iter().position(|&c| c == b'\n') {
                b[p - 1] = b'1';
            }
            b
        }),
        ("garbage", |b| b.iter().map(|c| c.wrapping_mul(31).wrapping_add(7)).collect()),
        ("truncated", |b| b[..b.len() / 2].to_vec()),
        ("cut after the header", |b| b[..b.len().min(64)].to_vec()),
        ("empty", |_| Vec::new()),
    ];
    for (what, damage) in damages {
        for (path, bytes) in &good {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, damage(bytes)).expect("damage");
        }
        let again = build(&root, &out, true, false);
        if let Some(diff) = first_difference(&again, &fresh) {
            panic!("a cache of {what} was misread: {diff}");
        }
    }
}
