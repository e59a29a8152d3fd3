//! Tables whose rows come from a spreadsheet (`rows_from:`): an .xlsx range
//! made here with rust_xlsxwriter, a CSV as Excel saves it in Chile, an .ods
//! saved by LibreOffice; the defined behaviour of formulas, merged cells,
//! hidden and empty rows and dates; every spreadsheet error with its exact
//! text; and a changed spreadsheet reaching a cached rebuild.

mod common;

use common::{run_cuenta, snapshot, SiteTest};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::path::Path;

const INDEX: &str = "---\ntitle: Informe de prueba\ninstitution: Municipalidad de Prueba\nlanguage: es-CL\nlicence: CC-BY-4.0\n---\nHola.\n";

/// The section that reads `datos/ejecucion.xlsx`; `extra` is added to the table.
fn section(extra: &str) -> String {
    format!(
        "---\ntitle: Ejecución\ntables:\n  - id: ejecucion\n    caption: Ejecución presupuestaria\n    source: SIGFE\n    rows_from: datos/ejecucion.xlsx\n{extra}    columns:\n      - {{ id: programa, label: Programa }}\n      - {{ id: presupuesto, label: Presupuesto, type: money }}\n      - {{ id: ejecutado, label: Ejecutado, type: money }}\n      - {{ id: avance, label: Avance, type: percent, formula: \"ejecutado / presupuesto * 100\" }}\n---\n{{{{ table(id=\"ejecucion\") }}}}\n"
    )
}

/// A report with `section` in content/02-finanzas/ and `files` beside it.
fn report(section: &str, files: &[(&str, Vec<u8>)]) -> SiteTest {
    let t = SiteTest { dir: tempfile::tempdir().expect("temp dir") };
    t.write("content/_index.md", INDEX);
    t.write("content/02-finanzas/01-ejecucion.md", section);
    for (path, bytes) in files {
        let path = t.root().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    t
}

/// Sheet «Ejecución»: header in row 1, data in A2:D8 (with an empty row, a
/// hidden row and a merged note), the total in row 9, a date in F2.
fn ejecucion_xlsx(salud_ejecutado: f64) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Ejecución").expect("name");
    let money = Format::new().set_num_format("$ #,##0");
    for (c, h) in ["Programa", "Presupuesto", "Ejecutado", "Avance"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let rows: [(&str, f64, f64); 3] = [
        ("Salud", 1_234_567.0, salud_ejecutado),
        ("Educación", 2_000_000.0, 1_500_000.0),
        ("Cultura", 500_000.0, 250_000.0),
    ];
    for (i, (name, budget, spent)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        sheet.write_string(r, 0, *name).expect("name");
        sheet.write_number_with_format(r, 1, *budget, &money).expect("budget");
        sheet.write_number_with_format(r, 2, *spent, &money).expect("spent");
        // The value saved with the formula is what Excel would show.
        let shown = format!("{}", spent / budget * 100.0);
        sheet.write_formula(r, 3, Formula::new(format!("=C{0}/B{0}*100", r + 1)).set_result(shown)).expect("formula");
    }
    // Row 5 is empty; row 6 is hidden; row 7 holds text stored as text with
    // Chilean formatting; A8:A8 and B8:D8 hold a merged note row's parts.
    sheet.write_string(5, 0, "Deporte").expect("deporte");
    sheet.write_number(5, 1, 100_000.0).expect("b");
    sheet.write_number(5, 2, 50_000.0).expect("c");
    sheet.set_row_hidden(5).expect("hide");
    sheet.write_string(6, 0, "Vivienda").expect("vivienda");
    sheet.write_string(6, 1, "$ 1.000.000").expect("text money");
    sheet.write_string(6, 2, "(1.234)").expect("negative");
    sheet.write_string(6, 3, "99,8 %").expect("percent");
    sheet.merge_range(7, 0, 7, 1, "Otros (fusionada)", &Format::new()).expect("merge");
    sheet.write_number(7, 2, 10.0).expect("c8");
    sheet.write_string(8, 0, "Total").expect("total");
    sheet.write_formula(8, 1, Formula::new("=SUM(B2:B8)").set_result("4834567")).expect("sum");
    sheet
        .write_formula(8, 2, Formula::new("=SUM(C2:C8)").set_result(format!("{}", salud_ejecutado + 1_798_776.0)))
        .expect("sum");
    sheet
        .write_datetime_with_format(
            1,
            5,
            ExcelDateTime::from_ymd(2019, 12, 31).expect("date"),
            &Format::new().set_num_format("dd-mm-yyyy"),
        )
        .expect("date");
    book.save_to_buffer().expect("xlsx")
}

fn csv_of(t: &SiteTest, id: &str) -> String {
    t.read(&format!("datos/{id}.csv"))
}

#[test]
fn a_table_reads_its_rows_and_total_from_an_xlsx_range() {
    let t = report(
        &section("    sheet: Ejecución\n    range: A2:D9\n    total_from: 9\n"),
        &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1_200_000.0))],
    );
    t.build().success();
    let page = t.read("finanzas-ejecucion.html");
    assert!(page.contains("$\u{a0}1.234.567"), "money figures formatted:\n{page}");
    assert!(page.contains("Deporte"), "a hidden row is read like any other");
    assert!(page.contains("Otros (fusionada)"), "a merged cell's value is in its first cell");
    let csv = csv_of(&t, "ejecucion");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "programa,presupuesto,ejecutado,avance");
    assert!(lines[1].starts_with("Salud,1234567,1200000,97.2"), "the formula's saved value: {}", lines[1]);
    assert_eq!(lines[4], "Deporte,100000,50000,50.0", "the empty row 5 is left out; the hidden row 6 kept");
    assert!(lines[5].starts_with("Vivienda,1000000,-1234,99.8"), "Chilean text read as numbers: {}", lines[5]);
    assert_eq!(lines[6], "Otros (fusionada),,10,", "the other cells of a merge are empty");
    assert_eq!(lines.len(), 7, "the total is no data row: {csv}");
    let package = t.read("datos/datapackage.json");
    assert!(package.contains("\"presupuesto\": 4834567") && package.contains("\"ejecutado\": 2998776"), "{package}");
}

