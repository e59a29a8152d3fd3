//! Issue 21: hostile and unlucky input through the real binary — absurd
//! `--jobs`, links that could run script, spreadsheet formulas in the
//! exported CSV, a theme folder linked from outside, an edited output/.

mod common;

use common::SiteTest;

#[test]
fn an_absurd_jobs_count_is_lowered_with_a_message_not_an_abort() {
    let site = SiteTest::fixture("minimal");
    let out = site.out();
    let run = site.run(&["build", "--jobs", "30000", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("cuenta: --jobs 30000 no es posible en este equipo; se usan "), "{}", run.stderr);
    let run = site.run(&["build", "--jobs", "30000", "--lang", "en", "--output", out.to_str().expect("utf-8")]);
    assert!(run.stderr.contains("cuenta: --jobs 30000 is not possible on this machine; using "), "{}", run.stderr);
}

/// Every byte below 0x20 but tab, LF and CR, DEL, and C1 controls.
fn control_chars(text: &str) -> Vec<char> {
    text.chars().filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')).collect()
}

#[test]
fn control_characters_in_the_content_never_reach_a_page() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/01-unica.md",
        "---\ntitle: \"Única\\x07 sección\"\ntables:\n  - id: t\n    caption: \"Tabla\\x1b[31m\"\n    columns:\n      - { id: a, label: \"A\\u0085\" }\n    rows:\n      - [\"uno\\x01\"]\n---\nTexto\u{0} con\u{1} control\u{1b}[2J y \u{7f} y `co\u{8}de`.\n\n<p>html\u{c}</p>\n\n{{ table(id=\"t\") }}\n",
    );
    site.build().success();
    for (path, bytes) in common::snapshot(&site.out()) {
        // Data exports (CSV, JSON) keep the data as written; pages do not.
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(control_chars(&text), Vec::<char>::new(), "{path}");
    }
}

const LINKS_SECTION: &str = r#"---
title: Enlaces
tables:
  - id: t
    caption: "Ver [fuente](javascript:alert(1))"
    source: "[Ministerio](JaVaScRiPt:alert(2))"
    note: "![logo](data:image/svg+xml;base64,PHN2Zz4=)"
    columns:
      - { id: a, label: A }
      - { id: b, label: B }
    rows:
      - ["[bien](https://www.gob.cl)", ["[mal](vbscript:msgbox(4))", "ok"]]
      - ["[mal](java&#x09;script:alert(5))", "[correo](mailto:a@gob.cl)"]
---
Un [enlace](javascript:alert(6)) en el texto y [otro](#enlaces).

{{ table(id="t") }}
"#;

#[test]
fn script_targets_in_every_inline_field_are_errors_at_their_field() {
    let site = SiteTest::fixture("minimal");
    site.write("content/01-unica.md", LINKS_SECTION);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = [
        "content/01-unica.md:5:14: error: enlace no permitido 'javascript:alert(1)': podría ejecutar código en el sitio",
        "content/01-unica.md:6:13: error: enlace no permitido 'JaVaScRiPt:alert(2)'",
        "content/01-unica.md:7:11: error: enlace no permitido 'data:image/svg+xml;base64,PHN2Zz4='",
        "content/01-unica.md:12:41: error: enlace no permitido 'vbscript:msgbox(4)'",
        "content/01-unica.md:13:10: error: enlace no permitido 'java\u{FFFD}script:alert(5)'",
    ];
    for line in expected {
        assert!(run.stderr.contains(line), "missing: {line}\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("alert(6)"), "a body without safe_html is trusted:\n{}", run.stderr);
    assert_eq!(run.stderr.matches(": error: ").count(), 5, "{}", run.stderr);
}

#[test]
fn with_safe_html_a_script_target_in_a_body_is_an_error_at_its_line_and_column() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/_index.md",
        "---\ntitle: Informe mínimo\ninstitution: Gobernación de Prueba\nyear: 2019\nsafe_html: true\n---\nUna introducción.\n",
    );
    site.write(
        "content/01-unica.md",
        "---\ntitle: Única\n---\nPrimera línea.\n\nUn [enlace](javascript:alert(6)) y <javascript:alert(7)>.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/01-unica.md:6:4: error: enlace no permitido 'javascript:alert(6)'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/01-unica.md:6:36: error: enlace no permitido 'javascript:alert(7)'"),
        "{}",
        run.stderr
    );
}

#[test]
fn pages_never_carry_a_script_target_even_when_the_build_is_forced_through_render() {
    // The renderer itself drops refused targets: inline fields through
    // markdown::inline, whatever the caller checked before.
    let html = cuenta::test_support::inline("[x](javascript:alert(1)) ![y](data:text/html,z)", false);
    assert_eq!(html, "x y");
}

