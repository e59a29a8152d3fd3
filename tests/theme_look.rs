//! What an office changes in the theme without copying templates: a theme's
//! interface strings override only the keys they define, and a theme's
//! `static/extra.css` loads after the default stylesheet.

mod common;

use common::SiteTest;

#[test]
fn a_one_key_strings_override_changes_that_key_and_keeps_every_other() {
    let t = SiteTest::fixture("minimal");
    t.write("themes/default/i18n/es.yaml", "search_placeholder: \"Busque en la cuenta\"\n");
    let run = t.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = t.read("index.html");
    assert!(home.contains("placeholder=\"Busque en la cuenta\""), "the theme's key is used");
    assert!(home.contains(">Saltar al contenido</a>"), "the built-in keys are kept");
}

#[test]
fn a_named_theme_overrides_strings_over_the_report_default_theme_over_the_built_in() {
    let t = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replacen("---\n", "---\ntheme: oficina\n", 1));
    t.write("themes/default/i18n/es.yaml", "skip_link: \"Ir al texto\"\nsearch_placeholder: \"Uno\"\n");
    t.write("themes/oficina/i18n/es.yaml", "search_placeholder: \"Dos\"\n");
    let run = t.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = t.read("index.html");
    assert!(home.contains("placeholder=\"Dos\""), "the named theme wins");
    assert!(home.contains(">Ir al texto</a>"), "the report's default theme comes next");
    assert!(home.contains(">Buscar en este informe</label>"), "built-in keys remain");
}

