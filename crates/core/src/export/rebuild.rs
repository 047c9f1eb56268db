//! Export for xls and ods originals, which cannot be written back: a new xlsx workbook with
//! the same sheets in the same order (hidden ones hidden), the same cell values, merges and
//! dropdowns, and the answers in the cells where fill-back would write them.
//!
//! Values keep their type: numbers stay numbers, booleans booleans and dates dates; a formula
//! becomes its cached value; an error value is left empty, as import reads it. Text, the
//! original's and the answers alike, is written as a string, which Excel never evaluates, so
//! an answer beginning with `=` stays text. Formatting (fonts, fills, widths, number formats)
//! is not carried over, which `export_note` tells the user.

use super::xlsx::{planned_writes, SheetWrites};
use super::{clean_cell_text, ExportError};
use crate::import::grid::Rect;
use crate::import::ooxml::{ListSource, RawListRule};
use crate::import::spreadsheet::{self, ValueSheet};
use crate::model::{column_letters, SourceFormat};
use crate::review::ReviewSession;
use calamine::Data;
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};
use std::collections::{BTreeMap, HashSet};

/// The most cells that a sheet's merges may cover. Each merged cell is written as a blank
/// cell; a real questionnaire merges a few thousand, and merges past this budget are left out
/// (their text stays in their first cell) rather than cost memory.
const MAX_MERGED_CELLS: u64 = 200_000;

/// Writes the session's answers into a new xlsx workbook rebuilt from an xls or ods original.
pub fn rebuild_xlsx(original: &[u8], session: &ReviewSession) -> Result<Vec<u8>, ExportError> {
    let sheets = match session.questionnaire.format {
        SourceFormat::Xls => spreadsheet::xls_values(original),
        SourceFormat::Ods => spreadsheet::ods_values(original),
        _ => return Err(ExportError::NotFillable),
    }
    .map_err(|e| ExportError::Source(e.to_string().trim_end_matches('.').to_owned()))?;
    write_workbook(&sheets, &planned_writes(session))
}

/// What one cell of the new workbook holds: a value of the original, or text to write.
enum Cell<'a> {
    Value(&'a Data),
    Text(&'a str),
}

/// Writes the sheets, with `writes` over their values, as xlsx bytes. The same sheets and
/// writes always give the same bytes: the workbook's creation time is fixed.
pub(crate) fn write_workbook(sheets: &[ValueSheet], writes: &SheetWrites) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    // The zip entries of an xlsx are dated 1980-01-01 by rust_xlsxwriter; so is the workbook.
    let epoch = ExcelDateTime::from_ymd(1980, 1, 1).map_err(write_error)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    // Excel shows the active sheet first and cannot show a hidden one: the first visible
    // sheet is made active. A workbook of hidden sheets only is not one Excel opens, so
    // then its first sheet is shown.
    let first_visible = sheets.iter().position(|s| !s.hidden).unwrap_or(0);
    let formats = Formats::new();
    let no_writes = BTreeMap::new();
    // Excel compares sheet names without case; the writer would say so only when saving,
    // with the name lower-cased.
    let mut names = HashSet::new();
    for (index, sheet) in sheets.iter().enumerate() {
        if !names.insert(sheet.name.to_lowercase()) {
            return Err(ExportError::SheetName(sheet.name.clone()));
        }
        let page = book.add_worksheet();
        page.set_name(&sheet.name).map_err(|e| name_error(e, &sheet.name))?;
        write_merges(page, &sheet.merged)?;
        let mut cells: BTreeMap<(u32, u32), Cell<'_>> =
            sheet.cells.iter().map(|(row, col, value)| ((*row, *col), Cell::Value(value))).collect();
        for (&(row, col), text) in writes.get(&sheet.name).unwrap_or(&no_writes) {
            cells.insert((row, col), Cell::Text(text));
        }
        for ((row, col), cell) in cells {
            let col =
                u16::try_from(col).map_err(|_| ExportError::Write(format!("column {col} is past Excel's last")))?;
            match cell {
                Cell::Value(value) => write_value(page, row, col, value, &formats)?,
                Cell::Text(text) => write_text(page, row, col, &clean_cell_text(text))?,
            };
        }
        for rule in &sheet.rules {
            add_dropdown(page, rule)?;
        }
        if index == first_visible {
            page.set_active(true);
        } else if sheet.hidden {
            page.set_hidden(true);
        }
    }
    book.save_to_buffer().map_err(write_error)
}

fn write_error(error: XlsxError) -> ExportError {
    ExportError::Write(error.to_string().trim_end_matches('.').to_owned())
}

/// A refused sheet name is the user's to fix; any other error is the writer's.
fn name_error(error: XlsxError, name: &str) -> ExportError {
    match error {
        XlsxError::SheetnameCannotBeBlank(_)
        | XlsxError::SheetnameLengthExceeded(_)
        | XlsxError::SheetnameReused(_)
        | XlsxError::SheetnameContainsInvalidCharacter(_)
        | XlsxError::SheetnameStartsOrEndsWithApostrophe(_) => ExportError::SheetName(name.to_owned()),
        other => write_error(other),
    }
}

/// The number formats that keep dates and times readable.
struct Formats {
    date: Format,
    time: Format,
    date_time: Format,
    duration: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            date: Format::new().set_num_format("yyyy-mm-dd"),
            time: Format::new().set_num_format("hh:mm:ss"),
            date_time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            duration: Format::new().set_num_format("[h]:mm:ss"),
        }
    }

    /// The format for a date and time: a date alone, a time alone, or both.
    fn for_datetime(&self, datetime: &ExcelDateTime) -> &Format {
        let serial = datetime.to_excel();
        if serial.fract() == 0.0 {
            &self.date
        } else if serial < 1.0 {
            &self.time
        } else {
            &self.date_time
        }
    }
}

