//! The built questionnaire, described once: its sheets, merges and dropdowns, and the questions
//! that import must find in it, whatever the format it is written in.

mod csv;
mod libreoffice;
mod ods;
mod vsaq;
mod xls;
mod xlsx;

use trustfill_core::model::{Questionnaire, SheetRole};
use trustfill_core::{AnswerFormat, CellRef};

/// Where a dropdown's choices come from.
pub enum Choices {
    /// Written in the rule itself: `"Yes,No,N/A"`.
    Literal(&'static [&'static str]),
    /// A column range on another sheet: (sheet, column, first row, last row), zero-based.
    Range(&'static str, u16, u32, u32),
}

/// A dropdown over rows `first_row..=last_row` of one column.
pub struct Dropdown {
    pub col: u16,
    pub first_row: u32,
    pub last_row: u32,
    pub choices: Choices,
}

/// A merged area, zero-based and inclusive: (first row, first column, last row, last column).
/// Its text sits in its first cell.
pub type Merge = (u32, u16, u32, u16);

/// One sheet of the built workbook.
pub struct Sheet {
    pub name: &'static str,
    pub hidden: bool,
    /// Rows by index, each with its cells from column A; empty strings are empty cells.
    pub rows: Vec<(u32, Vec<&'static str>)>,
    pub merges: Vec<Merge>,
    pub dropdown: Option<Dropdown>,
}

impl Sheet {
    /// The widest row, in columns.
    pub fn width(&self) -> u16 {
        self.rows.iter().map(|(_, cells)| cells.len() as u16).max().unwrap_or(0)
    }

    /// The merge that starts at a cell, if any.
    pub fn merge_at(&self, row: u32, col: u16) -> Option<Merge> {
        self.merges.iter().copied().find(|m| m.0 == row && m.1 == col)
    }

    /// Whether a cell is covered by a merge that starts elsewhere.
    pub fn covered(&self, row: u32, col: u16) -> bool {
        self.merges.iter().any(|m| (m.0..=m.2).contains(&row) && (m.1..=m.3).contains(&col) && (m.0, m.1) != (row, col))
    }
}

const QUESTION_HEADER: [&str; 5] = ["ID", "Question", "", "Response", "Comments"];
const YES_NO_NA: &[&str] = &["Yes", "No", "N/A"];
const LISTED: &[&str] = &["Yes", "No", "Not applicable"];

/// The workbook: an instructions sheet, two question sheets of different layouts, and a hidden
/// sheet holding the second sheet's dropdown choices.
pub fn workbook() -> Vec<Sheet> {
    vec![
        Sheet {
            name: "Instructions",
            hidden: false,
            rows: vec![
                (0, vec!["How to complete this questionnaire"]),
                (2, vec!["Please answer every question in the Response column and explain your answer in Comments."]),
                (3, vec!["Do not add, remove or reorder rows; every question with an ID needs an answer."]),
            ],
            merges: vec![],
            dropdown: None,
        },
        security(),
        Sheet {
            name: "Privacy",
            hidden: false,
            rows: vec![
                (0, vec!["Ref", "Control", "Answer", "Notes"]),
                (1, vec!["Data Protection"]),
                (2, vec!["PR-1", "Is personal data encrypted at rest?", "", ""]),
                (3, vec!["PR-2", "Do you keep a documented data retention schedule?", "", ""]),
                (4, vec!["Incident Response"]),
                (5, vec!["PR-3", "How quickly do you notify customers of a personal data breach?", "No", ""]),
            ],
            merges: vec![(1, 0, 1, 3), (4, 0, 4, 3)],
            dropdown: Some(Dropdown { col: 2, first_row: 2, last_row: 5, choices: Choices::Range("Lists", 0, 0, 2) }),
        },
        Sheet {
            name: "Lists",
            hidden: true,
            rows: LISTED.iter().enumerate().map(|(r, text)| (r as u32, vec![*text])).collect(),
            merges: vec![],
            dropdown: None,
        },
    ]
}

/// The first question sheet: a merged title, a header whose "Question" spans two columns,
/// merged section rows, a question split over two cells, a placeholder row, a blank row, a
/// repeated header and a Yes/No/N/A dropdown that stops one row short of the last question.
pub fn security() -> Sheet {
    Sheet {
        name: "Security",
        hidden: false,
        rows: vec![
            (0, vec!["Acme Vendor Security Questionnaire"]),
            (2, QUESTION_HEADER.to_vec()),
            (3, vec!["1. Governance"]),
            (
                4,
                vec!["GOV-01", "Do you maintain an information security policy approved by management?", "", "Select…"],
            ),
            (5, vec!["GOV-02", "Do you review the information security policy", "at least once a year?", "", ""]),
            (7, vec!["", "To be completed", "", "Select…", ""]),
            (8, vec!["2. Access Control"]),
            (9, QUESTION_HEADER.to_vec()),
            (
                10,
                vec![
                    "AC-01",
                    "Is multi-factor authentication required for all remote access, including VPN?",
                    "",
                    "Yes",
                    "Enforced by our identity provider’s policy.",
                ],
            ),
            (
                11,
                vec![
                    "AC-02",
                    "Describe how you check new employees’ résumés and revoke access when they leave.",
                    "",
                    "",
                    "",
                ],
            ),
        ],
        merges: vec![
            (0, 0, 0, 4),
            (2, 1, 2, 2),
            (3, 0, 3, 4),
            (4, 1, 4, 2),
            (7, 1, 7, 2),
            (8, 0, 8, 4),
            (9, 1, 9, 2),
            (10, 1, 10, 2),
            (11, 1, 11, 2),
        ],
        dropdown: Some(Dropdown { col: 3, first_row: 4, last_row: 10, choices: Choices::Literal(YES_NO_NA) }),
    }
}

/// One question that import must find.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub id: &'static str,
    pub sheet: String,
    pub row: u32,
    pub section: &'static str,
    pub text: &'static str,
    pub answer_cell: (u32, u32),
    pub comment_cell: Option<(u32, u32)>,
    pub choices: Option<&'static [&'static str]>,
    pub existing_answer: Option<&'static str>,
    pub existing_comment: Option<&'static str>,
}

