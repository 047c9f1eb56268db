//! Reading workbooks (xlsx, xlsm, xls, ods) into grids through calamine, with the merges and
//! dropdowns that calamine leaves out read from the package itself.

use super::grid::{Grid, Rect};
use super::ooxml::RawListRule;
use super::{ods, ooxml, ImportError};
use crate::limits;
use calamine::{open_workbook_from_rs, Data, DataRef, Ods, Reader, SheetVisible, Xls, Xlsx};
use std::io::{Cursor, Read, Seek, SeekFrom};

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

fn rect_of(dimensions: calamine::Dimensions) -> Rect {
    Rect {
        first_row: dimensions.start.0,
        first_col: dimensions.start.1,
        last_row: dimensions.end.0,
        last_col: dimensions.end.1,
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
    // Each sheet's XML is scanned before calamine reads it: for its dropdowns, and for cell
    // references too long for calamine's arithmetic.
    let mut rules = Vec::new();
    for part in &parts {
        let Some(xml) = ooxml::read_part(&mut archive, &part.path)? else { continue };
        rules.push((part.name.clone(), ooxml::sheet_rules_checked(&String::from_utf8_lossy(&xml))?));
    }
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Unreadable(super::quoted(&e.to_string())))?;
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
        while let Some(cell) = reader
            .next_cell_with_formula_metadata()
            .map_err(|e| ImportError::Unreadable(super::quoted(&e.to_string())))?
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
        grid.merged =
            workbook.merge_cells_by_sheet_name(&sheet.name).unwrap_or_default().into_iter().map(rect_of).collect();
        grids.push(grid);
    }
    // Dropdown lists need every sheet read first: their choices often live on a hidden sheet.
    resolve_validations(&mut grids, rules);
    Ok(grids)
}

/// Resolves each sheet's dropdown rules into its grid's validations, once every sheet is
/// read, so that a list drawn from another (often hidden) sheet finds its choices.
fn resolve_validations(grids: &mut [Grid], rules: Vec<(String, Vec<RawListRule>)>) {
    for (name, rules) in rules {
        if rules.is_empty() {
            continue;
        }
        let resolved = ooxml::resolve_rules(rules, |sheet, rect| range_choices(grids, sheet.unwrap_or(&name), rect));
        if let Some(grid) = grids.iter_mut().find(|g| g.name == name) {
            grid.validations = resolved;
        }
    }
}

/// The non-empty texts of a range on a sheet, row by row: a dropdown's choices.
fn range_choices(grids: &[Grid], sheet: &str, rect: Rect) -> Vec<String> {
    let mut choices = Vec::new();
    if let Some(source) = grids.iter().find(|g| g.name == sheet) {
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
}

/// One sheet's non-empty cells with their types (the cached value of a formula), its merged
/// areas and its dropdown rules as written: what an xls or ods workbook is rebuilt from when
/// it is exported as xlsx (see `export::rebuild`), and what its grid is made from.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValueSheet {
    pub name: String,
    pub hidden: bool,
    /// Non-empty cells as (row, column, value), row by row.
    pub cells: Vec<(u32, u32, Data)>,
    pub merged: Vec<Rect>,
    pub rules: Vec<RawListRule>,
}

/// Reads an ods workbook: cells through calamine, then merges and dropdowns from its
/// `content.xml`, which calamine does not expose.
pub fn read_ods(bytes: &[u8]) -> Result<Vec<Grid>, ImportError> {
    Ok(grids_of(ods_values(bytes)?))
}

/// Reads an xls workbook, with its merged cells. Calamine does not expose an xls file's
/// dropdowns, so its answer columns are found by their headers alone.
pub fn read_xls(bytes: &[u8]) -> Result<Vec<Grid>, ImportError> {
    Ok(grids_of(xls_values(bytes)?))
}

