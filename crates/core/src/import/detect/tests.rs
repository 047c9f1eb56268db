//! Detection tests on small grids built in place: ids, placeholders, split questions, sections.

use super::*;
use crate::import::grid::Rect;

#[test]
fn ids_are_recognised() {
    for id in ["GNRL-01", "A&A-01.1", "1.2.1", "Q12", "IAM-07", "3"] {
        assert!(is_id_like(id), "{id}");
    }
    for not_id in ["Question", "Do you encrypt data?", "", "Yes"] {
        assert!(!is_id_like(not_id), "{not_id}");
    }
}

#[test]
fn placeholders_are_not_questions() {
    for p in ["To be completed", "Select…", "Please select an option", "TBD"] {
        assert!(is_placeholder(p), "{p}");
    }
    assert!(!is_placeholder("Describe your backup process."));
    assert!(!is_placeholder("Select your hosting option."));
}

/// A grid from rows of cells, column A first; empty strings are empty cells.
fn grid(rows: &[&[&str]]) -> Grid {
    let mut grid = Grid::new("Sheet");
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            grid.set(r as u32, c as u32, text, false);
        }
    }
    grid
}

fn texts(grid: &Grid) -> Vec<(String, String)> {
    detect(grid).1.into_iter().map(|q| (q.id, q.text)).collect()
}

#[test]
fn a_stem_cut_mid_sentence_is_joined_to_its_continuation() {
    let rows: &[&[&str]] = &[
        &["ID", "Question", "", "Response"],
        &["Q1", "Do you review the security policy", "at least once a year?", ""],
        // A full sentence keeps its neighbour out: that cell is a note, not a continuation.
        &["Q2", "Do you encrypt data at rest?", "e.g. AES-256", ""],
        &["Q3", "Describe your backup process.", "", ""],
    ];
    let found = texts(&grid(rows));
    assert_eq!(found[0].1, "Do you review the security policy at least once a year?");
    assert_eq!(found[1].1, "Do you encrypt data at rest?");
    assert_eq!(detect(&grid(rows)).0.layout.unwrap().answer_col, Some(3));
}

#[test]
fn a_merged_question_header_joins_every_continuation() {
    let rows: &[&[&str]] = &[
        &["ID", "Question", "", "Response"],
        &["Q1", "Do you encrypt data at rest?", "Include key management.", ""],
        &["Q2", "Describe your backup process.", "", ""],
    ];
    let mut merged = grid(rows);
    merged.merged.push(Rect { first_row: 0, first_col: 1, last_row: 0, last_col: 2 });
    assert_eq!(texts(&merged)[0].1, "Do you encrypt data at rest? Include key management.");
}

#[test]
fn an_unnamed_answer_column_is_never_read_as_a_continuation() {
    // Without a named answer column the cell beside the question is where answers go.
    let rows: &[&[&str]] = &[
        &["ID", "Question", ""],
        &["Q1", "Describe your backup process", "Nightly snapshots kept for 30 days"],
        &["Q2", "Do you encrypt data at rest?", ""],
    ];
    let (summary, questions, _) = detect(&grid(rows));
    assert_eq!(questions[0].text, "Describe your backup process");
    assert_eq!(questions[0].existing_answer.as_deref(), Some("Nightly snapshots kept for 30 days"));
    assert_eq!(summary.layout.unwrap().answer_col, Some(2));
}

#[test]
fn the_question_starts_under_its_header_when_the_continuation_scored_higher() {
    // Each continuation ends with the question mark, so its column reads more like questions.
    let rows: &[&[&str]] = &[
        &["ID", "Question", "", "Answer"],
        &["Q1", "Customer data backups are", "taken every day and tested at least once a quarter?", ""],
        &["Q2", "Customer data at rest is", "encrypted with AES-256 or a stronger cipher?", ""],
    ];
    let (summary, questions, _) = detect(&grid(rows));
    assert_eq!(summary.layout.unwrap().question_col, 1);
    assert_eq!(questions[0].text, "Customer data backups are taken every day and tested at least once a quarter?");
}

#[test]
fn a_section_heading_may_sit_in_the_id_column() {
    let rows: &[&[&str]] = &[
        &["Ref", "Question", "Answer"],
        &["1. Governance"],
        &["GOV-1", "Do you have a security policy?", ""],
        &["2"],
        &["GOV-2", "Is the policy reviewed every year?", ""],
    ];
    let questions = detect(&grid(rows)).1;
    assert_eq!(questions[0].section, "1. Governance");
    // A lone id-like cell is not a heading.
    assert_eq!(questions[1].section, "1. Governance");
}

#[test]
fn answer_prompts_are_not_existing_answers() {
    let rows: &[&[&str]] = &[
        &["ID", "Question", "Answer"],
        &["Q1", "Do you have a security policy?", "Select…"],
        &["Q2", "Is the policy reviewed every year?", "N/A"],
        &["Q3", "Do you encrypt data at rest?", "To be completed"],
    ];
    let answers: Vec<Option<String>> = detect(&grid(rows)).1.into_iter().map(|q| q.existing_answer).collect();
    assert_eq!(answers, [None, Some("N/A".to_owned()), None]);
}

#[test]
fn long_comments_never_take_the_question_column() {
    // A filled-in sheet whose explanations read more like questions than its short questions.
    let rows: &[&[&str]] = &[
        &["Ref", "Control", "Answer", "Notes"],
        &[
            "PR-1",
            "Encryption at rest?",
            "Yes",
            "Do you want the key management details? We use AES-256 with keys in a managed KMS, rotated every year.",
        ],
        &[
            "PR-2",
            "Retention schedule?",
            "Yes",
            "Would a copy help? Our schedule keeps customer data for the contract term plus thirty days.",
        ],
    ];
    let (summary, questions, _) = detect(&grid(rows));
    assert_eq!(summary.layout.unwrap().question_col, 1);
    assert_eq!(questions[0].text, "Encryption at rest?");
}

#[test]
fn a_title_merged_across_from_the_id_column_names_a_section() {
    let mut grid = Grid::new("Sheet1");
    for (row, cells) in [
        (0, &["ID", "Question", "Answer"][..]),
        (1, &["Access Control"][..]),
        (2, &["AC-01", "Do you review access every quarter?", ""][..]),
        (3, &["AC-02"][..]),
        (4, &["AC-03", "Do you enforce MFA for administrators?", ""][..]),
    ] {
        for (col, text) in cells.iter().enumerate() {
            grid.set(row, col as u32, text, false);
        }
    }
    for row in [1, 3] {
        grid.merged.push(crate::import::grid::Rect { first_row: row, first_col: 0, last_row: row, last_col: 2 });
    }
    let (_, questions, _) = detect(&grid);
    let found: Vec<_> = questions.iter().map(|q| (q.id.as_str(), q.section.as_str())).collect();
    // A merged cell holding an id is not a title, so AC-03 stays in Access Control.
    assert_eq!(found, [("AC-01", "Access Control"), ("AC-03", "Access Control")]);
}