/// One programme whose Avance was saved as 97,2 % before Ejecutado changed.
fn stale_formula_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Salud").expect("a");
    sheet.write_number(0, 1, 1_234_567.0).expect("b");
    sheet.write_number(0, 2, 1_100_000.0).expect("c");
    sheet.write_formula(0, 3, Formula::new("=C1/B1*100").set_result("97.2")).expect("d");
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn a_saved_formula_value_disagreeing_with_the_column_formula_is_a_warning_as_in_yaml() {
    let t = report(&section(""), &[("content/datos/ejecucion.xlsx", stale_formula_xlsx())]);
    let run = t.build().success();
    assert!(
        run.stderr.contains("advertencia: 'Avance' en la fila 'Salud': publicado 97,2 %, calculado 89,1 %"),
        "{}",
        run.stderr
    );
}

#[test]
fn dates_are_shown_day_month_year_in_text_columns() {
    let s = "---\ntitle: Fechas\ntables:\n  - id: cierre\n    caption: Cierre\n    rows_from: datos/ejecucion.xlsx\n    range: F2:F2\n    columns:\n      - { id: fecha, label: Fecha }\n---\n{{ table(id=\"cierre\") }}\n";
    let t = report(s, &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1.0))]);
    t.build().success();
    assert_eq!(csv_of(&t, "cierre"), "fecha\r\n31-12-2019\r\n");
}

