//! What the fuzz targets share: the invariants every import and every library table must hold,
//! whatever the bytes, beyond not panicking.

use std::collections::BTreeSet;
use trustfill_core::library::Library;
use trustfill_core::limits;
use trustfill_core::model::{Questionnaire, SourceFormat};
use trustfill_core::{ReviewAction, ReviewSession};

/// Imports bytes under a file name and checks the result. An error must be one plain sentence;
/// a questionnaire must hold together: unique ids, cells on their question's row, counts that
/// add up, and a JSON form (what the app saves) that reads back the same.
pub fn import_and_check(data: &[u8], file_name: &str) {
    match trustfill_core::import_questionnaire(data, file_name) {
        Ok(questionnaire) => check_questionnaire(&questionnaire),
        Err(error) => {
            let message = error.to_string();
            assert!(message.ends_with('.') && !message.contains('\n'), "not one plain sentence: {message:?}");
        }
    }
}

/// The invariants of an imported questionnaire; see [`import_and_check`].
pub fn check_questionnaire(questionnaire: &Questionnaire) {
    let questions = &questionnaire.questions;
    assert!(questions.len() <= limits::MAX_QUESTIONS);
    let ids: BTreeSet<&str> = questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), questions.len(), "question ids are unique");
    let counted: usize = questionnaire.sheets.iter().map(|s| s.question_count).sum();
    assert_eq!(counted, questions.len(), "sheet counts add up");
    let sheets: BTreeSet<&str> = questionnaire.sheets.iter().map(|s| s.name.as_str()).collect();
    for question in questions {
        assert!(!question.id.is_empty() && !question.text.trim().is_empty(), "{question:?}");
        assert!(sheets.contains(question.location.sheet.as_str()), "{question:?}");
        // A response package records where each question was in the file it came from, as
        // data: only the formats read here place cells on their question's row.
        if questionnaire.format == SourceFormat::ResponsePackage {
            continue;
        }
        for cell in [question.location.answer_cell, question.location.comment_cell].into_iter().flatten() {
            assert_eq!(cell.row, question.location.row, "{question:?}");
        }
    }
    let json = serde_json::to_string(questionnaire).expect("a questionnaire serialises");
    let again: Questionnaire = serde_json::from_str(&json).expect("a saved questionnaire reads back");
    assert_eq!(&again, questionnaire);
}

/// Reads a library table (CSV or XLSX by its name) and checks that every entry has a trimmed,
/// non-empty question and id, within the entry limit.
pub fn library_table_and_check(data: &[u8], file_name: &str) {
    let Ok(entries) = Library::entries_from_file(data, file_name) else { return };
    assert!(entries.len() <= limits::MAX_LIBRARY_ENTRIES);
    for entry in &entries {
        assert!(!entry.question.is_empty() && entry.question.trim() == entry.question, "{entry:?}");
        assert!(!entry.id.is_empty(), "{entry:?}");
    }
}

/// A review of the questionnaire with the fuzzer's answers and details written in as edits, in
/// question order; questions past the answers given stay unanswered.
pub fn edited_session(questionnaire: Questionnaire, answers: Vec<(String, String)>) -> ReviewSession {
    let count = questionnaire.questions.len();
    let mut session = ReviewSession::new(questionnaire, vec![Vec::new(); count], &[], "fuzz");
    for (question, (answer, detail)) in answers.into_iter().take(count).enumerate() {
        session.apply(ReviewAction::Edit { question, answer, detail });
    }
    session
}
