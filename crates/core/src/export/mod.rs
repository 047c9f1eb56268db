//! Export: the reviewed answers back into the customer's own file, or into CSV, the
//! response package and the printable report; `workbook` writes the new xlsx workbooks.

pub mod csv;
pub mod docx;
pub mod package;
pub mod rebuild;
pub mod report;
pub mod workbook;
pub mod xlsx;

use crate::import::ooxml::Archive;
use crate::model::{AnswerFormat, SourceFormat};
use crate::review::ReviewSession;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

/// Why an export could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("The original file could not be read again: {0}.")]
    Source(String),
    #[error("This questionnaire's format cannot be filled in place; export CSV or the response package instead.")]
    NotFillable,
    #[error("The filled-in file could not be written: {0}.")]
    Write(String),
    #[error(
        "The sheet name {0:?} cannot be used in an Excel workbook, which allows at most 31 characters, none of : \\ / ? * [ ], no apostrophe at either end and no two sheets of the same name; rename the sheet and import the file again."
    )]
    SheetName(String),
}

/// Writes the session's answers into a copy of the original file: a workbook or a Word
/// document, filled in place. An xls or ods original cannot be written back, so it comes
/// back as a new xlsx workbook of the same sheets (see [`rebuild`]); its name should say
/// so (see `SourceFormat::filled_extension`).
pub fn fill_original(original: &[u8], session: &ReviewSession) -> Result<Vec<u8>, ExportError> {
    match session.questionnaire.format {
        SourceFormat::Xlsx | SourceFormat::Xlsm => xlsx::fill_xlsx(original, session),
        SourceFormat::Docx => docx::fill_docx(original, session),
        SourceFormat::Xls | SourceFormat::Ods => rebuild::rebuild_xlsx(original, session),
        _ => Err(ExportError::NotFillable),
    }
}

/// Whether [`fill_original`] can fill in a file of this format.
pub fn can_fill(format: SourceFormat) -> bool {
    format.supports_fill_back()
}

/// A sentence for the user when the filled-in file differs in kind from the original, or
/// `None` when the original is filled in place.
pub fn export_note(format: SourceFormat) -> Option<&'static str> {
    match format {
        SourceFormat::Xls | SourceFormat::Ods => Some(
            "This file is exported as a new .xlsx workbook with the same sheets and values; its formatting is not carried over.",
        ),
        _ => None,
    }
}

/// Copies a zip container entry by entry, in order: the entries named in `edited` get their
/// new text (deflated), and every other one is raw-copied, byte for byte.
pub(crate) fn repackage(archive: &mut Archive<'_>, edited: &BTreeMap<String, String>) -> Result<Vec<u8>, ExportError> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let file = archive.by_index_raw(index).map_err(|e| ExportError::Source(e.to_string()))?;
        let name = file.name().map_err(|e| ExportError::Source(e.to_string()))?.into_owned();
        match edited.get(&name) {
            Some(text) => {
                drop(file);
                writer.start_file(name, options).map_err(|e| ExportError::Write(e.to_string()))?;
                writer.write_all(text.as_bytes()).map_err(|e| ExportError::Write(e.to_string()))?;
            }
            None => writer.raw_copy_file(file).map_err(|e| ExportError::Write(e.to_string()))?,
        }
    }
    let cursor = writer.finish().map_err(|e| ExportError::Write(e.to_string()))?;
    Ok(cursor.into_inner())
}

/// Words that mean the same short answer, lower-case, by canonical answer.
const ANSWER_SYNONYMS: &[(&str, &[&str])] = &[
    ("yes", &["yes", "y", "true", "compliant", "implemented", "in place", "fully compliant", "fully implemented"]),
    ("no", &["no", "n", "false", "not compliant", "non-compliant", "not implemented", "not in place"]),
    ("n/a", &["n/a", "na", "not applicable", "n.a.", "not relevant"]),
    ("partial", &["partial", "partially", "partially compliant", "partially implemented", "in progress", "planned"]),
];

/// The canonical short answer that an answer means ("yes", "no", "n/a" or "partial"), if it
/// means one: "Y", "True" and "Implemented" all mean "yes". A trailing full stop is ignored.
pub fn canonical_answer(answer: &str) -> Option<&'static str> {
    let wanted = answer.trim().to_lowercase();
    let lookup = |word: &str| ANSWER_SYNONYMS.iter().find(|(_, words)| words.contains(&word)).map(|(c, _)| *c);
    lookup(&wanted).or_else(|| lookup(wanted.trim_end_matches('.')))
}

/// Maps a short answer onto the questionnaire's own vocabulary: "Yes" becomes "Y" where the
/// dropdown says Y, "Not Applicable" becomes "N/A". Free-text questions keep the answer.
pub fn map_to_choices(answer: &str, format: &AnswerFormat) -> String {
    let AnswerFormat::Choice(choices) = format else { return answer.to_owned() };
    let wanted = answer.trim().to_lowercase();
    if let Some(exact) = choices.iter().find(|c| c.trim().to_lowercase() == wanted) {
        return exact.clone();
    }
    let Some(canonical) = canonical_answer(answer) else { return answer.to_owned() };
    choices.iter().find(|c| canonical_answer(c) == Some(canonical)).cloned().unwrap_or_else(|| answer.to_owned())
}

/// Makes text safe for a spreadsheet cell: drops control characters that XML 1.0 forbids and
/// cuts it to Excel's 32,767 characters.
pub fn clean_cell_text(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .take(crate::limits::MAX_CELL_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_onto_dropdowns() {
        let yn = AnswerFormat::Choice(vec!["Y".into(), "N".into(), "N/A".into()]);
        assert_eq!(map_to_choices("Yes", &yn), "Y");
        assert_eq!(map_to_choices("no", &yn), "N");
        assert_eq!(map_to_choices("Not Applicable", &yn), "N/A");
        assert_eq!(map_to_choices("Partial", &yn), "Partial");
        let words = AnswerFormat::Choice(vec!["Yes".into(), "No".into(), "Partially Compliant".into()]);
        assert_eq!(map_to_choices("Partial", &words), "Partially Compliant");
        assert_eq!(map_to_choices("Yes", &AnswerFormat::FreeText), "Yes");
    }

    #[test]
    fn synonyms_fold_onto_canonical_answers() {
        for (input, expected) in [
            ("Yes", Some("yes")),
            (" y ", Some("yes")),
            ("Yes.", Some("yes")),
            ("Implemented", Some("yes")),
            ("N", Some("no")),
            ("Not compliant", Some("no")),
            ("n.a.", Some("n/a")),
            ("Not Applicable", Some("n/a")),
            ("Partially implemented", Some("partial")),
            ("We use AWS.", None),
            ("", None),
        ] {
            assert_eq!(canonical_answer(input), expected, "{input:?}");
        }
    }

    #[test]
    fn cell_text_is_cleaned() {
        assert_eq!(clean_cell_text("a\u{0}b\u{1b}c\nd"), "abc\nd");
        assert_eq!(clean_cell_text(&"x".repeat(40_000)).len(), crate::limits::MAX_CELL_CHARS);
    }
}
