//! The participatory part of a cuenta pública (Law 20.500): a section whose
//! front matter declares `participacion:` describes the process (dates,
//! modality, places, participants, the COSOC's statement, its activities)
//! and the questions and observations received with the office's answers.
//!
//! Raw serde structs as written → a validated [`Participation`] with dates
//! and statuses typed, diagnostics at file:line:col. Cross-section links
//! are checked by [`check_links`] once every section is known; the legal
//! answer deadline comes from the report's [`Settings`]. Two checked
//! tables are derived for open data and the count check ([`tables`]).

pub(crate) mod date;

use crate::diagnostics::{suggest, Diagnostic, Kind, Message, Span};
use crate::front_matter::Positions;
use crate::source::SourceFile;
use crate::table::{Cell, Checks, Column, ColumnType, DataTable, Mismatch, Row};
use date::Date;
use serde::{Deserialize, Serialize};

/// The default legal deadline: Law 19.880 art. 24 and the participation
/// norms of most offices give 45 business days to answer.
pub(crate) const DEFAULT_DEADLINE_DAYS: u32 = 45;

/// Two years of business days: a longer deadline is a typo, and counting
/// it day by day for every question would stall the build.
const MAX_DEADLINE_DAYS: u32 = 520;

/// `participacion:` in a section's front matter, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParticipation {
    #[serde(default)]
    modalidad: Option<String>,
    #[serde(default, deserialize_with = "scalar_text")]
    inicio: Option<String>,
    #[serde(default, deserialize_with = "scalar_text")]
    termino: Option<String>,
    #[serde(default)]
    lugares: Vec<String>,
    #[serde(default)]
    participantes: Option<u64>,
    #[serde(default)]
    cosoc: Option<String>,
    /// The number of questions the office says it received: checked
    /// against the questions listed.
    #[serde(default)]
    recibidas: Option<u64>,
    /// The day the statuses are stated at: unanswered questions whose
    /// deadline fell before it are overdue.
    #[serde(default, deserialize_with = "scalar_text")]
    corte: Option<String>,
    #[serde(default)]
    actividades: Vec<RawActivity>,
    #[serde(default)]
    preguntas: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActivity {
    nombre: String,
    #[serde(default)]
    cantidad: Option<u64>,
    #[serde(default)]
    participantes: Option<u64>,
    /// Services given to people (the "atenciones" of a plaza ciudadana).
    #[serde(default)]
    atenciones: Option<u64>,
    #[serde(default, deserialize_with = "scalar_text")]
    fecha: Option<String>,
    #[serde(default)]
    lugar: Option<String>,
    #[serde(default)]
    descripcion: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    #[serde(default)]
    id: Option<String>,
    tema: String,
    #[serde(default)]
    canal: Option<String>,
    #[serde(deserialize_with = "required_text")]
    recibida: String,
    pregunta: String,
    #[serde(default)]
    respuesta: Option<String>,
    #[serde(default, deserialize_with = "scalar_text")]
    respondida: Option<String>,
    #[serde(default)]
    estado: Option<String>,
    #[serde(default)]
    seccion: Option<String>,
    #[serde(default)]
    tabla: Option<String>,
}

/// How the process was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum Modality {
    Presencial,
    Virtual,
    Mixta,
}

const MODALITIES: [(&str, Modality); 3] =
    [("presencial", Modality::Presencial), ("virtual", Modality::Virtual), ("mixta", Modality::Mixta)];

impl Modality {
    /// The word editors write, which the page shows too.
    pub(crate) fn word(self) -> &'static str {
        MODALITIES.iter().find(|(_, m)| *m == self).map_or("", |(w, _)| w)
    }
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Status {
    Respondida,
    EnPlazo,
    Pendiente,
}

/// Every status, in the order pages and tables list them.
pub(crate) const STATUSES: [(&str, Status); 3] =
    [("respondida", Status::Respondida), ("en plazo", Status::EnPlazo), ("pendiente", Status::Pendiente)];

impl Status {
    /// The word editors write, which the page shows too.
    pub(crate) fn word(self) -> &'static str {
        STATUSES.iter().find(|(_, s)| *s == self).map_or("", |(w, _)| w)
    }
    /// The word as an id part (`en-plazo`).
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Status::Respondida => "respondida",
            Status::EnPlazo => "en-plazo",
            Status::Pendiente => "pendiente",
        }
    }
}

