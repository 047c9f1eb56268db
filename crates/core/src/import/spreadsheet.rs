//! Reading workbooks (xlsx, xlsm, xls, ods) into grids through calamine.

use super::grid::Grid;
use super::{ooxml, ImportError};
use crate::limits;
use calamine::{open_workbook_from_rs, Data, DataRef, Ods, Reader, SheetVisible, Xls, Xlsx};
use std::io::Cursor;

fn data_text(value: &Data) -> String {
    match value {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn data_ref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
    }
}

fn check_cell_text(text: &str) -> Result<(), ImportError> {
    if text.chars().count() > limits::MAX_CELL_CHARS {
        Err(ImportError::CellTooLong)
    } else {
        Ok(())
    }
}

/// Reads every sheet of an xlsx or xlsm workbook, streaming cells (sparse: the used range is
/// never allocated densely) and resolving dropdown lists.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, ImportError> {
    let mut archive = ooxml::open_checked(bytes)?;
    let parts = ooxml::sheet_parts(&mut archive);
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Unreadable(e.to_string()))?;
    let mut grids = Vec::new();
    let mut total_cells = 0usize;
    let metadata = workbook.sheets_metadata().to_vec();
    for sheet in &metadata {
        let mut grid = Grid::new(&sheet.name);
        grid.hidden = sheet.visible != SheetVisible::Visible;
        let mut reader = match workbook.worksheet_cells_reader(&sheet.name) {
            Ok(reader) => reader,
            Err(_) => continue,
        };
        while let Some(cell) =
            reader.next_cell_with_formula_metadata().map_err(|e| ImportError::Unreadable(e.to_string()))?
        {
            let text = data_ref_text(&cell.value);
            check_cell_text(&text)?;
            total_cells += 1;
            if total_cells > limits::MAX_CELLS {
                return Err(ImportError::TooManyCells);
            }
            grid.set(cell.pos.0, cell.pos.1, &text, cell.formula.is_some());
        }
        drop(reader);
        grid.merged = workbook
            .merge_cells_by_sheet_name(&sheet.name)
            .unwrap_or_default()
            .into_iter()
            .map(|d| super::grid::Rect {
                first_row: d.start.0,
                first_col: d.start.1,
                last_row: d.end.0,
                last_col: d.end.1,
            })
            .collect();
        grids.push(grid);
    }
    // Dropdown lists need every sheet read first: their choices often live on a hidden sheet.
    for part in parts {
        let Some(xml) = ooxml::read_text(&mut archive, &part.path) else { continue };
        let rules = ooxml::list_rules(&xml);
        if rules.is_empty() {
            continue;
        }
        let resolved = ooxml::resolve_rules(rules, |sheet, rect| {
            let source = grids.iter().find(|g| g.name == sheet.unwrap_or(&part.name));
            let mut choices = Vec::new();
            if let Some(source) = source {
                for row in rect.first_row..=rect.last_row {
                    for col in rect.first_col..=rect.last_col {
                        let text = source.text(row, col);
                        if !text.is_empty() {
                            choices.push(text.to_owned());
                        }
                    }
                }
            }
            choices
        });
        if let Some(grid) = grids.iter_mut().find(|g| g.name == part.name) {
            grid.validations = resolved;
        }
    }
    Ok(grids)
}

/// Reads an xls or ods workbook (no dropdowns: calamine does not expose them for these).
pub fn read_legacy(bytes: &[u8], ods: bool) -> Result<Vec<Grid>, ImportError> {
    if ods {
        ooxml::open_checked(bytes)?;
        let workbook: Ods<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e: calamine::OdsError| ImportError::Unreadable(e.to_string()))?;
        read_ranges(workbook)
    } else {
        let workbook: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsError::Password => ImportError::Encrypted,
            other => ImportError::Unreadable(other.to_string()),
        })?;
        read_ranges(workbook)
    }
}

fn read_ranges<RS, R>(mut workbook: R) -> Result<Vec<Grid>, ImportError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let mut grids = Vec::new();
    let mut total_cells = 0usize;
    for sheet in workbook.sheets_metadata().to_vec() {
        let Ok(range) = workbook.worksheet_range(&sheet.name) else { continue };
        let mut grid = Grid::new(&sheet.name);
        grid.hidden = sheet.visible != SheetVisible::Visible;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        for (row, col, value) in range.used_cells() {
            let text = data_text(value);
            check_cell_text(&text)?;
            total_cells += 1;
            if total_cells > limits::MAX_CELLS {
                return Err(ImportError::TooManyCells);
            }
            grid.set(first_row + row as u32, first_col + col as u32, &text, false);
        }
        grids.push(grid);
    }
    Ok(grids)
}
