//! The walker behind [`read_body`](super::read_body): one pass of quick-xml events, keeping
//! the open paragraph, table row, cell and content controls, and the byte spans of each.

use super::{Block, Body, Cell, CheckBox, Control, ControlKind, ControlLevel, Paragraph, Row, Slot, Table};
use crate::import::ooxml::{attribute, predefined_entity};
use crate::limits;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::ops::Range;

/// The widest a cell may span. Word's own limit is 63 columns; larger values are damage.
pub(super) const MAX_SPAN: u32 = 64;

/// Containers whose content is not part of the body text.
const SKIPPED: &[&str] = &[
    "txbxContent",
    "Fallback",
    "moveFrom",
    "pPrChange",
    "rPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
    "numberingChange",
];

/// The element names the walker looks at as parents; any other element is kept as "".
const KNOWN: &[&str] = &[
    "body",
    "p",
    "pPr",
    "numPr",
    "r",
    "t",
    "tbl",
    "tr",
    "trPr",
    "tc",
    "tcPr",
    "sdt",
    "sdtPr",
    "sdtContent",
    "checkbox",
    "dropDownList",
    "comboBox",
    "showingPlcHdr",
    "checked",
];

fn known(local: &str) -> &'static str {
    KNOWN.iter().find(|k| **k == local).copied().unwrap_or("")
}

/// A piece of a cell's or paragraph's content, for finding check box labels.
#[derive(Debug)]
enum Piece {
    Text(String),
    Box(usize),
    Break,
}

#[derive(Debug, Default)]
struct ParagraphFrame {
    paragraph: Paragraph,
    properties_start: usize,
    in_cell: bool,
    /// Check box labels, for a body paragraph.
    pieces: Vec<Piece>,
}

#[derive(Debug, Default)]
struct CellFrame {
    cell: Cell,
    pieces: Vec<Piece>,
    has_paragraph: bool,
}

#[derive(Debug, Default)]
struct RowFrame {
    row: Row,
    cursor: u32,
}

#[derive(Debug, Default)]
struct ControlFrame {
    level: Option<ControlLevel>,
    list: Option<Vec<String>>,
    check_box: Option<CheckBox>,
    placeholder: Option<Range<usize>>,
    bound: bool,
    content_start: usize,
    content: Option<Range<usize>>,
    /// For a control around a cell: how many cells its row had when it opened.
    cells_before: usize,
    /// Where an open `w:showingPlcHdr` or `w14:checked` element started.
    open_marker: usize,
}

#[derive(Default)]
struct Walker {
    body: Body,
    in_body: bool,
    skipping: usize,
    stack: Vec<&'static str>,
    tables: usize,
    table: Option<Table>,
    row: Option<RowFrame>,
    cell: Option<CellFrame>,
    paragraph: Option<ParagraphFrame>,
    controls: Vec<ControlFrame>,
    cells: usize,
}

/// Reads the body of `word/document.xml`. Never fails: damage ends the reading, and what was
/// read before it is kept (see [`Body::damaged_at`]).
pub fn read_body(xml: &str) -> Body {
    let mut walker = Walker::default();
    let mut reader = Reader::from_str(xml);
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(_) => {
                walker.body.damaged_at = Some(before);
                break;
            }
        };
        let after = reader.buffer_position() as usize;
        if !walker.event(event, before..after) {
            break;
        }
    }
    walker.body
}

