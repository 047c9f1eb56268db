//! Fill-back tests: cells replaced in place, inserted in order, everything else untouched.

use super::*;

fn writes(cells: &[((u32, u32), &str)]) -> BTreeMap<(u32, u32), String> {
    cells.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

#[test]
fn existing_cells_keep_their_style_and_missing_ones_are_inserted_in_order() {
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="7"/></row><row r="3"><c r="A3"><v>1</v></c></row></sheetData></worksheet>"#;
    let out = fill_sheet_xml(
        xml,
        &writes(&[((0, 2), "Yes"), ((0, 1), "B & <b>"), ((1, 0), "new row"), ((2, 3), "=1+1"), ((5, 0), "last")]),
    );
    assert!(out.contains(r#"<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">B &amp; &lt;b&gt;</t></is></c><c r="C1" s="7" t="inlineStr">"#), "{out}");
    assert!(out.contains(r#"</row><row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">new row</t></is></c></row><row r="3">"#), "{out}");
    assert!(out.contains(r#"<c r="D3" t="inlineStr"><is><t xml:space="preserve">=1+1</t></is></c></row>"#), "{out}");
    assert!(
        out.contains(
            r#"<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve">last</t></is></c></row></sheetData>"#
        ),
        "{out}"
    );
}

#[test]
fn formula_cells_are_never_overwritten() {
    let xml =
        r#"<worksheet><sheetData><row r="1"><c r="A1"><f>SUM(B1:B2)</f><v>3</v></c></row></sheetData></worksheet>"#;
    assert_eq!(fill_sheet_xml(xml, &writes(&[((0, 0), "Yes")])), xml);
}

#[test]
fn an_empty_sheet_gets_rows() {
    let out = fill_sheet_xml("<worksheet><sheetData/></worksheet>", &writes(&[((1, 1), "x")]));
    assert_eq!(
        out,
        r#"<worksheet><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t xml:space="preserve">x</t></is></c></row></sheetData></worksheet>"#
    );
}