/// One activity of the process (a dialogue, a plaza ciudadana, a series).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Activity {
    pub name: String,
    pub count: Option<u64>,
    pub participants: Option<u64>,
    pub attentions: Option<u64>,
    pub date: Option<Date>,
    pub place: Option<String>,
    pub description: Option<String>,
}

/// One question or observation and the office's answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Question {
    /// Its anchor on the page: the `id:` written, or `pregunta-<n>`.
    pub id: String,
    pub topic: String,
    pub channel: Option<String>,
    pub received: Date,
    pub text: String,
    pub answer: Option<String>,
    pub answered: Option<Date>,
    pub status: Status,
    /// The section (slug) or table (id) it concerns, checked by [`check_links`].
    pub section: Option<(String, Span)>,
    pub table: Option<(String, Span)>,
}

/// A section's participation process, validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct Participation {
    pub modality: Option<Modality>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub places: Vec<String>,
    pub participants: Option<u64>,
    pub cosoc: Option<String>,
    pub declared_total: Option<(u64, Span)>,
    pub as_of: Option<Date>,
    pub activities: Vec<Activity>,
    pub questions: Vec<Question>,
}

/// Validates `participacion:`, found at `path` of the front matter.
pub(crate) fn parse(
    raw: RawParticipation,
    file: &SourceFile,
    positions: &Positions,
    path: &str,
) -> (Option<Participation>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let at = |sub: &str| positions.span(&format!("{path}.{sub}"));
    let date = |text: Option<String>, sub: &str, diags: &mut Vec<Diagnostic>| {
        text.and_then(|t| read_date(&t, file, at(sub), diags))
    };
    let modality = raw.modalidad.as_deref().and_then(|m| {
        let found = word_of(m, &MODALITIES);
        if found.is_none() {
            diags.push(unknown_word(file, at("modalidad"), m, &MODALITIES));
        }
        found
    });
    let start = date(raw.inicio, "inicio", &mut diags);
    let end = date(raw.termino, "termino", &mut diags);
    let as_of = date(raw.corte, "corte", &mut diags);
    let mut activities = Vec::with_capacity(raw.actividades.len());
    for (i, a) in raw.actividades.into_iter().enumerate() {
        let day = date(a.fecha, &format!("actividades.{i}.fecha"), &mut diags);
        activities.push(Activity {
            name: a.nombre,
            count: a.cantidad,
            participants: a.participantes,
            attentions: a.atenciones,
            date: day,
            place: a.lugar,
            description: a.descripcion,
        });
    }
    let mut questions: Vec<Question> = Vec::with_capacity(raw.preguntas.len());
    // Where each kept question was written, to name the first of a repeated id.
    let mut origin: Vec<usize> = Vec::with_capacity(raw.preguntas.len());
    for (i, q) in raw.preguntas.into_iter().enumerate() {
        let here = format!("preguntas.{i}");
        if let Some(q) = question(q, i, file, &|sub| at(&format!("{here}.{sub}")), &mut diags) {
            if let Some(j) = questions.iter().position(|o| o.id == q.id) {
                let first = format!("{}:{}", file.display, at(&format!("preguntas.{}", origin[j])).line);
                let (id, span) = (q.id.clone(), at(&format!("{here}.id")));
                diags.push(Diagnostic::error(file, span, Message::DuplicateId { kind: Kind::Question, id, first }));
            }
            origin.push(i);
            questions.push(q);
        }
    }
    let declared_total = raw.recibidas.map(|n| (n, at("recibidas")));
    let p = Participation {
        modality,
        start,
        end,
        places: raw.lugares,
        participants: raw.participantes,
        cosoc: raw.cosoc,
        declared_total,
        as_of,
        activities,
        questions,
    };
    let fatal = diags.iter().any(|d| d.severity == crate::diagnostics::Severity::Error);
    (if fatal { None } else { Some(p) }, diags)
}

