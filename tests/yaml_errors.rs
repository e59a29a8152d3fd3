//! YAML slips editors make, each reported at its own line and column with a
//! hint that fits, in Spanish and English (as tests/messages.rs does for
//! the other messages); every independent error of a file in one run; and
//! the Spanish names of keys and values.

mod common;

use common::check;
use std::path::Path;

const INDEX: &str = "---\ntitle: Informe\nyear: 2019\n---\nHola.\n";

/// A section whose table `visas` has `caption_line` as its caption line and
/// `row` as its first row.
fn section(caption_line: &str, column: &str, row: &str) -> String {
    format!(
        "---\ntitle: Visas\ntables:\n  - id: visas\n{caption_line}\n    columns:\n      - {{ id: tipo, label: Tipo }}\n{column}\n    rows:\n{row}\n      - [Definitiva, 135]\n---\nTexto.\n"
    )
}

const CAPTION: &str = "    caption: Visas";
const TOTAL: &str = "      - { id: total, label: Total, type: integer }";
const ROW: &str = "      - [Temporaria, 120]";

struct Case {
    name: &'static str,
    text: String,
    es: &'static str,
    en: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a list never closed with ]",
            text: section(CAPTION, TOTAL, "      - [Temporaria, 120"),
            es: "content/01-a.md:10:25: error: falta el ']' que cierra esta línea\n10 |       - [Temporaria, 120\n   |                         ^\nsugerencia: agregue ']' al final; cada '[' se cierra en su misma línea\n",
            en: "content/01-a.md:10:25: error: the ']' that closes this line is missing\n10 |       - [Temporaria, 120\n   |                         ^\nhint: add ']' at the end; close each '[' on its own line\n",
        },
        Case {
            name: "a text starting with %",
            text: section("    caption: %50 de avance", TOTAL, ROW),
            es: "content/01-a.md:5:14: error: un texto no puede empezar con % sin comillas\n5 |     caption: %50 de avance\n  |              ^\nsugerencia: un texto que empieza con % va entre comillas: \"%…\"\n",
            en: "content/01-a.md:5:14: error: a text cannot start with % without quotes\n5 |     caption: %50 de avance\n  |              ^\nhint: quote a text that starts with %: \"%…\"\n",
        },
        Case {
            name: "a text starting with @",
            text: section("    caption: @MinInterior", TOTAL, ROW),
            es: "content/01-a.md:5:14: error: un texto no puede empezar con @ sin comillas\n5 |     caption: @MinInterior\n  |              ^\nsugerencia: un texto que empieza con @ va entre comillas: \"@…\"\n",
            en: "content/01-a.md:5:14: error: a text cannot start with @ without quotes\n5 |     caption: @MinInterior\n  |              ^\nhint: quote a text that starts with @: \"@…\"\n",
        },
        Case {
            name: "a text starting with a backtick",
            text: section("    caption: `Visas`", TOTAL, ROW),
            es: "content/01-a.md:5:14: error: un texto no puede empezar con ` sin comillas\n5 |     caption: `Visas`\n  |              ^\nsugerencia: un texto que empieza con ` va entre comillas: \"`…\"\n",
            en: "content/01-a.md:5:14: error: a text cannot start with ` without quotes\n5 |     caption: `Visas`\n  |              ^\nhint: quote a text that starts with `: \"`…\"\n",
        },
        Case {
            name: "type:money without a space, on its own line",
            text: section(CAPTION, "      - id: total\n        label: Total\n        type:money", ROW),
            es: "content/01-a.md:10:13: error: falta un espacio después de 'type:'\n10 |         type:money\n   |             ^\nsugerencia: escriba 'type: money'\n",
            en: "content/01-a.md:10:13: error: a space is missing after 'type:'\n10 |         type:money\n   |             ^\nhint: write 'type: money'\n",
        },
        Case {
            name: "type:money without a space, inside braces",
            text: section(CAPTION, "      - { id: total, label: Total, type:money }", ROW),
            es: "content/01-a.md:8:36: error: falta un espacio después de 'type:'\n8 |       - { id: total, label: Total, type:money }\n  |                                    ^^^^^^^^^^\nsugerencia: escriba 'type: money'\n",
            en: "content/01-a.md:8:36: error: a space is missing after 'type:'\n8 |       - { id: total, label: Total, type:money }\n  |                                    ^^^^^^^^^^\nhint: write 'type: money'\n",
        },
        Case {
            name: "an unquoted colon in a caption",
            text: section("    caption: Visas: total por tipo", TOTAL, ROW),
            es: "content/01-a.md:5:19: error: este texto tiene ':' seguido de un espacio, que YAML lee como un campo nuevo\n5 |     caption: Visas: total por tipo\n  |                   ^\nsugerencia: ponga el texto entero entre comillas: caption: \"Visas: total por tipo\"\n",
            en: "content/01-a.md:5:19: error: this text has ':' followed by a space, which YAML reads as a new field\n5 |     caption: Visas: total por tipo\n  |                   ^\nhint: put the whole text in quotes: caption: \"Visas: total por tipo\"\n",
        },
        Case {
            name: "curly quotes pasted from Word",
            text: section("    caption: “Visas: total”", TOTAL, ROW),
            es: "content/01-a.md:5:14: error: comillas tipográficas (“ ” ‘ ’), como las que pone Word\n5 |     caption: “Visas: total”\n  |              ^\nsugerencia: YAML solo reconoce las comillas rectas: reemplácelas por \" o '\n",
            en: "content/01-a.md:5:14: error: typographic quotes (“ ” ‘ ’), as word processors write them\n5 |     caption: “Visas: total”\n  |              ^\nhint: YAML only knows straight quotes: replace them with \" or '\n",
        },
        Case {
            name: "an anchor, at the anchor's line",
            text: section(CAPTION, TOTAL, "      - &fila [Temporaria, 120]\n      - *fila"),
            es: "content/01-a.md:10:9: error: el encabezado no admite anclas ni alias YAML (&nombre, *nombre)\n10 |       - &fila [Temporaria, 120]\n   |         ^\nsugerencia: escriba el valor completo en cada lugar; si el texto empieza con & o *, póngalo entre comillas\n",
            en: "content/01-a.md:10:9: error: front matter does not allow YAML anchors or aliases (&name, *name)\n10 |       - &fila [Temporaria, 120]\n   |         ^\nhint: write the whole value in each place; quote a text that starts with & or *\n",
        },
        Case {
            name: "a misspelt Spanish value, suggested in English",
            text: section(CAPTION, "      - { id: total, label: Total, type: procentaje }", ROW),
            es: "content/01-a.md:8:42: error: valor desconocido 'procentaje', ¿quiso decir 'percent'?\n8 |       - { id: total, label: Total, type: procentaje }\n  |                                          ^^^^^^^^^^\nsugerencia: los valores posibles son 'text', 'integer', 'decimal', 'money', 'percent', 'date'\n",
            en: "content/01-a.md:8:42: error: unknown value 'procentaje', did you mean 'percent'?\n8 |       - { id: total, label: Total, type: procentaje }\n  |                                          ^^^^^^^^^^\nhint: expected one of 'text', 'integer', 'decimal', 'money', 'percent', 'date'\n",
        },
        Case {
            name: "text where a whole number goes",
            text: section(CAPTION, "      - { id: total, label: Total, type: integer, decimals: dos }", ROW),
            es: "content/01-a.md:8:61: error: aquí va un número entero, no un texto\n8 |       - { id: total, label: Total, type: integer, decimals: dos }\n  |                                                             ^^^\nsugerencia: escriba solo el número, sin '$', '%' ni puntos de miles\n",
            en: "content/01-a.md:8:61: error: a whole number goes here, not a text\n8 |       - { id: total, label: Total, type: integer, decimals: dos }\n  |                                                             ^^^\nhint: write the plain number, without '$', '%' or thousands separators\n",
        },
    ]
}

