//! Reopening a Trustfill response package (see `export/package.rs`): the questions with
//! their locations, and the answers, statuses and notes as they were exported.

use super::ImportError;
use crate::export::package::{PACKAGE_FORMAT, PACKAGE_SCHEMA_VERSION};
use crate::library::profile::{ScopeStatus, Soc2Profile, Stale, Standing};
use crate::limits;
use crate::model::{
    AnswerFormat, Diagnostic, Location, Question, Questionnaire, SheetRole, SheetSummary, SourceFormat,
};
use crate::review::{Response, ResponseStatus};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A response package as read back: the questionnaire, one response per question, and the
/// library version the answers came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponsePackage {
    pub questionnaire: Questionnaire,
    pub responses: Vec<Response>,
    pub library_version: String,
    /// The format of the file the questions were first imported from.
    pub source_format: Option<SourceFormat>,
    /// Each answer's scope and staleness as the package recorded them, one per response;
    /// `None` where it recorded none (every answer of a version 1 package).
    pub standings: Vec<Option<Standing>>,
    /// The SOC 2 profile the answers were checked against, when the package holds one.
    pub profile: Option<Soc2Profile>,
    /// The date the answers were checked against the profile (`YYYY-MM-DD`), or empty.
    pub checked_on: String,
}

#[derive(Deserialize)]
struct PackageFile {
    format: String,
    schema_version: u32,
    #[serde(default)]
    library_version: String,
    #[serde(default)]
    source: Option<PackageSource>,
    questions: Vec<PackageQuestion>,
    #[serde(default, deserialize_with = "lenient")]
    soc2_profile: Option<Soc2Profile>,
    #[serde(default)]
    checked_on: String,
}

/// Reads an optional part that later versions may extend: a value that does not fit is
/// dropped rather than failing the whole package.
fn lenient<'de, D: Deserializer<'de>, T: DeserializeOwned>(deserializer: D) -> Result<Option<T>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

#[derive(Deserialize)]
struct PackageSource {
    #[serde(default)]
    file_name: String,
    #[serde(default)]
    format: Option<SourceFormat>,
}

#[derive(Deserialize)]
struct PackageQuestion {
    id: String,
    #[serde(default)]
    section: String,
    question: String,
    #[serde(default)]
    location: Location,
    #[serde(default)]
    answer_format: AnswerFormat,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    detail: String,
    #[serde(default = "unanswered")]
    status: ResponseStatus,
    #[serde(default)]
    note: String,
    #[serde(default)]
    entry_id: Option<String>,
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    controls: Vec<String>,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    scope: Option<ScopeStatus>,
    #[serde(default, deserialize_with = "lenient")]
    stale: Option<Stale>,
}

fn unanswered() -> ResponseStatus {
    ResponseStatus::Unanswered
}

/// Whether the bytes look like a response package: JSON that names the package format near
/// its start.
pub fn looks_like_package(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let marker = format!("\"{PACKAGE_FORMAT}\"");
    super::vsaq::looks_like_json(bytes) && head.windows(marker.len()).any(|w| w == marker.as_bytes())
}

/// Reads a response package. Fails with one plain sentence when it is not one, is over the
/// size limit, or comes from a newer version of Trustfill. Like every import, it keeps the
/// first question of each id and at most [`limits::MAX_QUESTIONS`] questions, saying so, skips
/// questions without an id or text, and lists the sheets the questions came from.
pub fn read_package(bytes: &[u8], file_name: &str) -> Result<ResponsePackage, ImportError> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImportError::NotText)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let file: PackageFile = serde_json::from_str(text).map_err(|e| {
        ImportError::UnknownJson(format!("a damaged Trustfill response package: {}", super::json_problem(&e)))
    })?;
    if file.format != PACKAGE_FORMAT {
        return Err(ImportError::UnknownJson(format!("its format is \"{}\"", super::quoted(&file.format))));
    }
    if file.schema_version > PACKAGE_SCHEMA_VERSION {
        return Err(ImportError::UnknownJson(format!(
            "a response package from a newer Trustfill, schema version {}",
            file.schema_version
        )));
    }
    let (source_name, source_format) = file.source.map_or((String::new(), None), |s| (s.file_name, s.format));
    let mut questions = Vec::with_capacity(file.questions.len().min(limits::MAX_QUESTIONS));
    let mut responses = Vec::with_capacity(questions.capacity());
    let mut standings = Vec::with_capacity(questions.capacity());
    let mut diagnostics = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut skipped = 0;
    for item in file.questions {
        if item.id.trim().is_empty() || item.question.trim().is_empty() {
            skipped += 1;
            continue;
        }
        if !seen.insert(item.id.clone()) {
            diagnostics.push(Diagnostic::info(
                Some(&item.location.sheet),
                Some(item.location.row),
                format!("{} appears again in the package; the first occurrence is kept.", item.id),
            ));
            continue;
        }
        if questions.len() >= limits::MAX_QUESTIONS {
            diagnostics.push(Diagnostic::warning(None, None, super::too_many_questions()));
            break;
        }
        let answered = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
        questions.push(Question {
            id: item.id,
            section: item.section,
            text: item.question,
            location: item.location,
            answer_format: item.answer_format,
            existing_answer: answered(&item.answer),
            existing_comment: answered(&item.detail),
        });
        responses.push(Response {
            status: item.status,
            entry_id: item.entry_id,
            answer: item.answer,
            detail: item.detail,
            note: item.note,
            confidence: item.confidence.filter(|c| c.is_finite()).map(|c| c.clamp(0.0, 1.0)),
            controls: item.controls,
            evidence: item.evidence,
        });
        standings.push(item.scope.map(|scope| Standing { scope, stale: item.stale }));
    }
    if skipped > 0 {
        let message = match skipped {
            1 => "A question without an id or text was left out.".to_owned(),
            n => format!("{n} questions without an id or text were left out."),
        };
        diagnostics.push(Diagnostic::info(None, None, message));
    }
    let file_name = if source_name.is_empty() { file_name.to_owned() } else { source_name };
    let sheets = sheet_summaries(&questions);
    let questionnaire =
        Questionnaire { file_name, format: SourceFormat::ResponsePackage, sheets, questions, diagnostics };
    Ok(ResponsePackage {
        questionnaire,
        responses,
        library_version: file.library_version,
        source_format,
        standings,
        profile: file.soc2_profile,
        checked_on: file.checked_on,
    })
}