/// A CSV as Excel saves it with a Chilean locale: Windows-1252, `;`, decimal
/// comma, figures formatted.
#[test]
fn a_table_reads_chilean_formatted_numbers_from_a_csv_beside_its_section() {
    let csv: Vec<u8> =
        b"Regi\xf3n;Monto;Avance\r\nAys\xe9n;$ 1.234.567;99,8 %\r\n\xd1uble;12.794;(1,5)\r\nTotal;$ 1.247.361;\r\n"
            .to_vec();
    let s = "---\ntitle: Regiones\ntables:\n  - id: regiones\n    caption: Regiones\n    rows_from: regiones.csv\n    range: A2:C3\n    total_from: A4:C4\n    columns:\n      - { id: region, label: Región }\n      - { id: monto, label: Monto, type: money }\n      - { id: avance, label: Avance, type: percent }\n---\n{{ table(id=\"regiones\") }}\n";
    let t = report(s, &[("content/02-finanzas/regiones.csv", csv)]);
    t.build().success();
    assert_eq!(csv_of(&t, "regiones"), "region,monto,avance\r\nAysén,1234567,99.8\r\nÑuble,12794,-1.5\r\n");
    let package = t.read("datos/datapackage.json");
    assert!(package.contains("\"monto\": 1247361"), "the total from row 4: {package}");
}

/// `tests/fixtures/spreadsheets/ejecucion.ods` was saved by LibreOffice 7.4
/// (see tests/fixtures/spreadsheets/README.md).
#[test]
fn a_table_reads_its_rows_from_an_ods_saved_by_libreoffice() {
    let ods = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spreadsheets/ejecucion.ods"))
        .expect("fixture");
    let t = report(
        &section("    range: A2:D4\n    total_from: 5\n").replace("ejecucion.xlsx", "ejecucion.ods"),
        &[("content/datos/ejecucion.ods", ods)],
    );
    t.build().success();
    let csv = csv_of(&t, "ejecucion");
    assert_eq!(
        csv,
        "programa,presupuesto,ejecutado,avance\r\nSalud,1234567,1200000,97.2\r\nEducación,2000000,1500000,75\r\n\
         Cultura,500000,250000,50\r\n"
    );
    let package = t.read("datos/datapackage.json");
    assert!(package.contains("\"presupuesto\": 3734567") && package.contains("\"avance\": 78.99"), "{package}");
}

/// When LibreOffice is installed, the .xlsx made here is converted by it to
/// .ods and to .xls (Excel 97) and read back: the same table every way.
#[test]
fn an_xlsx_converted_to_ods_and_xls_by_libreoffice_gives_the_same_table() {
    let Some(soffice) = ["soffice", "libreoffice"]
        .into_iter()
        .find(|p| std::process::Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        eprintln!("skipped: LibreOffice not installed");
        return;
    };
    let work = tempfile::tempdir().expect("temp");
    std::fs::write(work.path().join("ejecucion.xlsx"), ejecucion_xlsx(1_200_000.0)).expect("write");
    let profile = format!("-env:UserInstallation=file://{}/profile", work.path().display());
    let declared = "    sheet: Ejecución\n    range: A2:D9\n    total_from: 9\n";
    let from_xlsx = report(&section(declared), &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1_200_000.0))]);
    from_xlsx.build().success();
    for (format, filter) in [("ods", "ods"), ("xls", "xls:MS Excel 97")] {
        let out = std::process::Command::new(soffice)
            .args([profile.as_str(), "--headless", "--convert-to", filter, "--outdir"])
            .arg(work.path())
            .arg(work.path().join("ejecucion.xlsx"))
            .output()
            .expect("soffice");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let name = format!("ejecucion.{format}");
        let bytes = std::fs::read(work.path().join(&name)).expect("converted");
        let t =
            report(&section(declared).replace("ejecucion.xlsx", &name), &[(&format!("content/datos/{name}"), bytes)]);
        t.build().success();
        assert_eq!(csv_of(&t, "ejecucion"), csv_of(&from_xlsx, "ejecucion"), "{format}");
    }
}

/// The whole diagnostic in both languages for a report.
fn diagnostics(t: &SiteTest) -> (String, String) {
    let es = t.run(&["check"]);
    assert_eq!(es.code, 1, "{}", es.stderr);
    let en = t.run(&["check", "--lang", "en"]);
    (es.stderr, en.stderr)
}

