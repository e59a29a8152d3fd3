//! The report shipped in content/ (Cuenta Pública Participativa 2018 of the
//! Gobernación Provincial de Antofagasta) builds with the real binary, every
//! chapter, table and chart of the source document reaches the site with its
//! figures in es-CL form, and `check` warns only about the discrepancies that
//! are in the document itself.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A built site in a temporary directory, with what the build printed.
struct Site {
    dir: tempfile::TempDir,
    stderr: String,
}

impl Site {
    fn page(&self, name: &str) -> String {
        let path = self.dir.path().join(name);
        let html =
            fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read built page {}: {e}", path.display()));
        // The figures are compared with plain spaces: "$ 1.000.000", "99,86 %".
        html.replace(['\u{a0}', '\u{202f}'], " ")
    }
}

fn build() -> Site {
    let dir = tempfile::tempdir().expect("temporary directory");
    let run = common::build_into(&root(), dir.path());
    Site { dir, stderr: run.stderr }
}

/// Each page of the document: file, title, tables and charts it must carry.
struct Chapter {
    page: &'static str,
    title: &'static str,
    tables: &'static [&'static str],
    charts: &'static [&'static str],
}

const CHAPTERS: &[Chapter] = &[
    Chapter { page: "definiciones-estrategicas.html", title: "Definiciones estratégicas", tables: &[], charts: &[] },
    Chapter {
        page: "definiciones-estrategicas-mision-institucional.html",
        title: "Misión institucional",
        tables: &[],
        charts: &[],
    },
    Chapter { page: "definiciones-estrategicas-atribuciones.html", title: "Atribuciones", tables: &[], charts: &[] },
    Chapter {
        page: "principales-logros.html",
        title: "Principales logros alcanzados durante el 2017",
        tables: &[],
        charts: &[],
    },
    Chapter {
        page: "principales-logros-extranjeria.html",
        title: "Extranjería",
        tables: &["visas", "permanencia-definitiva"],
        charts: &["visas-por-tipo-y-anio", "permanencia-definitiva-por-anio"],
    },
    Chapter { page: "seguridad.html", title: "Seguridad", tables: &["acciones-seguridad"], charts: &[] },
    Chapter {
        page: "programa-asistencial-social-orasmi.html",
        title: "Programa Asistencial Social (ORASMI)",
        tables: &[],
        charts: &[],
    },
    Chapter {
        page: "fondo-orasmi.html",
        title: "Fondo ORASMI",
        tables: &[
            "orasmi",
            "peticiones-estado",
            "peticiones-procedencia",
            "orasmi-items",
            "cartas-presidencia",
            "informes-pensiones-gracia",
            "refugio-asilo",
            "derivaciones",
        ],
        charts: &["orasmi-por-area", "peticiones-por-estado", "peticiones-por-procedencia", "orasmi-items-monto"],
    },
    Chapter {
        page: "oficina-de-proteccion-de-derechos.html",
        title: "Conducción Oficina de Protección de Derechos de Niños, Niñas y Adolescentes",
        tables: &[],
        charts: &[],
    },
    Chapter {
        page: "departamento-de-administracion-y-finanzas.html",
        title: "Departamento de Administración y Finanzas",
        tables: &[],
        charts: &[],
    },
    Chapter {
        page: "desglose-de-presupuesto.html",
        title: "Desglose de presupuesto",
        tables: &["presupuesto", "presupuesto-total"],
        charts: &["presupuesto-por-item", "cumplimiento-por-item"],
    },
    Chapter {
        page: "fortalecimiento-de-la-gestion-provincial.html",
        title: "Programa de Fortalecimiento de la Gestión Provincial de Sistema Protección Social",
        tables: &[],
        charts: &[],
    },
    Chapter { page: "gobierno-en-terreno.html", title: "Programa “Gobierno en Terreno”", tables: &[], charts: &[] },
    Chapter {
        page: "fortalecimiento-provincial-de-las-gobernaciones.html",
        title: "Fortalecimiento Provincial de las Gobernaciones",
        tables: &["gobierno-presente", "gobierno-presente-hitos", "proyectos"],
        charts: &["plazas-y-dialogos", "atenciones-plazas-y-dialogos", "proyectos-por-anio-y-monto"],
    },
    Chapter { page: "proyecciones-y-desafios.html", title: "Proyecciones y desafíos 2018", tables: &[], charts: &[] },
];

