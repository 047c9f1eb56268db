//! Writer tests: a workbook of every kind of value read back by calamine and by import, the
//! limits Excel would refuse a file for, the parts' XML, and the same bytes for the same calls.

use super::parts::{escape_excel_escapes, number_text};
use super::*;
use crate::import::grid::Grid;
use crate::import::ooxml;
use calamine::{open_workbook_from_rs, Data, Reader, SheetVisible, Xlsx};
use quick_xml::events::Event;

fn rect(first_row: u32, first_col: u32, last_row: u32, last_col: u32) -> Rect {
    Rect { first_row, first_col, last_row, last_col }
}

fn owned(choices: &[&str]) -> Vec<String> {
    choices.iter().map(|c| (*c).to_owned()).collect()
}

/// Two sheets, the second hidden: every kind of value, a merge, two dropdowns, a frozen
/// header and column widths.
fn sample() -> WorkbookWriter {
    let mut book = WorkbookWriter::new();
    let questions = book.add_sheet("Questions & <Answers>", Visibility::Visible).unwrap();
    for (col, header) in (0..).zip(["Question", "Answer", "Score", "Done", "Due", "Note"]) {
        questions.write_text(0, col, header).unwrap();
        questions.set_style(0, col, Style::Bold).unwrap();
    }
    questions.write_text(1, 0, "=1+1").unwrap();
    questions.set_style(1, 0, Style::Wrap).unwrap();
    questions.write_text(1, 1, "Yes").unwrap();
    questions.write_number(1, 2, 2.5).unwrap();
    questions.write_bool(1, 3, true).unwrap();
    questions.write_date(1, 4, date_serial(2025, 1, 21).unwrap(), DateFormat::Date).unwrap();
    questions.write_text(1, 5, "_x0041_ & <b>\u{0}\r\nline two").unwrap();
    questions.write_number(2, 2, f64::NAN).unwrap();
    questions.write_number(2, 3, 1e20).unwrap();
    questions.write_number(2, 4, -7.0).unwrap();
    questions.write_text(3, 0, "A section").unwrap();
    questions.merge(rect(3, 0, 3, 5)).unwrap();
    questions.list_validation(&[rect(1, 1, 9, 1)], List::Choices(&owned(&["Yes", "No", "N/A"]))).unwrap();
    questions
        .list_validation(&[rect(1, 3, 9, 3)], List::Range { sheet: Some("It's lists"), range: rect(0, 0, 1, 0) })
        .unwrap();
    questions.column_width(0, 48.0).unwrap();
    questions.column_width(5, 12.5).unwrap();
    questions.freeze_top_row();
    let lists = book.add_sheet("It's lists", Visibility::Hidden).unwrap();
    lists.write_text(0, 0, "Done").unwrap();
    lists.write_text(1, 0, "Not done").unwrap();
    book
}

fn part(xlsx: &[u8], name: &str) -> String {
    ooxml::read_text(&mut ooxml::open_checked(xlsx).unwrap(), name).unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn every_kind_of_value_reads_back() {
    let xlsx = sample().finish().unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(&xlsx[..])).unwrap();
    let sheets: Vec<(String, bool)> =
        book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible == SheetVisible::Visible)).collect();
    assert_eq!(sheets, [("Questions & <Answers>".to_owned(), true), ("It's lists".to_owned(), false)]);
    let range = book.worksheet_range("Questions & <Answers>").unwrap();
    let text = |t: &str| Data::String(t.to_owned());
    assert_eq!(range.get_value((0, 5)), Some(&text("Note")));
    assert_eq!(range.get_value((1, 0)), Some(&text("=1+1")));
    assert_eq!(range.get_value((1, 2)), Some(&Data::Float(2.5)));
    assert_eq!(range.get_value((1, 3)), Some(&Data::Bool(true)));
    match range.get_value((1, 4)) {
        Some(Data::DateTime(date)) => {
            assert_eq!(date.as_f64(), 45_678.0);
            assert_eq!(date.to_ymd_hms_milli(), (2025, 1, 21, 0, 0, 0, 0));
        }
        other => panic!("a date, not {other:?}"),
    }
    assert_eq!(range.get_value((1, 5)), Some(&text("_x0041_ & <b>\r\nline two")), "the NUL is dropped");
    assert_eq!(range.get_value((2, 2)), Some(&text("NaN")));
    assert_eq!(range.get_value((2, 3)), Some(&Data::Float(1e20)));
    assert_eq!(range.get_value((2, 4)), Some(&Data::Float(-7.0)));
    let formulas = book.worksheet_formula("Questions & <Answers>").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell holds a formula");

    let grids: Vec<Grid> = crate::import::spreadsheet::read_xlsx(&xlsx).unwrap();
    assert_eq!(grids[0].merged, [rect(3, 0, 3, 5)]);
    assert_eq!(grids[0].choices_at(9, 1), Some(&owned(&["Yes", "No", "N/A"])[..]));
    assert_eq!(grids[0].choices_at(5, 3), Some(&owned(&["Done", "Not done"])[..]));
    assert_eq!(grids[0].choices_at(10, 1), None);
    assert_eq!(grids.iter().map(|g| g.hidden).collect::<Vec<_>>(), [false, true]);
}

