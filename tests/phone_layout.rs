//! The markup that lets tables read on a phone: text-heavy tables stacked
//! with each cell labelled by its column, numeric grids described as
//! scrolling sideways, and Markdown pipe tables in the same scrolling box.
//! (The browser test checks how they look at 390 and 1366 px.)

mod common;

use common::SiteTest;

const SECTION: &str = r#"---
title: Tablas
tables:
  - id: acciones
    caption: Acciones
    columns:
      - { id: item, label: Ítem }
      - { id: socios, label: "Socios & aliados" }
      - { id: cantidad, label: Cantidad, type: integer }
    rows:
      - [Mesa de seguridad, Carabineros, 8]
  - id: presupuesto
    caption: Presupuesto
    columns:
      - { id: item, label: Ítem }
      - { id: aprobado, label: Presupuesto vigente 2018, type: money }
      - { id: gastado, label: Gastado, type: money }
    rows:
      - [Bienes, 100, 90]
  - id: programa
    caption: Programa 02
    columns:
      - { id: item, label: Subtítulo }
      - { id: inicial, label: Inicial, type: money, unit: "M$", group: Presupuesto }
      - { id: vigente, label: Vigente, type: money, unit: "M$", grupo: Presupuesto }
      - { id: ejecutado, label: Monto, type: money, unit: "M$", group: Ejecución }
      - { id: avance, label: Avance, type: percent, formula: "ejecutado / vigente * 100", group: Ejecución }
      - { id: nota, label: Comentario }
    rows:
      - [Personal, 100, 120, 90, ~, Sin cambios]
---
| Programa | Comuna | Beneficiarios |
|---|---|---|
| Gobierno Presente | Antofagasta | 650 |
"#;

fn built() -> SiteTest {
    let site = SiteTest::fixture("minimal");
    site.write("content/01-unica.md", SECTION);
    site.build().success();
    site
}

/// The `<figure id="tabla-{id}">` of the page.
fn figure(page: &str, id: &str) -> String {
    let start = page.find(&format!("id=\"tabla-{id}\"")).expect("the table is on the page");
    let open = page[..start].rfind("<figure").expect("in a figure");
    let end = start + page[start..].find("</figure>").expect("closed");
    page[open..end].to_string()
}

#[test]
fn a_table_with_two_text_columns_is_stacked_with_each_cell_named_by_its_column() {
    let page = built().read("unica.html");
    let table = figure(&page, "acciones");
    assert!(table.starts_with("<figure class=\"data-table table-stack\""), "{table}");
    assert!(table.contains("<td data-label=\"Socios &amp; aliados\">Carabineros</td>"), "{table}");
    assert!(table.contains("<td class=\"num\" data-label=\"Cantidad\">8</td>"), "{table}");
}

#[test]
fn a_numeric_table_keeps_its_grid_and_says_that_it_scrolls() {
    let page = built().read("unica.html");
    let table = figure(&page, "presupuesto");
    assert!(table.starts_with("<figure class=\"data-table table-grid\""), "{table}");
    assert!(table.contains("aria-describedby=\"tabla-presupuesto-desliza\""), "{table}");
    assert!(table.contains("<p class=\"scroll-hint\" id=\"tabla-presupuesto-desliza\">Deslice la tabla"), "{table}");
    assert!(!table.contains("data-label"), "grid cells need no label of their own");
}

#[test]
fn a_markdown_pipe_table_scrolls_in_its_own_box() {
    let page = built().read("unica.html");
    assert!(page.contains("<div class=\"table-scroll md-table\" tabindex=\"0\">\n<table>"), "{page}");
}

#[test]
fn grouped_columns_share_a_header_cell_that_scopes_its_group() {
    let site = built();
    let table = figure(&site.read("unica.html"), "programa");
    assert!(
        table.contains("<colgroup span=\"1\"></colgroup><colgroup span=\"2\"></colgroup><colgroup span=\"2\"></colgroup><colgroup span=\"1\"></colgroup>"),
        "{table}"
    );
    assert!(
        table.contains("<thead><tr><th scope=\"col\" rowspan=\"2\">Subtítulo</th><th scope=\"colgroup\" colspan=\"2\" class=\"group\">Presupuesto</th><th scope=\"colgroup\" colspan=\"2\" class=\"group\">Ejecución</th><th scope=\"col\" rowspan=\"2\">Comentario</th></tr>\n<tr><th scope=\"col\" class=\"num\">Inicial (M$)</th><th scope=\"col\" class=\"num\">Vigente (M$)</th>"),
        "{table}"
    );
    // Stacked on a phone, each cell names its group too.
    assert!(table.starts_with("<figure class=\"data-table table-stack\""), "{table}");
    assert!(table.contains("data-label=\"Presupuesto · Inicial\">"), "{table}");
    assert!(table.contains("data-label=\"Comentario\">Sin cambios"), "{table}");
    // For programs the header is the column ids (the data package's field
    // names); for people, the group leads each label.
    let csv = site.read("datos/programa.csv");
    assert!(csv.starts_with("item,inicial,vigente,ejecutado,avance,nota\r\n"), "{csv}");
    let excel = site.read("datos/excel/programa.csv");
    assert!(
        excel.starts_with("\u{feff}Subtítulo;Presupuesto · Inicial (M$);Presupuesto · Vigente (M$);Ejecución · Monto (M$);Ejecución · Avance (%);Comentario\r\n"),
        "{excel}"
    );
    let package = site.read("datos/datapackage.json");
    assert!(package.contains("\"group\": \"Ejecución\""), "{package}");
    assert!(package.contains("\"title\": \"Presupuesto · Inicial\""), "{package}");
}

#[test]
fn a_group_split_by_another_column_is_an_error_at_its_key() {
    let site = SiteTest::fixture("minimal");
    let split =
        SECTION.replace("{ id: nota, label: Comentario }", "{ id: nota, label: Comentario, group: Presupuesto }");
    site.write("content/01-unica.md", &split);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/01-unica.md:28:47: error"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("las columnas del grupo 'Presupuesto' no están juntas: otra columna las separa de 'inicial'"),
        "{}",
        run.stderr
    );
}
