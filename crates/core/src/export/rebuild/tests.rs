//! Rebuild tests on sheets made here: value types, sheet order and visibility, names Excel
//! refuses, merges Excel would refuse, dropdowns, and the same bytes for the same input.

use super::*;
use crate::import::grid::{Grid, Rect};
use crate::import::ooxml;
use calamine::{open_workbook_from_rs, Reader, Xlsx};
use std::io::Cursor;

fn sheet(name: &str, hidden: bool, cells: Vec<(u32, u32, Data)>) -> ValueSheet {
    ValueSheet { name: name.to_owned(), hidden, cells, ..ValueSheet::default() }
}

fn text(value: &str) -> Data {
    Data::String(value.to_owned())
}

fn writes(sheet: &str, cells: &[((u32, u32), &str)]) -> SheetWrites {
    let mut writes = SheetWrites::new();
    writes.insert(sheet.to_owned(), cells.iter().map(|(at, t)| (*at, (*t).to_owned())).collect());
    writes
}

/// The rebuilt workbook's sheets as import reads them.
fn grids(xlsx: &[u8]) -> Vec<Grid> {
    crate::import::spreadsheet::read_xlsx(xlsx).unwrap()
}

/// One sheet's cells as calamine reads them, with their types.
fn typed(xlsx: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    book.worksheet_range(sheet).unwrap()
}

#[test]
fn values_keep_their_types_and_text_is_never_a_formula() {
    let date = calamine::ExcelDateTime::new(45_678.0, calamine::ExcelDateTimeType::DateTime, false);
    let date_1904 = calamine::ExcelDateTime::new(45_678.0 - 1_462.0, calamine::ExcelDateTimeType::DateTime, true);
    let cells = vec![
        (0, 0, text("=1+1")),
        (0, 1, Data::Float(2.5)),
        (0, 2, Data::Int(7)),
        (0, 3, Data::Bool(true)),
        (0, 4, Data::DateTime(date)),
        (0, 5, Data::DateTime(date_1904)),
        (0, 6, Data::DateTimeIso("2025-01-21".to_owned())),
        (0, 7, Data::Error(calamine::CellErrorType::Div0)),
        (0, 8, text("_x0041_ & <b>")),
        (1, 0, text("old answer")),
    ];
    let answers = writes("Sheet", &[((1, 0), "=HYPERLINK(\"http://x\")"), ((1, 1), "+cmd|' /C calc'!A0")]);
    let xlsx = write_workbook(&[sheet("Sheet", false, cells)], &answers).unwrap();
    let range = typed(&xlsx, "Sheet");
    assert_eq!(range.get_value((0, 0)), Some(&text("=1+1")));
    assert_eq!(range.get_value((0, 1)), Some(&Data::Float(2.5)));
    assert_eq!(range.get_value((0, 2)), Some(&Data::Float(7.0)));
    assert_eq!(range.get_value((0, 3)), Some(&Data::Bool(true)));
    for col in [4, 5, 6] {
        match range.get_value((0, col)) {
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 45_678.0, "column {col}"),
            other => panic!("column {col}: a date, not {other:?}"),
        }
    }
    assert_eq!(range.get_value((0, 7)), Some(&Data::Empty));
    assert_eq!(range.get_value((0, 8)), Some(&text("_x0041_ & <b>")));
    assert_eq!(range.get_value((1, 0)), Some(&text("=HYPERLINK(\"http://x\")")));
    assert_eq!(range.get_value((1, 1)), Some(&text("+cmd|' /C calc'!A0")));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(&xlsx[..])).unwrap();
    let formulas = book.worksheet_formula("Sheet").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell holds a formula");
}

