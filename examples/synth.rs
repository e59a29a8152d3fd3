//! Synthetic report generator for the build benchmark (issue 8).
//!
//! ```text
//! cargo run --release --example synth -- --sections N --out DIR [--chapters K] [--hugo DIR2]
//! ```
//!
//! Writes `DIR/content/_index.md` and `N` sections shaped like real ones: about
//! 2 KB of Spanish prose with two `##` headings and a list, one table of 10 rows
//! (text, integer, money and a percent column computed by formula from null
//! cells) and one bar chart over it. With `--hugo DIR2` it also writes the same
//! sections as a minimal Hugo site (prose + the table as a pipe table, no chart)
//! so both generators can be timed on the same words.
//!
//! With `--chapters K` the sections are spread evenly over K chapter folders
//! (`01-capitulo-1/` …, each with an `_index.md` giving its title and a short
//! intro), as real reports are organised (issue 16).
//!
//! Output is deterministic: a fixed-seed LCG, seeded per section from its
//! number, so the same `N` always gives byte-identical files and section `k`
//! has the same text whatever `N` is. File names are zero-padded
//! (`0001-seccion-1.md`, at least 4 digits) so lexical order is section order.
//!
//! Only std: this file also compiles on its own with
//! `rustc --edition 2021 -O examples/synth.rs`, which `benches/run.sh` uses as
//! a fallback when the library crate does not build.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// PCG-style 64-bit LCG (Knuth's MMIX constants), high bits as output.
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Self {
        let mut l = Lcg(seed ^ 0x2018_C0E7_A5EC_0001);
        l.next();
        l.next();
        l
    }
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    /// Uniform-ish integer in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.next() as u64) % (hi - lo + 1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
}

const THEMES: &[&str] = &[
    "Seguridad pública",
    "Desarrollo social",
    "Gestión territorial",
    "Infraestructura y conectividad",
    "Emergencias y protección civil",
    "Extranjería y migración",
    "Fomento productivo",
    "Medio ambiente",
    "Salud y bienestar",
    "Educación y cultura",
    "Participación ciudadana",
    "Gestión interna",
    "Vivienda y barrios",
    "Deporte y recreación",
    "Pueblos originarios",
    "Transparencia y probidad",
];

const HEADINGS: &[&str] = &[
    "Principales logros del período",
    "Ejecución presupuestaria",
    "Coordinación intersectorial",
    "Atención a la ciudadanía",
    "Desafíos para el próximo año",
    "Trabajo en terreno",
    "Resultados de los programas",
    "Mesas de trabajo comunales",
    "Inversión en la provincia",
    "Compromisos cumplidos",
];

const SENTENCES: &[&str] = &[
    "Durante el período la gobernación mantuvo un trabajo coordinado con los servicios públicos de la provincia.",
    "Las mesas técnicas sesionaron de manera periódica y sus acuerdos quedaron registrados en actas públicas.",
    "Se priorizó la atención de las comunas con mayor población en situación de vulnerabilidad.",
    "El equipo profesional realizó visitas en terreno a sectores rurales y localidades apartadas.",
    "La ejecución del presupuesto se ajustó a la programación aprobada a comienzos del año.",
    "Los programas sociales llegaron a un número mayor de familias que en el ejercicio anterior.",
    "La coordinación con las municipalidades permitió resolver con rapidez los requerimientos de los vecinos.",
    "Se fortalecieron los canales de atención presencial, telefónica y digital de la oficina de partes.",
    "Las organizaciones comunitarias participaron activamente en la definición de las prioridades locales.",
    "El comité de emergencia se activó en cada evento climático y coordinó la respuesta de los servicios.",
    "La inversión se concentró en obras de conectividad, agua potable y equipamiento comunitario.",
    "Se realizaron jornadas de capacitación dirigidas a dirigentes sociales y funcionarios públicos.",
    "Los recursos asignados fueron rendidos oportunamente ante la Contraloría General de la República.",
    "La demanda de trámites aumentó de forma sostenida y obligó a reorganizar los turnos de atención.",
    "Se firmaron convenios de colaboración con universidades y fundaciones de la región.",
    "Los indicadores de gestión muestran un avance respecto de las metas comprometidas.",
    "Las rondas preventivas se ampliaron a nuevos sectores en conjunto con las policías.",
    "El plan de invierno incluyó la entrega de ayudas a las familias afectadas por las lluvias.",
    "La información del período se publicó en el portal de transparencia activa de la institución.",
    "Se implementó un sistema de seguimiento que permite conocer el estado de cada solicitud ciudadana.",
    "La cobertura de los programas alcanzó a todas las comunas de la provincia por primera vez.",
    "Las audiencias públicas permitieron recoger propuestas que hoy forman parte de la planificación.",
    "Se gestionaron recursos adicionales del fondo social para proyectos de organizaciones vecinales.",
    "El trabajo con los pueblos originarios se desarrolló respetando los procesos de consulta vigentes.",
];

