//! The open data of the shipped report: OUT/datos/datapackage.json is a Frictionless
//! Data Package whose resources are the report's tables, each CSV parses, carries the
//! column ids (the fields' names) as its header and exactly the rows and numbers written
//! in the front matter of content/*.md, with formula cells left empty in the source
//! computed; the total row is no row of the CSV but the resource's `totals`.
//! When the `frictionless` Python package is installed, it validates the package too.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cuenta::test_support::Value as Yaml;
use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_site() -> tempfile::TempDir {
    build_report(&root())
}

fn build_report(report_root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    common::build_into(report_root, dir.path());
    dir
}

/// The YAML front matter of a content file.
fn front_matter(path: &Path) -> Yaml {
    let text = fs::read_to_string(path).expect("read content file");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let end = rest.find("\n---").unwrap_or_else(|| panic!("{} front matter is not closed", path.display()));
    cuenta::test_support::value_of(&path.display().to_string(), &rest[..end])
        .unwrap_or_else(|e| panic!("{}: front matter is not YAML: {:?}", path.display(), e.message))
}

/// A table as written in the front matter.
#[derive(Debug)]
struct SourceTable {
    file: String,
    caption: String,
    columns: Vec<SourceColumn>,
    rows: Vec<Vec<Yaml>>,
    total: Option<Vec<Yaml>>,
}

#[derive(Debug)]
struct SourceColumn {
    id: String,
    label: String,
    kind: Option<String>,
    formula: Option<String>,
    decimals: Option<u64>,
    unit: Option<String>,
}

impl SourceColumn {
    /// The header people see: the label, with the unit if any.
    fn heading(&self) -> String {
        match &self.unit {
            Some(unit) => format!("{} ({unit})", self.label),
            None => self.label.clone(),
        }
    }
}