#[test]
fn sheets_keep_their_order_names_and_visibility() {
    let sheets = vec![
        sheet("Lists", true, vec![(0, 0, text("Yes"))]),
        sheet("Über & <Sheet>", false, vec![(2, 3, text("question"))]),
        sheet("Empty", false, vec![]),
        sheet("Scoring", true, vec![(0, 0, Data::Float(1.0))]),
    ];
    let xlsx = write_workbook(&sheets, &SheetWrites::new()).unwrap();
    let mut archive = ooxml::open_checked(&xlsx).unwrap();
    let parts: Vec<(String, bool)> = ooxml::sheet_parts(&mut archive).into_iter().map(|p| (p.name, p.hidden)).collect();
    let expected = [("Lists", true), ("Über & <Sheet>", false), ("Empty", false), ("Scoring", true)];
    assert_eq!(parts, expected.map(|(n, h)| (n.to_owned(), h)));
    // The first visible sheet is the one Excel opens at.
    let workbook = ooxml::read_text(&mut archive, "xl/workbook.xml").unwrap();
    assert!(workbook.contains(r#"activeTab="1""#), "{workbook}");
    assert_eq!(grids(&xlsx)[1].text(2, 3), "question");
}

#[test]
fn a_workbook_of_hidden_sheets_shows_its_first() {
    let xlsx = write_workbook(&[sheet("A", true, vec![]), sheet("B", true, vec![])], &SheetWrites::new()).unwrap();
    let hidden: Vec<bool> = grids(&xlsx).iter().map(|g| g.hidden).collect();
    assert_eq!(hidden, [false, true]);
}

#[test]
fn sheet_names_excel_refuses_are_reported_by_name() {
    for (names, refused) in [
        (&["A sheet name of more than thirty-one characters"][..], "A sheet name of more than thirty-one characters"),
        (&["Q1/Q2"], "Q1/Q2"),
        (&["'quoted'"], "'quoted'"),
        (&["Answers", "ANSWERS"], "ANSWERS"),
    ] {
        let sheets: Vec<ValueSheet> = names.iter().map(|n| sheet(n, false, vec![])).collect();
        let error = write_workbook(&sheets, &SheetWrites::new()).unwrap_err();
        assert_eq!(error, ExportError::SheetName(refused.to_owned()), "{names:?}");
        assert!(error.to_string().contains(&format!("{refused:?}")), "{error}");
    }
}

#[test]
fn overlapping_single_cell_and_huge_merges_are_left_out() {
    let rect = |first_row, first_col, last_row, last_col| Rect { first_row, first_col, last_row, last_col };
    let mut merged = sheet("Sheet", false, vec![(0, 0, text("Title")), (5, 0, text("Section"))]);
    merged.merged =
        vec![rect(0, 0, 0, 3), rect(0, 2, 1, 4), rect(3, 3, 3, 3), rect(5, 0, 5, 3), rect(10, 0, 1_000_000, 16_383)];
    let xlsx = write_workbook(&[merged], &SheetWrites::new()).unwrap();
    let grid = &grids(&xlsx)[0];
    assert_eq!(grid.merged, [rect(0, 0, 0, 3), rect(5, 0, 5, 3)]);
    assert_eq!((grid.text(0, 0), grid.text(5, 0)), ("Title", "Section"));
}

#[test]
fn dropdowns_keep_their_lists_and_ranges() {
    let rect = |first_row, first_col, last_row, last_col| Rect { first_row, first_col, last_row, last_col };
    let mut questions = sheet("Questions", false, vec![(1, 0, text("Do you encrypt data?"))]);
    questions.rules = vec![
        RawListRule {
            ranges: vec![rect(1, 1, 1_048_575, 1), rect(1, 3, 4, 3)],
            source: ListSource::Literal(vec!["Yes".into(), "No".into(), "N/A".into()]),
        },
        RawListRule {
            ranges: vec![rect(1, 2, 9, 2)],
            source: ListSource::Range { sheet: Some("It's lists".into()), rect: rect(0, 0, 2, 0) },
        },
        // Excel would split a choice holding a comma, so that list is left out.
        RawListRule { ranges: vec![rect(1, 4, 1, 4)], source: ListSource::Literal(vec!["Yes, fully".into()]) },
        RawListRule { ranges: vec![rect(1, 5, 1, 5)], source: ListSource::Unresolved },
    ];
    let lists = sheet("It's lists", true, vec![(0, 0, text("Y")), (1, 0, text("N")), (2, 0, text("NA"))]);
    let xlsx = write_workbook(&[questions, lists], &SheetWrites::new()).unwrap();
    let grid = &grids(&xlsx)[0];
    let owned = |choices: &[&str]| choices.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
    assert_eq!(grid.choices_at(500_000, 1), Some(&owned(&["Yes", "No", "N/A"])[..]));
    assert_eq!(grid.choices_at(4, 3), Some(&owned(&["Yes", "No", "N/A"])[..]));
    assert_eq!(grid.choices_at(9, 2), Some(&owned(&["Y", "N", "NA"])[..]));
    assert_eq!((grid.choices_at(1, 4), grid.choices_at(1, 5), grid.choices_at(10, 2)), (None, None, None));
}

#[test]
fn answers_replace_values_and_an_empty_answer_clears_the_cell() {
    let cells = vec![(0, 0, text("Select…")), (0, 1, text("old comment")), (0, 2, Data::Float(3.0))];
    let answers = writes("Sheet", &[((0, 0), "Yes\u{0}\u{1b}"), ((0, 1), ""), ((7, 300), "far away")]);
    let xlsx = write_workbook(&[sheet("Sheet", false, cells)], &answers).unwrap();
    let grid = &grids(&xlsx)[0];
    assert_eq!((grid.text(0, 0), grid.text(0, 1), grid.text(0, 2)), ("Yes", "", "3"));
    assert_eq!(grid.text(7, 300), "far away");
    // Writes for a sheet the workbook does not have are dropped, as fill-back drops them.
    let elsewhere = writes("Missing", &[((0, 0), "Yes")]);
    assert!(write_workbook(&[sheet("Sheet", false, vec![])], &elsewhere).is_ok());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let sheets =
        vec![sheet("One", false, vec![(0, 0, text("a")), (1, 1, Data::Float(1.5))]), sheet("Two", true, vec![])];
    let answers = writes("One", &[((2, 2), "Yes")]);
    let first = write_workbook(&sheets, &answers).unwrap();
    assert_eq!(first, write_workbook(&sheets, &answers).unwrap());
    let mut archive = ooxml::open_checked(&first).unwrap();
    let core = ooxml::read_text(&mut archive, "docProps/core.xml").unwrap();
    assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
}

#[test]
fn only_xls_and_ods_are_rebuilt() {
    let questionnaire =
        crate::import::import_questionnaire(b"ID,Question,Answer\n1,Do you encrypt data at rest?,\n", "q.csv").unwrap();
    let session = ReviewSession::new(questionnaire, vec![Vec::new()], &[], "test");
    assert_eq!(rebuild_xlsx(b"", &session), Err(ExportError::NotFillable));
}
