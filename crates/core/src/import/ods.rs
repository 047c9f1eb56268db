//! Reading what calamine does not expose from an OpenDocument spreadsheet's `content.xml`:
//! merged cells (column and row spans) and content-validation lists, the ods dropdowns.
//!
//! The XML is streamed once. Cells are placed by counting rows and columns, repeats included,
//! and a validation's cells are kept as rectangles, never expanded: a rule on a row repeated a
//! million times costs one rectangle.

use super::grid::{parse_a1, Rect};
use super::ooxml::{attribute, ListSource, RawListRule};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::BTreeMap;

/// The last row and column index an ods sheet can have (LibreOffice's limits).
const MAX_ROW: u64 = 1_048_575;
const MAX_COL: u64 = 16_383;

/// The most rectangles kept per table, merges and validated areas alike. A real sheet needs a
/// few hundred; a hostile one alternating rules cell by cell would otherwise cost memory and
/// slow every dropdown look-up.
const MAX_RECTS_PER_TABLE: usize = 10_000;

/// What one table adds to its grid: merged areas and dropdown rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableExtras {
    pub name: String,
    pub merged: Vec<Rect>,
    pub rules: Vec<RawListRule>,
}

/// The table being read: its extras, and the validated areas by validation name.
#[derive(Default)]
struct Table {
    extras: TableExtras,
    validated: BTreeMap<String, Vec<Rect>>,
    rects: usize,
}

fn count(element: &BytesStart<'_>, name: &str) -> u64 {
    attribute(element, name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1).max(1)
}

fn rect(row: u64, col: u64, rows: u64, cols: u64) -> Option<Rect> {
    if row > MAX_ROW || col > MAX_COL {
        return None;
    }
    let last_row = row.saturating_add(rows - 1).min(MAX_ROW);
    let last_col = col.saturating_add(cols - 1).min(MAX_COL);
    Some(Rect { first_row: row as u32, first_col: col as u32, last_row: last_row as u32, last_col: last_col as u32 })
}

/// Adds a rectangle to a list, joining it to the last one when they make one rectangle.
fn push_joined(rects: &mut Vec<Rect>, new: Rect) {
    if let Some(last) = rects.last_mut() {
        let same_cols = last.first_col == new.first_col && last.last_col == new.last_col;
        let same_rows = last.first_row == new.first_row && last.last_row == new.last_row;
        if same_cols && last.last_row.checked_add(1) == Some(new.first_row) {
            last.last_row = new.last_row;
            return;
        }
        if same_rows && last.last_col.checked_add(1) == Some(new.first_col) {
            last.last_col = new.last_col;
            return;
        }
    }
    rects.push(new);
}

/// Reads every top-level table's merges and dropdown rules from `content.xml`, in table order.
/// Unreadable XML ends the scan and keeps what was read.
pub fn table_extras(content_xml: &str) -> Vec<TableExtras> {
    let mut sources: BTreeMap<String, ListSource> = BTreeMap::new();
    let mut tables = Vec::new();
    let mut current: Option<Table> = None;
    // How deep inside tables the reader is; only cells of top-level tables (depth 1) count.
    let mut depth = 0usize;
    let (mut row, mut col, mut row_repeat) = (0u64, 0u64, 1u64);
    let mut reader = Reader::from_str(content_xml);
    loop {
        let (element, empty) = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.name().as_ref() {
                    "table:table" => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            tables.extend(current.take().map(|t| finish(t, &sources)));
                        }
                    }
                    "table:table-row" if depth == 1 => row = row.saturating_add(row_repeat),
                    _ => {}
                }
                continue;
            }
            Ok(_) => continue,
        };
        match element.name().as_ref() {
            "table:content-validation" => {
                if let (Some(name), Some(condition)) = (attribute(&element, "name"), attribute(&element, "condition")) {
                    sources.insert(name, parse_condition(&condition));
                }
            }
            "table:table" => {
                if empty {
                    continue;
                }
                depth += 1;
                if depth == 1 {
                    let name = attribute(&element, "name").unwrap_or_default();
                    current =
                        Some(Table { extras: TableExtras { name, ..TableExtras::default() }, ..Table::default() });
                    row = 0;
                }
            }
            "table:table-row" if depth == 1 => {
                row_repeat = count(&element, "number-rows-repeated");
                col = 0;
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" if depth == 1 => {
                let col_repeat = count(&element, "number-columns-repeated");
                if let Some(table) = current.as_mut().filter(|t| t.rects < MAX_RECTS_PER_TABLE) {
                    let (rows, cols) =
                        (count(&element, "number-rows-spanned"), count(&element, "number-columns-spanned"));
                    if rows > 1 || cols > 1 {
                        table.extras.merged.extend(rect(row, col, rows, cols));
                        table.rects += 1;
                    }
                    if let Some(name) = attribute(&element, "content-validation-name") {
                        if let Some(area) = rect(row, col, row_repeat, col_repeat) {
                            push_joined(table.validated.entry(name).or_default(), area);
                            table.rects += 1;
                        }
                    }
                }
                col = col.saturating_add(col_repeat);
            }
            _ => {}
        }
    }
    tables
}

