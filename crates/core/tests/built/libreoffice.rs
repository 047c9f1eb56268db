//! The built xlsx converted by LibreOffice into xls (for which there is no Rust writer) and
//! into ods (a second, independently written ods), then imported. These need LibreOffice
//! (`soffice`), which `scripts/tools.sh test` installs.

use super::{assert_questions, assert_sheets, workbook_questions};
use crate::common::libreoffice::convert_one;
use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};

/// Converts the built xlsx to another format with LibreOffice.
fn convert(to: &str) -> Vec<u8> {
    convert_one(&super::xlsx::build(), "built.xlsx", to)
}

#[test]
fn xls_converted_by_libreoffice_gives_the_same_questions() {
    let q = import_questionnaire(&convert("xls"), "built.xls").unwrap();
    assert_eq!(q.format, SourceFormat::Xls);
    // Calamine does not read an xls file's dropdowns, so every answer is free text here; the
    // answer column is still found by its header.
    assert_questions(&q, &workbook_questions(false));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
}

#[test]
fn ods_converted_by_libreoffice_gives_the_same_questions() {
    let q = import_questionnaire(&convert("ods"), "built.ods").unwrap();
    assert_eq!(q.format, SourceFormat::Ods);
    assert_questions(&q, &workbook_questions(true));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
}

#[test]
fn hecvat_converted_to_ods_reads_like_the_xlsx() {
    // A real workbook's dropdowns (ranges on a hidden sheet, over huge repeated areas) and
    // merges survive the trip through LibreOffice's ods writer and the ods reader.
    let original = std::fs::read(format!(
        "{}/../../../shared/fixtures/hecvat/HECVAT-4.1.4-blank.xlsx",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let xlsx = import_questionnaire(&original, "HECVAT.xlsx").unwrap();
    let ods = import_questionnaire(&convert_one(&original, "HECVAT.xlsx", "ods"), "HECVAT.ods").unwrap();
    assert_eq!(ods.questions.len(), 331);
    for (a, b) in xlsx.questions.iter().zip(&ods.questions) {
        assert_eq!(
            (&a.id, &a.section, &a.text, &a.location, &a.answer_format),
            (&b.id, &b.section, &b.text, &b.location, &b.answer_format)
        );
    }
}
