//! Finding the questions in a sheet without help: the header row, the question, id, answer
//! and comment columns, section rows, and the rows that only look like questions.

use super::grid::Grid;
use crate::model::{AnswerFormat, CellRef, Diagnostic, Location, Question, SheetLayout, SheetRole, SheetSummary};

/// Header rows are looked for within this many rows from the top.
pub const HEADER_SEARCH_ROWS: u32 = 30;

/// Header words for each column role, matched against a lower-cased header cell.
const QUESTION_HEADERS: &[&str] =
    &["question", "requirement", "control", "description", "query", "request", "criteria", "item", "assessment"];
const ID_HEADERS: &[&str] = &[
    "id",
    "ref",
    "#",
    "no",
    "no.",
    "number",
    "ref #",
    "ref.",
    "question id",
    "control id",
    "item #",
    "reference",
    "q#",
    "qid",
];
const ANSWER_HEADERS: &[&str] = &[
    "answer",
    "response",
    "vendor response",
    "yes/no",
    "y/n",
    "compliance",
    "compliant",
    "reply",
    "supplier response",
    "status",
];
const COMMENT_HEADERS: &[&str] = &[
    "comment",
    "explanation",
    "additional information",
    "notes",
    "details",
    "justification",
    "evidence",
    "remarks",
    "supporting",
    "additional info",
    "description of control",
];
const SECTION_HEADERS: &[&str] = &["section", "category", "domain", "area", "topic", "group"];
/// Headers that name columns the vendor must not fill (guidance for the vendor, notes for the
/// assessor). They never become the answer or comment column.
const REVIEWER_HEADERS: &[&str] =
    &["guidance", "analyst", "assessor", "reviewer", "institution", "scoring", "score", "weight"];
/// Sheet names that mark instructions, covers, scoring and lookups.
const AUXILIARY_SHEET_WORDS: &[&str] = &[
    "instruction",
    "read me",
    "readme",
    "cover",
    "scoring",
    "score",
    "lookup",
    "reference",
    "evaluation",
    "glossary",
    "definition",
    "changelog",
    "change log",
    "version",
    "summary",
    "dashboard",
    "guidance",
    "about",
    "lists",
    "dropdown",
];
/// Cell texts that stand in for an answer or question yet to be written.
const PLACEHOLDERS: &[&str] = &[
    "to be completed",
    "tbd",
    "tbc",
    "select",
    "select...",
    "select…",
    "choose",
    "choose an item",
    "n/a",
    "-",
    "--",
    "click here",
    "enter text",
    "x",
];

fn norm(text: &str) -> String {
    text.trim().trim_end_matches([':', '*']).trim().to_lowercase()
}

fn header_matches(text: &str, words: &[&str]) -> bool {
    let t = norm(text);
    let singular = |part: &str| {
        part.strip_suffix('s').filter(|p| p.len() > 2).map(str::to_owned).unwrap_or_else(|| part.to_owned())
    };
    !t.is_empty()
        && t.len() <= 40
        && words.iter().any(|w| {
            t == *w
                || t.split(|c: char| !c.is_alphanumeric() && c != '#' && c != '/')
                    .any(|part| part == *w || singular(part) == *w)
                || (w.contains(' ') && t.contains(w))
        })
}

fn is_reviewer_header(text: &str) -> bool {
    header_matches(text, REVIEWER_HEADERS)
}

pub fn is_placeholder(text: &str) -> bool {
    let t = norm(text);
    let prompt = t.starts_with("select") || t.starts_with("please select") || t.starts_with("choose");
    PLACEHOLDERS.contains(&t.as_str())
        || prompt && (t.ends_with("...") || t.ends_with('…') || t.split_whitespace().count() <= 4 && !t.ends_with('.'))
}

/// Whether an answer cell holds only a prompt to answer ("Select…", "To be completed") rather
/// than an answer. "N/A" and "x" are placeholders for questions, but answers in answer cells.
pub fn is_answer_prompt(text: &str) -> bool {
    is_placeholder(text) && !matches!(norm(text).as_str(), "n/a" | "x")
}

/// Where a question is split over cells: the columns right of the question column that carry
/// its continuation ("Do you review the policy" | "at least once a year?").
#[derive(Debug, Default)]
struct Split {
    columns: Vec<u32>,
    /// Whether the question header is merged across the continuation columns; then their
    /// text is always part of the question, not only after a stem that stops mid-sentence.
    merged_header: bool,
}

