//! The Word writer's invariant: answers of any text, filled into a document and imported
//! again, leave every question where it was (same id, text, section and place), keep each
//! dropdown and each set of check boxes that was given one of its choices, and bring a
//! free-text answer back as written, cleaned of what the document cannot hold. Check boxes
//! given any other text make way for it, as `export/docx.rs` documents: that question then
//! reads as free text, and its answer as written.
//!
//! The document is the sample the Word tests build (`fuzz/seeds/built.docx`): two tables
//! with a dropdown, check boxes, merges and a nested table, and numbered paragraphs with answer
//! paragraphs. The fuzzer picks the texts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use trustfill_core::export::{clean_cell_text, docx};
use trustfill_core::model::AnswerFormat;
use trustfill_core::{import_questionnaire, Questionnaire};

const SEED: &[u8] = include_bytes!("../seeds/built.docx");

/// The seed's questionnaire, imported once: import is deterministic.
fn seed_questionnaire() -> &'static Questionnaire {
    static SEEDED: OnceLock<Questionnaire> = OnceLock::new();
    SEEDED.get_or_init(|| import_questionnaire(SEED, "built.docx").expect("the seed imports"))
}

/// What import reads back from text written as an answer: carriage returns become line
/// breaks, what a document cannot hold is dropped, and the ends are trimmed.
fn read_back(text: &str) -> Option<String> {
    let text = clean_cell_text(&text.replace("\r\n", "\n").replace('\r', "\n"));
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fuzz_target!(|answers: Vec<(String, String)>| {
    let session = trustfill_fuzz::edited_session(seed_questionnaire().clone(), answers);
    let count = session.questionnaire.questions.len();
    let writes = docx::planned_writes(&session);
    let filled = docx::fill_docx(SEED, &session).expect("the seed document can be filled");
    let again = import_questionnaire(&filled, "filled.docx").expect("a filled document imports");
    trustfill_fuzz::check_questionnaire(&again);
    assert_eq!(again.questions.len(), count, "{:#?}", again.diagnostics);
    for (before, after) in session.questionnaire.questions.iter().zip(&again.questions) {
        assert_eq!((&before.id, &before.text, &before.location), (&after.id, &after.text, &after.location));
        assert_eq!(before.section, after.section);
        let written = match before.location.answer_cell {
            Some(cell) => writes.cells.get(&before.location.sheet).and_then(|cells| cells.get(&(cell.row, cell.col))),
            None => writes.paragraphs.get(&before.location.row),
        };
        let is_choice =
            |text: &str, choices: &[String]| choices.iter().any(|c| c.trim().eq_ignore_ascii_case(text.trim()));
        match (&before.answer_format, written) {
            (AnswerFormat::Choice(choices), Some(text)) if !is_choice(text, choices) => {
                // A dropdown keeps its list and takes the text; check boxes make way for it.
                assert!(after.answer_format == before.answer_format || after.answer_format == AnswerFormat::FreeText);
                if after.answer_format == AnswerFormat::FreeText {
                    assert_eq!(after.existing_answer, read_back(text), "{}", before.id);
                }
            }
            // A choice that is one of the list's: its read-back is the exporter's mapping,
            // which the Word tests check.
            (AnswerFormat::Choice(_), _) => assert_eq!(after.answer_format, before.answer_format, "{}", before.id),
            (AnswerFormat::FreeText, Some(text)) => {
                assert_eq!(after.answer_format, AnswerFormat::FreeText, "{}", before.id);
                assert_eq!(after.existing_answer, read_back(text), "{}", before.id);
            }
            (AnswerFormat::FreeText, None) => assert_eq!(after.answer_format, AnswerFormat::FreeText),
        }
    }
});
