//! Fill-back tests on hand-written document XML: what each kind of answer place becomes,
//! and that nothing else moves.

use super::*;

fn document(body: &str) -> String {
    format!(r#"<w:document xmlns:w="w" xmlns:w14="w14"><w:body>{body}<w:sectPr/></w:body></w:document>"#)
}

fn cells(writes: &[(&str, u32, u32, &str)]) -> DocxWrites {
    let mut out = DocxWrites::default();
    for (sheet, row, col, text) in writes {
        out.cells.entry((*sheet).to_owned()).or_default().insert((*row, *col), (*text).to_owned());
    }
    out
}

fn fill(body: &str, writes: &DocxWrites) -> String {
    let xml = document(body);
    let filled = fill_document_xml(&xml, &Styles::default(), writes).unwrap();
    let inner = filled.strip_prefix(r#"<w:document xmlns:w="w" xmlns:w14="w14"><w:body>"#).unwrap();
    inner.strip_suffix("<w:sectPr/></w:body></w:document>").unwrap().to_owned()
}

const RUN: &str = r#"<w:r><w:t xml:space="preserve">"#;

#[test]
fn nothing_to_write_changes_nothing() {
    let xml = document(r#"<w:p><w:r><w:t>1. Do you?</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"#);
    assert_eq!(fill_document_xml(&xml, &Styles::default(), &DocxWrites::default()).unwrap(), xml);
}

#[test]
fn table_cells_are_replaced_keeping_their_properties() {
    let table = r#"<w:tbl><w:tr><w:tc><w:tcPr><w:shd w:fill="EEEEEE"/></w:tcPr><w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>old</w:t></w:r></w:p><w:p><w:r><w:t>more</w:t></w:r></w:p></w:tc><w:tc/><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#;
    let writes = cells(&[
        ("Table 1", 0, 0, "new\nlines & <tags>"),
        ("Table 1", 0, 1, "into an empty cell"),
        ("Table 1", 0, 3, "inside a span: not written"),
        ("Table 1", 1, 1, "continued merge: not written"),
        ("Table 1", 1, 7, "no such cell"),
        ("Table 2", 0, 0, "no such table"),
    ]);
    let expected = format!(
        r#"<w:tbl><w:tr><w:tc><w:tcPr><w:shd w:fill="EEEEEE"/></w:tcPr><w:p><w:pPr><w:jc w:val="right"/></w:pPr>{RUN}new</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="right"/></w:pPr>{RUN}lines &amp; &lt;tags&gt;</w:t></w:r></w:p></w:tc><w:tc><w:p>{RUN}into an empty cell</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#
    );
    assert_eq!(fill(table, &writes), expected);
}

#[test]
fn controls_in_cells_keep_their_place_unless_bound() {
    let dropdown = r#"<w:sdt><w:sdtPr><w:showingPlcHdr/><w:dropDownList><w:listItem w:displayText="Yes" w:value="Yes"/></w:dropDownList></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>Choose an item.</w:t></w:r></w:sdtContent></w:sdt>"#;
    let block = r#"<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t>old</w:t></w:r></w:p></w:sdtContent></w:sdt>"#;
    let bound = r#"<w:sdt><w:sdtPr><w:dataBinding w:xpath="/a"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>bound</w:t></w:r></w:p></w:sdtContent></w:sdt>"#;
    let body = format!(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Pick: </w:t></w:r>{dropdown}</w:p></w:tc><w:tc>{block}</w:tc><w:tc>{bound}</w:tc></w:tr></w:tbl>"
    );
    let filled =
        fill(&body, &cells(&[("Table 1", 0, 0, "Yes"), ("Table 1", 0, 1, "two\nlines"), ("Table 1", 0, 2, "free")]));
    let expected_dropdown = format!(
        r#"<w:tc><w:p><w:r><w:t>Pick: </w:t></w:r><w:sdt><w:sdtPr><w:dropDownList><w:listItem w:displayText="Yes" w:value="Yes"/></w:dropDownList></w:sdtPr><w:sdtContent>{RUN}Yes</w:t></w:r></w:sdtContent></w:sdt></w:p></w:tc>"#
    );
    let expected_block = format!(
        r#"<w:tc><w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:p><w:pPr><w:jc w:val="left"/></w:pPr>{RUN}two</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="left"/></w:pPr>{RUN}lines</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc>"#
    );
    let expected_bound = format!("<w:tc><w:p>{RUN}free</w:t></w:r></w:p></w:tc>");
    assert_eq!(filled, format!("<w:tbl><w:tr>{expected_dropdown}{expected_block}{expected_bound}</w:tr></w:tbl>"));
}

#[test]
fn check_boxes_are_ticked_by_label_or_replaced_by_text() {
    let check_box = |state: &str| {
        format!(
            r#"<w:sdt><w:sdtPr><w14:checkbox>{state}<w14:checkedState w14:val="2612"/><w14:uncheckedState w14:val="2610"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt>"#
        )
    };
    let boxes = format!(
        r#"<w:p>{}<w:r><w:t xml:space="preserve"> Yes </w:t></w:r>{}<w:r><w:t xml:space="preserve"> No</w:t></w:r></w:p>"#,
        check_box(r#"<w14:checked w14:val="1"/>"#),
        check_box("")
    );
    let body = format!("<w:tbl><w:tr><w:tc>{boxes}</w:tc><w:tc>{boxes}</w:tc></w:tr></w:tbl>");
    let filled = fill(&body, &cells(&[("Table 1", 0, 0, "no"), ("Table 1", 0, 1, "Partly")]));
    let ticked = r#"<w:tc><w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/><w14:checkedState w14:val="2612"/><w14:uncheckedState w14:val="2610"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> Yes </w:t></w:r><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/><w14:checkedState w14:val="2612"/><w14:uncheckedState w14:val="2610"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> No</w:t></w:r></w:p></w:tc>"#;
    let replaced = format!("<w:tc><w:p>{RUN}Partly</w:t></w:r></w:p></w:tc>");
    assert_eq!(filled, format!("<w:tbl><w:tr>{ticked}{replaced}</w:tr></w:tbl>"));
}

#[test]
fn paragraph_answers_fill_their_paragraph_or_follow_the_question() {
    let body = [
        "<w:p><w:r><w:t>1. Do you encrypt data?</w:t></w:r></w:p>",
        "<w:p/>",
        "<w:p><w:r><w:t>2. Do you back up data?</w:t></w:r></w:p>",
        r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr><w:r><w:t>Response: old</w:t></w:r></w:p>"#,
        "<w:p><w:r><w:t>3. Describe your network.</w:t></w:r></w:p>",
        "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
        "<w:p><w:r><w:t>4. Describe your office.</w:t></w:r></w:p>",
    ]
    .concat();
    let mut writes = DocxWrites::default();
    for (index, text) in [(0, "Yes.\tAES"), (1, "Daily"), (2, "Flat & simple"), (3, "Small"), (9, "no such question")] {
        writes.paragraphs.insert(index, text.to_owned());
    }
    let expected = [
        "<w:p><w:r><w:t>1. Do you encrypt data?</w:t></w:r></w:p>",
        &format!(r#"<w:p>{RUN}Answer: Yes.</w:t><w:tab/><w:t xml:space="preserve">AES</w:t></w:r></w:p>"#),
        "<w:p><w:r><w:t>2. Do you back up data?</w:t></w:r></w:p>",
        &format!(r#"<w:p><w:pPr><w:ind w:left="720"/></w:pPr>{RUN}Response: Daily</w:t></w:r></w:p>"#),
        "<w:p><w:r><w:t>3. Describe your network.</w:t></w:r></w:p>",
        &format!("<w:p>{RUN}Answer: Flat &amp; simple</w:t></w:r></w:p>"),
        "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
        "<w:p><w:r><w:t>4. Describe your office.</w:t></w:r></w:p>",
        &format!("<w:p>{RUN}Answer: Small</w:t></w:r></w:p>"),
    ]
    .concat();
    assert_eq!(fill(&body, &writes), expected);
}

#[test]
fn another_namespace_prefix_is_kept() {
    let xml =
        r#"<x:document xmlns:x="w"><x:body><x:tbl><x:tr><x:tc><x:p/></x:tc></x:tr></x:tbl></x:body></x:document>"#;
    let filled = fill_document_xml(xml, &Styles::default(), &cells(&[("Table 1", 0, 0, "a\nb")])).unwrap();
    assert!(filled.contains(r#"<x:tc><x:p><x:r><x:t xml:space="preserve">a</x:t></x:r></x:p><x:p><x:r>"#), "{filled}");
}

#[test]
fn a_damaged_document_is_not_filled() {
    let xml = document("<w:p><w:r><w:t>broken</w:r></w:p>");
    assert!(matches!(fill_document_xml(&xml, &Styles::default(), &cells(&[])), Err(ExportError::Source(_))));
    assert!(matches!(fill_document(b"not a zip", &DocxWrites::default()), Err(ExportError::Source(_))));
}

#[test]
fn a_cell_inside_a_paragraph_neither_ends_nor_starts_a_cell() {
    // Damaged, but well-formed: a placeholder whose paragraphs nest, with a cell inside them
    // (found by the property test in tests/never_panics.rs). It used to end the real cell, so
    // that the answer replaced half the control and left the rest dangling; now the control
    // takes the answer as its content, no longer a placeholder.
    let table = r#"<w:tbl><w:tr><w:tc><w:p/></w:tc><w:tc><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:p><w:tc/></w:p></w:p></w:sdtContent></w:sdt></w:tc></w:tr></w:tbl>"#;
    let expected = format!(
        r#"<w:tbl><w:tr><w:tc><w:p/></w:tc><w:tc><w:sdt><w:sdtPr></w:sdtPr><w:sdtContent><w:p>{RUN}Yes</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc></w:tr></w:tbl>"#
    );
    assert_eq!(fill(table, &cells(&[("Table 1", 0, 1, "Yes")])), expected);
}