impl Split {
    /// A continuation column has no header of its own (its header cell is empty, often because
    /// the question header is merged across it), is no other role's column, holds no dropdown
    /// and holds text on some question row. It cannot be told from an unnamed answer column, so
    /// it is only looked for when the answer column is named or the question header spans it.
    fn find(
        grid: &Grid,
        header_row: u32,
        question_col: u32,
        answer_named: bool,
        roles: &[u32],
        question_rows: &[u32],
    ) -> Split {
        const MAX_CONTINUATION_COLUMNS: u32 = 3;
        let spans = |col: u32| {
            grid.merged.iter().any(|m| {
                m.contains(header_row, question_col) && m.contains(header_row, col) && m.first_col == question_col
            })
        };
        let mut split = Split { columns: Vec::new(), merged_header: false };
        for col in question_col + 1..=question_col + MAX_CONTINUATION_COLUMNS {
            let merged = spans(col);
            let qualifies = grid.text(header_row, col).is_empty()
                && (answer_named || merged)
                && !roles.contains(&col)
                && !question_rows.iter().take(50).any(|&r| grid.choices_at(r, col).is_some())
                && question_rows.iter().any(|&r| !grid.text(r, col).is_empty() && !is_placeholder(grid.text(r, col)));
            if !qualifies || (!split.columns.is_empty() && merged != split.merged_header) {
                break;
            }
            split.merged_header = merged;
            split.columns.push(col);
        }
        split
    }

    /// The question's text on a row: the stem, then each continuation after one space. Without
    /// a merged header, a continuation is joined only to a stem that stops mid-sentence.
    fn text(&self, grid: &Grid, row: u32, question_col: u32) -> String {
        let mut text = grid.text(row, question_col).to_owned();
        for &col in &self.columns {
            let more = grid.text(row, col);
            let sentence_ended = text.ends_with(['?', '.', '!', ':', ';']);
            if text.is_empty() || more.is_empty() || is_placeholder(more) || sentence_ended && !self.merged_header {
                break;
            }
            text.push(' ');
            text.push_str(more);
        }
        text
    }
}

/// Whether a cell reads like a question or a request for information.
fn question_likeness(text: &str) -> f32 {
    let t = text.trim();
    let words = t.split_whitespace().count();
    if words < 2 || t.chars().filter(|c| c.is_alphabetic()).count() < 6 {
        return 0.0;
    }
    let lower = t.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    let mut score: f32 = 0.3 + (words.min(25) as f32) / 25.0;
    if t.ends_with('?') || t.contains("?") {
        score += 1.0;
    }
    const OPENERS: &[&str] = &[
        "do", "does", "is", "are", "has", "have", "can", "will", "how", "what", "which", "who", "when", "where",
        "describe", "provide", "explain", "list", "please", "indicate", "confirm", "state", "specify", "identify",
        "detail",
    ];
    if OPENERS.contains(&first) {
        score += 0.7;
    }
    score
}

/// Whether a cell looks like a question id: `GNRL-01`, `A&A-01.1`, `1.2.1`, `Q12`.
pub fn is_id_like(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 16 || t.contains(' ') {
        return false;
    }
    let has_digit = t.chars().any(|c| c.is_ascii_digit());
    let allowed = t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '&' | '_' | '/'));
    let letters = t.chars().filter(|c| c.is_ascii_alphabetic()).count();
    has_digit && allowed && letters <= 8
}

/// What a header row says about the columns.
#[derive(Default, Debug)]
struct HeaderVotes {
    question: Vec<u32>,
    id: Vec<u32>,
    answer: Vec<u32>,
    comment: Vec<u32>,
    section: Vec<u32>,
    reviewer: Vec<u32>,
}