fn report(section: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("content/_index.md"), INDEX).expect("index");
    std::fs::write(dir.path().join("content/01-a.md"), section).expect("section");
    dir
}

#[test]
fn each_yaml_slip_is_named_at_its_place_with_a_fitting_hint_in_both_languages() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = report(&case.text);
        common::expect_messages(dir.path(), case.name, case.es, case.en, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_file_with_five_independent_errors_reports_five() {
    let text = "---\ntitle: Visas\ntables:\n  - id: visas\n    captoin: Visas\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: monet }\n    rows:\n      - [Temporaria, 120]\n  - id: otra\n    caption: Otra\n    columns:\n      - { id: tipo, lable: Tipo }\n      - { id: total, label: Total, type: integer, decimals: dos }\n    rows:\n      - [Temporaria, 120]\ncharts:\n  - id: g\n    table: visas\n    type: barra\n    x: tipo\n    y: total\n    title: G\n---\nTexto.\n";
    let dir = report(text);
    let (code, stderr) = check(dir.path(), &["--lang", "en"]);
    let headers: Vec<&str> = stderr.lines().filter(|l| l.starts_with("content/")).collect();
    assert_eq!(code, 1);
    assert_eq!(
        headers,
        [
            "content/01-a.md:5:5: error: unknown field 'captoin', did you mean 'caption'?",
            "content/01-a.md:8:42: error: unknown value 'monet', did you mean 'money'?",
            "content/01-a.md:14:21: error: unknown field 'lable', did you mean 'label'?",
            "content/01-a.md:15:61: error: a whole number goes here, not a text",
            "content/01-a.md:21:11: error: unknown value 'barra', did you mean 'bar'?",
        ],
        "{stderr}"
    );
    assert!(stderr.contains(", 5 errors,"), "{stderr}");
}

#[test]
fn every_bad_cell_of_every_table_is_reported_in_one_run() {
    let text = "---\ntitle: Visas\ntables:\n  - id: a\n    caption: A\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: integer }\n    rows:\n      - [x, muchas]\n      - [y, 12.5]\n  - id: b\n    caption: B\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: integer }\n    rows:\n      - [x, pocas]\n      - [y, true]\n      - [z, 1, 2]\n---\nTexto.\n";
    let dir = report(text);
    let (code, stderr) = check(dir.path(), &["--lang", "en"]);
    let lines: Vec<&str> =
        stderr.lines().filter(|l| l.starts_with("content/")).map(|l| l.split(": error").next().unwrap_or(l)).collect();
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "content/01-a.md:10:13",
            "content/01-a.md:11:13",
            "content/01-a.md:18:13",
            "content/01-a.md:19:13",
            "content/01-a.md:20:9"
        ],
        "{stderr}"
    );
}

