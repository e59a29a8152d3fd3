use super::*;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct Front {
    participacion: RawParticipation,
}

fn parsed(yaml: &str) -> (Option<Participation>, Vec<Diagnostic>) {
    let text = format!("---\nparticipacion:\n{yaml}---\n");
    let file = SourceFile::new(Path::new("p.md"), "p.md".into(), &text);
    let split = crate::front_matter::split(&file).expect("split");
    let (front, positions): (Front, Positions) = crate::front_matter::parse(&file, &split).expect("yaml");
    parse(front.participacion, &file, &positions, "participacion")
}

fn one(extra: &str) -> (Option<Participation>, Vec<Diagnostic>) {
    parsed(&format!("  preguntas:\n    - tema: T\n      recibida: 2019-04-02\n      pregunta: ¿Q?\n{extra}"))
}

#[test]
fn an_answer_without_a_status_is_answered_and_statuses_ignore_case() {
    let (p, d) = one("      respuesta: Sí.\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(p.expect("parsed").questions[0].status, Status::Respondida);
    let (p, _) = one("      estado: En_Plazo\n");
    assert_eq!(p.expect("parsed").questions[0].status, Status::EnPlazo);
}

#[test]
fn answered_without_an_answer_is_refused() {
    let (p, d) = one("      estado: respondida\n");
    assert!(p.is_none());
    assert!(matches!(d[0].message, Message::QuestionWithoutAnswer { .. }), "{d:?}");
}

#[test]
fn repeated_question_ids_name_the_first() {
    let (_, d) = parsed(
        "  preguntas:\n    - { id: a, tema: T, recibida: 2019-04-02, pregunta: Q, estado: pendiente }\n    - { id: a, tema: T, recibida: 2019-04-02, pregunta: Q, estado: pendiente }\n",
    );
    assert!(
        matches!(&d[0].message, Message::DuplicateId { kind: Kind::Question, first, .. } if first == "p.md:4"),
        "{d:?}"
    );
}

#[test]
fn unanswered_questions_are_overdue_only_after_their_deadline_at_the_cut_off() {
    let (p, _) = one("      estado: pendiente\n");
    let q = &p.expect("parsed").questions[0];
    let settings = Settings::default();
    assert_eq!(q.deadline(&settings).to_string(), "2019-06-04");
    assert!(!q.overdue(&settings, Date::parse("2019-06-04")));
    assert!(q.overdue(&settings, Date::parse("2019-06-05")));
    assert!(!q.overdue(&settings, None), "without a cut-off day nothing unanswered is judged");
}
