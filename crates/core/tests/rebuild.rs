//! The real HECVAT saved by LibreOffice as xls and as ods, as a customer's copy would come,
//! then answered and filled in: the filled file is a new xlsx workbook (`export/rebuild.rs`)
//! that imports with the same questions at the same places and the answers written, keeps
//! every sheet (order, names, hidden ones hidden) and every other cell's value, holds no
//! formula, and shows the answers when LibreOffice opens it. These need LibreOffice
//! (`soffice`), which `scripts/tools.sh test` installs.

mod common;

use common::answers::{assert_filled_answers_come_back, spread_session};
use common::libreoffice::{convert_one, sheets_as_csv};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use trustfill_core::export::fill_original;
use trustfill_core::export::xlsx::planned_writes;
use trustfill_core::import::grid::Grid;
use trustfill_core::import::{read_grids, sniff_format};
use trustfill_core::{import_questionnaire, ReviewSession, SourceFormat};

/// The HECVAT's question count, whatever the format it is saved in.
const HECVAT_QUESTIONS: usize = 331;

fn hecvat() -> Vec<u8> {
    let path = format!("{}/../../../shared/fixtures/hecvat/HECVAT-4.1.4-blank.xlsx", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One HECVAT in another format, answered and filled in.
struct Filled {
    name: String,
    format: SourceFormat,
    original: Vec<u8>,
    session: ReviewSession,
    xlsx: Vec<u8>,
}

/// The HECVAT converted to xls and to ods once for all the tests here (LibreOffice takes
/// seconds per conversion), each answered and filled in.
fn filled() -> &'static [Filled] {
    static FILLED: OnceLock<Vec<Filled>> = OnceLock::new();
    FILLED.get_or_init(|| {
        let hecvat = hecvat();
        [("xls", SourceFormat::Xls), ("ods", SourceFormat::Ods)]
            .into_iter()
            .map(|(extension, format)| {
                let original = convert_one(&hecvat, "HECVAT.xlsx", extension);
                let name = format!("HECVAT.{extension}");
                let questionnaire = import_questionnaire(&original, &name).unwrap();
                assert_eq!(questionnaire.format, format);
                assert_eq!(questionnaire.questions.len(), HECVAT_QUESTIONS, "{name}");
                let session = spread_session(questionnaire);
                let xlsx = fill_original(&original, &session).unwrap_or_else(|e| panic!("{name}: {e}"));
                Filled { name, format, original, session, xlsx }
            })
            .collect()
    })
}

/// The answer and comment cells written, as (sheet, row, column) to text.
fn written_cells(session: &ReviewSession) -> BTreeMap<(String, u32, u32), String> {
    let mut cells = BTreeMap::new();
    for (sheet, writes) in planned_writes(session) {
        for ((row, col), text) in writes {
            cells.insert((sheet.clone(), row, col), text);
        }
    }
    cells
}

#[test]
fn the_new_workbook_has_the_same_questions_and_the_answers() {
    for filled in filled() {
        let out_name = "HECVAT-trustfill.xlsx";
        assert_eq!(sniff_format(&filled.xlsx, out_name), Ok(SourceFormat::Xlsx), "{}", filled.name);
        let again = import_questionnaire(&filled.xlsx, out_name).unwrap();
        let written = assert_filled_answers_come_back(&filled.name, &filled.session, &again, &[]);
        assert!(written > 150, "{}: only {written} answers written", filled.name);
        let roles = |q: &trustfill_core::Questionnaire| {
            q.sheets.iter().map(|s| (s.name.clone(), s.role.clone(), s.question_count)).collect::<Vec<_>>()
        };
        assert_eq!(roles(&again), roles(&filled.session.questionnaire), "{}", filled.name);
    }
}

#[test]
fn every_sheet_and_every_other_value_is_kept() {
    for filled in filled() {
        let name = &filled.name;
        let (before, _) = read_grids(&filled.original, name, filled.format).unwrap();
        let (after, _) = read_grids(&filled.xlsx, "HECVAT-trustfill.xlsx", SourceFormat::Xlsx).unwrap();
        let sheets = |grids: &[Grid]| grids.iter().map(|g| (g.name.clone(), g.hidden)).collect::<Vec<_>>();
        assert_eq!(sheets(&after), sheets(&before), "{name}: sheet order, names and visibility");
        assert!(before.iter().any(|g| g.hidden), "{name}: the HECVAT has hidden sheets");
        let written = written_cells(&filled.session);
        for (old, new) in before.iter().zip(&after) {
            let at = format!("{name}, sheet {}", old.name);
            let kept = |grid: &Grid| {
                let mut cells = Vec::new();
                for (row, row_cells) in &grid.rows {
                    for cell in row_cells {
                        if !written.contains_key(&(grid.name.clone(), *row, cell.col)) {
                            cells.push((*row, cell.col, cell.text.clone()));
                        }
                    }
                }
                cells
            };
            assert_eq!(kept(new), kept(old), "{at}: values other than the answers");
            assert_eq!(new.merged, old.merged, "{at}: merged areas");
            assert_eq!(new.validations, old.validations, "{at}: dropdowns");
        }
        let cells: usize = after.iter().map(Grid::cell_count).sum();
        assert!(cells > 5_000, "{name}: the values were written ({cells} cells)");
    }
}

#[test]
fn no_cell_holds_a_formula_and_answers_beginning_with_equals_stay_text() {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    for filled in filled() {
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(&filled.xlsx[..])).unwrap();
        for sheet in book.sheet_names() {
            let formulas = book.worksheet_formula(&sheet).unwrap();
            let found: Vec<_> = formulas.used_cells().filter(|(_, _, f)| !f.is_empty()).take(3).collect();
            assert!(found.is_empty(), "{}, {sheet}: formulas {found:?}", filled.name);
        }
        let equals: Vec<_> = written_cells(&filled.session).into_iter().filter(|(_, t)| t.starts_with('=')).collect();
        assert!(!equals.is_empty(), "{}: the answers hold one beginning with =", filled.name);
        let (grids, _) = read_grids(&filled.xlsx, "HECVAT-trustfill.xlsx", SourceFormat::Xlsx).unwrap();
        for ((sheet, row, col), text) in equals {
            let grid = grids.iter().find(|g| g.name == sheet).unwrap();
            assert_eq!(grid.text(row, col), text, "{}, {sheet}!{row}:{col}", filled.name);
        }
    }
}

#[test]
fn libreoffice_shows_the_answers_in_the_new_workbook() {
    for filled in filled() {
        let sheets = sheets_as_csv(&filled.xlsx, "HECVAT-trustfill.xlsx");
        let written = written_cells(&filled.session);
        assert!(!written.is_empty());
        for ((sheet, row, col), text) in written {
            let rows = sheets.get(&sheet).unwrap_or_else(|| panic!("no CSV of {sheet} in {:?}", sheets.keys()));
            let shown = rows.get(row as usize).and_then(|r| r.get(col as usize)).map_or("", String::as_str);
            assert_eq!(shown, text.trim(), "{}, {sheet} row {} column {col}", filled.name, row + 1);
        }
    }
}
