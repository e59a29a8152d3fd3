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

fn options(root: &Path, out: &Path, cache: bool) -> BuildOptions {
    BuildOptions { output: Some(out.to_path_buf()), cache, lang: None, ..BuildOptions::new(root) }
}

/// Builds `root` into `out`; the build must succeed and write.
fn build(root: &Path, out: &Path, cache: bool) -> BTreeMap<String, Vec<u8>> {
    let report = site::build(&options(root, out, cache)).expect("build");
    assert!(report.written, "build failed: {:#?}", report.diagnostics);
    snapshot(out)
}

/// A rebuild inside a `serve` session, with the offline copy packed so that
/// the zip is compared too.
fn serve_rebuild(root: &Path, session: &Arc<Session>) -> BTreeMap<String, Vec<u8>> {
    let opts = BuildOptions { write: false, session: Some(Arc::clone(session)), ..BuildOptions::new(root) };
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

/// The test of one row on a copy of `fixture`.
fn check(fixture: &Path, row: &Row) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("report");
    copy_report(fixture, &root);
    if let Some(setup) = row.setup {
        setup(&root);
    }
    let out = dir.path().join("output");
    build(&root, &out, true);
    let session = Arc::new(Session::new());
    serve_rebuild(&root, &session);
    (row.mutate)(&root);
    let cached = build(&root, &out, true);
    let served = serve_rebuild(&root, &session);
    let fresh = build(&root, &dir.path().join("fresh"), false);
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

const REGIONS: &str = "content/02-datos/02-regiones.md";
const REGIONS_CSV: &str = "content/datos/regiones.csv";

/// The regions table reads `content/datos/regiones.xlsx`, made here with
/// Aysén's amount `aysen`.
fn regions_from_xlsx(root: &Path, aysen: f64) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let cells: [(&str, f64); 2] = [("Aysén", aysen), ("Ñuble", 12794.0)];
    sheet.write_string(0, 0, "Región").expect("cell");
    sheet.write_string(0, 1, "Monto").expect("cell");
    for (row, (region, amount)) in (1u32..).zip(cells) {
        sheet.write_string(row, 0, region).expect("cell");
        sheet.write_number(row, 1, amount).expect("cell");
    }
    book.save(root.join("content/datos/regiones.xlsx")).expect("save xlsx");
}

