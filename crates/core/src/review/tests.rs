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

#[test]
fn reranking_changes_only_answers_nobody_touched() {
    let (mut session, entries) = session();
    session.apply(ReviewAction::Edit { question: 0, answer: "No".into(), detail: "Because.".into() });
    session.apply(ReviewAction::NeedsSme { question: 1, note: "Ask legal".into() });
    session.apply(ReviewAction::Choose { question: 2, entry: Box::new(entries[0].clone()), confidence: None });
    let before = session.responses.clone();
    // A new ranking that puts one entry first, with high confidence, for every question.
    let favourite = entries.iter().find(|e| e.status == crate::EntryStatus::Approved).unwrap();
    let mut fresh = session.suggestions.clone();
    for list in &mut fresh {
        let mut top =
            list.first().cloned().unwrap_or_else(|| session.suggestions.iter().flatten().next().unwrap().clone());
        top.entry_id = favourite.id.clone();
        top.tier = Tier::High;
        list.insert(0, top);
    }
    let changed = session.rerank(fresh.clone(), &entries);
    assert!(!changed.is_empty());
    assert_eq!(session.suggestions, fresh);
    for (i, response) in before.iter().enumerate().take(3) {
        assert_eq!(session.responses[i], *response, "question {i} was the reviewer's");
        assert!(!changed.contains(&i));
    }
    for &i in &changed {
        assert_eq!(session.responses[i].entry_id.as_deref(), Some(favourite.id.as_str()));
        assert_eq!(session.responses[i].status, ResponseStatus::Suggested);
    }
    // Undo still undoes the reviewer's own last step.
    assert!(session.undo());
    assert_ne!(session.responses[2].status, ResponseStatus::Accepted);
}
