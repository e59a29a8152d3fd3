//! The participation content kind: a section with `participacion:` — bad
//! input named at file:line:col in both languages (through the real binary),
//! and what a built report shows and publishes.

mod common;

use common::check;

use std::process::Command;

const INDEX: &str = "---\ntitle: Informe\nyear: 2019\n---\nHola.\n";

/// A section `visas` with table `visas`, for links to point at.
const VISAS: &str = "---\ntitle: Visas\nslug: visas\ntables:\n  - id: visas\n    caption: Visas\n    columns:\n      - { id: tipo, label: Tipo }\n    rows:\n      - [Temporaria]\n---\nTexto.\n";

/// A participation section whose one question starts at line 6; `extra`
/// goes after its `pregunta:` line (line 8).
fn section(modality: &str, received: &str, extra: &str) -> String {
    format!(
        "---\ntitle: Participación\nparticipacion:\n  modalidad: {modality}\n  preguntas:\n    - tema: Visas\n      recibida: {received}\n      pregunta: ¿Cuándo?\n{extra}---\nTexto.\n"
    )
}

struct Case {
    name: &'static str,
    section: String,
    es: &'static str,
    en: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unknown modality, with a suggestion",
            section: section("mixto", "2019-04-02", "      respuesta: Pronto.\n"),
            es: "content/02-p.md:4:14: error: valor desconocido 'mixto', ¿quiso decir 'mixta'?\n4 |   modalidad: mixto\n  |              ^^^^^\nsugerencia: los valores posibles son 'presencial', 'virtual', 'mixta'\n",
            en: "content/02-p.md:4:14: error: unknown value 'mixto', did you mean 'mixta'?\n4 |   modalidad: mixto\n  |              ^^^^^\nhint: expected one of 'presencial', 'virtual', 'mixta'\n",
        },
        Case {
            name: "a date that is not ISO",
            section: section("mixta", "02/04/2019", "      respuesta: Pronto.\n"),
            es: "content/02-p.md:7:17: error: '02/04/2019' no es una fecha\n7 |       recibida: 02/04/2019\n  |                 ^^^^^^^^^^\nsugerencia: escriba la fecha como año-mes-día, con cuatro, dos y dos cifras: 2019-05-10\n",
            en: "content/02-p.md:7:17: error: '02/04/2019' is not a date\n7 |       recibida: 02/04/2019\n  |                 ^^^^^^^^^^\nhint: write the date as year-month-day, with four, two and two digits: 2019-05-10\n",
        },
        Case {
            name: "an answer dated before its question",
            section: section("mixta", "2019-04-02", "      respuesta: Pronto.\n      respondida: 2019-03-30\n"),
            es: "content/02-p.md:10:19: error: la respuesta tiene fecha 2019-03-30, anterior a la pregunta, recibida el 2019-04-02\n10 |       respondida: 2019-03-30\n   |                   ^^^^^^^^^^\nsugerencia: revise las fechas 'recibida' y 'respondida'; una de las dos está mal escrita\n",
            en: "content/02-p.md:10:19: error: the answer is dated 2019-03-30, before the question, received on 2019-04-02\n10 |       respondida: 2019-03-30\n   |                   ^^^^^^^^^^\nhint: check the 'recibida' and 'respondida' dates; one of them is mistyped\n",
        },
        Case {
            name: "a question with neither answer nor status",
            section: section("mixta", "2019-04-02", ""),
            es: "content/02-p.md:8:17: error: la pregunta 'pregunta-1' no tiene respuesta ni estado\n8 |       pregunta: ¿Cuándo?\n  |                 ^^^^^^^^\nsugerencia: agregue 'respuesta: …' (y 'respondida: fecha'), o 'estado: en plazo' o 'estado: pendiente'\n",
            en: "content/02-p.md:8:17: error: question 'pregunta-1' has neither an answer nor a status\n8 |       pregunta: ¿Cuándo?\n  |                 ^^^^^^^^\nhint: add 'respuesta: …' (and 'respondida: date'), or 'estado: en plazo' or 'estado: pendiente'\n",
        },
        Case {
            name: "unknown status, with a suggestion",
            section: section("mixta", "2019-04-02", "      estado: en plaso\n"),
            es: "content/02-p.md:9:15: error: valor desconocido 'en plaso', ¿quiso decir 'en plazo'?\n9 |       estado: en plaso\n  |               ^^^^^^^^\nsugerencia: los valores posibles son 'respondida', 'en plazo', 'pendiente'\n",
            en: "content/02-p.md:9:15: error: unknown value 'en plaso', did you mean 'en plazo'?\n9 |       estado: en plaso\n  |               ^^^^^^^^\nhint: expected one of 'respondida', 'en plazo', 'pendiente'\n",
        },
        Case {
            name: "links to an unknown section and an unknown table",
            section: section("mixta", "2019-04-02", "      estado: pendiente\n      seccion: visa\n      tabla: vissas\n"),
            es: "content/02-p.md:10:16: error: sección desconocida 'visa', ¿quiso decir 'visas'?\n10 |       seccion: visa\n   |                ^^^^\nsugerencia: use el nombre de la página de la sección, sin '.html' (su 'slug')\ncontent/02-p.md:11:14: error: tabla desconocida 'vissas', ¿quiso decir 'visas'?\n11 |       tabla: vissas\n   |              ^^^^^^\nsugerencia: use el 'id' de una tabla declarada en el encabezado\n",
            en: "content/02-p.md:10:16: error: unknown section 'visa', did you mean 'visas'?\n10 |       seccion: visa\n   |                ^^^^\nhint: use the name of the section's page, without '.html' (its 'slug')\ncontent/02-p.md:11:14: error: unknown table 'vissas', did you mean 'visas'?\n11 |       tabla: vissas\n   |              ^^^^^^\nhint: use the 'id' of a table declared in front matter\n",
        },
    ]
}