/// One summary per sheet the questions came from, in the order they first appear.
fn sheet_summaries(questions: &[Question]) -> Vec<SheetSummary> {
    let mut sheets: Vec<SheetSummary> = Vec::new();
    for question in questions {
        match sheets.iter_mut().find(|s| s.name == question.location.sheet) {
            Some(sheet) => sheet.question_count += 1,
            None => sheets.push(SheetSummary {
                name: question.location.sheet.clone(),
                role: SheetRole::Questions,
                layout: None,
                question_count: 1,
                chosen: false,
            }),
        }
    }
    sheets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::package::to_package;
    use crate::library::builtin;
    use crate::matching::Matcher;
    use crate::review::{ReviewAction, ReviewSession};

    fn session() -> ReviewSession {
        let csv = "ID,Question,Answer,Comments\nA-1,Do you encrypt data at rest?,,\nA-2,Do you enforce MFA for administrators?,,\nA-3,What colour is the sky?,,\n";
        let questionnaire = crate::import_questionnaire(csv.as_bytes(), "customer.csv").unwrap();
        let library = builtin::library();
        let matcher = Matcher::new(&library);
        let suggestions = matcher.match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
        let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
        session.apply(ReviewAction::Accept { question: 0 });
        session.apply(ReviewAction::Edit {
            question: 1,
            answer: "Yes".into(),
            detail: "<b>Always</b> & \"everywhere\".".into(),
        });
        session.apply(ReviewAction::NeedsSme { question: 2, note: "Ask the CISO.".into() });
        session
    }

    #[test]
    fn a_package_reopens_with_its_answers_statuses_and_notes() {
        let session = session();
        let json = to_package(&session);
        assert!(looks_like_package(json.as_bytes()));
        let package = read_package(json.as_bytes(), "x.json").unwrap();
        assert_eq!(package.responses, session.responses);
        assert_eq!(package.library_version, session.library_version);
        assert_eq!(package.source_format, Some(SourceFormat::Csv));
        assert_eq!(package.questionnaire.file_name, "customer.csv");
        let original = &session.questionnaire.questions;
        let reopened = &package.questionnaire.questions;
        assert_eq!(reopened.len(), original.len());
        for (a, b) in original.iter().zip(reopened) {
            assert_eq!(
                (&a.id, &a.section, &a.text, &a.location, &a.answer_format),
                (&b.id, &b.section, &b.text, &b.location, &b.answer_format)
            );
        }
        assert_eq!(reopened[1].existing_comment.as_deref(), Some("<b>Always</b> & \"everywhere\"."));
        let reopened_session = ReviewSession::reopened(package);
        assert_eq!(reopened_session.responses, session.responses);
    }

    #[test]
    fn import_reads_a_package_as_a_questionnaire() {
        let json = to_package(&session());
        let questionnaire = crate::import_questionnaire(json.as_bytes(), "customer-trustfill.json").unwrap();
        assert_eq!(questionnaire.format, SourceFormat::ResponsePackage);
        assert_eq!(questionnaire.questions.len(), 3);
        assert_eq!(questionnaire.questions[1].existing_answer.as_deref(), Some("Yes"));
    }

    /// Four questions whose answers stand differently against the built-in profile: covered,
    /// outside the scope (Privacy), stale (reviewed before the period), and tied to no control.
    const STANDINGS_CSV: &str = "ID,Question,Answer\n\
        S-1,Do you enforce MFA for administrators?,\n\
        S-2,Do you publish a privacy notice describing how you handle personal information?,\n\
        S-3,Do you carry commercial general liability insurance?,\n\
        S-4,Is the company party to any litigation?,\n";

    #[test]
    fn a_package_keeps_each_answers_scope_staleness_and_evidence() {
        use crate::export::package::to_package_with_library;
        use crate::library::profile::{ScopeStatus, Stale};
        let questionnaire = crate::import_questionnaire(STANDINGS_CSV.as_bytes(), "standings.csv").unwrap();
        let library = builtin::library();
        let suggestions = Matcher::new(&library).match_all(questionnaire.questions.iter().map(|q| q.text.as_str()));
        let mut session = ReviewSession::new(questionnaire, suggestions, &library.entries, library.version());
        let expected = ["cc6-mfa-admin", "p1-privacy-notice", "insurance-general-liability", "company-litigation"];
        for (question, id) in expected.iter().enumerate() {
            let entry = library.entry(id).unwrap().clone();
            session.apply(ReviewAction::Choose { question, entry: Box::new(entry), confidence: Some(0.8) });
        }
        let json = to_package_with_library(&session, &library, "2026-11-23");
        assert!(json.contains("\"message\": \"Privacy is not in your SOC 2 scope.\""), "messages are written");
        let package = read_package(json.as_bytes(), "x.json").unwrap();
        assert_eq!(package.responses, session.responses, "evidence travels with each response");
        assert!(package.responses.iter().all(|r| !r.evidence.is_empty()), "every chosen entry has evidence");
        assert_eq!(package.profile.as_ref(), library.profile());
        assert_eq!(package.checked_on, "2026-11-23");
        let scopes: Vec<_> = package.standings.iter().map(|s| s.as_ref().map(|s| s.scope.clone())).collect();
        assert_eq!(
            scopes,
            vec![
                Some(ScopeStatus::Covered),
                Some(ScopeStatus::OutOfScope { categories: vec![crate::criteria::Category::Privacy] }),
                Some(ScopeStatus::Covered),
                Some(ScopeStatus::NoControl),
            ]
        );
        let stale: Vec<bool> =
            package.standings.iter().map(|s| s.as_ref().is_some_and(|s| s.stale.is_some())).collect();
        assert_eq!(stale, vec![false, false, true, true]);
        assert!(matches!(
            &package.standings[2].as_ref().unwrap().stale,
            Some(Stale::ReviewedBeforePeriod { reviewed, .. }) if reviewed == "2025-09-12"
        ));
        // The package as it stands reads back the same when written again.
        let again = to_package_with_library(&ReviewSession::reopened(package.clone()), &library, "2026-11-23");
        assert_eq!(read_package(again.as_bytes(), "x.json").unwrap().standings, package.standings);
    }

    #[test]
    fn a_version_1_package_still_reads() {
        let v1 = format!(
            r#"{{"format":"{PACKAGE_FORMAT}","schema_version":1,"library_version":"abc",
            "questions":[{{"id":"1","question":"Q?","answer":"Yes","status":"accepted","controls":["CC6.1"]}}]}}"#
        );
        let package = read_package(v1.as_bytes(), "old.json").unwrap();
        assert_eq!(package.responses[0].answer, "Yes");
        assert!(package.responses[0].evidence.is_empty());
        assert_eq!(package.standings, vec![None]);
        assert_eq!(package.profile, None);
        let odd = format!(
            r#"{{"format":"{PACKAGE_FORMAT}","schema_version":2,
            "questions":[{{"id":"1","question":"Q?","scope":{{"status":"from_the_future"}},"stale":7}}]}}"#
        );
        assert_eq!(read_package(odd.as_bytes(), "odd.json").unwrap().standings, vec![None], "unknown parts drop");
    }

    #[test]
    fn other_json_and_newer_packages_are_refused_in_words() {
        let newer = format!(r#"{{"format":"{PACKAGE_FORMAT}","schema_version":99,"questions":[]}}"#);
        let error = read_package(newer.as_bytes(), "x.json").unwrap_err();
        assert!(error.to_string().contains("newer Trustfill"), "{error}");
        let damaged = format!(r#"{{"format":"{PACKAGE_FORMAT}","schema_version":1,"questions":[{{"id":3}}]}}"#);
        assert!(matches!(read_package(damaged.as_bytes(), "x.json"), Err(ImportError::UnknownJson(_))));
        assert!(!looks_like_package(br#"{"questionnaire": []}"#));
        assert!(read_package(b"\xff\xfe", "x.json").is_err());
    }
}
