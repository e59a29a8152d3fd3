//! Chapters (a folder under content/, its `_index.md` giving title, summary
//! and intro) and numbering (`numbering: auto | none`, `number:` kept as the
//! document wrote it), through the real binary.

mod common;

use common::SiteTest;

const INDEX: &str = "---\ntitle: Informe\ninstitution: Gobernación\nyear: 2019\n---\nIntro.\n";

/// A report with one loose section, a chapter with intro and two sections,
/// and a chapter folder without `_index.md`.
fn report(index: &str) -> SiteTest {
    let site = SiteTest::fixture("minimal");
    site.write("content/_index.md", index);
    site.write("content/01-unica.md", "---\ntitle: Presentación\n---\nHola.\n");
    site.write(
        "content/02-resultados/_index.md",
        "---\ntitle: Resultados\nsummary: Lo logrado en el año.\n---\nEste capítulo resume **los resultados**.\n",
    );
    site.write("content/02-resultados/01-avances.md", "---\ntitle: Avances\n---\nTexto de avances.\n");
    site.write("content/02-resultados/02-seguridad.md", "---\ntitle: Seguridad y vigilancia\n---\nTexto.\n");
    site.write("content/03-anexos/01-glosario.md", "---\ntitle: Glosario\n---\nTérminos.\n");
    site
}

fn built(index: &str) -> SiteTest {
    let site = report(index);
    site.build().success();
    site
}

#[test]
fn a_folder_is_a_chapter_with_its_own_page_intro_and_sections() {
    let site = built(INDEX);
    let page = site.read("resultados.html");
    assert!(page.contains("<h1><span class=\"heading-number\">2.</span> Resultados</h1>"), "{page}");
    assert!(page.contains("Lo logrado en el año."));
    assert!(page.contains("Este capítulo resume <strong>los resultados</strong>."));
    assert!(page.contains("href=\"resultados-avances.html\""));
    assert!(page.contains("href=\"resultados-seguridad.html\""));
    // A folder without _index.md is a chapter named after the folder.
    assert!(site.read("anexos.html").contains("Anexos</h1>"));
}

#[test]
fn auto_numbering_numbers_chapters_and_their_sections_once() {
    let site = built(INDEX);
    let section = site.read("resultados-seguridad.html");
    assert!(
        section.contains("<h1><span class=\"heading-number\">2.2.</span> Seguridad y vigilancia</h1>"),
        "{section}"
    );
    assert!(!section.contains("Sección 4"), "no position-based kicker on top of the number");
    let home = site.read("index.html");
    for label in ["1.</span> Presentación", "2.</span> Resultados", "2.1.</span> Avances", "3.1.</span> Glosario"] {
        assert!(home.contains(label), "the home page should list {label:?}");
    }
}

#[test]
fn a_declared_number_is_kept_and_a_numbered_title_gives_its_number_up() {
    let site = report(&INDEX.replace("year: 2019\n", "year: 2019\nnumbering: none\n"));
    site.write("content/02-resultados/_index.md", "---\ntitle: Resultados\nnumber: IV\n---\n");
    site.write("content/02-resultados/01-avances.md", "---\ntitle: 4.1. Avances del plan\n---\nTexto.\n");
    site.write("content/02-resultados/02-seguridad.md", "---\ntitle: Seguridad\nnumber: \"4.4\"\n---\nTexto.\n");
    site.build().success();
    let avances = site.read("resultados-avances.html");
    assert!(avances.contains("<h1><span class=\"heading-number\">4.1.</span> Avances del plan</h1>"), "{avances}");
    assert!(!avances.contains("4.1. 4.1"), "never two numbers for one heading");
    assert!(site.read("resultados-seguridad.html").contains("4.4.</span> Seguridad</h1>"));
    assert!(site.read("resultados.html").contains("IV.</span> Resultados</h1>"));
    // numbering: none leaves undeclared entries without a number.
    assert!(site.read("unica.html").contains("<h1>Presentación</h1>"));
}

#[test]
fn breadcrumbs_and_previous_next_follow_the_chapters() {
    let site = built(INDEX);
    let first = site.read("resultados-avances.html");
    let crumbs = first.split("class=\"breadcrumb").nth(1).and_then(|b| b.split("</nav>").next()).expect("crumbs");
    assert!(crumbs.contains("href=\"resultados.html\">Resultados</a>"), "{crumbs}");
    assert!(first.contains("href=\"resultados.html\" rel=\"prev\""), "the chapter page comes before its first section");
    assert!(first.contains("href=\"resultados-seguridad.html\" rel=\"next\""));
    let chapter = site.read("resultados.html");
    assert!(chapter.contains("href=\"unica.html\" rel=\"prev\""));
    assert!(chapter.contains("href=\"resultados-avances.html\" rel=\"next\""));
}

