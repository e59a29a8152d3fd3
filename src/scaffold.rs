//! `cuenta new` and `cuenta init`: write the starting files an editor fills
//! in. Takes a title (or an institution and year) and the report folder,
//! writes new source files and returns their paths. It never overwrites: a
//! file or folder in the way is refused with a message that says what to do.
//! Like `output`, it writes; unlike it, what it writes is content, so it uses
//! `create_new` instead of the atomic swap.

use crate::content;
use crate::diagnostics::Lang;
use crate::error::{Error, Result};
use crate::front_matter;
use crate::slug::{slug_from_path, slugify, RESERVED_PAGES};
use serde::Deserialize;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Table and chart ids are at most 64 bytes; keep room for `-grafico`.
const ID_ROOM: usize = 48;

/// Options of `cuenta new`.
#[derive(Debug, Clone)]
pub(crate) struct NewOptions {
    pub root: PathBuf,
    pub title: String,
    pub lang: Lang,
}

/// Options of `cuenta init`.
#[derive(Debug, Clone)]
pub(crate) struct InitOptions {
    pub dir: PathBuf,
    pub institution: String,
    pub year: i32,
    /// "Cuenta Pública Participativa `<year>`" when not given.
    pub title: Option<String>,
    pub lang: Lang,
}

/// Writes `content/NN-<slug>.md` for a new section placed after the others;
/// returns its path.
pub(crate) fn new_section(opts: &NewOptions) -> Result<PathBuf> {
    let es = opts.lang == Lang::Es;
    let slug = slugify(&opts.title);
    if slug.is_empty() || RESERVED_PAGES.contains(&slug.as_str()) {
        return Err(refuse(
            es,
            format!("el título '{}' no sirve como nombre de página; use palabras", opts.title),
            format!("the title '{}' does not make a page name; use words", opts.title),
        ));
    }
    let content_dir = opts.root.join("content");
    if !content_dir.join("_index.md").is_file() {
        let shown = content_dir.join("_index.md").display().to_string();
        return Err(refuse(
            es,
            format!("{shown} no existe; cree el informe con 'cuenta init' o indique --root"),
            format!("{shown} does not exist; start the report with 'cuenta init' or pass --root"),
        ));
    }
    let existing = Existing::read(&opts.root);
    if let Some(other) = existing.with_slug(&slug) {
        return Err(refuse(
            es,
            format!("ya existe la sección '{slug}' en {other}; edítela o elija otro título"),
            format!("section '{slug}' already exists in {other}; edit it or choose another title"),
        ));
    }
    let name = format!("{:0width$}-{slug}.md", existing.max_number + 1, width = existing.number_width.max(2));
    let path = content_dir.join(name);
    write_new(&path, section_text(&opts.title, &slug, existing.max_weight + 1), es)?;
    Ok(path)
}

/// Starts a report in `dir`, which must be empty or not exist yet; returns
/// the files written.
pub(crate) fn init(opts: &InitOptions) -> Result<Vec<PathBuf>> {
    let es = opts.lang == Lang::Es;
    if opts.dir.exists() {
        let empty = std::fs::read_dir(&opts.dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            let shown = opts.dir.display();
            return Err(refuse(
                es,
                format!("{shown} no está vacía; elija una carpeta nueva o vacía"),
                format!("{shown} is not empty; choose a new or empty folder"),
            ));
        }
    }
    let title = opts.title.clone().unwrap_or_else(|| format!("Cuenta Pública Participativa {}", opts.year));
    let files = [
        (PathBuf::from("content/_index.md"), index_text(&title, &opts.institution, opts.year)),
        (PathBuf::from(format!("content/01-gestion-{}.md", opts.year)), example_text(opts.year)),
        (PathBuf::from(".gitignore"), GITIGNORE.to_string()),
    ];
    let mut written = Vec::with_capacity(files.len());
    for (rel, text) in files {
        let path = opts.dir.join(rel);
        write_new(&path, &text, es)?;
        written.push(path);
    }
    Ok(written)
}

