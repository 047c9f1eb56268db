//! The response package: a versioned JSON record of a completed review, which reopens in the
//! app and in review mode.
//!
//! Schema version 2 adds, per question, the evidence references, the scope status and the
//! staleness of the answer (each with its message), and, for the whole package, the SOC 2
//! profile and the date the answers were checked against it. Version 1 packages still read.

use crate::library::profile::{standings, Standing};
use crate::library::Library;
use crate::review::ReviewSession;
use serde_json::json;

/// The schema version of the response package. Readers accept this version and older ones;
/// fields added within a version are optional to readers.
pub const PACKAGE_SCHEMA_VERSION: u32 = 2;

/// The value of the package's `format` field, which marks a file as a response package.
pub const PACKAGE_FORMAT: &str = "trustfill-response";

/// The package as pretty JSON, without the library: each answer's scope is unknown (or tied
/// to no control) and none is marked stale. Prefer [`to_package_with_library`].
pub fn to_package(session: &ReviewSession) -> String {
    write(session, None, "")
}

/// The package as pretty JSON, with each answer's scope and staleness checked against the
/// library's SOC 2 profile as of `today` (`YYYY-MM-DD`; the core has no clock).
pub fn to_package_with_library(session: &ReviewSession, library: &Library, today: &str) -> String {
    write(session, Some(library), today)
}

fn write(session: &ReviewSession, library: Option<&Library>, today: &str) -> String {
    let standings: Vec<Standing> = standings(library, &session.responses, today);
    let questions: Vec<_> = session
        .questionnaire
        .questions
        .iter()
        .zip(&session.responses)
        .zip(&standings)
        .map(|((q, r), standing)| {
            let standing = standing.to_json();
            json!({
                "id": q.id, "section": q.section, "question": q.text, "location": q.location,
                "answer_format": q.answer_format,
                "answer": r.answer, "detail": r.detail, "status": r.status, "note": r.note,
                "entry_id": r.entry_id, "confidence": r.confidence, "controls": r.controls,
                "evidence": r.evidence, "scope": standing["scope"], "stale": standing["stale"],
            })
        })
        .collect();
    let mut package = json!({
        "format": PACKAGE_FORMAT,
        "schema_version": PACKAGE_SCHEMA_VERSION,
        "library_version": session.library_version,
        "source": { "file_name": session.questionnaire.file_name, "format": session.questionnaire.format },
        "questions": questions,
    });
    if let Some(profile) = library.and_then(Library::profile) {
        package["soc2_profile"] = serde_json::to_value(profile).unwrap_or_default();
        package["checked_on"] = today.into();
    }
    serde_json::to_string_pretty(&package).unwrap_or_default()
}
