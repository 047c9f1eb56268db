//! LibreOffice opens the workbooks the core writes itself (`export/workbook.rs`) and shows
//! what was written: the library exported as XLSX, and a workbook of every kind of value on a
//! visible and a hidden sheet. These need LibreOffice Calc (`soffice`), which
//! `scripts/tools.sh test` installs.

mod common;

use common::libreoffice::sheets_as_csv;
use trustfill_core::export::workbook::{date_serial, DateFormat, List, Style, Visibility, WorkbookWriter};
use trustfill_core::import::grid::Rect;
use trustfill_core::library::{builtin, exchange, tabular};

/// The text LibreOffice shows at a row and column of a sheet's CSV, or "" past its end.
fn shown(rows: &[Vec<String>], row: usize, col: usize) -> &str {
    rows.get(row).and_then(|r| r.get(col)).map_or("", String::as_str)
}

#[test]
fn libreoffice_opens_the_library_workbook() {
    let mut entries = builtin::library().entries;
    entries[0].answer = "=1+1".into();
    entries[1].detail = "Two lines:\nthe second & <last>.".into();
    let expected = tabular::entries_to_rows(&entries);
    let sheets = sheets_as_csv(&exchange::to_xlsx(&entries).unwrap(), "library.xlsx");
    let rows = sheets.get("Library").unwrap_or_else(|| panic!("no Library sheet in {:?}", sheets.keys()));
    assert_eq!(rows.len(), expected.len(), "one row per entry, and the header");
    for (r, cells) in expected.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            assert_eq!(shown(rows, r, c), text, "row {} column {c}", r + 1);
        }
    }
}

#[test]
fn libreoffice_shows_every_kind_of_value() {
    let mut book = WorkbookWriter::new();
    let sheet = book.add_sheet("Values & more", Visibility::Visible).unwrap();
    for (col, header) in (0..).zip(["Text", "Number", "Boolean", "Date", "Escape"]) {
        sheet.write_text(0, col, header).unwrap();
        sheet.set_style(0, col, Style::Bold).unwrap();
    }
    sheet.write_text(1, 0, "=SUM(1,2)").unwrap();
    sheet.write_number(1, 1, 2.5).unwrap();
    sheet.write_bool(1, 2, true).unwrap();
    sheet.write_date(1, 3, date_serial(2025, 1, 21).unwrap(), DateFormat::Date).unwrap();
    sheet.write_text(1, 4, "_x0041_").unwrap();
    sheet.write_text(2, 0, "Merged section").unwrap();
    sheet.merge(Rect { first_row: 2, first_col: 0, last_row: 2, last_col: 4 }).unwrap();
    let answers = [Rect { first_row: 3, first_col: 1, last_row: 9, last_col: 1 }];
    sheet
        .list_validation(
            &answers,
            List::Range { sheet: Some("Lists"), range: Rect { first_row: 0, first_col: 0, last_row: 1, last_col: 0 } },
        )
        .unwrap();
    sheet.column_width(0, 30.0).unwrap();
    sheet.freeze_top_row();
    let lists = book.add_sheet("Lists", Visibility::Hidden).unwrap();
    lists.write_text(0, 0, "Yes").unwrap();
    lists.write_text(1, 0, "No").unwrap();
    let sheets = sheets_as_csv(&book.finish().unwrap(), "values.xlsx");
    let rows = sheets.get("Values & more").unwrap_or_else(|| panic!("no sheet in {:?}", sheets.keys()));
    let values: Vec<&str> = (0..5).map(|c| shown(rows, 1, c)).collect();
    assert_eq!(values, ["=SUM(1,2)", "2.5", "TRUE", "2025-01-21", "_x0041_"]);
    assert_eq!(shown(rows, 2, 0), "Merged section");
    assert_eq!(shown(&sheets["Lists"], 1, 0), "No");
}
