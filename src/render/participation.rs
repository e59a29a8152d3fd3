//! A participation process as HTML for a citizen on a phone: the process,
//! how to take part while it is open, the legal answer deadline, counts by
//! status and topic, then every question with its answer, grouped by topic.
//! Plain block HTML (no table, no script), so nothing scrolls sideways and
//! it reads without JavaScript; each question has its own anchor, and a
//! search block, so the offline search finds it.

use crate::markdown::{escape_html as esc, TextBlock, TocEntry};
use crate::model::Report;
use crate::participation::{self, Participation, Question, Settings, Status};
use crate::slug::slugify;
use crate::theme::Theme;
use std::fmt::Write as _;

/// What the participation block adds to its section's body.
pub(super) struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub blocks: Vec<TextBlock>,
}

/// The anchors the block uses, so that Markdown headings keep clear of them.
pub(super) fn reserved_ids(p: &Participation) -> Vec<String> {
    let mut ids: Vec<String> = vec![PROCESS_ID.into(), QUESTIONS_ID.into(), "participar".into()];
    ids.extend(topic_ids(p));
    ids.extend(p.questions.iter().map(|q| q.id.clone()));
    ids
}

const PROCESS_ID: &str = "participacion-proceso";
const QUESTIONS_ID: &str = "preguntas-y-respuestas";

/// `tema-<slug>` for each topic, in order of first appearance, unique.
fn topic_ids(p: &Participation) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (topic, _) in p.by_topic() {
        let base = format!("tema-{}", slugify(topic));
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        ids.push(id);
    }
    ids
}

