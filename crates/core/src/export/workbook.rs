//! A small xlsx (SpreadsheetML) writer for the workbooks Trustfill makes: the library as a
//! table, and the new workbook an xls or ods questionnaire is rebuilt as.
//!
//! It writes what those need and nothing more: text as inline strings (never a formula),
//! numbers, booleans, dates and times, bold and wrapped text, merged areas, dropdown lists,
//! column widths and a frozen header row. Every limit Excel would refuse a file for (a sheet
//! name, a cell past the last row, overlapping merges, a dropdown list too long) is checked
//! when it is written, so that Excel and LibreOffice open the file without repairing it.
//! The same calls give the same bytes: the parts' dates are all 1980-01-01.

mod dates;
mod parts;

pub use dates::date_serial;

use crate::import::grid::Rect;
use crate::model::column_letters;
use std::collections::{BTreeMap, HashSet};

/// The rows of an Excel sheet.
pub const MAX_ROWS: u32 = 1_048_576;

/// The columns of an Excel sheet, A to XFD.
pub const MAX_COLS: u32 = 16_384;

/// The longest sheet name Excel allows, in UTF-16 units, as Excel counts characters.
pub const MAX_SHEET_NAME_CHARS: usize = 31;

/// The longest literal dropdown list Excel holds in a rule, commas included, in UTF-16 units.
pub const MAX_LIST_CHARS: usize = 255;

/// The widest column Excel allows, in characters of the default font.
pub const MAX_COLUMN_WIDTH: f64 = 255.0;

/// The most cells that one sheet's merges may cover together. Every merged cell is kept in a
/// set to refuse overlapping merges, which Excel repairs a file for; a real questionnaire
/// merges a few thousand cells, and the budget keeps a hostile file's huge merges cheap.
pub const MAX_MERGED_CELLS: u64 = 200_000;

/// Why a workbook could not be written. Each message is a clause, to follow a colon.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookError {
    /// Excel allows 1 to 31 characters, none of `[ ] : * ? / \`, no apostrophe at either end,
    /// and no two sheets whose names differ only in case.
    #[error("the sheet name {0:?} is not one Excel allows")]
    SheetName(String),
    #[error("the cell at row {row}, column {col} (counted from 0) is past Excel's last row or column")]
    OutOfRange { row: u32, col: u32 },
    #[error("the merged area {0} is a single cell")]
    MergeOfOneCell(String),
    #[error("the merged area {0} overlaps another one")]
    MergeOverlaps(String),
    #[error("the merged area {0} would take the sheet's merges past {MAX_MERGED_CELLS} cells")]
    MergesTooLarge(String),
    #[error("a dropdown has no choices or no cells")]
    EmptyList,
    #[error("the dropdown choice {0:?} holds a comma, which Excel would split")]
    ChoiceWithComma(String),
    #[error("a dropdown list of {0} characters is longer than the {MAX_LIST_CHARS} Excel holds")]
    ListTooLong(usize),
    #[error("a dropdown reads its choices from the sheet {0:?}, which the workbook does not have")]
    UnknownSheet(String),
    #[error("the width of column {0} is not between 0 and {MAX_COLUMN_WIDTH} characters")]
    ColumnWidth(u32),
    #[error("a workbook needs at least one sheet")]
    NoSheets,
    #[error("the zip container could not be written: {0}")]
    Zip(String),
}

/// Whether a sheet's tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Visible,
    Hidden,
}

/// How a cell's text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Bold,
    /// Wrapped within the column's width.
    Wrap,
}

/// The number format a date or time serial is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// `yyyy-mm-dd`
    Date,
    /// `hh:mm:ss`
    Time,
    /// `yyyy-mm-dd hh:mm:ss`
    DateTime,
    /// `[h]:mm:ss`, hours past 24 included.
    Duration,
}

/// Where a dropdown's choices come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum List<'a> {
    /// Choices written in the rule itself.
    Choices(&'a [String]),
    /// The cells of a range, on the named sheet or, for `None`, on the rule's own sheet.
    Range { sheet: Option<&'a str>, range: Rect },
}

/// A value as written in a cell.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// No value: a cell kept only for its format.
    Blank,
    Text(String),
    Number(f64),
    Bool(bool),
}

