//! Issue 14: a section body and the offline copy's size reach a page as
//! parts of their own, never by looking for tokens in its text. Editor
//! text that reads like the tokens cuenta once used (`@@CUENTA-BODY-0@@`,
//! `@@CUENTA-ZIP-SIZE@@`) is printed as written, in every field, and every
//! page shows the zip's real size.

mod common;

use common::SiteTest;

const BODY: &str = "@@CUENTA-BODY-0@@";
const SIZE: &str = "@@CUENTA-ZIP-SIZE@@";

/// `word` with both old tokens, as the editor writes it in a field.
fn forged(word: &str) -> String {
    format!("{word} {BODY} {SIZE}")
}

/// A report whose every field holds the old tokens: the report's and the
/// chapter's titles, a section's title and summary, a table's caption and
/// cells, a chart's title and labels, prose, raw HTML.
fn report() -> SiteTest {
    let t = SiteTest::fixture("minimal");
    std::fs::remove_dir_all(t.root().join("content")).expect("clear content");
    let intro = "Portada @@CUENTA-BODY-0@@.\n\n<!--cuenta:online-->Escrito por el editor<!--/cuenta:online-->\n";
    t.write("content/_index.md", &format!("---\ntitle: \"{}\"\nyear: 2018\n---\n{intro}", forged("Informe")));
    t.write("content/01-capitulo/_index.md", &format!("---\ntitle: \"{}\"\n---\nIntro {SIZE}.\n", forged("Capítulo")));
    let section = format!(
        r#"---
title: "{title}"
summary: "{summary}"
tables:
  - id: montos
    caption: "{caption}"
    columns:
      - {{ id: item, label: "{label}" }}
      - {{ id: monto, label: Monto, type: integer }}
    rows:
      - ["{cell}", 10]
      - ["Otro", 20]
charts:
  - id: barras
    table: montos
    type: bar
    x: item
    y: monto
    title: "{chart}"
---
Texto único del cuerpo: {BODY} y {SIZE}.

<div class="crudo">{BODY}{SIZE}</div>

{{{{ table(id="montos") }}}}

{{{{ chart(id="barras") }}}}
"#,
        title = forged("Sección"),
        summary = forged("Resumen"),
        caption = forged("Tabla"),
        label = forged("Columna"),
        cell = forged("Celda"),
        chart = forged("Gráfico"),
    );
    t.write("content/01-capitulo/01-montos.md", &section);
    let run = t.build();
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    t
}

fn zip_path(t: &SiteTest) -> std::path::PathBuf {
    std::fs::read_dir(t.out())
        .expect("output")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|x| x == "zip"))
        .expect("a zip")
}

fn html_pages(t: &SiteTest) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(t.out())
        .expect("output")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| (p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), p))
        .map(|(name, p)| (name, std::fs::read_to_string(p).expect("read page")))
        .collect();
    pages.sort();
    pages
}

/// Whether `html` holds `cuenta-` and 32 hex digits: a late value's mark
/// left in the page.
fn shows_a_mark(html: &str) -> bool {
    html.match_indices("cuenta-").any(|(at, m)| {
        let rest = &html.as_bytes()[at + m.len()..];
        rest.len() >= 32 && rest[..32].iter().all(u8::is_ascii_hexdigit)
    })
}

#[test]
fn text_that_reads_like_an_old_token_is_printed_as_written_in_every_field() {
    let t = report();
    let section = t.read("capitulo-montos.html");
    // Title (twice: <title> and <h1>), summary, caption, column label, cell,
    // chart title (figure and SVG), chart label, prose, raw HTML.
    for word in ["Sección", "Resumen", "Tabla", "Columna", "Celda", "Gráfico"] {
        assert!(section.contains(&forged(word)), "{word} lost its tokens on its section page");
    }
    assert!(section.contains(&format!("<div class=\"crudo\">{BODY}{SIZE}</div>")), "raw HTML changed");
    assert!(section.contains(&format!("Texto único del cuerpo: {BODY} y {SIZE}.")), "prose changed");
    assert_eq!(section.matches("Texto único del cuerpo").count(), 1, "the body was put in more than once");

    let full = t.read("informe-completo.html");
    for word in ["Sección", "Tabla", "Celda", "Gráfico", "Capítulo"] {
        assert!(full.contains(&forged(word)), "{word} lost its tokens on the whole-report page");
    }
    assert!(full.contains(&format!("Intro {SIZE}.")), "the chapter intro changed on the whole-report page");
    assert_eq!(full.matches("Texto único del cuerpo").count(), 1, "the body was put in more than once");

    assert!(t.read("index.html").contains(&format!("Portada {BODY}.")), "the home page's intro changed");
    assert!(t.read("capitulo.html").contains(&format!("Intro {SIZE}.")), "the chapter page's intro changed");
}

#[test]
fn an_editors_online_only_comment_hides_nothing_from_the_offline_copy() {
    let t = report();
    let zip = std::fs::read(zip_path(&t)).expect("the zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip");
    let name = (0..archive.len())
        .filter_map(|i| archive.by_index(i).ok().map(|e| e.name().to_string()))
        .find(|n| n.ends_with("/index.html"))
        .expect("index.html in the zip");
    let mut home = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(&name).expect("entry"), &mut home).expect("unzip");
    assert!(home.contains("Escrito por el editor"), "the offline home page lost the editor's text");
    assert!(home.contains("Portada @@CUENTA-BODY-0@@."));
}

#[test]
fn every_page_shows_the_offline_copys_size_and_no_mark() {
    let t = report();
    let size = std::fs::metadata(zip_path(&t)).expect("zip size").len();
    let label = format!("{} KB", size.div_ceil(1024));
    let pages = html_pages(&t);
    assert!(pages.len() >= 6, "pages: {:?}", pages.iter().map(|p| &p.0).collect::<Vec<_>>());
    for (name, html) in &pages {
        assert!(html.contains(&format!("(ZIP, {label})")), "{name} does not show the zip's size {label}");
        assert!(!shows_a_mark(html), "{name} shows a mark");
    }
}
