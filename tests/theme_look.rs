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
