//! Fill-back into the original xlsx/xlsm: only the answer cells change. Edited sheets are
//! spliced at byte offsets, so everything else in them stays byte for byte, and every other
//! zip entry is raw-copied without recompression.

use super::{clean_cell_text, map_to_choices, ExportError};
use crate::import::ooxml;
use crate::model::{column_letters, SourceFormat};
use crate::review::ReviewSession;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeMap;

/// Cell texts to write, by sheet, then by (row, column).
pub type SheetWrites = BTreeMap<String, BTreeMap<(u32, u32), String>>;

/// The cells a session writes: final answers only (accepted or edited). The short answer is
/// mapped onto the question's dropdown; the detail goes to the comment cell, or after the
/// answer in a free-text answer cell when the questionnaire has no comment column.
pub fn planned_writes(session: &ReviewSession) -> SheetWrites {
    let mut writes = SheetWrites::new();
    for (question, response) in session.questionnaire.questions.iter().zip(&session.responses) {
        if !response.status.is_final() {
            continue;
        }
        let Some(answer_cell) = question.location.answer_cell else { continue };
        let sheet = writes.entry(question.location.sheet.clone()).or_default();
        let short = map_to_choices(response.answer.trim(), &question.answer_format);
        let detail = response.detail.trim();
        match question.location.comment_cell {
            Some(comment_cell) => {
                sheet.insert((answer_cell.row, answer_cell.col), short);
                if !detail.is_empty() {
                    sheet.insert((comment_cell.row, comment_cell.col), detail.to_owned());
                }
            }
            None if matches!(question.answer_format, crate::model::AnswerFormat::FreeText) && !detail.is_empty() => {
                let text = if short.is_empty() { detail.to_owned() } else { format!("{short}. {detail}") };
                sheet.insert((answer_cell.row, answer_cell.col), text);
            }
            None => {
                sheet.insert((answer_cell.row, answer_cell.col), short);
            }
        }
    }
    writes
}

/// Writes the session's answers into a copy of the original workbook.
pub fn fill_xlsx(original: &[u8], session: &ReviewSession) -> Result<Vec<u8>, ExportError> {
    if !matches!(session.questionnaire.format, SourceFormat::Xlsx | SourceFormat::Xlsm) {
        return Err(ExportError::NotFillable);
    }
    fill_workbook(original, &planned_writes(session))
}

/// Writes cells into a copy of a workbook; see the module docs.
pub fn fill_workbook(original: &[u8], writes: &SheetWrites) -> Result<Vec<u8>, ExportError> {
    let mut archive = ooxml::open_checked(original).map_err(|e| ExportError::Source(e.to_string()))?;
    let parts = ooxml::sheet_parts(&mut archive);
    let mut edited: BTreeMap<String, String> = BTreeMap::new();
    for (sheet, cells) in writes {
        let Some(part) = parts.iter().find(|p| &p.name == sheet) else { continue };
        let xml = ooxml::read_text(&mut archive, &part.path)
            .ok_or_else(|| ExportError::Source(format!("sheet {sheet} is missing")))?;
        edited.insert(part.path.clone(), fill_sheet_xml(&xml, cells));
    }
    super::repackage(&mut archive, &edited)
}

fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Escapes cell text for the sheet XML. Beyond XML's own escapes, a carriage return becomes a
/// character reference (XML readers turn a raw one into a line feed), and the underscore of
/// anything shaped like OOXML's `_xHHHH_` escape is itself escaped as `_x005F_`, as Excel does,
/// so that the text `_x0041_` does not read back as `A`.
pub fn escape_cell_text(text: &str) -> String {
    let escaped = quick_xml::escape::escape(text).replace('\r', "&#13;");
    let bytes = escaped.as_bytes();
    let mut out = String::with_capacity(escaped.len());
    let mut start = 0;
    for (i, _) in escaped.match_indices("_x") {
        let shaped = bytes.get(i + 2..i + 6).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            && bytes.get(i + 6) == Some(&b'_');
        if shaped {
            out.push_str(&escaped[start..i]);
            out.push_str("_x005F_");
            start = i + 1;
        }
    }
    out.push_str(&escaped[start..]);
    out
}

fn cell_xml(prefix: &str, row: u32, col: u32, style: Option<&str>, text: &str) -> String {
    let escaped = escape_cell_text(&clean_cell_text(text));
    let style = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
    format!(
        "<{prefix}c r=\"{}{}\"{style} t=\"inlineStr\"><{prefix}is><{prefix}t xml:space=\"preserve\">{escaped}</{prefix}t></{prefix}is></{prefix}c>",
        column_letters(col),
        row + 1
    )
}

fn cells_xml(prefix: &str, row: u32, cells: &BTreeMap<u32, String>) -> String {
    cells.iter().map(|(col, text)| cell_xml(prefix, row, *col, None, text)).collect()
}

fn row_xml(prefix: &str, row: u32, cells: &BTreeMap<u32, String>) -> String {
    format!("<{prefix}row r=\"{}\">{}</{prefix}row>", row + 1, cells_xml(prefix, row, cells))
}

/// A cell being replaced: where it starts, its style, the new text, and whether it turned
/// out to hold a formula (which is then left alone).
struct Replacing {
    start: usize,
    col: u32,
    style: Option<String>,
    has_formula: bool,
}