/// The document's chapters (I–VII) and numbered parts, in its order, each
/// with the number the document gives it and no other.
const NUMBERS: &[(&str, &str, &str)] = &[
    ("definiciones-estrategicas.html", "I", "Definiciones estratégicas"),
    ("definiciones-estrategicas-mision-institucional.html", "1.1", "Misión institucional"),
    ("definiciones-estrategicas-atribuciones.html", "1.2", "Atribuciones"),
    ("principales-logros.html", "II", "Principales logros alcanzados durante el 2017"),
    ("principales-logros-extranjeria.html", "2.1", "Extranjería"),
    ("seguridad.html", "III", "Seguridad"),
    ("programa-asistencial-social-orasmi.html", "IV", "Programa Asistencial Social (ORASMI)"),
    (
        "oficina-de-proteccion-de-derechos.html",
        "4.1",
        "Conducción Oficina de Protección de Derechos de Niños, Niñas y Adolescentes",
    ),
    ("departamento-de-administracion-y-finanzas.html", "V", "Departamento de Administración y Finanzas"),
    ("desglose-de-presupuesto.html", "6.1.1", "Desglose de presupuesto"),
    (
        "fortalecimiento-de-la-gestion-provincial.html",
        "6.1.2",
        "Programa de Fortalecimiento de la Gestión Provincial de Sistema Protección Social",
    ),
    ("gobierno-en-terreno.html", "6.1.3", "Programa “Gobierno en Terreno”"),
    ("fortalecimiento-provincial-de-las-gobernaciones.html", "VI", "Fortalecimiento Provincial de las Gobernaciones"),
    ("proyecciones-y-desafios.html", "VII", "Proyecciones y desafíos 2018"),
];

#[test]
fn every_page_shows_the_documents_own_number_once_in_its_heading() {
    let site = build();
    for (page, number, title) in NUMBERS {
        let html = site.page(page);
        let heading = format!("<h1><span class=\"heading-number\">{number}.</span> {title}</h1>");
        assert!(html.contains(&heading), "{page} should have the heading {heading:?}");
        assert!(!html.contains("class=\"kicker\">Sección"), "{page} shows no number of cuenta's own");
    }
}

#[test]
fn the_home_page_lists_the_chapters_and_their_numbered_parts_in_the_documents_order() {
    let site = build();
    let home = site.page("index.html");
    let contents = home.split("id=\"cuenta-indice\"").nth(1).expect("the home page has contents");
    let mut at = 0;
    for (page, number, _) in NUMBERS {
        let link = contents[at..]
            .find(&format!("href=\"{page}\"><span class=\"chapter-number\">{number}.</span>"))
            .unwrap_or_else(|| panic!("the contents should list {number} ({page}) after the previous entry"));
        at += link;
    }
}

#[test]
fn the_unnumbered_part_of_chapter_four_gets_no_number_from_cuenta() {
    let site = build();
    assert!(site.page("fondo-orasmi.html").contains("<h1>Fondo ORASMI</h1>"));
}

fn assert_contains(site: &Site, page: &str, needles: &[&str]) {
    let html = site.page(page);
    for needle in needles {
        assert!(html.contains(needle), "{page} should contain {needle:?} but does not");
    }
}

#[test]
fn the_shipped_report_builds_without_errors() {
    let site = build();
    let stderr = &site.stderr;
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error:")).collect();
    assert!(errors.is_empty(), "the build reported errors:\n{}", errors.join("\n"));
}

#[test]
fn every_chapter_of_the_document_has_its_page_with_its_title() {
    let site = build();
    for chapter in CHAPTERS {
        assert_contains(&site, chapter.page, &[chapter.title]);
    }
    let home = site.page("index.html");
    for chapter in CHAPTERS {
        assert!(home.contains(&format!("href=\"{}", chapter.page)), "the home page should link to {}", chapter.page);
    }
}

