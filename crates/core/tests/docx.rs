//! Word documents end to end: import finds the tables' and the paragraphs' questions, and
//! fill-back writes answers that the next import reads at the same places, changing nothing
//! but `word/document.xml`.

mod common;

use common::{numbered, para, run, styled, table, text_row, Docx};
use std::collections::BTreeMap;
use std::io::Read;
use trustfill_core::export::docx::{fill_docx, planned_writes};
use trustfill_core::model::{AnswerFormat, SheetRole};
use trustfill_core::{import_questionnaire, Questionnaire, ReviewAction, ReviewSession, SourceFormat};

fn import(bytes: &[u8]) -> Questionnaire {
    import_questionnaire(bytes, "questionnaire.docx").unwrap()
}

/// A session in which every question has been answered by hand, with the given answers.
fn answered(questionnaire: Questionnaire, answer: impl Fn(usize, &str) -> (String, String)) -> ReviewSession {
    let count = questionnaire.questions.len();
    let ids: Vec<String> = questionnaire.questions.iter().map(|q| q.id.clone()).collect();
    let mut session = ReviewSession::new(questionnaire, vec![Vec::new(); count], &[], "test");
    for (question, id) in ids.iter().enumerate() {
        let (answer, detail) = answer(question, id);
        session.apply(ReviewAction::Edit { question, answer, detail });
    }
    session
}

/// Every zip entry as (name, raw compressed bytes, CRC), in order.
fn raw_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, u32)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index_raw(i).unwrap();
            let mut raw = Vec::new();
            file.read_to_end(&mut raw).unwrap();
            (file.name().unwrap().into_owned(), raw, file.crc32())
        })
        .collect()
}

