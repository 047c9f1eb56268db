//! One pass over a Word document's body: its paragraphs and tables in order, the byte spans
//! that fill-back splices at, and the content controls (dropdowns, check boxes) they hold.
//!
//! Import reads the texts and fill-back reads the spans, so both see the same document.
//! Text boxes, the fallback half of `mc:AlternateContent`, moved-away text and the old
//! properties kept by tracked changes are skipped: they are not part of the visible body text.

use std::ops::Range;

mod walk;

pub use walk::read_body;

/// What a content control shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlKind {
    /// A plain or rich text control, a date picker, or anything else that shows text.
    Text,
    /// A dropdown list or combo box, with its items' display texts.
    List(Vec<String>),
    /// A check box (`w14:checkbox`).
    CheckBox(CheckBox),
}

/// A check box and where fill-back changes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckBox {
    pub checked: bool,
    /// The `w14:checked` element; `None` when it is missing, which means unchecked.
    pub state: Option<Range<usize>>,
    /// Where a missing `w14:checked` element goes: right after the `w14:checkbox` start tag.
    pub state_insert: Option<usize>,
    /// The namespace prefix of the check box element, usually `w14:`.
    pub prefix: String,
    /// The glyph the document shows for the box.
    pub glyph: Option<Range<usize>>,
    pub checked_glyph: char,
    pub unchecked_glyph: char,
    /// The text beside the box, such as "Yes".
    pub label: String,
}

/// Where a content control sits, which decides what its content holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlLevel {
    /// Inside a paragraph: its content is runs.
    Run,
    /// Inside a table cell, around paragraphs: its content is paragraphs.
    Block,
    /// Around a whole table cell: its content is the cell.
    Cell,
}

/// A content control (`w:sdt`) inside a paragraph or a table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    pub kind: ControlKind,
    pub level: ControlLevel,
    /// Between `<w:sdtContent>` and `</w:sdtContent>`.
    pub content: Range<usize>,
    /// Bound to custom XML: Word would put the bound value back over any text written here.
    pub bound: bool,
}

/// The part of a paragraph or cell that fill-back replaces, and the properties it keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Slot {
    /// From the end of the element's own properties to its end tag; for a self-closing
    /// element, the whole element.
    pub content: Range<usize>,
    pub self_closing: bool,
    /// The properties (`w:pPr`) of the paragraph, or of a cell's first paragraph, kept raw.
    pub paragraph_properties: Option<Range<usize>>,
}

/// A paragraph of the body, outside tables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paragraph {
    pub text: String,
    /// The paragraph style's id (`w:pStyle`), such as `Heading1`.
    pub style: Option<String>,
    /// The paragraph's own numbering (`w:numPr`): the list id and the level.
    pub numbering: Option<(u32, u32)>,
    /// A direct outline level (`w:outlineLvl`), which makes a paragraph a heading.
    pub outline_level: Option<u8>,
    pub span: Range<usize>,
    pub slot: Slot,
    pub controls: Vec<Control>,
    /// The `w:showingPlcHdr` markers of content controls in or around the paragraph, which
    /// fill-back removes so that Word shows the answer as real text.
    pub placeholders: Vec<Range<usize>>,
}

/// A cell of a top-level table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// The first grid column the cell covers.
    pub col: u32,
    /// How many grid columns it covers (`w:gridSpan`).
    pub span: u32,
    /// A continuation of a vertical merge: Word shows the cell above in its place.
    pub continued: bool,
    /// The texts of its paragraphs, nested tables included, in order.
    pub paragraphs: Vec<String>,
    pub slot: Slot,
    pub controls: Vec<Control>,
    pub placeholders: Vec<Range<usize>>,
    /// How many tables are nested in the cell.
    pub nested_tables: usize,
}

impl Cell {
    /// The cell's text: its paragraphs joined with a newline.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// The check boxes of the cell, in order.
    pub fn check_boxes(&self) -> impl Iterator<Item = &CheckBox> {
        self.controls.iter().filter_map(|c| match &c.kind {
            ControlKind::CheckBox(b) => Some(b),
            _ => None,
        })
    }
}

/// A row of a top-level table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// A top-level table; tables nested in its cells are read as the cells' text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub rows: Vec<Row>,
    pub span: Range<usize>,
    pub nested_tables: usize,
}

/// A block of the body: a paragraph or a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// The body of a document, read in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// The namespace prefix of the WordprocessingML elements, usually `w:`.
    pub prefix: String,
    pub blocks: Vec<Block>,
    /// Where the XML stopped being well-formed, if it did; the blocks before it were read.
    pub damaged_at: Option<usize>,
    /// More cells than Trustfill reads: reading stopped there.
    pub too_many_cells: bool,
}

#[cfg(test)]
mod tests;
