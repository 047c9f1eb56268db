//! Questionnaire import: bytes and a file name in, questions and diagnostics out.
//! Fails only when the file cannot be read at all, and never panics.

pub mod csv;
pub mod detect;
pub mod docx;
pub mod grid;
pub mod ods;
pub mod ooxml;
pub mod package;
pub mod spreadsheet;
pub mod vsaq;
pub mod xls;

use crate::limits;
use crate::model::{Diagnostic, Questionnaire, SheetRole, SourceFormat};
use grid::Grid;
use std::collections::BTreeSet;

/// Why a file could not be imported. Each message is one plain sentence for the user; a
/// limit's message names the limit as a user reads it ("50 MB", "10,000 parts").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("The file is empty.")]
    Empty,
    /// The file's size in bytes, over [`limits::MAX_FILE_BYTES`].
    #[error(
        "The file is {}; Trustfill opens files up to {}.",
        limits::megabytes(*.0 as u64),
        limits::megabytes(limits::MAX_FILE_BYTES as u64)
    )]
    TooLarge(usize),
    #[error("The file is damaged or is not the kind of file its name says.")]
    Corrupt,
    #[error("The workbook is encrypted or password-protected; remove the password in Excel and try again.")]
    Encrypted,
    /// One part of a zip container states more than [`limits::MAX_COMPRESSION_RATIO`] times
    /// its compressed size.
    #[error(
        "A part of the file expands to more than {} times its packed size, so it was not opened (it may be a zip bomb).",
        limits::MAX_COMPRESSION_RATIO
    )]
    ZipBomb,
    /// The bytes that a zip container's parts state they expand to, added up, over
    /// [`limits::MAX_UNCOMPRESSED_BYTES`].
    #[error(
        "The file expands to {}, more than the {} Trustfill unpacks, so it was not opened (it may be a zip bomb).",
        limits::megabytes(*.0),
        limits::megabytes(limits::MAX_UNCOMPRESSED_BYTES)
    )]
    ExpandsTooFar(u64),
    /// The number of parts of a zip container, over [`limits::MAX_ZIP_ENTRIES`].
    #[error(
        "The file holds {} parts, more than the {} parts Trustfill opens, so it was not opened.",
        limits::count(*.0),
        limits::count(limits::MAX_ZIP_ENTRIES)
    )]
    TooManyEntries(usize),
    #[error("The file has more than {} cells, the most Trustfill reads.", limits::count(limits::MAX_CELLS))]
    TooManyCells,
    #[error(
        "A cell holds more than {} characters, the most a spreadsheet cell can hold.",
        limits::count(limits::MAX_CELL_CHARS)
    )]
    CellTooLong,
    #[error("The file is not text: it looks like a binary file with a .csv name.")]
    NotText,
    #[error("The workbook could not be read: {0}.")]
    Unreadable(String),
    #[error("The file is JSON but not a questionnaire Trustfill knows ({0}).")]
    UnknownJson(String),
    #[error("This kind of file is not supported yet: {0}.")]
    Unsupported(String),
}

/// Where a JSON file stops making sense, without quoting it: serde's own messages can carry
/// the file's text (an unknown name, with its line breaks), which must not speak in
/// Trustfill's voice.
pub(crate) fn json_problem(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Eof => "it ends too early",
        Category::Syntax => "it is not valid JSON",
        Category::Data => "a value has the wrong type or an unknown name",
        Category::Io => "it could not be read",
    };
    format!("{what} at line {}, column {}", error.line(), error.column())
}

/// The most characters of a dependency's message, or of the file's own text, that a message
/// for the user quotes.
const MAX_QUOTED_CHARS: usize = 120;

/// Text from a dependency's error or from the file, made fit to quote inside one sentence:
/// line breaks and other control characters become spaces, it is cut to
/// [`MAX_QUOTED_CHARS`] characters, and a full stop at its end is dropped (the sentence adds
/// its own).
pub(crate) fn quoted(text: &str) -> String {
    let flat: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let flat = flat.trim();
    let mut out: String = flat.chars().take(MAX_QUOTED_CHARS).collect();
    if flat.chars().nth(MAX_QUOTED_CHARS).is_some() {
        out.push('…');
    }
    out.trim_end_matches('.').to_owned()
}

