//! The first question sheet as CSV and TSV, as a spreadsheet saves it (every row padded to
//! the same width, merged text in the first cell), in every encoding and delimiter import
//! sniffs: UTF-8 with a byte order mark, UTF-16LE with one, and Windows-1252, which spells
//! "’" and "é" as single bytes.

use super::{assert_questions, assert_sheets, security, security_questions};
use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Utf8Bom,
    Utf16LeBom,
    Windows1252,
}

/// The sheet as delimited text, every row padded to the sheet's width.
fn text(delimiter: u8) -> String {
    let sheet = security();
    let width = sheet.width() as usize;
    let mut writer =
        csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let last = sheet.rows.last().map(|(r, _)| *r).unwrap_or(0);
    for row in 0..=last {
        let cells = sheet.rows.iter().find(|(r, _)| *r == row).map(|(_, c)| c.clone()).unwrap_or_default();
        let padded: Vec<&str> = (0..width).map(|c| cells.get(c).copied().unwrap_or("")).collect();
        writer.write_record(&padded).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16LeBom => {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }
        Encoding::Windows1252 => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            assert!(!unmappable);
            bytes.into_owned()
        }
    }
}

#[test]
fn windows_1252_spells_the_quote_and_accent_as_single_bytes() {
    let bytes = encode(&text(b','), Encoding::Windows1252);
    assert!(bytes.contains(&0x92) && bytes.contains(&0xE9));
    assert!(std::str::from_utf8(&bytes).is_err());
}

#[test]
fn every_encoding_and_delimiter_gives_the_same_questions() {
    for encoding in [Encoding::Utf8Bom, Encoding::Utf16LeBom, Encoding::Windows1252] {
        for (delimiter, extension) in [(b',', "csv"), (b';', "csv"), (b'\t', "tsv"), (b'\t', "csv")] {
            let bytes = encode(&text(delimiter), encoding);
            let name = format!("built-{encoding:?}.{extension}");
            let q = import_questionnaire(&bytes, &name).unwrap();
            let context = format!("{encoding:?}, {:?} in a .{extension}", delimiter as char);
            let format = if extension == "tsv" { SourceFormat::Tsv } else { SourceFormat::Csv };
            assert_eq!(q.format, format, "{context}");
            let stem = format!("built-{encoding:?}");
            assert_questions(&q, &security_questions(&stem, false));
            assert_sheets(&q, &[(&stem, SheetRole::Questions, 4)]);
            let notes: Vec<&str> = q.diagnostics.iter().map(|d| d.message.as_str()).collect();
            let expected = match delimiter {
                b',' => vec![],
                other => vec![format!("Columns are separated by {:?}.", other as char)],
            };
            assert_eq!(notes, expected, "{context}");
        }
    }
}
