//! Word (.docx) import: each table becomes a grid for the same detection as a spreadsheet,
//! and numbered paragraphs that read as questions become questions under their headings.
//!
//! A paragraph question is located by `p:<n>`, where `n` counts the body's paragraphs outside
//! tables but not answer paragraphs, so that filling in answers moves no question.

pub mod body;
pub mod styles;

use super::grid::{Grid, ListValidation, Rect};
use super::{ooxml, ImportError};
use crate::limits;
use crate::model::{
    AnswerFormat, Diagnostic, Location, Question, Questionnaire, SheetRole, SheetSummary, SourceFormat,
};
use body::{Block, Body, Cell, CheckBox, Control, ControlKind, Paragraph, Table};
use std::collections::{BTreeMap, BTreeSet};
use styles::{Counters, Numbering, Styles};

/// The part that holds the document's body.
pub const DOCUMENT_PART: &str = "word/document.xml";

/// The name under which the questions of the body's paragraphs are listed, like a sheet.
pub const BODY_SHEET: &str = "Document";

/// Labels that open an answer paragraph ("Answer: ..."), lower-case.
const ANSWER_LABELS: &[&str] = &["answer", "response"];

/// First words of a question or a request for information, lower-case.
const OPENERS: &[&str] = &[
    "do", "does", "is", "are", "have", "has", "can", "will", "would", "which", "who", "when", "where", "how", "what",
    "why", "describe", "explain", "provide", "list", "please", "indicate", "confirm", "specify", "identify", "state",
    "detail", "outline", "attach",
];

/// The grid name of the `number`th table of the body, counting from 1.
pub fn table_name(number: usize) -> String {
    format!("Table {number}")
}

/// The number of a table from its grid name: `Table 2` is 2.
pub fn table_number(sheet: &str) -> Option<usize> {
    sheet.strip_prefix("Table ")?.parse().ok().filter(|n| *n > 0)
}

/// The path of a paragraph question.
pub fn paragraph_path(index: u32) -> String {
    format!("p:{index}")
}

/// The index in a paragraph question's path: `p:12` is 12.
pub fn paragraph_index(path: &str) -> Option<u32> {
    path.strip_prefix("p:")?.parse().ok()
}

/// Reads the paragraph styles, or none when the part is missing.
pub fn read_styles(archive: &mut ooxml::Archive<'_>) -> Styles {
    ooxml::read_text(archive, "word/styles.xml").map(|xml| Styles::parse(&xml)).unwrap_or_default()
}

/// Imports a Word document. Fails only when it is not a readable docx, and never panics.
pub fn questionnaire(bytes: &[u8], file_name: &str) -> Result<Questionnaire, ImportError> {
    let mut archive = ooxml::open_checked(bytes)?;
    let xml = ooxml::read_text(&mut archive, DOCUMENT_PART).ok_or(ImportError::Corrupt)?;
    let styles = read_styles(&mut archive);
    let numbering =
        ooxml::read_text(&mut archive, "word/numbering.xml").map(|xml| Numbering::parse(&xml)).unwrap_or_default();
    let body = body::read_body(&xml);
    if body.too_many_cells {
        return Err(ImportError::TooManyCells);
    }
    let mut diagnostics = Vec::new();
    if let Some(at) = body.damaged_at {
        diagnostics.push(Diagnostic::warning(
            None,
            None,
            format!("The document is damaged at byte {at} of its text; only the part before it was read."),
        ));
    }
    let found = body_questions(&body, &styles, &numbering);
    let tables: Vec<(usize, &Table)> = body
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Table(t) => Some((i, t)),
            Block::Paragraph(_) => None,
        })
        .collect();
    let mut grids: Vec<Grid> = Vec::with_capacity(tables.len());
    for (i, (_, table)) in tables.iter().enumerate() {
        let (grid, cut) = table_grid(table_name(i + 1), table);
        if cut > 0 {
            diagnostics.push(cut_cells_warning(&grid.name, cut));
        }
        grids.push(grid);
    }
    for (grid, (_, table)) in grids.iter().zip(&tables) {
        if table.nested_tables > 0 {
            diagnostics.push(Diagnostic::info(
                Some(&grid.name),
                None,
                format!(
                    "{} table{} inside its cells {} read as the cells' text.",
                    table.nested_tables,
                    if table.nested_tables == 1 { "" } else { "s" },
                    if table.nested_tables == 1 { "was" } else { "were" }
                ),
            ));
        }
    }

    let mut questionnaire = super::questions_from_grids(file_name, SourceFormat::Docx, &grids, diagnostics);
    for question in &mut questionnaire.questions {
        let Some(number) = table_number(&question.location.sheet) else { continue };
        if question.section.is_empty() {
            question.section = found.table_sections.get(number - 1).cloned().unwrap_or_default();
        }
        let cell = question.location.answer_cell.and_then(|a| cell_at(tables.get(number - 1)?.1, a.row, a.col));
        if let Some(cell) = cell.filter(|c| c.check_boxes().next().is_some()) {
            question.existing_answer = checked_labels(cell.check_boxes());
        }
    }
    add_paragraph_questions(&mut questionnaire, &found.paragraphs);
    let paragraph_blocks: BTreeMap<u32, usize> = found.paragraphs.iter().map(|p| (p.index, p.block)).collect();
    let block_of = |q: &Question| match table_number(&q.location.sheet) {
        Some(n) => (tables.get(n - 1).map_or(usize::MAX, |t| t.0), q.location.row),
        None => (paragraph_blocks.get(&q.location.row).copied().unwrap_or(usize::MAX), 0),
    };
    questionnaire.questions.sort_by_key(block_of);
    super::warn_if_empty(&mut questionnaire);
    Ok(questionnaire)
}