#[test]
fn every_table_of_the_document_is_in_its_section_page() {
    let site = build();
    for chapter in CHAPTERS {
        let html = site.page(chapter.page);
        for table in chapter.tables {
            assert!(html.contains(&format!("id=\"tabla-{table}\"")), "{} should contain table {table}", chapter.page);
        }
        for chart in chapter.charts {
            assert!(html.contains(&format!("id=\"grafico-{chart}\"")), "{} should contain chart {chart}", chapter.page);
        }
    }
}

#[test]
fn the_home_page_names_the_report_the_institution_and_quotes_the_mission() {
    let site = build();
    assert_contains(
        &site,
        "index.html",
        &[
            "Cuenta Pública Participativa 2018",
            "Gobernación Provincial de Antofagasta",
            "Asistir en el ejercicio del Gobierno y la administración interior del Estado al Presidente de la República.",
        ],
    );
}

#[test]
fn chapter_one_keeps_the_mission_and_the_attributions_word_for_word() {
    let site = build();
    assert_contains(
        &site,
        "definiciones-estrategicas-mision-institucional.html",
        &["segmentado en 15 intendencias y 53 gobernaciones más una Delegación Provincial"],
    );
    assert_contains(&site, "definiciones-estrategicas-atribuciones.html", &["Ver D.F.L. N° 1-19.175, de 2005"]);
}

#[test]
fn chapter_two_shows_visas_and_permanencia_definitiva_grouped_with_dots() {
    let site = build();
    assert_contains(
        &site,
        "principales-logros-extranjeria.html",
        &[
            ">12.794<",
            ">12.638<",
            ">2.762<",
            ">107<",
            ">78<",
            // the declared totals, as the prose quotes them through figure()
            "<span class=\"figure\">13.014</span>",
            "<span class=\"figure\">12.799</span>",
            "<span class=\"figure\">8.828</span>",
            "<span class=\"figure\">8.296</span>",
            "Sistema B3000",
            "existen 959 niños en situación de Irregularidad",
        ],
    );
    let html = site.page("principales-logros-extranjeria.html");
    assert!(!html.contains("](#)"), "the export's link brackets must be gone");
}

#[test]
fn chapter_three_keeps_text_quantities_and_list_cells_of_the_security_table() {
    let site = build();
    assert_contains(
        &site,
        "seguridad.html",
        &[
            "88 familias trasladadas con KITS (tres meses de ejecución)",
            "No Aplica",
            "cell-list",
            "Génesis II",
            "4 Operativos de Desalojo",
            "9 Notificaciones",
            "Martin Luther King (3)",
        ],
    );
    let html = site.page("seguridad.html");
    assert!(!html.contains("✓"), "the ✓ list fragments must become list cells");
    assert!(!html.contains("&lt;ul"), "no escaped HTML list fragments may remain");
}

#[test]
fn chapter_four_shows_the_orasmi_matrix_in_pesos_with_the_negative_balance() {
    let site = build();
    assert_contains(
        &site,
        "fondo-orasmi.html",
        &[
            "$ 12.506.141",
            "$ 4.765.377",
            "$ 7.740.764",
            "$ 3.605.862",
            "-$ 121.239",
            "$ 250.000",
            "$ 1.394.138",
            "$ 3.121.239",
            ">64<",
            ">29<",
            "<span class=\"figure\">29</span> casos ingresados por Demanda Espontanea.",
            "43 casos",
            "25 (agosto de 2017 al 11 de marzo de 2018)",
        ],
    );
    assert_contains(&site, "oficina-de-proteccion-de-derechos.html", &["Resumen ejecutivo Actividades OPD 2018"]);
    let html = site.page("fondo-orasmi.html");
    assert!(!html.contains("\\$"), "the export's escaped dollars must be gone");
}

#[test]
fn chapter_five_shows_the_budget_with_its_execution_percentages() {
    let site = build();
    assert_contains(
        &site,
        "desglose-de-presupuesto.html",
        &[
            "$ 461.682.259",
            "$ 461.042.671",
            "99,86 %",
            "99,8 %",
            "99,6 %",
            "$ 270.757.581",
            "$ 3.620.010",
            "TOTAL GESTION DE PRESUPUESTO",
        ],
    );
    // the prose's own figures stay as printed, not reconciled with chapter VI
    assert_contains(&site, "gobierno-en-terreno.html", &["se realizaron 14 plazas ciudadanas y 12 diálogos"]);
}

