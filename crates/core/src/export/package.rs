//! The response package: a versioned JSON record of a completed review, which reopens in the
//! app and in review mode.

use crate::review::ReviewSession;
use serde_json::json;

/// The schema version of the response package.
pub const PACKAGE_SCHEMA_VERSION: u32 = 1;

/// The package as pretty JSON.
pub fn to_package(session: &ReviewSession) -> String {
    let questions: Vec<_> = session
        .questionnaire
        .questions
        .iter()
        .zip(&session.responses)
        .map(|(q, r)| {
            json!({
                "id": q.id, "section": q.section, "question": q.text, "location": q.location,
                "answer": r.answer, "detail": r.detail, "status": r.status, "note": r.note,
                "entry_id": r.entry_id, "confidence": r.confidence, "controls": r.controls,
            })
        })
        .collect();
    let package = json!({
        "format": "trustfill-response",
        "schema_version": PACKAGE_SCHEMA_VERSION,
        "library_version": session.library_version,
        "source": { "file_name": session.questionnaire.file_name, "format": session.questionnaire.format },
        "questions": questions,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default()
}