const LIST_ITEMS: &[&str] = &[
    "Reuniones de coordinación con los servicios públicos",
    "Operativos de atención en localidades rurales",
    "Entrega de ayudas sociales de emergencia",
    "Capacitaciones a dirigentes y funcionarios",
    "Seguimiento de proyectos de inversión",
    "Fiscalizaciones conjuntas con otros organismos",
    "Difusión de beneficios estatales",
    "Atención de consultas y reclamos ciudadanos",
    "Mesas de trabajo con organizaciones sociales",
    "Actualización de los planes de emergencia",
];

const PROGRAMS: &[&str] = &[
    "Fondo Social Presidente de la República",
    "Fondo Organización Regional de Acción Social",
    "Programa Calle Sin Violencia",
    "Plan Comunal de Seguridad",
    "Gobierno en Terreno",
    "Programa de Apoyo a Víctimas",
    "Programa Denuncia Seguro",
    "Plan de Invierno",
    "Programa Barrios Comerciales",
    "Programa de Pavimentos Participativos",
    "Programa de Agua Potable Rural",
    "Subsidio de Arriendo",
    "Programa Vínculos",
    "Programa Familias",
    "Programa Habitabilidad",
    "Programa de Autoconsumo",
    "Fondo de Protección Ambiental",
    "Programa Quiero Mi Barrio",
    "Programa Elige Vivir Sano",
    "Programa de Mejoramiento Urbano",
    "Programa Lazos",
    "Programa Noche Digna",
    "Programa Chile Crece Contigo",
    "Programa de Emprendimiento Local",
];

const ROWS: usize = 10;

struct Row {
    programa: &'static str,
    beneficiarios: u64,
    presupuesto: u64,
    gastado: u64,
}

struct Section {
    file_stem: String,
    table_id: String,
    chart_id: String,
    title: String,
    weight: usize,
    summary: String,
    caption: String,
    /// Markdown body before the table placement.
    body_before: String,
    /// Markdown body after the table placement.
    body_after: String,
    rows: Vec<Row>,
}

fn paragraph(rng: &mut Lcg, min_len: usize) -> String {
    let mut p = String::new();
    let mut used = [false; SENTENCES.len()];
    while p.len() < min_len {
        // No sentence twice in one paragraph (the bank is far larger than a paragraph).
        let mut i = rng.next() as usize % SENTENCES.len();
        while used[i] {
            i = (i + 1) % SENTENCES.len();
        }
        used[i] = true;
        if !p.is_empty() {
            p.push(' ');
        }
        p.push_str(SENTENCES[i]);
    }
    p
}

fn make_section(k: usize, width: usize) -> Section {
    let mut rng = Lcg::new(k as u64);
    let theme = THEMES[(k - 1) % THEMES.len()];
    let id = format!("{k:0width$}");
    let title = format!("Sección {k}: {theme}");
    let summary = rng.pick(SENTENCES).to_string();

    let h1 = rng.pick(HEADINGS);
    let mut h2 = rng.pick(HEADINGS);
    if h2 == h1 {
        h2 = HEADINGS[(HEADINGS.iter().position(|h| *h == h1).unwrap_or(0) + 1) % HEADINGS.len()];
    }

    let mut before = String::new();
    before.push_str(&paragraph(&mut rng, 260));
    before.push_str("\n\n## ");
    before.push_str(h1);
    before.push_str("\n\n");
    before.push_str(&paragraph(&mut rng, 420));
    before.push_str("\n\nEntre las acciones realizadas destacan:\n\n");
    let n_items = 4 + rng.next() as usize % 2;
    let start = rng.next() as usize % LIST_ITEMS.len();
    for j in 0..n_items {
        let item = LIST_ITEMS[(start + j * 3) % LIST_ITEMS.len()];
        let _ = writeln!(before, "- {item}: {} actividades.", rng.range(3, 240));
    }
    before.push_str("\n## ");
    before.push_str(h2);
    before.push_str("\n\n");
    before.push_str(&paragraph(&mut rng, 420));
    before.push('\n');

    let mut after = String::new();
    after.push_str(&paragraph(&mut rng, 300));
    after.push('\n');

    // Ten distinct programmes, in a per-section order.
    let mut idx: Vec<usize> = (0..PROGRAMS.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = rng.next() as usize % (i + 1);
        idx.swap(i, j);
    }
    let rows = idx[..ROWS]
        .iter()
        .map(|&p| {
            let presupuesto = rng.range(50, 9_000) * 100_000;
            let pct = rng.range(600, 1_050); // per mille of presupuesto
            Row {
                programa: PROGRAMS[p],
                beneficiarios: rng.range(15, 25_000),
                presupuesto,
                gastado: presupuesto / 1000 * pct,
            }
        })
        .collect();

    Section {
        file_stem: format!("{id}-seccion-{k}"),
        table_id: format!("t{id}"),
        chart_id: format!("c{id}"),
        title,
        weight: k,
        summary,
        caption: format!("Ejecución por programa, {}", theme.to_lowercase()),
        body_before: before,
        body_after: after,
        rows,
    }
}

