//! The response package: a versioned JSON record of a completed review, which reopens in the
//! app and in review mode.

use crate::review::ReviewSession;
use serde_json::json;

/// The schema version of the response package. Readers accept this version and older ones;
/// fields added within a version are optional to readers.
pub const PACKAGE_SCHEMA_VERSION: u32 = 1;

/// The value of the package's `format` field, which marks a file as a response package.
pub const PACKAGE_FORMAT: &str = "trustfill-response";

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
                "answer_format": q.answer_format,
                "answer": r.answer, "detail": r.detail, "status": r.status, "note": r.note,
                "entry_id": r.entry_id, "confidence": r.confidence, "controls": r.controls,
            })
        })
        .collect();
    let package = json!({
        "format": PACKAGE_FORMAT,
        "schema_version": PACKAGE_SCHEMA_VERSION,
        "library_version": session.library_version,
        "source": { "file_name": session.questionnaire.file_name, "format": session.questionnaire.format },
        "questions": questions,
    });
    serde_json::to_string_pretty(&package).unwrap_or_default()
}