/// A row is a header row when at least two of its cells are header words, or one is an
/// answer header; such rows may repeat down the sheet, one per section.
fn header_votes(grid: &Grid, row: u32) -> Option<HeaderVotes> {
    let cells = grid.rows.get(&row)?;
    // Data rows carry ids; header cells are a few words and never a question.
    if cells.iter().any(|c| is_id_like(&c.text)) {
        return None;
    }
    let mut votes = HeaderVotes::default();
    let mut hits = 0;
    for cell in cells {
        let t = &cell.text;
        if t.contains('?') || t.split_whitespace().count() > 5 {
            continue;
        }
        if is_reviewer_header(t) {
            votes.reviewer.push(cell.col);
            hits += 1;
        } else if header_matches(t, ANSWER_HEADERS) {
            votes.answer.push(cell.col);
            hits += 2;
        } else if header_matches(t, COMMENT_HEADERS) {
            votes.comment.push(cell.col);
            hits += 1;
        } else if header_matches(t, ID_HEADERS) {
            votes.id.push(cell.col);
            hits += 1;
        } else if header_matches(t, QUESTION_HEADERS) {
            votes.question.push(cell.col);
            hits += 1;
        } else if header_matches(t, SECTION_HEADERS) {
            votes.section.push(cell.col);
            hits += 1;
        }
    }
    (hits >= 2).then_some(votes)
}

/// Detects the layout of one sheet and reads its questions.
pub fn detect(grid: &Grid) -> (SheetSummary, Vec<Question>, Vec<Diagnostic>) {
    detect_with(grid, None)
}