/// Adds the paragraph questions after the tables' ones, skipping ids already taken.
fn add_paragraph_questions(questionnaire: &mut Questionnaire, found: &[ParagraphQuestion]) {
    let mut seen: BTreeSet<String> = questionnaire.questions.iter().map(|q| q.id.clone()).collect();
    let mut kept = 0;
    for paragraph in found {
        if !seen.insert(paragraph.id.clone()) {
            questionnaire.diagnostics.push(Diagnostic::info(
                Some(BODY_SHEET),
                Some(paragraph.index),
                format!("{} appears again in the document's paragraphs; the first occurrence is kept.", paragraph.id),
            ));
            continue;
        }
        if questionnaire.questions.len() >= limits::MAX_QUESTIONS {
            questionnaire.diagnostics.push(Diagnostic::warning(Some(BODY_SHEET), None, super::too_many_questions()));
            break;
        }
        questionnaire.questions.push(Question {
            id: paragraph.id.clone(),
            section: paragraph.section.clone(),
            text: paragraph.text.clone(),
            location: Location {
                sheet: BODY_SHEET.to_owned(),
                row: paragraph.index,
                answer_cell: None,
                comment_cell: None,
                path: Some(paragraph_path(paragraph.index)),
            },
            answer_format: paragraph.choices.clone().map(AnswerFormat::Choice).unwrap_or_default(),
            existing_answer: paragraph.existing_answer.clone(),
            existing_comment: None,
        });
        kept += 1;
    }
    if kept > 0 {
        questionnaire.sheets.push(SheetSummary {
            name: BODY_SHEET.to_owned(),
            role: SheetRole::Questions,
            layout: None,
            question_count: kept,
            chosen: false,
        });
    }
}

/// Lays a table out as a grid: a cell spanning columns (`w:gridSpan`) sits at its first
/// column and moves the next cell along; continued vertical merges stay empty; dropdowns
/// and check boxes become the cell's list of choices. A cell's text is cut to the most a
/// spreadsheet cell holds; the second value counts the cells that were cut.
fn table_grid(name: String, table: &Table) -> (Grid, usize) {
    let mut grid = Grid::new(name);
    let mut cut = 0;
    for (row_index, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(row_index).unwrap_or(u32::MAX);
        for cell in row.cells.iter().filter(|c| !c.continued) {
            let mut text = cell.text();
            if let Some((end, _)) = text.char_indices().nth(limits::MAX_CELL_CHARS) {
                text.truncate(end);
                cut += 1;
            }
            grid.set(r, cell.col, &text, false);
            let rect = Rect {
                first_row: r,
                first_col: cell.col,
                last_row: r,
                last_col: cell.col.saturating_add(cell.span - 1),
            };
            if cell.span > 1 {
                grid.merged.push(rect);
            }
            if let Some(choices) = choices(&cell.controls) {
                let single = Rect { last_col: cell.col, ..rect };
                match grid.validations.iter_mut().find(|v| v.choices == choices) {
                    Some(validation) => validation.ranges.push(single),
                    None => grid.validations.push(ListValidation { ranges: vec![single], choices }),
                }
            }
        }
    }
    (grid, cut)
}