/// Text as a string cell; empty text leaves the cell empty.
fn write_text(page: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), ExportError> {
    if !text.is_empty() {
        page.write_string(row, col, text).map_err(write_error)?;
    }
    Ok(())
}

/// One of the original's values, with its type.
fn write_value(page: &mut Worksheet, row: u32, col: u16, value: &Data, formats: &Formats) -> Result<(), ExportError> {
    let written = match value {
        Data::Empty | Data::Error(_) => return Ok(()),
        Data::String(text) | Data::DurationIso(text) => return write_text(page, row, col, text),
        Data::Int(number) => page.write_number(row, col, *number as f64),
        Data::Float(number) if number.is_finite() => page.write_number(row, col, *number),
        Data::Float(number) => return write_text(page, row, col, &number.to_string()),
        Data::Bool(value) => page.write_boolean(row, col, *value),
        Data::DateTime(serial) if serial.is_duration() => {
            page.write_number_with_format(row, col, serial.as_f64(), &formats.duration)
        }
        Data::DateTime(serial) => {
            // The components are read in the original's own epoch (1900 or 1904), so the
            // date stays the same in the new workbook's 1900 epoch.
            let (year, month, day, hour, min, sec, milli) = serial.to_ymd_hms_milli();
            let datetime = ExcelDateTime::from_ymd(year, month, day)
                .and_then(|date| date.and_hms_milli(u16::from(hour), min, sec, milli));
            match datetime {
                Ok(datetime) => page.write_datetime_with_format(row, col, &datetime, formats.for_datetime(&datetime)),
                // Excel's own 1900-02-29, which no calendar has, stays a number.
                Err(_) => page.write_number(row, col, serial.as_f64()),
            }
        }
        Data::DateTimeIso(text) => match ExcelDateTime::parse_from_str(text) {
            Ok(datetime) => page.write_datetime_with_format(row, col, &datetime, formats.for_datetime(&datetime)),
            Err(_) => return write_text(page, row, col, text),
        },
    };
    written.map(|_| ()).map_err(write_error)
}

/// Merges the sheet's merged areas, within the [`MAX_MERGED_CELLS`] budget. An area that
/// overlaps one already merged (which Excel refuses) or is a single cell is left out.
fn write_merges(page: &mut Worksheet, merged: &[Rect]) -> Result<(), ExportError> {
    let plain = Format::new();
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    let mut budget = MAX_MERGED_CELLS;
    for rect in merged {
        let Some((first_col, last_col)) = u16::try_from(rect.first_col).ok().zip(u16::try_from(rect.last_col).ok())
        else {
            continue;
        };
        let area = u64::from(rect.last_row - rect.first_row + 1) * u64::from(last_col - first_col + 1);
        if area < 2 || area > budget {
            continue;
        }
        let cells = || {
            (rect.first_row..=rect.last_row).flat_map(move |r| (rect.first_col..=rect.last_col).map(move |c| (r, c)))
        };
        if cells().any(|cell| covered.contains(&cell)) {
            continue;
        }
        covered.extend(cells());
        budget -= area;
        page.merge_range(rect.first_row, first_col, rect.last_row, last_col, "", &plain).map_err(write_error)?;
    }
    Ok(())
}

/// A cell range in A1 notation: `C3`, or `C3:C9`.
fn a1_range(rect: &Rect) -> String {
    let first = format!("{}{}", column_letters(rect.first_col), rect.first_row + 1);
    if (rect.first_row, rect.first_col) == (rect.last_row, rect.last_col) {
        first
    } else {
        format!("{first}:{}{}", column_letters(rect.last_col), rect.last_row + 1)
    }
}

/// A sheet name as a formula spells it: quoted, with its quotes doubled.
fn quoted_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// Adds a dropdown rule over its cells: a literal list stays literal (when Excel can hold it
/// so: within 255 characters, and no choice with a comma, which Excel would split), and a list
/// read from a range of cells keeps reading that range, whose cells the new workbook holds at
/// the same places. Rules this cannot express are left out; the answers are written all the
/// same.
fn add_dropdown(page: &mut Worksheet, rule: &RawListRule) -> Result<(), ExportError> {
    let Some(first) = rule.ranges.first() else { return Ok(()) };
    let validation = match &rule.source {
        ListSource::Literal(choices) if choices.iter().any(|c| c.contains(',')) => return Ok(()),
        ListSource::Literal(choices) => match DataValidation::new().allow_list_strings(choices) {
            Ok(validation) => validation,
            // Longer than the 255 characters Excel holds in a rule.
            Err(_) => return Ok(()),
        },
        ListSource::Range { sheet, rect } => {
            let cell = |row: u32, col: u32| format!("${}${}", column_letters(col), row + 1);
            let range = format!("{}:{}", cell(rect.first_row, rect.first_col), cell(rect.last_row, rect.last_col));
            let source = match sheet {
                Some(sheet) => format!("={}!{range}", quoted_sheet(sheet)),
                None => format!("={range}"),
            };
            DataValidation::new().allow_list_formula(Formula::new(source))
        }
        ListSource::Unresolved => return Ok(()),
    };
    let ranges: Vec<String> = rule.ranges.iter().map(a1_range).collect();
    let validation = validation.set_multi_range(ranges.join(" "));
    let Ok(first_col) = u16::try_from(first.first_col) else { return Ok(()) };
    let Ok(last_col) = u16::try_from(first.last_col) else { return Ok(()) };
    page.add_data_validation(first.first_row, first_col, first.last_row, last_col, &validation).map_err(write_error)?;
    Ok(())
}

#[cfg(test)]
mod tests;
