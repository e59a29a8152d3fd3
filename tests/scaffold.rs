//! `cuenta init` and `cuenta new` through the real binary: what they write,
//! that the result builds at once, and that they never overwrite.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn cuenta(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cuenta")).args(args).output().expect("run cuenta");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn init(dir: &Path) -> Run {
    cuenta(&["init", s(dir), "--institution", "Gobernación Provincial de El Loa", "--year", "2019"])
}

fn build(root: &Path) -> Run {
    cuenta(&["build", "--strict", "--root", s(root)])
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn init_starts_a_report_that_builds_at_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("el-loa");
    let run = init(&dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = read(dir.join("content/_index.md"));
    for line in [
        "title: \"Cuenta Pública Participativa 2019\"",
        "institution: \"Gobernación Provincial de El Loa\"",
        "year: 2019",
        "language: es-CL",
        "licence: CC-BY-4.0",
    ] {
        assert!(index.contains(line), "{line} in\n{index}");
    }
    let ignore = read(dir.join(".gitignore"));
    assert!(ignore.contains("/output/") && ignore.contains("/.output.cuenta-*/"), "{ignore}");
    let built = build(&dir);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(built.stderr.contains("1 tabla, 1 gráfico, 0 advertencias, 0 errores"), "{}", built.stderr);
    let page = read(dir.join("output/gestion-2019.html"));
    assert!(page.contains("<svg") && page.contains("<table"), "the example section has its table and chart");
    assert!(page.contains("<span class=\"figure\">515</span>"), "the example figure comes from the table total");
}

#[test]
fn init_takes_a_title() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = cuenta(&[
        "init",
        s(tmp.path()),
        "--institution",
        "Seremi: Salud",
        "--year",
        "2020",
        "--title",
        "Cuenta \"2020\"",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(build(tmp.path()).code, 0);
    let home = read(tmp.path().join("output/index.html"));
    assert!(
        home.contains("Cuenta &quot;2020&quot;") && home.contains("Seremi: Salud"),
        "quotes and colons survive YAML"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("notas.txt"), "mío").expect("write");
    let run = init(tmp.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no está vacía"), "{}", run.stderr);
    assert!(!tmp.path().join("content").exists(), "nothing written");
    assert_eq!(read(tmp.path().join("notas.txt")), "mío");
}

#[test]
fn new_adds_the_next_numbered_section_after_the_others() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(init(tmp.path()).code, 0);
    std::fs::write(tmp.path().join("content/07-metas.md"), "---\ntitle: Metas\nweight: 12\n---\nTexto.\n")
        .expect("write");
    let run = cuenta(&["new", "Título de la sección", "--root", s(tmp.path())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = tmp.path().join("content/08-titulo-de-la-seccion.md");
    assert_eq!(run.stdout.trim(), s(&path));
    let text = read(&path);
    assert!(text.starts_with("---\ntitle: \"Título de la sección\"\nweight: 13\nsummary: "), "{text}");
    assert!(text.contains("# tables:") && text.contains("# charts:"), "the example is commented out");
    let built = build(tmp.path());
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(built.stderr.contains("1 tabla, 1 gráfico"), "the new section has no table yet: {}", built.stderr);
    let home = read(tmp.path().join("output/index.html"));
    let (metas, nueva) = (
        home.find("href=\"metas.html\"").expect("metas"),
        home.find("href=\"titulo-de-la-seccion.html\"").expect("new"),
    );
    assert!(metas < nueva, "the new section comes last");
}

#[test]
fn the_commented_example_of_a_new_section_builds_once_uncommented() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(init(tmp.path()).code, 0);
    assert_eq!(cuenta(&["new", "Salud", "--root", s(tmp.path())]).code, 0);
    let path = tmp.path().join("content/02-salud.md");
    let text = read(&path);
    let (front, body) = text[4..].split_once("\n---\n").expect("front matter");
    let start = front.find("# tables:").expect("example");
    let uncommented: String =
        front[start..].lines().map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or(l))).collect();
    let placed = format!(
        "---\n{}{}---\n{body}\n{{{{ table(id=\"salud\") }}}}\n\n{{{{ chart(id=\"salud-grafico\") }}}}\n",
        &front[..start],
        uncommented
    );
    std::fs::write(&path, placed).expect("write");
    let built = build(tmp.path());
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(built.stderr.contains("2 tablas, 2 gráficos"), "{}", built.stderr);
}

#[test]
fn new_refuses_a_section_that_already_exists() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(init(tmp.path()).code, 0);
    let first = cuenta(&["new", "Seguridad", "--root", s(tmp.path())]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let path = tmp.path().join("content/02-seguridad.md");
    std::fs::write(&path, "---\ntitle: Seguridad\n---\nTexto del editor.\n").expect("write");
    let again = cuenta(&["new", "seguridad", "--root", s(tmp.path())]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("ya existe la sección 'seguridad' en content/02-seguridad.md"), "{}", again.stderr);
    assert_eq!(read(&path), "---\ntitle: Seguridad\n---\nTexto del editor.\n", "untouched");
    assert!(!tmp.path().join("content/03-seguridad.md").exists());
    let en = cuenta(&["new", "Seguridad", "--root", s(tmp.path()), "--lang", "en"]);
    assert!(en.stderr.contains("section 'seguridad' already exists in content/02-seguridad.md"), "{}", en.stderr);
}

#[test]
fn new_names_existing_sections_as_the_build_does() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(init(tmp.path()).code, 0);
    // In a folder the build names the page `datos-presupuesto`; with `slug:`
    // it takes that name instead.
    let nested = tmp.path().join("content/05-datos/01-presupuesto.md");
    std::fs::create_dir_all(nested.parent().expect("parent")).expect("mkdir");
    std::fs::write(&nested, "---\ntitle: Presupuesto\nweight: 5\n---\nTexto.\n").expect("write");
    std::fs::write(tmp.path().join("content/06-otra.md"), "---\ntitle: Otra\nslug: gastos\n---\nTexto.\n")
        .expect("write");
    let same_page = cuenta(&["new", "Datos presupuesto", "--root", s(tmp.path())]);
    assert_eq!(same_page.code, 2, "{}", same_page.stderr);
    assert!(same_page.stderr.contains("content/05-datos/01-presupuesto.md"), "{}", same_page.stderr);
    let by_field = cuenta(&["new", "Gastos", "--root", s(tmp.path())]);
    assert_eq!(by_field.code, 2, "{}", by_field.stderr);
    assert!(by_field.stderr.contains("content/06-otra.md"), "{}", by_field.stderr);
    let other = cuenta(&["new", "Presupuesto", "--root", s(tmp.path())]);
    assert_eq!(other.code, 0, "a page named `presupuesto` is free: {}", other.stderr);
}

#[test]
fn new_refuses_a_folder_without_a_report() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = cuenta(&["new", "Salud", "--root", s(tmp.path())]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cuenta init"), "{}", run.stderr);
    assert!(!tmp.path().join("content").exists());
}

#[test]
fn check_strict_fails_on_a_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(init(tmp.path()).code, 0);
    let example = tmp.path().join("content/01-gestion-2019.md");
    std::fs::write(&example, read(&example).replace("total: [Total, 515]", "total: [Total, 516]")).expect("write");
    let plain = cuenta(&["check", "--root", s(tmp.path())]);
    assert_eq!(plain.code, 0, "a published total that differs is a warning: {}", plain.stderr);
    assert!(plain.stderr.contains("1 advertencia, 0 errores"), "{}", plain.stderr);
    let strict = cuenta(&["check", "--strict", "--root", s(tmp.path())]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}
