//! Tests of the body walker on hand-written document XML.

use super::walk::MAX_SPAN;
use super::*;

fn body(inner: &str) -> (String, Body) {
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="w" xmlns:w14="w14"><w:body>{inner}<w:sectPr/></w:body></w:document>"#
    );
    let body = read_body(&xml);
    (xml, body)
}

fn tables(body: &Body) -> Vec<&Table> {
    body.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect()
}

fn paragraphs(body: &Body) -> Vec<&Paragraph> {
    body.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
        .collect()
}

/// Each row's cells as (first column, span, continued, text).
fn layout(table: &Table) -> Vec<Vec<(u32, u32, bool, String)>> {
    table.rows.iter().map(|r| r.cells.iter().map(|c| (c.col, c.span, c.continued, c.text())).collect()).collect()
}

#[test]
fn spans_merges_and_skipped_columns_place_cells_on_the_grid() {
    let (_, body) = body(
        r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>Title</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
        <w:tr><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>hidden</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="999999"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#,
    );
    let tables = tables(&body);
    assert_eq!(tables.len(), 1);
    assert_eq!(
        layout(tables[0]),
        vec![
            vec![(0, 3, false, "Title".to_owned())],
            vec![(1, 1, false, "a".to_owned()), (2, 1, false, String::new())],
            vec![(0, 1, false, String::new()), (1, 1, true, "hidden".to_owned()), (2, MAX_SPAN, false, String::new())],
        ]
    );
}

#[test]
fn cell_text_joins_paragraphs_and_reads_nested_tables() {
    let (_, body) = body(
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t xml:space="preserve">Line </w:t></w:r><w:r><w:t>one</w:t><w:tab/><w:t>A &amp; B</w:t></w:r></w:p>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>
        <w:p><w:r><w:t>After</w:t></w:r></w:p>"#,
    );
    let tables = tables(&body);
    assert_eq!(tables.len(), 1, "the nested table is not a table of the body");
    assert_eq!(tables[0].nested_tables, 1);
    let cell = &tables[0].rows[0].cells[0];
    assert_eq!(cell.paragraphs, ["Line one\tA & B", "inner", "cell", ""]);
    assert_eq!(tables[0].rows[0].cells.len(), 1, "the nested cells are not cells of the outer row");
    assert_eq!(paragraphs(&body)[0].text, "After");
}

#[test]
fn text_outside_the_visible_body_is_skipped() {
    let (_, body) = body(
        r#"<w:p><w:pPr><w:pStyle w:val="Normal"/><w:pPrChange><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange></w:pPr>
        <w:r><w:t>Kept</w:t></w:r><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom>
        <w:r><w:instrText>PAGE</w:instrText></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><a:t>shape</a:t><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
        <mc:Fallback><w:pict><w:r><w:t>fallback</w:t></w:r></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:br/><w:t>end</w:t></w:r></w:p>"#,
    );
    let paragraphs = paragraphs(&body);
    assert_eq!(paragraphs.len(), 1);
    assert_eq!(paragraphs[0].text, "Kept\nend");
    assert_eq!(paragraphs[0].style.as_deref(), Some("Normal"), "the old style of a tracked change is not read");
}

#[test]
fn paragraph_properties_and_spans_are_found() {
    let (xml, body) = body(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>Text</w:t></w:r></w:p><w:p/><w:p><w:pPr/></w:p>"#,
    );
    let p = paragraphs(&body);
    assert_eq!((p[0].style.as_deref(), p[0].numbering, p[0].outline_level), (Some("Heading2"), Some((7, 1)), Some(3)));
    assert_eq!(&xml[p[0].slot.content.clone()], "<w:r><w:t>Text</w:t></w:r>");
    assert!(xml[p[0].slot.paragraph_properties.clone().unwrap()].starts_with("<w:pPr><w:pStyle"));
    assert!(xml[p[0].span.clone()].starts_with("<w:p><w:pPr>") && xml[p[0].span.clone()].ends_with("</w:p>"));
    assert!(p[1].slot.self_closing && &xml[p[1].slot.content.clone()] == "<w:p/>");
    assert!(!p[2].slot.self_closing && p[2].slot.content.is_empty());
    assert_eq!(&xml[p[2].slot.paragraph_properties.clone().unwrap()], "<w:pPr/>");
}

