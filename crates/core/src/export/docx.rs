//! Fill-back into the original Word document: answers go into their table cells and answer
//! paragraphs. `word/document.xml` is spliced at byte offsets, so every other byte of it
//! stays, and every other zip entry is raw-copied without recompression.

use super::xlsx::SheetWrites;
use super::{clean_cell_text, map_to_choices, ExportError};
use crate::import::docx::body::{self, Block, Body, Cell, CheckBox, Control, ControlKind, ControlLevel, Paragraph};
use crate::import::docx::styles::{Numbering, Styles};
use crate::import::docx::{self as source, AnswerSlot, ParagraphQuestion};
use crate::import::ooxml;
use crate::model::{AnswerFormat, SourceFormat};
use crate::review::ReviewSession;
use std::collections::BTreeMap;
use std::ops::Range;

/// The label written before an answer in a new or empty answer paragraph, so that the
/// paragraph reads as the answer in Word and on the next import.
pub const ANSWER_LABEL: &str = "Answer:";

/// What a session writes into a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxWrites {
    /// Table cells: by table name (`Table 1`), then by (row, grid column).
    pub cells: SheetWrites,
    /// Answers to paragraph questions, by the question's paragraph index (`p:<index>`).
    pub paragraphs: BTreeMap<u32, String>,
}

/// The writes a session makes: final answers only (accepted or edited), exactly as for a
/// workbook. A paragraph question has no comment cell, so its detail follows its answer.
pub fn planned_writes(session: &ReviewSession) -> DocxWrites {
    let mut writes = DocxWrites { cells: super::xlsx::planned_writes(session), paragraphs: BTreeMap::new() };
    for (question, response) in session.questionnaire.questions.iter().zip(&session.responses) {
        if !response.status.is_final() || question.location.answer_cell.is_some() {
            continue;
        }
        let Some(index) = question.location.path.as_deref().and_then(source::paragraph_index) else { continue };
        let short = map_to_choices(response.answer.trim(), &question.answer_format);
        let detail = response.detail.trim();
        let text = match &question.answer_format {
            AnswerFormat::FreeText if !detail.is_empty() && !short.is_empty() => format!("{short}. {detail}"),
            AnswerFormat::FreeText if !detail.is_empty() => detail.to_owned(),
            _ => short,
        };
        writes.paragraphs.insert(index, text);
    }
    writes
}

/// Writes the session's answers into a copy of the original document.
pub fn fill_docx(original: &[u8], session: &ReviewSession) -> Result<Vec<u8>, ExportError> {
    if session.questionnaire.format != SourceFormat::Docx {
        return Err(ExportError::NotFillable);
    }
    fill_document(original, &planned_writes(session))
}

/// Writes answers into a copy of a document; see the module docs.
pub fn fill_document(original: &[u8], writes: &DocxWrites) -> Result<Vec<u8>, ExportError> {
    let mut archive = ooxml::open_checked(original).map_err(|e| ExportError::Source(e.to_string()))?;
    let xml = ooxml::read_text(&mut archive, source::DOCUMENT_PART)
        .ok_or_else(|| ExportError::Source(format!("{} is missing", source::DOCUMENT_PART)))?;
    let styles = source::read_styles(&mut archive);
    let filled = fill_document_xml(&xml, &styles, writes)?;
    let edited = BTreeMap::from([(source::DOCUMENT_PART.to_owned(), filled)]);
    super::repackage(&mut archive, &edited)
}

/// One splice: the bytes to replace and their replacement.
type Edit = (Range<usize>, String);

/// Splices the writes into `word/document.xml`. Fails when the XML is damaged, since Word
/// would not open the result either.
pub fn fill_document_xml(xml: &str, styles: &Styles, writes: &DocxWrites) -> Result<String, ExportError> {
    let body = body::read_body(xml);
    if body.damaged_at.is_some() || body.too_many_cells {
        return Err(ExportError::Source(format!("{} is damaged", source::DOCUMENT_PART)));
    }
    let w = body.prefix.as_str();
    let tables: Vec<&body::Table> = body
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect();
    let mut edits: Vec<Edit> = Vec::new();
    for (sheet, cells) in &writes.cells {
        let Some(table) = source::table_number(sheet).and_then(|n| tables.get(n - 1)) else { continue };
        for ((row, col), text) in cells {
            // A continued vertical merge is hidden behind the cell above: text there would not show.
            if let Some(cell) = source::cell_at(table, *row, *col).filter(|c| !c.continued) {
                edits.extend(cell_edits(xml, w, cell, &clean(text)));
            }
        }
    }
    if !writes.paragraphs.is_empty() {
        let found = source::body_questions(&body, styles, &Numbering::default());
        let by_index: BTreeMap<u32, &ParagraphQuestion> = found.paragraphs.iter().map(|p| (p.index, p)).collect();
        for (index, text) in &writes.paragraphs {
            if let Some(question) = by_index.get(index) {
                edits.extend(paragraph_edits(w, &body, styles, question, &clean(text)));
            }
        }
    }
    Ok(splice(xml, edits))
}

/// Applies edits in order of position; an edit inside one already applied is dropped.
fn splice(xml: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(xml.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut cursor = 0;
    for (range, text) in edits {
        if range.start < cursor || range.end > xml.len() || range.start > range.end {
            continue;
        }
        out.push_str(&xml[cursor..range.start]);
        out.push_str(&text);
        cursor = range.end;
    }
    out.push_str(&xml[cursor..]);
    out
}

/// Makes answer text safe for the document: one kind of line break, no characters that XML
/// forbids, and no more than a cell of Excel holds (the same bound as workbooks).
fn clean(text: &str) -> String {
    clean_cell_text(&text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// One run holding `text`: tabs become `w:tab` and line breaks `w:br`.
fn run_xml(w: &str, text: &str) -> String {
    let mut out = format!("<{w}r>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str(&format!("<{w}br/>"));
        }
        for (j, part) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str(&format!("<{w}tab/>"));
            }
            if !part.is_empty() {
                let escaped = quick_xml::escape::escape(part);
                out.push_str(&format!("<{w}t xml:space=\"preserve\">{escaped}</{w}t>"));
            }
        }
    }
    out.push_str(&format!("</{w}r>"));
    out
}

