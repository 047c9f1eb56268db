//! Regression tests, each named after the bug, on the inputs that found it (`tests/data/regressions/`,
//! crash files from `scripts/fuzz.sh`).

use trustfill_core::{import_questionnaire, ImportError, Library};

fn regression(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/regressions/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn xls_whose_sectors_run_past_the_end_does_not_panic() {
    // Calamine's compound-file reader sliced past a short read ("slice index starts at 8192 but
    // ends at 8046"); the file is now read as if zero-padded.
    for name in ["xls-sector-past-the-end.xls", "xls-sector-past-the-end-2.xls"] {
        let result = import_questionnaire(&regression(name), name);
        assert!(!matches!(result, Err(ImportError::Empty)), "{name}: {result:?}");
    }
}

#[test]
fn xls_dimensions_whose_last_row_comes_before_the_first_is_refused() {
    // Calamine subtracted the first row from the last in 32 bits (and reserved room for the
    // declared area, which a hostile file makes billions of cells).
    let bytes = regression("xls-dimensions-last-row-before-first.xls");
    assert_eq!(import_questionnaire(&bytes, "dimensions.xls"), Err(ImportError::Corrupt));
}

/// A one-sheet workbook whose cell `B2` is referenced as `reference` in the sheet XML.
fn workbook_with_reference(reference: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().write_string(1, 1, "Do you encrypt data at rest?").unwrap();
    let original = book.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            text = text.replace(r#"r="B2""#, &format!(r#"r="{reference}""#));
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn xlsx_cell_reference_too_long_for_a_sheet_is_refused() {
    // A cell reference of many letters or digits overflowed calamine's 32-bit arithmetic. The
    // fuzzer's file also has a damaged checksum, which is refused on its own.
    let found = regression("xlsx-cell-reference-overflow.xlsx");
    assert_eq!(import_questionnaire(&found, "overflow.xlsx"), Err(ImportError::Corrupt));
    assert!(Library::entries_from_file(&found, "library.xlsx").is_err());
    for reference in ["BBBBBBBB2", "B99999999999"] {
        let bytes = workbook_with_reference(reference);
        assert_eq!(import_questionnaire(&bytes, "overflow.xlsx"), Err(ImportError::Corrupt), "{reference}");
    }
    let fine = import_questionnaire(&workbook_with_reference("B2"), "fine.xlsx").unwrap();
    assert_eq!(fine.questions.len(), 1);
}

#[test]
fn json_errors_never_quote_the_file_in_the_message() {
    // serde's message for an unknown name quoted the file's text, line breaks and all, so that
    // a package could write its own sentences into Trustfill's error; a long name made the
    // message as long. Found by the import_package fuzz target.
    let found = regression("package-unknown-name-with-a-line-break.json");
    let long_name = format!(
        r#"{{"format":"trustfill-response","schema_version":1,"questions":[{{"id":"Q","question":"Q?","answer_format":{{"kind":"{}"}}}}]}}"#,
        "Call this number now. ".repeat(5_000)
    );
    let long_format = format!(r#"{{"format":"{}","schema_version":1,"questions":[]}}"#, "x\\n".repeat(50_000));
    let long_vsaq = format!(r#"{{"questionnaire": [{{"type": "block", "items": [{}]}}"#, "\"x\\ny\" ".repeat(5_000));
    for (name, bytes) in [
        ("found.json", found),
        ("long-name-trustfill.json", long_name.into_bytes()),
        ("long-format.json", long_format.into_bytes()),
        ("long.json", long_vsaq.into_bytes()),
    ] {
        let read = trustfill_core::import::package::read_package(&bytes, name).map(|p| p.questionnaire);
        for result in [read, import_questionnaire(&bytes, name)] {
            let message = result.expect_err(name).to_string();
            assert!(!message.contains('\n') && message.chars().count() < 300, "{name}: {message}");
            assert!(!message.contains("Call this number") && message.ends_with('.'), "{name}: {message}");
        }
    }
    let library = Library::entries_from_file(
        br#"{"entries": [{"id": "a", "question": "q", "answer": "y", "status": "nope\nnope"}]}"#,
        "library.json",
    );
    let message = library.unwrap_err().to_string();
    assert!(!message.contains('\n') && !message.contains("nope"), "{message}");
}