#[test]
fn chapter_six_shows_plazas_dialogos_and_projects() {
    let site = build();
    assert_contains(
        &site,
        "fortalecimiento-provincial-de-las-gobernaciones.html",
        &[
            ">5.842<",
            ">502<",
            ">12<",
            ">14<",
            "$ 35.000.000",
            "$ 213.000.000",
            "$ 65.000.000",
            "<th scope=\"col\" class=\"num\">BENEFICIARIOS (personas)</th>",
            ">650<",
            ">1.136<",
            "Entrega de Kit Sanitarios",
            "Conmemoración Día Contra la Trata de personas",
        ],
    );
}

#[test]
fn the_home_page_shows_key_figures_read_from_the_reports_own_tables() {
    let site = build();
    let home = site.page("index.html");
    for (value, label, href) in [
        ("13.014", "solicitudes de residencia ingresadas en 2016", "principales-logros-extranjeria.html#tabla-visas"),
        ("99,86 %", "del presupuesto 2018 ejecutado", "desglose-de-presupuesto.html#tabla-presupuesto"),
        (
            "5.842",
            "atenciones en plazas ciudadanas, 2017",
            "fortalecimiento-provincial-de-las-gobernaciones.html#tabla-gobierno-presente",
        ),
        ("$ 4.765.377", "gastados del fondo ORASMI en 2018", "fondo-orasmi.html#tabla-orasmi"),
    ] {
        let figure = format!(
            "<a href=\"{href}\"><span class=\"figure-value\">{value}</span> <span class=\"figure-label\">{label}</span></a>"
        );
        assert!(home.contains(&figure), "index.html should show {figure}");
    }
}

#[test]
fn chapter_six_presents_the_dialogues_of_its_source_without_inventing_questions() {
    let site = build();
    assert_contains(
        &site,
        "fortalecimiento-provincial-de-las-gobernaciones.html",
        &[
            "<h2 id=\"participacion-proceso\">El proceso de participación</h2>",
            "<strong>Plazas ciudadanas del programa Gobierno Presente, 2017</strong>: 12 actividades · 5.842 atenciones",
            "<strong>Diálogos ciudadanos del programa Gobierno Presente, 2017</strong>: 14 actividades · 502 atenciones",
            "Provincia de Antofagasta",
        ],
    );
    // The document lists no question, answer or COSOC statement: none may appear.
    for chapter in CHAPTERS {
        let html = site.page(chapter.page);
        assert!(!html.contains("class=\"question"), "{} shows a question the document does not contain", chapter.page);
        assert!(!html.contains("participation-cosoc"), "{} shows a COSOC statement", chapter.page);
    }
    let package = fs::read_to_string(site.dir.path().join("datos/datapackage.json")).expect("datapackage");
    assert!(!package.contains("-preguntas\""), "no questions table without questions");
}

#[test]
fn chapter_seven_has_only_its_title_and_no_invented_prose() {
    let site = build();
    let html = site.page("proyecciones-y-desafios.html");
    assert!(html.contains("<h1><span class=\"heading-number\">VII.</span> Proyecciones y desafíos 2018</h1>"));
    let body = html
        .split_once("section-body\">")
        .map(|(_, rest)| rest.split_once("</div>").map_or(rest, |(body, _)| body))
        .expect("the section page has a body");
    assert!(body.trim().is_empty(), "chapter VII has no text in the source document, but its body is:\n{body}");
}