fn cuenta_file(s: &Section) -> String {
    let mut o = String::with_capacity(4096);
    let _ = write!(
        o,
        "---\ntitle: \"{}\"\nweight: {}\nsummary: \"{}\"\ntables:\n  - id: {}\n    caption: \"{}\"\n    source: Sistema de prueba\n    columns:\n",
        s.title, s.weight, s.summary, s.table_id, s.caption
    );
    o.push_str("      - { id: programa, label: Programa }\n");
    o.push_str("      - { id: beneficiarios, label: Beneficiarios, type: integer }\n");
    o.push_str("      - { id: presupuesto, label: Presupuesto, type: money }\n");
    o.push_str("      - { id: gastado, label: Gastado, type: money }\n");
    o.push_str("      - { id: ejecucion, label: Ejecución, type: percent, decimals: 1, formula: \"gastado / presupuesto * 100\" }\n");
    o.push_str("    rows:\n");
    for r in &s.rows {
        let _ = writeln!(o, "      - [{}, {}, {}, {}, ~]", r.programa, r.beneficiarios, r.presupuesto, r.gastado);
    }
    let _ = write!(
        o,
        "charts:\n  - {{ id: {}, table: {}, type: bar, x: programa, y: [presupuesto, gastado], title: Presupuesto y gasto }}\n---\n",
        s.chart_id, s.table_id
    );
    o.push_str(&s.body_before);
    let _ = write!(o, "\n{{{{ table(id=\"{}\") }}}}\n\n", s.table_id);
    o.push_str(&s.body_after);
    // The chart is left unplaced on purpose: it follows the body.
    o
}

/// 1234567 -> "1.234.567" (es-CL grouping).
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn hugo_file(s: &Section) -> String {
    let mut o = String::with_capacity(4096);
    let _ = write!(o, "---\ntitle: \"{}\"\nweight: {}\nsummary: \"{}\"\n---\n", s.title, s.weight, s.summary);
    o.push_str(&s.body_before);
    let _ = write!(o, "\n**{}** (Fuente: Sistema de prueba)\n\n", s.caption);
    o.push_str("| Programa | Beneficiarios | Presupuesto | Gastado | Ejecución |\n");
    o.push_str("|---|--:|--:|--:|--:|\n");
    for r in &s.rows {
        // Percent with one decimal, rounded half up, decimal comma.
        let tenths = (r.gastado * 1000 + r.presupuesto / 2) / r.presupuesto;
        let _ = writeln!(
            o,
            "| {} | {} | $ {} | $ {} | {},{} % |",
            r.programa,
            group(r.beneficiarios),
            group(r.presupuesto),
            group(r.gastado),
            tenths / 10,
            tenths % 10
        );
    }
    o.push('\n');
    o.push_str(&s.body_after);
    o
}

const INTRO: &str = "Este informe sintético reúne la gestión del período en secciones temáticas. \
Cada sección incluye un resumen de las acciones realizadas, una tabla de ejecución por programa \
y un gráfico que compara el presupuesto con el gasto.\n";

const HUGO_TOML: &str = r#"baseURL = "https://example.org/"
languageCode = "es-cl"
title = "Informe sintético"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="es-CL">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
"#;

