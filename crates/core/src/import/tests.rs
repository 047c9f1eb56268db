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

#[test]
fn a_chosen_layout_overrides_detection_and_reads_a_skipped_sheet() {
    // Detection takes the long "Notes" column for questions; the user says otherwise.
    let csv = "Ref,Item,Reply,Notes\nR1,Backups,,Describe how the backups of customer data are encrypted and tested?\nR2,Access,,Explain how you review the access rights of administrators?\n";
    let detected = crate::import_questionnaire(csv.as_bytes(), "odd.csv").unwrap();
    let layout = crate::model::SheetLayout {
        header_row: Some(0),
        question_col: 1,
        id_col: Some(0),
        answer_col: Some(2),
        comment_col: Some(3),
    };
    let chosen: super::ChosenLayouts = [(detected.sheets[0].name.clone(), layout.clone())].into();
    let reread = super::import_with_layouts(csv.as_bytes(), "odd.csv", &chosen).unwrap();
    let texts: Vec<_> = reread.questions.iter().map(|q| (q.id.as_str(), q.text.as_str())).collect();
    assert_eq!(texts, [("R1", "Backups"), ("R2", "Access")]);
    assert_eq!(reread.questions[0].location.answer_cell, Some(crate::CellRef::new(1, 2)));
    assert_eq!(reread.questions[0].location.comment_cell, Some(crate::CellRef::new(1, 3)));
    assert_eq!(reread.sheets[0].layout.as_ref(), Some(&layout));
    assert!(reread.diagnostics.iter().any(|d| d.message.contains("columns you chose")));
    let preview = super::preview_sheets(csv.as_bytes(), "odd.csv", 3, 5).unwrap();
    assert_eq!(preview[0].cells[0], ["Ref", "Item", "Reply", "Notes", ""]);

    // A sheet skipped as instructions is read when the user gives it a layout.
    let hecvat =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/hecvat/HECVAT-4.1.4-blank.xlsx"))
            .unwrap();
    let questionnaire = crate::import_questionnaire(&hecvat, "h.xlsx").unwrap();
    let skipped =
        questionnaire.sheets.iter().find(|s| s.role == crate::model::SheetRole::Auxiliary).unwrap().name.clone();
    let layout = crate::model::SheetLayout {
        header_row: None,
        question_col: 0,
        id_col: None,
        answer_col: Some(1),
        comment_col: None,
    };
    let chosen: super::ChosenLayouts = [(skipped.clone(), layout)].into();
    let reread = super::import_with_layouts(&hecvat, "h.xlsx", &chosen).unwrap();
    let sheet = reread.sheets.iter().find(|s| s.name == skipped).unwrap();
    assert_eq!(sheet.role, crate::model::SheetRole::Questions, "{skipped}: {sheet:?}");
}
