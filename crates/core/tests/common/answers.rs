//! A questionnaire answered the same way every time, over a spread of cases that export must
//! handle, and the checks that an exported file gives the answers back where they were.

use trustfill_core::export::map_to_choices;
use trustfill_core::review::Response;
use trustfill_core::{AnswerFormat, Question, Questionnaire, ReviewAction, ReviewSession};

/// How many different cases [`spread_session`] cycles through.
pub const CASES: usize = 7;

/// The answer and detail an edited question gets, by its position: a dropdown gets the words
/// of a short answer (in other words than its list's: "yes", "Not applicable"), free text gets
/// text that must stay text (a leading `=`, markup, an OOXML-escape look-alike).
fn edited(index: usize, format: &AnswerFormat) -> (String, String) {
    let choice = matches!(format, AnswerFormat::Choice(_));
    match (index % CASES, choice) {
        (0, true) => ("yes".into(), format!("Detail {index}: reviewed every year.")),
        (0, false) => (format!("Yes, see policy {index}."), format!("Detail {index}: reviewed every year.")),
        (1, true) => ("No".into(), String::new()),
        (1, false) => (format!("=SUM(A1:A{index}) is an answer, not a formula"), String::new()),
        (4, true) => ("Not applicable".into(), format!("Detail {index} & <more>.")),
        (4, false) => (format!("Keys rotate yearly & stay in an HSM <FIPS 140-3> ({index})."), String::new()),
        (_, true) => ("N".into(), format!("Detail {index} _x0041_ \"quoted\".")),
        (_, false) => (format!("Answer {index} _x0041_ \"quoted\"."), format!("Detail {index} & <more>.")),
    }
}

/// A review of the questionnaire in which, cycling by position, a question is edited (cases
/// 0, 1, 4 and 5), edited and then handed to an expert (2: not final, so never written),
/// left alone (3), or answered from a library entry (6: accepted).
pub fn spread_session(questionnaire: Questionnaire) -> ReviewSession {
    let library = trustfill_core::library::builtin::library();
    let formats: Vec<AnswerFormat> = questionnaire.questions.iter().map(|q| q.answer_format.clone()).collect();
    let mut session = ReviewSession::new(questionnaire, vec![Vec::new(); formats.len()], &[], "test");
    for (question, format) in formats.iter().enumerate() {
        let (answer, detail) = edited(question, format);
        match question % CASES {
            3 => {}
            2 => {
                session.apply(ReviewAction::Edit { question, answer, detail });
                session.apply(ReviewAction::NeedsSme { question, note: "Ask the security team.".into() });
            }
            6 => {
                let entry = library.entries[question % library.entries.len()].clone();
                session.apply(ReviewAction::Choose { question, entry: Box::new(entry), confidence: Some(0.9) });
            }
            _ => {
                session.apply(ReviewAction::Edit { question, answer, detail });
            }
        }
    }
    session
}

/// The answer and comment the next import reads for a question after fill-back: a final
/// answer is mapped onto the question's dropdown, its detail goes to the comment cell, or
/// after the answer when a free-text question has no comment cell; anything else leaves the
/// file as it was.
pub fn expected_after_fill(question: &Question, response: &Response) -> (Option<String>, Option<String>) {
    let kept = (question.existing_answer.clone(), question.existing_comment.clone());
    if !response.status.is_final() {
        return kept;
    }
    let nonempty = |text: String| (!text.is_empty()).then_some(text);
    let short = map_to_choices(response.answer.trim(), &question.answer_format);
    let detail = response.detail.trim();
    let free_text = matches!(question.answer_format, AnswerFormat::FreeText);
    match question.location.comment_cell {
        Some(_) if detail.is_empty() => (nonempty(short), kept.1),
        Some(_) => (nonempty(short), Some(detail.to_owned())),
        None if free_text && !detail.is_empty() && short.is_empty() => (Some(detail.to_owned()), kept.1),
        None if free_text && !detail.is_empty() => (Some(format!("{short}. {detail}")), kept.1),
        None => (nonempty(short), kept.1),
    }
}

/// Asserts that a filled file, imported again, has the same questions at the same places,
/// with the session's answers where fill-back writes them and nothing changed elsewhere.
/// The questions named in `comment_not_written` have a comment cell that fill-back leaves
/// alone (in a Word table, one that continues a vertical merge from the row above). Returns
/// how many answers were written, for the caller to check that some were.
pub fn assert_filled_answers_come_back(
    context: &str,
    session: &ReviewSession,
    again: &Questionnaire,
    comment_not_written: &[&str],
) -> usize {
    let before = &session.questionnaire;
    let ids = |q: &Questionnaire| q.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(again), ids(before), "{context}: the same questions; diagnostics: {:#?}", again.diagnostics);
    let mut written = 0;
    for ((question, response), after) in before.questions.iter().zip(&session.responses).zip(&again.questions) {
        let at = format!("{context}, {}", question.id);
        assert_eq!((&after.text, &after.section), (&question.text, &question.section), "{at}");
        assert_eq!(after.location, question.location, "{at}");
        assert_eq!(after.answer_format, question.answer_format, "{at}");
        let mut expected = expected_after_fill(question, response);
        if comment_not_written.contains(&question.id.as_str()) {
            expected.1 = None;
        }
        assert_eq!((after.existing_answer.clone(), after.existing_comment.clone()), expected, "{at}: {response:?}");
        written += usize::from(response.status.is_final());
    }
    written
}

/// Asserts that a response package, opened again, holds the same questions at the same
/// places with every response as it was, final or not.
pub fn assert_package_comes_back(context: &str, session: &ReviewSession) {
    let json = trustfill_core::export::package::to_package(session);
    let package = trustfill_core::import::package::read_package(json.as_bytes(), "answers-trustfill.json").unwrap();
    assert_eq!(package.source_format, Some(session.questionnaire.format), "{context}");
    let opened = trustfill_core::import_questionnaire(json.as_bytes(), "answers-trustfill.json").unwrap();
    assert_eq!(opened, package.questionnaire, "{context}: import opens the package as read_package does");
    let before = &session.questionnaire.questions;
    assert_eq!(package.questionnaire.questions.len(), before.len(), "{context}");
    for (i, (question, after)) in before.iter().zip(&package.questionnaire.questions).enumerate() {
        let at = format!("{context}, {}", question.id);
        assert_eq!((&after.id, &after.text, &after.section), (&question.id, &question.text, &question.section), "{at}");
        assert_eq!((&after.location, &after.answer_format), (&question.location, &question.answer_format), "{at}");
        let response = &session.responses[i];
        assert_eq!(package.responses[i], *response, "{at}");
        let nonblank = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
        assert_eq!(after.existing_answer, nonblank(&response.answer), "{at}");
        assert_eq!(after.existing_comment, nonblank(&response.detail), "{at}");
    }
}
