//! Figures repeated across the report (issue 15): `checks:` between tables
//! and `printed=` in prose catch a planted difference, stay silent on a
//! correct one, and name unknown tables, rows and columns.

mod common;

use common::SiteTest;

/// The report fixture plus a section with `front` in its front matter and
/// `body` as its text. `visas` has rows "Visas temporarias" (12794, 12638),
/// "Visas sujetas a contrato" (107, 93) and a total (12901, 12732).
fn with_section(front: &str, body: &str) -> SiteTest {
    let t = SiteTest::fixture("report");
    t.write(
        "content/03-resumen.md",
        &format!("---\ntitle: Resumen\ntables:\n  - id: resumen\n    caption: Resumen\n    columns:\n      - {{ id: item, label: Ítem }}\n      - {{ id: n, label: Cantidad, type: integer }}\n    rows:\n      - [Solicitudes 2016, 12901]\n      - [Solicitudes 2017, 12730]\n{front}---\n{body}"),
    );
    t
}

#[test]
fn a_check_between_two_tables_is_silent_when_they_agree() {
    let t = with_section("checks:\n  - { figure: resumen.Solicitudes 2016.n, equals: visas.total.y2016 }\n  - { figure: resumen.Solicitudes 2016.n, equals: sum(visas.y2016) }\n", "Texto.\n");
    let run = t.build().success();
    assert!(!run.stderr.contains("advertencia: las cifras"), "{}", run.stderr);
    let html = t.read("resumen.html");
    assert!(
        html.contains("Se verificaron 2 comparaciones con otros lugares del informe de esta tabla y coinciden."),
        "{html}"
    );
}