/// The questions of the first question sheet, on a sheet of the given name.
pub fn security_questions(sheet: &str, dropdowns: bool) -> Vec<Expected> {
    let yes_no = dropdowns.then_some(YES_NO_NA);
    let q = |id, row, section, text| Expected {
        id,
        sheet: sheet.to_owned(),
        row,
        section,
        text,
        answer_cell: (row, 3),
        comment_cell: Some((row, 4)),
        choices: yes_no,
        existing_answer: None,
        existing_comment: None,
    };
    vec![
        q("GOV-01", 4, "1. Governance", "Do you maintain an information security policy approved by management?"),
        // The stem and its continuation are joined with one space.
        q("GOV-02", 5, "1. Governance", "Do you review the information security policy at least once a year?"),
        Expected {
            existing_answer: Some("Yes"),
            existing_comment: Some("Enforced by our identity provider’s policy."),
            ..q(
                "AC-01",
                10,
                "2. Access Control",
                "Is multi-factor authentication required for all remote access, including VPN?",
            )
        },
        // The dropdown stops at row 11, so the last question is free text.
        Expected {
            choices: None,
            ..q(
                "AC-02",
                11,
                "2. Access Control",
                "Describe how you check new employees’ résumés and revoke access when they leave.",
            )
        },
    ]
}

/// The questions of the whole workbook, in order.
pub fn workbook_questions(dropdowns: bool) -> Vec<Expected> {
    let listed = dropdowns.then_some(LISTED);
    let q = |id, row, section, text| Expected {
        id,
        sheet: "Privacy".to_owned(),
        row,
        section,
        text,
        answer_cell: (row, 2),
        comment_cell: Some((row, 3)),
        choices: listed,
        existing_answer: None,
        existing_comment: None,
    };
    let mut all = security_questions("Security", dropdowns);
    all.extend([
        q("PR-1", 2, "Data Protection", "Is personal data encrypted at rest?"),
        q("PR-2", 3, "Data Protection", "Do you keep a documented data retention schedule?"),
        Expected {
            existing_answer: Some("No"),
            ..q("PR-3", 5, "Incident Response", "How quickly do you notify customers of a personal data breach?")
        },
    ]);
    all
}

/// Asserts that the questionnaire holds exactly the expected questions, field by field.
pub fn assert_questions(q: &Questionnaire, expected: &[Expected]) {
    let found: Vec<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|e| e.id).collect();
    assert_eq!(found, wanted, "question ids; diagnostics: {:#?}", q.diagnostics);
    for (question, e) in q.questions.iter().zip(expected) {
        let cell = |(row, col): (u32, u32)| CellRef::new(row, col);
        assert_eq!(question.location.sheet, e.sheet, "{}", e.id);
        assert_eq!(question.location.row, e.row, "{}", e.id);
        assert_eq!(question.section, e.section, "{}", e.id);
        assert_eq!(question.text, e.text, "{}", e.id);
        assert_eq!(question.location.answer_cell, Some(cell(e.answer_cell)), "{}", e.id);
        assert_eq!(question.location.comment_cell, e.comment_cell.map(cell), "{}", e.id);
        let choices = e.choices.map(|c| AnswerFormat::Choice(c.iter().map(|s| (*s).to_owned()).collect()));
        assert_eq!(question.answer_format, choices.unwrap_or_default(), "{}", e.id);
        assert_eq!(question.existing_answer.as_deref(), e.existing_answer, "{}", e.id);
        assert_eq!(question.existing_comment.as_deref(), e.existing_comment, "{}", e.id);
    }
}

/// Asserts each sheet's role and question count, in workbook order.
pub fn assert_sheets(q: &Questionnaire, expected: &[(&str, SheetRole, usize)]) {
    let found: Vec<(&str, SheetRole, usize)> =
        q.sheets.iter().map(|s| (s.name.as_str(), s.role.clone(), s.question_count)).collect();
    assert_eq!(found, expected);
}

/// The roles of the built workbook's sheets, with `hidden_role` for the lists sheet (formats
/// whose reader cannot see that a sheet is hidden still skip it by its name).
pub fn workbook_sheets(hidden_role: SheetRole) -> Vec<(&'static str, SheetRole, usize)> {
    vec![
        ("Instructions", SheetRole::Auxiliary, 0),
        ("Security", SheetRole::Questions, 4),
        ("Privacy", SheetRole::Questions, 3),
        ("Lists", hidden_role, 0),
    ]
}

/// Asserts that the instructions sheet is listed as skipped, and that nothing else was
/// reported but the expected notes.
pub fn assert_workbook_diagnostics(q: &Questionnaire, hidden_note: &str) {
    let notes: Vec<(Option<&str>, &str)> =
        q.diagnostics.iter().map(|d| (d.sheet.as_deref(), d.message.as_str())).collect();
    assert_eq!(
        notes,
        [
            (Some("Instructions"), "Skipped: the sheet's name marks it as instructions, scoring or a lookup."),
            (Some("Lists"), hidden_note),
        ]
    );
}
