//! Libraries kept as tables: the built-in library exported to CSV and to XLSX reads back the
//! same, and headers match case-insensitively with unknown columns ignored.

use trustfill_core::library::{builtin, tabular, Entry, Library};

fn csv_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

#[test]
fn csv_export_then_import_is_lossless() {
    let library = builtin::library();
    let bytes = csv_bytes(&tabular::entries_to_rows(&library.entries));
    let back: Vec<Entry> = Library::entries_from_file(&bytes, "library.csv").unwrap();
    assert_eq!(back, library.entries);
}

#[test]
fn xlsx_export_then_import_is_lossless() {
    let library = builtin::library();
    let rows = tabular::entries_to_rows(&library.entries);
    let mut cells = std::collections::BTreeMap::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                cells.insert((r as u32, c as u32), text.clone());
            }
        }
    }
    let writes = std::collections::BTreeMap::from([("Sheet1".to_owned(), cells)]);
    let bytes = trustfill_core::export::xlsx::fill_workbook(include_bytes!("data/empty.xlsx"), &writes).unwrap();
    let back = Library::entries_from_file(&bytes, "library.xlsx").unwrap();
    assert_eq!(back, library.entries);
}

#[test]
fn headers_match_case_insensitively_and_unknown_columns_are_ignored() {
    let csv = "ID,Question,Notes,Alternates,ANSWER,Detail,Controls,Tags,Owner,Reviewed\n\
               q1,Do you encrypt backups?,ignore me,Are backups encrypted? | Backup encryption?,Yes,AES-256.,A1.2; cc6.1,backup,me@x.example,2026-01-02\n";
    let entries = Library::entries_from_file(csv.as_bytes(), "team.csv").unwrap();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.alternates, vec!["Are backups encrypted?", "Backup encryption?"]);
    assert_eq!(e.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>(), vec!["A1.2", "CC6.1"]);
    assert_eq!(e.answer, "Yes");
    assert!(
        Library::entries_from_file(b"id,answer\n1,Yes\n", "bad.csv").is_err(),
        "a table without questions is refused"
    );
}
