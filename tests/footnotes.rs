//! Footnotes: numbered per page, linked both ways, collected at the end of
//! their section after its tables, and kept apart on the whole-report page.

mod common;

use common::SiteTest;

const SECTION: &str = r#"---
title: Gestión
tables:
  - id: casos
    caption: Casos
    columns:
      - { id: tipo, label: Tipo }
      - { id: n, label: Casos, type: integer }
    rows:
      - [Atendidos, 29]
---
Se atendieron 29 casos[^fuente].

[^fuente]: Según el registro del Departamento Social.
"#;

fn built() -> SiteTest {
    let site = SiteTest::fixture("minimal");
    site.write("content/01-unica.md", SECTION);
    site.write("content/02-otra.md", "---\ntitle: Otra\n---\nOtra nota[^a].\n\n[^a]: Nota de la otra sección.\n");
    site.build().success();
    site
}

#[test]
fn a_note_links_back_to_its_citation_and_follows_the_sections_tables() {
    let page = built().read("unica.html");
    assert!(
        page.contains("casos<sup class=\"footnote-ref\"><a href=\"#nota-1\" id=\"ref-nota-1\">1</a></sup>"),
        "{page}"
    );
    assert!(page.contains("<li id=\"nota-1\"><p>Según el registro del Departamento Social. <a class=\"footnote-back\" href=\"#ref-nota-1\""), "{page}");
    let table = page.find("id=\"tabla-casos\"").expect("table");
    let notes = page.find("class=\"footnotes\"").expect("notes");
    assert!(table < notes, "the notes come after the tables the body did not place");
    assert!(!page.contains("id=\"1\""), "no bare numeric ids");
}

#[test]
fn on_the_whole_report_page_each_sections_notes_keep_their_own_ids() {
    let full = built().read("informe-completo.html");
    assert!(full.contains("id=\"unica--nota-1\""), "{full}");
    assert!(full.contains("id=\"otra--nota-1\""));
    assert!(full.contains("href=\"#otra--ref-nota-1\""));
}