fn assert_diagnostic(t: &SiteTest, es: &str, en: &str) {
    let (got_es, got_en) = diagnostics(t);
    assert!(got_es.contains(es), "expected:\n{es}\ngot:\n{got_es}");
    assert!(got_en.contains(en), "expected:\n{en}\ngot:\n{got_en}");
}

#[test]
fn a_cell_of_the_wrong_type_is_named_by_file_sheet_and_cell() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Ejecución").expect("name");
    sheet.write_string(1, 0, "Salud").expect("a");
    sheet.write_number(1, 1, 10.0).expect("b");
    sheet.write_number(1, 2, 5.0).expect("c");
    sheet.write_string(2, 0, "Educación").expect("a");
    sheet.write_number(2, 1, 10.0).expect("b");
    sheet.write_string(2, 2, "pendiente").expect("c");
    sheet.write_number(2, 3, 1.0).expect("d");
    let t = report(
        &section("    sheet: Ejecución\n    range: A2:D3\n"),
        &[("content/datos/ejecucion.xlsx", book.save_to_buffer().expect("xlsx"))],
    );
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:7:16: error: datos/ejecucion.xlsx, hoja «Ejecución», celda C3: texto 'pendiente' en la columna numérica 'ejecutado'\n7 |     rows_from: datos/ejecucion.xlsx\n  |                ^^^^^^^^^^^^^^^^^^^^\nsugerencia: deje en la celda solo la cifra ('$ 1.234.567', '99,8 %' y '(1.234)' se aceptan), o vacía si no hay dato\n",
        "content/02-finanzas/01-ejecucion.md:7:16: error: datos/ejecucion.xlsx, sheet «Ejecución», cell C3: text 'pendiente' in numeric column 'ejecutado'\n7 |     rows_from: datos/ejecucion.xlsx\n  |                ^^^^^^^^^^^^^^^^^^^^\nhint: leave only the figure in the cell ('$ 1.234.567', '99,8 %' and '(1.234)' are accepted), or empty it when there is no figure\n",
    );
}

#[test]
fn a_missing_sheet_is_reported_with_the_sheets_there_are() {
    let t = report(
        &section("    sheet: Ejecucion\n    range: A2:D4\n"),
        &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1.0))],
    );
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:8:12: error: la planilla 'datos/ejecucion.xlsx' no tiene la hoja «Ejecucion», ¿quiso decir 'Ejecución'?\n8 |     sheet: Ejecucion\n  |            ^^^^^^^^^\nsugerencia: sus hojas son «Ejecución»\n",
        "content/02-finanzas/01-ejecucion.md:8:12: error: spreadsheet 'datos/ejecucion.xlsx' has no sheet «Ejecucion», did you mean 'Ejecución'?\n8 |     sheet: Ejecucion\n  |            ^^^^^^^^^\nhint: its sheets are «Ejecución»\n",
    );
}

#[test]
fn a_range_outside_the_sheet_says_where_its_data_ends() {
    let t = report(&section("    range: A2:D40\n"), &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1.0))]);
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:8:12: error: el rango A2:D40 sale de los datos de datos/ejecucion.xlsx, hoja «Ejecución», que terminan en la celda F9\n8 |     range: A2:D40\n  |            ^^^^^^\nsugerencia: corrija range: para que abarque solo las celdas de la tabla\n",
        "content/02-finanzas/01-ejecucion.md:8:12: error: range A2:D40 goes past the data of datos/ejecucion.xlsx, sheet «Ejecución», which ends at cell F9\n8 |     range: A2:D40\n  |            ^^^^^^\nhint: correct range: so that it covers only the table's cells\n",
    );
}