#[test]
fn cell_spans_keep_the_cell_and_first_paragraph_properties_out() {
    let (xml, body) = body(
        r#"<w:tbl><w:tr><w:tc><w:tcPr><w:tcW w:w="1"/></w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>x</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="left"/></w:pPr></w:p></w:tc><w:tc/><w:tc><w:p/></w:tc></w:tr></w:tbl>"#,
    );
    let cells = &tables(&body)[0].rows[0].cells;
    assert!(xml[cells[0].slot.content.clone()].starts_with("<w:p><w:pPr><w:jc w:val=\"center\"/>"));
    assert!(xml[cells[0].slot.content.clone()].ends_with("</w:p>"));
    assert_eq!(&xml[cells[0].slot.paragraph_properties.clone().unwrap()], r#"<w:pPr><w:jc w:val="center"/></w:pPr>"#);
    assert!(cells[1].slot.self_closing && &xml[cells[1].slot.content.clone()] == "<w:tc/>");
    assert_eq!((cells[1].col, cells[2].col), (1, 2));
    assert_eq!(&xml[cells[2].slot.content.clone()], "<w:p/>");
}

#[test]
fn dropdowns_leave_out_the_prompt_and_placeholder_text() {
    let (xml, body) = body(
        r#"<w:tbl><w:tr><w:tc><w:p><w:sdt><w:sdtPr><w:showingPlcHdr/><w:dropDownList><w:listItem w:displayText="Choose an item." w:value=""/>
        <w:listItem w:displayText="Yes" w:value="1"/><w:listItem w:value="No"/><w:listItem w:displayText="N/A" w:value="N/A"/></w:dropDownList></w:sdtPr>
        <w:sdtContent><w:r><w:t>Choose an item.</w:t></w:r></w:sdtContent></w:sdt></w:p></w:tc>
        <w:tc><w:sdt><w:sdtPr><w:comboBox><w:listItem w:displayText="High"/></w:comboBox><w:dataBinding w:xpath="/x"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>High</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc></w:tr></w:tbl>"#,
    );
    let cells = &tables(&body)[0].rows[0].cells;
    assert_eq!(cells[0].text(), "", "placeholder text is not an answer");
    assert_eq!(cells[0].controls.len(), 1);
    let control = &cells[0].controls[0];
    assert_eq!(control.kind, ControlKind::List(vec!["Yes".into(), "No".into(), "N/A".into()]));
    assert_eq!((control.level, control.bound), (ControlLevel::Run, false));
    assert_eq!(&xml[control.content.clone()], "<w:r><w:t>Choose an item.</w:t></w:r>");
    assert_eq!(cells[0].placeholders.len(), 1);
    assert_eq!(&xml[cells[0].placeholders[0].clone()], "<w:showingPlcHdr/>");
    assert_eq!(cells[1].text(), "High");
    assert_eq!((cells[1].controls[0].level, cells[1].controls[0].bound), (ControlLevel::Block, true));
}

#[test]
fn check_boxes_are_named_by_the_text_beside_them() {
    let check_box = |checked: &str| {
        format!(
            r#"<w:sdt><w:sdtPr><w14:checkbox>{checked}<w14:checkedState w14:val="2611"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>&#x2610;</w:t></w:r></w:sdtContent></w:sdt>"#
        )
    };
    let after = format!(
        "{}<w:r><w:t xml:space=\"preserve\"> Yes </w:t></w:r>{}<w:r><w:t xml:space=\"preserve\"> No</w:t></w:r>",
        check_box(r#"<w14:checked w14:val="1"/>"#),
        check_box("")
    );
    let before = format!("<w:r><w:t>Yes</w:t></w:r>{}<w:r><w:t>No</w:t></w:r>{}", check_box(""), check_box(""));
    let (xml, body) = body(&format!("<w:p>{after}</w:p><w:tbl><w:tr><w:tc><w:p>{before}</w:p></w:tc></w:tr></w:tbl>"));
    let boxes = |controls: &[Control]| -> Vec<(String, bool, bool)> {
        controls
            .iter()
            .filter_map(|c| match &c.kind {
                ControlKind::CheckBox(b) => Some((b.label.clone(), b.checked, b.state.is_some())),
                _ => None,
            })
            .collect()
    };
    let paragraph = paragraphs(&body)[0];
    assert_eq!(boxes(&paragraph.controls), [("Yes".into(), true, true), ("No".into(), false, false)]);
    assert_eq!(paragraph.text, " Yes  No", "the glyphs are not text");
    let ControlKind::CheckBox(first) = &paragraph.controls[0].kind else { panic!() };
    assert_eq!(&xml[first.glyph.clone().unwrap()], "&#x2610;");
    assert_eq!(&xml[first.state.clone().unwrap()], r#"<w14:checked w14:val="1"/>"#);
    assert_eq!((first.checked_glyph, first.unchecked_glyph, first.prefix.as_str()), ('\u{2611}', '\u{2610}', "w14:"));
    let cell = &tables(&body)[0].rows[0].cells[0];
    assert_eq!(boxes(&cell.controls), [("Yes".into(), false, false), ("No".into(), false, false)]);
}

#[test]
fn a_control_around_a_cell_belongs_to_that_cell() {
    let (_, body) = body(
        r#"<w:tbl><w:tr><w:tc><w:p/></w:tc><w:sdt><w:sdtPr><w:showingPlcHdr/><w:dropDownList><w:listItem w:displayText="A"/></w:dropDownList></w:sdtPr><w:sdtContent><w:tc><w:p><w:r><w:t>prompt</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>"#,
    );
    let cells = &tables(&body)[0].rows[0].cells;
    assert_eq!(cells.len(), 2);
    assert_eq!((cells[1].col, cells[1].text().as_str()), (1, ""));
    assert_eq!(cells[1].controls[0].level, ControlLevel::Cell);
    assert_eq!(cells[1].placeholders.len(), 1);
}

#[test]
fn damage_keeps_what_came_before() {
    let (_, body) = body("<w:p><w:r><w:t>One</w:t></w:r></w:p><w:p><w:r><w:t>Two</w:r></w:p><w:p/>");
    assert_eq!(paragraphs(&body).len(), 1);
    assert!(body.damaged_at.is_some());
    let empty = read_body("not xml at all <<<");
    assert!(empty.blocks.is_empty());
    assert_eq!(read_body("<w:document><w:body/></w:document>").blocks.len(), 0);
}
