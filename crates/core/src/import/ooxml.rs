//! Reading the parts of an Office Open XML package that calamine does not expose: the zip's
//! safety limits, the sheet-name-to-part map, and data-validation dropdown lists.

use super::grid::{parse_sqref, ListValidation, Rect};
use super::ImportError;
use crate::limits;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::io::{Cursor, Read};

pub type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Entries that expand to this many bytes or fewer are not held to the compression ratio: a
/// small part full of repeated markup may compress very well, and costs little whatever it is.
const RATIO_FREE_BYTES: u64 = 1024 * 1024;

/// Opens a zip container and refuses zip bombs: too many entries, too many bytes once
/// expanded, or an entry that expands far beyond its compressed size. The sizes are the ones
/// the entries state; the zip reader fails rather than expand an entry past its stated size,
/// so every later read stays within what was checked here.
pub fn open_checked(bytes: &[u8]) -> Result<Archive<'_>, ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::Corrupt)?;
    if archive.len() > limits::MAX_ZIP_ENTRIES {
        return Err(ImportError::TooManyEntries(archive.len()));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(|_| ImportError::Corrupt)?;
        if file.encrypted() {
            return Err(ImportError::Encrypted);
        }
        let size = file.size();
        total = total.saturating_add(size);
        if size > RATIO_FREE_BYTES && size > file.compressed_size().saturating_mul(limits::MAX_COMPRESSION_RATIO) {
            return Err(ImportError::ZipBomb);
        }
    }
    if total > limits::MAX_UNCOMPRESSED_BYTES {
        return Err(ImportError::ExpandsTooFar(total));
    }
    Ok(archive)
}

/// Reads one entry as UTF-8 text, or `None` when it is missing or unreadable.
pub fn read_text(archive: &mut Archive<'_>, name: &str) -> Option<String> {
    let mut file = archive.by_name(name).ok()?;
    let mut text = String::with_capacity(file.size().min(limits::MAX_UNCOMPRESSED_BYTES) as usize);
    file.by_ref().take(limits::MAX_UNCOMPRESSED_BYTES).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Reads one entry's bytes: `None` when it is missing, and an error when it is there but cannot
/// be read whole (a damaged entry, whose checksum does not match).
pub fn read_part(archive: &mut Archive<'_>, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
    let Ok(mut file) = archive.by_name(name) else { return Ok(None) };
    let mut bytes = Vec::with_capacity(file.size().min(limits::MAX_UNCOMPRESSED_BYTES) as usize);
    file.by_ref().take(limits::MAX_UNCOMPRESSED_BYTES).read_to_end(&mut bytes).map_err(|_| ImportError::Corrupt)?;
    Ok(Some(bytes))
}

/// A worksheet of the workbook: its name, its part path in the zip, and its visibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPart {
    pub name: String,
    pub path: String,
    pub hidden: bool,
}

/// An attribute's value by its local name (the part after any namespace prefix), unescaped.
pub(crate) fn attribute(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| {
            let key: &str = a.key.as_ref();
            key.rsplit(':').next() == Some(local)
        })
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Maps each sheet of `xl/workbook.xml` to its part through `xl/_rels/workbook.xml.rels`.
pub fn sheet_parts(archive: &mut Archive<'_>) -> Vec<SheetPart> {
    let Some(workbook) = read_text(archive, "xl/workbook.xml") else { return Vec::new() };
    let rels = read_text(archive, "xl/_rels/workbook.xml.rels").unwrap_or_default();
    let mut targets = Vec::new();
    let mut reader = Reader::from_str(&rels);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attribute(&e, "Id"), attribute(&e, "Target")) {
                    let path = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_owned(),
                        None => format!("xl/{target}"),
                    };
                    targets.push((id, path));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut sheets = Vec::new();
    let mut reader = Reader::from_str(&workbook);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let (Some(name), Some(rid)) = (attribute(&e, "name"), attribute(&e, "id")) else { continue };
                let hidden = attribute(&e, "state").is_some_and(|s| s != "visible");
                if let Some((_, path)) = targets.iter().find(|(id, _)| *id == rid) {
                    sheets.push(SheetPart { name, path: path.clone(), hidden });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    sheets
}

