//! The questionnaire model: what import produces and what review and export consume.

use serde::{Deserialize, Serialize};

/// The kind of file a questionnaire came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Csv,
    Tsv,
    Xlsx,
    Xlsm,
    Xls,
    Ods,
    VsaqJson,
    Docx,
    ResponsePackage,
}

impl SourceFormat {
    /// Whether answers can be written back into the original file: in place for xlsx, xlsm
    /// and docx, and into a new xlsx workbook of the same sheets for xls and ods.
    pub fn supports_fill_back(self) -> bool {
        self.filled_extension().is_some()
    }

    /// The extension of the filled-in file, without the dot, or `None` for a format that
    /// cannot be filled in: an xls or ods original comes back as a new `xlsx` workbook.
    pub fn filled_extension(self) -> Option<&'static str> {
        match self {
            SourceFormat::Xlsx | SourceFormat::Xls | SourceFormat::Ods => Some("xlsx"),
            SourceFormat::Xlsm => Some("xlsm"),
            SourceFormat::Docx => Some("docx"),
            SourceFormat::Csv | SourceFormat::Tsv | SourceFormat::VsaqJson | SourceFormat::ResponsePackage => None,
        }
    }

    /// The media type of the filled-in file, as a download declares it, or `None` for a
    /// format that cannot be filled in.
    pub fn filled_media_type(self) -> Option<&'static str> {
        self.filled_extension().map(|extension| match extension {
            "xlsm" => "application/vnd.ms-excel.sheet.macroEnabled.12",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
    }

    /// Whether the questions sit in sheets of rows and columns, whose layout can be chosen.
    pub fn is_grid(self) -> bool {
        matches!(
            self,
            SourceFormat::Csv
                | SourceFormat::Tsv
                | SourceFormat::Xlsx
                | SourceFormat::Xlsm
                | SourceFormat::Xls
                | SourceFormat::Ods
        )
    }

    /// A short human label, as shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::Csv => "CSV",
            SourceFormat::Tsv => "TSV",
            SourceFormat::Xlsx => "Excel workbook",
            SourceFormat::Xlsm => "Excel macro workbook",
            SourceFormat::Xls => "Excel 97-2003 workbook",
            SourceFormat::Ods => "OpenDocument spreadsheet",
            SourceFormat::VsaqJson => "VSAQ questionnaire",
            SourceFormat::Docx => "Word document",
            SourceFormat::ResponsePackage => "Trustfill response package",
        }
    }
}

/// A zero-based cell position in a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        Self { row, col }
    }

    /// The cell in A1 notation, for example `C12` for row 11, column 2.
    pub fn to_a1(self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }
}

/// Column letters for a zero-based column index: 0 is `A`, 26 is `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Where a question came from, so that export can write its answer back in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Location {
    /// The sheet name; for single-table formats such as CSV, the file's only table; for a Word
    /// document, `Table 1`, `Table 2`, ... or `Document` for the body's paragraphs.
    pub sheet: String,
    /// The zero-based row of the question (for a Word paragraph question, its `n`).
    pub row: u32,
    /// The cell that takes the short answer, where the questionnaire has one.
    pub answer_cell: Option<CellRef>,
    /// The cell that takes the explanation or comment, where the questionnaire has one.
    pub comment_cell: Option<CellRef>,
    /// For tree-shaped formats (VSAQ), the item's path; for a question in a Word document's
    /// paragraphs, `p:<n>` (see `import::docx`).
    pub path: Option<String>,
}

/// What the questionnaire accepts as an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", content = "choices", rename_all = "snake_case")]
pub enum AnswerFormat {
    /// Any text.
    #[default]
    FreeText,
    /// One of a fixed list, such as a sheet's dropdown values.
    Choice(Vec<String>),
}

/// One question found in a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The questionnaire's own id (`GNRL-01`, `1.2.1`), or one made from its position.
    pub id: String,
    pub section: String,
    pub text: String,
    pub location: Location,
    pub answer_format: AnswerFormat,
    /// The answer already in the file (a filled-in questionnaire), if any.
    #[serde(default)]
    pub existing_answer: Option<String>,
    /// The comment already in the file, if any.
    #[serde(default)]
    pub existing_comment: Option<String>,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
}

/// Something import noticed and the user may want to know: a skipped sheet, an ambiguous
/// column, a row that looked like a question but was not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub sheet: Option<String>,
    pub row: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn info(sheet: Option<&str>, row: Option<u32>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Info, sheet: sheet.map(str::to_owned), row, message: message.into() }
    }

    pub fn warning(sheet: Option<&str>, row: Option<u32>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, sheet: sheet.map(str::to_owned), row, message: message.into() }
    }
}

/// The columns detected in one sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SheetLayout {
    pub header_row: Option<u32>,
    pub question_col: u32,
    pub id_col: Option<u32>,
    pub answer_col: Option<u32>,
    pub comment_col: Option<u32>,
}

/// Why a sheet contributed no questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetRole {
    /// The sheet holds questions.
    Questions,
    /// The sheet is hidden in the workbook.
    Hidden,
    /// Instructions, a cover page, scoring or a lookup table.
    Auxiliary,
    /// No question column was found.
    NoQuestions,
}

/// One sheet of the source file and what import made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetSummary {
    pub name: String,
    pub role: SheetRole,
    pub layout: Option<SheetLayout>,
    pub question_count: usize,
    /// Whether the layout was chosen by the user rather than detected; kept with the
    /// session, so that the choice survives a reload.
    #[serde(default)]
    pub chosen: bool,
}

/// An imported questionnaire: its questions, where they live, and what import noticed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub file_name: String,
    pub format: SourceFormat,
    pub sheets: Vec<SheetSummary>,
    pub questions: Vec<Question>,
    pub diagnostics: Vec<Diagnostic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_cover_the_excel_alphabet() {
        for (col, letters) in
            [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")]
        {
            assert_eq!(column_letters(col), letters, "column {col}");
        }
        assert_eq!(CellRef::new(11, 2).to_a1(), "C12");
    }

    #[test]
    fn filled_files_are_named_by_what_they_hold() {
        use SourceFormat::*;
        for (format, extension) in [
            (Xlsx, Some("xlsx")),
            (Xlsm, Some("xlsm")),
            (Xls, Some("xlsx")),
            (Ods, Some("xlsx")),
            (Docx, Some("docx")),
            (Csv, None),
            (Tsv, None),
            (VsaqJson, None),
            (ResponsePackage, None),
        ] {
            assert_eq!(format.filled_extension(), extension, "{format:?}");
            assert_eq!(format.supports_fill_back(), extension.is_some(), "{format:?}");
            assert_eq!(format.filled_media_type().is_some(), extension.is_some(), "{format:?}");
        }
        assert_eq!(Ods.filled_media_type(), Xlsx.filled_media_type());
    }
}
