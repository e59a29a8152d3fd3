//! Images and attachments kept beside the content, and links between
//! sections: copied to the site and its offline copy, referenced from every
//! page that shows them, and a diagnostic at file:line:col when broken.

mod common;

use common::SiteTest;
use std::io::Read;

/// A 3×2 PNG: signature, IHDR and nothing else (enough for its size).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

fn write_bytes(site: &SiteTest, rel: &str, bytes: &[u8]) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

const SECTION: &str = "---\ntitle: Operativos\n---\nTexto.\n\n![Operativo en Calama](img/operativo.png \"Operativo, marzo de 2018\")\n\nVer el [informe](anexos/informe.pdf) y la [sección de seguridad](../03-seguridad.md#acciones).\n";

fn report() -> SiteTest {
    let site = SiteTest::fixture("minimal");
    site.write("content/02-gestion/01-operativos.md", SECTION);
    site.write("content/03-seguridad.md", "---\ntitle: Seguridad\n---\n## Acciones\n\nTexto.\n");
    write_bytes(&site, "content/02-gestion/img/operativo.png", &png(640, 480));
    write_bytes(&site, "content/02-gestion/anexos/informe.pdf", b"%PDF-1.4\n%%EOF\n");
    site
}

#[test]
fn an_image_with_a_title_becomes_a_figure_with_its_caption_and_size() {
    let site = report();
    site.build().success();
    let page = site.read("gestion-operativos.html");
    assert!(
        page.contains("<figure class=\"image\"><img src=\"medios/02-gestion/img/operativo.png\" alt=\"Operativo en Calama\" width=\"640\" height=\"480\" loading=\"lazy\"><figcaption>Operativo, marzo de 2018</figcaption></figure>"),
        "{page}"
    );
    let full = site.read("informe-completo.html");
    assert!(full.contains("src=\"medios/02-gestion/img/operativo.png\""), "the whole-report page shows it too");
}

#[test]
fn images_and_attachments_are_copied_to_the_site_and_the_offline_copy() {
    let site = report();
    site.build().success();
    let out = site.out();
    assert_eq!(std::fs::read(out.join("medios/02-gestion/img/operativo.png")).expect("image"), png(640, 480));
    assert!(out.join("medios/02-gestion/anexos/informe.pdf").is_file());
    let zip = std::fs::read_dir(&out)
        .expect("site")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "zip"))
        .expect("an offline copy");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).expect("zip")).expect("archive");
    let name = (0..archive.len())
        .map(|i| archive.by_index(i).expect("entry").name().to_string())
        .find(|n| n.ends_with("medios/02-gestion/img/operativo.png"))
        .expect("the image is in the offline copy");
    let mut bytes = Vec::new();
    archive.by_name(&name).expect("entry").read_to_end(&mut bytes).expect("read");
    assert_eq!(bytes, png(640, 480));
}

#[test]
fn links_to_sections_and_attachments_are_rewritten_to_their_pages() {
    let site = report();
    site.build().success();
    let page = site.read("gestion-operativos.html");
    assert!(page.contains("<a href=\"medios/02-gestion/anexos/informe.pdf\">informe</a>"), "{page}");
    assert!(page.contains("<a href=\"seguridad.html#acciones\">sección de seguridad</a>"), "{page}");
}

#[test]
fn a_missing_image_is_an_error_at_its_place_with_a_suggestion() {
    let site = report();
    site.write("content/02-gestion/01-operativos.md", &SECTION.replace("img/operativo.png", "img/operativos.png"));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/02-gestion/01-operativos.md:6:1: error: el enlace lleva a 'img/operativos.png', que no está en el informe, ¿quiso decir 'img/operativo.png'?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_link_to_a_section_file_that_does_not_exist_is_an_error_with_a_suggestion() {
    let site = report();
    site.write("content/02-gestion/01-operativos.md", &SECTION.replace("../03-seguridad.md", "../03-seguridd.md"));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("01-operativos.md:8:"), "{}", run.stderr);
    assert!(run.stderr.contains("¿quiso decir '03-seguridad.md'?"), "{}", run.stderr);
}