#[test]
fn bad_participation_input_is_named_at_its_place_in_both_languages() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content/_index.md"), INDEX).expect("index");
        std::fs::write(dir.path().join("content/01-v.md"), VISAS).expect("visas");
        std::fs::write(dir.path().join("content/02-p.md"), &case.section).expect("section");
        common::expect_messages(dir.path(), case.name, case.es, case.en, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_holiday_that_is_not_a_date_is_named_in_the_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    let index = "---\ntitle: Informe\nparticipacion:\n  feriados: [2019-05-01, 21 de mayo]\n---\n";
    std::fs::write(dir.path().join("content/_index.md"), index).expect("index");
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("content/_index.md:4:26: error: '21 de mayo' no es una fecha\n"), "{stderr}");
}

use common::SiteTest;

/// The `<main>` of a built page.
fn main_of(page: &str) -> &str {
    let start = page.find("<main").expect("main");
    let end = page.find("</main>").expect("/main");
    &page[start..end]
}

#[test]
fn the_participation_page_groups_every_question_by_topic_with_its_own_anchor() {
    let t = SiteTest::fixture("participacion");
    t.build().success();
    let page = t.read("participacion.html");
    let main = main_of(&page);
    assert_eq!(main.matches("<article class=\"question").count(), 20, "every question is shown");
    for n in 1..=20 {
        assert_eq!(main.matches(&format!(" id=\"p{n:02}\"")).count(), 1, "p{n:02} has one anchor");
    }
    let topics: Vec<usize> = ["Visas y residencia", "Seguridad", "Programas sociales", "Presupuesto"]
        .iter()
        .map(|topic| main.find(&format!("class=\"participation-topic\">{topic} ")).expect(topic))
        .collect();
    assert!(topics.windows(2).all(|w| w[0] < w[1]), "topics in order of first appearance");
    let questions = &main[main.find("participation-questions").expect("questions")..];
    let questions = &questions[..questions.find("</section>").expect("end")];
    assert!(!questions.contains("<table"), "questions are blocks, not a wide table");
    assert!(!main.contains("<script"), "readable without JavaScript");
    assert!(main.contains("Plazo de respuesta: 45 días hábiles."), "the legal deadline is stated");
    assert!(main.contains("<strong>14</strong> Respondida"), "counts by status");
    assert!(main.contains("<a href=\"#tema-seguridad\">Seguridad</a>: 5"), "counts by topic");
    let p16 = &main[main.find("id=\"p16\"").expect("p16")..];
    assert!(
        p16.contains("Relacionada con: <a href=\"presupuesto.html\">Presupuesto</a>"),
        "a question links to its section"
    );
}