#[test]
fn a_section_page_lists_every_chapter_and_only_its_own_chapters_sections() {
    let site = built(INDEX);
    let page = site.read("anexos-glosario.html");
    let footer = page.split("footer-nav").nth(1).expect("footer navigation");
    assert!(footer.contains("href=\"resultados.html\""));
    assert!(footer.contains("href=\"anexos-glosario.html\" aria-current=\"page\""));
    assert!(!footer.contains("resultados-avances.html"), "another chapter's sections are not listed");
}

#[test]
fn a_large_report_in_chapters_still_lists_the_chapters_on_every_page() {
    let site = SiteTest::fixture("minimal");
    site.write("content/_index.md", INDEX);
    for c in 0..3 {
        for s in 0..30 {
            site.write(
                &format!("content/{c:02}-parte/{s:02}-s.md"),
                &format!("---\ntitle: S{c}-{s}\nslug: s{c}-{s}\n---\nT.\n"),
            );
        }
        site.write(
            &format!("content/{c:02}-parte/_index.md"),
            &format!("---\ntitle: Parte {c}\nslug: parte-{c}\n---\n"),
        );
    }
    site.build().success();
    let page = site.read("s2-29.html");
    for c in 0..3 {
        assert!(page.contains(&format!("href=\"parte-{c}.html\"")), "chapter {c} is listed above 60 sections");
    }
    assert!(page.contains("href=\"s2-10.html\""), "its own chapter's sections near it are listed");
    // A chapter of more than 20 sections lists the 20 around the page; the
    // chapter's page, linked above, lists them all.
    assert!(!page.contains("href=\"s2-0.html\""), "not every section of a large chapter");
    assert!(site.read("parte-2.html").contains("href=\"s2-0.html\""), "the chapter page lists them all");
    assert!(!page.contains("href=\"s0-0.html\""), "other chapters' sections are not");
}

#[test]
fn the_whole_report_opens_each_chapter_with_its_intro() {
    let site = built(INDEX);
    let full = site.read("informe-completo.html");
    let chapter = full.find("id=\"capitulo-resultados\"").expect("the chapter opens on the whole-report page");
    let intro = full.find("Este capítulo resume").expect("with its intro");
    let first = full.find("id=\"capitulo-resultados-avances\"").expect("then its sections");
    assert!(chapter < intro && intro < first);
}

#[test]
fn search_results_name_the_chapter_of_a_section() {
    let site = built(INDEX);
    let index = site.read("search-index.js");
    assert!(index.contains("\"s\":\"Resultados › Avances\""), "{index}");
}

#[test]
fn a_chapter_page_may_not_take_a_sections_name() {
    let site = report(INDEX);
    site.write("content/resultados.md", "---\ntitle: Otra\n---\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("'resultados'"), "{}", run.stderr);
}

#[test]
fn a_report_split_for_printing_has_one_print_page_per_chapter_and_an_index() {
    let site = built(&INDEX.replace("year: 2019\n", "year: 2019\nprint_pages: chapters\n"));
    let index = site.read("informe-completo.html");
    for (href, title) in [
        ("informe-completo-unica.html", "Presentación"),
        ("informe-completo-resultados.html", "Resultados"),
        ("informe-completo-anexos.html", "Anexos"),
    ] {
        assert!(index.contains(&format!("<a href=\"{href}\">")), "{href}: {index}");
        assert!(index.contains(title), "{title}");
    }
    assert!(!index.contains("Texto de avances."), "the index holds no section");
    let chapter = site.read("informe-completo-resultados.html");
    assert!(chapter.contains("Este capítulo resume <strong>los resultados</strong>."), "{chapter}");
    assert!(chapter.contains("Texto de avances.") && chapter.contains("id=\"capitulo-resultados-seguridad\""));
    assert!(!chapter.contains("Hola.") && !chapter.contains("Términos."), "other chapters stay on their pages");
    assert!(chapter.contains("<a href=\"informe-completo.html\">Índice del informe completo</a>"), "{chapter}");
}

#[test]
fn a_small_report_stays_on_one_print_page() {
    let site = built(INDEX);
    let whole = site.read("informe-completo.html");
    assert!(whole.contains("Hola.") && whole.contains("Texto de avances.") && whole.contains("Términos."));
    assert!(!site.out().join("informe-completo-resultados.html").exists());
}

#[test]
fn a_section_may_not_take_a_print_pages_name() {
    let site = report(INDEX);
    site.write("content/04-x.md", "---\ntitle: X\nslug: informe-completo-resultados\n---\nTexto.\n");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/04-x.md:3:"), "{}", run.stderr);
}