/// Turns a table's validated areas into list rules, in validation-name order.
fn finish(table: Table, sources: &BTreeMap<String, ListSource>) -> TableExtras {
    let mut extras = table.extras;
    for (name, ranges) in table.validated {
        if let Some(source) = sources.get(&name) {
            extras.rules.push(RawListRule { ranges, source: source.clone() });
        }
    }
    extras
}

/// Parses a `table:condition` such as `of:cell-content-is-in-list("Yes";"No")` or
/// `of:cell-content-is-in-list([$'Auto Responses'.$J$3:.$J$5])`. Other conditions (numbers,
/// dates, formulas) are not dropdowns and come back unresolved.
pub fn parse_condition(condition: &str) -> ListSource {
    const LIST: &str = "cell-content-is-in-list(";
    let Some(start) = condition.find(LIST) else { return ListSource::Unresolved };
    let inner = &condition[start + LIST.len()..];
    let inner = inner.rfind(')').map_or(inner, |end| &inner[..end]).trim();
    if inner.starts_with('"') {
        let choices = split_quoted(inner);
        return if choices.is_empty() { ListSource::Unresolved } else { ListSource::Literal(choices) };
    }
    parse_range(inner.trim_start_matches('[').trim_end_matches(']'))
}

/// Splits `"Yes";"No";"a ""quoted"" one"` into its items; `""` inside quotes is one quote.
fn split_quoted(list: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut in_quotes = false;
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                item.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => items.push(std::mem::take(&mut item)),
            _ if in_quotes => item.push(c),
            _ => {}
        }
    }
    items.push(item);
    items.into_iter().map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect()
}

/// Parses `$'Sheet name'.$A$1:.$A$3` or `Lists.A1:Lists.A3`: an optional sheet, then a range.
fn parse_range(range: &str) -> ListSource {
    let (from, to) = range.split_once(':').unwrap_or((range, range));
    let (sheet, from_cell) = split_sheet(from);
    let (_, to_cell) = split_sheet(to);
    match (parse_a1(from_cell), parse_a1(to_cell)) {
        (Some((r0, c0)), Some((r1, c1))) => ListSource::Range {
            sheet,
            rect: Rect { first_row: r0.min(r1), first_col: c0.min(c1), last_row: r0.max(r1), last_col: c0.max(c1) },
        },
        _ => ListSource::Unresolved,
    }
}

/// Splits `$'It''s'.$A$1` into the sheet (`It's`) and the cell (`$A$1`). A cell without a
/// sheet, or with an empty one (`.$A$3`), has `None`.
fn split_sheet(reference: &str) -> (Option<String>, &str) {
    let reference = reference.trim().trim_start_matches('$');
    if let Some(quoted) = reference.strip_prefix('\'') {
        let mut sheet = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, n)| *n) == Some('\'') {
                    sheet.push('\'');
                    chars.next();
                    continue;
                }
                let rest = &quoted[i + 1..];
                return (Some(sheet), rest.strip_prefix('.').unwrap_or(rest));
            }
            sheet.push(c);
        }
        return (None, "");
    }
    match reference.rsplit_once('.') {
        Some((sheet, cell)) if !sheet.is_empty() => (Some(sheet.to_owned()), cell),
        Some((_, cell)) => (None, cell),
        None => (None, reference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_conditions_parse() {
        assert_eq!(
            parse_condition(r#"of:cell-content-is-in-list("Yes";"No";"Say ""maybe""")"#),
            ListSource::Literal(vec!["Yes".into(), "No".into(), "Say \"maybe\"".into()])
        );
        let range = parse_condition("of:cell-content-is-in-list([$'Auto Responses'.$J$3:.$J$5])");
        let expected = Rect { first_row: 2, first_col: 9, last_row: 4, last_col: 9 };
        assert_eq!(range, ListSource::Range { sheet: Some("Auto Responses".into()), rect: expected });
        let plain = parse_condition("of:cell-content-is-in-list(Lists.A1:Lists.A3)");
        assert!(matches!(plain, ListSource::Range { sheet: Some(s), .. } if s == "Lists"));
        let same_sheet = parse_condition("of:cell-content-is-in-list([.$B$1:.$B$2])");
        assert!(matches!(same_sheet, ListSource::Range { sheet: None, .. }));
        assert_eq!(parse_condition("of:cell-content-is-whole-number() and cell-content()>0"), ListSource::Unresolved);
        assert_eq!(parse_condition("of:cell-content-is-in-list(MyNamedRange)"), ListSource::Unresolved);
    }

    #[test]
    fn spans_repeats_and_validations_are_placed() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet><table:content-validations><table:content-validation table:name="v" table:condition="of:cell-content-is-in-list(&quot;Y&quot;;&quot;N&quot;)"/></table:content-validations><table:table table:name="S"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/></table:table-row><table:table-row><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1"><text:p>Head</text:p></table:table-cell><table:covered-table-cell/><table:table-cell table:content-validation-name="v"/></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:content-validation-name="v"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let tables = table_extras(xml);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].name, "S");
        assert_eq!(tables[0].merged, [Rect { first_row: 2, first_col: 0, last_row: 2, last_col: 1 }]);
        assert_eq!(tables[0].rules.len(), 1);
        assert_eq!(tables[0].rules[0].ranges, [Rect { first_row: 2, first_col: 2, last_row: 1_000_002, last_col: 2 }]);
        assert_eq!(tables[0].rules[0].source, ListSource::Literal(vec!["Y".into(), "N".into()]));
    }
}
