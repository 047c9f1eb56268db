//! The parts of an xlsx package, as text, and the zip that holds them: the fixed ones (content types' defaults,
//! relationships, document properties, styles) and the ones written from the sheets (the
//! workbook, its relationships, each worksheet). Elements come in the order the schema
//! requires, since Excel repairs a file whose elements are out of order.

use super::{a1, a1_range, Cell, SheetWriter, Value, WorkbookError};
use quick_xml::escape::escape;
use std::borrow::Cow;
use std::fmt::Write;
use std::io::{Cursor, Write as _};

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The package's relationships: the workbook and the two property parts.
pub(super) const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>"
);

/// The application that wrote the file.
pub(super) const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
    "<Application>Trustfill</Application></Properties>"
);

/// The document's dates, fixed at 1980-01-01 like the zip entries': the core reads no clock,
/// and the same input gives the same bytes.
pub(super) const CORE: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "<dc:creator>Trustfill</dc:creator>",
    r#"<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>"#,
    r#"<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>"#,
    "</cp:coreProperties>"
);

/// The stylesheet. Excel requires the two first fills (none and gray125) and one font, border
/// and cell style. The cell formats (`cellXfs`), by index: 0 the default, 1 bold, 2 wrapped
/// text, 3 a date, 4 a time, 5 a date and time, 6 a duration; `format_index_of_style` and
/// `format_index_of_date` name them.
pub(super) const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="4">"#,
    r#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#,
    r#"<numFmt numFmtId="165" formatCode="hh:mm:ss"/>"#,
    r#"<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm:ss"/>"#,
    r#"<numFmt numFmtId="167" formatCode="[h]:mm:ss"/>"#,
    "</numFmts>",
    r#"<fonts count="2">"#,
    r#"<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    "</fonts>",
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="7">"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    "</cellXfs>",
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"<dxfs count="0"/><tableStyles count="0"/>"#,
    "</styleSheet>"
);