/// Removes generated files left by an earlier run with a larger N, so the
/// directory holds exactly this run's sections. Only touches `_index.md` and
/// `NNNN-seccion-*.md`.
fn clear_generated(dir: &Path) -> io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for e in fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        let ours = name == "_index.md"
            || (name.ends_with(".md")
                && name.contains("-seccion-")
                && name.bytes().next().is_some_and(|b| b.is_ascii_digit()));
        if ours {
            fs::remove_file(e.path())?;
        } else if e.path().is_dir() && name.contains("-capitulo-") {
            fs::remove_dir_all(e.path())?;
        }
    }
    Ok(())
}

fn usage() -> ExitCode {
    eprintln!("usage: synth --sections N --out DIR [--chapters K] [--hugo DIR2]");
    ExitCode::from(2)
}

/// The folder section `k` (from 1) of `n` goes in with `chapters` chapters,
/// writing the chapter's `_index.md` when it is new; `content` without any.
fn chapter_dir(content: &Path, k: usize, n: usize, chapters: usize) -> io::Result<PathBuf> {
    if chapters == 0 {
        return Ok(content.to_path_buf());
    }
    let c = (k - 1) * chapters / n + 1;
    let dir = content.join(format!("{c:02}-capitulo-{c}"));
    if !dir.is_dir() {
        fs::create_dir_all(&dir)?;
        let index = format!(
            "---\ntitle: \"Capítulo {c}\"\nsummary: \"Programas y resultados del capítulo {c}.\"\n---\nEste capítulo reúne las secciones de su área.\n"
        );
        fs::write(dir.join("_index.md"), index)?;
    }
    Ok(dir)
}

fn run(n: usize, out: &Path, hugo: Option<&Path>, chapters: usize) -> io::Result<(usize, usize)> {
    let width = n.to_string().len().max(4);
    let content = out.join("content");
    fs::create_dir_all(&content)?;
    clear_generated(&content)?;
    fs::write(
        content.join("_index.md"),
        format!("---\ntitle: Informe sintético\ninstitution: Gobernación de Prueba\nyear: 2018\n---\n{INTRO}"),
    )?;

    let hugo_content = match hugo {
        Some(h) => {
            let c = h.join("content");
            fs::create_dir_all(&c)?;
            clear_generated(&c)?;
            let d = h.join("layouts").join("_default");
            fs::create_dir_all(&d)?;
            fs::write(h.join("hugo.toml"), HUGO_TOML)?;
            fs::write(d.join("baseof.html"), HUGO_BASEOF)?;
            fs::write(d.join("single.html"), HUGO_SINGLE)?;
            fs::write(d.join("list.html"), HUGO_LIST)?;
            fs::write(c.join("_index.md"), format!("---\ntitle: Informe sintético\n---\n{INTRO}"))?;
            Some(c)
        }
        None => None,
    };

    let (mut bytes, mut hbytes) = (0, 0);
    for k in 1..=n {
        let s = make_section(k, width);
        let file = format!("{}.md", s.file_stem);
        let text = cuenta_file(&s);
        bytes += text.len();
        fs::write(chapter_dir(&content, k, n, chapters)?.join(&file), text)?;
        if let Some(c) = &hugo_content {
            let text = hugo_file(&s);
            hbytes += text.len();
            fs::write(c.join(&file), text)?;
        }
    }
    Ok((bytes, hbytes))
}

fn main() -> ExitCode {
    let mut sections: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut hugo: Option<PathBuf> = None;
    let mut chapters = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sections" | "-n" => match args.next().and_then(|v| v.parse().ok()) {
                Some(v) => sections = Some(v),
                None => return usage(),
            },
            "--out" | "-o" => match args.next() {
                Some(v) => out = Some(v.into()),
                None => return usage(),
            },
            "--chapters" => match args.next().and_then(|v| v.parse().ok()) {
                Some(v) => chapters = v,
                None => return usage(),
            },
            "--hugo" => match args.next() {
                Some(v) => hugo = Some(v.into()),
                None => return usage(),
            },
            "-h" | "--help" => {
                eprintln!("usage: synth --sections N --out DIR [--chapters K] [--hugo DIR2]");
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    let (Some(n), Some(out)) = (sections, out) else {
        return usage();
    };
    if n == 0 {
        eprintln!("synth: --sections must be at least 1");
        return ExitCode::from(2);
    }
    match run(n, &out, hugo.as_deref(), chapters.min(n)) {
        Ok((bytes, hbytes)) => {
            eprint!("synth: {n} sections, {} KB of content in {}", bytes / 1024, out.join("content").display());
            if let Some(h) = &hugo {
                eprint!(" and {} KB in {}", hbytes / 1024, h.join("content").display());
            }
            eprintln!();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