/// One paragraph per line of `text`, each with the given raw paragraph properties.
fn paragraphs_xml(w: &str, properties: &str, text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let run = if line.is_empty() { String::new() } else { run_xml(w, line) };
            format!("<{w}p>{properties}{run}</{w}p>")
        })
        .collect()
}

fn removals(placeholders: &[Range<usize>]) -> impl Iterator<Item = Edit> + '_ {
    placeholders.iter().map(|range| (range.clone(), String::new()))
}

/// The edits that put `text` into a table cell. Check boxes are ticked when the text is one
/// of their labels; a dropdown or text control gets the text as its content; otherwise the
/// cell's content is replaced, keeping its properties and its first paragraph's.
fn cell_edits(xml: &str, w: &str, cell: &Cell, text: &str) -> Vec<Edit> {
    let mut edits: Vec<Edit> = removals(&cell.placeholders).collect();
    let properties = cell.slot.paragraph_properties.clone().and_then(|r| xml.get(r)).unwrap_or("");
    if let Some(ticks) = check_box_edits(&cell.controls, text) {
        edits.extend(ticks);
    } else if let Some(control) = writable_control(&cell.controls) {
        let content = match control.level {
            ControlLevel::Run => run_xml(w, text),
            _ => paragraphs_xml(w, properties, text),
        };
        edits.push((control.content.clone(), content));
    } else if cell.slot.self_closing {
        edits.push((cell.slot.content.clone(), format!("<{w}tc>{}</{w}tc>", paragraphs_xml(w, properties, text))));
    } else {
        edits.push((cell.slot.content.clone(), paragraphs_xml(w, properties, text)));
    }
    edits
}

/// The control whose content can take the answer: a dropdown or text control inside the
/// cell or paragraph that is not bound to custom XML.
fn writable_control(controls: &[Control]) -> Option<&Control> {
    controls.iter().find(|c| {
        !c.bound && c.level != ControlLevel::Cell && matches!(c.kind, ControlKind::List(_) | ControlKind::Text)
    })
}

/// Ticks the check box labelled `text` and clears the others; `None` when no box has that
/// label, so that the caller writes the text instead.
fn check_box_edits(controls: &[Control], text: &str) -> Option<Vec<Edit>> {
    let boxes: Vec<&CheckBox> = controls
        .iter()
        .filter_map(|c| match &c.kind {
            ControlKind::CheckBox(b) => Some(b),
            _ => None,
        })
        .collect();
    let wanted = text.trim().to_lowercase();
    if wanted.is_empty() || !boxes.iter().any(|b| b.label.trim().to_lowercase() == wanted) {
        return None;
    }
    let mut edits = Vec::new();
    for check_box in boxes {
        let checked = check_box.label.trim().to_lowercase() == wanted;
        let p = &check_box.prefix;
        let state = format!("<{p}checked {p}val=\"{}\"/>", u8::from(checked));
        match (&check_box.state, check_box.state_insert) {
            (Some(range), _) => edits.push((range.clone(), state)),
            (None, Some(at)) => edits.push((at..at, state)),
            (None, None) => continue,
        }
        if let Some(glyph) = &check_box.glyph {
            let shown = if checked { check_box.checked_glyph } else { check_box.unchecked_glyph };
            edits.push((glyph.clone(), quick_xml::escape::escape(shown.to_string().as_str()).into_owned()));
        }
    }
    Some(edits)
}

/// The edits that put `text` into a paragraph question's answer paragraph, or a new answer
/// paragraph right after the question when it has none.
fn paragraph_edits(w: &str, body: &Body, styles: &Styles, question: &ParagraphQuestion, text: &str) -> Vec<Edit> {
    let paragraph_at = |block: usize| match body.blocks.get(block) {
        Some(Block::Paragraph(p)) => Some(p),
        _ => None,
    };
    let Some(answer) = question.answer.and_then(paragraph_at) else {
        let Some(asked) = paragraph_at(question.block) else { return Vec::new() };
        let new = format!("<{w}p>{}</{w}p>", run_xml(w, &format!("{ANSWER_LABEL} {text}")));
        return vec![(asked.span.end..asked.span.end, new)];
    };
    let mut edits: Vec<Edit> = removals(&answer.placeholders).collect();
    if let Some(ticks) = check_box_edits(&answer.controls, text) {
        edits.extend(ticks);
        return edits;
    }
    if let Some(control) = writable_control(&answer.controls) {
        edits.push((control.content.clone(), run_xml(w, text)));
        return edits;
    }
    let label = match source::answer_slot(answer, styles) {
        Some(AnswerSlot::Labelled { label, .. }) => label,
        _ => ANSWER_LABEL.to_owned(),
    };
    edits.push(replace_paragraph_content(w, answer, &run_xml(w, &format!("{label} {text}"))));
    edits
}

/// Replaces a paragraph's content after its properties.
fn replace_paragraph_content(w: &str, paragraph: &Paragraph, content: &str) -> Edit {
    if paragraph.slot.self_closing {
        (paragraph.slot.content.clone(), format!("<{w}p>{content}</{w}p>"))
    } else {
        (paragraph.slot.content.clone(), content.to_owned())
    }
}

#[cfg(test)]
mod tests;