#[test]
fn a_formula_without_a_saved_value_asks_to_save_the_file_in_an_office_suite() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Salud").expect("a");
    sheet.write_number(0, 1, 10.0).expect("b");
    sheet.write_number(0, 2, 5.0).expect("c");
    sheet.write_formula(0, 3, Formula::new("=C1/B1*100").set_result("424242")).expect("d");
    // A program wrote the formula and no value, as openpyxl does.
    let xlsx = without_saved_value(&book.save_to_buffer().expect("xlsx"), "<v>424242</v>");
    let t = report(&section(""), &[("content/datos/ejecucion.xlsx", xlsx)]);
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:7:16: error: datos/ejecucion.xlsx, hoja «Sheet1», celda D1: la fórmula =C1/B1*100 no tiene su valor guardado\n7 |     rows_from: datos/ejecucion.xlsx\n  |                ^^^^^^^^^^^^^^^^^^^^\nsugerencia: abra el archivo en Excel o LibreOffice y guárdelo: así queda guardado el valor de cada fórmula\n",
        "content/02-finanzas/01-ejecucion.md:7:16: error: datos/ejecucion.xlsx, sheet «Sheet1», cell D1: formula =C1/B1*100 has no saved value\n7 |     rows_from: datos/ejecucion.xlsx\n  |                ^^^^^^^^^^^^^^^^^^^^\nhint: open the file in Excel or LibreOffice and save it: that stores the value of each formula\n",
    );
}

/// The xlsx with `value` taken out of its first sheet.
fn without_saved_value(xlsx: &[u8], value: &str) -> Vec<u8> {
    use std::io::{Read as _, Write as _};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(bytes).expect("xml");
            assert!(text.contains(value), "{text}");
            bytes = text.replace(value, "").into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn a_path_that_climbs_out_of_content_is_refused() {
    let t = report(
        &section("").replace("datos/ejecucion.xlsx", "../secreto.xlsx"),
        &[("secreto.xlsx", ejecucion_xlsx(1.0))],
    );
    let (es, _) = diagnostics(&t);
    assert!(es.contains("error: ruta no permitida '../secreto.xlsx'"), "{es}");
}

#[cfg(unix)]
#[test]
fn a_spreadsheet_linked_from_outside_content_is_refused() {
    let t = report(&section(""), &[("secreto.xlsx", ejecucion_xlsx(1.0))]);
    std::fs::create_dir_all(t.root().join("content/datos")).expect("mkdir");
    std::os::unix::fs::symlink(t.root().join("secreto.xlsx"), t.root().join("content/datos/ejecucion.xlsx"))
        .expect("link");
    let (es, _) = diagnostics(&t);
    assert!(es.contains("content/datos/ejecucion.xlsx: error: el enlace simbólico apunta fuera de content/"), "{es}");
}

#[test]
fn a_missing_spreadsheet_says_where_it_was_looked_for() {
    let t = report(&section(""), &[]);
    let (es, en) = diagnostics(&t);
    assert!(es.contains("error: no se encuentra la planilla 'datos/ejecucion.xlsx'\n"), "{es}");
    assert!(es.contains("sugerencia: se buscó en content/02-finanzas/datos/ejecucion.xlsx y content/datos/ejecucion.xlsx; la ruta es relativa a la carpeta de la sección o a content/\n"), "{es}");
    assert!(en.contains("error: spreadsheet 'datos/ejecucion.xlsx' not found\n"), "{en}");
}

#[test]
fn a_changed_spreadsheet_reaches_a_cached_rebuild() {
    let declared = "    range: A2:D4\n";
    let t = report(&section(declared), &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1_200_000.0))]);
    t.build().success();
    assert!(t.read("finanzas-ejecucion.html").contains("$\u{a0}1.200.000"));
    std::fs::write(t.root().join("content/datos/ejecucion.xlsx"), ejecucion_xlsx(1_100_000.0)).expect("write");
    t.build().success();
    let fresh = t.root().join("fresh");
    run_cuenta(&["build", "--no-cache", "--output", fresh.to_str().expect("path")], t.root(), &[]).success();
    assert!(t.read("finanzas-ejecucion.html").contains("$\u{a0}1.100.000"), "the page shows the new figure");
    assert_eq!(snapshot(&t.out()), snapshot(&fresh), "a cached rebuild equals a --no-cache build");
}