#[test]
#[cfg(unix)]
fn a_theme_folder_linked_outside_the_report_is_refused_like_content() {
    let site = SiteTest::fixture("minimal");
    let outside = tempfile::tempdir().expect("outside");
    std::fs::create_dir_all(outside.path().join("static")).expect("mkdir");
    std::fs::write(outside.path().join("static/secreto.txt"), "clave privada").expect("secret");
    std::fs::create_dir_all(site.root().join("themes")).expect("themes");
    std::os::unix::fs::symlink(outside.path(), site.root().join("themes/default")).expect("link");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "themes/default/static/secreto.txt: error: el enlace simbólico apunta fuera de themes/; el archivo no se publica"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.out().join("assets/secreto.txt").exists() && !site.out().join("secreto.txt").exists());
}

#[test]
#[cfg(unix)]
fn theme_links_that_stay_inside_themes_are_followed() {
    let site = SiteTest::fixture("minimal");
    std::fs::create_dir_all(site.root().join("themes/compartido")).expect("mkdir");
    std::fs::write(site.root().join("themes/compartido/extra.css"), "p { color: red }").expect("css");
    std::fs::create_dir_all(site.root().join("themes/default/static")).expect("mkdir");
    std::os::unix::fs::symlink("../../compartido/extra.css", site.root().join("themes/default/static/extra.css"))
        .expect("link");
    site.build().success();
    let published = common::snapshot(&site.out());
    assert!(published.iter().any(|(p, b)| p.ends_with("extra.css") && b == b"p { color: red }"), "followed");
}

#[test]
fn an_integer_total_past_64_bits_is_an_error_not_a_silent_decimal() {
    let site = SiteTest::fixture("minimal");
    site.write(
        "content/01-unica.md",
        "---\ntitle: Cifras\ntables:\n  - id: cifras\n    caption: Cifras\n    columns:\n      - { id: item, label: Ítem }\n      - { id: valor, label: Valor, type: integer }\n    rows:\n      - [Uno, 9223372036854775807]\n      - [Dos, 9223372036854775807]\n    total: [Total, ~]\n---\nTexto.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/01-unica.md:12:20: error: '18446744073709551616' es demasiado grande para una columna entera"
        ),
        "{}",
        run.stderr
    );
}

/// The `id` values of the page's tags, in order. Text escapes every `<`, so
/// an ` id="` counts only when the last `<` before it is after the last `>`.
fn tag_attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut found = Vec::new();
    for (at, _) in html.match_indices(&needle) {
        let before = &html[..at];
        if before.rfind('<') > before.rfind('>') {
            let value = &html[at + needle.len()..];
            found.push(&value[..value.find('"').expect("closing quote")]);
        }
    }
    found
}

/// Section A places B's table and repeats B's headings (one named like the
/// table's anchor) and note; both show HTML in code and prose.
const SHOWS_HTML: &str = "Se escribe `<a href=\"#top\">` o id=\"y\" en la prosa.[^n]\n\n```html\n<h2 id=\"x\"><a href=\"#top\">arriba</a></h2>\n```\n\n## Resumen\n\n## Tabla t\n\n[^n]: Una nota.\n";

#[test]
fn the_whole_report_page_scopes_the_ids_of_tags_and_leaves_code_and_prose_as_written() {
    let site = SiteTest::fixture("minimal");
    let table =
        "tables:\n  - id: t\n    caption: T\n    columns:\n      - { id: a, label: A }\n    rows:\n      - [uno]\n";
    site.write("content/01-unica.md", &format!("---\ntitle: A\n---\n{SHOWS_HTML}\n{{{{ table(id=\"t\") }}}}\n"));
    site.write("content/02-b.md", &format!("---\ntitle: B\n{table}---\n{SHOWS_HTML}"));
    site.build().success();
    let full = site.read("informe-completo.html");
    for shown in [
        "<code>&lt;a href=\"#top\"&gt;</code> o id=\"y\" en la prosa.",
        "<code class=\"language-html\">&lt;h2 id=\"x\"&gt;&lt;a href=\"#top\"&gt;arriba&lt;/a&gt;&lt;/h2&gt;\n</code>",
    ] {
        assert_eq!(site.read("unica.html").matches(shown).count(), 1, "section page: {shown}");
        assert_eq!(full.matches(shown).count(), 2, "whole-report page, as on the section pages: {shown}");
    }
    let ids = tag_attrs(&full, "id");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every id on the page once: {ids:?}");
    for id in ["unica--tabla-t", "b--tabla-t", "unica--resumen", "b--resumen", "unica--nota-1", "b--nota-1"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    for href in tag_attrs(&full, "href").into_iter().filter_map(|h| h.strip_prefix('#')) {
        assert!(ids.contains(&href), "#{href} leads to no id of the page");
    }
}