fn question(
    q: RawQuestion,
    i: usize,
    file: &SourceFile,
    at: &dyn Fn(&str) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Question> {
    let id = q.id.clone().unwrap_or_else(|| format!("pregunta-{}", i + 1));
    if !crate::slug::is_valid_id(&id) {
        diags.push(Diagnostic::error(file, at("id"), Message::InvalidId { kind: Kind::Question, id: id.clone() }));
    }
    let received = read_date(&q.recibida, file, at("recibida"), diags);
    let answered = q.respondida.as_deref().and_then(|t| read_date(t, file, at("respondida"), diags));
    let answer = q.respuesta.filter(|a| !a.trim().is_empty());
    let status = match q.estado.as_deref() {
        Some(word) => match word_of(word, &STATUSES) {
            Some(s) => Some(s),
            None => {
                diags.push(unknown_word(file, at("estado"), word, &STATUSES));
                return None;
            }
        },
        None => answer.as_ref().map(|_| Status::Respondida),
    };
    let status = match status {
        Some(Status::Respondida) if answer.is_none() => None,
        other => other,
    };
    let Some(status) = status else {
        diags.push(Diagnostic::error(file, at("pregunta"), Message::QuestionWithoutAnswer { id: id.clone() }));
        return None;
    };
    if let (Some(r), Some(a)) = (received, answered) {
        if a < r {
            diags.push(Diagnostic::error(
                file,
                at("respondida"),
                Message::AnswerBeforeQuestion { answered: a.to_string(), received: r.to_string() },
            ));
        }
    }
    Some(Question {
        id,
        topic: q.tema,
        channel: q.canal,
        received: received?,
        text: q.pregunta,
        answer,
        answered,
        status,
        section: q.seccion.map(|s| (s, at("seccion"))),
        table: q.tabla.map(|t| (t, at("tabla"))),
    })
}

fn read_date(text: &str, file: &SourceFile, span: Span, diags: &mut Vec<Diagnostic>) -> Option<Date> {
    let date = Date::parse(text);
    if date.is_none() {
        let span = span.with_len(text.chars().count());
        diags.push(Diagnostic::error(file, span, Message::InvalidDate { value: text.to_string() }));
    }
    date
}

/// The value for `word`, case and spaces aside (`En plazo`, `en_plazo`).
fn word_of<T: Copy>(word: &str, words: &[(&str, T)]) -> Option<T> {
    let w = word.trim().to_lowercase().replace(['_', '-'], " ");
    words.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

fn unknown_word<T>(file: &SourceFile, span: Span, word: &str, words: &[(&str, T)]) -> Diagnostic {
    let expected: Vec<String> = words.iter().map(|(w, _)| w.to_string()).collect();
    let suggestion = suggest(word, words.iter().map(|(w, _)| *w));
    Diagnostic::error(
        file,
        span.with_len(word.chars().count()),
        Message::UnknownVariant { value: word.to_string(), suggestion, expected },
    )
}

/// Links from questions to sections and tables that do not exist, each with
/// the nearest known name.
pub(crate) fn check_links<'a>(
    file: &SourceFile,
    participation: &Participation,
    sections: impl Iterator<Item = &'a str> + Clone,
    tables: impl Iterator<Item = &'a str> + Clone,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for q in &participation.questions {
        if let Some((slug, span)) = &q.section {
            if !sections.clone().any(|s| s == slug) {
                let suggestion = suggest(slug, sections.clone());
                let message = Message::UnknownId { kind: Kind::Section, id: slug.clone(), suggestion };
                diags.push(Diagnostic::error(file, span.with_len(slug.chars().count()), message));
            }
        }
        if let Some((id, span)) = &q.table {
            if !tables.clone().any(|t| t == id) {
                let suggestion = suggest(id, tables.clone());
                let message = Message::UnknownId { kind: Kind::Table, id: id.clone(), suggestion };
                diags.push(Diagnostic::error(file, span.with_len(id.chars().count()), message));
            }
        }
    }
    diags
}

/// `participacion:` in `content/_index.md`: how to take part while the
/// process is open, and the legal answer deadline.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
    #[serde(default)]
    plazo_dias_habiles: Option<u32>,
    #[serde(default)]
    feriados: Vec<ScalarText>,
    #[serde(default, deserialize_with = "scalar_text")]
    abierta_hasta: Option<String>,
    #[serde(default)]
    correo: Option<String>,
    #[serde(default)]
    formulario: Option<String>,
    #[serde(default)]
    direccion: Option<String>,
}