/// Where a dropdown's choices come from before they are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSource {
    /// `"Yes,No,N/A"` written in the rule itself.
    Literal(Vec<String>),
    /// A range such as `'Auto Responses'!$J$3:$J$5`; `sheet` is `None` for the same sheet.
    Range { sheet: Option<String>, rect: Rect },
    /// A defined name or anything else this reader does not follow.
    Unresolved,
}

/// A list rule as written in the sheet, before its source is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawListRule {
    pub ranges: Vec<Rect>,
    pub source: ListSource,
}

/// Reads list-type data validations, both `<dataValidation>` and the `x14` extension form,
/// streaming the sheet XML. Ranges are kept as bounds: `N1:XFD1048576` costs four numbers.
pub fn list_rules(sheet_xml: &str) -> Vec<RawListRule> {
    scan_sheet(sheet_xml).0
}

/// Whether a cell reference or range from a sheet (`C12`, `A1:D10`, a row number) stays within
/// a sheet's size: at most three column letters and seven row digits in each part. Calamine
/// adds up longer ones in 32 bits, which overflows.
fn reference_fits(reference: &str) -> bool {
    let (mut letters, mut digits) = (0, 0);
    for c in reference.chars() {
        (letters, digits) = match c {
            'A'..='Z' | 'a'..='z' => (letters + 1, 0),
            '0'..='9' => (0, digits + 1),
            _ => (0, 0),
        };
        if letters > 3 || digits > 7 {
            return false;
        }
    }
    true
}

/// Reads a sheet's list rules, as [`list_rules`] does, and checks in the same pass that every
/// cell, row, dimension and merge reference fits a sheet (see `reference_fits`). A sheet with
/// one that does not is refused before calamine reads it.
pub fn sheet_rules_checked(sheet_xml: &str) -> Result<Vec<RawListRule>, ImportError> {
    match scan_sheet(sheet_xml) {
        (rules, true) => Ok(rules),
        (_, false) => Err(ImportError::Corrupt),
    }
}

/// One streaming pass over a sheet: its list rules, and whether its references all fit.
fn scan_sheet(sheet_xml: &str) -> (Vec<RawListRule>, bool) {
    let mut references_fit = true;
    let mut rules = Vec::new();
    let mut reader = Reader::from_str(sheet_xml);
    // The rule being read: (is a list, sqref, formula text).
    let mut current: Option<(bool, String, String)> = None;
    let mut capture: Option<&'static str> = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        if let Event::Start(e) | Event::Empty(e) = &event {
            let name = match e.local_name().as_ref() {
                "c" | "row" => Some("r"),
                "dimension" | "mergeCell" => Some("ref"),
                _ => None,
            };
            if let Some(value) = name.and_then(|n| attribute(e, n)) {
                references_fit &= reference_fits(&value);
            }
        }
        match event {
            Event::Start(e) if e.local_name().as_ref() == "dataValidation" => {
                let is_list = attribute(&e, "type").as_deref() == Some("list");
                current = Some((is_list, attribute(&e, "sqref").unwrap_or_default(), String::new()));
            }
            Event::Start(e) if current.is_some() => {
                capture = match e.local_name().as_ref() {
                    "formula1" | "f" => Some("formula"),
                    "sqref" => Some("sqref"),
                    _ => capture,
                };
            }
            Event::Text(t) => append_captured(&mut current, capture, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => predefined_entity(&r.xml10_content()).to_owned(),
                };
                append_captured(&mut current, capture, &resolved);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "dataValidation" => {
                    if let Some((true, sqref, formula)) = current.take() {
                        rules.push(RawListRule { ranges: parse_sqref(&sqref), source: parse_list_source(&formula) });
                    }
                    current = None;
                    capture = None;
                }
                "formula1" | "f" | "sqref" => capture = None,
                _ => {}
            },
            _ => {}
        }
    }
    (rules, references_fit)
}

fn append_captured(current: &mut Option<(bool, String, String)>, capture: Option<&str>, text: &str) {
    if let Some((_, sqref, formula)) = current.as_mut() {
        match capture {
            Some("formula") => formula.push_str(text),
            Some("sqref") => {
                sqref.push(' ');
                sqref.push_str(text);
            }
            _ => {}
        }
    }
}

/// The text of one of XML's five predefined entities, or nothing for any other name.
pub(crate) fn predefined_entity(name: &str) -> &'static str {
    match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
}

