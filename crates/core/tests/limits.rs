//! Every limit on untrusted input (`limits.rs`), tested at the limit and just over it, with
//! hostile files built in memory: padded files, zip containers with many parts or parts that
//! expand too far, huge sheets, long cells, large libraries. At the limit a file opens; over
//! it, it is refused with one plain sentence that names the limit in words a user reads
//! ("50 MB", "10,000 parts"), or, for the question limit and Word cells, read in part with a
//! warning that says so.

mod common;

use std::io::{Cursor, Read, Write};
use trustfill_core::import::package::read_package;
use trustfill_core::limits::{
    MAX_CELLS, MAX_CELL_CHARS, MAX_COMPRESSION_RATIO, MAX_FILE_BYTES, MAX_LIBRARY_ENTRIES, MAX_QUESTIONS,
    MAX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES,
};
use trustfill_core::model::Severity;
use trustfill_core::{import_questionnaire, ImportError, Library, LibraryError, Questionnaire};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// What a case expects of its file.
#[derive(Debug)]
enum Expect {
    /// It opens with this many questions and no warning.
    Opens(usize),
    /// It opens with this many questions and a warning that contains this text.
    OpensInPart(usize, &'static str),
    /// It is refused with this error, whose message contains this text.
    Refused(ImportError, &'static str),
}

/// One questionnaire case: a name, the file's name, a builder and what is expected.
struct Case {
    name: &'static str,
    file_name: &'static str,
    build: fn() -> Vec<u8>,
    expect: Expect,
}

/// Checks that a message for the user is one plain sentence: a capital first, one full stop
/// at the end, no line break, and the limit in words a user reads.
fn assert_one_sentence(message: &str, names: &str) {
    assert!(message.starts_with(|c: char| c.is_ascii_uppercase()), "no capital: {message:?}");
    assert!(message.ends_with('.') && !message.ends_with(".."), "no full stop: {message:?}");
    assert!(!message.contains('\n'), "more than a line: {message:?}");
    let inner = &message[..message.len() - 1];
    assert!(!inner.contains(". "), "more than one sentence: {message:?}");
    assert!(message.contains(names), "{message:?} does not name the limit as {names:?}");
}

// Builders shared by the cases.

/// A CSV questionnaire with `count` questions, one a row.
fn csv_questions(count: usize) -> Vec<u8> {
    let mut csv = String::from("Ref,Question,Answer\n");
    for i in 1..=count {
        csv.push_str(&format!("Q-{i},Do you encrypt customer data set {i} at rest?,\n"));
    }
    csv.into_bytes()
}

/// The workbook and a stored (uncompressed) part of zeros, exactly `size` bytes in all.
fn workbook_padded_to(size: usize) -> Vec<u8> {
    let name = "xl/media/padding.bin".to_owned();
    let padded = |len: usize| with_entries(&workbook(), [(name.clone(), vec![0; len], CompressionMethod::Stored)]);
    let first = padded(1_000);
    let bytes = padded(1_000 + size - first.len());
    assert_eq!(bytes.len(), size);
    bytes
}

/// One question whose comment cell holds `chars` characters.
fn csv_with_comment_of(chars: usize) -> Vec<u8> {
    let comment = "x".repeat(chars);
    format!("Ref,Question,Answer,Comments\nQ-1,Do you encrypt customer data at rest?,,{comment}\n").into_bytes()
}

/// One question and then rows of filler cells, `cells` CSV fields in all. Filler rows leave
/// the first two columns empty, so that they read as no question, and are wide, so that the
/// test stays quick.
fn csv_with_cells(cells: usize) -> Vec<u8> {
    const WIDTH: usize = 1_000;
    let mut csv = String::from("Ref,Question,Answer\nQ-1,Do you encrypt customer data at rest?,\n");
    let mut left = cells - 6;
    let full_row = format!(",{}\n", ",1".repeat(WIDTH - 2));
    while left >= WIDTH {
        csv.push_str(&full_row);
        left -= WIDTH;
    }
    assert!(left == 0 || left >= 3, "a last row of {left} fields would not hold a filler cell");
    if left > 0 {
        csv.push_str(&format!(",{}\n", ",1".repeat(left - 2)));
    }
    csv.into_bytes()
}

/// A one-sheet workbook with a header row and one question.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, text) in ["ID", "Question", "Answer"].into_iter().enumerate() {
        sheet.write_string(0, col as u16, text).unwrap();
    }
    sheet.write_string(1, 0, "Q-1").unwrap();
    sheet.write_string(1, 1, "Do you encrypt customer data at rest?").unwrap();
    book.save_to_buffer().unwrap()
}

