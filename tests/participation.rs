//! The participation content kind: a section with `participacion:` — bad
//! input named at file:line:col in both languages (through the real binary),
//! and what a built report shows and publishes.

mod common;

use std::path::Path;
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
            es: "content/02-p.md:8:17: error: la pregunta 'pregunta-1' no tiene respuesta ni estado\n8 |       pregunta: ¿Cuándo?\n  |                 ^\nsugerencia: agregue 'respuesta: …' (y 'respondida: fecha'), o 'estado: en plazo' o 'estado: pendiente'\n",
            en: "content/02-p.md:8:17: error: question 'pregunta-1' has neither an answer nor a status\n8 |       pregunta: ¿Cuándo?\n  |                 ^\nhint: add 'respuesta: …' (and 'respondida: date'), or 'estado: en plazo' or 'estado: pendiente'\n",
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

/// `cuenta check --root <root> [extra…]`: exit code and stderr.
fn check(root: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cuenta"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("run cuenta");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn diagnostics(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.starts_with("cuenta: ")).map(|l| format!("{l}\n")).collect()
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
        for (extra, expected) in [(&[][..], case.es), (&["--lang", "en"][..], case.en)] {
            let (code, stderr) = check(dir.path(), extra);
            let got = diagnostics(&stderr);
            if code != 1 || got != expected {
                failures.push(format!("{} {extra:?}: exit {code}\n--- expected\n{expected}--- got\n{got}", case.name));
            }
        }
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
    assert!(stderr.starts_with("content/_index.md:4:29: error: '21 de mayo' no es una fecha\n"), "{stderr}");
}