/// A cell: its value and the index of its format in `xl/styles.xml` (see [`parts::STYLES`]).
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    value: Value,
    format: u8,
}

/// A list rule, ready to write: its cells as Excel spells them, and its formula.
#[derive(Debug, Clone, PartialEq)]
struct Validation {
    sqref: String,
    formula: String,
    /// The sheet whose cells hold the choices, when it is not the rule's own.
    source_sheet: Option<String>,
}

/// One sheet being written. Cells may be written in any order, and a later write to a cell
/// replaces the earlier one; the file holds them row by row, column by column.
#[derive(Debug, Clone)]
pub struct SheetWriter {
    name: String,
    hidden: bool,
    cells: BTreeMap<(u32, u32), Cell>,
    merges: Vec<Rect>,
    merged_cells: HashSet<(u32, u32)>,
    validations: Vec<Validation>,
    widths: BTreeMap<u32, f64>,
    frozen_top_row: bool,
}

/// A workbook being written: its sheets in order.
#[derive(Debug, Clone, Default)]
pub struct WorkbookWriter {
    sheets: Vec<SheetWriter>,
}

impl WorkbookWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a sheet after the others. A name Excel refuses, or one that differs only in case
    /// from an earlier sheet's, is an error that names it.
    pub fn add_sheet(&mut self, name: &str, visibility: Visibility) -> Result<&mut SheetWriter, WorkbookError> {
        let lower = name.to_lowercase();
        if !sheet_name_allowed(name) || self.sheets.iter().any(|s| s.name.to_lowercase() == lower) {
            return Err(WorkbookError::SheetName(name.to_owned()));
        }
        self.sheets.push(SheetWriter {
            name: name.to_owned(),
            hidden: visibility == Visibility::Hidden,
            cells: BTreeMap::new(),
            merges: Vec::new(),
            merged_cells: HashSet::new(),
            validations: Vec::new(),
            widths: BTreeMap::new(),
            frozen_top_row: false,
        });
        let last = self.sheets.len() - 1;
        Ok(&mut self.sheets[last])
    }

    /// The xlsx file's bytes. Excel opens a workbook at its active sheet, which cannot be a
    /// hidden one: the first visible sheet is made active, and when every sheet is hidden,
    /// the first is shown.
    pub fn finish(mut self) -> Result<Vec<u8>, WorkbookError> {
        if self.sheets.is_empty() {
            return Err(WorkbookError::NoSheets);
        }
        if self.sheets.iter().all(|s| s.hidden) {
            self.sheets[0].hidden = false;
        }
        let active = self.sheets.iter().position(|s| !s.hidden).unwrap_or(0);
        let names: HashSet<String> = self.sheets.iter().map(|s| s.name.to_lowercase()).collect();
        let mut sources = self.sheets.iter().flat_map(|s| &s.validations).filter_map(|v| v.source_sheet.as_ref());
        if let Some(unknown) = sources.find(|name| !names.contains(&name.to_lowercase())) {
            return Err(WorkbookError::UnknownSheet(unknown.clone()));
        }
        let mut files = vec![
            ("[Content_Types].xml".to_owned(), parts::content_types(self.sheets.len())),
            ("_rels/.rels".to_owned(), parts::ROOT_RELS.to_owned()),
            ("docProps/app.xml".to_owned(), parts::APP.to_owned()),
            ("docProps/core.xml".to_owned(), parts::CORE.to_owned()),
            ("xl/workbook.xml".to_owned(), parts::workbook(&self.sheets, active)),
            ("xl/_rels/workbook.xml.rels".to_owned(), parts::workbook_rels(self.sheets.len())),
            ("xl/styles.xml".to_owned(), parts::STYLES.to_owned()),
        ];
        for (index, sheet) in self.sheets.iter().enumerate() {
            files.push((format!("xl/worksheets/sheet{}.xml", index + 1), parts::worksheet(sheet, index == active)));
        }
        parts::zip_files(&files)
    }
}

