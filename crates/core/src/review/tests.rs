//! Review state tests: actions, bulk accept, undo and redo, persistence.

use super::*;
use crate::library::builtin;
use crate::matching::Matcher;

fn session() -> (ReviewSession, Vec<Entry>) {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/cisa/ict-scrm-vendor-template.csv"
    ))
    .unwrap();
    let questionnaire = crate::import::import_questionnaire(&bytes, "cisa.csv").unwrap();
    let library = builtin::library();
    let matcher = Matcher::new(&library);
    let suggestions = matcher.match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
    (ReviewSession::new(questionnaire, suggestions, &library.entries, library.version()), library.entries)
}

#[test]
fn every_action_can_be_undone_and_redone() {
    let (mut session, entries) = session();
    let start = session.responses.clone();
    session.apply(ReviewAction::Edit { question: 0, answer: "No".into(), detail: "Because.".into() });
    session.apply(ReviewAction::NeedsSme { question: 1, note: "Ask legal".into() });
    session.apply(ReviewAction::Choose { question: 2, entry: Box::new(entries[0].clone()), confidence: None });
    session.apply(ReviewAction::Clear { question: 3 });
    let high = session.high_tier_pending().len();
    assert_eq!(session.apply(ReviewAction::AcceptAllHigh), high);
    let end = session.responses.clone();
    assert_eq!(session.responses[0].status, ResponseStatus::Edited);
    assert_eq!(session.responses[1].status, ResponseStatus::NeedsSme);
    assert_eq!(session.responses[2].status, ResponseStatus::Accepted);
    assert_eq!(session.responses[3].status, ResponseStatus::Unanswered);
    while session.undo() {}
    assert_eq!(session.responses, start);
    while session.redo() {}
    assert_eq!(session.responses, end);
}

#[test]
fn sessions_round_trip_through_json_and_refuse_other_versions() {
    let (mut session, _) = session();
    session.apply(ReviewAction::Accept { question: 0 });
    let restored = ReviewSession::from_json(&session.to_json()).unwrap();
    assert_eq!(restored, session);
    let old = session.to_json().replacen("\"schema_version\":1", "\"schema_version\":0", 1);
    assert_eq!(ReviewSession::from_json(&old), Err(SessionError::UnknownVersion(0)));
    assert!(matches!(ReviewSession::from_json("{not json"), Err(SessionError::Corrupt(_))));
}

#[test]
fn the_saved_form_leaves_out_suggestions_and_keeps_the_rest() {
    let library = crate::library::builtin::library();
    let questionnaire =
        crate::import_questionnaire(b"ID,Question\nQ1,Do you encrypt data at rest?\nQ2,Is MFA enforced?\n", "q.csv")
            .unwrap();
    let matcher = crate::matching::Matcher::new(&library);
    let suggestions = matcher.match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
    let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
    session.apply(ReviewAction::Accept { question: 0 });
    let saved = ReviewSession::from_json(&session.to_saved_json()).unwrap();
    assert!(saved.needs_suggestions());
    assert!(!session.needs_suggestions());
    assert_eq!(saved.responses, session.responses);
    assert_eq!(saved.questionnaire, session.questionnaire);
    let mut restored = saved;
    restored.suggestions = matcher.match_all(restored.questionnaire.questions.iter().map(|q| q.text.as_str()));
    assert_eq!(restored, session, "matching again restores the session exactly, history included");
}