/// The warning for cells of a table cut to the most a spreadsheet cell holds.
fn cut_cells_warning(table: &str, cut: usize) -> Diagnostic {
    let most = limits::count(limits::MAX_CELL_CHARS);
    let message = if cut == 1 {
        format!("A cell of {table} holds more than {most} characters; only its first {most} characters were read.")
    } else {
        format!("{cut} cells of {table} hold more than {most} characters; only the first {most} characters of each were read.")
    };
    Diagnostic::warning(Some(table), None, message)
}

/// The cell of a table that starts at a grid column.
pub fn cell_at(table: &Table, row: u32, col: u32) -> Option<&Cell> {
    table.rows.get(row as usize)?.cells.iter().find(|c| c.col == col)
}

/// The choices that content controls offer: a dropdown's items, or check boxes' labels.
pub fn choices(controls: &[Control]) -> Option<Vec<String>> {
    let list = controls.iter().find_map(|c| match &c.kind {
        ControlKind::List(items) if !items.is_empty() => Some(items.clone()),
        _ => None,
    });
    list.or_else(|| {
        let labels: Vec<String> = controls
            .iter()
            .filter_map(|c| match &c.kind {
                ControlKind::CheckBox(b) if !b.label.is_empty() => Some(b.label.clone()),
                _ => None,
            })
            .collect();
        (!labels.is_empty()).then_some(labels)
    })
}

/// The labels of the checked boxes, joined, or `None` when no box is checked.
fn checked_labels<'a>(boxes: impl Iterator<Item = &'a CheckBox>) -> Option<String> {
    let checked: Vec<&str> = boxes.filter(|b| b.checked && !b.label.is_empty()).map(|b| b.label.as_str()).collect();
    (!checked.is_empty()).then(|| checked.join(", "))
}

/// A question found in the body's paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphQuestion {
    /// The question's block in the body.
    pub block: usize,
    /// Its place among the body's paragraphs, answer paragraphs not counted: `p:<index>`.
    pub index: u32,
    /// The block of its answer paragraph, when it has one.
    pub answer: Option<usize>,
    pub id: String,
    pub text: String,
    pub section: String,
    pub existing_answer: Option<String>,
    pub choices: Option<Vec<String>>,
}

/// What the body's paragraphs hold: their questions, and the heading above each table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyQuestions {
    pub paragraphs: Vec<ParagraphQuestion>,
    pub table_sections: Vec<String>,
}

/// How a paragraph right after a question serves as its answer paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerSlot {
    /// An empty paragraph.
    Empty,
    /// A paragraph opening with a label: "Answer: ..." or "Response: ...".
    Labelled { label: String, rest: String },
    /// A paragraph of content controls: a dropdown, check boxes, a text field.
    Controls,
}

/// Whether a paragraph can hold the answer to the question before it, and how.
pub fn answer_slot(paragraph: &Paragraph, styles: &Styles) -> Option<AnswerSlot> {
    if styles.is_heading(paragraph.style.as_deref()) {
        return None;
    }
    let text = paragraph.text.trim();
    if text.is_empty() {
        return Some(AnswerSlot::Empty);
    }
    if let Some((label, rest)) = text.split_once(':') {
        if ANSWER_LABELS.contains(&label.trim().to_lowercase().as_str()) {
            return Some(AnswerSlot::Labelled { label: format!("{}:", label.trim()), rest: rest.trim().to_owned() });
        }
    }
    (!paragraph.controls.is_empty() && !reads_as_question(text)).then_some(AnswerSlot::Controls)
}