/// The lines of content/ a warning may point at: each is a figure of the
/// document that disagrees with the document's own arithmetic.
const KNOWN_DISCREPANCIES: &[(&str, &str, &str)] = &[
    (
        "01-extranjeria.md",
        "total: [Total, 13014, 12799, 2787]",
        "visas: 12.979 and 12.798 by type, 13.014 and 12.799 declared for 2016 and 2017",
    ),
    ("01-fondo-orasmi.md", "total: [Peticiones ingresadas, 64]", "64 petitions entered, 25 + 1 + 29 = 55 by status"),
    (
        "01-fondo-orasmi.md",
        "figure: sum(peticiones-procedencia.casos)",
        "64 petitions entered, 29 + 7 + 8 + 1 + 6 + 8 + 4 = 63 by origin (a cross-check)",
    ),
    (
        "01-desglose-de-presupuesto.md",
        "[Bienes y Serv.Consumo, 73994320, 73520866, 99.8]",
        "73.520.866 / 73.994.320 is 99,36 %, printed 99,8 %",
    ),
    (
        "01-desglose-de-presupuesto.md",
        "[Programa Fort. Gestión Prov., 18562474, 18396442, 99.6]",
        "18.396.442 / 18.562.474 is 99,11 %, printed 99,6 %",
    ),
    (
        "01-desglose-de-presupuesto.md",
        "total: [TOTAL GESTION DE PRESUPUESTO, 461682259, 461042671, 99.86]",
        "the items spent 461.042.762, the total says 461.042.671",
    ),
];

/// The report is es-CL, so cuenta words its messages in Spanish
/// (`advertencia`); `warning` is the English form.
const WARNING_MARKERS: &[&str] = &[": warning:", ": advertencia:"];

fn is_warning(line: &str) -> bool {
    WARNING_MARKERS.iter().any(|m| line.contains(m))
}

/// `path:line:col: warning: message` -> (path, file name, line).
fn warning_location(line: &str) -> Option<(String, String, usize)> {
    let (location, _) = WARNING_MARKERS.iter().find_map(|m| line.split_once(m))?;
    let mut parts = location.rsplitn(3, ':');
    let _col = parts.next()?;
    let line_no: usize = parts.next()?.trim().parse().ok()?;
    let path = parts.next()?;
    let name = Path::new(path).file_name()?.to_string_lossy().into_owned();
    Some((path.to_string(), name, line_no))
}

#[test]
fn check_warns_only_about_the_discrepancies_that_are_in_the_document() {
    let output = Command::new(env!("CARGO_BIN_EXE_cuenta"))
        .arg("check")
        .arg("--root")
        .arg(root())
        .output()
        .expect("run cuenta check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cuenta check failed:\n{stderr}");
    assert!(!stderr.lines().any(|l| l.contains(": error:")), "check reported errors:\n{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| is_warning(l)).collect();
    assert!(!warnings.is_empty(), "check printed no warnings at all:\n{stderr}");
    let mut seen = vec![false; KNOWN_DISCREPANCIES.len()];
    for warning in &warnings {
        let (path, file, line_no) =
            warning_location(warning).unwrap_or_else(|| panic!("malformed warning line: {warning}"));
        let text = fs::read_to_string(root().join(&path))
            .unwrap_or_else(|e| panic!("warning names {file}, which cannot be read: {e}"));
        let source_line = text.lines().nth(line_no - 1).unwrap_or("");
        let known = KNOWN_DISCREPANCIES.iter().position(|(f, needle, _)| *f == file && source_line.contains(needle));
        match known {
            Some(i) => seen[i] = true,
            None => panic!(
                "unexpected warning, not a discrepancy of the document:\n{warning}\n{file}:{line_no}: {source_line}"
            ),
        }
    }
    for (i, (file, _, what)) in KNOWN_DISCREPANCIES.iter().enumerate() {
        assert!(seen[i], "check should warn about {file}: {what}; it printed:\n{stderr}");
    }
}

#[test]
fn the_verification_page_flags_the_63_petitions_by_origin_against_the_64_entered() {
    let site = build();
    assert_contains(
        &site,
        "verificacion.html",
        &[
            "<a href=\"fondo-orasmi.html#tabla-peticiones-procedencia\">sum(peticiones-procedencia.casos)</a>: <span class=\"num\">63</span>; <a href=\"fondo-orasmi.html#tabla-peticiones-estado\">peticiones-estado · Peticiones ingresadas · Peticiones</a>: <span class=\"num\">64</span>",
        ],
    );
    assert_contains(
        &site,
        "fondo-orasmi.html",
        &["El presupuesto del FONDO ORASMI asignado a la Gobernación Provincial de Antofagasta para el año 2018 es de <span class=\"figure\">$12.506.141</span>"],
    );
}
