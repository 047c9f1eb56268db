//! Import tests on the real fixtures in `../shared/fixtures`, and on built files.

use super::*;

pub(crate) fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../../shared/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

#[test]
fn cisa_csv_imports_every_question() {
    let q =
        import_questionnaire(&fixture("cisa/ict-scrm-vendor-template.csv"), "ict-scrm-vendor-template.csv").unwrap();
    // The template has 255 numbered questions (Ref 1.1 to the last), one per row.
    assert_eq!(q.questions.len(), 255, "{:#?}", q.diagnostics);
    assert_eq!(q.questions[0].id, "1.1");
    assert_eq!(q.questions[2].id, "1.2.1");
    assert_eq!(q.questions[0].section, "Qualifying Questions");
    let layout = q.sheets[0].layout.as_ref().unwrap();
    assert_eq!(
        (layout.question_col, layout.id_col, layout.answer_col, layout.comment_col),
        (2, Some(0), Some(3), Some(4))
    );
}

#[test]
fn hecvat_imports_its_questions_once_each() {
    let q = import_questionnaire(&fixture("hecvat/HECVAT-4.1.4-blank.xlsx"), "HECVAT-4.1.4-blank.xlsx").unwrap();
    // The vendor-facing sheets hold 331 answerable questions: START HERE 22, Organization 43,
    // Product 41, Infrastructure 51, IT Accessibility 18, Case-Specific 60, AI 31, Privacy 65.
    // The GNRL rows repeated on each sheet are formulas and are skipped; the hidden
    // "Questions" sheet (332 rows, including one retired id) is a lookup table.
    assert_eq!(q.questions.len(), 331, "{:#?}", q.sheets);
    let ids: BTreeSet<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), q.questions.len());
    for id in ["GNRL-01", "COMP-01", "REQU-08", "DOCU-03", "AAAI-01", "DATA-01"] {
        assert!(ids.contains(id), "{id} missing");
    }
    let docu = q.questions.iter().find(|q| q.id == "DOCU-03").unwrap();
    assert_eq!(docu.location.sheet, "Organization");
    assert_eq!(docu.section, "Documentation");
    assert_eq!(docu.location.answer_cell.map(|c| c.to_a1()), Some("C24".into()));
    assert_eq!(docu.location.comment_cell.map(|c| c.to_a1()), Some("D24".into()));
    match &docu.answer_format {
        crate::model::AnswerFormat::Choice(choices) => {
            assert!(choices.iter().any(|c| c == "Yes") && choices.iter().any(|c| c == "No"), "{choices:?}")
        }
        other => panic!("DOCU-03 should have a dropdown, got {other:?}"),
    }
    for hidden in ["Questions", "Auto Responses", "(backend scoring)"] {
        assert_eq!(q.sheets.iter().find(|s| s.name == hidden).unwrap().role, crate::model::SheetRole::Hidden);
    }
}

#[test]
fn bad_input_gets_a_clear_error_and_never_panics() {
    assert_eq!(import_questionnaire(b"", "x.csv"), Err(ImportError::Empty));
    assert_eq!(import_questionnaire(b"PK\x03\x04garbage", "x.xlsx"), Err(ImportError::Corrupt));
    let binary: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    assert_eq!(import_questionnaire(&binary, "renamed.csv"), Err(ImportError::NotText));
    let no_questions = import_questionnaire(b"a,b\n1,2\n", "numbers.csv").unwrap();
    assert!(no_questions.questions.is_empty());
}