/// The block for the participation of `slug`.
pub(super) fn render(report: &Report, slug: &str, p: &Participation, theme: &Theme) -> Rendered {
    let s = report.settings();
    let (lang, fmt) = (s.language.as_str(), &report.format);
    let t = |key: &str| esc(&theme.string(key));
    let mut html = String::new();
    let mut toc = Vec::new();
    let mut blocks = Vec::new();

    // The process.
    toc.push(TocEntry { id: PROCESS_ID.into(), title: theme.string("participation_process"), level: 2 });
    let _ = writeln!(html, "<section class=\"participation\" aria-labelledby=\"{PROCESS_ID}\">");
    let _ = writeln!(html, "<h2 id=\"{PROCESS_ID}\">{}</h2>", t("participation_process"));
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(m) = p.modality {
        facts.push((t("participation_modality"), t(&format!("participation_modality_{}", m.word()))));
    }
    match (p.start, p.end) {
        (Some(a), Some(b)) if a != b => {
            facts.push((t("participation_dates"), esc(&format!("{} – {}", a.long(lang), b.long(lang)))))
        }
        (Some(a), _) | (None, Some(a)) => facts.push((t("participation_dates"), esc(&a.long(lang)))),
        (None, None) => {}
    }
    if !p.places.is_empty() {
        facts.push((t("participation_places"), esc(&p.places.join(", "))));
    }
    if let Some(n) = p.participants {
        facts.push((t("participation_participants"), esc(&fmt.integer(n as i64))));
    }
    if !facts.is_empty() {
        html.push_str("<dl class=\"participation-facts\">\n");
        for (k, v) in &facts {
            let _ = writeln!(html, "<div><dt>{k}</dt><dd>{v}</dd></div>");
        }
        html.push_str("</dl>\n");
    }
    if !p.activities.is_empty() {
        let _ = writeln!(html, "<h3>{}</h3>\n<ul class=\"participation-activities\">", t("participation_activities"));
        for a in &p.activities {
            let mut parts: Vec<String> = Vec::new();
            if let Some(n) = a.count {
                parts.push(format!("{} {}", fmt.integer(n as i64), theme.string("participation_events")));
            }
            if let Some(n) = a.participants {
                parts.push(format!("{} {}", fmt.integer(n as i64), theme.string("participation_people")));
            }
            if let Some(n) = a.attentions {
                parts.push(format!("{} {}", fmt.integer(n as i64), theme.string("participation_attentions")));
            }
            if let Some(d) = a.date {
                parts.push(d.long(lang));
            }
            if let Some(place) = &a.place {
                parts.push(place.clone());
            }
            let _ = write!(html, "<li><strong>{}</strong>", esc(&a.name));
            if !parts.is_empty() {
                let _ = write!(html, ": {}", esc(&parts.join(" · ")));
            }
            if let Some(d) = &a.description {
                let _ = write!(html, "<br>{}", esc(d));
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n");
    }
    if let Some(c) = &p.cosoc {
        let _ = writeln!(
            html,
            "<h3>{}</h3>\n<blockquote class=\"participation-cosoc\">{}</blockquote>",
            t("participation_cosoc"),
            paragraphs(c)
        );
    }
    html.push_str(&how_to_participate(&s.participation, lang, theme, 3));
    html.push_str("</section>\n");
    let mut process_text = facts.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(" ");
    for a in &p.activities {
        process_text.push(' ');
        process_text.push_str(&a.name);
    }
    if let Some(c) = &p.cosoc {
        process_text.push(' ');
        process_text.push_str(c);
    }
    blocks.push(TextBlock {
        heading: Some(TocEntry { id: PROCESS_ID.into(), title: theme.string("participation_process"), level: 2 }),
        text: process_text,
    });
    if !p.questions.is_empty() {
        questions(report, slug, p, theme, &mut html, &mut toc, &mut blocks);
    }
    Rendered { html, toc, blocks }
}

#[allow(clippy::too_many_arguments)]
fn questions(
    report: &Report,
    slug: &str,
    p: &Participation,
    theme: &Theme,
    html: &mut String,
    toc: &mut Vec<TocEntry>,
    blocks: &mut Vec<TextBlock>,
) {
    let s = report.settings();
    let (settings, lang, fmt) = (&s.participation, s.language.as_str(), &report.format);
    let t = |key: &str| esc(&theme.string(key));
    let (table_id, _) = participation::table_ids(slug);
    let title = theme.string("participation_questions");
    toc.push(TocEntry { id: QUESTIONS_ID.into(), title: title.clone(), level: 2 });
    // The section carries the questions table's anchor: the data page links here.
    let _ = writeln!(
        html,
        "<section class=\"participation-questions\" id=\"tabla-{table_id}\" aria-labelledby=\"{QUESTIONS_ID}\">"
    );
    let _ = writeln!(html, "<h2 id=\"{QUESTIONS_ID}\">{}</h2>", esc(&title));
    let deadline = theme.string("participation_deadline").replace("{n}", &settings.deadline_days.to_string());
    let _ = writeln!(
        html,
        "<p class=\"participation-deadline\"><strong>{}</strong> {}</p>",
        esc(&deadline),
        t("participation_deadline_note")
    );
    if let Some(day) = p.as_of {
        let _ = writeln!(html, "<p>{} {}.</p>", t("participation_as_of"), esc(&day.long(lang)));
    }
    // Counts.
    let overdue = p.questions.iter().filter(|q| q.overdue(settings, p.as_of)).count();
    let _ = writeln!(html, "<div class=\"participation-counts\">\n<h3>{}</h3>\n<ul>", t("participation_by_status"));
    let _ = writeln!(
        html,
        "<li><strong>{}</strong> {}</li>",
        fmt.integer(p.questions.len() as i64),
        t("participation_received")
    );
    for (status, n) in p.by_status() {
        let _ = writeln!(
            html,
            "<li class=\"status-{}\"><strong>{}</strong> {}</li>",
            status.slug(),
            fmt.integer(n as i64),
            t(&status_key(status))
        );
    }
    if overdue > 0 {
        let _ = writeln!(
            html,
            "<li class=\"overdue\"><strong>{}</strong> {}</li>",
            fmt.integer(overdue as i64),
            t("participation_overdue_count")
        );
    }
    html.push_str("</ul>\n");
    let ids = topic_ids(p);
    let counts: Vec<String> =
        p.by_status().iter().map(|(status, n)| format!("{} {n}", theme.string(&status_key(*status)))).collect();
    blocks.push(TextBlock {
        heading: Some(TocEntry { id: QUESTIONS_ID.into(), title: title.clone(), level: 2 }),
        text: format!("{deadline} {}", counts.join(" ")),
    });
    let _ = writeln!(html, "<h3>{}</h3>\n<ul>", t("participation_by_topic"));
    for ((topic, qs), id) in p.by_topic().iter().zip(&ids) {
        let _ = writeln!(html, "<li><a href=\"#{id}\">{}</a>: {}</li>", esc(topic), fmt.integer(qs.len() as i64));
    }
    html.push_str("</ul>\n</div>\n");
    for ((topic, qs), id) in p.by_topic().iter().zip(&ids) {
        toc.push(TocEntry { id: id.clone(), title: topic.to_string(), level: 3 });
        let _ = writeln!(
            html,
            "<h3 id=\"{id}\" class=\"participation-topic\">{} <span class=\"count\">({})</span></h3>",
            esc(topic),
            qs.len()
        );
        for q in qs {
            html.push_str(&question(report, q, settings, p.as_of, lang, theme));
            blocks.push(TextBlock {
                heading: Some(TocEntry { id: q.id.clone(), title: format!("{topic}: {}", short(&q.text)), level: 3 }),
                text: format!("{} {}", q.text, q.answer.as_deref().unwrap_or("")),
            });
        }
    }
    html.push_str("</section>\n");
}

fn status_key(status: Status) -> String {
    format!("participation_status_{}", status.slug().replace('-', "_"))
}

/// One question as an article with its own anchor.
fn question(
    report: &Report,
    q: &Question,
    settings: &Settings,
    as_of: Option<participation::date::Date>,
    lang: &str,
    theme: &Theme,
) -> String {
    let t = |key: &str| esc(&theme.string(key));
    let overdue = q.overdue(settings, as_of);
    let deadline = q.deadline(settings);
    let mut html = String::new();
    let class = if overdue { " overdue" } else { "" };
    let _ = writeln!(html, "<article class=\"question status-{}{class}\" id=\"{}\">", q.status.slug(), q.id);
    let mut meta = format!("{} {}", t("participation_received_on"), esc(&q.received.long(lang)));
    if let Some(c) = &q.channel {
        let _ = write!(meta, " · {}: {}", t("participation_channel"), esc(c));
    }
    let _ = writeln!(html, "<p class=\"question-meta\">{meta}</p>");
    let _ = writeln!(
        html,
        "<p class=\"question-text\"><strong>{}:</strong> {}</p>",
        t("participation_question"),
        esc(&q.text)
    );
    let _ = write!(html, "<p class=\"question-status\"><span class=\"badge\">{}</span>", t(&status_key(q.status)));
    if overdue {
        let _ = write!(html, " <span class=\"badge badge-overdue\">{}</span>", t("participation_overdue"));
    }
    let _ = writeln!(html, " {} {}</p>", t("participation_deadline_until"), esc(&deadline.long(lang)));
    if let Some(a) = &q.answer {
        let when = q.answered.map(|d| format!(" ({})", d.long(lang))).unwrap_or_default();
        let _ = writeln!(
            html,
            "<div class=\"answer\"><p><strong>{}{}:</strong></p>{}</div>",
            t("participation_answer"),
            esc(&when),
            paragraphs(a)
        );
    }
    let mut links = Vec::new();
    if let Some((slug, _)) = &q.section {
        if let Some(sec) = report.sections.iter().find(|s| &s.slug == slug) {
            links.push(format!("<a href=\"{}.html\">{}</a>", sec.slug, esc(&sec.title)));
        }
    }
    if let Some((id, _)) = &q.table {
        if let Some((sec, table)) = report.table(id) {
            links.push(format!("<a href=\"{}.html#tabla-{}\">{}</a>", sec.slug, table.id, esc(&table.caption)));
        }
    }
    if !links.is_empty() {
        let _ = writeln!(html, "<p class=\"question-links\">{} {}</p>", t("participation_see"), links.join(" · "));
    }
    let _ = writeln!(html, "<p class=\"question-anchor\"><a href=\"#{}\">{}</a></p>", q.id, t("participation_link"));
    html.push_str("</article>\n");
    html
}

/// "How to take part" while the process is open: the channels as links and
/// the closing date, under a heading of `level`. Empty when the settings
/// give no closing date.
pub(super) fn how_to_participate(settings: &Settings, lang: &str, theme: &Theme, level: u8) -> String {
    let Some(until) = settings.open_until else { return String::new() };
    let t = |key: &str| esc(&theme.string(key));
    let mut html = format!(
        "<aside class=\"participate\" aria-labelledby=\"participar\">\n<h{level} id=\"participar\">{}</h{level}>\n<p>{} {}.</p>\n<ul>\n",
        t("participation_how"),
        t("participation_open_until"),
        esc(&until.long(lang))
    );
    if let Some(e) = &settings.email {
        let _ = writeln!(html, "<li>{}: <a href=\"mailto:{}\">{}</a></li>", t("participation_email"), esc(e), esc(e));
    }
    if let Some(f) = &settings.form {
        let _ = writeln!(html, "<li><a href=\"{}\">{}</a></li>", esc(f), t("participation_form"));
    }
    if let Some(a) = &settings.address {
        let _ = writeln!(html, "<li>{}: {}</li>", t("participation_address"), esc(a));
    }
    html.push_str("</ul>\n</aside>\n");
    html
}

/// Plain text as paragraphs, blank lines apart.
pub(super) fn paragraphs(text: &str) -> String {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(|p| format!("<p>{}</p>", esc(p))).collect()
}

/// The first words of a question, for search results.
fn short(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a).to_string();
    format!("{cut}…")
}
