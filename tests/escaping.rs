//! Issue 9: text from content reaches every output escaped for where it
//! lands — HTML, inline SVG, CSV, JSON and the search index — and CSV cells
//! cannot run as spreadsheet formulas. Raw HTML in the Markdown body is the
//! editors' to use, unless `safe_html: true` strips it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The payload every field carries.
const EVIL: &str = "<script>alert(1)</script> & \"x\"";

/// Each field starts with a word of its own, to tell them apart in pages.
fn field(word: &str) -> String {
    format!("{word} {EVIL}")
}

/// YAML double-quoted string.
fn q(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_report(root: &Path, safe_html: bool, body: &str) {
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    let index = format!(
        "---\ntitle: {}\ninstitution: {}\ndescription: {}\nyear: 2018\nsafe_html: {safe_html}\n---\nPortada.\n",
        q(&field("Informe")),
        q(&field("Institución")),
        q(&field("Descripción")),
    );
    std::fs::write(content.join("_index.md"), index).expect("write");
    let section = format!(
        r#"---
title: {title}
summary: {summary}
tables:
  - id: montos
    caption: {caption}
    source: {source}
    note: {note}
    columns:
      - {{ id: item, label: {label} }}
      - {{ id: monto, label: Monto, type: money }}
      - {{ id: lista, label: Lista }}
    rows:
      - [{cell}, -121239, [{item}, "=1+1"]]
      - ["=HYPERLINK(\"http://example.com\")", 5, ["@SUM(A1)", "+1"]]
      - ["-2+3", 7, ~]
charts:
  - id: montos
    table: montos
    type: bar
    x: item
    y: monto
    title: {chart}
  - id: torta
    table: montos
    type: pie
    x: item
    y: monto
    title: {pie}
    description: {desc}
---
{body}
"#,
        title = q(&field("Sección")),
        summary = q(&field("Resumen")),
        caption = q(&field("Tabla")),
        source = q(&field("Fuente")),
        note = q(&field("Nota")),
        label = q(&field("Columna")),
        cell = q(&field("Celda")),
        item = q(&field("Ítem")),
        chart = q(&field("Gráfico")),
        pie = q(&field("Torta")),
        desc = q(&field("Descripción del gráfico")),
    );
    std::fs::write(content.join("01-montos.md"), section).expect("write");
}

/// Builds a report and returns every output file, including the pages
/// inside the offline zip (prefixed `zip:`).
fn build(safe_html: bool, body: &str) -> BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("report");
    write_report(&root, safe_html, body);
    let out = tmp.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_cuenta"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run cuenta");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "build failed:\n{stderr}");
    let mut files = BTreeMap::new();
    collect(&out, &out, &mut files);
    let zips: Vec<Vec<u8>> = files.iter().filter(|(p, _)| p.ends_with(".zip")).map(|(_, b)| b.clone()).collect();
    for bytes in zips {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("zip entry");
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data).expect("unzip");
            files.insert(format!("zip:{}", entry.name()), data);
        }
    }
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).expect("under base").to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(&path).expect("read"));
        }
    }
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("no {path}")).clone()).expect("utf-8")
}

/// Undoes the HTML escapes cuenta and Tera write.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

fn is_markup(path: &str) -> bool {
    [".html", ".svg", ".js", ".json"].iter().any(|ext| path.ends_with(ext))
}

#[test]
fn content_text_never_reaches_markup_or_json_unescaped() {
    let files = build(false, "Texto sin HTML.");
    let mut checked = 0;
    for (path, bytes) in &files {
        if !is_markup(path) {
            continue;
        }
        let body = String::from_utf8_lossy(bytes);
        assert!(!body.contains("<script>alert(1)"), "{path} holds the raw payload");
        checked += 1;
    }
    assert!(checked >= 8, "pages, data and their copies in the zip: {checked}");
    let page = text(&files, "montos.html");
    let plain = unescape(&page);
    for word in
        ["Informe", "Sección", "Resumen", "Tabla", "Fuente", "Nota", "Columna", "Celda", "Ítem", "Gráfico", "Torta"]
    {
        assert!(plain.contains(&field(word)), "montos.html shows the {word} text, escaped: not found");
    }
    assert!(unescape(&text(&files, "index.html")).contains(&field("Institución")));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"), "escaped as cuenta escapes");
}

