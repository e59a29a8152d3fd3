//! The pipeline end to end on small fixture reports (issue 2).

mod common;

use common::{run_cuenta, snapshot, SiteTest};

#[test]
fn builds_home_and_one_flat_page_per_section() {
    let t = SiteTest::fixture("minimal");
    let run = t.build().success();
    assert!(
        run.stderr.contains("cuenta: 6 páginas, 0 tablas, 0 gráficos, 0 advertencias, 0 errores"),
        "{}",
        run.stderr
    );
    for page in [
        "index.html",
        "unica.html",
        "informe-completo.html",
        "datos.html",
        "accesibilidad.html",
        "search-index.js",
        "assets/style.css",
        "cuenta-publica-2019.zip",
        ".cuenta-output",
    ] {
        assert!(t.out().join(page).is_file(), "{page} missing");
    }
    let section = t.read("unica.html");
    assert!(section.contains("<h2 id=\"un-encabezado\">Un encabezado</h2>"), "{section}");
    assert!(section.contains("lang=\"es-CL\""));
}

#[test]
fn nested_folders_and_weights_order_sections_and_name_pages() {
    let t = SiteTest::fixture("report");
    t.build().success();
    let home = t.read("index.html");
    let a = home.find("visas.html").expect("first section linked");
    let b = home.find("datos-presupuesto.html").expect("nested section linked with joined slug");
    assert!(a < b, "weight orders sections");
}

#[test]
fn every_emitted_link_is_relative() {
    let t = SiteTest::fixture("report");
    t.build().success();
    for (path, bytes) in snapshot(&t.out()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').expect("closing quote")];
                assert!(!url.starts_with('/') && !url.contains("://"), "{path}: {attr}{url}");
                assert!(!url.ends_with('/'), "{path}: folder URL {url} does not resolve from file://");
            }
        }
    }
}

#[test]
fn a_report_theme_overrides_one_template_and_falls_back_for_the_rest() {
    let t = SiteTest::fixture("report");
    t.build().success();
    assert!(t.read("index.html").contains("class=\"portada-propia\""), "override used");
    assert!(t.read("visas.html").contains("class=\"skip-link\""), "default section template used");
}

#[test]
fn unknown_front_matter_key_names_file_line_and_suggests() {
    let t = SiteTest::fixture("minimal");
    t.write("content/01-unica.md", "---\ntitle: Única\nweigth: 2\n---\nTexto\n");
    let run = t.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/01-unica.md:3:1: error: unknown field 'weigth', did you mean 'weight'?\n3 | weigth: 2\n  | ^^^^^^\n"), "{}", run.stderr);
    assert!(run.stderr.contains("cuenta: 0 pages"), "{}", run.stderr);
}

#[test]
fn yaml_errors_count_lines_from_the_top_of_the_file() {
    let t = SiteTest::fixture("minimal");
    t.write("content/01-unica.md", "---\ntitle: Única\ntables:\n  - id: x\n    caption: [roto\n---\n");
    let run = t.run(&["check"]);
    assert_eq!(run.code, 1);
    let first = run.stderr.lines().next().expect("a message");
    assert!(first.starts_with("content/01-unica.md:6:") || first.starts_with("content/01-unica.md:5:"), "{first}");
}

#[test]
fn check_writes_nothing_and_ends_with_the_summary() {
    let t = SiteTest::fixture("report");
    let run = t.run(&["check"]).success();
    assert!(!t.out().exists());
    let last = run.stderr.lines().last().expect("summary");
    assert!(last.starts_with("cuenta: 9 páginas, 3 tablas, 5 gráficos, 2 advertencias, 0 errores, "), "{last}");
    assert!(last.ends_with(" ms"));
}

#[test]
fn strict_turns_warnings_into_a_failed_build_that_writes_nothing() {
    let t = SiteTest::fixture("report");
    let out = t.out();
    let run = t.run(&["build", "--strict", "--output", out.to_str().expect("path")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let t = SiteTest::fixture("report");
    let one = t.root().join("one");
    let many = t.root().join("many");
    let r1 = run_cuenta(&["build", "--output", one.to_str().expect("path")], t.root(), &[("RAYON_NUM_THREADS", "1")]);
    let r2 = run_cuenta(&["build", "--output", many.to_str().expect("path")], t.root(), &[("RAYON_NUM_THREADS", "8")]);
    r1.success();
    r2.success();
    let (a, b) = (snapshot(&one), snapshot(&many));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let t = SiteTest::fixture("report");
    t.build().success();
    let before = snapshot(&t.out());
    t.write("content/01-visas.md", "---\ntitle: Roto\ntables:\n  - id: visas\n---\n");
    let run = t.build();
    assert_eq!(run.code, 1);
    assert_eq!(snapshot(&t.out()), before);
    let siblings: Vec<_> = std::fs::read_dir(t.root())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".cuenta-tmp") || n.contains(".cuenta-old"))
        .collect();
    assert!(siblings.is_empty(), "no temporary folders left: {siblings:?}");
}

#[test]
fn refuses_to_replace_a_folder_cuenta_did_not_create() {
    let t = SiteTest::fixture("minimal");
    t.write("output/tesis.docx", "irreemplazable");
    let run = t.build();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("refusing to replace a folder that cuenta did not create"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(t.out().join("tesis.docx")).expect("kept"), "irreemplazable");
    std::fs::remove_file(t.out().join("tesis.docx")).expect("rm");
    t.build().success();
    t.build().success();
}
