//! CSV export of a review, with formula injection neutralised.

use crate::review::ReviewSession;

/// The CSV columns, in order.
pub const HEADER: [&str; 10] =
    ["Id", "Section", "Question", "Answer", "Detail", "Status", "Confidence", "Controls", "Library entry", "Note"];

/// Prefixes a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
/// carriage return first) with an apostrophe, so that it stays text.
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// Every question with its response, one row each, in questionnaire order.
pub fn to_csv(session: &ReviewSession) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record(HEADER);
    for (question, response) in session.questionnaire.questions.iter().zip(&session.responses) {
        let confidence = response.confidence.map(|c| format!("{:.0}%", c * 100.0)).unwrap_or_default();
        let record = [
            question.id.as_str(),
            question.section.as_str(),
            question.text.as_str(),
            response.answer.as_str(),
            response.detail.as_str(),
            response.status.label(),
            confidence.as_str(),
            &response.controls.join("; "),
            response.entry_id.as_deref().unwrap_or(""),
            response.note.as_str(),
        ];
        let _ = writer.write_record(record.iter().map(|c| neutralize(c)));
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for (input, expected) in [
            ("=1+1", "'=1+1"),
            ("+cmd", "'+cmd"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("-1+1", "'-1+1"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Yes", "Yes"),
            ("", ""),
        ] {
            assert_eq!(neutralize(input), expected);
        }
    }
}
