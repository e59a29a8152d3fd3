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
            name: "a table placed twice on one page",
            files: vec![("content/01-a.md", with_table("", "\n{{ table(id=\"visas\") }}\n\n{{ table(id=\"visas\") }}\n"))],
            es: "content/01-a.md:17:1: error: la tabla 'visas' ya se puso en esta página, en la línea 15\n17 | {{ table(id=\"visas\") }}\n   | ^^^^^^^^^^^^^^^^^^^^^^^\nsugerencia: cada tabla o gráfico va una sola vez por página; en vez de ponerla otra vez, enlace a ella: [tabla](#tabla-visas)\n",
            en: "content/01-a.md:17:1: error: table 'visas' is already placed on this page, at line 15\n17 | {{ table(id=\"visas\") }}\n   | ^^^^^^^^^^^^^^^^^^^^^^^\nhint: each table or chart goes once on a page; instead of placing it again, link to it: [table](#tabla-visas)\n",
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
        Case {
            name: "a logo that is not under content/",
            files: vec![
                ("content/_index.md", "---\ntitle: Informe\nlogo: { image: escudo.png, alt: Gobernación }\n---\n".into()),
                ("content/escudo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>".into()),
            ],
            es: "content/_index.md:3:16: error: la imagen 'escudo.png' de 'logo' no está bajo content/, ¿quiso decir 'escudo.svg'?\n3 | logo: { image: escudo.png, alt: Gobernación }\n  |                ^^^^^^^^^^\nsugerencia: guarde la imagen bajo content/ y escriba su ruta desde ahí, por ejemplo img/escudo.svg\n",
            en: "content/_index.md:3:16: error: the image 'escudo.png' of 'logo' is not under content/, did you mean 'escudo.svg'?\n3 | logo: { image: escudo.png, alt: Gobernación }\n  |                ^^^^^^^^^^\nhint: keep the image under content/ and write its path from there, e.g. img/escudo.svg\n",
        },
        Case {
            name: "a logo without alt text",
            files: vec![
                ("content/_index.md", "---\ntitle: Informe\nlogo:\n  imagen: escudo.svg\n---\n".into()),
                ("content/escudo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>".into()),
            ],
            es: "content/_index.md:4:3: error: 'logo' no tiene texto alternativo ('alt')\n4 |   imagen: escudo.svg\n  |   ^\nsugerencia: escriba en 'alt' lo que dice la imagen, para quien no la ve: alt: Gobernación Provincial de El Loa\n",
            en: "content/_index.md:4:3: error: 'logo' has no alt text ('alt')\n4 |   imagen: escudo.svg\n  |   ^\nhint: write in 'alt' what the image says, for readers who cannot see it: alt: Gobernación Provincial de El Loa\n",
        },
        Case {
            name: "a favicon that is not an image",
            files: vec![
                ("content/_index.md", "---\ntitle: Informe\nfavicon: anexo.pdf\n---\n".into()),
                ("content/anexo.pdf", "%PDF-1.4\n".into()),
            ],
            es: "content/_index.md:3:10: error: 'anexo.pdf' de 'favicon' no es una imagen\n3 | favicon: anexo.pdf\n  |          ^^^^^^^^^\nsugerencia: use un archivo png, jpg, webp o svg\n",
            en: "content/_index.md:3:10: error: 'anexo.pdf' of 'favicon' is not an image\n3 | favicon: anexo.pdf\n  |          ^^^^^^^^^\nhint: use a png, jpg, webp or svg file\n",
        },
        Case {
            name: "a base_url without its final slash",
            files: vec![("content/_index.md", "---\ntitle: Informe\nbase_url: https://www.gob.cl/cuenta\n---\n".into())],
            es: "content/_index.md:3:11: error: 'base_url' debe terminar en '/': 'https://www.gob.cl/cuenta', ¿quiso decir 'https://www.gob.cl/cuenta/'?\n3 | base_url: https://www.gob.cl/cuenta\n  |           ^^^^^^^^^^^^^^^^^^^^^^^^^\nsugerencia: escriba la dirección donde se publicará el sitio, con / al final: https://www.gob.cl/cuenta-2018/\n",
            en: "content/_index.md:3:11: error: 'base_url' must end in '/': 'https://www.gob.cl/cuenta', did you mean 'https://www.gob.cl/cuenta/'?\n3 | base_url: https://www.gob.cl/cuenta\n  |           ^^^^^^^^^^^^^^^^^^^^^^^^^\nhint: write the address where the site will be published, ending in /: https://www.gob.cl/cuenta-2018/\n",
        },
        Case {
            name: "a base_url that is not a web address",
            files: vec![("content/_index.md", "---\ntitle: Informe\nbase_url: www.gob.cl/cuenta/\n---\n".into())],
            es: "content/_index.md:3:11: error: 'www.gob.cl/cuenta/' no es una dirección http o https para 'base_url'\n3 | base_url: www.gob.cl/cuenta/\n  |           ^^^^^^^^^^^^^^^^^^\nsugerencia: escriba la dirección donde se publicará el sitio, con / al final: https://www.gob.cl/cuenta-2018/\n",
            en: "content/_index.md:3:11: error: 'www.gob.cl/cuenta/' is not an http or https address for 'base_url'\n3 | base_url: www.gob.cl/cuenta/\n  |           ^^^^^^^^^^^^^^^^^^\nhint: write the address where the site will be published, ending in /: https://www.gob.cl/cuenta-2018/\n",
        },
        Case {
            name: "a spreadsheet cell of the wrong type",
            files: vec![
                ("content/01-a.md", SHEET_TABLE.into()),
                ("content/visas.csv", "Temporaria;120\nDefinitiva;ciento\n".into()),
            ],
            es: "content/01-a.md:6:16: error: visas.csv, celda B2: texto 'ciento' en la columna numérica 'total'\n6 |     rows_from: visas.csv\n  |                ^^^^^^^^^\nsugerencia: deje en la celda solo la cifra ('$ 1.234.567', '99,8 %' y '(1.234)' se aceptan), o vacía si no hay dato\n",
            en: "content/01-a.md:6:16: error: visas.csv, cell B2: text 'ciento' in numeric column 'total'\n6 |     rows_from: visas.csv\n  |                ^^^^^^^^^\nhint: leave only the figure in the cell ('$ 1.234.567', '99,8 %' and '(1.234)' are accepted), or empty it when there is no figure\n",
        },
        Case {
            name: "a spreadsheet that is not there",
            files: vec![("content/01-a.md", SHEET_TABLE.into())],
            es: "content/01-a.md:6:16: error: no se encuentra la planilla 'visas.csv'\n6 |     rows_from: visas.csv\n  |                ^^^^^^^^^\nsugerencia: se buscó en content/visas.csv; la ruta es relativa a la carpeta de la sección o a content/\n",
            en: "content/01-a.md:6:16: error: spreadsheet 'visas.csv' not found\n6 |     rows_from: visas.csv\n  |                ^^^^^^^^^\nhint: looked for content/visas.csv; the path is relative to the section's folder or to content/\n",
        },
        Case {
            name: "a column group split by another column",
            files: vec![(
                "content/01-a.md",
                with_table("", "")
                    .replace("{ id: tipo, label: Tipo }", "{ id: tipo, label: Tipo, group: Visas }")
                    .replace("{ id: total, label: Total, type: integer }", "{ id: total, label: Total, type: integer }\n      - { id: otra, label: Otra, type: integer, group: Visas }")
                    .replace("[Temporaria, 120]", "[Temporaria, 120, 1]")
                    .replace("[Definitiva, 135]", "[Definitiva, 135, 2]"),
            )],
            es: "content/01-a.md:9:56: error: las columnas del grupo 'Visas' no están juntas: otra columna las separa de 'tipo'\n9 |       - { id: otra, label: Otra, type: integer, group: Visas }\n  |                                                        ^^^^^\nsugerencia: ponga seguidas las columnas de un mismo grupo, o dé otro nombre al segundo grupo\n",
            en: "content/01-a.md:9:56: error: the columns of group 'Visas' are not side by side: another column separates them from 'tipo'\n9 |       - { id: otra, label: Otra, type: integer, group: Visas }\n  |                                                        ^^^^^\nhint: put the columns of one group next to each other, or give the second group another name\n",
        },
        Case {
            name: "link to an anchor that is not on its page",
            files: vec![
                ("content/01-a.md", "---\ntitle: A\n---\nVer [acciones](03-seguridad.md#accion).\n".into()),
                ("content/03-seguridad.md", "---\ntitle: Seguridad\n---\n## Acciones\n".into()),
            ],
            es: "content/01-a.md:4:5: error: el enlace lleva a '03-seguridad.md#accion', un ancla que no existe, ¿quiso decir '03-seguridad.md#acciones'?\n4 | Ver [acciones](03-seguridad.md#accion).\n  |     ^\nsugerencia: un ancla nombra un título de la página (#acciones), una nota, una tabla (#tabla-visas) o un gráfico; #4.1 lleva a la sección o capítulo con ese número y #seguridad a la sección con ese nombre de página\n",
            en: "content/01-a.md:4:5: error: the link leads to '03-seguridad.md#accion', an anchor that does not exist, did you mean '03-seguridad.md#acciones'?\n4 | Ver [acciones](03-seguridad.md#accion).\n  |     ^\nhint: an anchor names a heading of the page (#acciones), a note, a table (#tabla-visas) or a chart; #4.1 leads to the section or chapter with that number and #seguridad to the section with that page name\n",
        },
        Case {
            name: "cross-reference to a number no section has",
            files: vec![
                ("content/_index.md", "---\ntitle: Informe\nyear: 2018\nnumbering: auto\n---\n".into()),
                ("content/01-a.md", "---\ntitle: A\n---\nVer la [sección 2](#3).\n".into()),
                ("content/02-b.md", "---\ntitle: B\n---\n".into()),
            ],
            es: "content/01-a.md:4:8: error: el enlace lleva a '#3', un ancla que no existe, ¿quiso decir '#1'?\n4 | Ver la [sección 2](#3).\n  |        ^\nsugerencia: un ancla nombra un título de la página (#acciones), una nota, una tabla (#tabla-visas) o un gráfico; #4.1 lleva a la sección o capítulo con ese número y #seguridad a la sección con ese nombre de página\n",
            en: "content/01-a.md:4:8: error: the link leads to '#3', an anchor that does not exist, did you mean '#1'?\n4 | Ver la [sección 2](#3).\n  |        ^\nhint: an anchor names a heading of the page (#acciones), a note, a table (#tabla-visas) or a chart; #4.1 leads to the section or chapter with that number and #seguridad to the section with that page name\n",
        },
    ]
}

/// A section whose table `visas` takes its rows from `visas.csv` (line 6).
const SHEET_TABLE: &str = "---\ntitle: Visas\ntables:\n  - id: visas\n    caption: Visas\n    rows_from: visas.csv\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: integer }\n---\nTexto.\n";

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