/// Whether Excel allows a sheet name (see [`WorkbookError::SheetName`]). Characters that XML
/// cannot hold are refused too.
fn sheet_name_allowed(name: &str) -> bool {
    (1..=MAX_SHEET_NAME_CHARS).contains(&name.encode_utf16().count())
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.chars().any(|c| c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

impl SheetWriter {
    /// Writes text as a string, which Excel never evaluates: `=1+1` stays text. Characters
    /// XML forbids are dropped and the text is cut to Excel's 32,767 characters; empty text
    /// leaves the cell without a value.
    pub fn write_text(&mut self, row: u32, col: u32, text: &str) -> Result<(), WorkbookError> {
        let text = super::clean_cell_text(text);
        self.set_value(row, col, if text.is_empty() { Value::Blank } else { Value::Text(text) })
    }

    /// Writes a number. Excel holds no NaN or infinity, so those are written as their text.
    pub fn write_number(&mut self, row: u32, col: u32, number: f64) -> Result<(), WorkbookError> {
        if number.is_finite() {
            self.set_value(row, col, Value::Number(number))
        } else {
            self.write_text(row, col, &number.to_string())
        }
    }

    pub fn write_bool(&mut self, row: u32, col: u32, value: bool) -> Result<(), WorkbookError> {
        self.set_value(row, col, Value::Bool(value))
    }

    /// Writes a date or time as Excel stores it, a serial number of days in the 1900 date
    /// system (see [`date_serial`]), shown in `format`.
    pub fn write_date(&mut self, row: u32, col: u32, serial: f64, format: DateFormat) -> Result<(), WorkbookError> {
        self.write_number(row, col, serial)?;
        if serial.is_finite() {
            self.set_format(row, col, format_index_of_date(format))?;
        }
        Ok(())
    }

    /// Sets how a cell's text looks, whatever it holds; a cell not written is kept, empty,
    /// for its style. The last of this and [`Self::write_date`] decides the cell's format.
    pub fn set_style(&mut self, row: u32, col: u32, style: Style) -> Result<(), WorkbookError> {
        self.set_format(row, col, format_index_of_style(style))
    }

    /// Merges an area of cells. Excel refuses a merge of one cell and merges that overlap, so
    /// those are errors, as is a merge past [`MAX_MERGED_CELLS`]; the area's cells keep
    /// their values (Excel shows the first).
    pub fn merge(&mut self, area: Rect) -> Result<(), WorkbookError> {
        check_rect(&area)?;
        let cells = u64::from(area.last_row - area.first_row + 1) * u64::from(area.last_col - area.first_col + 1);
        if cells < 2 {
            return Err(WorkbookError::MergeOfOneCell(a1_range(&area)));
        }
        if self.merged_cells.len() as u64 + cells > MAX_MERGED_CELLS {
            return Err(WorkbookError::MergesTooLarge(a1_range(&area)));
        }
        let every = || {
            (area.first_row..=area.last_row).flat_map(move |r| (area.first_col..=area.last_col).map(move |c| (r, c)))
        };
        if every().any(|cell| self.merged_cells.contains(&cell)) {
            return Err(WorkbookError::MergeOverlaps(a1_range(&area)));
        }
        self.merged_cells.extend(every());
        self.merges.push(area);
        Ok(())
    }

    /// Gives the cells of `ranges` a dropdown of `list`. A literal list is written in the
    /// rule, so its choices may hold no comma (Excel would split it there) and, joined by
    /// commas, must fit in [`MAX_LIST_CHARS`]. A range keeps reading its cells; its sheet
    /// must be in the workbook by the time it is finished.
    pub fn list_validation(&mut self, ranges: &[Rect], list: List<'_>) -> Result<(), WorkbookError> {
        if ranges.is_empty() {
            return Err(WorkbookError::EmptyList);
        }
        for range in ranges {
            check_rect(range)?;
        }
        let (formula, source_sheet) = match list {
            List::Choices([]) => return Err(WorkbookError::EmptyList),
            List::Choices(choices) => {
                if let Some(comma) = choices.iter().find(|c| c.contains(',')) {
                    return Err(WorkbookError::ChoiceWithComma(comma.clone()));
                }
                // Inside a formula's string, a quote is written twice.
                let joined = choices.iter().map(|c| c.replace('"', "\"\"")).collect::<Vec<_>>().join(",");
                let length = joined.encode_utf16().count();
                if length > MAX_LIST_CHARS {
                    return Err(WorkbookError::ListTooLong(length));
                }
                (format!("\"{joined}\""), None)
            }
            List::Range { sheet, range } => {
                check_rect(&range)?;
                let cell = |row: u32, col: u32| format!("${}${}", column_letters(col), row + 1);
                let cells =
                    format!("{}:{}", cell(range.first_row, range.first_col), cell(range.last_row, range.last_col));
                match sheet {
                    // A sheet name in a formula is quoted, with its own quotes doubled.
                    Some(sheet) => (format!("'{}'!{cells}", sheet.replace('\'', "''")), Some(sheet.to_owned())),
                    None => (cells, None),
                }
            }
        };
        let sqref = ranges.iter().map(a1_range).collect::<Vec<_>>().join(" ");
        self.validations.push(Validation { sqref, formula, source_sheet });
        Ok(())
    }

    /// Sets a column's width, in characters of the default font, as Excel stores it.
    pub fn column_width(&mut self, col: u32, width: f64) -> Result<(), WorkbookError> {
        check_cell(0, col)?;
        if !(0.0..=MAX_COLUMN_WIDTH).contains(&width) {
            return Err(WorkbookError::ColumnWidth(col));
        }
        self.widths.insert(col, width);
        Ok(())
    }

    /// Keeps the first row in view while the rest scrolls: a header.
    pub fn freeze_top_row(&mut self) {
        self.frozen_top_row = true;
    }

    fn set_value(&mut self, row: u32, col: u32, value: Value) -> Result<(), WorkbookError> {
        check_cell(row, col)?;
        self.cells.entry((row, col)).or_insert(Cell { value: Value::Blank, format: 0 }).value = value;
        Ok(())
    }

    fn set_format(&mut self, row: u32, col: u32, format: u8) -> Result<(), WorkbookError> {
        check_cell(row, col)?;
        self.cells.entry((row, col)).or_insert(Cell { value: Value::Blank, format: 0 }).format = format;
        Ok(())
    }
}

/// The index in `cellXfs` of a text style (see [`parts::STYLES`]).
fn format_index_of_style(style: Style) -> u8 {
    match style {
        Style::Plain => 0,
        Style::Bold => 1,
        Style::Wrap => 2,
    }
}

/// The index in `cellXfs` of a date format (see [`parts::STYLES`]).
fn format_index_of_date(format: DateFormat) -> u8 {
    match format {
        DateFormat::Date => 3,
        DateFormat::Time => 4,
        DateFormat::DateTime => 5,
        DateFormat::Duration => 6,
    }
}

fn check_cell(row: u32, col: u32) -> Result<(), WorkbookError> {
    if row < MAX_ROWS && col < MAX_COLS {
        Ok(())
    } else {
        Err(WorkbookError::OutOfRange { row, col })
    }
}

/// Checks that a rectangle lies within a sheet and runs from its first cell to its last.
fn check_rect(rect: &Rect) -> Result<(), WorkbookError> {
    check_cell(rect.first_row, rect.first_col)?;
    check_cell(rect.last_row, rect.last_col)?;
    if rect.first_row > rect.last_row || rect.first_col > rect.last_col {
        return Err(WorkbookError::OutOfRange { row: rect.last_row, col: rect.last_col });
    }
    Ok(())
}

/// A cell in A1 notation, for example `C12` for row 11, column 2.
fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// A range in A1 notation: `C3`, or `C3:C9`.
fn a1_range(rect: &Rect) -> String {
    let first = a1(rect.first_row, rect.first_col);
    if (rect.first_row, rect.first_col) == (rect.last_row, rect.last_col) {
        first
    } else {
        format!("{first}:{}", a1(rect.last_row, rect.last_col))
    }
}

#[cfg(test)]
mod tests;