/// Reads a sheet's questions with the layout the user chose (header row and columns), or
/// detects it when `chosen` is `None`. A chosen layout also reads a sheet that detection
/// skipped (hidden, or named like instructions).
pub fn detect_with(grid: &Grid, chosen: Option<&SheetLayout>) -> (SheetSummary, Vec<Question>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let summary = |role, layout, count| SheetSummary {
        name: grid.name.clone(),
        role,
        layout,
        question_count: count,
        chosen: chosen.is_some(),
    };
    if let Some(layout) = chosen {
        diagnostics.push(Diagnostic::info(Some(&grid.name), None, "Read with the columns you chose."));
        return read_questions(grid, layout.clone(), None, Split::default(), Vec::new(), diagnostics, summary);
    }
    if grid.hidden {
        return (
            summary(SheetRole::Hidden, None, 0),
            Vec::new(),
            vec![Diagnostic::info(Some(&grid.name), None, "Hidden sheet skipped.")],
        );
    }
    let lower_name = grid.name.to_lowercase();
    if AUXILIARY_SHEET_WORDS.iter().any(|w| lower_name.contains(w)) {
        let message = "Skipped: the sheet's name marks it as instructions, scoring or a lookup.";
        return (
            summary(SheetRole::Auxiliary, None, 0),
            Vec::new(),
            vec![Diagnostic::info(Some(&grid.name), None, message)],
        );
    }
    let header_rows: Vec<(u32, HeaderVotes)> =
        grid.rows.keys().filter_map(|&r| header_votes(grid, r).map(|v| (r, v))).collect();
    let first_header = header_rows.iter().map(|(r, _)| *r).find(|&r| r < HEADER_SEARCH_ROWS);
    let body_start = first_header.map(|r| r + 1).unwrap_or(0);

    // The question column: header votes plus how question-like its cells are.
    let mut column_scores: std::collections::BTreeMap<u32, f32> = Default::default();
    for (&row, cells) in grid.rows.range(body_start..) {
        if header_rows.iter().any(|(r, _)| *r == row) {
            continue;
        }
        for cell in cells {
            *column_scores.entry(cell.col).or_default() += question_likeness(&cell.text);
        }
    }
    let vote_count = |col: u32, pick: fn(&HeaderVotes) -> &Vec<u32>| {
        header_rows.iter().filter(|(_, v)| pick(v).contains(&col)).count()
    };
    for (col, score) in column_scores.iter_mut() {
        if vote_count(*col, |v| &v.question) > 0 {
            *score *= 1.5;
        }
        // Columns named for answers, comments or reviewers hold prose that may read like
        // questions (a vendor's long explanations), but never the questions. A header that
        // also names questions ("Requirement details") is not held against its column.
        let comment_only = header_rows
            .iter()
            .any(|(r, v)| v.comment.contains(col) && !header_matches(grid.text(*r, *col), QUESTION_HEADERS));
        if vote_count(*col, |v| &v.reviewer) > 0 || vote_count(*col, |v| &v.answer) > 0 || comment_only {
            *score *= 0.2;
        }
    }
    let Some((&question_col, &best)) = column_scores.iter().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0))) else {
        return (
            summary(SheetRole::NoQuestions, None, 0),
            Vec::new(),
            vec![Diagnostic::info(Some(&grid.name), None, "The sheet is empty.")],
        );
    };
    if best < 2.0 {
        let message = "No column of questions was found on this sheet.";
        return (
            summary(SheetRole::NoQuestions, None, 0),
            Vec::new(),
            vec![Diagnostic::info(Some(&grid.name), None, message)],
        );
    }

    // A question split over two cells whose continuation scored higher: the question starts
    // one column to the left, under the question header.
    let question_col = match first_header {
        Some(h) if question_col > 0 && grid.text(h, question_col).is_empty() => {
            if header_matches(grid.text(h, question_col - 1), QUESTION_HEADERS) {
                question_col - 1
            } else {
                question_col
            }
        }
        _ => question_col,
    };

    let most_voted = |pick: fn(&HeaderVotes) -> &Vec<u32>, exclude: &[u32]| -> Option<u32> {
        let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
        for (_, v) in &header_rows {
            for &c in pick(v) {
                if !exclude.contains(&c) {
                    *counts.entry(c).or_default() += 1;
                }
            }
        }
        counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(c, _)| c)
    };
    let question_rows: Vec<u32> = grid
        .rows
        .range(body_start..)
        .filter(|(r, _)| !header_rows.iter().any(|(h, _)| h == *r))
        .filter(|(r, _)| question_likeness(grid.text(**r, question_col)) > 0.0)
        .map(|(r, _)| *r)
        .collect();
    // The id column: left of the questions, mostly id-like where there is a question.
    let id_col = (0..question_col)
        .map(|c| (c, question_rows.iter().filter(|&&r| is_id_like(grid.text(r, c))).count()))
        .filter(|(_, n)| *n * 2 >= question_rows.len().max(1))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(c, _)| c)
        .or_else(|| most_voted(|v| &v.id, &[question_col]).filter(|&c| c != question_col));
    let taken = [Some(question_col), id_col].into_iter().flatten().collect::<Vec<_>>();
    let reviewer_cols: Vec<u32> = header_rows.iter().flat_map(|(_, v)| v.reviewer.clone()).collect();
    let mut answer_col = most_voted(|v| &v.answer, &taken);
    let mut exclude = taken.clone();
    exclude.extend(answer_col);
    exclude.extend(reviewer_cols.iter().copied());
    let mut comment_col = most_voted(|v| &v.comment, &exclude).filter(|&c| c > question_col);
    let mut section_col = most_voted(|v| &v.section, &exclude).filter(|&c| Some(c) != comment_col);
    let split = first_header.map_or_else(Split::default, |header_row| {
        let roles: Vec<u32> = exclude.iter().copied().chain(comment_col).chain(section_col).collect();
        Split::find(grid, header_row, question_col, answer_col.is_some(), &roles, &question_rows)
    });
    let last_question_col = split.columns.last().copied().unwrap_or(question_col);
    if answer_col.is_none() {
        // A dropdown beside the questions marks the answer column.
        answer_col = (last_question_col + 1..last_question_col + 6).find(|&c| {
            question_rows.iter().take(50).any(|&r| grid.choices_at(r, c).is_some()) && !reviewer_cols.contains(&c)
        });
    }
    if answer_col.is_none() {
        answer_col = Some(last_question_col + 1);
        diagnostics.push(Diagnostic::warning(
            Some(&grid.name),
            None,
            format!(
                "No answer column was named; answers will go in column {}, next to the questions.",
                crate::model::column_letters(last_question_col + 1)
            ),
        ));
    }
    // A column the answers fall back to is the answer column, whatever its header said.
    comment_col = comment_col.filter(|&c| Some(c) != answer_col);
    section_col = section_col.filter(|&c| Some(c) != answer_col);

    let layout = SheetLayout { header_row: first_header, question_col, id_col, answer_col, comment_col };
    read_questions(grid, layout, section_col, split, header_rows, diagnostics, summary)
}