#[test]
fn every_chart_svg_parses_as_xml_with_its_title() {
    let page = text(&build(false, "Texto."), "montos.html");
    let mut titles = Vec::new();
    let mut rest = page.as_str();
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("svg is closed") + start + "</svg>".len();
        let svg = &rest[start..end];
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is not XML: {e}\n{svg}"));
        let title = doc.root_element().children().find(|n| n.has_tag_name("title")).expect("<title>");
        titles.push(title.text().unwrap_or_default().to_string());
        let text = doc.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap_or_default()).collect::<String>();
        if titles.len() == 1 {
            assert!(text.matches("<script>alert(1)</script>").count() >= 2, "bar labels carry the cell text: {text}");
        }
        rest = &rest[end..];
    }
    assert_eq!(titles, [field("Gráfico"), field("Torta")]);
}

#[test]
fn csv_holds_the_literal_text_and_neutralises_formulas_but_not_numbers() {
    let files = build(false, "Texto.");
    let csv_text = text(&files, "datos/montos.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(header, ["item", "monto", "lista"], "programs get the stable column ids");
    // People get the labels, in the CSV for Excel.
    let excel = text(&files, "datos/excel/montos.csv");
    let mut labels = csv::ReaderBuilder::new().delimiter(b';').from_reader(excel.as_bytes());
    let labels: Vec<String> = labels.headers().expect("header").iter().map(str::to_string).collect();
    assert_eq!(labels, [field("Columna"), "Monto ($)".to_string(), "Lista".to_string()]);
    let excel_rows: Vec<&str> = excel.lines().collect();
    assert!(excel_rows[2].starts_with("\"'=HYPERLINK("), "formulas neutralised for Excel too: {excel}");
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect();
    assert_eq!(rows[0], [field("Celda"), "-121239".to_string(), format!("{}; =1+1", field("Ítem"))]);
    assert_eq!(rows[1], ["'=HYPERLINK(\"http://example.com\")", "5", "'@SUM(A1); +1"]);
    assert_eq!(rows[2], ["'-2+3", "7", ""]);
}

#[test]
fn the_search_index_and_datapackage_are_json_with_the_text_escaped() {
    let files = build(false, "Texto.");
    let script = text(&files, "search-index.js");
    assert!(!script.contains("</"), "no '</' can close a script element");
    assert!(!script.contains("<script"));
    let json =
        script.strip_prefix("window.CUENTA_SEARCH_INDEX=").and_then(|s| s.strip_suffix(";\n")).expect("script shape");
    let entries: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let sections: Vec<&str> = entries.as_array().expect("array").iter().filter_map(|e| e["s"].as_str()).collect();
    assert!(sections.contains(&field("Sección").as_str()), "{sections:?}");

    let package_text = text(&files, "datos/datapackage.json");
    assert!(!package_text.contains('<'), "{package_text}");
    let package: serde_json::Value = serde_json::from_str(&package_text).expect("datapackage is JSON");
    assert_eq!(package["title"], field("Informe"));
    assert_eq!(package["resources"][0]["title"], field("Tabla"));
}

#[test]
fn raw_html_in_the_body_is_kept_by_default_and_stripped_with_safe_html() {
    let body =
        "Texto con <b class=\"cruda\">negrita</b>.\n\n<div class=\"bloque\">\n<script>alert(2)</script>\n</div>\n";
    let trusted = text(&build(false, body), "montos.html");
    assert!(trusted.contains("<b class=\"cruda\">negrita</b>"), "inline HTML kept");
    assert!(trusted.contains("<script>alert(2)</script>"), "block HTML kept: editors are trusted");

    let files = build(true, body);
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let page = String::from_utf8_lossy(bytes);
            assert!(
                !page.contains("<b class=\"cruda\">") && !page.contains("alert(2)</script>"),
                "{path} keeps raw HTML"
            );
            assert!(!page.contains("<div class=\"bloque\">"), "{path}");
        }
    }
    let page = text(&files, "montos.html");
    assert!(page.contains("negrita"), "the text of stripped tags stays");
    assert!(!page.contains("<script>alert(1)"), "and fields stay escaped");
}
