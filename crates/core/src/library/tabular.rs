//! Libraries kept as tables (CSV or XLSX) with the columns
//! `id, question, alternates, answer, detail, controls, tags, owner, reviewed, status, evidence,
//! from_profile`. A table holds entries only: the SOC 2 profile cannot travel in one, so a
//! profile answer read from a table keeps its stored text until the library has a profile.

use super::{Entry, EntryStatus, LibraryError};
use crate::criteria::CriterionId;

/// The columns a library table may have, in export order.
pub const COLUMNS: [&str; 13] = [
    "id",
    "question",
    "alternates",
    "answer",
    "detail",
    "controls",
    "tags",
    "owner",
    "reviewed",
    "status",
    "evidence",
    "learned",
    "from_profile",
];

/// Builds entries from a table whose first row is the header. Headers match
/// case-insensitively and unknown columns are ignored. `alternates` and `evidence` are split
/// on `|`, `controls` and `tags` on `;`. Rows without a question are skipped.
pub fn entries_from_rows(rows: &[Vec<String>]) -> Result<Vec<Entry>, LibraryError> {
    let Some((header, body)) = rows.split_first() else {
        return Err(LibraryError::Table("the file is empty".into()));
    };
    let position = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let columns: Vec<Option<usize>> = COLUMNS.iter().map(|c| position(c)).collect();
    if columns[1].is_none() {
        return Err(LibraryError::Table("no \"question\" column in the header row".into()));
    }
    if body.len() > crate::limits::MAX_LIBRARY_ENTRIES {
        return Err(LibraryError::TooLarge(body.len()));
    }
    let mut entries = Vec::new();
    for (index, row) in body.iter().enumerate() {
        let cell = |k: usize| {
            columns[k].and_then(|i| row.get(i)).map(|s| unneutralize(s.trim()).to_owned()).unwrap_or_default()
        };
        let split = |k: usize, sep: char| -> Vec<String> {
            cell(k).split(sep).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
        };
        let question = cell(1);
        if question.is_empty() {
            continue;
        }
        let id = Some(cell(0)).filter(|s| !s.is_empty()).unwrap_or_else(|| format!("row-{}", index + 2));
        let status = match cell(9).to_ascii_lowercase().as_str() {
            "draft" => EntryStatus::Draft,
            "retired" => EntryStatus::Retired,
            _ => EntryStatus::Approved,
        };
        entries.push(Entry {
            id,
            question,
            alternates: split(2, '|'),
            answer: cell(3),
            detail: cell(4),
            controls: split(5, ';').iter().filter_map(|c| CriterionId::parse(c).ok()).collect(),
            tags: split(6, ';'),
            owner: cell(7),
            reviewed: cell(8),
            status,
            evidence: split(10, '|'),
            learned: split(11, '|'),
            // An unknown fact is left out: the entry keeps its text as written.
            from_profile: cell(12).parse().ok(),
        });
    }
    Ok(entries)
}

/// Undoes the apostrophe that CSV export puts before a cell a spreadsheet would run as a
/// formula (see [`crate::export::csv::neutralize`]), so that export then import is lossless.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// The inverse of [`entries_from_rows`]: a header row, then one row per entry.
pub fn entries_to_rows(entries: &[Entry]) -> Vec<Vec<String>> {
    let mut rows = vec![COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for e in entries {
        let status = match e.status {
            EntryStatus::Approved => "approved",
            EntryStatus::Draft => "draft",
            EntryStatus::Retired => "retired",
        };
        rows.push(vec![
            e.id.clone(),
            e.question.clone(),
            e.alternates.join(" | "),
            e.answer.clone(),
            e.detail.clone(),
            e.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("; "),
            e.tags.join("; "),
            e.owner.clone(),
            e.reviewed.clone(),
            status.to_owned(),
            e.evidence.join(" | "),
            e.learned.join(" | "),
            e.from_profile.map(|f| f.to_string()).unwrap_or_default(),
        ]);
    }
    rows
}