/// Reads the questions of a sheet with a known layout: sections, ids, split questions,
/// placeholders and repeated headers.
fn read_questions(
    grid: &Grid,
    layout: SheetLayout,
    section_col: Option<u32>,
    split: Split,
    mut header_rows: Vec<(u32, HeaderVotes)>,
    mut diagnostics: Vec<Diagnostic>,
    summary: impl Fn(SheetRole, Option<SheetLayout>, usize) -> SheetSummary,
) -> (SheetSummary, Vec<Question>, Vec<Diagnostic>) {
    let SheetLayout { header_row: first_header, question_col, id_col, answer_col, comment_col } = layout.clone();
    if let Some(header) = first_header.filter(|h| !header_rows.iter().any(|(r, _)| r == h)) {
        header_rows.push((header, HeaderVotes::default()));
    }
    let body_start = first_header.map(|r| r + 1).unwrap_or(0);
    let mut questions = Vec::new();
    let mut section = String::new();
    for (&row, cells) in grid.rows.iter() {
        // Above the first header only rows with an id count: the rest is a title or instructions.
        if row < body_start && !id_col.is_some_and(|c| is_id_like(grid.text(row, c))) {
            continue;
        }
        if let Some((_, _)) = header_rows.iter().find(|(r, _)| *r == row) {
            // A repeated header often carries the section's name in its first cell.
            if let Some(first) = cells
                .first()
                .filter(|c| c.col < question_col || c.col == question_col && !header_matches(&c.text, QUESTION_HEADERS))
            {
                if !header_matches(&first.text, ID_HEADERS) && !header_matches(&first.text, QUESTION_HEADERS) {
                    section = first.text.clone();
                }
            }
            continue;
        }
        let text = split.text(grid, row, question_col);
        let text = text.as_str();
        let id_text = id_col.map(|c| grid.text(row, c)).unwrap_or("");
        let filled: Vec<_> = cells.iter().filter(|c| !c.text.is_empty()).collect();
        // A lone short cell with no id is a section heading (merged or not), even when it
        // sits in the id column, as a heading merged across the whole row does.
        if filled.len() == 1
            && !is_id_like(id_text)
            && filled[0].text.chars().count() <= 100
            && !filled[0].text.trim_end().ends_with('?')
        {
            section = filled[0].text.clone();
            continue;
        }
        if text.is_empty() || id_text.is_empty() && is_placeholder(text) {
            continue;
        }
        if id_text.is_empty() && question_likeness(text) < 1.0 {
            if !text.is_empty() {
                diagnostics.push(Diagnostic::info(
                    Some(&grid.name),
                    Some(row),
                    format!("Row {} was not read as a question: \"{}\".", row + 1, truncate(text, 60)),
                ));
            }
            continue;
        }
        if let Some(answer) = answer_col.and_then(|c| grid.cell(row, c)) {
            if answer.formula {
                diagnostics.push(Diagnostic::info(
                    Some(&grid.name),
                    Some(row),
                    format!("Row {} skipped: its answer is computed by a formula.", row + 1),
                ));
                continue;
            }
        }
        if let Some(c) = section_col {
            let value = grid.text(row, c);
            if !value.is_empty() {
                section = value.to_owned();
            }
        }
        let id =
            if id_text.is_empty() { format!("{}-R{}", short_name(&grid.name), row + 1) } else { id_text.to_owned() };
        let answer_format = answer_col
            .and_then(|c| grid.choices_at(row, c))
            .map(|choices| AnswerFormat::Choice(choices.to_vec()))
            .unwrap_or_default();
        questions.push(Question {
            id,
            section: section.trim().to_owned(),
            text: text.to_owned(),
            location: Location {
                sheet: grid.name.clone(),
                row,
                answer_cell: answer_col.map(|c| CellRef::new(row, c)),
                comment_cell: comment_col.map(|c| CellRef::new(row, c)),
                path: None,
            },
            answer_format,
            existing_answer: answer_col
                .map(|c| grid.text(row, c))
                .filter(|t| !t.is_empty() && !is_answer_prompt(t))
                .map(str::to_owned),
            existing_comment: comment_col.map(|c| grid.text(row, c)).filter(|t| !t.is_empty()).map(str::to_owned),
        });
    }
    let role = if questions.is_empty() { SheetRole::NoQuestions } else { SheetRole::Questions };
    let count = questions.len();
    (summary(role, Some(layout), count), questions, diagnostics)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

fn short_name(name: &str) -> String {
    let letters: String = name.chars().filter(|c| c.is_alphanumeric()).take(8).collect();
    if letters.is_empty() {
        "Q".into()
    } else {
        letters
    }
}

#[cfg(test)]
mod tests;