#[test]
fn the_sheet_xml_has_its_header_widths_and_styles_in_schema_order() {
    let xlsx = sample().finish().unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    for expected in [
        r#"<dimension ref="A1:F4"/>"#,
        r#"<sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
        r#"<col min="1" max="1" width="48" customWidth="1"/><col min="6" max="6" width="12.5" customWidth="1"/>"#,
        r#"<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">Question</t></is></c>"#,
        r#"<c r="A2" s="2" t="inlineStr"><is><t xml:space="preserve">=1+1</t></is></c>"#,
        r#"<c r="E2" s="3"><v>45678</v></c>"#,
        r#"<c r="D2" t="b"><v>1</v></c>"#,
        "_x005F_x0041_ &amp; &lt;b&gt;&#13;\nline two",
        r#"<mergeCells count="1"><mergeCell ref="A4:F4"/></mergeCells>"#,
        r#"sqref="B2:B10"><formula1>&quot;Yes,No,N/A&quot;</formula1>"#,
        r#"sqref="D2:D10"><formula1>&apos;It&apos;&apos;s lists&apos;!$A$1:$A$2</formula1>"#,
    ] {
        assert!(sheet.contains(expected), "{expected}\nin {sheet}");
    }
    let order = [
        "<dimension",
        "<sheetViews",
        "<sheetFormatPr",
        "<cols",
        "<sheetData",
        "<mergeCells",
        "<dataValidations",
        "<pageMargins",
    ];
    let at: Vec<usize> = order.iter().map(|e| sheet.find(e).unwrap_or_else(|| panic!("no {e}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    let hidden = part(&xlsx, "xl/worksheets/sheet2.xml");
    assert!(hidden.contains(r#"<sheetView workbookViewId="0"/>"#), "{hidden}");
    assert!(!hidden.contains("<cols") && !hidden.contains("<mergeCells") && !hidden.contains("<dataValidations"));
}

#[test]
fn every_part_is_well_formed_xml() {
    let xlsx = sample().finish().unwrap();
    let mut archive = ooxml::open_checked(&xlsx).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(names[0], "[Content_Types].xml");
    assert_eq!(names.len(), 9, "{names:?}");
    for name in names {
        let text = ooxml::read_text(&mut archive, &name).unwrap();
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name}");
        if let Some(sheet) = name.strip_prefix("xl/worksheets/") {
            assert!(part(&xlsx, "[Content_Types].xml").contains(&format!("/xl/worksheets/{sheet}")), "{sheet}");
        }
    }
}

#[test]
fn a_hidden_sheet_is_never_the_active_one() {
    let mut book = WorkbookWriter::new();
    book.add_sheet("Lists", Visibility::Hidden).unwrap();
    book.add_sheet("Questions", Visibility::Visible).unwrap();
    let xlsx = book.finish().unwrap();
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains(r#"<workbookView activeTab="1"/>"#), "{workbook}");
    assert!(workbook.contains(r#"<sheet name="Lists" sheetId="1" state="hidden" r:id="rId1"/>"#), "{workbook}");
    assert!(!part(&xlsx, "xl/worksheets/sheet1.xml").contains("tabSelected"));
    assert!(part(&xlsx, "xl/worksheets/sheet2.xml").contains(r#"tabSelected="1""#));

    // Excel opens no workbook whose every sheet is hidden: the first is shown.
    let mut book = WorkbookWriter::new();
    book.add_sheet("A", Visibility::Hidden).unwrap();
    book.add_sheet("B", Visibility::Hidden).unwrap();
    let grids = crate::import::spreadsheet::read_xlsx(&book.finish().unwrap()).unwrap();
    assert_eq!(grids.iter().map(|g| g.hidden).collect::<Vec<_>>(), [false, true]);
    assert_eq!(WorkbookWriter::new().finish(), Err(WorkbookError::NoSheets));
}

#[test]
fn sheet_names_are_checked_as_excel_checks_them() {
    for (name, allowed) in [
        ("Sheet1", true),
        ("Über & <Sheet>", true),
        ("It's", true),
        (&"x".repeat(31)[..], true),
        (&"x".repeat(32)[..], false),
        ("😀".repeat(15).as_str(), true),
        ("😀".repeat(16).as_str(), false),
        ("", false),
        ("Q1/Q2", false),
        ("a\\b", false),
        ("[x]", false),
        ("a:b", false),
        ("a*", false),
        ("a?", false),
        ("'quoted", false),
        ("quoted'", false),
        ("tab\there", false),
    ] {
        let result = WorkbookWriter::new().add_sheet(name, Visibility::Visible).map(|_| ());
        let expected = if allowed { Ok(()) } else { Err(WorkbookError::SheetName(name.to_owned())) };
        assert_eq!(result, expected, "{name:?}");
    }
    let mut book = WorkbookWriter::new();
    book.add_sheet("Answers", Visibility::Visible).unwrap();
    let again = book.add_sheet("ANSWERS", Visibility::Hidden).map(|_| ());
    assert_eq!(again, Err(WorkbookError::SheetName("ANSWERS".to_owned())));
}

#[test]
fn cells_and_merges_excel_would_refuse_are_errors() {
    let mut book = WorkbookWriter::new();
    let sheet = book.add_sheet("Sheet", Visibility::Visible).unwrap();
    assert!(sheet.write_text(MAX_ROWS - 1, MAX_COLS - 1, "last").is_ok());
    assert_eq!(sheet.write_number(MAX_ROWS, 0, 1.0), Err(WorkbookError::OutOfRange { row: MAX_ROWS, col: 0 }));
    assert_eq!(sheet.set_style(0, MAX_COLS, Style::Bold), Err(WorkbookError::OutOfRange { row: 0, col: MAX_COLS }));
    assert_eq!(sheet.column_width(2, 256.0), Err(WorkbookError::ColumnWidth(2)));
    assert_eq!(sheet.column_width(2, f64::NAN), Err(WorkbookError::ColumnWidth(2)));

    assert_eq!(sheet.merge(rect(0, 0, 0, 3)), Ok(()));
    assert_eq!(sheet.merge(rect(2, 2, 2, 2)), Err(WorkbookError::MergeOfOneCell("C3".into())));
    assert_eq!(sheet.merge(rect(0, 3, 1, 4)), Err(WorkbookError::MergeOverlaps("D1:E2".into())));
    assert_eq!(sheet.merge(rect(5, 0, 5, 3)), Ok(()));
    assert_eq!(sheet.merge(rect(3, 3, 2, 4)), Err(WorkbookError::OutOfRange { row: 2, col: 4 }));
    let huge = rect(10, 0, MAX_ROWS - 1, MAX_COLS - 1);
    assert_eq!(sheet.merge(huge), Err(WorkbookError::MergesTooLarge(a1_range(&huge))));
    let grids = crate::import::spreadsheet::read_xlsx(&book.finish().unwrap()).unwrap();
    assert_eq!(grids[0].merged, [rect(0, 0, 0, 3), rect(5, 0, 5, 3)]);
    assert_eq!(grids[0].text(MAX_ROWS - 1, MAX_COLS - 1), "last");
}

#[test]
fn dropdowns_excel_cannot_hold_are_errors() {
    let mut book = WorkbookWriter::new();
    let sheet = book.add_sheet("Sheet", Visibility::Visible).unwrap();
    let cells = [rect(1, 1, 5, 1)];
    let longest = owned(&["x".repeat(127).as_str(), "y".repeat(127).as_str()]);
    assert_eq!(sheet.list_validation(&cells, List::Choices(&longest)), Ok(()));
    let too_long = owned(&["x".repeat(127).as_str(), "y".repeat(128).as_str()]);
    assert_eq!(sheet.list_validation(&cells, List::Choices(&too_long)), Err(WorkbookError::ListTooLong(256)));
    let comma = owned(&["Yes, fully", "No"]);
    assert_eq!(
        sheet.list_validation(&cells, List::Choices(&comma)),
        Err(WorkbookError::ChoiceWithComma("Yes, fully".into()))
    );
    assert_eq!(sheet.list_validation(&cells, List::Choices(&[])), Err(WorkbookError::EmptyList));
    assert_eq!(sheet.list_validation(&[], List::Choices(&owned(&["Yes"]))), Err(WorkbookError::EmptyList));
    let source = List::Range { sheet: Some("lists"), range: rect(0, 0, 2, 0) };
    assert_eq!(sheet.list_validation(&cells, source), Ok(()));
    // The source sheet is looked up, without case, when the workbook is finished.
    let mut with_lists = book.clone();
    with_lists.add_sheet("Lists", Visibility::Hidden).unwrap();
    assert!(with_lists.finish().is_ok());
    assert_eq!(book.finish(), Err(WorkbookError::UnknownSheet("lists".into())));
}

#[test]
fn a_later_write_replaces_a_cell_and_empty_text_clears_it() {
    let mut book = WorkbookWriter::new();
    let sheet = book.add_sheet("Sheet", Visibility::Visible).unwrap();
    sheet.write_number(0, 0, 3.0).unwrap();
    sheet.write_text(0, 0, "Yes").unwrap();
    sheet.write_text(0, 1, "old").unwrap();
    sheet.write_text(0, 1, "\u{1}").unwrap();
    sheet.write_text(0, 2, "").unwrap();
    sheet.set_style(4, 4, Style::Wrap).unwrap();
    let xlsx = book.finish().unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">Yes</t></is></c></row><row r="5"><c r="E5" s="2"/></row></sheetData>"#), "{sheet}");
    assert!(sheet.contains(r#"<dimension ref="A1:E5"/>"#), "{sheet}");
}

#[test]
fn numbers_are_written_in_their_shortest_exact_form() {
    for (number, text) in [
        (0.0, "0"),
        (-0.0, "0"),
        (7.0, "7"),
        (-2.5, "-2.5"),
        (0.1, "0.1"),
        (45_678.5, "45678.5"),
        (1.0 / 3.0, "0.3333333333333333"),
        (123_456_789_012_345.0, "123456789012345"),
        (1e15, "1E15"),
        (1e20, "1E20"),
        (0.00001, "0.00001"),
        (1.5e-7, "1.5E-7"),
        (f64::MAX, "1.7976931348623157E308"),
    ] {
        assert_eq!(number_text(number), text, "{number}");
        assert_eq!(text.parse::<f64>().unwrap(), number, "{text} reads back");
    }
}

#[test]
fn literal_excel_escapes_are_escaped() {
    for (text, escaped) in [
        ("plain", "plain"),
        ("_x0041_", "_x005F_x0041_"),
        ("a_x00e9_b_x12_", "a_x005F_x00e9_b_x12_"),
        ("_x0041__x0042_", "_x005F_x0041__x005F_x0042_"),
        ("_x004G_ _x", "_x004G_ _x"),
        ("_xé", "_xé"),
    ] {
        assert_eq!(escape_excel_escapes(text), escaped, "{text}");
    }
}

#[test]
fn date_serials_match_excels() {
    for (date, serial) in [
        ((1900, 1, 1), Some(1.0)),
        ((1900, 2, 28), Some(59.0)),
        ((1900, 2, 29), Some(60.0)),
        ((1900, 3, 1), Some(61.0)),
        ((1904, 1, 1), Some(1_462.0)),
        ((2000, 2, 29), Some(36_585.0)),
        ((2025, 1, 21), Some(45_678.0)),
        ((9999, 12, 31), Some(2_958_465.0)),
        ((1899, 12, 31), None),
        ((2023, 2, 29), None),
        ((2025, 4, 31), None),
        ((2025, 13, 1), None),
        ((2025, 1, 0), None),
    ] {
        assert_eq!(date_serial(date.0, date.1, date.2), serial, "{date:?}");
    }
}

#[test]
fn the_same_calls_give_the_same_bytes() {
    let first = sample().finish().unwrap();
    assert_eq!(first, sample().finish().unwrap());
    let core = part(&first, "docProps/core.xml");
    assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
    let mut archive = ooxml::open_checked(&first).unwrap();
    for index in 0..archive.len() {
        let file = archive.by_index_raw(index).unwrap();
        assert_eq!(file.last_modified(), Some(zip::DateTime::default()), "{:?}", file.name());
    }
}