#[test]
fn a_theme_extra_css_loads_after_the_default_stylesheet() {
    let t = SiteTest::fixture("minimal");
    t.build().success();
    assert!(!t.read("index.html").contains("extra.css"), "no link without the file");
    t.write("themes/default/static/extra.css", ".site-header { background: #0f69b4; }\n");
    t.build().success();
    let home = t.read("index.html");
    let style = home.find("style.css").expect("default stylesheet");
    let extra = home.find("extra.css").expect("extra stylesheet linked");
    assert!(style < extra, "extra.css comes after style.css");
    assert_eq!(t.read("assets/extra.css"), ".site-header { background: #0f69b4; }\n");
    assert!(t.read("unica.html").contains("extra.css"), "on every page");
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir").to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

/// `cuenta theme export ARGS…`.
fn export(args: &[&str]) -> common::Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cuenta"))
        .args(["theme", "export"])
        .args(args)
        .output()
        .expect("run cuenta");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn an_exported_theme_builds_the_same_site_and_is_not_exported_twice() {
    let t = SiteTest::fixture("minimal");
    t.write(
        "content/02-cifras.md",
        "---\ntitle: Datos\ntables:\n  - id: visas\n    caption: Visas\n    columns:\n      - { id: tipo, label: Tipo }\n      - { id: total, label: Total, type: integer }\n    rows:\n      - [Temporaria, 120]\n      - [Definitiva, 135]\ncharts:\n  - { id: visas-g, table: visas, type: bar, x: tipo, y: total, title: Visas }\n---\nTexto.\n",
    );
    let before = tempfile::tempdir().expect("temp dir");
    let run =
        common::run_cuenta(&["build", "--no-cache", "--output", before.path().to_str().expect("utf-8")], t.root(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let theme = t.root().join("themes/exportado");
    let run = export(&[theme.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().any(|l| l.ends_with("templates/base.html")), "{}", run.stdout);
    assert!(theme.join("static/style.css").is_file() && theme.join("i18n/es.yaml").is_file());

    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replacen("---\n", "---\ntheme: exportado\n", 1));
    let after = tempfile::tempdir().expect("temp dir");
    let run =
        common::run_cuenta(&["build", "--no-cache", "--output", after.path().to_str().expect("utf-8")], t.root(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (a, b) = (files(before.path()), files(after.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, bytes) in &a {
        assert!(b[rel] == *bytes, "{rel} differs after building with the exported theme");
    }

    let again = export(&[theme.to_str().expect("utf-8"), "--lang", "en"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists; choose another folder or delete it"), "{}", again.stderr);
}

#[test]
fn the_gobierno_de_chile_palette_colours_the_stylesheet_and_a_rebuild_follows_a_change() {
    let t = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.build().success();
    let plain = t.read("assets/style.css");
    assert!(!plain.contains("palette"), "no palette, the theme's colours");
    t.write("content/_index.md", &index.replacen("---\n", "---\npalette: gobierno-de-chile\n", 1));
    t.build().success();
    let css = t.read("assets/style.css");
    assert!(css.starts_with(&plain), "the palette is appended");
    assert!(
        css.contains("--head-bg:#0f69b4;--link:#0f69b4") && css.contains("#0f69b4 0 40%,#eb3c46 40% 100%"),
        "{css}"
    );
    t.write(
        "content/_index.md",
        &index.replacen("---\n", "---\npalette: gobierno-de-chile\ncolors:\n  primary: \"#005a9c\"\n", 1),
    );
    t.build().success();
    assert!(t.read("assets/style.css").contains("--head-bg:#005a9c"), "a cached rebuild follows the change");
}

#[test]
fn a_colour_pair_under_four_and_a_half_to_one_is_an_error_naming_the_pair_and_ratio() {
    let t = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replacen("---\n", "---\ncolors:\n  text: \"#777777\"\n", 1));
    let es = t.run(&["check"]);
    assert_eq!(es.code, 1);
    assert!(
        es.stderr.starts_with(
            "content/_index.md:3:9: error: text sobre background tiene contraste 4.48:1, menos que 4.5:1\n"
        ),
        "{}",
        es.stderr
    );
    let en = t.run(&["check", "--lang", "en"]);
    assert!(en.stderr.contains("error: text on background has contrast 4.48:1, under 4.5:1\n"), "{}", en.stderr);
    t.write("content/_index.md", &index.replacen("---\n", "---\ncolors:\n  primary: \"#7fb2e5\"\n", 1));
    let run = t.run(&["check", "--lang", "en"]);
    assert!(run.stderr.contains("error: primary on background has contrast 2.23:1, under 4.5:1"), "{}", run.stderr);
}

#[test]
fn the_office_contact_is_in_every_footer_only_when_set() {
    let t = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.build().success();
    assert!(!t.read("index.html").contains("footer-contact"));
    let contact = "contact:\n  address: Calle 21 de Mayo 1260, Tocopilla\n  email: oirs@tocopilla.gob.cl\n  phone: +56 55 281 1234\n";
    t.write("content/_index.md", &index.replacen("---\n", &format!("---\n{contact}"), 1));
    t.build().success();
    for page in ["index.html", "unica.html"] {
        let html = t.read(page);
        assert!(html.contains("Contacto (OIRS): Calle 21 de Mayo 1260, Tocopilla"), "{page}");
        assert!(html.contains("<a href=\"mailto:oirs@tocopilla.gob.cl\">oirs@tocopilla.gob.cl</a>"), "{page}");
        assert!(html.contains("<a href=\"tel:+56552811234\">+56 55 281 1234</a>"), "{page}");
    }
}

#[test]
fn the_favicon_is_drawn_from_the_palette_unless_the_theme_ships_one() {
    let t = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.build().success();
    assert!(t.read("index.html").contains("favicon.svg\" type=\"image/svg+xml\">"), "every page links it");
    assert!(t.read("assets/favicon.svg").contains("fill=\"#0b3d6e\""), "the theme's colours without a palette");
    t.write("content/_index.md", &index.replacen("---\n", "---\npalette: gobierno-de-chile\n", 1));
    t.build().success();
    let icon = t.read("assets/favicon.svg");
    assert!(icon.contains("fill=\"#0f69b4\"") && icon.contains("fill=\"#eb3c46\""), "{icon}");
    t.write("themes/default/static/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    t.build().success();
    assert_eq!(t.read("assets/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
}

#[test]
fn the_search_example_is_a_word_of_this_report() {
    let t = SiteTest::fixture("minimal");
    t.build().success();
    let home = t.read("index.html");
    assert!(home.contains("placeholder=\"Por ejemplo: sección\""), "the first section is 'Única sección'");
    assert!(!home.contains("regularización"), "no word of another report");
}