/// What the new section must fit after: numbers, weights and slugs in use.
#[derive(Debug, Default)]
struct Existing {
    max_number: u64,
    number_width: usize,
    max_weight: i64,
    /// (slug, file) for every section file.
    slugs: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct JustWeight {
    #[serde(default)]
    weight: Option<i64>,
    #[serde(default)]
    slug: Option<String>,
}

impl Existing {
    /// Reads every section through discovery; a file that does not parse
    /// simply adds no weight (the build reports it).
    fn read(root: &Path) -> Self {
        let mut found = Existing::default();
        for file in content::discover(root).sections {
            let rel = file.display.strip_prefix("content/").unwrap_or(&file.display);
            let top = rel.split('/').next().unwrap_or(rel);
            let digits: String = top.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<u64>() {
                found.max_number = found.max_number.max(n);
                found.number_width = found.number_width.max(digits.len());
            }
            let fields = front_matter::split(&file)
                .ok()
                .and_then(|s| front_matter::parse_first::<JustWeight>(&file, &s).ok())
                .map(|(w, _)| w);
            // Named as the build names it: `slug:` if given, else the path.
            let slug = fields.as_ref().and_then(|f| f.slug.clone()).unwrap_or_else(|| slug_from_path(&file.display));
            found.slugs.push((slug, file.display.clone()));
            let weight = fields.and_then(|f| f.weight);
            found.max_weight = found.max_weight.max(weight.unwrap_or(0));
        }
        found
    }

