//! Tests of how paragraphs become questions: written numbers, question words, answer
//! paragraphs and the paragraph index that fill-back relies on.

use super::*;

#[test]
fn written_numbers_are_split_off() {
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        ("1. Do you encrypt data?", Some(("1", "Do you encrypt data?"))),
        ("2.3 Describe backups.", Some(("2.3", "Describe backups."))),
        ("4) List your vendors.", Some(("4", "List your vendors."))),
        ("Q4. Is MFA enforced?", Some(("Q4", "Is MFA enforced?"))),
        ("q 12: What is your RTO?", Some(("Q12", "What is your RTO?"))),
        ("10.2.1.Provide a diagram.", Some(("10.2.1", "Provide a diagram."))),
        ("Quality matters?", None),
        ("2024 was a year", Some(("2024", "was a year"))),
        ("12345 records", None),
        ("3.", None),
        ("1x Do you", None),
        ("Do you encrypt data?", None),
        ("", None),
        ("Q", None),
    ];
    for (text, expected) in cases {
        assert_eq!(split_label(text), expected.map(|(l, r)| (l.to_owned(), r)), "{text:?}");
    }
}

#[test]
fn questions_ask_or_request() {
    for text in
        ["Do you encrypt data?", "Describe your backups.", "Please list your subprocessors.", "Your RTO in hours?"]
    {
        assert!(reads_as_question(text), "{text}");
    }
    for text in ["Access Control", "This section covers access.", "Why?", "Complete all sections."] {
        assert!(!reads_as_question(text), "{text}");
    }
}

fn paragraph(text: &str) -> Paragraph {
    Paragraph { text: text.to_owned(), ..Paragraph::default() }
}

#[test]
fn answer_paragraphs_are_empty_labelled_or_controls() {
    let styles = Styles::default();
    let control = Control {
        kind: ControlKind::List(vec!["Yes".into()]),
        level: body::ControlLevel::Run,
        content: 0..0,
        bound: false,
    };
    let with_control = |text: &str| Paragraph { controls: vec![control.clone()], ..paragraph(text) };
    let cases: &[(Paragraph, Option<AnswerSlot>)] = &[
        (paragraph("  "), Some(AnswerSlot::Empty)),
        (paragraph("Answer: We do."), Some(AnswerSlot::Labelled { label: "Answer:".into(), rest: "We do.".into() })),
        (paragraph("RESPONSE :"), Some(AnswerSlot::Labelled { label: "RESPONSE:".into(), rest: String::new() })),
        (paragraph("Note: see below"), None),
        (paragraph("2. Do you back up data?"), None),
        (with_control("Yes"), Some(AnswerSlot::Controls)),
        (with_control("Do you encrypt data? Yes"), None),
        (Paragraph { style: Some("Heading1".into()), ..paragraph("") }, None),
    ];
    for (paragraph, expected) in cases {
        assert_eq!(&answer_slot(paragraph, &styles), expected, "{:?}", paragraph.text);
    }
}

#[test]
fn answer_paragraphs_are_not_counted_so_filling_moves_nothing() {
    let numbered = |text: &str| Block::Paragraph(Paragraph { numbering: Some((1, 0)), ..paragraph(text) });
    let plain = |text: &str| Block::Paragraph(paragraph(text));
    let before = Body {
        blocks: vec![
            plain("Intro"),
            numbered("Do you encrypt data?"),
            numbered("Do you back up data?"),
            plain(""),
            numbered("Describe your network."),
        ],
        ..Body::default()
    };
    let mut after = before.clone();
    after.blocks.insert(2, plain("Answer: yes"));
    let found = |body: &Body| -> Vec<(String, u32, Option<usize>)> {
        body_questions(body, &Styles::default(), &Numbering::default())
            .paragraphs
            .into_iter()
            .map(|q| (q.id, q.index, q.answer))
            .collect()
    };
    assert_eq!(found(&before), [("1".to_owned(), 1, None), ("2".to_owned(), 2, Some(3)), ("3".to_owned(), 3, None)]);
    let indexes: Vec<_> = found(&after).into_iter().map(|(id, index, _)| (id, index)).collect();
    assert_eq!(indexes, [("1".to_owned(), 1), ("2".to_owned(), 2), ("3".to_owned(), 3)]);
}

#[test]
fn headings_name_sections_for_paragraphs_and_tables() {
    let heading = |text: &str| Block::Paragraph(Paragraph { style: Some("Heading1".into()), ..paragraph(text) });
    let body = Body {
        blocks: vec![
            Block::Table(Table::default()),
            heading("Access"),
            Block::Paragraph(paragraph("1. Do you review access?")),
            Block::Table(Table::default()),
            Block::Paragraph(Paragraph { outline_level: Some(0), ..paragraph("Backups") }),
            Block::Paragraph(paragraph("Q2 Do you back up daily?")),
        ],
        ..Body::default()
    };
    let found = body_questions(&body, &Styles::default(), &Numbering::default());
    assert_eq!(found.table_sections, ["", "Access"]);
    let sections: Vec<_> = found.paragraphs.iter().map(|p| (p.id.as_str(), p.section.as_str())).collect();
    assert_eq!(sections, [("1", "Access"), ("Q2", "Backups")]);
}

#[test]
fn paths_and_table_names_read_back() {
    assert_eq!(paragraph_index(&paragraph_path(42)), Some(42));
    assert_eq!(table_number(&table_name(3)), Some(3));
    for bad in ["Table 0", "Table x", "Sheet1", "Table"] {
        assert_eq!(table_number(bad), None, "{bad}");
    }
    assert_eq!(paragraph_index("q:1"), None);
}

#[test]
fn a_docx_without_a_document_part_is_corrupt() {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.start_file("word/other.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    assert_eq!(questionnaire(&bytes, "x.docx"), Err(ImportError::Corrupt));
    assert_eq!(crate::import::import_questionnaire(&bytes, "x.docx"), Err(ImportError::Corrupt));
    let doc = [&[0xD0, 0xCF, 0x11, 0xE0][..], &[0; 600]].concat();
    assert!(matches!(crate::import::import_questionnaire(&doc, "old.doc"), Err(ImportError::Unsupported(_))));
}
