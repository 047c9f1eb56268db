//! Export for xls and ods originals, which cannot be written back: a new xlsx workbook with
//! the same sheets in the same order (hidden ones hidden), the same cell values, merges and
//! dropdowns, and the answers in the cells where fill-back would write them.
//!
//! Values keep their type: numbers stay numbers, booleans booleans and dates dates; a formula
//! becomes its cached value; an error value is left empty, as import reads it. Text, the
//! original's and the answers alike, is written as a string, which Excel never evaluates, so
//! an answer beginning with `=` stays text. Formatting (fonts, fills, widths, number formats)
//! is not carried over, which `export_note` tells the user.

use super::workbook::{date_serial, DateFormat, List, SheetWriter, Visibility, WorkbookError, WorkbookWriter};
use super::xlsx::{planned_writes, SheetWrites};
use super::ExportError;
use crate::import::ooxml::{ListSource, RawListRule};
use crate::import::spreadsheet::{self, ValueSheet};
use crate::model::SourceFormat;
use crate::review::ReviewSession;
use calamine::Data;
use std::collections::HashSet;

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

/// Writes the sheets, with `writes` over their values, as xlsx bytes. The same sheets and
/// writes always give the same bytes.
pub(crate) fn write_workbook(sheets: &[ValueSheet], writes: &SheetWrites) -> Result<Vec<u8>, ExportError> {
    let mut book = WorkbookWriter::new();
    let names: HashSet<String> = sheets.iter().map(|s| s.name.to_lowercase()).collect();
    for sheet in sheets {
        let visibility = if sheet.hidden { Visibility::Hidden } else { Visibility::Visible };
        let page = book.add_sheet(&sheet.name, visibility).map_err(export_error)?;
        for (row, col, value) in &sheet.cells {
            write_value(page, *row, *col, value).map_err(export_error)?;
        }
        // An answer replaces the value under it; an empty one leaves the cell empty.
        for (&(row, col), text) in writes.get(&sheet.name).into_iter().flatten() {
            page.write_text(row, col, text).map_err(export_error)?;
        }
        // A merge the writer refuses (one overlapping an earlier one, which Excel refuses
        // too, a single cell, or one past the merge budget) is left out: its text stays in
        // its first cell.
        for rect in &sheet.merged {
            let _ = page.merge(*rect);
        }
        for rule in &sheet.rules {
            add_dropdown(page, rule, &names);
        }
    }
    book.finish().map_err(export_error)
}

/// A refused sheet name is the user's to fix; any other error is the writer's.
fn export_error(error: WorkbookError) -> ExportError {
    match error {
        WorkbookError::SheetName(name) => ExportError::SheetName(name),
        other => ExportError::Write(other.to_string()),
    }
}

/// One of the original's values, with its type.
fn write_value(page: &mut SheetWriter, row: u32, col: u32, value: &Data) -> Result<(), WorkbookError> {
    match value {
        Data::Empty | Data::Error(_) => Ok(()),
        Data::String(text) | Data::DurationIso(text) => page.write_text(row, col, text),
        Data::Int(number) => page.write_number(row, col, *number as f64),
        Data::Float(number) => page.write_number(row, col, *number),
        Data::Bool(value) => page.write_bool(row, col, *value),
        Data::DateTime(serial) if serial.is_duration() => {
            page.write_date(row, col, serial.as_f64(), DateFormat::Duration)
        }
        // A time of day alone is the same fraction of a day in either date system.
        Data::DateTime(serial) if (0.0..1.0).contains(&serial.as_f64()) => {
            page.write_date(row, col, serial.as_f64(), DateFormat::Time)
        }
        Data::DateTime(serial) => {
            // The components are read in the original's own date system (1900 or 1904), so
            // the date stays the same in the new workbook's 1900 system.
            let (year, month, day, hour, min, sec, milli) = serial.to_ymd_hms_milli();
            let time = (f64::from(hour) * 3_600.0 + f64::from(min) * 60.0 + f64::from(sec)) / 86_400.0
                + f64::from(milli) / 86_400_000.0;
            match date_serial(year, month, day) {
                Some(date) => page.write_date(row, col, date + time, date_format(date + time)),
                None => page.write_number(row, col, serial.as_f64()),
            }
        }
        Data::DateTimeIso(text) => match iso_serial(text) {
            Some(serial) => page.write_date(row, col, serial, date_format(serial)),
            None => page.write_text(row, col, text),
        },
    }
}

/// The format for a date serial: a date alone, a time alone, or both.
fn date_format(serial: f64) -> DateFormat {
    if serial.fract() == 0.0 {
        DateFormat::Date
    } else if serial < 1.0 {
        DateFormat::Time
    } else {
        DateFormat::DateTime
    }
}

/// The serial of an ISO 8601 date, or date and time, as an ods file writes them:
/// `2025-01-21`, `2025-01-21T10:30:00`, with a fraction of a second or a `Z` after it. `None`
/// for anything else, which is written as the text it is.
fn iso_serial(text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('Z');
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut fields = date.split('-');
    let (year, month, day) = (fields.next()?, fields.next()?, fields.next()?);
    if fields.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let date = date_serial(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    let Some(time) = time else { return Some(date) };
    let mut fields = time.split(':');
    let hour: u8 = fields.next()?.parse().ok()?;
    let min: u8 = fields.next()?.parse().ok()?;
    let sec: f64 = fields.next().map_or(Ok(0.0), str::parse).ok()?;
    if fields.next().is_some() || hour > 23 || min > 59 || !(0.0..60.0).contains(&sec) {
        return None;
    }
    Some(date + (f64::from(hour) * 3_600.0 + f64::from(min) * 60.0 + sec) / 86_400.0)
}

/// Adds a dropdown rule over its cells: a literal list stays literal, and a list read from a
/// range of cells keeps reading that range, whose cells the new workbook holds at the same
/// places. A rule the writer cannot express (a choice with a comma, which Excel would split;
/// a list past the 255 characters Excel holds; a source sheet the workbook lacks) is left
/// out, and the answers are written all the same.
fn add_dropdown(page: &mut SheetWriter, rule: &RawListRule, names: &HashSet<String>) {
    let list = match &rule.source {
        ListSource::Literal(choices) => List::Choices(choices),
        ListSource::Range { sheet, rect } => {
            if sheet.as_ref().is_some_and(|s| !names.contains(&s.to_lowercase())) {
                return;
            }
            List::Range { sheet: sheet.as_deref(), range: *rect }
        }
        ListSource::Unresolved => return,
    };
    let _ = page.list_validation(&rule.ranges, list);
}

#[cfg(test)]
mod tests;