/// Parses a list rule's formula: a quoted literal list or a range reference.
pub fn parse_list_source(formula: &str) -> ListSource {
    let formula = formula.trim();
    if let Some(inner) = formula.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        let choices: Vec<String> = inner.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
        return if choices.is_empty() { ListSource::Unresolved } else { ListSource::Literal(choices) };
    }
    let (sheet, range) = match formula.rsplit_once('!') {
        Some((sheet, range)) => {
            let sheet = sheet.trim_start_matches('=').trim_matches('\'').replace("''", "'");
            (Some(sheet), range)
        }
        None => (None, formula.trim_start_matches('=')),
    };
    match parse_sqref(range).first() {
        Some(rect) if range.contains(|c: char| c.is_ascii_digit()) => ListSource::Range { sheet, rect: *rect },
        _ => ListSource::Unresolved,
    }
}

/// Resolves raw rules to choices, reading range sources with `lookup(sheet, rect)`.
/// Sources longer than 50 cells are not dropdowns of answers and are ignored.
pub fn resolve_rules(
    rules: Vec<RawListRule>,
    mut lookup: impl FnMut(Option<&str>, Rect) -> Vec<String>,
) -> Vec<ListValidation> {
    const MAX_CHOICES: u64 = 50;
    rules
        .into_iter()
        .filter_map(|rule| {
            let choices = match rule.source {
                ListSource::Literal(choices) => choices,
                ListSource::Range { sheet, rect } => {
                    let cells =
                        (rect.last_row - rect.first_row + 1) as u64 * (rect.last_col - rect.first_col + 1) as u64;
                    if cells > MAX_CHOICES {
                        return None;
                    }
                    lookup(sheet.as_deref(), rect)
                }
                ListSource::Unresolved => return None,
            };
            (!choices.is_empty()).then_some(ListValidation { ranges: rule.ranges, choices })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_sources_parse() {
        assert_eq!(
            parse_list_source("\"Yes,No, N/A\""),
            ListSource::Literal(vec!["Yes".into(), "No".into(), "N/A".into()])
        );
        match parse_list_source("'Auto Responses'!$J$3:$J$5") {
            ListSource::Range { sheet, rect } => {
                assert_eq!(sheet.as_deref(), Some("Auto Responses"));
                assert_eq!((rect.first_row, rect.first_col, rect.last_row), (2, 9, 4));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(parse_list_source("MyNamedList"), ListSource::Unresolved);
    }

    #[test]
    fn both_validation_forms_are_read() {
        let xml = r#"<worksheet><dataValidations count="1"><dataValidation type="list" sqref="C2:C9 N1:XFD1048576"><formula1>"Yes,No"</formula1></dataValidation><dataValidation sqref="A1"/></dataValidations>
        <extLst><ext><x14:dataValidations><x14:dataValidation type="list"><x14:formula1><xm:f>'A &amp; B'!$J$3:$J$4</xm:f></x14:formula1><xm:sqref>D5 D7:D9</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"#;
        let rules = list_rules(xml);
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].source, ListSource::Literal(vec!["Yes".into(), "No".into()]));
        assert_eq!(rules[0].ranges.len(), 2);
        assert!(matches!(&rules[1].source, ListSource::Range { sheet: Some(s), .. } if s == "A & B"));
        assert_eq!(rules[1].ranges.len(), 2);
    }

    #[test]
    fn references_longer_than_a_sheet_are_refused() {
        for fits in ["A1", "XFD1048576", "A1:D10", "12", "$AB$7"] {
            assert!(reference_fits(fits), "{fits}");
        }
        for too_long in ["AAAAAAAA1", "A12345678", "A1:ABCD2"] {
            assert!(!reference_fits(too_long), "{too_long}");
        }
        let sheet = |r: &str| {
            format!(r#"<worksheet><sheetData><row r="1"><c r="{r}"><v>1</v></c></row></sheetData></worksheet>"#)
        };
        assert!(sheet_rules_checked(&sheet("B1")).is_ok());
        assert_eq!(sheet_rules_checked(&sheet("BBBBBBB1")), Err(ImportError::Corrupt));
        assert_eq!(
            sheet_rules_checked(r#"<worksheet><mergeCells><mergeCell ref="A1:B99999999"/></mergeCells></worksheet>"#),
            Err(ImportError::Corrupt)
        );
    }
}