/// The report's participation settings, validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Settings {
    /// Business days the office has to answer.
    pub deadline_days: u32,
    /// Days that are not business days besides weekends.
    pub holidays: Vec<Date>,
    /// The last day questions are received, while the process is open.
    pub open_until: Option<Date>,
    pub email: Option<String>,
    pub form: Option<String>,
    pub address: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            deadline_days: DEFAULT_DEADLINE_DAYS,
            holidays: Vec::new(),
            open_until: None,
            email: None,
            form: None,
            address: None,
        }
    }
}

/// Validates the settings found at `participacion` of `_index.md`.
pub(crate) fn settings(raw: RawSettings, file: &SourceFile, positions: &Positions) -> Result<Settings, Diagnostic> {
    let mut diags = Vec::new();
    let mut holidays = Vec::with_capacity(raw.feriados.len());
    for (i, h) in raw.feriados.iter().enumerate() {
        holidays.extend(read_date(&h.0, file, positions.span(&format!("participacion.feriados.{i}")), &mut diags));
    }
    let open_until =
        raw.abierta_hasta.and_then(|t| read_date(&t, file, positions.span("participacion.abierta_hasta"), &mut diags));
    if let Some(d) = diags.into_iter().next() {
        return Err(d);
    }
    let form = match raw.formulario {
        Some(url) => Some(crate::front_page::checked_link(url, file, positions, "participacion.formulario")?),
        None => None,
    };
    holidays.sort();
    holidays.dedup();
    let deadline_days = raw.plazo_dias_habiles.unwrap_or(DEFAULT_DEADLINE_DAYS);
    if deadline_days > MAX_DEADLINE_DAYS {
        let message = Message::DeadlineTooLong { days: deadline_days, max: MAX_DEADLINE_DAYS };
        return Err(Diagnostic::error(file, positions.span("participacion.plazo_dias_habiles"), message));
    }
    Ok(Settings { deadline_days, holidays, open_until, email: raw.correo, form, address: raw.direccion })
}

impl Question {
    /// The last day of the legal deadline.
    pub(crate) fn deadline(&self, settings: &Settings) -> Date {
        self.received.add_business_days(settings.deadline_days, &settings.holidays)
    }

    /// Answered after the deadline, or still unanswered when the deadline
    /// had passed on the process's cut-off day.
    pub(crate) fn overdue(&self, settings: &Settings, as_of: Option<Date>) -> bool {
        let deadline = self.deadline(settings);
        match (self.status, self.answered) {
            (Status::Respondida, Some(day)) => day > deadline,
            (Status::Respondida, None) => false,
            (_, _) => as_of.is_some_and(|day| day > deadline),
        }
    }
}

impl Participation {
    /// Questions per status, every status listed.
    pub(crate) fn by_status(&self) -> Vec<(Status, usize)> {
        STATUSES.iter().map(|(_, s)| (*s, self.questions.iter().filter(|q| q.status == *s).count())).collect()
    }

    /// Topics in order of first appearance, each with its questions.
    pub(crate) fn by_topic(&self) -> Vec<(&str, Vec<&Question>)> {
        let mut topics: Vec<(&str, Vec<&Question>)> = Vec::new();
        for q in &self.questions {
            match topics.iter_mut().find(|(t, _)| *t == q.topic) {
                Some((_, list)) => list.push(q),
                None => topics.push((&q.topic, vec![q])),
            }
        }
        topics
    }
}

/// The ids of the tables derived from the participation of section `slug`.
pub(crate) fn table_ids(slug: &str) -> (String, String) {
    (format!("{slug}-preguntas"), format!("{slug}-por-estado"))
}