/// `[Content_Types].xml`: the media type of every part.
pub(super) fn content_types(sheets: usize) -> String {
    let mut xml = String::from(DECLARATION);
    xml.push_str(r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#);
    xml.push_str(
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    );
    xml.push_str(r#"<Default Extension="xml" ContentType="application/xml"/>"#);
    let mut part = |name: &str, kind: &str| {
        let _ =
            write!(xml, r#"<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-{kind}+xml"/>"#);
    };
    part("docProps/app.xml", "officedocument.extended-properties");
    part("docProps/core.xml", "package.core-properties");
    part("xl/workbook.xml", "officedocument.spreadsheetml.sheet.main");
    part("xl/styles.xml", "officedocument.spreadsheetml.styles");
    for number in 1..=sheets {
        part(&format!("xl/worksheets/sheet{number}.xml"), "officedocument.spreadsheetml.worksheet");
    }
    xml.push_str("</Types>");
    xml
}

/// `xl/workbook.xml`: the sheets in order, the hidden ones hidden, opening at `active`.
pub(super) fn workbook(sheets: &[SheetWriter], active: usize) -> String {
    let mut xml = String::from(DECLARATION);
    let _ = write!(xml, r#"<workbook xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS_NS}">"#);
    let _ = write!(xml, r#"<bookViews><workbookView activeTab="{active}"/></bookViews><sheets>"#);
    for (index, sheet) in sheets.iter().enumerate() {
        let number = index + 1;
        let state = if sheet.hidden { r#" state="hidden""# } else { "" };
        let _ = write!(xml, r#"<sheet name="{}" sheetId="{number}"{state} r:id="rId{number}"/>"#, escape(&sheet.name));
    }
    xml.push_str("</sheets></workbook>");
    xml
}

/// `xl/_rels/workbook.xml.rels`: the worksheets as `rId1` to `rIdN`, then the styles.
pub(super) fn workbook_rels(sheets: usize) -> String {
    let mut xml = String::from(DECLARATION);
    xml.push_str(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    let kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    for number in 1..=sheets {
        let _ = write!(
            xml,
            r#"<Relationship Id="rId{number}" Type="{kind}/worksheet" Target="worksheets/sheet{number}.xml"/>"#
        );
    }
    let _ = write!(xml, r#"<Relationship Id="rId{}" Type="{kind}/styles" Target="styles.xml"/>"#, sheets + 1);
    xml.push_str("</Relationships>");
    xml
}

/// The cells a sheet's file holds: every cell with a value or a format.
fn written(sheet: &SheetWriter) -> impl Iterator<Item = (&(u32, u32), &Cell)> {
    sheet.cells.iter().filter(|(_, cell)| cell.value != Value::Blank || cell.format != 0)
}

/// `xl/worksheets/sheetN.xml`, its elements in the schema's order: dimension, sheetViews,
/// sheetFormatPr, cols, sheetData, mergeCells, dataValidations, pageMargins.
pub(super) fn worksheet(sheet: &SheetWriter, active: bool) -> String {
    let mut xml = String::with_capacity(1024 + sheet.cells.len() * 48);
    xml.push_str(DECLARATION);
    let _ = write!(xml, r#"<worksheet xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS_NS}">"#);
    let _ = write!(xml, r#"<dimension ref="{}"/>"#, dimension(sheet));
    let selected = if active { r#" tabSelected="1""# } else { "" };
    let _ = write!(xml, r#"<sheetViews><sheetView{selected} workbookViewId="0""#);
    if sheet.frozen_top_row {
        xml.push_str(r#"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#);
        xml.push_str(r#"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>"#);
    } else {
        xml.push_str("/>");
    }
    xml.push_str(r#"</sheetViews><sheetFormatPr defaultRowHeight="15"/>"#);
    if !sheet.widths.is_empty() {
        xml.push_str("<cols>");
        for (col, width) in &sheet.widths {
            let _ = write!(xml, r#"<col min="{0}" max="{0}" width="{width}" customWidth="1"/>"#, col + 1);
        }
        xml.push_str("</cols>");
    }
    xml.push_str("<sheetData>");
    let mut open_row = None;
    for (&(row, col), cell) in written(sheet) {
        if open_row != Some(row) {
            if open_row.is_some() {
                xml.push_str("</row>");
            }
            let _ = write!(xml, r#"<row r="{}">"#, row + 1);
            open_row = Some(row);
        }
        write_cell(&mut xml, row, col, cell);
    }
    if open_row.is_some() {
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData>");
    if !sheet.merges.is_empty() {
        let _ = write!(xml, r#"<mergeCells count="{}">"#, sheet.merges.len());
        for merge in &sheet.merges {
            let _ = write!(xml, r#"<mergeCell ref="{}"/>"#, a1_range(merge));
        }
        xml.push_str("</mergeCells>");
    }
    if !sheet.validations.is_empty() {
        let _ = write!(xml, r#"<dataValidations count="{}">"#, sheet.validations.len());
        for rule in &sheet.validations {
            let _ = write!(
                xml,
                r#"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="{}"><formula1>{}</formula1></dataValidation>"#,
                rule.sqref,
                escape(&rule.formula)
            );
        }
        xml.push_str("</dataValidations>");
    }
    xml.push_str(r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#);
    xml.push_str("</worksheet>");
    xml
}

/// The range the written cells span, or `A1` for a sheet without any.
fn dimension(sheet: &SheetWriter) -> String {
    let mut cells = written(sheet).map(|(at, _)| *at);
    let Some((first_row, col)) = cells.next() else { return "A1".to_owned() };
    let (mut last_row, mut first_col, mut last_col) = (first_row, col, col);
    for (row, col) in cells {
        last_row = row;
        first_col = first_col.min(col);
        last_col = last_col.max(col);
    }
    a1_range(&crate::import::grid::Rect { first_row, first_col, last_row, last_col })
}

fn write_cell(xml: &mut String, row: u32, col: u32, cell: &Cell) {
    let _ = write!(xml, r#"<c r="{}""#, a1(row, col));
    if cell.format != 0 {
        let _ = write!(xml, r#" s="{}""#, cell.format);
    }
    let _ = match &cell.value {
        Value::Blank => write!(xml, "/>"),
        Value::Text(text) => write!(
            xml,
            r#" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
            escape(escape_excel_escapes(text))
        ),
        Value::Number(number) => write!(xml, "><v>{}</v></c>", number_text(*number)),
        Value::Bool(value) => write!(xml, r#" t="b"><v>{}</v></c>"#, u8::from(*value)),
    };
}

/// A finite number as its shortest text that reads back as the same number: plain digits for
/// the magnitudes a sheet usually holds, and an exponent for the very large and very small.
pub(super) fn number_text(number: f64) -> String {
    let magnitude = number.abs();
    if magnitude == 0.0 {
        "0".to_owned()
    } else if (1e-5..1e15).contains(&magnitude) {
        number.to_string()
    } else {
        format!("{number:E}")
    }
}

/// Excel reads `_xHHHH_` in a string as the character of that code, so a literal one keeps
/// its text by having its underscore written as `_x005F_`.
pub(super) fn escape_excel_escapes(text: &str) -> Cow<'_, str> {
    if !text.contains("_x") {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 12);
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        let (before, from) = rest.split_at(at);
        escaped.push_str(before);
        let code = from.as_bytes().get(2..7);
        if code.is_some_and(|c| c[..4].iter().all(u8::is_ascii_hexdigit) && c[4] == b'_') {
            escaped.push_str("_x005F");
        }
        escaped.push('_');
        rest = &from[1..];
    }
    escaped.push_str(rest);
    Cow::Owned(escaped)
}

/// Zips the parts in order, deflated and dated 1980-01-01, so that the bytes depend on the
/// parts alone.
pub(super) fn zip_files(files: &[(String, String)]) -> Result<Vec<u8>, WorkbookError> {
    let zip_error = |e: zip::result::ZipError| WorkbookError::Zip(e.to_string());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, text) in files {
        writer.start_file(name.as_str(), options).map_err(zip_error)?;
        writer.write_all(text.as_bytes()).map_err(|e| WorkbookError::Zip(e.to_string()))?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}
