//! A small questionnaire in Google's VSAQ shape, built here: `//` comments (and a `//` inside
//! a URL that is not one), a `"a" + "b"` join, nested blocks, a yes/no item, a yes/no radio
//! group, a conditional item and one without an id.

use trustfill_core::import_questionnaire;
use trustfill_core::model::{SheetRole, SourceFormat};
use trustfill_core::AnswerFormat;

const BUILT: &str = r#"// A VSAQ questionnaire built for this test.
// Comments like these are not JSON; import strips them.
{
  "questionnaire": [
    {
      "type": "block",
      "text": "Vendor Basics",
      "items": [
        {"type": "info", "text": "Answer every question. Our policy is at https://example.com/policy."},
        {"type": "line", "text": "Company " + "name:", "id": "company_name"}, // a trailing comment
        {
          "type": "block",
          "text": "Security <b>Program</b>",
          "id": "block_program",
          "items": [
            {"type": "yesno", "text": "Do you have a dedicated security team?", "id": "has_team"},
            {
              "type": "radiogroup",
              "text": "Is customer data encrypted at rest?",
              "id": "encryption",
              "choices": [{"encryption_yes": "Yes"}, {"encryption_no": "No"}]
            },
            // Shown only to vendors that have a security team.
            {"type": "box", "text": "Describe your incident response plan.", "id": "ir_plan", "cond": "has_team"},
            {"type": "line", "text": "Who leads the security team?"}
          ]
        }
      ]
    }
  ]
}
"#;

#[test]
fn vsaq_with_comments_joins_nested_blocks_and_a_yes_no_group() {
    let q = import_questionnaire(BUILT.as_bytes(), "built-vsaq.json").unwrap();
    assert_eq!(q.format, SourceFormat::VsaqJson);
    let yes_no = AnswerFormat::Choice(vec!["Yes".into(), "No".into()]);
    let found: Vec<(&str, &str, &str, &str, &AnswerFormat)> = q
        .questions
        .iter()
        .map(|q| {
            let path = q.location.path.as_deref().unwrap_or("");
            (q.id.as_str(), q.section.as_str(), q.text.as_str(), path, &q.answer_format)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("company_name", "Vendor Basics", "Company name:", "company_name", &AnswerFormat::FreeText),
            ("has_team", "Security Program", "Do you have a dedicated security team?", "has_team", &yes_no),
            ("encryption", "Security Program", "Is customer data encrypted at rest?", "encryption", &yes_no),
            (
                "ir_plan",
                "Security Program",
                "Describe your incident response plan.",
                "ir_plan",
                &AnswerFormat::FreeText
            ),
            (
                "vsaq-5",
                "Security Program",
                "Who leads the security team?",
                "questionnaire[0].items[2].items[3]",
                &AnswerFormat::FreeText
            ),
        ]
    );
    for (row, question) in q.questions.iter().enumerate() {
        assert_eq!((question.location.sheet.as_str(), question.location.row), ("built-vsaq", row as u32));
        assert_eq!((question.location.answer_cell, question.location.comment_cell), (None, None));
    }
    assert_eq!(q.sheets.len(), 1);
    assert_eq!((q.sheets[0].role.clone(), q.sheets[0].question_count), (SheetRole::Questions, 5));
    let notes: Vec<&str> = q.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        notes,
        ["1 of 5 questions are conditional: the VSAQ form shows them only after certain earlier answers. All of them are listed here."]
    );
}