/// An ods workbook's sheets with typed cells, merges and dropdown rules.
pub(crate) fn ods_values(bytes: &[u8]) -> Result<Vec<ValueSheet>, ImportError> {
    let mut archive = ooxml::open_checked(bytes)?;
    let workbook: Ods<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::OdsError| ImportError::Unreadable(super::quoted(&e.to_string())))?;
    let mut sheets = read_values(workbook, |_| Vec::new())?;
    let content = ooxml::read_text(&mut archive, "content.xml").unwrap_or_default();
    for table in ods::table_extras(&content) {
        if let Some(sheet) = sheets.iter_mut().find(|s| s.name == table.name) {
            sheet.merged = table.merged;
            sheet.rules = table.rules;
        }
    }
    Ok(sheets)
}

/// An xls workbook's sheets with typed cells and merges (calamine reads no dropdowns there).
pub(crate) fn xls_values(bytes: &[u8]) -> Result<Vec<ValueSheet>, ImportError> {
    super::xls::check(bytes)?;
    let workbook: Xls<_> = open_workbook_from_rs(ZeroPadded { bytes, position: 0 }).map_err(|e| match e {
        calamine::XlsError::Password => ImportError::Encrypted,
        other => ImportError::Unreadable(super::quoted(&other.to_string())),
    })?;
    read_values(workbook, |(workbook, name)| workbook.merge_cells_by_sheet_name(name).unwrap_or_default())
}

/// Turns sheets of values into grids of text, resolving dropdown rules once every sheet is
/// read: their choices often live on a hidden sheet.
fn grids_of(sheets: Vec<ValueSheet>) -> Vec<Grid> {
    let mut rules = Vec::new();
    let mut grids: Vec<Grid> = sheets
        .into_iter()
        .map(|sheet| {
            let mut grid = Grid::new(&sheet.name);
            grid.hidden = sheet.hidden;
            for (row, col, value) in &sheet.cells {
                grid.set(*row, *col, &data_text(value), false);
            }
            grid.merged = sheet.merged;
            rules.push((sheet.name, sheet.rules));
            grid
        })
        .collect();
    resolve_validations(&mut grids, rules);
    grids
}

/// Reads every sheet's used cells with their types; `merges` gives a sheet's merged areas.
fn read_values<RS, R>(
    mut workbook: R,
    merges: impl Fn((&R, &str)) -> Vec<calamine::Dimensions>,
) -> Result<Vec<ValueSheet>, ImportError>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let mut sheets = Vec::new();
    let mut total_cells = 0usize;
    for meta in workbook.sheets_metadata().to_vec() {
        let Ok(range) = workbook.worksheet_range(&meta.name) else { continue };
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut cells = Vec::new();
        for (row, col, value) in range.used_cells() {
            if let Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) = value {
                check_cell_text(text)?;
            }
            total_cells += 1;
            if total_cells > limits::MAX_CELLS {
                return Err(ImportError::TooManyCells);
            }
            cells.push((first_row + row as u32, first_col + col as u32, value.clone()));
        }
        let merged = merges((&workbook, &meta.name)).into_iter().map(rect_of).collect();
        sheets.push(ValueSheet {
            name: meta.name.clone(),
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            merged,
            rules: Vec::new(),
        });
    }
    Ok(sheets)
}

/// Bytes read as if followed by zeros: reads past the end fill the buffer with zeros, while
/// seeking to the end still finds the real length. Calamine's compound-file (xls) reader slices
/// past what it read when a sector of a damaged file runs beyond the end, which panics; read
/// this way, a truncated file has no short read to trip over. Each of its reads is bounded by a
/// sector's size, so the zeros are never read without end.
struct ZeroPadded<'a> {
    bytes: &'a [u8],
    position: u64,
}

impl Read for ZeroPadded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let start = usize::try_from(self.position).unwrap_or(usize::MAX).min(self.bytes.len());
        let real = &self.bytes[start..];
        let n = real.len().min(buf.len());
        buf[..n].copy_from_slice(&real[..n]);
        buf[n..].fill(0);
        self.position = self.position.saturating_add(buf.len() as u64);
        Ok(buf.len())
    }
}

impl Seek for ZeroPadded<'_> {
    fn seek(&mut self, from: SeekFrom) -> std::io::Result<u64> {
        let target = match from {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => (self.bytes.len() as u64).checked_add_signed(d),
            SeekFrom::Current(d) => self.position.checked_add_signed(d),
        };
        self.position = target.ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
        Ok(self.position)
    }
}