#[test]
fn only_the_answer_given_after_the_business_day_deadline_is_marked_overdue() {
    let t = SiteTest::fixture("participacion");
    t.build().success();
    let page = t.read("participacion.html");
    let overdue: Vec<&str> = page.match_indices("overdue\" id=\"").map(|(i, _)| &page[i + 13..i + 16]).collect();
    assert_eq!(overdue, ["p07"], "received 2019-03-01, answered 2019-05-20, after 45 business days");
    // Friday 2019-03-01 plus 45 business days is Friday 3 May; 1 May, a listed holiday, moves it to Monday 6 May.
    let p07 = &page[page.find("id=\"p07\"").expect("p07")..];
    assert!(p07[..p07.find("</article>").expect("end")].contains("Plazo hasta el 6 de mayo de 2019"), "{p07}");
}

#[test]
fn a_shorter_deadline_in_the_settings_marks_more_answers_overdue() {
    let t = SiteTest::fixture("participacion");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.build().success();
    t.write("content/_index.md", &index.replace("plazo_dias_habiles: 45", "plazo_dias_habiles: 10"));
    // A cached rebuild: the deadline is read from the settings, not kept in the cached body.
    t.build().success();
    let page = t.read("participacion.html");
    assert!(page.contains("Plazo de respuesta: 10 días hábiles."));
    assert!(page.matches("<article class=\"question status-respondida overdue\"").count() > 1);
}

#[test]
fn the_offline_search_finds_a_question_by_its_words() {
    let t = SiteTest::fixture("participacion");
    t.build().success();
    let index = t.read("search-index.js");
    let json = index.trim().strip_prefix("window.CUENTA_SEARCH_INDEX=").and_then(|j| j.strip_suffix(';')).expect("js");
    let entries: Vec<serde_json::Value> = serde_json::from_str(json).expect("json");
    let hit = entries.iter().find(|e| e["x"].as_str().is_some_and(|x| x.contains("televigilancia"))).expect("found");
    assert_eq!(hit["u"], "participacion.html#p07");
    assert_eq!(hit["h"], "Preguntas y respuestas › Seguridad: ¿Qué pasó con las cámaras de televigilancia anunciadas?");
}

#[test]
fn questions_and_answers_are_open_data_and_their_count_is_checked() {
    let t = SiteTest::fixture("participacion");
    t.build().success();
    let csv = t.read("datos/participacion-preguntas.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(headers.get(4), Some("pregunta"), "programs get the column ids");
    let excel = t.read("datos/excel/participacion-preguntas.csv");
    assert!(excel.contains(";Pregunta u observación;"), "people get the labels: {excel}");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 20);
    assert_eq!(rows[6].get(3), Some("2019-03-01"));
    assert_eq!(rows[6].get(6), Some("2019-05-20"));
    let package: serde_json::Value = serde_json::from_str(&t.read("datos/datapackage.json")).expect("json");
    let names: Vec<&str> =
        package["resources"].as_array().expect("list").iter().filter_map(|r| r["name"].as_str()).collect();
    for table in ["participacion-preguntas", "participacion-por-estado", "participacion-por-tema"] {
        assert!(names.contains(&table), "{table} not in {names:?}");
    }
    let page = t.read("participacion.html");
    let status = &page[page.find("id=\"tabla-participacion-por-estado\"").expect("status table")..];
    assert!(status.contains("verific"), "the count by status is shown as a checked table");
    // The count the office declares is checked against the questions listed.
    let file = t.root().join("content/03-participacion.md");
    let text = std::fs::read_to_string(&file).expect("section");
    t.write("content/03-participacion.md", &text.replace("recibidas: 20", "recibidas: 21"));
    let run = t.build().success();
    assert!(run.stderr.contains("total de 'preguntas': publicado 21, calculado 20"), "{}", run.stderr);
}

