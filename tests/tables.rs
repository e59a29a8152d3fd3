//! Tables and charts in the built site (issue 3): formatting, markup,
//! verification notes, SVG validity, placements.

mod common;

use common::SiteTest;

fn built() -> SiteTest {
    let t = SiteTest::fixture("report");
    t.build().success();
    t
}

#[test]
fn numbers_are_formatted_for_es_cl_and_right_aligned() {
    let t = built();
    let visas = t.read("visas.html");
    assert!(visas.contains("<td class=\"num\">12.794</td>"), "{visas}");
    let budget = t.read("datos-presupuesto.html");
    for want in ["$\u{a0}73.994.320", "-$\u{a0}121.239", "99,8\u{a0}%", "1,50", "No aplica"] {
        assert!(budget.contains(want), "{want} missing");
    }
    // The budget has two text columns: stacked on a phone, each cell named by its column.
    assert!(
        budget.contains("<td class=\"num computed\" data-label=\"Saldo\">$\u{a0}473.454</td>"),
        "formula cell computed and marked"
    );
}

#[test]
fn tables_have_caption_scoped_headers_source_note_csv_and_scroll_box() {
    let t = built();
    let html = t.read("visas.html");
    for want in [
        "<figure class=\"data-table table-grid\" id=\"tabla-visas\">",
        "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"tabla-visas-caption\" aria-describedby=\"tabla-visas-desliza\">",
        "<caption id=\"tabla-visas-caption\">Solicitudes de residencia por tipo de visa</caption>",
        "<th scope=\"col\" class=\"num\">Año 2016</th>",
        "<th scope=\"row\">Visas temporarias</th>",
        "<tfoot>",
        "Fuente: Sistema B3000",
        "<p class=\"table-note\">Cifras al <em>31 de marzo</em>.</p>",
        "<a class=\"table-csv\" href=\"datos/visas.csv\">",
        "<a class=\"table-csv\" href=\"datos/excel/visas.csv\">CSV para Excel</a>",
    ] {
        assert!(html.contains(want), "missing {want}");
    }
    assert!(t
        .read("datos-presupuesto.html")
        .contains("<ul class=\"cell-list\"><li>Martin Luther King</li><li>El Ancla</li></ul>"));
}