impl Walker {
    /// Handles one event; returns false when reading should stop.
    fn event(&mut self, event: Event<'_>, at: Range<usize>) -> bool {
        if !self.in_body {
            if let Event::Start(e) = &event {
                if e.local_name().as_ref() == "body" {
                    let name: &str = e.name().0;
                    self.body.prefix = name.rsplit_once(':').map(|(p, _)| format!("{p}:")).unwrap_or_default();
                    self.in_body = true;
                }
            }
            return true;
        }
        if self.skipping > 0 {
            match event {
                Event::Start(_) => self.skipping += 1,
                Event::End(_) => self.skipping -= 1,
                _ => {}
            }
            return true;
        }
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                let local: &str = local.as_ref();
                if SKIPPED.contains(&local) {
                    self.skipping = 1;
                    return true;
                }
                self.open(&e, local, at, false);
                self.stack.push(known(local));
            }
            Event::Empty(e) => {
                let local = e.local_name();
                let local: &str = local.as_ref();
                if !SKIPPED.contains(&local) {
                    self.open(&e, local, at.clone(), true);
                    self.close(local, at);
                }
            }
            Event::End(e) => {
                let local = e.local_name();
                let local: &str = local.as_ref();
                if local == "body" {
                    return false;
                }
                self.stack.pop();
                self.close(local, at);
            }
            Event::Text(t) => self.text(&t.xml10_content(), at),
            Event::CData(t) => self.text(&t.xml10_content(), at),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => predefined_entity(&r.xml10_content()).to_owned(),
                };
                self.text(&resolved, at);
            }
            _ => {}
        }
        !self.body.too_many_cells
    }

    fn parent(&self) -> &'static str {
        self.stack.last().copied().unwrap_or("")
    }

    fn grandparent(&self) -> &'static str {
        self.stack.len().checked_sub(2).and_then(|i| self.stack.get(i)).copied().unwrap_or("")
    }

    /// How many paragraphs are open: more than one only in damaged or unusual documents.
    fn paragraph_depth(&self) -> usize {
        self.stack.iter().filter(|s| **s == "p").count()
    }

    /// Whether the innermost open table is the top-level one and a cell of it is open.
    fn in_top_cell(&self) -> bool {
        self.tables == 1 && self.cell.is_some()
    }

    /// An element starts; `empty` when it is self-closing (its end follows at once).
    fn open(&mut self, e: &BytesStart<'_>, local: &str, at: Range<usize>, empty: bool) {
        let parent = self.parent();
        match local {
            "p" if self.paragraph_depth() == 0 => {
                let in_cell = self.cell.is_some();
                let mut paragraph = Paragraph {
                    span: at.start..at.end,
                    slot: Slot { content: at.end..at.end, self_closing: empty, paragraph_properties: None },
                    ..Paragraph::default()
                };
                if empty {
                    paragraph.slot.content = at.clone();
                }
                paragraph.placeholders = self.controls.iter().filter_map(|c| c.placeholder.clone()).collect();
                self.paragraph =
                    Some(ParagraphFrame { paragraph, properties_start: at.start, in_cell, pieces: Vec::new() });
            }
            "pPr" if parent == "p" && self.paragraph_depth() == 1 => {
                if let Some(frame) = self.paragraph.as_mut() {
                    frame.properties_start = at.start;
                }
            }
            "pStyle" if parent == "pPr" && self.grandparent() == "p" && self.paragraph_depth() == 1 => {
                if let Some(frame) = self.paragraph.as_mut() {
                    frame.paragraph.style = attribute(e, "val");
                }
            }
            "outlineLvl" if parent == "pPr" && self.grandparent() == "p" && self.paragraph_depth() == 1 => {
                if let Some(frame) = self.paragraph.as_mut() {
                    frame.paragraph.outline_level = attribute(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "numId" | "ilvl" if parent == "numPr" && self.grandparent() == "pPr" && self.paragraph_depth() == 1 => {
                if let Some(frame) = self.paragraph.as_mut() {
                    let value: u32 = attribute(e, "val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let (id, level) = frame.paragraph.numbering.unwrap_or((0, 0));
                    frame.paragraph.numbering = Some(if local == "numId" { (value, level) } else { (id, value) });
                }
            }
            "tab" if parent == "r" => self.text("\t", at.end..at.end),
            "br" | "cr" if parent == "r" => self.text("\n", at.end..at.end),
            "noBreakHyphen" if parent == "r" => self.text("-", at.end..at.end),
            "tbl" => {
                self.tables += 1;
                if self.tables == 1 {
                    self.table = Some(Table { span: at.start..at.end, ..Table::default() });
                } else if let Some(frame) = self.cell.as_mut() {
                    frame.cell.nested_tables += 1;
                    if let Some(table) = self.table.as_mut() {
                        table.nested_tables += 1;
                    }
                }
            }
            "tr" if self.tables == 1 && self.table.is_some() && self.paragraph_depth() == 0 => {
                self.row = Some(RowFrame::default())
            }
            "gridBefore" if parent == "trPr" && self.tables == 1 => {
                if let Some(row) = self.row.as_mut() {
                    row.cursor = row.cursor.saturating_add(span_value(e));
                }
            }
            // A cell or row inside a paragraph is not one (only damaged documents have it): it
            // must not open or close the real one around it.
            "tc" if self.tables == 1 && self.row.is_some() && self.cell.is_none() && self.paragraph_depth() == 0 => {
                let col = self.row.as_ref().map_or(0, |r| r.cursor);
                let mut cell = Cell {
                    col,
                    span: 1,
                    slot: Slot { content: at.end..at.end, self_closing: empty, paragraph_properties: None },
                    ..Cell::default()
                };
                if empty {
                    cell.slot.content = at.clone();
                }
                cell.placeholders = self
                    .controls
                    .iter()
                    .filter(|c| c.level == Some(ControlLevel::Cell))
                    .filter_map(|c| c.placeholder.clone())
                    .collect();
                self.cell = Some(CellFrame { cell, ..CellFrame::default() });
            }
            "gridSpan" if parent == "tcPr" && self.tables == 1 => {
                if let Some(frame) = self.cell.as_mut() {
                    frame.cell.span = span_value(e);
                }
            }
            "vMerge" | "hMerge" if parent == "tcPr" && self.tables == 1 => {
                let value = attribute(e, "val");
                let continued = match local {
                    "vMerge" => value.as_deref().is_none_or(|v| v == "continue"),
                    _ => value.as_deref() == Some("continue"),
                };
                if let Some(frame) = self.cell.as_mut() {
                    frame.cell.continued |= continued;
                }
            }
            "sdt" => {
                let level = if self.paragraph.is_some() {
                    Some(ControlLevel::Run)
                } else if self.in_top_cell() {
                    Some(ControlLevel::Block)
                } else if self.tables == 1 && self.cell.is_none() && self.row.is_some() {
                    Some(ControlLevel::Cell)
                } else {
                    None
                };
                let cells_before = self.row.as_ref().map_or(0, |r| r.row.cells.len());
                self.controls.push(ControlFrame { level, cells_before, ..ControlFrame::default() });
            }
            _ => self.open_control_part(e, local, parent, at, empty),
        }
    }

    /// The parts of a content control's properties that the walker reads.
    fn open_control_part(&mut self, e: &BytesStart<'_>, local: &str, parent: &str, at: Range<usize>, empty: bool) {
        if !self.stack.contains(&"sdtPr") && local != "sdtContent" {
            return;
        }
        let Some(frame) = self.controls.last_mut() else { return };
        match local {
            "sdtContent" if parent == "sdt" => {
                frame.content_start = at.end;
                if empty {
                    frame.content = None;
                }
            }
            "showingPlcHdr" => {
                frame.open_marker = at.start;
                frame.placeholder = Some(at);
            }
            "dataBinding" => frame.bound = true,
            "dropDownList" | "comboBox" => frame.list = Some(Vec::new()),
            "listItem" if matches!(parent, "dropDownList" | "comboBox") => {
                // Word's own first item, "Choose an item." with an empty value, is a prompt.
                let value = attribute(e, "value");
                let text = attribute(e, "displayText").or_else(|| value.clone()).unwrap_or_default();
                let prompt =
                    value.is_some_and(|v| v.is_empty()) || text.trim().to_lowercase().starts_with("choose an item");
                if let Some(list) = frame.list.as_mut().filter(|_| !prompt && !text.trim().is_empty()) {
                    list.push(text.trim().to_owned());
                }
            }
            "checkbox" => {
                let name: &str = e.name().0;
                frame.check_box = Some(CheckBox {
                    checked: false,
                    state: None,
                    state_insert: (!empty).then_some(at.end),
                    prefix: name.rsplit_once(':').map(|(p, _)| format!("{p}:")).unwrap_or_default(),
                    glyph: None,
                    checked_glyph: '\u{2612}',
                    unchecked_glyph: '\u{2610}',
                    label: String::new(),
                });
            }
            "checked" | "checkedState" | "uncheckedState" if parent == "checkbox" => {
                let Some(check_box) = frame.check_box.as_mut() else { return };
                let value = attribute(e, "val").unwrap_or_default();
                match local {
                    "checked" => {
                        frame.open_marker = at.start;
                        check_box.checked = matches!(value.as_str(), "1" | "true" | "on");
                        check_box.state = Some(at);
                    }
                    _ => {
                        let glyph = u32::from_str_radix(value.trim(), 16).ok().and_then(char::from_u32);
                        if let Some(glyph) = glyph.filter(|g| !g.is_control()) {
                            if local == "checkedState" {
                                check_box.checked_glyph = glyph;
                            } else {
                                check_box.unchecked_glyph = glyph;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// An element ends (for a self-closing one, right after it opened).
    fn close(&mut self, local: &str, at: Range<usize>) {
        let parent = self.parent();
        match local {
            "p" if self.paragraph_depth() == 0 => self.close_paragraph(at),
            "pPr" if parent == "p" && self.paragraph_depth() == 1 => {
                if let Some(frame) = self.paragraph.as_mut() {
                    frame.paragraph.slot.paragraph_properties = Some(frame.properties_start..at.end);
                    if !frame.paragraph.slot.self_closing {
                        frame.paragraph.slot.content = at.end..at.end;
                    }
                }
            }
            "tcPr" if parent == "tc" && self.tables == 1 => {
                if let Some(frame) = self.cell.as_mut() {
                    if !frame.cell.slot.self_closing {
                        frame.cell.slot.content = at.end..at.end;
                    }
                }
            }
            "tc" if self.tables == 1 && self.paragraph_depth() == 0 => self.close_cell(at),
            "tr" if self.tables == 1 && self.paragraph_depth() == 0 => {
                if let (Some(row), Some(table)) = (self.row.take(), self.table.as_mut()) {
                    table.rows.push(row.row);
                }
            }
            "tbl" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    if let Some(mut table) = self.table.take() {
                        table.span.end = at.end;
                        self.body.blocks.push(Block::Table(table));
                    }
                    self.row = None;
                    self.cell = None;
                }
            }
            "sdtContent" if parent == "sdt" => {
                if let Some(frame) = self.controls.last_mut() {
                    if at.start >= frame.content_start {
                        frame.content = Some(frame.content_start..at.start);
                    }
                }
            }
            "showingPlcHdr" | "checked" if self.stack.contains(&"sdtPr") => {
                if let Some(frame) = self.controls.last_mut() {
                    let marker = frame.open_marker..at.end;
                    if local == "showingPlcHdr" && frame.placeholder.is_some() {
                        frame.placeholder = Some(marker);
                    } else if let Some(state) = frame.check_box.as_mut().and_then(|b| b.state.as_mut()) {
                        *state = marker;
                    }
                }
            }
            "sdt" => self.close_control(),
            _ => {}
        }
    }

    fn close_paragraph(&mut self, at: Range<usize>) {
        let Some(mut frame) = self.paragraph.take() else { return };
        frame.paragraph.span.end = at.end;
        if !frame.paragraph.slot.self_closing {
            frame.paragraph.slot.content.end = at.start.max(frame.paragraph.slot.content.start);
        }
        if frame.in_cell {
            if let Some(cell) = self.cell.as_mut() {
                if self.tables == 1 && !cell.has_paragraph {
                    cell.cell.slot.paragraph_properties = frame.paragraph.slot.paragraph_properties.clone();
                }
                if self.tables == 1 {
                    cell.has_paragraph = true;
                }
                cell.cell.paragraphs.push(frame.paragraph.text);
                cell.pieces.push(Piece::Break);
            }
        } else {
            label_check_boxes(&mut frame.paragraph.controls, &frame.pieces);
            self.body.blocks.push(Block::Paragraph(frame.paragraph));
        }
    }

    fn close_cell(&mut self, at: Range<usize>) {
        let Some(mut frame) = self.cell.take() else { return };
        if !frame.cell.slot.self_closing {
            frame.cell.slot.content.end = at.start.max(frame.cell.slot.content.start);
        }
        label_check_boxes(&mut frame.cell.controls, &frame.pieces);
        if let Some(row) = self.row.as_mut() {
            row.cursor = row.cursor.saturating_add(frame.cell.span);
            row.row.cells.push(frame.cell);
        }
        self.cells += 1;
        if self.cells > limits::MAX_CELLS {
            self.body.too_many_cells = true;
        }
    }

    fn close_control(&mut self) {
        let Some(frame) = self.controls.pop() else { return };
        let (Some(level), Some(content)) = (frame.level, frame.content) else { return };
        let kind = match (frame.check_box, frame.list) {
            (Some(check_box), _) => ControlKind::CheckBox(check_box),
            (None, Some(list)) => ControlKind::List(list),
            (None, None) => ControlKind::Text,
        };
        let is_box = matches!(kind, ControlKind::CheckBox(_));
        let control = Control { kind, level, content, bound: frame.bound };
        let (controls, placeholders, pieces) = match level {
            ControlLevel::Cell => {
                let Some(cell) = self.row.as_mut().filter(|r| r.row.cells.len() > frame.cells_before) else { return };
                let Some(cell) = cell.row.cells.last_mut() else { return };
                cell.controls.push(control);
                return;
            }
            _ if self.tables == 1 => match self.cell.as_mut() {
                Some(cell) => (&mut cell.cell.controls, &mut cell.cell.placeholders, &mut cell.pieces),
                None => return,
            },
            ControlLevel::Run if self.tables == 0 => match self.paragraph.as_mut() {
                Some(p) => (&mut p.paragraph.controls, &mut p.paragraph.placeholders, &mut p.pieces),
                None => return,
            },
            _ => return,
        };
        if is_box {
            pieces.push(Piece::Box(controls.len()));
        }
        controls.push(control);
        placeholders.extend(frame.placeholder);
    }

    fn text(&mut self, text: &str, at: Range<usize>) {
        let is_run_text = self.parent() == "t" && self.grandparent() == "r";
        let is_break = at.start == at.end;
        if !is_run_text && !is_break {
            return;
        }
        if let Some(check_box) = self.controls.iter_mut().rev().find_map(|c| c.check_box.as_mut()) {
            if !is_break {
                let start = check_box.glyph.as_ref().map_or(at.start, |g| g.start);
                check_box.glyph = Some(start..at.end);
            }
            return;
        }
        if self.controls.iter().any(|c| c.placeholder.is_some()) {
            return;
        }
        let Some(frame) = self.paragraph.as_mut() else { return };
        frame.paragraph.text.push_str(text);
        let pieces = match self.cell.as_mut() {
            Some(cell) => &mut cell.pieces,
            None => &mut frame.pieces,
        };
        match pieces.last_mut() {
            Some(Piece::Text(last)) => last.push_str(text),
            _ => pieces.push(Piece::Text(text.to_owned())),
        }
    }
}

fn span_value(e: &BytesStart<'_>) -> u32 {
    attribute(e, "val").and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).clamp(1, MAX_SPAN)
}

/// Names each check box after the text beside it: the text after the boxes when the last box
/// has text after it ("☐ Yes ☐ No"), otherwise the text before them ("Yes ☐ No ☐").
fn label_check_boxes(controls: &mut [Control], pieces: &[Piece]) {
    let text_at = |i: Option<usize>| match i.and_then(|i| pieces.get(i)) {
        Some(Piece::Text(t)) => t.trim().to_owned(),
        _ => String::new(),
    };
    let boxes: Vec<(usize, usize)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Piece::Box(control) => Some((i, *control)),
            _ => None,
        })
        .collect();
    let Some(&(last, _)) = boxes.last() else { return };
    let after = !text_at(Some(last + 1)).is_empty();
    for (i, control) in boxes {
        let label = if after { text_at(Some(i + 1)) } else { text_at(i.checked_sub(1)) };
        if let Some(ControlKind::CheckBox(check_box)) = controls.get_mut(control).map(|c| &mut c.kind) {
            check_box.label = label;
        }
    }
}
