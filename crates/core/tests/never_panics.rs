//! Import never panics, whatever the bytes: property tests over random input and over real
//! fixtures damaged at random places (the bounded, in-CI cousin of the fuzz targets).
//! Word documents with random but well-formed bodies always import, and filling them in
//! keeps them well-formed.

mod common;

use proptest::prelude::*;
use trustfill_core::{import_questionnaire, ReviewAction, ReviewSession};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../../shared/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A small xlsx built from the CISA questions, so that damaged copies are quick to parse.
fn small_xlsx() -> Vec<u8> {
    let csv = fixture("cisa/ict-scrm-vendor-template.csv");
    let questionnaire = import_questionnaire(&csv, "cisa.csv").unwrap();
    let mut writes = std::collections::BTreeMap::new();
    let cells: std::collections::BTreeMap<(u32, u32), String> =
        questionnaire.questions.iter().take(40).map(|q| ((q.location.row, 2), q.text.clone())).collect();
    writes.insert("Sheet1".to_owned(), cells);
    // An empty one-sheet workbook made by hand, then filled through the exporter.
    let empty = include_bytes!("data/empty.xlsx");
    trustfill_core::export::xlsx::fill_workbook(empty, &writes).unwrap()
}

/// An element of random markup: a name, attributes and children, or text.
#[derive(Debug, Clone)]
enum Node {
    Text(&'static str),
    Element(&'static str, &'static str, Vec<Node>),
}

/// The elements the docx reader looks at, and some it must step over.
const NAMES: &[&str] = &[
    "w:p",
    "w:r",
    "w:t",
    "w:tab",
    "w:br",
    "w:pPr",
    "w:pStyle",
    "w:numPr",
    "w:numId",
    "w:tbl",
    "w:tr",
    "w:trPr",
    "w:gridBefore",
    "w:tc",
    "w:tcPr",
    "w:gridSpan",
    "w:vMerge",
    "w:sdt",
    "w:sdtPr",
    "w:sdtContent",
    "w:dropDownList",
    "w:listItem",
    "w:showingPlcHdr",
    "w:dataBinding",
    "w14:checkbox",
    "w14:checked",
    "w:txbxContent",
    "w:moveFrom",
];

const ATTRIBUTES: &[&str] = &[
    "",
    r#" w:val="2""#,
    r#" w:val="Heading1""#,
    r#" w:val="restart""#,
    r#" w:val="99999999999""#,
    r#" w:displayText="Yes" w:value="Yes""#,
    r#" w14:val="1""#,
];

/// Texts of runs: questions, answers, headers, ids, and text that needs escaping.
const TEXTS: &[&str] = &[
    "",
    " ",
    "1. Do you encrypt data at rest?",
    "Q2 Describe your backup process.",
    "Is there a security officer?",
    "Answer: yes",
    "Response:",
    "ID",
    "Question",
    "Response",
    "AC-01",
    "& <x> \u{2610}",
];

/// Table rows that make a table read as a questionnaire.
const ROWS: &[&[&str]] = &[
    &["ID", "Question", "Response", "Comments"],
    &["AC-01", "Do you encrypt data at rest?", "", ""],
    &["AC-02", "Describe your backup process.", "Yes", "Daily"],
    &["Section title"],
];

const PARAGRAPH_PROPERTIES: &[&str] = &[
    "",
    "",
    "<w:pPr/>",
    r#"<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>"#,
    r#"<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>"#,
];

const CELL_PROPERTIES: &[&str] = &[
    "",
    "",
    r#"<w:gridSpan w:val="2"/>"#,
    r#"<w:vMerge w:val="restart"/>"#,
    "<w:vMerge/>",
    r#"<w:gridSpan w:val="0"/>"#,
];

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        prop::sample::select(TEXTS).prop_map(Node::Text),
        (prop::sample::select(NAMES), prop::sample::select(ATTRIBUTES)).prop_map(|(n, a)| Node::Element(n, a, vec![])),
    ];
    leaf.prop_recursive(5, 48, 5, |inner| {
        (prop::sample::select(NAMES), prop::sample::select(ATTRIBUTES), prop::collection::vec(inner, 0..5))
            .prop_map(|(n, a, children)| Node::Element(n, a, children))
    })
}

