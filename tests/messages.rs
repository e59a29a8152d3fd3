//! Every error names `file:line:col`, quotes the line with a marker under the
//! culprit, and says how to fix it, in Spanish by default and in English with
//! `--lang en`. One tiny report per defect, checked through the real binary.

mod common;

use common::check;

const INDEX: &str = "---\ntitle: Informe\nyear: 2019\n---\nHola.\n";

/// A section with one table, `visas`, at lines 3-11; `extra` goes after it.
fn with_table(extra_front: &str, body: &str) -> String {
    format!(
        "---\ntitle: Visas\ntables:\n  - id: visas\n    caption: Visas\n    columns:\n      - {{ id: tipo, label: Tipo }}\n      - {{ id: total, label: Total, type: integer }}\n    rows:\n      - [Temporaria, 120]\n      - [Definitiva, 135]\n{extra_front}---\nTexto.\n{body}"
    )
}

struct Case {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    /// The whole diagnostic: header, quoted line, marker, hint.
    es: &'static str,
    en: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unknown front-matter field, with a suggestion",
            files: vec![("content/01-a.md", "---\ntitel: Visas\nweight: 1\n---\nTexto.\n".into())],
            es: "content/01-a.md:2:1: error: campo desconocido 'titel', ¿quiso decir 'title'?\n2 | titel: Visas\n  | ^^^^^\nsugerencia: los campos posibles son 'title', 'weight', 'summary', 'slug', 'number', 'tables', 'charts', 'participacion', 'checks'\n",
            en: "content/01-a.md:2:1: error: unknown field 'titel', did you mean 'title'?\n2 | titel: Visas\n  | ^^^^^\nhint: expected one of 'title', 'weight', 'summary', 'slug', 'number', 'tables', 'charts', 'participacion', 'checks'\n",
        },
        Case {
            name: "unclosed front matter",
            files: vec![("content/01-a.md", "---\ntitle: Visas\nweight: 1\nTexto.\n".into())],
            es: "content/01-a.md:1:1: error: el encabezado YAML que empieza aquí no se cierra con '---'\n1 | ---\n  | ^^^\nsugerencia: agregue una línea con solo '---' después del último campo, antes del texto\n",
            en: "content/01-a.md:1:1: error: the front matter that starts here is not closed with '---'\n1 | ---\n  | ^^^\nhint: add a line with just '---' after the last field, before the text\n",
        },
        Case {
            name: "tab in YAML",
            files: vec![("content/01-a.md", "---\ntitle: Visas\ntables:\n  - id: visas\n\tcaption: Visas\n---\nTexto.\n".into())],
            es: "content/01-a.md:5:1: error: YAML no admite tabulaciones para sangrar\n5 |  caption: Visas\n  | ^\nsugerencia: reemplace la tabulación por espacios, dos por cada nivel de sangría\n",
            en: "content/01-a.md:5:1: error: YAML does not allow tabs for indentation\n5 |  caption: Visas\n  | ^\nhint: replace the tab with spaces, two for each level of indentation\n",
        },
        Case {
            name: "unknown table in a placement",
            files: vec![("content/01-a.md", with_table("", "\n{{ table(id=\"visa\") }}\n"))],
            es: "content/01-a.md:15:1: error: tabla desconocida 'visa', ¿quiso decir 'visas'?\n15 | {{ table(id=\"visa\") }}\n   | ^^^^^^^^^^^^^^^^^^^^^^\nsugerencia: use el 'id' de una tabla declarada en el encabezado\n",
            en: "content/01-a.md:15:1: error: unknown table 'visa', did you mean 'visas'?\n15 | {{ table(id=\"visa\") }}\n   | ^^^^^^^^^^^^^^^^^^^^^^\nhint: use the 'id' of a table declared in front matter\n",
        },
        Case {
            name: "unknown column in a chart",
            files: vec![("content/01-a.md", with_table("charts:\n  - id: visas-grafico\n    table: visas\n    type: bar\n    x: tipo\n    y: totl\n    title: Visas\n", ""))],
            es: "content/01-a.md:17:8: error: la tabla 'visas' no tiene la columna 'totl', ¿quiso decir 'total'?\n17 |     y: totl\n   |        ^^^^\nsugerencia: use el 'id' de una de sus columnas\n",
            en: "content/01-a.md:17:8: error: table 'visas' has no column 'totl', did you mean 'total'?\n17 |     y: totl\n   |        ^^^^\nhint: use the 'id' of one of its columns\n",
        },
        Case {
            name: "a comparison in a formula",
            files: vec![("content/01-a.md", "---\ntitle: Visas\ntables:\n  - id: visas\n    caption: Visas\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: integer }\n      - { id: alto, label: Alto, type: integer, formula: \"total > 1\" }\n    rows:\n      - [Temporaria, 120, ~]\n---\nTexto.\n".into())],
            es: "content/01-a.md:9:65: error: fórmula inválida: '>' no es parte de una fórmula\n9 |       - { id: alto, label: Alto, type: integer, formula: \"total > 1\" }\n  |                                                                 ^\nsugerencia: use ids de columnas, números, + - * / ( ), sum(columna) y share(columna), por ejemplo \"gastado / aprobado * 100\"\n",
            en: "content/01-a.md:9:65: error: invalid formula: '>' is no part of a formula\n9 |       - { id: alto, label: Alto, type: integer, formula: \"total > 1\" }\n  |                                                                 ^\nhint: use column ids, numbers, + - * / ( ), sum(column) and share(column), e.g. \"spent / approved * 100\"\n",
        },
        Case {
            name: "a near miss of a known unit",
            files: vec![("content/01-a.md", "---\ntitle: Visas\ntables:\n  - id: visas\n    caption: Visas\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: monto, label: Monto, type: money, unit: m$ }\n    rows:\n      - [Temporaria, 120]\n---\nTexto.\n".into())],
            es: "content/01-a.md:8:55: error: unidad no válida 'm$', ¿quiso decir 'M$'?\n8 |       - { id: monto, label: Monto, type: money, unit: m$ }\n  |                                                       ^^\nsugerencia: use una unidad corta como M$, MM$, US$, UF, UTM, m², km, días o personas\n",
            en: "content/01-a.md:8:55: error: invalid unit 'm$', did you mean 'M$'?\n8 |       - { id: monto, label: Monto, type: money, unit: m$ }\n  |                                                       ^^\nhint: use a short unit such as M$, MM$, US$, UF, UTM, m², km, días or personas\n",
        },
        Case {
            name: "a check naming an unknown table",
            files: vec![("content/01-a.md", with_table("checks:\n  - { figure: visas.Temporaria.total, equals: visa.Temporaria.total }\n", ""))],
            es: "content/01-a.md:13:47: error: tabla desconocida 'visa', ¿quiso decir 'visas'?\n13 |   - { figure: visas.Temporaria.total, equals: visa.Temporaria.total }\n   |                                               ^^^^^^^^^^^^^^^^^^^^^\nsugerencia: use el 'id' de una tabla declarada en el encabezado\n",
            en: "content/01-a.md:13:47: error: unknown table 'visa', did you mean 'visas'?\n13 |   - { figure: visas.Temporaria.total, equals: visa.Temporaria.total }\n   |                                               ^^^^^^^^^^^^^^^^^^^^^\nhint: use the 'id' of a table declared in front matter\n",
        },
        Case {
            name: "a decimal comma in a numeric cell",
            files: vec![("content/01-a.md", with_table("      - [Otra, 99,8]\n", ""))],
            es: "content/01-a.md:12:16: error: '99,8' usa coma decimal; use punto decimal: 99.8\n12 |       - [Otra, 99,8]\n   |                ^^^^\nsugerencia: en YAML la coma separa celdas: escriba 99.8; la página lo mostrará con coma\n",
            en: "content/01-a.md:12:16: error: '99,8' uses a decimal comma; use a decimal point: 99.8\n12 |       - [Otra, 99,8]\n   |                ^^^^\nhint: in YAML a comma separates cells: write 99.8; the page shows it in the report's locale\n",
        },
        Case {
            name: "row with the wrong number of cells",
            files: vec![("content/01-a.md", with_table("      - [Otra, 5, 7]\n", ""))],
            es: "content/01-a.md:12:9: error: la fila tiene 3 celdas y la tabla 2 columnas\n12 |       - [Otra, 5, 7]\n   |         ^\nsugerencia: agregue o quite celdas; use ~ para una celda vacía\n",
            en: "content/01-a.md:12:9: error: the row has 3 cells but the table has 2 columns\n12 |       - [Otra, 5, 7]\n   |         ^\nhint: add or remove cells; use ~ for an empty cell\n",
        },
        Case {
            name: "text in a numeric column",
            files: vec![("content/01-a.md", with_table("      - [Otra, muchas]\n", ""))],
            es: "content/01-a.md:12:16: error: texto 'muchas' en la columna numérica 'total'\n12 |       - [Otra, muchas]\n   |                ^^^^^^\nsugerencia: escriba solo el número, sin '$', '%' ni puntos de miles; use ~ si no hay dato\n",
            en: "content/01-a.md:12:16: error: text 'muchas' in numeric column 'total'\n12 |       - [Otra, muchas]\n   |                ^^^^^^\nhint: write the plain number, without '$', '%' or thousands separators; use ~ when there is no figure\n",
        },
        Case {
            name: "12.794 in an integer column",
            files: vec![("content/01-a.md", with_table("      - [Otra, 12.794]\n", ""))],
            es: "content/01-a.md:12:16: error: '12.794' se lee como número con decimales, pero la columna es entera\n12 |       - [Otra, 12.794]\n   |                ^^^^^^\nsugerencia: si el punto separa los miles, escriba el número sin él: 12794\n",
            en: "content/01-a.md:12:16: error: '12.794' reads as a decimal number, but the column holds whole numbers\n12 |       - [Otra, 12.794]\n   |                ^^^^^^\nhint: if the point separates thousands, write the number without it: 12794\n",
        },
        Case {
            name: "formula naming an unknown column",
            files: vec![(
                "content/01-a.md",
                "---\ntitle: Visas\ntables:\n  - id: visas\n    caption: Visas\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: integer }\n      - { id: doble, label: Doble, type: integer, formula: totl * 2 }\n    rows:\n      - [Temporaria, 120, ~]\n---\nTexto.\n".into(),
            )],
            es: "content/01-a.md:9:60: error: la fórmula nombra la columna desconocida 'totl', ¿quiso decir 'total'?\n9 |       - { id: doble, label: Doble, type: integer, formula: totl * 2 }\n  |                                                            ^^^^\nsugerencia: use el 'id' de una columna numérica de la misma tabla\n",
            en: "content/01-a.md:9:60: error: the formula names unknown column 'totl', did you mean 'total'?\n9 |       - { id: doble, label: Doble, type: integer, formula: totl * 2 }\n  |                                                            ^^^^\nhint: use the 'id' of a numeric column of the same table\n",
        },
        Case {
            name: "duplicate table id",
            files: vec![("content/01-a.md", with_table("", "")), ("content/02-b.md", with_table("", "").replace("title: Visas", "title: Otra"))],
            es: "content/02-b.md:4:9: error: tabla 'visas' repetida; ya está definida en content/01-a.md:4\n4 |   - id: visas\n  |         ^^^^^\nsugerencia: cada identificador debe ser único en el informe; cambie uno de los dos\n",
            en: "content/02-b.md:4:9: error: duplicate table id 'visas', first defined at content/01-a.md:4\n4 |   - id: visas\n  |         ^^^^^\nhint: ids must be unique in the report; rename one of them\n",
        },
        Case {
            name: "a link that could run script in a cell",
            files: vec![("content/01-a.md", with_table("      - [\"[clic](javascript:alert(1))\", 5]\n", ""))],
            es: "content/01-a.md:12:10: error: enlace no permitido 'javascript:alert(1)': podría ejecutar código en el sitio\n12 |       - [\"[clic](javascript:alert(1))\", 5]\n   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^\nsugerencia: use una dirección http, https, mailto o tel, o una ruta relativa\n",
            en: "content/01-a.md:12:10: error: link not allowed 'javascript:alert(1)': it could run code on the site\n12 |       - [\"[clic](javascript:alert(1))\", 5]\n   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^\nhint: use an http, https, mailto or tel address, or a relative path\n",
        },
        Case {
            name: "unknown placement function",
            files: vec![("content/01-a.md", with_table("", "\n{{ tabla(id=\"visas\") }}\n"))],
            es: "content/01-a.md:15:1: error: función desconocida 'tabla', ¿quiso decir 'table'?\n15 | {{ tabla(id=\"visas\") }}\n   | ^^^^^^^^^^^^^^^^^^^^^^^\nsugerencia: use table(id=\"…\"), chart(id=\"…\") o figure(table=\"…\", row=\"…\", col=\"…\")\n",
            en: "content/01-a.md:15:1: error: unknown function 'tabla', did you mean 'table'?\n15 | {{ tabla(id=\"visas\") }}\n   | ^^^^^^^^^^^^^^^^^^^^^^^\nhint: use table(id=\"…\"), chart(id=\"…\") or figure(table=\"…\", row=\"…\", col=\"…\")\n",
        },
        Case {
            name: "link to a section file that does not exist",
            files: vec![
                ("content/01-a.md", "---\ntitle: A\n---\nVer [seguridad](03-seguridd.md).\n".into()),
                ("content/03-seguridad.md", "---\ntitle: Seguridad\n---\n".into()),
            ],
            es: "content/01-a.md:4:5: error: el enlace lleva a '03-seguridd.md', que no está en el informe, ¿quiso decir '03-seguridad.md'?\n4 | Ver [seguridad](03-seguridd.md).\n  |     ^\nsugerencia: enlace a otra sección por su archivo (../03-seguridad.md) o su página (seguridad.html), o a un archivo guardado bajo content/\n",
            en: "content/01-a.md:4:5: error: the link leads to '03-seguridd.md', which is not in the report, did you mean '03-seguridad.md'?\n4 | Ver [seguridad](03-seguridd.md).\n  |     ^\nhint: link another section by its file (../03-seguridad.md) or page (seguridad.html), or a file kept under content/\n",
        },
    ]
}

#[test]
fn each_error_names_its_place_quotes_the_line_and_says_how_to_fix_it_in_both_languages() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content/_index.md"), INDEX).expect("index");
        for (rel, text) in &case.files {
            std::fs::write(dir.path().join(rel), text).expect("write");
        }
        common::expect_messages(dir.path(), case.name, case.es, case.en, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_summary_line_counts_errors_in_the_chosen_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    std::fs::write(dir.path().join("content/_index.md"), INDEX).expect("index");
    std::fs::write(dir.path().join("content/01-a.md"), with_table("      - [Otra, 12.794]\n      - [Más, 5, 6]\n", ""))
        .expect("write");
    let (_, es) = check(dir.path(), &[]);
    assert!(
        es.lines()
            .last()
            .is_some_and(|l| l.starts_with("cuenta: 0 páginas, 0 tablas, 0 gráficos, 0 advertencias, 2 errores, ")),
        "{es}"
    );
    let (_, en) = check(dir.path(), &["--lang", "en"]);
    assert!(
        en.lines().last().is_some_and(|l| l.starts_with("cuenta: 0 pages, 0 tables, 0 charts, 0 warnings, 2 errors, ")),
        "{en}"
    );
}
