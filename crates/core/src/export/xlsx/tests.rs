//! Fill-back tests: cells replaced in place, inserted in order, everything else untouched.

use super::*;
use crate::review::ReviewSession;

fn writes(cells: &[((u32, u32), &str)]) -> BTreeMap<(u32, u32), String> {
    cells.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

#[test]
fn existing_cells_keep_their_style_and_missing_ones_are_inserted_in_order() {
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="7"/></row><row r="3"><c r="A3"><v>1</v></c></row></sheetData></worksheet>"#;
    let out = fill_sheet_xml(
        xml,
        &writes(&[((0, 2), "Yes"), ((0, 1), "B & <b>"), ((1, 0), "new row"), ((2, 3), "=1+1"), ((5, 0), "last")]),
    );
    assert!(out.contains(r#"<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">B &amp; &lt;b&gt;</t></is></c><c r="C1" s="7" t="inlineStr">"#), "{out}");
    assert!(out.contains(r#"</row><row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">new row</t></is></c></row><row r="3">"#), "{out}");
    assert!(out.contains(r#"<c r="D3" t="inlineStr"><is><t xml:space="preserve">=1+1</t></is></c></row>"#), "{out}");
    assert!(
        out.contains(
            r#"<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve">last</t></is></c></row></sheetData>"#
        ),
        "{out}"
    );
}

#[test]
fn text_that_looks_like_an_ooxml_escape_or_holds_a_carriage_return_is_escaped() {
    assert_eq!(escape_cell_text("_x0041_ and _x00zz_ a\rb <c>"), "_x005F_x0041_ and _x00zz_ a&#13;b &lt;c&gt;");
    assert_eq!(escape_cell_text("__x0041__x0042_"), "__x005F_x0041__x005F_x0042_");
}

#[test]
fn escaped_text_reads_back_as_written() {
    let text = "Keys _x0041_ rotate\r\nyearly & <safely>";
    let mut writes = SheetWrites::new();
    writes.entry("Sheet1".to_owned()).or_default().insert((0, 0), text.to_owned());
    let empty = include_bytes!("../../../tests/data/empty.xlsx");
    let filled = fill_workbook(empty, &writes).unwrap();
    let grids = crate::import::spreadsheet::read_xlsx(&filled).unwrap();
    assert_eq!(grids[0].text(0, 0), text);
}

#[test]
fn formula_cells_are_never_overwritten() {
    let xml =
        r#"<worksheet><sheetData><row r="1"><c r="A1"><f>SUM(B1:B2)</f><v>3</v></c></row></sheetData></worksheet>"#;
    assert_eq!(fill_sheet_xml(xml, &writes(&[((0, 0), "Yes")])), xml);
}

#[test]
fn an_empty_sheet_gets_rows() {
    let out = fill_sheet_xml("<worksheet><sheetData/></worksheet>", &writes(&[((1, 1), "x")]));
    assert_eq!(
        out,
        r#"<worksheet><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t xml:space="preserve">x</t></is></c></row></sheetData></worksheet>"#
    );
}

fn hecvat() -> Vec<u8> {
    crate::import::tests::fixture("hecvat/HECVAT-4.1.4-blank.xlsx")
}

/// Accepts the top suggestion of every question that has one, as a reviewer would.
fn answered_session(bytes: &[u8]) -> ReviewSession {
    let questionnaire = crate::import::import_questionnaire(bytes, "HECVAT-4.1.4-blank.xlsx").unwrap();
    let library = crate::library::builtin::library();
    let matcher = crate::matching::Matcher::new(&library);
    let suggestions = matcher.match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
    let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
    for question in 0..session.responses.len() {
        if let Some(top) = session.suggestions[question].first() {
            let entry = library.entry(&top.entry_id).unwrap().clone();
            session.apply(crate::review::ReviewAction::Choose {
                question,
                entry: Box::new(entry),
                confidence: Some(top.confidence),
            });
        }
    }
    session
}

#[test]
fn hecvat_round_trip_gives_the_answers_back_at_the_same_cells() {
    let original = hecvat();
    let session = answered_session(&original);
    let writes = planned_writes(&session);
    let written: usize = writes.values().map(BTreeMap::len).sum();
    assert!(written > 300, "expected hundreds of answer cells, got {written}");
    let filled = fill_xlsx(&original, &session).unwrap();
    let again = crate::import::import_questionnaire(&filled, "filled.xlsx").unwrap();
    assert_eq!(again.questions.len(), session.questionnaire.questions.len(), "the same questions are found again");
    for (before, after) in session.questionnaire.questions.iter().zip(&again.questions) {
        assert_eq!(before.id, after.id);
        assert_eq!(before.location, after.location);
        let sheet = &writes[&before.location.sheet];
        let cell = before.location.answer_cell.unwrap();
        assert_eq!(
            after.existing_answer.as_deref(),
            sheet.get(&(cell.row, cell.col)).map(String::as_str),
            "{}",
            before.id
        );
        if let Some(comment) = before.location.comment_cell {
            assert_eq!(
                after.existing_comment.as_deref(),
                sheet.get(&(comment.row, comment.col)).map(String::as_str),
                "{}",
                before.id
            );
        }
    }
}

#[test]
fn hecvat_entries_other_than_edited_sheets_are_byte_identical() {
    use std::io::Read;
    let original = hecvat();
    let session = answered_session(&original);
    let filled = fill_xlsx(&original, &session).unwrap();
    let mut before = zip::ZipArchive::new(std::io::Cursor::new(&original[..])).unwrap();
    let mut after = zip::ZipArchive::new(std::io::Cursor::new(&filled[..])).unwrap();
    assert_eq!(before.len(), after.len());
    let mut parts_by_sheet = BTreeMap::new();
    for part in crate::import::ooxml::sheet_parts(&mut crate::import::ooxml::open_checked(&original).unwrap()) {
        parts_by_sheet.insert(part.name, part.path);
    }
    let edited: Vec<&String> = planned_writes(&session).keys().map(|sheet| &parts_by_sheet[sheet]).collect();
    assert!(!edited.is_empty());
    for i in 0..before.len() {
        let (name, raw_before, crc_before) = {
            let mut f = before.by_index_raw(i).unwrap();
            let mut raw = Vec::new();
            f.read_to_end(&mut raw).unwrap();
            (f.name().unwrap().into_owned(), raw, f.crc32())
        };
        let mut g = after.by_index_raw(i).unwrap();
        assert_eq!(g.name().unwrap(), name, "entry order is kept");
        if edited.contains(&&name) {
            continue;
        }
        let mut raw_after = Vec::new();
        g.read_to_end(&mut raw_after).unwrap();
        assert_eq!(g.crc32(), crc_before, "{name}");
        assert!(raw_after == raw_before, "{name} must be copied byte for byte (raw, no recompression)");
    }
}

#[test]
fn within_an_edited_sheet_only_answer_cells_differ() {
    let original = hecvat();
    let session = answered_session(&original);
    let writes = planned_writes(&session);
    let mut archive = crate::import::ooxml::open_checked(&original).unwrap();
    let parts = crate::import::ooxml::sheet_parts(&mut archive);
    let filled = fill_xlsx(&original, &session).unwrap();
    let mut filled_archive = crate::import::ooxml::open_checked(&filled).unwrap();
    for (sheet, cells) in &writes {
        let path = &parts.iter().find(|p| &p.name == sheet).unwrap().path;
        let before = crate::import::ooxml::read_text(&mut archive, path).unwrap();
        let after = crate::import::ooxml::read_text(&mut filled_archive, path).unwrap();
        let before_cells = cell_elements(&before);
        let after_cells = cell_elements(&after);
        for (reference, xml) in &after_cells {
            let (row, col) = crate::import::grid::parse_a1(reference).unwrap();
            if cells.contains_key(&(row, col)) {
                continue;
            }
            assert_eq!(before_cells.get(reference), Some(xml), "{sheet}!{reference} changed but is not an answer cell");
        }
        assert!(before_cells.keys().all(|r| after_cells.contains_key(r)), "{sheet}: a cell disappeared");
    }
}

/// Every `<c>` element of a sheet by its reference, as raw XML: a parsed view of the cells.
fn cell_elements(xml: &str) -> BTreeMap<String, String> {
    let mut cells = BTreeMap::new();
    let mut reader = Reader::from_str(xml);
    let mut start: Option<(usize, String)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "c" => {
                let after = reader.buffer_position() as usize;
                cells.insert(attribute(&e, "r").unwrap_or_default(), xml[before..after].to_owned());
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == "c" => {
                start = Some((before, attribute(&e, "r").unwrap_or_default()))
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "c" => {
                if let Some((from, reference)) = start.take() {
                    cells.insert(reference, xml[from..reader.buffer_position() as usize].to_owned());
                }
            }
            _ => {}
        }
    }
    cells
}