#[test]
fn frictionless_validates_the_participation_data() {
    let has = Command::new("python3").args(["-c", "import frictionless"]).output().is_ok_and(|o| o.status.success());
    if !has {
        eprintln!("skipped: frictionless not installed (pip install frictionless)");
        return;
    }
    let t = SiteTest::fixture("participacion");
    t.build().success();
    let script = "import sys, frictionless\nr = frictionless.validate(sys.argv[1])\nprint(r.valid)\nsys.exit(0 if r.valid else 1)\n";
    let descriptor = t.out().join("datos/datapackage.json");
    let out = Command::new("python3").arg("-c").arg(script).arg(&descriptor).output().expect("python3");
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn key_figures_are_read_from_the_checked_tables_and_link_to_them() {
    let t = SiteTest::fixture("participacion");
    t.build().success();
    let home = t.read("index.html");
    for (value, label, href) in [
        ("13.014", "solicitudes de residencia", "visas-y-residencia.html#tabla-visas"),
        // A figure and its unit or currency are joined by a no-break space.
        ("99,86\u{a0}%", "ejecución del presupuesto de personal", "presupuesto.html#tabla-ejecucion"),
        ("20", "preguntas ciudadanas recibidas", "participacion.html#tabla-participacion-por-estado"),
        ("$\u{a0}619.132.000", "pesos ejecutados", "presupuesto.html#tabla-ejecucion"),
    ] {
        let li = format!(
            "<li><a href=\"{href}\"><span class=\"figure-value\">{value}</span> <span class=\"figure-label\">{label}</span></a></li>"
        );
        assert!(home.contains(&li), "missing {li}");
    }
    assert!(home.contains("<strong>María Pérez</strong><br>Gobernadora Provincial"), "the authority's message");
    // Tera escapes '/' in attributes as &#x2F;, which browsers read as '/'.
    let url = |year: u32| format!("https:&#x2F;&#x2F;gobernacion.example.cl&#x2F;cuenta-{year}&#x2F;");
    assert!(home.contains(&format!("<a href=\"{}\">2017: Cuenta Pública 2017</a>", url(2017))));
    let section = t.read("visas-y-residencia.html");
    assert!(section.contains(&format!("<a href=\"{}\">2016</a>", url(2016))), "previous reports in the footer");
    // Change the table: the key figure follows.
    let file = t.root().join("content/01-visas.md");
    let text = std::fs::read_to_string(&file).expect("visas");
    t.write("content/01-visas.md", &text.replace("[Temporaria, 9120]", "[Temporaria, 9121]").replace("13014", "13015"));
    t.build().success();
    assert!(t.read("index.html").contains("<span class=\"figure-value\">13.015</span>"));
}

#[test]
fn a_key_figure_naming_an_unknown_row_is_named_in_the_home_page() {
    let t = SiteTest::fixture("participacion");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replace("fila: Personal", "fila: Personl"));
    let run = t.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "content/_index.md:16:80: error: la cifra destacada 'ejecución del presupuesto de personal': la tabla 'ejecucion' no tiene una fila 'Personl', ¿quiso decir 'Personal'?\n"
        ) && run.stderr.contains("\n   |                                                                                ^^^^^^^\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_absurd_deadline_is_refused_instead_of_stalling_the_build() {
    let t = SiteTest::fixture("participacion");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replace("plazo_dias_habiles: 45", "plazo_dias_habiles: 4294967295"));
    let run = t.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "content/_index.md:8:23: error: un plazo de 4294967295 días hábiles es más largo que el máximo, 520\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_key_figure_that_sums_a_text_column_is_refused_in_both_languages() {
    let t = SiteTest::fixture("participacion");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replace("columna: ejecutado, calculo: suma", "columna: item, calculo: suma"));
    let es = t.run(&["check"]);
    assert_eq!(es.code, 1, "{}", es.stderr);
    let expected = "content/_index.md:18:62: error: la cifra destacada 'pesos ejecutados': la columna 'item' de la tabla 'ejecucion' es de texto: no se puede sumar\n";
    assert!(es.stderr.starts_with(expected), "{}", es.stderr);
    let en = t.run(&["check", "--lang", "en"]);
    let expected =
        "error: key figure 'pesos ejecutados': column 'item' of table 'ejecucion' holds text: it cannot be summed\n";
    assert!(en.stderr.contains(expected), "{}", en.stderr);
}