#[test]
fn without_a_range_the_table_is_every_used_cell_wherever_it_starts() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, (name, n)) in [("Primero", 120.0), ("Segundo", 135.0)].into_iter().enumerate() {
        sheet.write_string(2 + r as u32, 1, name).expect("name");
        sheet.write_number(2 + r as u32, 2, n).expect("figure");
    }
    let s = "---\ntitle: Atenciones\ntables:\n  - id: atenciones\n    caption: Atenciones\n    rows_from: atenciones.xlsx\n    columns:\n      - { id: trimestre, label: Trimestre }\n      - { id: total, label: Total, type: integer }\n---\n{{ table(id=\"atenciones\") }}\n";
    let t = report(s, &[("content/02-finanzas/atenciones.xlsx", book.save_to_buffer().expect("xlsx"))]);
    t.build().success();
    assert_eq!(csv_of(&t, "atenciones"), "trimestre,total\r\nPrimero,120\r\nSegundo,135\r\n");
}

#[test]
fn a_csv_cell_of_the_wrong_type_is_named_by_file_and_cell() {
    let csv = b"Ays\xe9n;n/d\r\n".to_vec();
    let s = "---\ntitle: Regiones\ntables:\n  - id: regiones\n    caption: Regiones\n    rows_from: regiones.csv\n    columns:\n      - { id: region, label: Región }\n      - { id: monto, label: Monto, type: money }\n---\n{{ table(id=\"regiones\") }}\n";
    let t = report(s, &[("content/02-finanzas/regiones.csv", csv)]);
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:6:16: error: regiones.csv, celda B1: texto 'n/d' en la columna numérica 'monto'\n",
        "content/02-finanzas/01-ejecucion.md:6:16: error: regiones.csv, cell B1: text 'n/d' in numeric column 'monto'\n",
    );
}

#[test]
fn a_sheet_named_for_a_csv_is_an_error() {
    let s = "---\ntitle: Regiones\ntables:\n  - id: regiones\n    caption: Regiones\n    rows_from: regiones.csv\n    sheet: Hoja1\n    columns:\n      - { id: region, label: Región }\n---\n{{ table(id=\"regiones\") }}\n";
    let t = report(s, &[("content/02-finanzas/regiones.csv", b"Ays\xe9n\r\n".to_vec())]);
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:7:12: error: 'regiones.csv' es un CSV: no tiene hojas\n7 |     sheet: Hoja1\n  |            ^^^^^\nsugerencia: quite sheet:\n",
        "content/02-finanzas/01-ejecucion.md:7:12: error: 'regiones.csv' is a CSV: it has no sheets\n7 |     sheet: Hoja1\n  |            ^^^^^\nhint: remove sheet:\n",
    );
}

#[test]
fn sheet_fields_without_rows_from_and_rows_twice_are_errors() {
    let t = report(&section("    sheet: Ejecución\n").replace("    rows_from: datos/ejecucion.xlsx\n", ""), &[]);
    let (es, en) = diagnostics(&t);
    assert!(es.contains("error: 'sheet:' solo sirve junto a rows_from:\n"), "{es}");
    assert!(en.contains("error: 'sheet:' only works with rows_from:\n"), "{en}");
    let t = report(
        &section("    rows:\n      - [Salud, 1, 1, ~]\n"),
        &[("content/datos/ejecucion.xlsx", ejecucion_xlsx(1.0))],
    );
    let (es, _) = diagnostics(&t);
    assert!(es.contains("error: la tabla tiene rows: y rows_from: a la vez\n"), "{es}");
}