#[test]
fn discrepancies_are_warnings_with_file_line_and_shown_under_the_table() {
    let t = SiteTest::fixture("report");
    let run = t.build().success();
    assert!(
        run.stderr.contains(
            "content/01-visas.md:17:27: advertencia: total de 'Año 2017': publicado 12.732, calculado 12.731"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/02-datos/01-presupuesto.md:16:41: advertencia: 'Cumplimiento' en la fila 'Bienes': publicado 99,8 %, calculado 99,4 %"), "{}", run.stderr);
    let html = t.read("visas.html");
    let note = &html[html.find("verification verification-warn").expect("note")..];
    assert!(note.contains("12.732") && note.contains("12.731"));
    let en = t.run(&["check", "--lang", "en"]);
    assert!(en.stderr.contains("warning: total of 'Año 2017': declared 12.732, computed 12.731"), "{}", en.stderr);
}

#[test]
fn every_chart_is_valid_svg_with_title_desc_and_a_link_to_its_table() {
    let t = built();
    let mut kinds = 0;
    for page in ["visas.html", "datos-presupuesto.html"] {
        let html = t.read(page);
        for part in html.split("<svg ").skip(1) {
            let svg = format!("<svg {}</svg>", &part[..part.find("</svg>").expect("closed")]);
            let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{page}: {e}"));
            let root = doc.root_element();
            assert_eq!(root.attribute("role"), Some("img"));
            let labelled = root.attribute("aria-labelledby").expect("labelled");
            for id in labelled.split(' ') {
                assert!(doc.descendants().any(|n| n.attribute("id") == Some(id)), "{id}");
            }
            assert!(root.children().any(|n| n.has_tag_name("desc") && n.text().is_some_and(|d| !d.is_empty())));
            kinds += 1;
        }
        assert!(html.contains("Ver los datos en la tabla"));
    }
    assert_eq!(kinds, 5, "bar, line, hbar, stacked and pie");
    let budget = t.read("datos-presupuesto.html");
    assert!(
        budget.contains("<title id=\"grafico-presupuesto-hbar-title\">Aprobado &amp; gastado &lt;por ítem&gt;</title>")
    );
    assert!(budget.contains("href=\"#tabla-presupuesto\""));
}

#[test]
fn placements_put_tables_and_charts_where_written_and_the_rest_after_the_body() {
    let t = built();
    let html = t.read("visas.html");
    let figure = html.find("<span class=\"figure\">12.794</span>").expect("inline figure");
    let chart = html.find("id=\"grafico-visas-barras\"").expect("placed chart");
    let table = html.find("id=\"tabla-visas\"").expect("placed table");
    let unplaced = html.find("id=\"grafico-visas-lineas\"").expect("unplaced chart follows");
    assert!(figure < chart && chart < table && table < unplaced);
    assert!(html.contains("<h2 id=\"visas-temporarias-2\">"), "repeated headings get unique ids");
    let budget = t.read("datos-presupuesto.html");
    let body = budget.find("Texto antes de los gráficos").expect("body");
    assert!(body < budget.find("id=\"tabla-presupuesto\"").expect("table after body"));
    assert!(t.read("index.html").contains("<span class=\"figure\">12.794</span>"), "figures work on the home page");
}

#[test]
fn charts_are_byte_identical_across_builds() {
    let a = built();
    let b = built();
    for page in ["visas.html", "datos-presupuesto.html"] {
        assert_eq!(a.read(page), b.read(page));
    }
}

#[test]
fn the_whole_report_page_keeps_ids_unique() {
    let t = built();
    let html = t.read("informe-completo.html");
    let mut ids: Vec<&str> = html.split(" id=\"").skip(1).map(|p| &p[..p.find('"').expect("quote")]).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids on the whole-report page");
    assert!(html.contains("id=\"visas--tabla-visas\""));
    assert!(html.contains("href=\"#datos-presupuesto--tabla-presupuesto\""));
}

#[test]
fn reference_errors_name_file_line_and_suggest() {
    let t = SiteTest::fixture("report");
    let page = std::fs::read_to_string(t.root().join("content/01-visas.md")).expect("read");
    t.write(
        "content/01-visas.md",
        &page.replace("{{ chart(id=\"visas-barras\") }}", "{{ chart(id=\"visas-barra\") }}").replace(
            "row=\"Visas temporarias\", col=\"y2016\") }} solicitudes en",
            "row=\"Visas temporaria\", col=\"y2016\") }} solicitudes en",
        ),
    );
    let run = t.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    let e = &run.stderr;
    assert!(
        e.contains("content/01-visas.md:26:1: error: unknown chart 'visas-barra', did you mean 'visas-barras'?"),
        "{e}"
    );
    assert!(e.contains("content/01-visas.md:24:6: error: table 'visas' has no row 'Visas temporaria', did you mean 'Visas temporarias'?"), "{e}");
    t.write("content/01-visas.md", &page.replace("x: tipo, y: y2016", "x: tipo, y: tipo"));
    let run = t.run(&["check", "--lang", "en"]);
    assert!(
        run.stderr.contains("content/01-visas.md:20:63: error: the chart plots column 'tipo', which is not numeric"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_verification_note_says_exactly_what_was_checked() {
    let t = built();
    // Visas: two declared totals, nothing else.
    let html = t.read("visas.html");
    assert!(html.contains("Se verificaron 2 totales de esta tabla; estas cifras"), "{html}");
    // Presupuesto: one printed percentage (Bienes) and two declared totals;
    // the computed cells were filled in, not checked.
    let budget = t.read("datos-presupuesto.html");
    assert!(budget.contains("Se verificaron 1 cifra calculada por fórmula y 2 totales de esta tabla"), "{budget}");
}

#[test]
fn a_table_with_nothing_checkable_claims_nothing() {
    let t = built();
    t.write(
        "content/03-cuotas.md",
        "---\ntitle: Cuotas\ntables:\n  - id: cuotas\n    caption: Cuotas\n    columns:\n      - { id: n, label: N }\n      - { id: p, label: Parte, type: percent }\n    rows:\n      - [x, 40.0]\n      - [y, 60.0]\n    total: [Total, 100.0]\n---\n{{ table(id=\"cuotas\") }}\n",
    );
    t.build().success();
    let html = t.read("cuotas.html");
    assert!(html.contains("tabla-cuotas"), "{html}");
    assert!(!html.contains("class=\"verification"), "{html}");
}

#[test]
fn hostile_formulas_are_diagnostics_not_crashes_or_long_work() {
    for (name, formula) in [
        ("terms", vec!["a"; 60_000].join("+")),
        ("parens", format!("{}a{}", "(".repeat(50_000), ")".repeat(50_000))),
        ("signs", format!("{}a", "-".repeat(20_000))),
        ("deep", format!("{}a{}", "(".repeat(100), ")".repeat(100))),
    ] {
        let t = SiteTest::fixture("minimal");
        t.write(
            "content/01-f.md",
            &format!("---\ntitle: F\ntables:\n  - id: f\n    caption: F\n    columns:\n      - {{ id: a, label: A, type: integer }}\n      - {{ id: b, label: B, type: integer, formula: \"{formula}\" }}\n    rows:\n      - [1, ~]\n---\nTexto.\n"),
        );
        let started = std::time::Instant::now();
        let run = t.run(&["check"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let want = if name == "deep" { "anida más de 40 niveles" } else { "pasa de 1000 caracteres" };
        assert!(run.stderr.contains("content/01-f.md:8:") && run.stderr.contains(want), "{name}: {}", run.stderr);
        assert!(started.elapsed().as_secs() < 10, "{name} took {:?}", started.elapsed());
    }
}

#[test]
fn a_column_in_m_pesos_is_formatted_charted_and_exported_with_its_unit() {
    let t = SiteTest::fixture("report");
    t.write(
        "content/03-millones.md",
        "---\ntitle: Millones\ntables:\n  - id: millones\n    caption: Presupuesto en miles\n    columns:\n      - { id: item, label: Ítem }\n      - { id: monto, label: Presupuesto, type: money, unit: M$ }\n    rows:\n      - [Personal, 422935621]\n      - [Bienes, 1000]\ncharts:\n  - { id: millones-barras, table: millones, type: bar, x: item, y: monto, title: Presupuesto }\n---\nEl presupuesto fue {{ figure(table=\"millones\", row=\"Personal\", col=\"monto\") }}.\n\n{{ table(id=\"millones\") }}\n\n{{ chart(id=\"millones-barras\") }}\n",
    );
    t.build().success();
    let html = t.read("millones.html");
    assert!(html.contains("<th scope=\"col\" class=\"num\">Presupuesto (M$)</th>"), "{html}");
    assert!(html.contains("<td class=\"num\">422.935.621</td>"), "{html}");
    assert_eq!(html.matches("$\u{a0}422").count(), html.matches("M$\u{a0}422").count(), "never shown as pesos");
    assert!(html.contains("<span class=\"figure\">M$\u{a0}422.935.621</span>"), "{html}");
    let desc = &html[html.find("<desc").expect("desc")..];
    assert!(
        desc.starts_with(
            "<desc id=\"grafico-millones-barras-desc\">Gráfico de barras. Personal: Presupuesto (M$) 422.935.621"
        ),
        "{desc}"
    );
    assert!(html.contains("M$\u{a0}400.000.000</text>"), "axis ticks carry the unit: {html}");
    let csv = t.read("datos/millones.csv");
    assert!(csv.starts_with("item,monto\r\n"), "programs get the ids: {csv}");
    let excel = t.read("datos/excel/millones.csv");
    assert!(excel.starts_with("\u{feff}Ítem;Presupuesto (M$)\r\n"), "people get the unit: {excel}");
    let package = t.read("datos/datapackage.json");
    assert!(package.contains("\"unit\": \"M$\""), "{package}");
    assert!(package.contains("\"title\": \"Presupuesto\""), "{package}");
    assert!(
        package.contains("\"description\": \"Cifra en M$, sin separador de miles, con punto decimal.\""),
        "{package}"
    );
}