#[test]
fn an_image_without_alt_text_is_a_warning_that_strict_refuses() {
    let site = report();
    site.write("content/02-gestion/01-operativos.md", &SECTION.replace("Operativo en Calama", ""));
    let run = site.run(&["check", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("01-operativos.md:6:1: advertencia: la imagen no tiene texto alternativo"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_svg_that_carries_script_is_refused() {
    let site = report();
    write_bytes(&site, "content/02-gestion/img/logo.svg", b"<svg onload=\"alert(1)\"></svg>");
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/02-gestion/img/logo.svg"), "{}", run.stderr);
    assert!(run.stderr.contains("la imagen SVG contiene código"), "{}", run.stderr);
}

#[test]
fn a_heavy_image_is_a_warning() {
    let site = report();
    let mut big = png(4000, 3000);
    big.resize(1_200_000, 0);
    write_bytes(&site, "content/02-gestion/img/operativo.png", &big);
    let run = site.run(&["check"]);
    assert!(run.stderr.contains("advertencia: la imagen pesa 1171 KB, más que 1024 KB"), "{}", run.stderr);
}

#[test]
fn a_changed_image_is_published_by_a_cached_rebuild() {
    let site = report();
    site.build().success();
    write_bytes(&site, "content/02-gestion/img/operativo.png", &png(320, 200));
    site.build().success();
    assert_eq!(std::fs::read(site.out().join("medios/02-gestion/img/operativo.png")).expect("image"), png(320, 200));
    let page = site.read("gestion-operativos.html");
    assert!(page.contains("width=\"320\" height=\"200\""), "the page gives the new image's size: {page}");
}

#[test]
fn a_link_by_number_or_id_leads_to_the_place_it_names() {
    let site = report();
    site.write(
        "content/_index.md",
        "---\ntitle: Informe mínimo\ninstitution: Gobernación de Prueba\nyear: 2019\nnumbering: auto\n---\n",
    );
    site.write(
        "content/01-inicio.md",
        "---\ntitle: Inicio\n---\nVer la [sección 4](#4), la [gestión](#gestion) y [sus acciones](03-seguridad.md#acciones).\n",
    );
    site.build().success();
    let page = site.read("inicio.html");
    assert!(page.contains("<a href=\"seguridad.html\">sección 4</a>"), "{page}");
    assert!(page.contains("<a href=\"gestion.html\">gestión</a>"), "{page}");
    assert!(page.contains("<a href=\"seguridad.html#acciones\">sus acciones</a>"), "{page}");
}

#[test]
fn a_link_in_a_chapter_intro_is_resolved_like_a_sections() {
    let site = report();
    site.write(
        "content/02-gestion/_index.md",
        "---\ntitle: Gestión\n---\nVer [seguridad](../03-seguridad.md#acciones) y [la foto](img/operativo.png).\n",
    );
    site.build().success();
    let page = site.read("gestion.html");
    assert!(page.contains("<a href=\"seguridad.html#acciones\">seguridad</a>"), "{page}");
    assert!(page.contains("<a href=\"medios/02-gestion/img/operativo.png\">la foto</a>"), "{page}");
}

#[test]
fn a_link_to_an_anchor_its_page_does_not_have_is_an_error_at_its_place() {
    let site = report();
    site.write(
        "content/03-seguridad.md",
        "---\ntitle: Seguridad\n---\n## Acción\n\nVer [arriba](#acion) y [abajo](#nada-parecido).\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/02-gestion/01-operativos.md:8:"), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "'../03-seguridad.md#acciones', un ancla que no existe, ¿quiso decir '../03-seguridad.md#accion'?"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/03-seguridad.md:6:5: error: el enlace lleva a '#acion', un ancla que no existe, ¿quiso decir '#accion'?"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/03-seguridad.md:6:24: error: el enlace lleva a '#nada-parecido'"),
        "{}",
        run.stderr
    );
}