#[test]
fn a_damaged_spreadsheet_is_an_error_not_a_crash() {
    let t = report(&section(""), &[("content/datos/ejecucion.xlsx", b"PK\x03\x04 no es una planilla".to_vec())]);
    let (es, en) = diagnostics(&t);
    assert!(
        es.contains("error: no se puede leer la planilla 'datos/ejecucion.xlsx': no es un archivo de Excel ni de LibreOffice válido\n"),
        "{es}"
    );
    assert!(es.contains("sugerencia: ábrala en Excel o LibreOffice y guárdela de nuevo como .xlsx u .ods\n"), "{es}");
    assert!(
        en.contains(
            "error: cannot read spreadsheet 'datos/ejecucion.xlsx': it is not a valid Excel or LibreOffice file\n"
        ),
        "{en}"
    );
    assert!(!es.contains("panicked"), "{es}");
}

/// A section whose table `hitos` reads `hitos.<ext>` beside it, with a
/// `date` column.
fn hitos(ext: &str) -> String {
    format!(
        "---\ntitle: Hitos\ntables:\n  - id: hitos\n    caption: Hitos\n    rows_from: hitos.{ext}\n    columns:\n      - {{ id: hito, label: Hito }}\n      - {{ id: dia, label: Día, type: date }}\n---\n{{{{ table(id=\"hitos\") }}}}\n"
    )
}

#[test]
fn a_date_column_shows_sheet_dates_day_first_and_publishes_them_as_iso_dates() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd-mm-yyyy");
    sheet.write_string(0, 0, "Inicio").expect("a");
    sheet.write_datetime_with_format(0, 1, ExcelDateTime::from_ymd(2019, 3, 5).expect("date"), &day).expect("b");
    sheet.write_string(1, 0, "Cierre").expect("a");
    sheet.write_string(1, 1, "31-12-2019").expect("date typed as text, day first");
    let t = report(&hitos("xlsx"), &[("content/02-finanzas/hitos.xlsx", book.save_to_buffer().expect("xlsx"))]);
    t.build().success();
    let page = t.read("finanzas-ejecucion.html");
    assert!(page.contains("<td>05-03-2019</td>") && page.contains("<td>31-12-2019</td>"), "{page}");
    assert_eq!(csv_of(&t, "hitos"), "hito,dia\r\nInicio,2019-03-05\r\nCierre,2019-12-31\r\n");
    assert_eq!(t.read("datos/excel/hitos.csv"), "\u{feff}Hito;Día\r\nInicio;05-03-2019\r\nCierre;31-12-2019\r\n");
    let package = t.read("datos/datapackage.json");
    assert!(package.contains("\"name\": \"dia\"") && package.contains("\"type\": \"date\""), "{package}");
    // The workbook holds a real date with a day-first format.
    use calamine::{Data, Reader};
    let bytes = std::fs::read(t.out().join("datos/tablas.xlsx")).expect("workbook");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    let sheet = book.worksheet_range("hitos").expect("sheet");
    match sheet.get((1, 1)) {
        Some(Data::DateTime(d)) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, day), (2019, 3, 5));
        }
        other => panic!("a date cell, not {other:?}"),
    }
}

#[test]
fn a_cell_that_is_no_date_in_a_date_column_is_named_by_file_and_cell() {
    let t = report(&hitos("csv"), &[("content/02-finanzas/hitos.csv", b"Inicio;pronto\r\n".to_vec())]);
    assert_diagnostic(
        &t,
        "content/02-finanzas/01-ejecucion.md:6:16: error: hitos.csv, celda B1: 'pronto' no es una fecha, y la columna 'dia' es de fechas\n6 |     rows_from: hitos.csv\n  |                ^^^^^^^^^\nsugerencia: escriba la fecha como año-mes-día, por ejemplo 2019-12-31 (la página muestra 31-12-2019)\n",
        "content/02-finanzas/01-ejecucion.md:6:16: error: hitos.csv, cell B1: 'pronto' is not a date, and column 'dia' holds dates\n6 |     rows_from: hitos.csv\n  |                ^^^^^^^^^\nhint: write the date as year-month-day, for example 2019-12-31 (the page shows 31-12-2019)\n",
    );
}
