//! The reviewer's own ratings and notes on a response, kept apart from the response itself:
//! saved as versioned JSON, read back with a typed error, and exported as CSV.

use super::{answer_kind, AnswerKind};
use crate::export::csv::neutralize;
use crate::model::Questionnaire;
use crate::review::Response;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of the notes file's `format` field, which marks a file as reviewer notes.
pub const NOTES_FORMAT: &str = "trustfill-reviewer-notes";

/// The version of the notes file. Readers refuse a newer one.
pub const NOTES_VERSION: u32 = 1;

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 6] = ["Id", "Section", "Question", "Answer", "Rating", "Note"];

/// The reviewer's verdict on one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Acceptable,
    NeedsFollowUp,
    Unacceptable,
}

impl Rating {
    /// Every rating, from best to worst.
    pub const ALL: [Rating; 3] = [Self::Acceptable, Self::NeedsFollowUp, Self::Unacceptable];

    /// The rating as the page and the CSV show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Acceptable => "Acceptable",
            Self::NeedsFollowUp => "Needs follow-up",
            Self::Unacceptable => "Unacceptable",
        }
    }
}

/// The reviewer's rating and note on one question; either may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerNote {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    #[serde(default)]
    pub note: String,
}

impl ReviewerNote {
    /// Whether the note says nothing: no rating and no text.
    pub fn is_empty(&self) -> bool {
        self.rating.is_none() && self.note.trim().is_empty()
    }
}

/// Every rating and note of one review, by question id, with the response they belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewerNotes {
    /// The name of the response file under review.
    pub package_file: String,
    /// The library version the response's answers came from.
    pub library_version: String,
    /// The notes by question id, in id order; a question without a note has no key.
    pub notes: BTreeMap<String, ReviewerNote>,
}

/// The notes file as written: the notes with their format and version.
#[derive(Serialize)]
struct NotesFileOut<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    notes: &'a ReviewerNotes,
}

/// Why a notes file could not be read. Each message is one plain sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotesError {
    #[error("The file is not reviewer notes: it is not JSON ({0}).")]
    NotJson(String),
    #[error("The file is not Trustfill reviewer notes (its format is {0:?}).")]
    WrongFormat(String),
    #[error("These reviewer notes are from a newer Trustfill (version {0}); this version reads version 1.")]
    NewerVersion(u64),
    #[error("The reviewer notes are damaged ({0}).")]
    Damaged(String),
    #[error("The file holds {0} notes, more than a questionnaire has questions ({max}).", max = crate::limits::MAX_QUESTIONS)]
    TooMany(usize),
}

impl ReviewerNotes {
    /// No notes yet, on the response in `package_file`, answered from `library_version`.
    pub fn new(package_file: &str, library_version: &str) -> Self {
        Self {
            package_file: package_file.to_owned(),
            library_version: library_version.to_owned(),
            notes: BTreeMap::new(),
        }
    }

    /// Whether the notes were made on this response (its file name and library version).
    pub fn belongs_to(&self, package_file: &str, library_version: &str) -> bool {
        self.package_file == package_file && self.library_version == library_version
    }

    /// The note on a question, if it has one.
    pub fn get(&self, id: &str) -> Option<&ReviewerNote> {
        self.notes.get(id)
    }

    /// The rating of a question, if it has one.
    pub fn rating(&self, id: &str) -> Option<Rating> {
        self.get(id).and_then(|n| n.rating)
    }

    /// Rates a question, or takes its rating away.
    pub fn set_rating(&mut self, id: &str, rating: Option<Rating>) {
        self.update(id, |note| note.rating = rating);
    }

    /// Writes a question's note; empty text takes it away.
    pub fn set_note(&mut self, id: &str, text: &str) {
        self.update(id, |note| note.note = text.to_owned());
    }

    /// Changes one question's note, and drops it once it says nothing, so that the file only
    /// holds the questions the reviewer wrote about.
    fn update(&mut self, id: &str, change: impl FnOnce(&mut ReviewerNote)) {
        let mut note = self.notes.remove(id).unwrap_or_default();
        change(&mut note);
        if !note.is_empty() {
            self.notes.insert(id.to_owned(), note);
        }
    }