/// Splices the writes into one sheet's XML. Existing cells keep their style; missing cells
/// and rows are inserted in order; a cell holding a formula is never overwritten.
pub fn fill_sheet_xml(xml: &str, writes: &BTreeMap<(u32, u32), String>) -> String {
    let mut pending: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    for ((row, col), text) in writes {
        pending.entry(*row).or_default().insert(*col, text.clone());
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut prefix = String::new();
    let mut in_sheet_data = false;
    let mut row_index: Option<u32> = None;
    let mut last_row: Option<u32> = None;
    let mut row_writes: BTreeMap<u32, String> = BTreeMap::new();
    let mut last_col: Option<u32> = None;
    let mut replacing: Option<Replacing> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheetData" && !in_sheet_data => {
                let name: &str = e.name().0;
                prefix = name.rsplit_once(':').map(|(p, _)| format!("{p}:")).unwrap_or_default();
                if xml[before..after].ends_with("/>") {
                    let rows: String = pending.iter().map(|(r, cells)| row_xml(&prefix, *r, cells)).collect();
                    edits.push((before, after, format!("<{prefix}sheetData>{rows}</{prefix}sheetData>")));
                    pending.clear();
                } else {
                    in_sheet_data = true;
                }
            }
            Event::End(e) if in_sheet_data && e.local_name().as_ref() == "sheetData" => {
                let rows: String =
                    std::mem::take(&mut pending).iter().map(|(r, cells)| row_xml(&prefix, *r, cells)).collect();
                if !rows.is_empty() {
                    edits.push((before, before, rows));
                }
                in_sheet_data = false;
            }
            Event::Start(e) | Event::Empty(e)
                if in_sheet_data && e.local_name().as_ref() == "row" && row_index.is_none() =>
            {
                let index = attribute(&e, "r")
                    .and_then(|r| r.parse::<u32>().ok())
                    .map(|r| r.saturating_sub(1))
                    .unwrap_or_else(|| last_row.map_or(0, |r| r + 1));
                let earlier: Vec<u32> = pending.range(..index).map(|(r, _)| *r).collect();
                let inserted: String = earlier
                    .iter()
                    .filter_map(|r| pending.remove(r).map(|cells| row_xml(&prefix, *r, &cells)))
                    .collect();
                if !inserted.is_empty() {
                    edits.push((before, before, inserted));
                }
                last_row = Some(index);
                let writes_here = pending.remove(&index).unwrap_or_default();
                let raw = &xml[before..after];
                if raw.ends_with("/>") {
                    if !writes_here.is_empty() {
                        let open = raw.trim_end_matches("/>").trim_end();
                        edits.push((
                            before,
                            after,
                            format!("{open}>{}</{prefix}row>", cells_xml(&prefix, index, &writes_here)),
                        ));
                    }
                } else {
                    row_index = Some(index);
                    row_writes = writes_here;
                    last_col = None;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "row" && row_index.is_some() => {
                let index = row_index.take().unwrap_or_default();
                let rest = std::mem::take(&mut row_writes);
                if !rest.is_empty() {
                    edits.push((before, before, cells_xml(&prefix, index, &rest)));
                }
            }
            Event::Start(e) | Event::Empty(e)
                if row_index.is_some() && replacing.is_none() && e.local_name().as_ref() == "c" =>
            {
                let row = row_index.unwrap_or_default();
                let col = attribute(&e, "r")
                    .and_then(|r| crate::import::grid::parse_a1(&r))
                    .map(|(_, c)| c)
                    .unwrap_or_else(|| last_col.map_or(0, |c| c + 1));
                last_col = Some(col);
                let earlier: Vec<u32> = row_writes.range(..col).map(|(c, _)| *c).collect();
                let inserted: String = earlier
                    .iter()
                    .filter_map(|c| row_writes.remove(c).map(|t| cell_xml(&prefix, row, *c, None, &t)))
                    .collect();
                if !inserted.is_empty() {
                    edits.push((before, before, inserted));
                }
                if row_writes.contains_key(&col) {
                    let style = attribute(&e, "s");
                    if xml[before..after].ends_with("/>") {
                        let text = row_writes.remove(&col).unwrap_or_default();
                        edits.push((before, after, cell_xml(&prefix, row, col, style.as_deref(), &text)));
                    } else {
                        replacing = Some(Replacing { start: before, col, style, has_formula: false });
                    }
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "f" => {
                if let Some(r) = replacing.as_mut() {
                    r.has_formula = true;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                if let Some(r) = replacing.take() {
                    let text = row_writes.remove(&r.col).unwrap_or_default();
                    if !r.has_formula {
                        let row = row_index.unwrap_or_default();
                        edits.push((r.start, after, cell_xml(&prefix, row, r.col, r.style.as_deref(), &text)));
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(xml.len() + edits.iter().map(|e| e.2.len()).sum::<usize>());
    let mut cursor = 0;
    for (start, end, text) in edits {
        if start < cursor {
            continue;
        }
        out.push_str(&xml[cursor..start]);
        out.push_str(&text);
        cursor = end;
    }
    out.push_str(&xml[cursor..]);
    out
}

#[cfg(test)]
mod tests;