fn render(node: &Node, out: &mut String) {
    match node {
        Node::Text(text) => out.push_str(&text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")),
        Node::Element(name, attributes, children) if children.is_empty() => {
            out.push_str(&format!("<{name}{attributes}/>"))
        }
        Node::Element(name, attributes, children) => {
            out.push_str(&format!("<{name}{attributes}>"));
            for child in children {
                render(child, out);
            }
            out.push_str(&format!("</{name}>"));
        }
    }
}

/// Content inside a paragraph: runs, breaks, content controls, links, text boxes and junk.
fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TEXTS).prop_map(common::run),
        1 => Just("<w:r><w:tab/><w:br/></w:r>".to_owned()),
        1 => prop::option::of(prop::sample::select(&["Yes", "No"][..])).prop_map(|s| common::dropdown(&["Yes", "No"], s)),
        1 => any::<bool>().prop_map(common::check_box),
        1 => prop::sample::select(TEXTS).prop_map(|t| format!("<w:hyperlink>{}</w:hyperlink>", common::run(t))),
        1 => prop::sample::select(TEXTS)
            .prop_map(|t| format!("<w:r><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></w:r>", common::para(t))),
        1 => node().prop_map(|n| { let mut out = String::new(); render(&n, &mut out); out }),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    (prop::sample::select(PARAGRAPH_PROPERTIES), prop::collection::vec(inline(), 0..4)).prop_map(
        |(properties, runs)| {
            if properties.is_empty() && runs.is_empty() {
                "<w:p/>".to_owned()
            } else {
                format!("<w:p>{properties}{}</w:p>", runs.concat())
            }
        },
    )
}

fn cell() -> impl Strategy<Value = String> {
    (prop::sample::select(CELL_PROPERTIES), prop::collection::vec(paragraph(), 0..3), 0u8..8).prop_map(
        |(properties, paragraphs, kind)| match kind {
            0 => "<w:tc/>".to_owned(),
            1 => common::cell_with(properties, &format!("{}<w:p/>", common::table(2, &[common::text_row(&["A", "B"])]))),
            2 => {
                let content = if paragraphs.is_empty() { "<w:p/>".to_owned() } else { paragraphs.concat() };
                format!("<w:tc><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt></w:tc>")
            }
            _ => common::cell_with(properties, &paragraphs.concat()),
        },
    )
}

fn table() -> impl Strategy<Value = String> {
    let row = prop_oneof![
        prop::collection::vec(cell(), 1..5).prop_map(|cells| common::row(&cells)),
        prop::sample::select(ROWS).prop_map(common::text_row),
    ];
    prop::collection::vec(row, 1..7).prop_map(|rows| common::table(4, &rows))
}

/// A random body: paragraphs, tables and junk markup, always well-formed.
fn body() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        3 => paragraph(),
        2 => table(),
        1 => node().prop_map(|n| { let mut out = String::new(); render(&n, &mut out); out }),
    ];
    prop::collection::vec(block, 0..10).prop_map(|blocks| blocks.concat())
}

fn well_formed(xml: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

fn document_xml(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut text).unwrap();
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), name in "[a-z]{1,8}\\.(csv|tsv|xlsx|xls|ods|json|docx)") {
        let _ = import_questionnaire(&bytes, &name);
    }

    #[test]
    fn damaged_workbooks_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = small_xlsx();
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let _ = import_questionnaire(&bytes, "damaged.xlsx");
    }

    #[test]
    fn truncated_workbooks_never_panic(cut in 0usize..20_000) {
        let bytes = small_xlsx();
        let _ = import_questionnaire(&bytes[..cut.min(bytes.len())], "truncated.xlsx");
    }

    #[test]
    fn damaged_csv_never_panics(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..32)) {
        let mut bytes = fixture("cisa/ict-scrm-vendor-template.csv");
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let _ = import_questionnaire(&bytes, "damaged.csv");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn damaged_documents_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = common::sample_docx();
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] = value;
        }
        let _ = import_questionnaire(&bytes, "damaged.docx");
    }

    #[test]
    fn truncated_documents_never_panic(cut in 0usize..8_000) {
        let bytes = common::sample_docx();
        let _ = import_questionnaire(&bytes[..cut.min(bytes.len())], "truncated.docx");
    }

    /// Any well-formed body imports, and filling in every question it finds gives a document
    /// that is still well-formed and imports again.
    #[test]
    fn filling_keeps_random_documents_well_formed(body in body()) {
        let bytes = common::Docx::new(body).build();
        prop_assert!(well_formed(&document_xml(&bytes)));
        let questionnaire = import_questionnaire(&bytes, "random.docx").unwrap();
        let count = questionnaire.questions.len();
        let mut session = ReviewSession::new(questionnaire, vec![Vec::new(); count], &[], "test");
        for question in 0..count {
            let (answer, detail) = ("Yes & <no>\n\tline".to_owned(), "Detail ]]> \u{1}".to_owned());
            session.apply(ReviewAction::Edit { question, answer, detail });
        }
        let filled = trustfill_core::export::docx::fill_docx(&bytes, &session).unwrap();
        let xml = document_xml(&filled);
        prop_assert!(well_formed(&xml), "{}", xml);
        prop_assert!(import_questionnaire(&filled, "random.docx").is_ok());
    }
}