fn read_regions_from_xlsx(root: &Path) {
    regions_from_xlsx(root, 1234567.0);
    edit(root, REGIONS, "rows_from: datos/regiones.csv", "rows_from: datos/regiones.xlsx");
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
    row("change a cell of a CSV a table reads its rows from", |r| {
        edit(r, REGIONS_CSV, "Aysén;1.234.567", "Aysén;1.234.568")
    }),
    row_after("change a cell of an .xlsx a table reads its rows from", read_regions_from_xlsx, |r| {
        regions_from_xlsx(r, 1234569.0)
    }),
    row("make a table read another spreadsheet", |r| {
        write(r, "content/datos/otras.csv", "Región;Monto\nAysén;7\nÑuble;8\n");
        edit(r, REGIONS, "rows_from: datos/regiones.csv", "rows_from: datos/otras.csv");
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
fn a_changed_spreadsheet_rebuilds_its_section_and_the_page_that_quotes_its_table() {
    for row in FIXTURE_ROWS.iter().filter(|r| r.name.contains("spreadsheet") || r.name.contains("reads its rows")) {
        check(&fixture(), row);
    }
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
    row("rename a column group", |r| edit(r, BUDGET_PAGE, "group: Ejecución }", "group: Ejecutado }")),
    row("take a column out of its group", |r| {
        edit(r, BUDGET_PAGE, ", group: \"Presupuesto (M$)\" }\n      - { id: vigente", " }\n      - { id: vigente")
    }),
    row_after("swap the numbers cross-references name", link_by_number_and_id, |r| {
        edit(r, BUDGET_PAGE, "number: \"2.2\"", "number: \"2.3\"");
        edit(r, OPERATIONS, "title: 2.1. Operativos", "title: 2.2. Operativos");
    }),
    row_after("rename the page a table cross-reference leads to", link_by_number_and_id, |r| {
        edit(r, OPERATIONS, "title: 2.1. Operativos en terreno\n", "title: 2.1. Operativos en terreno\nslug: terreno\n")
    }),
    row_after("rename a heading and the anchor a link names", link_by_number_and_id, |r| {
        edit(r, BUDGET_PAGE, "## Gastos\n", "## Gastos del año\n");
        edit(r, PRESENTATION, "presupuesto.md#gastos)", "presupuesto.md#gastos-del-ano)");
    }),
];

const LOGO: &str = "content/img/escudo.svg";

/// The office's logo and icon under content/img/, a published address and
/// an accessibility statement with a known limit (issue 18).
fn give_the_office_an_identity(root: &Path) {
    write(
        root,
        LOGO,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#0f69b4"/></svg>"##,
    );
    write(
        root,
        "content/img/icono.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="#eb3c46"/></svg>"##,
    );
    edit(
        root,
        "content/_index.md",
        "numbering: none\n",
        concat!(
            "numbering: none\n",
            "logo: { image: img/escudo.svg, alt: Gobernación de Prueba }\n",
            "favicon: img/icono.svg\n",
            "base_url: https://www.gob.cl/cuenta-2019/\n",
            "contact: { email: oirs@prueba.cl }\n",
            "accessibility:\n  limits: [\"Los anexos de 2017 están escaneados.\"]\n  reviewed: mayo de 2019\n",
        ),
    );
}

const INDEX: &str = "content/_index.md";

/// The office's identity: logo, icon, base_url, contact, accessibility
/// statement (issue 18).
const IDENTITY_ROWS: &[Row] = &[
    row_after("change the logo file's bytes", give_the_office_an_identity, |r| {
        edit(r, LOGO, "fill=\"#0f69b4\"", "fill=\"#0b3d6e\"")
    }),
    row_after("replace the logo with one of another size", give_the_office_an_identity, |r| {
        edit(r, LOGO, r#"width="120" height="60">"#, r#"width="200" height="50">"#)
    }),
    row_after("change the logo's alt text", give_the_office_an_identity, |r| {
        edit(r, INDEX, "alt: Gobernación de Prueba", "alt: Escudo de la Gobernación de Prueba")
    }),
    row_after("point the logo at another image", give_the_office_an_identity, |r| {
        edit(r, INDEX, "image: img/escudo.svg", "image: 02-gestion/img/operativo.svg")
    }),
    row_after("remove the logo", give_the_office_an_identity, |r| {
        edit(r, INDEX, "logo: { image: img/escudo.svg, alt: Gobernación de Prueba }\n", "")
    }),
    row_after("change the favicon", give_the_office_an_identity, |r| {
        edit(r, INDEX, "favicon: img/icono.svg", "favicon: img/escudo.svg")
    }),
    row_after("change the favicon file's bytes", give_the_office_an_identity, |r| {
        edit(r, "content/img/icono.svg", "fill=\"#eb3c46\"", "fill=\"#0f69b4\"")
    }),
    row_after("unset the favicon", give_the_office_an_identity, |r| edit(r, INDEX, "favicon: img/icono.svg\n", "")),
    row_after("change base_url", give_the_office_an_identity, |r| {
        edit(r, INDEX, "https://www.gob.cl/cuenta-2019/", "https://cuenta.gob.cl/2019/")
    }),
    row_after("unset base_url", give_the_office_an_identity, |r| {
        edit(r, INDEX, "base_url: https://www.gob.cl/cuenta-2019/\n", "")
    }),
    row("set base_url", |r| edit(r, INDEX, "numbering: none\n", "numbering: none\nbase_url: https://www.gob.cl/c/\n")),
    row_after("add a known accessibility limit", give_the_office_an_identity, |r| {
        edit(r, INDEX, "  limits: [", "  limits: [\"Los videos no tienen subtítulos.\", ")
    }),
    row_after("change when the accessibility statement was reviewed", give_the_office_an_identity, |r| {
        edit(r, INDEX, "reviewed: mayo de 2019", "reviewed: junio de 2019")
    }),
    row_after("change the contact the accessibility statement gives", give_the_office_an_identity, |r| {
        edit(r, INDEX, "oirs@prueba.cl", "accesibilidad@prueba.cl")
    }),
    row_after("add a cover image that becomes the sharing image", give_the_office_an_identity, |r| {
        edit(r, INDEX, "numbering: none\n", "numbering: none\nportada: { imagen: img/escudo.svg, alt: Portada }\n")
    }),
];

#[test]
fn every_mutation_of_the_office_identity_rebuilds_as_a_fresh_build() {
    for row in IDENTITY_ROWS {
        check(&phone_fixture(), row);
    }
}

const PRESENTATION: &str = "content/01-presentacion.md";
const OPERATIONS: &str = "content/02-gestion/01-operativos.md";
const BUDGET_PAGE: &str = "content/02-gestion/02-presupuesto.md";

/// Cross-references by number, by table id and to a heading, from a section
/// and from a chapter's intro; none of the mutations above touch the
/// linking text.
fn link_by_number_and_id(root: &Path) {
    let extra = "\nVer [el presupuesto](#2.2), [las acciones](#acciones) y [los gastos](02-gestion/02-presupuesto.md#gastos).\n";
    let text = std::fs::read_to_string(root.join(PRESENTATION)).expect("read");
    write(root, PRESENTATION, &format!("{text}{extra}"));
    let budget = std::fs::read_to_string(root.join(BUDGET_PAGE)).expect("read");
    write(root, BUDGET_PAGE, &format!("{budget}\n## Gastos\n\nEl gasto del año.\n"));
    edit(root, CHAPTER, "operativos en terreno", "operativos en terreno ([presupuesto](#2.2))");
}

/// The diagnostics of a build, as compared across builds.
fn diagnostics_of(report: &[cuenta::test_support::Diagnostic]) -> Vec<String> {
    report.iter().map(|d| format!("{d:?}")).collect()
}

#[test]
fn a_heading_renamed_under_a_link_is_the_same_error_in_cached_serve_and_fresh_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("report");
    copy_report(&phone_fixture(), &root);
    link_by_number_and_id(&root);
    let out = dir.path().join("output");
    build(&root, &out, true);
    let session = Arc::new(Session::new());
    serve_rebuild(&root, &session);
    edit(&root, BUDGET_PAGE, "## Gastos\n", "## Gastos del año\n");
    let cached = site::build(&options(&root, &out, true)).expect("build");
    let fresh = site::build(&options(&root, &dir.path().join("fresh"), false)).expect("build");
    let opts = BuildOptions { write: false, session: Some(Arc::clone(&session)), ..BuildOptions::new(&root) };
    let (served, _) = site::compile(&opts).expect("compile");
    assert!(!cached.written && !fresh.written, "a link to a heading that is gone fails the build");
    let want = diagnostics_of(&fresh.diagnostics);
    assert!(want.iter().any(|d| d.contains("UnknownAnchor") && d.contains("gastos")), "{want:#?}");
    assert_eq!(diagnostics_of(&cached.diagnostics), want);
    assert_eq!(diagnostics_of(&served.diagnostics), want);
}

#[test]
fn every_mutation_of_chapters_numbering_and_media_rebuilds_as_a_fresh_build() {
    for row in PHONE_ROWS {
        check(&phone_fixture(), row);
    }
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
    build(&root, &out, true);
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
    let fresh = build(&root, &dir.path().join("fresh"), false);
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
        let again = build(&root, &out, true);
        if let Some(diff) = first_difference(&again, &fresh) {
            panic!("a cache of {what} was misread: {diff}");
        }
    }
}