/// Finds the questions among the body's paragraphs. A paragraph is a question when it reads
/// as one and it is numbered (by Word or by its text, "1.", "2.3", "Q4."), or the paragraph
/// after it is labelled as its answer. Headings name the sections.
pub fn body_questions(body: &Body, styles: &Styles, numbering: &Numbering) -> BodyQuestions {
    let mut found = BodyQuestions::default();
    let mut counters = Counters::default();
    let mut section = String::new();
    let mut index: u32 = 0;
    let mut answer_block: Option<usize> = None;
    for (block, item) in body.blocks.iter().enumerate() {
        let paragraph = match item {
            Block::Table(_) => {
                found.table_sections.push(section.clone());
                continue;
            }
            Block::Paragraph(p) => p,
        };
        let list =
            paragraph.numbering.or_else(|| styles.numbering(paragraph.style.as_deref())).filter(|(id, _)| *id != 0);
        let number = list.and_then(|(id, level)| counters.next(numbering, id, level));
        if answer_block == Some(block) {
            continue;
        }
        let this = index;
        index = index.saturating_add(1);
        let text = paragraph.text.trim();
        if styles.is_heading(paragraph.style.as_deref()) || paragraph.outline_level.is_some_and(|l| l < 9) {
            if !text.is_empty() {
                section = text.to_owned();
            }
            continue;
        }
        let label = split_label(text);
        let question = label.as_ref().map_or(text, |(_, rest)| rest);
        let next = match body.blocks.get(block + 1) {
            Some(Block::Paragraph(p)) => Some(p),
            _ => None,
        };
        let slot = next.and_then(|p| answer_slot(p, styles));
        let labelled = matches!(slot, Some(AnswerSlot::Labelled { .. }));
        if !reads_as_question(question) || !(list.is_some() || label.is_some() || labelled) {
            continue;
        }
        let (existing_answer, choices) = match (next, &slot) {
            (Some(p), Some(slot)) => (existing_answer(p, slot), self::choices(&p.controls)),
            _ => (None, None),
        };
        if slot.is_some() {
            answer_block = Some(block + 1);
        }
        found.paragraphs.push(ParagraphQuestion {
            block,
            index: this,
            answer: slot.is_some().then_some(block + 1),
            id: label.map(|(l, _)| l).or(number).unwrap_or_else(|| format!("P{}", u64::from(this) + 1)),
            text: question.to_owned(),
            section: section.clone(),
            existing_answer,
            choices,
        });
    }
    found
}

/// The answer an answer paragraph already holds.
fn existing_answer(paragraph: &Paragraph, slot: &AnswerSlot) -> Option<String> {
    let boxes = paragraph.controls.iter().filter_map(|c| match &c.kind {
        ControlKind::CheckBox(b) => Some(b),
        _ => None,
    });
    if paragraph.controls.iter().any(|c| matches!(c.kind, ControlKind::CheckBox(_))) {
        return checked_labels(boxes);
    }
    let text = match slot {
        AnswerSlot::Empty => "",
        AnswerSlot::Labelled { rest, .. } => rest,
        AnswerSlot::Controls => paragraph.text.trim(),
    };
    (!text.is_empty()).then(|| text.to_owned())
}

/// Whether text reads as a question or a request: it asks something, or it opens with a
/// question word or an imperative such as "Describe".
pub fn reads_as_question(text: &str) -> bool {
    let text = text.trim();
    let words = text.split_whitespace().count();
    if words < 2 || text.chars().filter(|c| c.is_alphabetic()).count() < 6 {
        return false;
    }
    let first = text.split_whitespace().next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric());
    text.contains('?') || OPENERS.contains(&first.to_lowercase().as_str())
}

/// Splits a written number off a paragraph: "1. Do you..." gives ("1", "Do you..."), and so
/// do "2.3 ...", "4) ..." and "Q4. ..." (as "Q4"). `None` when the text opens otherwise.
pub fn split_label(text: &str) -> Option<(String, &str)> {
    /// The longest run of digits in one part of a number; longer runs are amounts, not labels.
    const MAX_DIGITS: usize = 4;
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let mut label = String::new();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'Q' | b'q')) {
        label.push('Q');
        i = 1;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let digits_start = i;
    loop {
        let run = bytes.get(i..)?.iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 0 || run > MAX_DIGITS {
            return None;
        }
        i += run;
        if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    label.push_str(text.get(digits_start..i)?);
    let terminated = matches!(bytes.get(i), Some(b'.' | b')' | b':'));
    if terminated {
        i += 1;
    }
    let rest = text.get(i..)?;
    if !terminated && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    (!rest.is_empty()).then_some((label, rest))
}

#[cfg(test)]
mod tests;