/// The warning given when a file holds more questions than [`limits::MAX_QUESTIONS`].
pub(crate) fn too_many_questions() -> String {
    format!(
        "Only the first {} questions were read, the most Trustfill reads from one file.",
        limits::count(limits::MAX_QUESTIONS)
    )
}

/// Guesses the format from the first bytes and the file name.
pub fn sniff_format(bytes: &[u8], file_name: &str) -> Result<SourceFormat, ImportError> {
    let lower = file_name.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if bytes.starts_with(b"PK\x03\x04") {
        if bytes.windows(8).take(200).any(|w| w == b"mimetype")
            && bytes.windows(11).take(400).any(|w| w == b"spreadsheet")
        {
            return Ok(SourceFormat::Ods);
        }
        if is_word_document(bytes) || matches!(extension, "docx" | "docm" | "dotx" | "dotm") {
            return Ok(SourceFormat::Docx);
        }
        return Ok(if extension == "xlsm" { SourceFormat::Xlsm } else { SourceFormat::Xlsx });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An encrypted xlsx is an OLE container holding an EncryptionInfo stream.
        let marker: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(ImportError::Encrypted);
        }
        if extension == "doc" {
            return Err(ImportError::Unsupported("Word 97-2003 documents (.doc); save it as .docx".into()));
        }
        return Ok(SourceFormat::Xls);
    }
    if package::looks_like_package(bytes) {
        return Ok(SourceFormat::ResponsePackage);
    }
    if extension == "json" && vsaq::looks_like_json(bytes) {
        return Ok(SourceFormat::VsaqJson);
    }
    Ok(if extension == "tsv" { SourceFormat::Tsv } else { SourceFormat::Csv })
}

/// Whether a zip container is a Word document: it holds `word/document.xml`.
fn is_word_document(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .is_ok_and(|archive| archive.index_for_name(docx::DOCUMENT_PART).is_some())
}

/// Imports a questionnaire. See the module docs for the contract.
pub fn import_questionnaire(bytes: &[u8], file_name: &str) -> Result<Questionnaire, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let format = sniff_format(bytes, file_name)?;
    if format == SourceFormat::VsaqJson {
        // A VSAQ file is a tree of items, not a grid, so it skips grid detection.
        return vsaq::questionnaire(bytes, file_name);
    }
    if format == SourceFormat::ResponsePackage {
        // A saved review: its questions come back with their answers as existing answers.
        return package::read_package(bytes, file_name).map(|p| p.questionnaire);
    }
    if format == SourceFormat::Docx {
        // A Word document has paragraphs besides its tables, so it is read on its own.
        return docx::questionnaire(bytes, file_name);
    }
    let (grids, diagnostics) = read_grids(bytes, file_name, format)?;
    Ok(questionnaire_from_grids(file_name, format, &grids, diagnostics))
}

/// The layout the user chose for some sheets, by sheet name (see `detect::detect_with`).
pub type ChosenLayouts = std::collections::BTreeMap<String, crate::model::SheetLayout>;

/// Imports a spreadsheet or CSV with the user's choice of header row and columns for some
/// sheets; the other sheets are detected as usual. Other formats import as
/// [`import_questionnaire`] does.
pub fn import_with_layouts(
    bytes: &[u8],
    file_name: &str,
    chosen: &ChosenLayouts,
) -> Result<Questionnaire, ImportError> {
    if chosen.is_empty() {
        return import_questionnaire(bytes, file_name);
    }
    let format = sniff_format(bytes, file_name)?;
    if !format.is_grid() {
        return import_questionnaire(bytes, file_name);
    }
    let (grids, diagnostics) = read_grids(bytes, file_name, format)?;
    let mut questionnaire = grids_to_questionnaire(file_name, format, &grids, diagnostics, chosen);
    warn_if_empty(&mut questionnaire);
    Ok(questionnaire)
}

/// The first rows of every sheet, as text, for choosing columns by hand: at most
/// `rows` rows and `cols` columns each.
pub fn preview_sheets(bytes: &[u8], file_name: &str, rows: u32, cols: u32) -> Result<Vec<SheetPreview>, ImportError> {
    let format = sniff_format(bytes, file_name)?;
    if !format.is_grid() {
        return Ok(Vec::new());
    }
    let (grids, _) = read_grids(bytes, file_name, format)?;
    Ok(grids
        .iter()
        .map(|grid| SheetPreview {
            name: grid.name.clone(),
            cells: (0..rows)
                .map(|r| (0..cols).map(|c| grid.text(r, c).chars().take(200).collect()).collect())
                .collect(),
        })
        .collect())
}

