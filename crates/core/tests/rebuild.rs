//! Questionnaires saved by LibreOffice as ods and xls, as a customer's copy would come: the
//! real HECVAT as ods, and the built questionnaire (kept as a fuzz seed) as xls. Each is
//! answered and filled in, and the filled file is a new xlsx workbook (`export/rebuild.rs`)
//! that imports with the same questions at the same places and the answers written, keeps
//! every sheet (order, names, hidden ones hidden) and every other cell's value, holds no
//! formula, and shows the answers when LibreOffice opens it. These need LibreOffice
//! (`soffice`), which `scripts/tools.sh test` installs.
//!
//! The HECVAT saved as xls is not among them: LibreOffice 7.4 declares its sheets 1,048,576
//! rows long (past xls's 65,536), an area calamine would reserve memory for cell by cell, so
//! import refuses it (`import/xls.rs`) before export could be tried.

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

/// A questionnaire to convert: the xlsx it starts from, the format LibreOffice saves it in
/// (and its extension), its question count, and the least number of answers and cells the
/// filled file must hold.
struct Source {
    path: &'static str,
    to: SourceFormat,
    extension: &'static str,
    questions: usize,
    min_written: usize,
    min_cells: usize,
}

const SOURCES: [Source; 2] = [
    Source {
        path: "../../../shared/fixtures/hecvat/HECVAT-4.1.4-blank.xlsx",
        to: SourceFormat::Ods,
        extension: "ods",
        questions: 331,
        min_written: 150,
        min_cells: 5_000,
    },
    Source {
        path: "../../fuzz/seeds/built.xlsx",
        to: SourceFormat::Xls,
        extension: "xls",
        questions: 7,
        min_written: 4,
        min_cells: 20,
    },
];

/// One converted questionnaire, answered and filled in.
struct Filled {
    name: String,
    format: SourceFormat,
    original: Vec<u8>,
    session: ReviewSession,
    xlsx: Vec<u8>,
    source: &'static Source,
}

/// The sources converted once for all the tests here (LibreOffice takes seconds per
/// conversion), each answered and filled in.
fn filled() -> &'static [Filled] {
    static FILLED: OnceLock<Vec<Filled>> = OnceLock::new();
    FILLED.get_or_init(|| {
        SOURCES
            .iter()
            .map(|source| {
                let path = format!("{}/{}", env!("CARGO_MANIFEST_DIR"), source.path);
                let xlsx = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
                let extension = source.extension;
                let original = convert_one(&xlsx, "questionnaire.xlsx", extension);
                let stem = source.path.rsplit('/').next().and_then(|f| f.strip_suffix(".xlsx")).unwrap();
                let name = format!("{stem}.{extension}");
                let questionnaire = import_questionnaire(&original, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(questionnaire.format, source.to, "{name}");
                assert_eq!(questionnaire.questions.len(), source.questions, "{name}");
                let session = spread_session(questionnaire);
                let xlsx = fill_original(&original, &session).unwrap_or_else(|e| panic!("{name}: {e}"));
                Filled { name, format: source.to, original, session, xlsx, source }
            })
            .collect()
    })
}

/// The name the filled files are imported under.
const FILLED_NAME: &str = "questionnaire-trustfill.xlsx";

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
        assert_eq!(sniff_format(&filled.xlsx, FILLED_NAME), Ok(SourceFormat::Xlsx), "{}", filled.name);
        let again = import_questionnaire(&filled.xlsx, FILLED_NAME).unwrap();
        let written = assert_filled_answers_come_back(&filled.name, &filled.session, &again, &[]);
        assert!(written >= filled.source.min_written, "{}: only {written} answers written", filled.name);
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
        let (after, _) = read_grids(&filled.xlsx, FILLED_NAME, SourceFormat::Xlsx).unwrap();
        let sheets = |grids: &[Grid]| grids.iter().map(|g| (g.name.clone(), g.hidden)).collect::<Vec<_>>();
        assert_eq!(sheets(&after), sheets(&before), "{name}: sheet order, names and visibility");
        assert!(before.iter().any(|g| g.hidden), "{name}: the questionnaire has hidden sheets");
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
            // The writer orders a sheet's dropdowns by their cells; the order does not matter,
            // as no two cover the same cell.
            let dropdowns = |grid: &Grid| {
                let mut rules: Vec<String> = grid.validations.iter().map(|v| format!("{v:?}")).collect();
                rules.sort();
                rules
            };
            assert_eq!(dropdowns(new), dropdowns(old), "{at}: dropdowns");
        }
        let cells: usize = after.iter().map(Grid::cell_count).sum();
        assert!(cells >= filled.source.min_cells, "{name}: the values were written ({cells} cells)");
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
        let (grids, _) = read_grids(&filled.xlsx, FILLED_NAME, SourceFormat::Xlsx).unwrap();
        for ((sheet, row, col), text) in equals {
            let grid = grids.iter().find(|g| g.name == sheet).unwrap();
            assert_eq!(grid.text(row, col), text, "{}, {sheet}!{row}:{col}", filled.name);
        }
    }
}

#[test]
fn libreoffice_shows_the_answers_in_the_new_workbook() {
    for filled in filled() {
        let sheets = sheets_as_csv(&filled.xlsx, FILLED_NAME);
        let written = written_cells(&filled.session);
        assert!(!written.is_empty());
        for ((sheet, row, col), text) in written {
            let rows = sheets.get(&sheet).unwrap_or_else(|| panic!("no CSV of {sheet} in {:?}", sheets.keys()));
            let shown = rows.get(row as usize).and_then(|r| r.get(col as usize)).map_or("", String::as_str);
            assert_eq!(shown, text.trim(), "{}, {sheet} row {} column {col}", filled.name, row + 1);
        }
    }
}