    /// The ids that have a note but no question in the questionnaire (notes made on another
    /// version of the response), in id order.
    pub fn orphans<'a>(&'a self, questionnaire: &Questionnaire) -> Vec<&'a str> {
        self.notes
            .keys()
            .filter(|id| !questionnaire.questions.iter().any(|q| &q.id == *id))
            .map(String::as_str)
            .collect()
    }

    /// The notes as pretty JSON: `{"format": "trustfill-reviewer-notes", "version": 1, ...}`.
    /// Reading it back with [`ReviewerNotes::from_json`] gives the same notes, and writing
    /// those gives the same text.
    pub fn to_json(&self) -> String {
        let file = NotesFileOut { format: NOTES_FORMAT, version: NOTES_VERSION, notes: self };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads a notes file, refusing other JSON and a newer version in one sentence each.
    pub fn from_json(json: &str) -> Result<Self, NotesError> {
        let json = json.strip_prefix('\u{FEFF}').unwrap_or(json);
        let mut value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| NotesError::NotJson(e.to_string()))?;
        let object = value.as_object_mut().ok_or_else(|| NotesError::WrongFormat("not an object".into()))?;
        match object.remove("format") {
            Some(serde_json::Value::String(format)) if format == NOTES_FORMAT => {}
            Some(serde_json::Value::String(format)) => return Err(NotesError::WrongFormat(format)),
            _ => return Err(NotesError::WrongFormat("missing".into())),
        }
        match object.remove("version").and_then(|v| v.as_u64()) {
            Some(version) if version == u64::from(NOTES_VERSION) => {}
            Some(version) if version > u64::from(NOTES_VERSION) => return Err(NotesError::NewerVersion(version)),
            Some(version) => return Err(NotesError::Damaged(format!("version {version} does not exist"))),
            None => return Err(NotesError::Damaged("it has no version".into())),
        }
        let count = object.get("notes").and_then(|n| n.as_object()).map_or(0, |n| n.len());
        if count > crate::limits::MAX_QUESTIONS {
            return Err(NotesError::TooMany(count));
        }
        serde_json::from_value(value).map_err(|e| NotesError::Damaged(e.to_string()))
    }

    /// Every question with its final answer and the reviewer's rating and note, one row each,
    /// in questionnaire order, with formula injection neutralised in every cell.
    pub fn to_csv(&self, questionnaire: &Questionnaire, responses: &[Response]) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        let _ = writer.write_record(CSV_HEADER);
        for (index, question) in questionnaire.questions.iter().enumerate() {
            let answer = match (answer_kind(responses, index), responses.get(index)) {
                (AnswerKind::Unanswered, _) | (_, None) => "",
                (_, Some(response)) => response.answer.as_str(),
            };
            let note = self.get(&question.id);
            let rating = note.and_then(|n| n.rating).map_or("", Rating::label);
            let text = note.map_or("", |n| n.note.as_str());
            let record = [question.id.as_str(), &question.section, &question.text, answer, rating, text];
            let _ = writer.write_record(record.iter().map(|cell| neutralize(cell)));
        }
        writer.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Notes with every kind of content: each rating, no rating, text that JSON must escape,
    /// and ids that sort differently from the order they were written in.
    fn sample() -> ReviewerNotes {
        let mut notes = ReviewerNotes::new("vendor-trustfill.json", "3f2a9c");
        notes.set_rating("B-2", Some(Rating::NeedsFollowUp));
        notes.set_note("B-2", "Ask for the pen-test summary.\nDue \"Friday\" \u{2014} \\ \t.");
        notes.set_rating("A-10", Some(Rating::Unacceptable));
        notes.set_rating("A-9", Some(Rating::Acceptable));
        notes.set_note("C-1", "=HYPERLINK(\"http://x\")");
        notes
    }

    #[test]
    fn notes_round_trip_through_json_exactly() {
        for notes in [sample(), ReviewerNotes::new("", ""), ReviewerNotes::default()] {
            let json = notes.to_json();
            let back = ReviewerNotes::from_json(&json).unwrap();
            assert_eq!(back, notes);
            assert_eq!(back.to_json(), json, "writing the notes read back gives the same text");
        }
        let json = sample().to_json();
        assert!(json.starts_with("{\n  \"format\": \"trustfill-reviewer-notes\",\n  \"version\": 1,"), "{json}");
        assert!(json.contains("\"rating\": \"needs_follow_up\""), "{json}");
        assert_eq!(
            ReviewerNotes::from_json(&format!("\u{FEFF}{json}")).unwrap(),
            sample(),
            "a byte order mark is fine"
        );
    }

    #[test]
    fn an_emptied_note_is_dropped() {
        let mut notes = sample();
        notes.set_rating("A-9", None);
        notes.set_note("C-1", "  ");
        assert_eq!(notes.notes.keys().collect::<Vec<_>>(), ["A-10", "B-2"]);
        notes.set_note("B-2", "");
        assert_eq!(notes.get("B-2"), Some(&ReviewerNote { rating: Some(Rating::NeedsFollowUp), note: String::new() }));
        assert_eq!(notes.rating("A-10"), Some(Rating::Unacceptable));
        assert_eq!(notes.rating("Z-1"), None);
        assert!(notes.belongs_to("vendor-trustfill.json", "3f2a9c"));
        assert!(!notes.belongs_to("vendor-trustfill.json", "other"));
    }

    /// A file to read, and a test of the error it must give.
    type RefusalCase = (String, fn(&NotesError) -> bool);

    #[test]
    fn other_files_are_refused_in_words() {
        let many: String =
            (0..=crate::limits::MAX_QUESTIONS).map(|i| format!("\"q{i}\":{{}}")).collect::<Vec<_>>().join(",");
        let cases: Vec<RefusalCase> = vec![
            ("not json".into(), |e| matches!(e, NotesError::NotJson(_))),
            ("[1, 2]".into(), |e| matches!(e, NotesError::WrongFormat(_))),
            (
                r#"{"format":"trustfill-response","version":1}"#.into(),
                |e| matches!(e, NotesError::WrongFormat(f) if f == "trustfill-response"),
            ),
            (r#"{"version":1,"notes":{}}"#.into(), |e| matches!(e, NotesError::WrongFormat(_))),
            (r#"{"format":"trustfill-reviewer-notes","version":2,"notes":{}}"#.into(), |e| {
                matches!(e, NotesError::NewerVersion(2))
            }),
            (r#"{"format":"trustfill-reviewer-notes","version":0,"notes":{}}"#.into(), |e| {
                matches!(e, NotesError::Damaged(_))
            }),
            (r#"{"format":"trustfill-reviewer-notes","notes":{}}"#.into(), |e| matches!(e, NotesError::Damaged(_))),
            (r#"{"format":"trustfill-reviewer-notes","version":1,"notes":{"A":{"rating":"great"}}}"#.into(), |e| {
                matches!(e, NotesError::Damaged(_))
            }),
            (r#"{"format":"trustfill-reviewer-notes","version":1,"notes":[]}"#.into(), |e| {
                matches!(e, NotesError::Damaged(_))
            }),
            (
                format!(r#"{{"format":"trustfill-reviewer-notes","version":1,"notes":{{{many}}}}}"#),
                |e| matches!(e, NotesError::TooMany(n) if *n == crate::limits::MAX_QUESTIONS + 1),
            ),
        ];
        for (json, expected) in cases {
            let error = ReviewerNotes::from_json(&json).unwrap_err();
            assert!(expected(&error), "{json:.80}: {error:?}");
            assert!(error.to_string().ends_with('.'), "one sentence: {error}");
        }
        let minimal = r#"{"format":"trustfill-reviewer-notes","version":1}"#;
        assert_eq!(ReviewerNotes::from_json(minimal).unwrap(), ReviewerNotes::default(), "missing parts are empty");
    }
}