/// The first rows of one sheet, as the column chooser shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPreview {
    pub name: String,
    /// Row by row, column by column; empty cells are empty strings.
    pub cells: Vec<Vec<String>>,
}

/// Reads a grid format's sheets (xlsx, xlsm, xls, ods, CSV, TSV), for choosing columns by
/// hand with `detect::detect_with`.
pub fn read_grids(
    bytes: &[u8],
    file_name: &str,
    format: SourceFormat,
) -> Result<(Vec<Grid>, Vec<Diagnostic>), ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let mut diagnostics = Vec::new();
    let grids: Vec<Grid> = match format {
        SourceFormat::Xlsx | SourceFormat::Xlsm => spreadsheet::read_xlsx(bytes)?,
        SourceFormat::Xls => spreadsheet::read_xls(bytes)?,
        SourceFormat::Ods => spreadsheet::read_ods(bytes)?,
        SourceFormat::Csv | SourceFormat::Tsv => {
            let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
            let stem = stem.rsplit_once('.').map(|(s, _)| s).unwrap_or(stem);
            let (grid, delimiter) = csv::read(bytes, stem)?;
            if delimiter != b',' {
                diagnostics.push(Diagnostic::info(
                    None,
                    None,
                    format!("Columns are separated by {:?}.", delimiter as char),
                ));
            }
            vec![grid]
        }
        other => return Err(ImportError::Unsupported(other.label().into())),
    };
    Ok((grids, diagnostics))
}

/// Runs detection on every grid, then removes questions whose id already appeared.
pub fn questionnaire_from_grids(
    file_name: &str,
    format: SourceFormat,
    grids: &[Grid],
    diagnostics: Vec<Diagnostic>,
) -> Questionnaire {
    let mut questionnaire = questions_from_grids(file_name, format, grids, diagnostics);
    warn_if_empty(&mut questionnaire);
    questionnaire
}

/// Says so when a questionnaire has no questions at all.
pub(crate) fn warn_if_empty(questionnaire: &mut Questionnaire) {
    if questionnaire.questions.is_empty() {
        questionnaire.diagnostics.push(Diagnostic::warning(None, None, "No questions were found in this file."));
    }
}

/// [`questionnaire_from_grids`] without the warning for an empty result, for formats that
/// find questions outside grids too.
pub(crate) fn questions_from_grids(
    file_name: &str,
    format: SourceFormat,
    grids: &[Grid],
    diagnostics: Vec<Diagnostic>,
) -> Questionnaire {
    grids_to_questionnaire(file_name, format, grids, diagnostics, &ChosenLayouts::new())
}

/// Detection (or the chosen layout) on every grid, without duplicate ids.
fn grids_to_questionnaire(
    file_name: &str,
    format: SourceFormat,
    grids: &[Grid],
    mut diagnostics: Vec<Diagnostic>,
    chosen: &ChosenLayouts,
) -> Questionnaire {
    let mut sheets = Vec::new();
    let mut questions = Vec::new();
    let mut seen_ids = BTreeSet::new();
    for grid in grids {
        let (mut summary, found, notes) = detect::detect_with(grid, chosen.get(&grid.name));
        diagnostics.extend(notes);
        let mut kept = 0;
        for question in found {
            if !seen_ids.insert(question.id.clone()) {
                diagnostics.push(Diagnostic::info(
                    Some(&grid.name),
                    Some(question.location.row),
                    format!(
                        "{} appears again on row {}; the first occurrence is kept.",
                        question.id,
                        question.location.row + 1
                    ),
                ));
                continue;
            }
            if questions.len() >= limits::MAX_QUESTIONS {
                diagnostics.push(Diagnostic::warning(Some(&grid.name), None, too_many_questions()));
                break;
            }
            questions.push(question);
            kept += 1;
        }
        summary.question_count = kept;
        if kept == 0 && summary.role == SheetRole::Questions {
            summary.role = SheetRole::NoQuestions;
        }
        sheets.push(summary);
    }
    Questionnaire { file_name: file_name.to_owned(), format, sheets, questions, diagnostics }
}

#[cfg(test)]
pub(crate) mod tests;
