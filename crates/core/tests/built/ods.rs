//! The built questionnaire as an OpenDocument spreadsheet, written by hand: a stored
//! `mimetype` entry first, then `content.xml` with column spans, covered cells, repeated
//! blank rows, a hidden table and content-validation lists.

use super::{
    assert_questions, assert_sheets, assert_workbook_diagnostics, workbook, workbook_questions, Choices, Sheet,
};
use std::io::Write;
use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The `table:condition` of a content-validation list, as LibreOffice writes it.
fn condition(choices: &Choices) -> String {
    match choices {
        Choices::Literal(items) => {
            let quoted: Vec<String> = items.iter().map(|c| format!("\"{c}\"")).collect();
            format!("of:cell-content-is-in-list({})", quoted.join(";"))
        }
        Choices::Range(sheet, col, first, last) => {
            let column = trustfill_core::model::column_letters(*col as u32);
            format!("of:cell-content-is-in-list([$'{sheet}'.${column}${}:.${column}${}])", first + 1, last + 1)
        }
    }
}

/// One table: rows in order, blank gaps as one repeated row, merges as spans followed by
/// covered cells. Calamine refuses white space between cells, so none is written.
fn table(sheet: &Sheet, index: usize) -> String {
    let width = sheet.width().max(1);
    let style = if sheet.hidden { "ta2" } else { "ta1" };
    let mut xml = format!(
        r#"<table:table table:name="{}" table:style-name="{style}"><table:table-column table:number-columns-repeated="{width}"/>"#,
        escape(sheet.name)
    );
    let mut next_row = 0;
    for (row, cells) in &sheet.rows {
        if *row > next_row {
            xml.push_str(&format!(
                r#"<table:table-row table:number-rows-repeated="{}"><table:table-cell table:number-columns-repeated="{width}"/></table:table-row>"#,
                row - next_row
            ));
        }
        xml.push_str("<table:table-row>");
        for col in 0..width {
            let text = cells.get(col as usize).copied().unwrap_or("");
            let validation = sheet
                .dropdown
                .as_ref()
                .filter(|d| d.col == col && (d.first_row..=d.last_row).contains(row))
                .map(|_| format!(r#" table:content-validation-name="val{index}""#))
                .unwrap_or_default();
            let element = if sheet.covered(*row, col) { "table:covered-table-cell" } else { "table:table-cell" };
            let span = sheet
                .merge_at(*row, col)
                .map(|(r0, c0, r1, c1)| {
                    format!(
                        r#" table:number-columns-spanned="{}" table:number-rows-spanned="{}""#,
                        c1 - c0 + 1,
                        r1 - r0 + 1
                    )
                })
                .unwrap_or_default();
            if text.is_empty() {
                xml.push_str(&format!("<{element}{span}{validation}/>"));
            } else {
                xml.push_str(&format!(
                    r#"<{element}{span}{validation} office:value-type="string"><text:p>{}</text:p></{element}>"#,
                    escape(text)
                ));
            }
        }
        xml.push_str("</table:table-row>");
        next_row = row + 1;
    }
    xml.push_str("</table:table>");
    xml
}

/// Writes the built workbook as ods bytes.
pub fn build() -> Vec<u8> {
    let sheets = workbook();
    let validations: String = sheets
        .iter()
        .enumerate()
        .filter_map(|(i, sheet)| sheet.dropdown.as_ref().map(|d| (i, sheet, d)))
        .map(|(i, sheet, d)| {
            format!(
                r#"<table:content-validation table:name="val{i}" table:condition="{}" table:allow-empty-cell="true" table:base-cell-address="{}.{}{}"/>"#,
                escape(&condition(&d.choices)),
                sheet.name,
                trustfill_core::model::column_letters(d.col as u32),
                d.first_row + 1
            )
        })
        .collect();
    let tables: String = sheets.iter().enumerate().map(|(i, sheet)| table(sheet, i)).collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3"><office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles><office:body><office:spreadsheet><table:content-validations>{validations}</table:content-validations>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn ods_with_spans_split_question_validation_lists_and_two_tables() {
    // The name says xlsx on purpose: an ods is known by its mimetype entry, not its name.
    for name in ["built.ods", "mislabelled.xlsx"] {
        let q = import_questionnaire(&build(), name).unwrap();
        assert_eq!(q.format, SourceFormat::Ods, "{name}");
        assert_questions(&q, &workbook_questions(true));
        assert_sheets(&q, &super::workbook_sheets(SheetRole::Hidden));
        assert_workbook_diagnostics(&q, "Hidden sheet skipped.");
    }
}