/// The uncompressed size of every entry of a zip container, added up.
fn uncompressed_total(bytes: &[u8]) -> u64 {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len()).map(|i| archive.by_index_raw(i).unwrap().size()).sum()
}

/// A zip container: the entries of `base`, copied as they are, then `extra` entries of
/// (name, content, compression).
fn with_entries(base: &[u8], extra: impl IntoIterator<Item = (String, Vec<u8>, CompressionMethod)>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        writer.raw_copy_file(archive.by_index_raw(i).unwrap()).unwrap();
    }
    for (name, content, method) in extra {
        writer.start_file(name, SimpleFileOptions::default().compression_method(method)).unwrap();
        writer.write_all(&content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size that an entry states, in its local header and in the
/// central directory, as a hostile file may state any size.
fn state_size(bytes: &mut [u8], name: &str, size: u32) {
    let (local, central) = {
        let mut archive = zip::ZipArchive::new(Cursor::new(&*bytes)).unwrap();
        let file = archive.by_name(name).unwrap();
        (file.header_start() as usize, file.central_header_start() as usize)
    };
    bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
    bytes[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
}

/// The compressed size of an entry.
fn compressed_size(bytes: &[u8], name: &str) -> u64 {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let size = archive.by_name(name).unwrap().compressed_size();
    size
}

/// Bytes that deflate barely shrinks: a fixed pseudo-random sequence.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_F491;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

/// The workbook with one more part of `len` noise bytes, deflated, stating `stated(c)` bytes
/// uncompressed, where `c` is its compressed size.
fn workbook_with_stated_part(len: usize, stated: impl Fn(u64) -> u64) -> Vec<u8> {
    let name = "xl/media/padding.bin";
    let mut bytes = with_entries(&workbook(), [(name.to_owned(), noise(len), CompressionMethod::Deflated)]);
    let size = stated(compressed_size(&bytes, name));
    state_size(&mut bytes, name, u32::try_from(size).unwrap());
    bytes
}

/// The workbook with parts of noise whose stated sizes bring the container's total to
/// `total` bytes once expanded. Each part states at most 150 times its compressed size, so
/// that only the total is over a limit.
fn workbook_expanding_to(total: u64) -> Vec<u8> {
    let base = workbook();
    let per_part: u64 = 16 * 1024 * 1024;
    let left = total - uncompressed_total(&base);
    let parts = left.div_ceil(per_part);
    let noise = noise(128 * 1024);
    let names: Vec<String> = (0..parts).map(|i| format!("xl/media/padding{i}.bin")).collect();
    let mut bytes = with_entries(&base, names.iter().map(|n| (n.clone(), noise.clone(), CompressionMethod::Deflated)));
    for (i, name) in names.iter().enumerate() {
        let size = if i as u64 == parts - 1 { left - per_part * (parts - 1) } else { per_part };
        assert!(size <= compressed_size(&bytes, name) * 150);
        state_size(&mut bytes, name, size as u32);
    }
    assert_eq!(uncompressed_total(&bytes), total);
    bytes
}

/// The workbook with empty parts added, `entries` parts in all.
fn workbook_with_entries(entries: usize) -> Vec<u8> {
    let base = workbook();
    let have = zip::ZipArchive::new(Cursor::new(&base)).unwrap().len();
    let extra = (have..entries).map(|i| (format!("customXml/item{i}.xml"), Vec::new(), CompressionMethod::Stored));
    with_entries(&base, extra)
}

/// The workbook with its sheet XML rewritten by `edit`.
fn workbook_with_sheet(edit: impl Fn(&str) -> String) -> Vec<u8> {
    let base = workbook();
    let mut archive = zip::ZipArchive::new(Cursor::new(&base)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            text = edit(&text);
        }
        writer.start_file(name, SimpleFileOptions::default()).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The workbook with a comment cell `D2` of `chars` characters, as an inline string.
fn workbook_with_comment_of(chars: usize) -> Vec<u8> {
    workbook_with_sheet(|xml| {
        let cell = format!(r#"<c r="D2" t="inlineStr"><is><t>{}</t></is></c></row>"#, "x".repeat(chars));
        let second_row = xml.find(r#"<row r="2""#).unwrap();
        let end = second_row + xml[second_row..].find("</row>").unwrap();
        format!("{}{}{}", &xml[..end], cell, &xml[end + "</row>".len()..])
    })
}

/// A Word document with a table whose comment cell holds `chars` characters.
fn docx_with_comment_of(chars: usize) -> Vec<u8> {
    use common::{table, text_row};
    let comment = "x".repeat(chars);
    let body = table(
        4,
        &[
            text_row(&["ID", "Question", "Answer", "Comments"]),
            text_row(&["Q-1", "Do you encrypt customer data at rest?", "", &comment]),
        ],
    );
    common::Docx::new(body).build()
}

/// A Word document of `count` numbered questions.
fn docx_questions(count: usize) -> Vec<u8> {
    let body: String = (1..=count).map(|i| common::numbered(&format!("Do you review access list {i}?"))).collect();
    common::Docx::new(body).build()
}

/// A VSAQ questionnaire of `count` yes-or-no questions.
fn vsaq_questions(count: usize) -> Vec<u8> {
    let items: Vec<serde_json::Value> = (1..=count)
        .map(|i| serde_json::json!({ "type": "yesno", "id": format!("q{i}"), "text": format!("Do you review access list {i}?") }))
        .collect();
    serde_json::json!({ "questionnaire": [{ "type": "block", "id": "main", "text": "Main", "items": items }] })
        .to_string()
        .into_bytes()
}

/// A response package of `count` answered questions.
fn package_questions(count: usize) -> Vec<u8> {
    let questions: Vec<serde_json::Value> = (1..=count)
        .map(|i| serde_json::json!({ "id": format!("Q-{i}"), "question": format!("Do you review access list {i}?"), "answer": "Yes", "status": "edited" }))
        .collect();
    serde_json::json!({ "format": "trustfill-response", "schema_version": 1, "questions": questions })
        .to_string()
        .into_bytes()
}

fn cases() -> Vec<Case> {
    vec![
        // File size: every format is refused by its byte count before it is parsed.
        Case {
            name: "a file of exactly the size limit opens",
            file_name: "padded.xlsx",
            build: || workbook_padded_to(MAX_FILE_BYTES),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a file one byte over the size limit is refused",
            file_name: "padded.xlsx",
            build: || workbook_padded_to(MAX_FILE_BYTES + 1),
            expect: Expect::Refused(ImportError::TooLarge(MAX_FILE_BYTES + 1), "up to 50 MB"),
        },
        Case {
            name: "a CSV file over the size limit is refused",
            file_name: "padded.csv",
            build: || {
                let mut bytes = csv_questions(1);
                bytes.resize(MAX_FILE_BYTES + 1, b'\n');
                bytes
            },
            expect: Expect::Refused(ImportError::TooLarge(MAX_FILE_BYTES + 1), "50 MB"),
        },
        Case {
            name: "a VSAQ file over the size limit is refused",
            file_name: "padded.json",
            build: || {
                let mut bytes = vsaq_questions(1);
                bytes.resize(MAX_FILE_BYTES + 1, b' ');
                bytes
            },
            expect: Expect::Refused(ImportError::TooLarge(MAX_FILE_BYTES + 1), "50 MB"),
        },
        // Uncompressed size: the sizes a zip container's parts state, added up.
        Case {
            name: "a workbook that expands to exactly the uncompressed limit opens",
            file_name: "expanding.xlsx",
            build: || workbook_expanding_to(MAX_UNCOMPRESSED_BYTES),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a workbook that expands one byte over the uncompressed limit is refused",
            file_name: "expanding.xlsx",
            build: || workbook_expanding_to(MAX_UNCOMPRESSED_BYTES + 1),
            expect: Expect::Refused(ImportError::ExpandsTooFar(MAX_UNCOMPRESSED_BYTES + 1), "400 MB"),
        },
        // Compression ratio: one part stating more than 200 times its compressed size.
        Case {
            name: "a part that expands exactly 200 times opens",
            file_name: "ratio.xlsx",
            build: || workbook_with_stated_part(64 * 1024, |c| c * MAX_COMPRESSION_RATIO),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a part that expands one byte more than 200 times is refused",
            file_name: "ratio.xlsx",
            build: || workbook_with_stated_part(64 * 1024, |c| c * MAX_COMPRESSION_RATIO + 1),
            expect: Expect::Refused(ImportError::ZipBomb, "200 times"),
        },
        Case {
            name: "a real zip bomb, 8 MB of zeros, is refused by its ratio",
            file_name: "bomb.xlsx",
            build: || {
                let zeros = vec![0u8; 8 * 1024 * 1024];
                with_entries(&workbook(), [("xl/media/bomb.bin".to_owned(), zeros, CompressionMethod::Deflated)])
            },
            expect: Expect::Refused(ImportError::ZipBomb, "200 times"),
        },
        Case {
            name: "a Word document with a zip bomb is refused too",
            file_name: "bomb.docx",
            build: || {
                let zeros = vec![0u8; 8 * 1024 * 1024];
                let base = common::sample_docx();
                with_entries(&base, [("word/media/bomb.bin".to_owned(), zeros, CompressionMethod::Deflated)])
            },
            expect: Expect::Refused(ImportError::ZipBomb, "200 times"),
        },
        Case {
            name: "a sheet that states a small size but expands far beyond it is not read past it",
            file_name: "lying.xlsx",
            build: || {
                let padded = workbook_with_sheet(|xml| {
                    xml.replace("</worksheet>", &" ".repeat(8 * 1024 * 1024)) + "</worksheet>"
                });
                let mut bytes = padded;
                state_size(&mut bytes, "xl/worksheets/sheet1.xml", 1_000);
                bytes
            },
            expect: Expect::Refused(ImportError::Corrupt, "damaged"),
        },
        // Zip entries.
        Case {
            name: "a workbook of exactly 10,000 parts opens",
            file_name: "parts.xlsx",
            build: || workbook_with_entries(MAX_ZIP_ENTRIES),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a workbook of 10,001 parts is refused",
            file_name: "parts.xlsx",
            build: || workbook_with_entries(MAX_ZIP_ENTRIES + 1),
            expect: Expect::Refused(ImportError::TooManyEntries(MAX_ZIP_ENTRIES + 1), "10,000 parts"),
        },
        Case {
            name: "a Word document of 10,001 parts is refused",
            file_name: "parts.docx",
            build: || {
                let base = common::sample_docx();
                let have = zip::ZipArchive::new(Cursor::new(&base)).unwrap().len();
                let extra = (have..=MAX_ZIP_ENTRIES)
                    .map(|i| (format!("customXml/item{i}.xml"), Vec::new(), CompressionMethod::Stored));
                with_entries(&base, extra)
            },
            expect: Expect::Refused(ImportError::TooManyEntries(MAX_ZIP_ENTRIES + 1), "10,000 parts"),
        },
        // Cells.
        Case {
            name: "a sheet of exactly the cell limit opens",
            file_name: "cells.csv",
            build: || csv_with_cells(MAX_CELLS),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a sheet one cell over the cell limit is refused",
            file_name: "cells.csv",
            build: || csv_with_cells(MAX_CELLS + 1),
            expect: Expect::Refused(ImportError::TooManyCells, "5,000,000 cells"),
        },
        // Characters per cell: a spreadsheet cannot hold more, so such a file is damaged or
        // hostile; a Word cell can, and is cut with a warning.
        Case {
            name: "a CSV cell of exactly 32,767 characters opens",
            file_name: "long.csv",
            build: || csv_with_comment_of(MAX_CELL_CHARS),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a CSV cell of 32,768 characters is refused",
            file_name: "long.csv",
            build: || csv_with_comment_of(MAX_CELL_CHARS + 1),
            expect: Expect::Refused(ImportError::CellTooLong, "32,767 characters"),
        },
        Case {
            name: "a workbook cell of exactly 32,767 characters opens",
            file_name: "long.xlsx",
            build: || workbook_with_comment_of(MAX_CELL_CHARS),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a workbook cell of 32,768 characters is refused",
            file_name: "long.xlsx",
            build: || workbook_with_comment_of(MAX_CELL_CHARS + 1),
            expect: Expect::Refused(ImportError::CellTooLong, "32,767 characters"),
        },
        Case {
            name: "a Word cell of exactly 32,767 characters opens whole",
            file_name: "long.docx",
            build: || docx_with_comment_of(MAX_CELL_CHARS),
            expect: Expect::Opens(1),
        },
        Case {
            name: "a Word cell of 32,768 characters is cut, with a warning",
            file_name: "long.docx",
            build: || docx_with_comment_of(MAX_CELL_CHARS + 1),
            expect: Expect::OpensInPart(1, "first 32,767 characters"),
        },
        // Questions: the first 20,000 are read, with a warning.
        Case {
            name: "a CSV of exactly 20,000 questions opens whole",
            file_name: "many.csv",
            build: || csv_questions(MAX_QUESTIONS),
            expect: Expect::Opens(MAX_QUESTIONS),
        },
        Case {
            name: "a CSV of 20,001 questions opens its first 20,000",
            file_name: "many.csv",
            build: || csv_questions(MAX_QUESTIONS + 1),
            expect: Expect::OpensInPart(MAX_QUESTIONS, "first 20,000 questions"),
        },
        Case {
            name: "a VSAQ file of exactly 20,000 questions opens whole",
            file_name: "many.json",
            build: || vsaq_questions(MAX_QUESTIONS),
            expect: Expect::Opens(MAX_QUESTIONS),
        },
        Case {
            name: "a VSAQ file of 20,001 questions opens its first 20,000",
            file_name: "many.json",
            build: || vsaq_questions(MAX_QUESTIONS + 1),
            expect: Expect::OpensInPart(MAX_QUESTIONS, "first 20,000 questions"),
        },
        Case {
            name: "a Word document of 20,001 questions opens its first 20,000",
            file_name: "many.docx",
            build: || docx_questions(MAX_QUESTIONS + 1),
            expect: Expect::OpensInPart(MAX_QUESTIONS, "first 20,000 questions"),
        },
        Case {
            name: "a response package of exactly 20,000 questions opens whole",
            file_name: "many-trustfill.json",
            build: || package_questions(MAX_QUESTIONS),
            expect: Expect::Opens(MAX_QUESTIONS),
        },
        Case {
            name: "a response package of 20,001 questions opens its first 20,000",
            file_name: "many-trustfill.json",
            build: || package_questions(MAX_QUESTIONS + 1),
            expect: Expect::OpensInPart(MAX_QUESTIONS, "first 20,000 questions"),
        },
    ]
}

fn warnings(questionnaire: &Questionnaire) -> Vec<&str> {
    questionnaire.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| d.message.as_str()).collect()
}

#[test]
fn every_limit_holds_at_and_just_over_it() {
    let mut failures = Vec::new();
    for case in cases() {
        let bytes = (case.build)();
        let result = import_questionnaire(&bytes, case.file_name);
        let outcome = match (&case.expect, &result) {
            (Expect::Opens(count), Ok(q)) if q.questions.len() == *count && warnings(q).is_empty() => Ok(()),
            (Expect::OpensInPart(count, says), Ok(q))
                if q.questions.len() == *count && warnings(q).iter().any(|w| w.contains(says)) =>
            {
                let warning = warnings(q).into_iter().find(|w| w.contains(says)).unwrap_or_default();
                assert_one_sentence(warning, says);
                Ok(())
            }
            (Expect::Refused(error, says), Err(found)) if found == error => {
                assert_one_sentence(&found.to_string(), says);
                Ok(())
            }
            (expect, Ok(q)) => {
                Err(format!("expected {expect:?}, got {} questions, warnings {:?}", q.questions.len(), warnings(q)))
            }
            (expect, Err(e)) => Err(format!("expected {expect:?}, got {e:?}: {e}")),
        };
        if let Err(message) = outcome {
            failures.push(format!("{}: {message}", case.name));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_response_package_over_the_size_limit_is_refused_before_it_is_parsed() {
    // The app reopens a package through `read_package` without `import_questionnaire`.
    let mut bytes = package_questions(1);
    bytes.resize(MAX_FILE_BYTES, b' ');
    assert_eq!(read_package(&bytes, "package.json").unwrap().questionnaire.questions.len(), 1);
    bytes.push(b' ');
    let error = read_package(&bytes, "package.json").unwrap_err();
    assert_eq!(error, ImportError::TooLarge(MAX_FILE_BYTES + 1));
    assert_one_sentence(&error.to_string(), "50 MB");
}

/// A library of `count` entries in a format: (file name, bytes).
fn library_file(format: &str, count: usize) -> (String, Vec<u8>) {
    let rows = (1..=count).map(|i| (format!("E-{i}"), format!("Do you review access list {i}?")));
    match format {
        "json" => {
            let entries: Vec<_> =
                rows.map(|(id, q)| serde_json::json!({ "id": id, "question": q, "answer": "Yes" })).collect();
            ("library.json".into(), serde_json::json!({ "entries": entries }).to_string().into_bytes())
        }
        "csv" => {
            let mut csv = String::from("id,question,answer\n");
            for (id, q) in rows {
                csv.push_str(&format!("{id},{q},Yes\n"));
            }
            ("library.csv".into(), csv.into_bytes())
        }
        _ => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.write_string(0, 0, "id").unwrap();
            sheet.write_string(0, 1, "question").unwrap();
            for (row, (id, q)) in rows.enumerate() {
                sheet.write_string(row as u32 + 1, 0, id).unwrap();
                sheet.write_string(row as u32 + 1, 1, q).unwrap();
            }
            ("library.xlsx".into(), book.save_to_buffer().unwrap())
        }
    }
}

#[test]
fn libraries_hold_at_most_the_entry_limit_in_every_format() {
    for format in ["json", "csv", "xlsx"] {
        let (name, at) = library_file(format, MAX_LIBRARY_ENTRIES);
        let entries = Library::entries_from_file(&at, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(entries.len(), MAX_LIBRARY_ENTRIES, "{name}");
        let (name, over) = library_file(format, MAX_LIBRARY_ENTRIES + 1);
        let error = Library::entries_from_file(&over, &name).unwrap_err();
        assert!(matches!(error, LibraryError::TooLarge(n) if n == MAX_LIBRARY_ENTRIES + 1), "{name}: {error:?}");
        assert_one_sentence(&error.to_string(), "50,000 entries");
    }
}

#[test]
fn a_library_file_over_the_size_limit_is_refused_before_it_is_parsed() {
    for name in ["library.json", "library.csv", "library.xlsx"] {
        let bytes = vec![b' '; MAX_FILE_BYTES + 1];
        let error = Library::entries_from_file(&bytes, name).unwrap_err();
        assert!(matches!(error, LibraryError::FileTooLarge(n) if n == MAX_FILE_BYTES + 1), "{name}: {error:?}");
        assert_one_sentence(&error.to_string(), "50 MB");
    }
}

#[test]
fn sizes_and_counts_read_as_a_user_writes_them() {
    use trustfill_core::limits::{count, megabytes};
    for (bytes, expected) in [
        (MAX_FILE_BYTES as u64, "50 MB"),
        (MAX_FILE_BYTES as u64 + 1, "50.1 MB"),
        (MAX_UNCOMPRESSED_BYTES, "400 MB"),
        (1, "0.1 MB"),
        (1024 * 1024 * 3 / 2, "1.5 MB"),
    ] {
        assert_eq!(megabytes(bytes), expected, "{bytes}");
    }
    for (n, expected) in [(0, "0"), (999, "999"), (1_000, "1,000"), (MAX_CELLS, "5,000,000"), (32_767, "32,767")] {
        assert_eq!(count(n), expected);
    }
}