    fn with_slug(&self, slug: &str) -> Option<&str> {
        self.slugs.iter().find(|(s, _)| s == slug).map(|(_, f)| f.as_str())
    }
}

/// `cuenta theme export`: writes every file of the built-in theme under
/// `dir` (templates, static files, strings), refusing any that exists, and
/// returns their paths. A report whose `themes/default/` holds the export
/// builds the same site.
pub(crate) fn export_theme(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>> {
    let es = lang == Lang::Es;
    let files = crate::theme::built_in_files();
    if let Some((rel, _)) = files.iter().find(|(rel, _)| dir.join(rel).exists()) {
        let shown = dir.join(rel);
        return Err(refuse(
            es,
            format!("{} ya existe; elija otra carpeta o bórrela", shown.display()),
            format!("{} already exists; choose another folder or delete it", shown.display()),
        ));
    }
    let mut written = Vec::with_capacity(files.len());
    for (rel, bytes) in files {
        let path = dir.join(rel);
        write_new(&path, bytes, es)?;
        written.push(path);
    }
    Ok(written)
}

fn write_new(path: &Path, text: impl AsRef<[u8]>, es: bool) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let shown = path.display();
            return Err(refuse(
                es,
                format!("{shown} ya existe; no se sobrescribe"),
                format!("{shown} already exists; it is not overwritten"),
            ));
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    file.write_all(text.as_ref()).map_err(|e| Error::io(path, e))
}

fn refuse(es: bool, spanish: String, english: String) -> Error {
    Error::Other(if es { spanish } else { english })
}

/// A YAML double-quoted string: safe for any title (colons, quotes, '#').
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A table id from a slug, short enough to leave room for suffixes.
fn id_from(slug: &str) -> String {
    if slug.len() <= ID_ROOM {
        return slug.to_string();
    }
    let cut = slug[..ID_ROOM].rfind('-').unwrap_or(ID_ROOM);
    slug[..cut].to_string()
}

fn section_text(title: &str, slug: &str, weight: i64) -> String {
    let id = id_from(slug);
    format!(
        r#"---
title: {title}
weight: {weight}
summary: "Una o dos frases sobre esta sección; aparecen en el índice del informe."
# Para agregar una tabla y su gráfico, quite el '# ' del comienzo de las
# líneas de abajo (desde 'tables:'), cambie los datos y escriba en el texto,
# en una línea propia, {{{{ table(id="{id}") }}}} y {{{{ chart(id="{id}-grafico") }}}}.
# Tipos de columna: text, integer, decimal, money, percent.
# tables:
#   - id: {id}
#     caption: "Título de la tabla, con el período (por ejemplo, 2019)"
#     source: "De dónde vienen los datos"
#     columns:
#       - {{ id: item, label: Ítem }}
#       - {{ id: cantidad, label: Cantidad, type: integer }}
#     rows:
#       - [Primera fila, 10]
#       - [Segunda fila, 20]
#     total: [Total, 30]
# charts:
#   - id: {id}-grafico
#     table: {id}
#     type: bar
#     x: item
#     y: cantidad
#     title: "Título del gráfico"
---
Escriba aquí el texto de la sección.

## Un subtítulo

Los párrafos se separan con una línea en blanco.
"#,
        title = quoted(title)
    )
}

fn index_text(title: &str, institution: &str, year: i32) -> String {
    format!(
        r#"---
title: {title}
institution: {institution}
year: {year}
language: es-CL
licence: CC-BY-4.0
---
Escriba aquí la presentación de la cuenta pública {year}: en pocas líneas, qué
hizo la institución durante el año y cómo puede participar la ciudadanía.

Cada sección del informe es un archivo en la carpeta `content/`. Para agregar
una, use `cuenta new "Título de la sección"`; para ver el sitio mientras
escribe, `cuenta serve`.
"#,
        title = quoted(title),
        institution = quoted(institution)
    )
}

fn example_text(year: i32) -> String {
    format!(
        r#"---
title: "Gestión {year}"
weight: 1
summary: "Sección de ejemplo con una tabla y un gráfico: reemplace sus datos por los reales."
tables:
  - id: atenciones-{year}
    caption: "Atenciones al público por trimestre, {year} (datos de ejemplo)"
    source: "Registro de atención de público (ejemplo)"
    columns:
      - {{ id: trimestre, label: Trimestre }}
      - {{ id: atenciones, label: Atenciones, type: integer }}
    rows:
      - [Primer trimestre, 120]
      - [Segundo trimestre, 135]
      - [Tercer trimestre, 150]
      - [Cuarto trimestre, 110]
    total: [Total, 515]
charts:
  - id: atenciones-por-trimestre-{year}
    table: atenciones-{year}
    type: bar
    x: trimestre
    y: atenciones
    title: "Atenciones al público por trimestre, {year}"
---
Durante {year} se atendió a {{{{ figure(table="atenciones-{year}", row="Total", col="atenciones") }}}}
personas. Las cifras de esta sección son un ejemplo: cámbielas por las reales.

{{{{ table(id="atenciones-{year}") }}}}

{{{{ chart(id="atenciones-por-trimestre-{year}") }}}}
"#
    )
}

const GITIGNORE: &str =
    "# cuenta: the built site, the temporary folders of a build, the build cache\n/output/\n/.output.cuenta-*/\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_titles_yaml_safe() {
        let cases = [
            ("Gestión 2019", "\"Gestión 2019\""),
            ("Salud: metas # 1", "\"Salud: metas # 1\""),
            ("Dice \"hola\"", "\"Dice \\\"hola\\\"\""),
            ("a\\b", "\"a\\\\b\""),
        ];
        for (text, expected) in cases {
            assert_eq!(quoted(text), expected);
        }
    }

    #[test]
    fn long_slugs_give_ids_that_fit() {
        let slug = "programa-de-fortalecimiento-de-la-gestion-provincial-de-las-gobernaciones";
        let id = id_from(slug);
        assert!(id.len() <= ID_ROOM && !id.ends_with('-'), "{id}");
        assert!(format!("{id}-grafico").len() <= 64);
        assert_eq!(id_from("salud"), "salud");
    }
}
