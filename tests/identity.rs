//! The office's identity on its site (issue 18): a logo beside the title and
//! on the home page, its own icon, absolute addresses for sharing only when
//! `base_url` says where the site is published, and an accessibility
//! statement linked from every page.

mod common;

use common::SiteTest;
use std::io::Read;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#0f69b4"/></svg>"##;

/// The minimal fixture with `settings` added to its `_index.md`.
fn with_settings(settings: &str) -> SiteTest {
    let t = SiteTest::fixture("minimal");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    t.write("content/_index.md", &index.replacen("---\n", &format!("---\n{settings}"), 1));
    t.write("content/img/escudo.svg", LOGO);
    t
}

/// Every file of the output, the offline copy's entries included, as text.
fn every_output_text(t: &SiteTest) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, bytes) in common::snapshot(&t.out()) {
        if path.ends_with(".zip") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).expect("entry");
                let mut data = Vec::new();
                entry.read_to_end(&mut data).expect("read entry");
                out.push((format!("{path}:{}", entry.name()), String::from_utf8_lossy(&data).into_owned()));
            }
        } else {
            out.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

/// `http:` or `https:` anywhere, written plainly or with the slashes as
/// entities, other than an XML namespace.
fn absolute_urls(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for scheme in ["http:", "https:"] {
        for (at, _) in lower.match_indices(scheme) {
            let rest = &text[at..(at + 60).min(text.len())];
            let namespace = ["http://www.w3.org/", "http://www.sitemaps.org/"].iter().any(|ns| rest.starts_with(ns));
            if !namespace {
                found.push(rest.to_string());
            }
        }
    }
    found
}

#[test]
fn the_logo_is_beside_the_title_on_every_page_and_on_the_home_page_and_is_published() {
    let t = with_settings("logo: { image: img/escudo.svg, alt: Escudo de la Gobernación }\n");
    t.build().success();
    let section = t.read("unica.html");
    assert!(
        section.contains(r#"<img class="site-logo" src="medios&#x2F;img&#x2F;escudo.svg" alt="Escudo de la Gobernación" width="120" height="60">"#),
        "{section}"
    );
    let home = t.read("index.html");
    assert!(
        home.contains(r#"<img class="home-logo" src="medios&#x2F;img&#x2F;escudo.svg" alt="Escudo de la Gobernación""#)
    );
    // The header's copy is decorative on the home page: read once, not twice.
    assert!(home.contains(r#"<img class="site-logo" src="medios&#x2F;img&#x2F;escudo.svg" alt="""#));
    assert_eq!(t.read("medios/img/escudo.svg"), LOGO);
    let zipped = every_output_text(&t);
    assert!(
        zipped.iter().any(|(p, text)| p.ends_with("/medios/img/escudo.svg") && p.contains(".zip:") && text == LOGO),
        "offline copy"
    );
}

#[test]
fn a_favicon_setting_replaces_the_icon_drawn_from_the_palette() {
    let t = with_settings("favicon: img/escudo.svg\n");
    t.build().success();
    let page = t.read("unica.html");
    assert!(
        page.contains(r#"<link rel="icon" href="medios&#x2F;img&#x2F;escudo.svg" type="image/svg+xml">"#),
        "{page}"
    );
    assert!(!page.contains("assets&#x2F;favicon.svg"));
}

#[test]
fn with_base_url_pages_carry_canonical_and_sharing_tags_and_a_sitemap_lists_them() {
    let t = with_settings(concat!(
        "base_url: https://www.gob.cl/cuenta-2019/\n",
        "description: Lo que hizo la gobernación en 2019.\n",
        "logo: { image: img/escudo.svg, alt: Escudo }\n"
    ));
    t.build().success();
    let page = t.read("unica.html").replace("&#x2F;", "/");
    for tag in [
        r#"<link rel="canonical" href="https://www.gob.cl/cuenta-2019/unica.html">"#,
        r#"<meta property="og:url" content="https://www.gob.cl/cuenta-2019/unica.html">"#,
        r#"<meta property="og:image" content="https://www.gob.cl/cuenta-2019/medios/img/escudo.svg">"#,
        r#"<meta property="og:image:alt" content="Escudo">"#,
        r#"<meta property="og:description" content="Lo que hizo la gobernación en 2019.">"#,
        r#"<meta property="og:locale" content="es_CL">"#,
        r#"<meta name="twitter:card" content="summary">"#,
    ] {
        assert!(page.contains(tag), "missing {tag}");
    }
    let home = t.read("index.html").replace("&#x2F;", "/");
    assert!(home.contains(r#"<link rel="canonical" href="https://www.gob.cl/cuenta-2019/">"#));
    let sitemap = t.read("sitemap.xml");
    for page in ["", "unica.html", "informe-completo.html", "datos.html", "verificacion.html", "accesibilidad.html"] {
        let loc = format!("<loc>https://www.gob.cl/cuenta-2019/{page}</loc>");
        assert!(sitemap.contains(&loc), "{loc} in {sitemap}");
    }
}

#[test]
fn a_cover_image_is_the_sharing_image_in_a_large_card() {
    let t = with_settings(concat!(
        "base_url: https://www.gob.cl/c/\n",
        "logo: { image: img/escudo.svg, alt: Escudo }\n",
        "portada: { imagen: https://www.gob.cl/portada.jpg, alt: La costanera }\n"
    ));
    t.build().success();
    let home = t.read("index.html").replace("&#x2F;", "/");
    assert!(home.contains(r#"<meta property="og:image" content="https://www.gob.cl/portada.jpg">"#), "{home}");
    assert!(home.contains(r#"<meta name="twitter:card" content="summary_large_image">"#));
}

#[test]
fn without_base_url_no_output_file_holds_an_absolute_address() {
    let t = SiteTest::fixture("report");
    let index = std::fs::read_to_string(t.root().join("content/_index.md")).expect("index");
    let settings = "logo: { image: img/escudo.svg, alt: Escudo }\ncontact: { email: oirs@gob.cl }\n";
    t.write("content/_index.md", &index.replacen("---\n", &format!("---\n{settings}"), 1));
    t.write("content/img/escudo.svg", LOGO);
    t.build().success();
    let files = every_output_text(&t);
    assert!(files.len() > 20, "scanned {} files", files.len());
    let found: Vec<String> = files
        .iter()
        .flat_map(|(path, text)| absolute_urls(text).into_iter().map(move |u| format!("{path}: {u}")))
        .collect();
    assert!(found.is_empty(), "absolute addresses without base_url:\n{}", found.join("\n"));
    assert!(!t.out().join("sitemap.xml").exists(), "no sitemap without base_url");
}

#[test]
fn the_accessibility_statement_is_made_from_the_settings_and_linked_from_every_page() {
    let t = with_settings(concat!(
        "contact: { email: oirs@gob.cl, phone: \"+56 55 212 3456\" }\n",
        "accesibilidad:\n  limitaciones: [\"El anexo de 2017 está escaneado.\"]\n  revisada: mayo de 2019\n"
    ));
    t.build().success();
    let statement = t.read("accesibilidad.html");
    for text in [
        "<h1>Declaración de accesibilidad</h1>",
        "nivel AA de las Pautas de Accesibilidad para el Contenido Web (WCAG) 2.1",
        "axe-core",
        "<li>El anexo de 2017 está escaneado.</li>",
        r#"<a href="mailto:oirs@gob.cl">oirs@gob.cl</a>"#,
        r#"<a href="tel:+56552123456">+56 55 212 3456</a>"#,
        "<p>Declaración revisada: mayo de 2019.</p>",
    ] {
        assert!(statement.contains(text), "missing {text}");
    }
    for page in ["index.html", "unica.html", "datos.html", "verificacion.html", "informe-completo.html"] {
        assert!(
            t.read(page).contains(r#"<a href="accesibilidad.html">Declaración de accesibilidad</a>"#),
            "{page} links the statement"
        );
    }
}

#[test]
fn without_a_contact_the_statement_sends_readers_to_the_office_oirs_in_english_too() {
    let t = with_settings("language: en\n");
    t.build().success();
    let statement = t.read("accesibilidad.html");
    assert!(statement.contains("<h1>Accessibility statement</h1>"), "{statement}");
    assert!(statement.contains("(OIRS) of Gobernación de Prueba."), "{statement}");
}

#[test]
fn a_section_cannot_take_the_accessibility_statement_page_name() {
    let t = SiteTest::fixture("minimal");
    t.write("content/02-otra.md", "---\ntitle: Otra\nslug: accesibilidad\n---\nTexto.\n");
    let run = t.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/02-otra.md:3:"), "{}", run.stderr);
}

#[test]
fn no_page_or_offline_entry_shows_a_placeholder_for_the_zip_size() {
    let t = with_settings("contact: { email: oirs@gob.cl }\n");
    t.build().success();
    let files = every_output_text(&t);
    let stuck: Vec<&String> = files.iter().filter(|(_, text)| text.contains("@@CUENTA")).map(|(p, _)| p).collect();
    assert!(stuck.is_empty(), "placeholders left in {stuck:?}");
    let statement = t.read("accesibilidad.html");
    assert!(statement.contains("(ZIP, "), "the statement links the offline copy with its size");
}
