//! The writer's invariant: answers of any text, filled into a workbook and imported again, come
//! back as written (cleaned of what a cell cannot hold), at the same questions, and nothing
//! else about the questions changes.
//!
//! The workbook is the one the import tests build (`fuzz/seeds/built.xlsx`): two
//! question sheets, merged cells, a split question and dropdowns. The fuzzer picks the texts.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use trustfill_core::export::{clean_cell_text, xlsx};
use trustfill_core::import::detect::is_answer_prompt;
use trustfill_core::{import_questionnaire, Questionnaire};

const SEED: &[u8] = include_bytes!("../seeds/built.xlsx");

/// What import reads back from a cell written with `text`: cleaned and trimmed, and nothing
/// when that leaves it empty.
fn read_back(text: &str) -> Option<String> {
    Some(clean_cell_text(text).trim().to_owned()).filter(|t| !t.is_empty())
}

/// The seed's questionnaire, imported once: import is deterministic.
fn seed_questionnaire() -> &'static Questionnaire {
    static SEEDED: OnceLock<Questionnaire> = OnceLock::new();
    SEEDED.get_or_init(|| import_questionnaire(SEED, "built.xlsx").expect("the seed imports"))
}

fuzz_target!(|answers: Vec<(String, String)>| {
    let session = trustfill_fuzz::edited_session(seed_questionnaire().clone(), answers);
    let count = session.questionnaire.questions.len();
    let writes = xlsx::planned_writes(&session);
    let filled = xlsx::fill_xlsx(SEED, &session).expect("the seed workbook can be filled");
    let again = import_questionnaire(&filled, "filled.xlsx").expect("a filled workbook imports");
    trustfill_fuzz::check_questionnaire(&again);
    assert_eq!(again.questions.len(), count, "{:#?}", again.diagnostics);
    for (before, after) in session.questionnaire.questions.iter().zip(&again.questions) {
        assert_eq!((&before.id, &before.text, &before.location), (&after.id, &after.text, &after.location));
        assert_eq!((&before.section, &before.answer_format), (&after.section, &after.answer_format));
        let sheet = writes.get(&before.location.sheet);
        let written = |cell: Option<trustfill_core::CellRef>| {
            let cell = cell?;
            sheet.and_then(|cells| cells.get(&(cell.row, cell.col)))
        };
        let answer = match written(before.location.answer_cell) {
            Some(text) => read_back(text).filter(|t| !is_answer_prompt(t)),
            None => before.existing_answer.clone(),
        };
        assert_eq!(after.existing_answer, answer, "{}", before.id);
        let comment = match written(before.location.comment_cell) {
            Some(text) => read_back(text),
            None => before.existing_comment.clone(),
        };
        assert_eq!(after.existing_comment, comment, "{}", before.id);
    }
});
