//! Builds small, valid Word documents for the tests: the parts Word and LibreOffice need
//! (`[Content_Types].xml`, `_rels/.rels`, `word/document.xml`) and, optionally, styles and
//! numbering, plus the sample questionnaire several test files share. `answers` answers a
//! questionnaire the same way every time and checks what export gives back; `libreoffice`
//! converts files with LibreOffice.
//!
//! Each test binary uses part of this module, so unused items are allowed here.
#![allow(dead_code)]

pub mod answers;
pub mod libreoffice;

use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;

/// Paragraph styles: Normal, Title and two headings, as Word names them.
pub const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="48"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style></w:styles>"#;

/// One list, numbered "Q1.", "Q2.", and so on.
pub const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Q%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;

/// A Word document to build.
pub struct Docx {
    pub body: String,
    pub styles: bool,
    pub numbering: bool,
}

impl Docx {
    /// A document with this body XML, its styles and its numbering.
    pub fn new(body: impl Into<String>) -> Self {
        Self { body: body.into(), styles: true, numbering: true }
    }

    /// The bytes of the docx file.
    pub fn build(&self) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut parts = vec![
            ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
            ("_rels/.rels", PACKAGE_RELS.to_owned()),
            ("word/document.xml", document_xml(&self.body)),
        ];
        if self.styles || self.numbering {
            parts.push(("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()));
        }
        if self.styles {
            parts.push(("word/styles.xml", STYLES.to_owned()));
        }
        if self.numbering {
            parts.push(("word/numbering.xml", NUMBERING.to_owned()));
        }
        for (name, text) in parts {
            writer.start_file(name, options).unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }
}

/// `word/document.xml` around a body, declaring the namespaces Word uses for it.
pub fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" mc:Ignorable="w14"><w:body>{body}<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A run of text.
pub fn run(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, escape(text))
}

/// A Normal paragraph; an empty one is written self-closing, as Word often does.
pub fn para(text: &str) -> String {
    if text.is_empty() {
        "<w:p/>".to_owned()
    } else {
        format!("<w:p>{}</w:p>", run(text))
    }
}

/// A paragraph of a style, such as `Heading1`.
pub fn styled(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{}</w:p>"#, run(text))
}

/// A paragraph of list 1 ("Q1.", "Q2.", ...).
pub fn numbered(text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{}</w:p>"#, run(text))
}

/// A dropdown content control inside a paragraph, showing Word's prompt until a choice is made.
pub fn dropdown(items: &[&str], selected: Option<&str>) -> String {
    let list: String = items.iter().map(|i| format!(r#"<w:listItem w:displayText="{i}" w:value="{i}"/>"#)).collect();
    let (marker, content) = match selected {
        Some(choice) => (String::new(), run(choice)),
        None => (
            "<w:showingPlcHdr/>".to_owned(),
            r#"<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Choose an item.</w:t></w:r>"#.to_owned(),
        ),
    };
    format!(
        r#"<w:sdt><w:sdtPr><w:alias w:val="Answer"/><w:id w:val="100"/>{marker}<w:dropDownList><w:listItem w:displayText="Choose an item." w:value=""/>{list}</w:dropDownList></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"#
    )
}

/// A Word 2010 check box content control.
pub fn check_box(checked: bool) -> String {
    let (value, glyph) = if checked { (1, '\u{2612}') } else { (0, '\u{2610}') };
    format!(
        r#"<w:sdt><w:sdtPr><w:id w:val="200"/><w14:checkbox><w14:checked w14:val="{value}"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/></w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"#
    )
}

/// A table cell holding paragraphs (or other block XML), with its width and extra properties.
pub fn cell_with(properties: &str, content: &str) -> String {
    let content = if content.is_empty() { "<w:p/>" } else { content };
    format!(r#"<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{properties}</w:tcPr>{content}</w:tc>"#)
}

/// A table cell of one paragraph of text.
pub fn cell(text: &str) -> String {
    cell_with("", &para(text))
}

/// A row of cells.
pub fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// A row of plain text cells.
pub fn text_row(texts: &[&str]) -> String {
    row(&texts.iter().map(|t| cell(t)).collect::<Vec<_>>())
}

/// A row with one cell spanning `columns` columns: a section title.
pub fn section_row(columns: u32, title: &str) -> String {
    row(&[cell_with(&format!(r#"<w:gridSpan w:val="{columns}"/>"#), &para(title))])
}

/// A table of `columns` grid columns.
pub fn table(columns: u32, rows: &[String]) -> String {
    let grid: String = (0..columns).map(|_| r#"<w:gridCol w:w="2000"/>"#).collect();
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>"#,
        rows.concat()
    )
}

/// The sample questionnaire: a title and instructions, two tables (a header row, section rows
/// merged across the table, a dropdown, check boxes, a vertical merge, a nested table) and
/// numbered paragraphs under headings, with answer paragraphs of every kind.
pub fn sample_body() -> String {
    let header = text_row(&["ID", "Question", "Response", "Comments"]);
    let table_1 = table(
        4,
        &[
            header.clone(),
            section_row(4, "Identity and Access"),
            row(&[
                cell("AC-01"),
                cell("Do you enforce multi-factor authentication for all remote access?"),
                cell_with(
                    "",
                    &format!(
                        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}</w:p>"#,
                        dropdown(&["Yes", "No", "N/A"], None)
                    ),
                ),
                cell(""),
            ]),
            text_row(&["AC-02", "Describe how user access rights are reviewed.", "", ""]),
            text_row(&["AC-03", "Are passwords stored using a salted hash?", "Yes", "bcrypt, cost 12"]),
            section_row(4, "Logging"),
            row(&[
                cell("LG-01"),
                cell("Do you retain security logs for at least one year?"),
                cell_with("", &format!("<w:p>{}</w:p>", dropdown(&["Yes", "No", "N/A"], Some("No")))),
                cell(""),
            ]),
        ],
    );
    let nested = format!("{}{}<w:p/>", para("Key sizes:"), table(2, &[text_row(&["AES", "256"])]));
    let boxes = format!("<w:p>{}{}{}{}</w:p>", check_box(false), run(" Yes  "), check_box(false), run(" No"));
    let table_2 = table(
        4,
        &[
            header,
            row(&[
                cell("DP-01"),
                cell("Is customer data encrypted at rest?"),
                cell(""),
                cell_with(r#"<w:vMerge w:val="restart"/>"#, &para("See policy DP-7.")),
            ]),
            row(&[
                cell("DP-02"),
                cell("Is customer data encrypted in transit?"),
                cell_with("", &boxes),
                cell_with("<w:vMerge/>", ""),
            ]),
            row(&[cell("DP-03"), cell("Which algorithms protect stored data?"), cell(""), cell_with("", &nested)]),
        ],
    );
    [
        styled("Title", "Vendor Security Questionnaire"),
        para("Please answer every question below and return the document."),
        styled("Heading1", "Access Control"),
        table_1,
        styled("Heading1", "Data Protection"),
        table_2,
        styled("Heading1", "Incident Response"),
        numbered("Do you have a documented incident response plan?"),
        para(""),
        numbered("Describe your incident escalation process."),
        para("Answer: Escalation goes to the CISO within one hour."),
        para("3.1 How often do you test your incident response plan?"),
        styled("Heading2", "Business Continuity"),
        para("Q4. Do you maintain a business continuity plan?"),
        format!("<w:p>{}{}</w:p>", run("Response: "), dropdown(&["Yes", "No"], None)),
        para("Thank you for completing this questionnaire."),
    ]
    .concat()
}

/// The sample questionnaire as a docx file.
pub fn sample_docx() -> Vec<u8> {
    Docx::new(sample_body()).build()
}