fn str_of(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Every table of the report's content/*.md, by id.
fn source_tables() -> BTreeMap<String, SourceTable> {
    source_tables_in(&root())
}

/// Every table of REPORT_ROOT/content/**/*.md, by id.
fn source_tables_in(report_root: &Path) -> BTreeMap<String, SourceTable> {
    let mut tables = BTreeMap::new();
    // Chapters are folders: their sections' files are below content/.
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(report_root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    for path in files {
        let fm = front_matter(&path);
        let Some(list) = fm.get("tables").and_then(Yaml::as_sequence) else {
            continue;
        };
        let file = path.file_name().expect("file name").to_string_lossy().into_owned();
        for t in list {
            let id = t.get("id").and_then(str_of).unwrap_or_else(|| panic!("{file}: table without id"));
            let columns = t
                .get("columns")
                .and_then(Yaml::as_sequence)
                .unwrap_or_else(|| panic!("{file}: table {id} without columns"))
                .iter()
                .map(|c| {
                    let cid = c.get("id").and_then(str_of).expect("column id");
                    SourceColumn {
                        label: c.get("label").and_then(str_of).unwrap_or_else(|| cid.clone()),
                        id: cid,
                        kind: c.get("type").and_then(str_of),
                        formula: c.get("formula").and_then(str_of),
                        decimals: c.get("decimals").and_then(Yaml::as_u64),
                        unit: c.get("unit").and_then(str_of),
                    }
                })
                .collect();
            let row_list = |v: &Yaml| -> Vec<Yaml> {
                v.as_sequence().unwrap_or_else(|| panic!("{file}: table {id}: a row is not a list")).clone()
            };
            let rows = t
                .get("rows")
                .and_then(Yaml::as_sequence)
                .map(|rows| rows.iter().map(row_list).collect())
                .unwrap_or_default();
            let total = t.get("total").map(row_list);
            tables.insert(
                id.clone(),
                SourceTable {
                    file: file.clone(),
                    caption: t.get("caption").and_then(str_of).unwrap_or_default(),
                    columns,
                    rows,
                    total,
                },
            );
        }
    }
    tables
}

fn as_f64(v: &Yaml) -> Option<f64> {
    match v {
        Yaml::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Parses a CSV number as written for machines: plain digits, '.' as the decimal
/// separator, optional minus sign. "12.794" would be 12.794, not twelve thousand.
fn csv_number(cell: &str) -> Option<f64> {
    let c = cell.trim();
    if c.is_empty() || !c.chars().all(|ch| ch.is_ascii_digit() || "-+.eE".contains(ch)) {
        return None;
    }
    c.parse().ok()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance.max(1e-9 * b.abs())
}

/// The largest difference rounding to the column's shown decimals can make.
fn rounding(col: &SourceColumn) -> f64 {
    let decimals = col.decimals.unwrap_or(match col.kind.as_deref() {
        Some("percent") | Some("number") => 1,
        _ => 0,
    });
    0.5 * 10f64.powi(-(decimals as i32)) + 1e-9
}

/// Evaluates a column formula over one row's numeric cells (with the `evalexpr` crate,
/// independent of the engine's own grammar, so the test does not borrow the engine's code).
/// `sum(col)` and `share(col)`, which evalexpr does not know, are first written
/// out with the column's sum over the source rows.
fn eval_formula(formula: &str, table: &SourceTable, row: &[Yaml]) -> Option<f64> {
    use evalexpr::{ContextWithMutableVariables, HashMapContext, Value};
    let columns = &table.columns;
    let mut formula = formula.to_string();
    for (j, col) in columns.iter().enumerate() {
        let sum: f64 = table.rows.iter().filter_map(|r| r.get(j).and_then(as_f64)).sum();
        formula = formula
            .replace(&format!("share({})", col.id), &format!("({} / {sum:?} * 100)", col.id))
            .replace(&format!("sum({})", col.id), &format!("({sum:?})"));
    }
    let formula = formula.as_str();
    let mut ctx = HashMapContext::<evalexpr::DefaultNumericTypes>::new();
    for (col, cell) in columns.iter().zip(row) {
        if let Some(x) = as_f64(cell) {
            ctx.set_value(col.id.clone(), Value::Float(x)).ok()?;
        }
    }
    evalexpr::eval_number_with_context(formula, &ctx).ok()
}

fn datos(site: &Path) -> PathBuf {
    site.join("datos")
}

fn read_package(site: &Path) -> Json {
    let path = datos(site).join("datapackage.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn is_frictionless_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
}

/// The resource's file, resolved as the Data Package spec says: relative to the
/// descriptor's folder, never absolute, never climbing out of it.
fn resource_file(site: &Path, path: &str) -> PathBuf {
    assert!(
        !path.starts_with('/') && !path.contains("://") && !path.split('/').any(|p| p == ".."),
        "resource path {path:?} must be a relative path inside the package folder"
    );
    datos(site).join(path)
}

const FIELD_TYPES: &[&str] = &[
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
    "list",
];

#[test]
fn datapackage_describes_every_table_as_a_valid_resource() {
    let site = build_site();
    let pkg = read_package(site.path());
    let tables = source_tables();
    assert!(tables.len() >= 10, "the shipped report has more tables than {}: front matter not read?", tables.len());

    let name = pkg["name"].as_str().expect("datapackage.json: name is a string");
    assert!(is_frictionless_name(name), "package name {name:?} must be lower case letters, digits, '-', '_' or '.'");
    let title = pkg["title"].as_str().expect("datapackage.json: title is a string");
    let index = front_matter(&root().join("content/_index.md"));
    let site_title = index.get("title").and_then(str_of).expect("_index.md title");
    assert!(title.contains(&site_title), "package title {title:?} should name the report ({site_title:?})");

    let licenses = pkg["licenses"].as_array().expect("datapackage.json: licenses is a list");
    assert!(!licenses.is_empty(), "datapackage.json: licenses is empty");
    for l in licenses {
        assert!(l["name"].is_string() || l["path"].is_string(), "each licence needs a name or a path: {l}");
    }
    if let Some(licence) = index.get("licence").and_then(str_of) {
        assert!(
            licenses.iter().any(|l| l["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(&licence))
                || l["title"].as_str().is_some_and(|t| t.contains(&licence))),
            "the report's licence {licence} is not among the package licences {licenses:?}"
        );
    }

    let resources = pkg["resources"].as_array().expect("datapackage.json: resources is a list");
    let mut seen_names = std::collections::BTreeSet::new();
    let mut seen_tables = std::collections::BTreeSet::new();
    for r in resources {
        let rname = r["name"].as_str().expect("resource name");
        assert!(is_frictionless_name(rname), "resource name {rname:?} is not a valid name");
        assert!(seen_names.insert(rname.to_string()), "resource name {rname} repeated");
        let path = r["path"].as_str().unwrap_or_else(|| panic!("resource {rname}: path"));
        let file = resource_file(site.path(), path);
        assert!(file.is_file(), "resource {rname}: {} does not exist", file.display());
        assert!(path.ends_with(".csv"), "resource {rname}: {path} is not a CSV");
        if let Some(format) = r["format"].as_str() {
            assert_eq!(format, "csv", "resource {rname}: format");
        }
        if let Some(enc) = r["encoding"].as_str() {
            assert!(enc.eq_ignore_ascii_case("utf-8"), "resource {rname}: encoding {enc}");
        }

        let fields =
            r["schema"]["fields"].as_array().unwrap_or_else(|| panic!("resource {rname}: schema.fields is a list"));
        assert!(!fields.is_empty(), "resource {rname}: no fields");
        for f in fields {
            let ty = f["type"].as_str().unwrap_or_else(|| panic!("{rname}: field without type: {f}"));
            assert!(FIELD_TYPES.contains(&ty), "resource {rname}: unknown field type {ty}");
            assert!(f["name"].is_string(), "resource {rname}: field without name: {f}");
        }

        // The report's verification listing (every check and discrepancy),
        // not a table: tests/crosschecks.rs checks its content.
        if rname == "verificacion" {
            continue;
        }
        // Which table of the report this resource is.
        let stem = Path::new(path).file_stem().and_then(|s| s.to_str()).expect("file stem");
        let table = tables
            .get(rname)
            .or_else(|| tables.get(stem))
            .unwrap_or_else(|| panic!("resource {rname} ({path}) is no table of the report"));
        seen_tables.insert(if tables.contains_key(rname) { rname } else { stem }.to_string());
        assert_eq!(
            fields.len(),
            table.columns.len(),
            "resource {rname}: one field per column of the table in {}",
            table.file
        );
        for (f, c) in fields.iter().zip(&table.columns) {
            let ty = f["type"].as_str().unwrap_or_default();
            assert_eq!(f["unit"].as_str(), c.unit.as_deref(), "{rname}.{}: the field carries the column's unit", c.id);
            assert_eq!(f["name"].as_str(), Some(c.id.as_str()), "{rname}.{}: field name is the stable id", c.id);
            assert_eq!(f["title"].as_str(), Some(c.label.as_str()), "{rname}.{}: field title is the label", c.id);
            assert!(f["description"].as_str().is_some_and(|d| !d.is_empty()), "{rname}.{}: a description", c.id);
            match c.kind.as_deref() {
                Some("integer") => {
                    assert!(ty == "integer" || ty == "number", "{rname}.{}: integer column typed {ty}", c.id)
                }
                Some("money") | Some("percent") | Some("number") => {
                    assert!(ty == "number" || ty == "integer", "{rname}.{}: {:?} column typed {ty}", c.id, c.kind)
                }
                _ => {}
            }
        }
        if let Some(title) = r["title"].as_str() {
            assert!(
                title.contains(table.caption.trim()) || table.caption.is_empty(),
                "resource {rname}: title {title:?} is not the caption {:?}",
                table.caption
            );
        }
    }
    let missing: Vec<_> = tables.keys().filter(|k| !seen_tables.contains(*k)).collect();
    assert!(missing.is_empty(), "tables of the report without a resource in datapackage.json: {missing:?}");

    // Every CSV in datos/ is described.
    for entry in fs::read_dir(datos(site.path())).expect("read datos/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "csv") {
            let described =
                resources.iter().any(|r| r["path"].as_str().is_some_and(|p| resource_file(site.path(), p) == path));
            assert!(described, "{} is not in datapackage.json", path.display());
        }
    }
}

/// How many cells of each kind `compare_csvs` checked.
struct Compared {
    numbers: usize,
    computed: usize,
    uncomputable: usize,
}

/// Compares every CSV of the built SITE with the front matter of REPORT_ROOT/content;
/// panics listing every differing cell.
fn compare_csvs(site: &Path, report_root: &Path) -> Compared {
    let pkg = read_package(site);
    let tables = source_tables_in(report_root);
    let resources = pkg["resources"].as_array().expect("resources");
    let mut computed_checked = 0;
    let mut uncomputable = 0;
    let mut numbers_checked = 0;
    let mut failures = Vec::new();

    for r in resources {
        let rname = r["name"].as_str().expect("resource name");
        let path = r["path"].as_str().expect("resource path");
        let stem = Path::new(path).file_stem().and_then(|s| s.to_str()).expect("stem");
        if rname == "verificacion" {
            continue;
        }
        let Some(table) = tables.get(rname).or_else(|| tables.get(stem)) else {
            panic!("resource {rname} is no table of the report");
        };
        let file = resource_file(site, path);
        let bytes = fs::read(&file).expect("read CSV");
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> =
            reader.headers().unwrap_or_else(|e| panic!("{path}: bad header: {e}")).iter().map(str::to_string).collect();
        let ids: Vec<String> = table.columns.iter().map(|c| c.id.clone()).collect();
        assert_eq!(header, ids, "{path}: the header must be the stable column ids");
        let field_names: Vec<String> = r["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["name"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(field_names, header, "{path}: schema field names must match the CSV header");
        let mut records: Vec<csv::StringRecord> =
            reader.records().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{path}: does not parse as CSV: {e}"));
        assert_eq!(records.len(), table.rows.len(), "{path}: the CSV holds the data rows only, never the total");
        // The total the package states, as the row it was in the front matter.
        if table.total.is_some() {
            let totals = r["totals"].as_object().unwrap_or_else(|| panic!("{rname}: the total is stated in `totals`"));
            let cells: Vec<String> = header
                .iter()
                .map(|name| match totals.get(name) {
                    Some(Json::String(s)) => s.clone(),
                    Some(Json::Number(n)) => n.to_string(),
                    _ => String::new(),
                })
                .collect();
            records.push(csv::StringRecord::from(cells));
        }

        let mut expected: Vec<&Vec<Yaml>> = table.rows.iter().collect();
        if let Some(total) = &table.total {
            expected.push(total);
        }
        assert_eq!(
            records.len(),
            expected.len(),
            "{path}: {} data rows, the table in {} has {} ({} rows{})",
            records.len(),
            table.file,
            expected.len(),
            table.rows.len(),
            if table.total.is_some() { " + total" } else { "" }
        );
        if let Some(n) = r["stats"]["rows"].as_u64().or_else(|| r["rows"].as_u64()) {
            assert_eq!(n as usize, records.len(), "{rname}: declared row count");
        }
        if let Some(n) = r["bytes"].as_u64().or_else(|| r["stats"]["bytes"].as_u64()) {
            assert_eq!(n as usize, text.len(), "{rname}: declared byte size");
        }

        for (i, (rec, row)) in records.iter().zip(&expected).enumerate() {
            assert_eq!(rec.len(), table.columns.len(), "{path}: row {} has {} cells", i + 1, rec.len());
            for (j, col) in table.columns.iter().enumerate() {
                let cell = rec.get(j).unwrap_or_default();
                let src = row.get(j).unwrap_or(&Yaml::Null);
                let at = format!("{path} row {} column {:?}", i + 1, col.label);
                let numeric = matches!(col.kind.as_deref(), Some("integer" | "money" | "percent" | "number"));
                match src {
                    Yaml::Number(_) => {
                        let want = as_f64(src).expect("number");
                        numbers_checked += 1;
                        match csv_number(cell) {
                            Some(got) if close(got, want, 1e-9) => {}
                            _ => failures.push(format!("{at}: {cell:?} is not {want}")),
                        }
                    }
                    Yaml::String(s) => {
                        if cell.trim() != s.trim() {
                            failures.push(format!("{at}: {cell:?}, the source says {s:?}"));
                        }
                    }
                    Yaml::Null => match &col.formula {
                        Some(formula) => {
                            let want = eval_formula(formula, table, row);
                            match (csv_number(cell), want) {
                                // Full precision, or rounded to the column's decimals
                                // (percent columns show one decimal by default).
                                (Some(got), Some(want)) if close(got, want, rounding(col)) => computed_checked += 1,
                                // An input is missing: nothing to compute, the cell stays empty.
                                (None, None) if cell.trim().is_empty() => uncomputable += 1,
                                (got, want) => failures.push(format!(
                                    "{at}: computed cell ({formula}) is {cell:?} ({got:?}), expected {want:?}"
                                )),
                            }
                        }
                        None => {
                            let is_total = table.total.is_some() && i + 1 == expected.len();
                            // A total left empty may be filled in with the column's sum.
                            let sum: f64 =
                                records[..records.len() - 1].iter().filter_map(|r| r.get(j).and_then(csv_number)).sum();
                            let summed = is_total && numeric && csv_number(cell).is_some_and(|v| close(v, sum, 1e-6));
                            if !cell.trim().is_empty() && !summed {
                                failures.push(format!("{at}: empty in the source, {cell:?} in the CSV"));
                            }
                        }
                    },
                    Yaml::Sequence(items) => {
                        for item in items.iter().filter_map(str_of) {
                            if !cell.contains(item.trim()) {
                                failures.push(format!("{at}: list item {item:?} missing from {cell:?}"));
                            }
                        }
                    }
                    other => failures.push(format!("{at}: unexpected source value {other:?}")),
                }
                if numeric && !cell.trim().is_empty() && csv_number(cell).is_none() {
                    failures.push(format!("{at}: {cell:?} in a numeric column is not a plain machine-readable number"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "CSV cells differ from the front matter:\n{}", failures.join("\n"));
    Compared { numbers: numbers_checked, computed: computed_checked, uncomputable }
}

#[test]
fn csv_files_hold_the_front_matter_numbers() {
    let site = build_site();
    let compared = compare_csvs(site.path(), &root());
    assert!(compared.numbers > 50, "only {} numeric cells compared", compared.numbers);
}

/// The shipped report declares every formula cell; this small report leaves them to
/// the engine (rows and total), including one that cannot be computed.
#[test]
fn computed_cells_reach_the_csv() {
    let report = tempfile::tempdir().expect("temporary directory");
    let content = report.path().join("content");
    fs::create_dir_all(&content).expect("create content/");
    fs::write(
        content.join("_index.md"),
        "---\ntitle: Informe de prueba 2020\ninstitution: Municipalidad de Prueba\nperiod: \"2020\"\n\
         language: es-CL\nlicence: CC-BY-4.0\n---\nInforme de prueba para los datos abiertos.\n",
    )
    .expect("write _index.md");
    fs::write(
        content.join("01-finanzas.md"),
        r#"---
title: Finanzas
weight: 1
summary: Presupuesto y gasto por área.
tables:
  - id: gastos
    caption: Gastos por área
    source: Contabilidad
    columns:
      - { id: area, label: Área }
      - { id: asignado, label: Asignado, type: money }
      - { id: gasto, label: Gasto, type: money }
      - { id: saldo, label: Saldo, type: money, formula: "asignado - gasto" }
      - { id: ejecucion, label: Ejecución, type: percent, decimals: 2, formula: "gasto / asignado * 100" }
    rows:
      - [Salud, 5000000, 1394138, ~, ~]
      - [Vivienda, 3000000, 3121239, ~, 104.04]
      - [Cultura, 1000000, ~, ~, ~]
    total: [Total, 9000000, 4515377, ~, ~]
---
## Gastos

{{ table(id="gastos") }}
"#,
    )
    .expect("write 01-finanzas.md");
    let site = build_report(report.path());
    let compared = compare_csvs(site.path(), report.path());
    // Saldo and Ejecución of Salud and Total, Saldo of Vivienda.
    assert_eq!(compared.computed, 5, "computed cells checked");
    // Cultura has no Gasto: neither Saldo nor Ejecución can be computed.
    assert_eq!(compared.uncomputable, 2, "cells that cannot be computed stay empty");
    let csv = fs::read_to_string(datos(site.path()).join("gastos.csv")).expect("read gastos.csv");
    assert!(csv.contains("3605862"), "Salud's Saldo 5000000 - 1394138 is in the CSV:\n{csv}");
}

#[test]
fn frictionless_validates_the_package() {
    if !has_frictionless() {
        return;
    }
    let site = build_site();
    frictionless_validate(&datos(site.path()).join("datapackage.json"));
}

/// The test fixture reads a table's rows from a CSV, and here gets a table
/// with a `date` column and an empty cell: the package still validates.
#[test]
fn frictionless_validates_a_package_with_spreadsheet_rows_and_dates() {
    if !has_frictionless() {
        return;
    }
    let t = common::SiteTest::fixture("report");
    t.write(
        "content/03-hitos.md",
        "---\ntitle: Hitos\ntables:\n  - id: hitos\n    caption: Hitos\n    columns:\n      - { id: hito, label: Hito }\n      - { id: dia, label: Día, type: date }\n    rows:\n      - [Inicio, 2019-03-05]\n      - [Cierre, ~]\n---\n{{ table(id=\"hitos\") }}\n",
    );
    t.build().success();
    assert!(t.read("datos/hitos.csv").contains("Inicio,2019-03-05"));
    frictionless_validate(&t.out().join("datos/datapackage.json"));
}

fn has_frictionless() -> bool {
    let has = Command::new("python3").args(["-c", "import frictionless"]).output().is_ok_and(|o| o.status.success());
    if !has {
        eprintln!("skipped: frictionless not installed (pip install frictionless)");
    }
    has
}

fn frictionless_validate(descriptor: &Path) {
    let script = r#"
import sys, frictionless
report = frictionless.validate(sys.argv[1])
if report.valid:
    tasks = report.tasks
    print("valid:", len(tasks), "resources,", sum((t.stats.get("rows") or 0) for t in tasks), "rows")
    sys.exit(0)
for err in report.flatten(["type", "title", "message"]):
    print(" | ".join(str(x) for x in err))
sys.exit(1)
"#;
    let output = Command::new("python3").arg("-c").arg(script).arg(descriptor).output().expect("run python3");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("frictionless: {stdout}{stderr}");
    assert!(output.status.success(), "frictionless validate {} failed:\n{stdout}\n{stderr}", descriptor.display());
    assert!(stdout.starts_with("valid:"), "unexpected frictionless output: {stdout}");
}

/// The machine CSV of table `id` as rows of text.
fn csv_rows(site: &Path, rel: &str, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = fs::read(datos(site).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).from_reader(bytes.as_slice());
    reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect()
}

/// The header people see: labels with their unit, or `($)` or `(%)` for
/// money and percent.
fn with_units(table: &SourceTable) -> Vec<String> {
    table
        .columns
        .iter()
        .map(|c| match (c.kind.as_deref(), &c.unit) {
            (_, Some(_)) => c.heading(),
            (Some("money"), None) => format!("{} ($)", c.label),
            (Some("percent"), None) => format!("{} (%)", c.label),
            _ => c.label.clone(),
        })
        .collect()
}

#[test]
fn the_excel_csv_reads_back_with_semicolons_and_decimal_commas() {
    let site = build_site();
    let bytes = fs::read(datos(site.path()).join("excel/presupuesto.csv")).expect("excel csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM, or Excel reads it as Windows-1252");
    let excel = csv_rows(site.path(), "excel/presupuesto.csv", b';');
    let plain = csv_rows(site.path(), "presupuesto.csv", b',');
    let table = &source_tables()["presupuesto"];
    assert_eq!(excel[0], with_units(table), "labels with their units");
    assert_eq!(excel.len(), plain.len(), "the same rows, no total");
    assert!(excel[1..].iter().flatten().any(|c| c.contains(',')), "decimal commas: {excel:?}");
    for (e, p) in excel[1..].iter().zip(&plain[1..]) {
        assert_eq!(e.len(), p.len());
        for (a, b) in e.iter().zip(p) {
            let want = if csv_number(b).is_some() { b.replace('.', ",") } else { b.clone() };
            assert_eq!(a, &want, "the same cell; figures with a decimal comma");
        }
    }
}

#[test]
fn the_workbook_reads_back_with_calamine_as_the_front_matter_says() {
    use calamine::{Data, Reader};
    let site = build_site();
    let bytes = fs::read(datos(site.path()).join("tablas.xlsx")).expect("workbook");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let tables = source_tables();
    let names = book.sheet_names();
    for id in tables.keys() {
        assert!(names.contains(id), "a sheet for table {id}: {names:?}");
    }
    let sheet = book.worksheet_range("presupuesto").expect("sheet");
    let table = &tables["presupuesto"];
    let header: Vec<String> =
        (0..table.columns.len()).map(|c| sheet.get((0, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    assert_eq!(header, with_units(table), "units in the headers");
    let plain = csv_rows(site.path(), "presupuesto.csv", b',');
    for (r, row) in plain[1..].iter().enumerate() {
        for (c, (cell, column)) in row.iter().zip(&table.columns).enumerate() {
            let got = sheet.get((r + 1, c)).cloned().unwrap_or(Data::Empty);
            let scale = if column.kind.as_deref() == Some("percent") { 100.0 } else { 1.0 };
            match (csv_number(cell), &got) {
                (Some(want), Data::Float(f)) => {
                    assert!(close(f * scale, want, 1e-9), "row {r} {}: {f} vs {want}", column.id)
                }
                (Some(want), other) => panic!("row {r} {}: {other:?} is no number ({want})", column.id),
                (None, Data::Empty) => assert!(cell.is_empty()),
                (None, other) => assert_eq!(other.to_string(), *cell, "row {r} {}", column.id),
            }
        }
    }
    // The total after an empty row: outside the data a sum selects.
    let total_row = plain.len() + 1;
    assert!(sheet.get((plain.len(), 0)).is_none_or(|d| *d == Data::Empty), "an empty row before the total");
    let total = table.total.as_ref().expect("the table has a total");
    assert_eq!(sheet.get((total_row, 0)).map(|d| d.to_string()), str_of(&total[0]));
    assert_eq!(sheet.get((total_row, 1)), as_f64(&total[1]).map(Data::Float).as_ref());
    let texts: Vec<String> =
        (total_row + 1..total_row + 5).filter_map(|r| sheet.get((r, 0)).map(|d| d.to_string())).collect();
    assert!(texts.contains(&format!("Tabla: {}", table.caption)), "the caption under the table: {texts:?}");
}

#[test]
fn every_open_data_file_is_byte_identical_across_builds() {
    let first = build_site();
    let second = build_site();
    let files = common::snapshot(&datos(first.path()));
    assert!(files.iter().any(|(p, _)| p == "tablas.xlsx") && files.iter().any(|(p, _)| p == "excel/visas.csv"));
    assert_eq!(files, common::snapshot(&datos(second.path())));
}
