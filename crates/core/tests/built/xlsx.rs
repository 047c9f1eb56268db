//! The built questionnaire as xlsx and xlsm, written with rust_xlsxwriter: real merges, a
//! literal dropdown, a dropdown whose choices live on a hidden sheet.

use super::{assert_questions, assert_sheets, assert_workbook_diagnostics, workbook, workbook_questions, Choices};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};
use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};

/// Writes the built workbook as xlsx bytes.
pub fn build() -> Vec<u8> {
    let mut book = Workbook::new();
    let plain = Format::new();
    for sheet in workbook() {
        let page = book.add_worksheet();
        page.set_name(sheet.name).unwrap();
        for (row, cells) in &sheet.rows {
            for (col, text) in cells.iter().enumerate() {
                let col = col as u16;
                if let Some((r0, c0, r1, c1)) = sheet.merge_at(*row, col) {
                    page.merge_range(r0, c0, r1, c1, text, &plain).unwrap();
                } else if !text.is_empty() && !sheet.covered(*row, col) {
                    page.write_string(*row, col, *text).unwrap();
                }
            }
        }
        if let Some(dropdown) = &sheet.dropdown {
            let rule = match dropdown.choices {
                Choices::Literal(choices) => DataValidation::new().allow_list_strings(choices).unwrap(),
                Choices::Range(source, col, first, last) => {
                    let column = trustfill_core::model::column_letters(col as u32);
                    let formula = format!("={source}!${column}${}:${column}${}", first + 1, last + 1);
                    DataValidation::new().allow_list_formula(Formula::new(formula))
                }
            };
            page.add_data_validation(dropdown.first_row, dropdown.col, dropdown.last_row, dropdown.col, &rule).unwrap();
        }
        if sheet.hidden {
            page.set_hidden(true);
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn xlsx_with_merges_split_question_dropdowns_and_two_question_sheets() {
    let q = import_questionnaire(&build(), "built.xlsx").unwrap();
    assert_eq!(q.format, SourceFormat::Xlsx);
    assert_questions(&q, &workbook_questions(true));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
    assert_workbook_diagnostics(&q, "Hidden sheet skipped.");
    let layout = q.sheets[1].layout.as_ref().unwrap();
    assert_eq!(
        (layout.header_row, layout.id_col, layout.question_col, layout.answer_col, layout.comment_col),
        (Some(2), Some(0), 1, Some(3), Some(4))
    );
}

#[test]
fn xlsm_reads_the_same_as_xlsx() {
    let q = import_questionnaire(&build(), "built.xlsm").unwrap();
    assert_eq!(q.format, SourceFormat::Xlsm);
    assert_questions(&q, &workbook_questions(true));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
}

#[test]
fn answers_filled_into_the_built_workbook_come_back() {
    use std::collections::BTreeMap;
    let original = build();
    let q = import_questionnaire(&original, "built.xlsx").unwrap();
    let mut writes: BTreeMap<String, BTreeMap<(u32, u32), String>> = BTreeMap::new();
    for (i, question) in q.questions.iter().enumerate() {
        let cell = question.location.answer_cell.unwrap();
        writes.entry(question.location.sheet.clone()).or_default().insert((cell.row, cell.col), format!("Answer {i}"));
    }
    let filled = trustfill_core::export::xlsx::fill_workbook(&original, &writes).unwrap();
    let again = import_questionnaire(&filled, "filled.xlsx").unwrap();
    let ids: Vec<&str> = again.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, q.questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>());
    for (i, question) in again.questions.iter().enumerate() {
        assert_eq!(question.existing_answer.as_deref(), Some(format!("Answer {i}").as_str()), "{}", question.id);
        assert_eq!(question.text, q.questions[i].text);
    }
}