/// The checked tables a participation process with questions adds to its
/// section (none without questions): every question with its answer (open
/// data), the count by topic, and the count by status whose total is the number the office declares it received (`recibidas`),
/// checked against the sum of the statuses like any declared total.
pub(crate) fn tables(
    p: &Participation,
    slug: &str,
    file: &SourceFile,
    span: Span,
) -> (Vec<DataTable>, Vec<Diagnostic>) {
    if p.questions.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let (questions_id, status_id) = table_ids(slug);
    let text = |id: &str, label: &str| Column {
        id: id.into(),
        label: label.into(),
        kind: ColumnType::Text,
        decimals: None,
        empty: None,
        formula: None,
        fill: true,
        unit: None,
        group: None,
    };
    let opt = |t: &Option<String>| t.as_ref().map_or(Cell::Empty, |t| Cell::Text(t.clone()));
    let row = |cells: Vec<Cell>| Row { computed: vec![false; cells.len()], cells, span, own: None };
    let questions = DataTable {
        id: questions_id,
        caption: "Preguntas y observaciones recibidas, con sus respuestas".into(),
        source: None,
        note: None,
        columns: vec![
            text("id", "Identificador"),
            text("tema", "Tema"),
            text("canal", "Canal"),
            text("recibida", "Fecha de recepción"),
            text("pregunta", "Pregunta u observación"),
            text("respuesta", "Respuesta"),
            text("respondida", "Fecha de respuesta"),
            text("estado", "Estado"),
            text("seccion", "Sección relacionada"),
            text("tabla", "Tabla relacionada"),
        ],
        rows: p
            .questions
            .iter()
            .map(|q| {
                row(vec![
                    Cell::Text(q.id.clone()),
                    Cell::Text(q.topic.clone()),
                    opt(&q.channel),
                    Cell::Text(q.received.to_string()),
                    Cell::Text(q.text.clone()),
                    opt(&q.answer),
                    q.answered.map_or(Cell::Empty, |d| Cell::Text(d.to_string())),
                    Cell::Text(q.status.word().into()),
                    opt(&q.section.as_ref().map(|s| s.0.clone())),
                    opt(&q.table.as_ref().map(|t| t.0.clone())),
                ])
            })
            .collect(),
        total: None,
        mismatches: Vec::new(),
        checks: Checks::default(),
        span,
    };
    let mut diags = Vec::new();
    let counts = p.by_status();
    let sum: usize = counts.iter().map(|(_, n)| n).sum();
    let (declared, checks, mismatches) = match p.declared_total {
        Some((n, at)) if usize::try_from(n).ok() != Some(sum) => {
            let (declared, computed) = (n.to_string(), sum.to_string());
            let m = Mismatch {
                column: "preguntas".into(),
                row: None,
                declared: declared.clone(),
                computed: computed.clone(),
                against: None,
                explain: None,
            };
            diags.push(Diagnostic::warning(
                file,
                at,
                Message::TotalMismatch { column: "preguntas".into(), declared, computed },
            ));
            (i64::try_from(n).unwrap_or(i64::MAX), 1, vec![m])
        }
        Some((n, _)) => (i64::try_from(n).unwrap_or(i64::MAX), 1, Vec::new()),
        None => (i64::try_from(sum).unwrap_or(i64::MAX), 0, Vec::new()),
    };
    let by_status = DataTable {
        id: status_id,
        caption: "Preguntas por estado de respuesta".into(),
        source: None,
        note: None,
        columns: vec![text("estado", "Estado"), Column { kind: ColumnType::Integer, ..text("preguntas", "Preguntas") }],
        rows: counts.iter().map(|(s, n)| row(vec![Cell::Text(s.word().into()), Cell::Int(*n as i64)])).collect(),
        total: Some(row(vec![Cell::Text("Total recibidas".into()), Cell::Int(declared)])),
        mismatches,
        checks: Checks { totals: checks, ..Checks::default() },
        span,
    };
    let by_topic = DataTable {
        id: format!("{slug}-por-tema"),
        caption: "Preguntas por tema".into(),
        source: None,
        note: None,
        columns: vec![text("tema", "Tema"), Column { kind: ColumnType::Integer, ..text("preguntas", "Preguntas") }],
        rows: p
            .by_topic()
            .iter()
            .map(|(topic, qs)| row(vec![Cell::Text(topic.to_string()), Cell::Int(qs.len() as i64)]))
            .collect(),
        total: Some(row(vec![Cell::Text("Total".into()), Cell::Int(sum as i64)])),
        mismatches: Vec::new(),
        checks: Checks::default(),
        span,
    };
    (vec![questions, by_status, by_topic], diags)
}

/// A scalar as its text: `2019-05-10`, `2019` and `true` all read as text,
/// whichever type the YAML parser gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ScalarText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date written as yyyy-mm-dd")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ScalarText, E> {
                Ok(ScalarText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn scalar_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<ScalarText>::deserialize(d)?.map(|s| s.0))
}

fn required_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(ScalarText::deserialize(d)?.0)
}

#[cfg(test)]
mod tests;
