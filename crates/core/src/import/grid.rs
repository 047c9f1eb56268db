//! A sparse sheet of cell texts: what every tabular format is read into before detection.

use std::collections::BTreeMap;

/// A rectangle of cells, zero-based and inclusive. Kept as bounds, never expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Rect {
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }
}

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    pub col: u32,
    pub text: String,
    /// Whether the cell's value is computed by a formula (its text is the cached result).
    pub formula: bool,
}

/// A dropdown list that applies to some cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListValidation {
    pub ranges: Vec<Rect>,
    pub choices: Vec<String>,
}

/// A sheet: its name, visibility, non-empty cells by row, merged areas and dropdown lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub name: String,
    pub hidden: bool,
    /// Row index to the row's non-empty cells, sorted by column.
    pub rows: BTreeMap<u32, Vec<GridCell>>,
    pub merged: Vec<Rect>,
    pub validations: Vec<ListValidation>,
}

impl Grid {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// Sets a cell; empty or whitespace-only text is not stored.
    pub fn set(&mut self, row: u32, col: u32, text: &str, formula: bool) {
        let text = text.trim();
        if text.is_empty() && !formula {
            return;
        }
        let cells = self.rows.entry(row).or_default();
        let cell = GridCell { col, text: text.to_owned(), formula };
        match cells.binary_search_by_key(&col, |c| c.col) {
            Ok(i) => cells[i] = cell,
            Err(i) => cells.insert(i, cell),
        }
    }

    pub fn cell(&self, row: u32, col: u32) -> Option<&GridCell> {
        let cells = self.rows.get(&row)?;
        cells.binary_search_by_key(&col, |c| c.col).ok().map(|i| &cells[i])
    }

    pub fn text(&self, row: u32, col: u32) -> &str {
        self.cell(row, col).map(|c| c.text.as_str()).unwrap_or("")
    }

    /// The dropdown choices that apply to a cell, if any. Looks ranges up, never expands them.
    pub fn choices_at(&self, row: u32, col: u32) -> Option<&[String]> {
        self.validations.iter().find(|v| v.ranges.iter().any(|r| r.contains(row, col))).map(|v| v.choices.as_slice())
    }

    pub fn cell_count(&self) -> usize {
        self.rows.values().map(Vec::len).sum()
    }
}

/// Parses an A1 reference such as `C12` or `$C$12` into a zero-based (row, col).
pub fn parse_a1(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.trim().replace('$', "");
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32) - 1;
    let row: u32 = digits.parse().ok()?;
    (row >= 1 && col < 16_384 && row <= 1_048_576).then(|| (row - 1, col))
}

/// Parses a space-separated `sqref` such as `C13:C20 D5 N1:XFD1048576` into rectangles.
/// Unreadable parts are skipped.
pub fn parse_sqref(sqref: &str) -> Vec<Rect> {
    sqref
        .split_whitespace()
        .filter_map(|part| {
            let (a, b) = part.split_once(':').unwrap_or((part, part));
            let (r0, c0) = parse_a1(a)?;
            let (r1, c1) = parse_a1(b)?;
            Some(Rect { first_row: r0.min(r1), first_col: c0.min(c1), last_row: r0.max(r1), last_col: c0.max(c1) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references_parse() {
        assert_eq!(parse_a1("A1"), Some((0, 0)));
        assert_eq!(parse_a1("$C$12"), Some((11, 2)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("XFE1"), None);
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("12"), None);
    }

    #[test]
    fn huge_validation_ranges_stay_bounds() {
        let rects = parse_sqref("N1:XFD1048576 C13:C20 D5");
        assert_eq!(rects.len(), 3);
        assert!(rects[0].contains(500_000, 10_000));
        assert!(!rects[0].contains(0, 12));
        assert!(rects[1].contains(15, 2) && rects[2].contains(4, 3));
    }
}