#[test]
fn spanish_names_of_keys_and_values_read_as_their_english_ones() {
    let text = "---\ntítulo: Visas\ntablas:\n  - id: visas\n    título: Visas otorgadas\n    fuente: Departamento de Extranjería\n    nota: Cifras provisorias\n    columnas:\n      - { id: tipo, etiqueta: Tipo }\n      - { id: total, etiqueta: Total, tipo: entero }\n      - { id: monto, etiqueta: Monto, tipo: dinero }\n      - { id: parte, etiqueta: Parte, tipo: porcentaje }\n      - { id: tasa, etiqueta: Tasa, tipo: decimal }\n    filas:\n      - [Temporaria, 120, 5000, 40, 1.5]\n      - [Definitiva, 135, 7000, 60, 2.5]\ngráficos:\n  - { id: g1, tabla: visas, tipo: torta, x: tipo, y: total, título: Torta }\n  - { id: g2, tabla: visas, tipo: barras, x: tipo, y: total, título: Barras }\n  - { id: g3, tabla: visas, tipo: línea, x: tipo, y: [total, monto], título: Línea }\n---\nTexto.\n\n{{ table(id=\"visas\") }}\n";
    let dir = report(text);
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 tabla, 3 gráficos, 0 advertencias, 0 errores"), "{stderr}");
}

#[test]
fn the_section_of_the_primeros_pasos_guide_checks_clean() {
    let guide = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/primeros-pasos.md"))
        .expect("docs/primeros-pasos.md");
    let section = guide.split("```markdown\n").nth(1).and_then(|rest| rest.split("```").next()).expect("example");
    let dir = report(section);
    let (code, stderr) = check(dir.path(), &["--strict"]);
    assert_eq!(code, 0, "{stderr}");
}