fn document_xml(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_sample_gives_its_questions_in_document_order() {
    let q = import(&common::sample_docx());
    assert_eq!(q.format, SourceFormat::Docx);
    // One row per question: (id, section, sheet, existing answer, existing comment, choices).
    type Expected<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a [&'a str]>);
    let yes_no_na: &[&str] = &["Yes", "No", "N/A"];
    let yes_no: &[&str] = &["Yes", "No"];
    let expected: &[Expected] = &[
        ("AC-01", "Identity and Access", "Table 1", None, None, Some(yes_no_na)),
        ("AC-02", "Identity and Access", "Table 1", None, None, None),
        ("AC-03", "Identity and Access", "Table 1", Some("Yes"), Some("bcrypt, cost 12"), None),
        ("LG-01", "Logging", "Table 1", Some("No"), None, Some(yes_no_na)),
        ("DP-01", "Data Protection", "Table 2", None, Some("See policy DP-7."), None),
        ("DP-02", "Data Protection", "Table 2", None, None, Some(yes_no)),
        ("DP-03", "Data Protection", "Table 2", None, Some("Key sizes:\nAES\n256"), None),
        ("Q1", "Incident Response", "Document", None, None, None),
        ("Q2", "Incident Response", "Document", Some("Escalation goes to the CISO within one hour."), None, None),
        ("3.1", "Incident Response", "Document", None, None, None),
        ("Q4", "Business Continuity", "Document", None, None, Some(yes_no)),
    ];
    let found: Vec<_> = q.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(found, expected.iter().map(|e| e.0).collect::<Vec<_>>(), "{:#?}", q.diagnostics);
    for (question, (id, section, sheet, answer, comment, choices)) in q.questions.iter().zip(expected) {
        assert_eq!(question.section, *section, "{id}");
        assert_eq!(question.location.sheet, *sheet, "{id}");
        assert_eq!(question.existing_answer.as_deref(), *answer, "{id}");
        assert_eq!(question.existing_comment.as_deref(), *comment, "{id}");
        let format = choices.map(|c| AnswerFormat::Choice(c.iter().map(|s| s.to_string()).collect()));
        assert_eq!(question.answer_format, format.unwrap_or_default(), "{id}");
    }
    let ac01 = &q.questions[0];
    assert_eq!(ac01.text, "Do you enforce multi-factor authentication for all remote access?");
    assert_eq!(ac01.location.answer_cell.map(|c| (c.row, c.col)), Some((2, 2)));
    assert_eq!(ac01.location.comment_cell.map(|c| (c.row, c.col)), Some((2, 3)));
    let paths: Vec<_> = q.questions[7..].iter().map(|q| q.location.path.as_deref().unwrap()).collect();
    // Body paragraphs: title 0, instructions 1, heading 2, heading 3, heading 4, Q1 5 (its empty
    // answer paragraph is not counted), Q2 6, 3.1 7, heading 8, Q4 9.
    assert_eq!(paths, ["p:5", "p:6", "p:7", "p:9"]);
    assert_eq!(q.questions[9].text, "How often do you test your incident response plan?");
    let sheets: Vec<_> = q.sheets.iter().map(|s| (s.name.as_str(), s.role.clone(), s.question_count)).collect();
    assert_eq!(
        sheets,
        [
            ("Table 1", SheetRole::Questions, 4),
            ("Table 2", SheetRole::Questions, 3),
            ("Document", SheetRole::Questions, 4)
        ]
    );
    assert!(q.diagnostics.iter().any(|d| d.sheet.as_deref() == Some("Table 2") && d.message.contains("1 table")));
}

#[test]
fn a_docx_is_recognised_by_its_content_whatever_its_name() {
    let bytes = common::sample_docx();
    for name in ["q.docx", "q.DOCX", "q.xlsx", "q.zip", "q"] {
        assert_eq!(trustfill_core::import::sniff_format(&bytes, name), Ok(SourceFormat::Docx), "{name}");
    }
    assert!(SourceFormat::Docx.supports_fill_back());
    assert_eq!(SourceFormat::Docx.label(), "Word document");
}

/// The answers of the round trip: dropdown questions get a word their list knows (in other
/// words than the list's own), the rest text that needs escaping and spans lines.
fn answer_for(index: usize, id: &str) -> (String, String) {
    match id {
        "AC-01" => ("yes".into(), "Enforced through the identity provider.".into()),
        "LG-01" => ("Not applicable".into(), String::new()),
        "DP-02" => ("No".into(), "Internal traffic only.".into()),
        "Q4" => ("Y".into(), "Tested yearly.".into()),
        _ => (format!("Answer {index} <b>&amp;</b> \"quoted\""), format!("Detail {index}\n\tsecond line")),
    }
}

/// Parses XML to the end, as Word would, and fails on the first error.
fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
}

#[test]
fn filled_answers_come_back_at_the_same_places() {
    let original = common::sample_docx();
    let questionnaire = import(&original);
    let session = answered(questionnaire.clone(), answer_for);
    let writes = planned_writes(&session);
    assert_eq!((writes.cells.values().map(BTreeMap::len).sum::<usize>(), writes.paragraphs.len()), (13, 4));
    let filled = fill_docx(&original, &session).unwrap();
    assert_well_formed(&document_xml(&filled));
    let again = import(&filled);
    assert_eq!(again.questions.len(), questionnaire.questions.len(), "{:#?}", again.diagnostics);
    for (before, after) in questionnaire.questions.iter().zip(&again.questions) {
        let id = &before.id;
        assert_eq!((&before.id, &before.text, &before.section), (&after.id, &after.text, &after.section));
        assert_eq!(before.location, after.location, "{id}");
        assert_eq!(before.answer_format, after.answer_format, "{id}");
        let sheet = writes.cells.get(&before.location.sheet);
        let written =
            |cell: Option<trustfill_core::CellRef>| cell.and_then(|c| sheet?.get(&(c.row, c.col))).map(String::as_str);
        let answer = match before.location.answer_cell {
            Some(_) => written(before.location.answer_cell),
            None => writes.paragraphs.get(&before.location.row).map(String::as_str),
        };
        assert_eq!(after.existing_answer.as_deref(), answer, "{id}");
        // DP-02's comment cell continues DP-01's vertical merge: Word shows DP-01's comment in
        // its place, so nothing is written there.
        let comment = if id == "DP-02" { None } else { written(before.location.comment_cell) };
        assert_eq!(after.existing_comment.as_deref(), comment, "{id}");
    }
    let by_id = |id: &str| again.questions.iter().find(|q| q.id == id).unwrap();
    assert_eq!(by_id("AC-01").existing_answer.as_deref(), Some("Yes"), "mapped onto the dropdown's own word");
    assert_eq!(by_id("LG-01").existing_answer.as_deref(), Some("N/A"));
    assert_eq!(by_id("Q4").existing_answer.as_deref(), Some("Yes"));
    assert_eq!(by_id("AC-02").existing_answer.as_deref(), Some("Answer 1 <b>&amp;</b> \"quoted\""));
    assert_eq!(
        by_id("Q1").existing_answer.as_deref(),
        Some("Answer 7 <b>&amp;</b> \"quoted\". Detail 7\n\tsecond line")
    );
}

#[test]
fn every_entry_but_the_document_is_byte_identical() {
    let original = common::sample_docx();
    let session = answered(import(&original), answer_for);
    let filled = fill_docx(&original, &session).unwrap();
    let (before, after) = (raw_entries(&original), raw_entries(&filled));
    assert_eq!(before.iter().map(|e| &e.0).collect::<Vec<_>>(), after.iter().map(|e| &e.0).collect::<Vec<_>>());
    for (old, new) in before.iter().zip(&after) {
        if old.0 == "word/document.xml" {
            assert_ne!(old.1, new.1, "the document was filled");
        } else {
            assert!(old.1 == new.1 && old.2 == new.2, "{} must be copied byte for byte", old.0);
        }
    }
}

#[test]
fn check_boxes_dropdowns_and_answer_paragraphs_are_filled_in_place() {
    let original = common::sample_docx();
    let session = answered(import(&original), answer_for);
    let xml = document_xml(&fill_docx(&original, &session).unwrap());
    // DP-02: the "No" box is ticked and shows the checked glyph, the "Yes" box stays clear.
    assert!(xml.contains("<w14:checked w14:val=\"0\"/><w14:checkedState"), "{xml}");
    assert!(xml.contains("<w14:checked w14:val=\"1\"/><w14:checkedState"), "{xml}");
    assert_eq!(xml.matches('\u{2612}').count(), 1);
    // The dropdowns keep their lists and lose Word's "showing the prompt" marker.
    assert_eq!(xml.matches("<w:dropDownList>").count(), 3);
    assert!(!xml.contains("showingPlcHdr") && !xml.contains("Choose an item.</w:t>"));
    // Q1's empty answer paragraph is filled; 3.1 gets a new answer paragraph after it.
    assert!(xml.contains("<w:t xml:space=\"preserve\">Answer: Answer 9 "), "{xml}");
    assert!(xml.contains("Response: </w:t></w:r><w:sdt>"), "the label before the dropdown stays");
    // The AC-03 answer cell keeps its cell properties.
    assert!(xml.contains(r#"<w:tcW w:w="2000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t xml:space="preserve">Answer 2 "#));
}

#[test]
fn hostile_and_huge_text_is_written_safely() {
    let original = common::sample_docx();
    let huge = "long answer ".repeat(3_400);
    assert!(huge.chars().count() > 40_000);
    let session = answered(import(&original), |_, id| match id {
        "AC-02" => ("<script>alert('x')</script> & <w:p>".into(), String::new()),
        "AC-03" => ("Yes\u{0}\u{1b}\u{7}\u{FFFF} done".into(), huge.clone()),
        "Q1" => ("]]><!-- \u{8} -->".into(), String::new()),
        _ => (String::new(), String::new()),
    });
    let filled = fill_docx(&original, &session).unwrap();
    let xml = document_xml(&filled);
    assert_well_formed(&xml);
    assert!(!xml.contains("<script>") && !xml.contains("<w:p>&") && !xml.contains('\u{0}') && !xml.contains('\u{1b}'));
    assert!(xml.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &lt;w:p&gt;"), "{}", &xml[..2000]);
    let again = import(&filled);
    let by_id = |id: &str| again.questions.iter().find(|q| q.id == id).unwrap();
    assert_eq!(by_id("AC-02").existing_answer.as_deref(), Some("<script>alert('x')</script> & <w:p>"));
    assert_eq!(by_id("AC-03").existing_answer.as_deref(), Some("Yes done"));
    let comment = by_id("AC-03").existing_comment.clone().unwrap();
    assert_eq!(comment.chars().count(), trustfill_core::limits::MAX_CELL_CHARS, "cut to a cell's length");
    assert_eq!(by_id("Q1").existing_answer.as_deref(), Some("]]><!--  -->"));
    assert_eq!(again.questions.len(), 11);
}

#[test]
fn formats_are_filled_only_by_their_own_exporter() {
    let original = common::sample_docx();
    let session = answered(import(&original), answer_for);
    assert_eq!(
        trustfill_core::export::xlsx::fill_xlsx(&original, &session),
        Err(trustfill_core::export::ExportError::NotFillable)
    );
    assert_eq!(trustfill_core::export::fill_original(&original, &session), fill_docx(&original, &session));
    let csv = import_questionnaire(b"ID,Question,Answer\n1,Do you encrypt data at rest?,\n", "q.csv").unwrap();
    let csv_session = answered(csv, |_, _| ("Yes".into(), String::new()));
    assert_eq!(fill_docx(&original, &csv_session), Err(trustfill_core::export::ExportError::NotFillable));
}

#[test]
fn paragraph_questions_need_numbers_or_answer_labels() {
    let body = [
        styled("Heading1", "General"),
        para("Do you like questionnaires?"),
        para("1. This section covers general matters."),
        para("2) Do you have a security team?"),
        para("Is there a named security officer?"),
        para("Response: Yes"),
        numbered("Provide the officer's name."),
        numbered("A plain list item"),
        table(2, &[text_row(&["Only", "words"])]),
        para("Q 7: What is your company's legal name?"),
        format!("<w:p>{}{}</w:p>", run("Answer:"), run(" ACME Ltd")),
    ]
    .concat();
    let q = import(&Docx::new(body).build());
    let found: Vec<_> =
        q.questions.iter().map(|q| (q.id.as_str(), q.location.path.as_deref(), q.existing_answer.as_deref())).collect();
    assert_eq!(
        found,
        [
            ("2", Some("p:3"), None),
            ("P5", Some("p:4"), Some("Yes")),
            ("Q1", Some("p:5"), None),
            ("Q7", Some("p:7"), Some("ACME Ltd")),
        ]
    );
    assert!(q.questions.iter().all(|q| q.section == "General"));
    let table = q.sheets.iter().find(|s| s.name == "Table 1").unwrap();
    assert_eq!(table.role, SheetRole::NoQuestions);
}

#[test]
fn the_fuzz_seed_is_the_sample_document() {
    // `fuzz/seeds/built.docx` seeds the Word fuzz targets and is the document `fill_docx`
    // fills. Should the sample change, write the seed again with
    // `TRUSTFILL_WRITE_SEEDS=1 cargo test -p trustfill-core --test docx`.
    let path = format!("{}/../../fuzz/seeds/built.docx", env!("CARGO_MANIFEST_DIR"));
    let sample = common::sample_docx();
    if std::env::var_os("TRUSTFILL_WRITE_SEEDS").is_some() {
        std::fs::write(&path, &sample).unwrap();
    }
    let kept = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(kept == sample, "{path} is not the sample document; write it again (see above)");
}
