//! The built workbook as xls. There is no Rust writer for xls, so LibreOffice converted the
//! built xlsx once and the result is kept as `fuzz/seeds/built.xls` (it seeds the xls fuzz
//! target too); `libreoffice.rs` converts afresh when LibreOffice is installed. Should the
//! built workbook change, convert it again (see `common::libreoffice::convert_one`).

use super::{assert_questions, assert_sheets, workbook_questions};
use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};

#[test]
fn xls_kept_from_libreoffice_gives_the_same_questions() {
    let path = format!("{}/../../fuzz/seeds/built.xls", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let q = import_questionnaire(&bytes, "built.xls").unwrap();
    assert_eq!(q.format, SourceFormat::Xls);
    // Calamine does not read an xls file's dropdowns, so every answer is free text.
    assert_questions(&q, &workbook_questions(false));
    assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
    assert!(q.diagnostics.iter().any(|d| d.sheet.as_deref() == Some("Instructions")));
}