#[test]
fn a_check_between_two_tables_catches_a_planted_difference_where_it_is_written() {
    let t =
        with_section("checks:\n  - { figure: resumen.Solicitudes 2017.n, equals: visas.total.y2017 }\n", "Texto.\n");
    let run = t.build().success();
    assert!(
        run.stderr.contains("content/03-resumen.md:13:5: advertencia: las cifras no coinciden: resumen · Solicitudes 2017 · Cantidad dice 12.730, visas · Total · Año 2017 dice 12.732"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("explíquelo con explain:"), "{}", run.stderr);
    for page in ["resumen.html", "visas.html"] {
        let html = t.read(page);
        let note = &html[html.find("verification-warn").unwrap_or_else(|| panic!("{page}: no warning note"))..];
        assert!(note.contains("12.730") && note.contains("12.732"), "{page}: {note}");
    }
    let strict = t.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn an_explained_difference_still_fails_strict_unless_accepted() {
    let explained = "checks:\n  - figure: resumen.Solicitudes 2017.n\n    equals: visas.total.y2017\n    explain: diferencia de corte en SIGFE\n";
    let t = with_section(explained, "Texto.\n");
    let run = t.run(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("(explicado: diferencia de corte en SIGFE)"), "{}", run.stderr);
    assert!(run.stderr.contains("agregue accepted: true"), "{}", run.stderr);

    let t = with_section(&format!("{explained}    accepted: true\n"), "Texto.\n");
    let run = t.run(&["check", "--strict"]);
    assert!(!run.stderr.contains("03-resumen.md"), "accepted: no warning, {}", run.stderr);
    t.build().success();
    let html = t.read("resumen.html");
    assert!(html.contains("<em>(explicado: diferencia de corte en SIGFE)</em>"), "{html}");
}

#[test]
fn prose_that_prints_a_figure_is_compared_with_its_table() {
    let right =
        "Se recibieron {{ figure(table=\"visas\", row=\"Total\", col=\"y2016\", printed=\"12.901\") }} solicitudes.\n";
    let t = with_section("", right);
    let run = t.build().success();
    assert!(!run.stderr.contains("el texto dice"), "{}", run.stderr);
    assert!(t.read("resumen.html").contains("<span class=\"figure\">12.901</span>"));

    let wrong = "Texto.\n\nSe recibieron {{ figure(table=\"visas\", row=\"Total\", col=\"y2016\", printed=\"12.900\") }} solicitudes.\n";
    let t = with_section("", wrong);
    let run = t.build().success();
    assert!(
        run.stderr.contains(
            "content/03-resumen.md:15:15: advertencia: el texto dice 12.900, pero visas · Total · Año 2016 dice 12.901"
        ),
        "{}",
        run.stderr
    );
    assert!(t.read("resumen.html").contains("<span class=\"figure\">12.900</span>"), "the page shows the printed text");
    let visas = t.read("visas.html");
    assert!(visas.contains("content/03-resumen.md:15"), "the table's note points at the prose");
}

#[test]
fn unknown_tables_rows_and_columns_in_a_check_are_errors_with_a_suggestion() {
    let t = with_section(
        "checks:\n  - { figure: resumen.Solicitudes 2017.n, equals: visa.total.y2017 }\n  - { figure: resumen.Solicitudes 2071.n, equals: visas.total.y2071 }\n",
        "Texto.\n",
    );
    let run = t.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for want in [
        "content/03-resumen.md:13:51: error: tabla desconocida 'visa', ¿quiso decir 'visas'?",
        "content/03-resumen.md:14:15: error: la tabla 'resumen' no tiene una fila 'Solicitudes 2071', ¿quiso decir 'Solicitudes 2017'?",
        "content/03-resumen.md:14:51: error: la tabla 'visas' no tiene la columna 'y2071', ¿quiso decir 'y2017'?",
    ] {
        assert!(run.stderr.contains(want), "missing {want}\n{}", run.stderr);
    }
    let t = with_section("checks:\n  - { figure: resumen, equals: sum(visas.y2017) }\n", "Texto.\n");
    let run = t.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/03-resumen.md:13:15: error: comprobación mal escrita 'resumen'"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_verification_page_lists_exactly_the_planted_discrepancies() {
    let t = with_section(
        "checks:\n  - { figure: resumen.Solicitudes 2017.n, equals: visas.total.y2017 }\n  - { figure: resumen.Solicitudes 2016.n, equals: sum(visas.y2016) }\n",
        "Se recibieron {{ figure(table=\"visas\", row=\"Total\", col=\"y2016\", printed=\"12.900\") }} solicitudes.\n",
    );
    let run = t.build().success();
    let page = t.read("verificacion.html");
    let lead = &page[page.find("<p class=\"lead\">").expect("summary")..];
    // The fixture's own two (a total and a formula cell), one planted check
    // and one planted printed figure disagree; one check agrees.
    assert!(
        lead.starts_with(
            "<p class=\"lead\">Se hicieron 8 comprobaciones de las cifras de este informe; 4 cifras no coinciden.</p>"
        ),
        "{lead}"
    );
    let list =
        &page[page.find("cuenta-discrepancias").expect("list")..page.find("cuenta-coincidencias").expect("agreeing")];
    assert_eq!(list.matches("<li ").count(), 4, "{list}");
    for want in [
        "<a href=\"visas.html#tabla-visas\">visas · Total · Año 2017</a>: <span class=\"num\">12.732</span>",
        "<a href=\"datos-presupuesto.html#tabla-presupuesto\">presupuesto · Bienes · Cumplimiento</a>: <span class=\"num\">99,8\u{a0}%</span>",
        "<a href=\"resumen.html#tabla-resumen\">resumen · Solicitudes 2017 · Cantidad</a>: <span class=\"num\">12.730</span>; <a href=\"visas.html#tabla-visas\">visas · Total · Año 2017</a>: <span class=\"num\">12.732</span>",
        "<a href=\"resumen.html\">content/03-resumen.md:16</a>: <span class=\"num\">12.900</span>; <a href=\"visas.html#tabla-visas\">visas · Total · Año 2016</a>: <span class=\"num\">12.901</span>",
    ] {
        assert!(list.contains(want), "missing {want}\n{list}");
    }
    assert!(t.read("index.html").contains("<a href=\"verificacion.html\">Verificación de cifras</a>"));
    assert!(t.read("datos.html").contains("<a href=\"verificacion.html\">Verificación de cifras</a>"));
    assert!(t.read("datos/datapackage.json").contains("\"path\": \"verificacion.csv\""));
    let csv = t.read("datos/verificacion.csv");
    assert_eq!(csv.lines().count(), 1 + 5, "{csv}");
    assert!(run.stderr.contains("cuenta: 8 comprobaciones de cifras (1 de fórmula, 4 totales, 2 entre lugares, 1 del texto), 4 discrepancias\n"), "{}", run.stderr);
}

#[test]
fn the_summary_speaks_in_singular_and_plural() {
    let t = SiteTest::fixture("minimal");
    t.write("content/01-a.md", "---\ntitle: A\ntables:\n  - id: a\n    caption: A\n    columns:\n      - { id: n, label: N }\n      - { id: v, label: V, type: integer }\n    rows:\n      - [x, 1]\n    total: [T, 2]\n---\nTexto.\n");
    let run = t.run(&["check"]);
    let last = run.stderr.lines().last().unwrap_or_default().to_string();
    assert!(last.contains(" 1 tabla, 0 gráficos, 1 advertencia, 0 errores, "), "{last}");
    assert!(
        run.stderr.contains(
            "cuenta: 1 comprobación de cifras (0 de fórmula, 1 total, 0 entre lugares, 0 del texto), 1 discrepancia\n"
        ),
        "{}",
        run.stderr
    );
}
