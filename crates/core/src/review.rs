//! Review state: a response per question, the actions that change them, and undo/redo.

use crate::library::Entry;
use crate::matching::{Suggestion, Tier};
use crate::model::Questionnaire;
use serde::{Deserialize, Serialize};

/// The schema version of a serialised session; bump it when the shape changes.
pub const SESSION_SCHEMA_VERSION: u32 = 1;

/// Where a question stands in the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    Unanswered,
    Suggested,
    Accepted,
    Edited,
    NeedsSme,
    NoMatch,
}

impl ResponseStatus {
    pub const ALL: [ResponseStatus; 6] =
        [Self::Unanswered, Self::Suggested, Self::Accepted, Self::Edited, Self::NeedsSme, Self::NoMatch];

    pub fn label(self) -> &'static str {
        match self {
            Self::Unanswered => "Unanswered",
            Self::Suggested => "Suggested",
            Self::Accepted => "Accepted",
            Self::Edited => "Edited",
            Self::NeedsSme => "Needs SME",
            Self::NoMatch => "No match",
        }
    }

    /// Whether the answer is final and goes into an export.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Accepted | Self::Edited)
    }
}

/// The answer to one question as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub status: ResponseStatus,
    pub entry_id: Option<String>,
    pub answer: String,
    pub detail: String,
    pub note: String,
    pub confidence: Option<f32>,
    pub controls: Vec<String>,
    /// The evidence references of the entry the answer came from: names to look up, never
    /// links. (Added within schema version 1; older sessions read as having none.)
    #[serde(default)]
    pub evidence: Vec<String>,
}

impl Response {
    /// A question with no answer yet.
    pub fn unanswered() -> Self {
        Self::empty(ResponseStatus::Unanswered)
    }

    fn empty(status: ResponseStatus) -> Self {
        Self {
            status,
            entry_id: None,
            answer: String::new(),
            detail: String::new(),
            note: String::new(),
            confidence: None,
            controls: Vec::new(),
            evidence: Vec::new(),
        }
    }

    fn from_entry(entry: &Entry, status: ResponseStatus, confidence: Option<f32>) -> Self {
        Self {
            status,
            entry_id: Some(entry.id.clone()),
            answer: entry.answer.clone(),
            detail: entry.detail.clone(),
            note: String::new(),
            confidence,
            controls: entry.controls.iter().map(|c| c.to_string()).collect(),
            evidence: entry.evidence.clone(),
        }
    }
}

/// A change a reviewer makes. Each one can be undone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    /// Accept the current suggestion or answer as it stands.
    Accept { question: usize },
    /// Use a library entry (another suggestion, or one found by search) and accept it.
    Choose { question: usize, entry: Box<Entry>, confidence: Option<f32> },
    /// Replace the answer text.
    Edit { question: usize, answer: String, detail: String },
    /// Hand the question to a subject-matter expert, with a note.
    NeedsSme { question: usize, note: String },
    /// Clear the answer.
    Clear { question: usize },
    /// Accept every question whose top suggestion is in the high tier.
    AcceptAllHigh,
}

/// One undoable step: the responses it changed, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Step {
    changes: Vec<(usize, Response, Response)>,
}

/// A questionnaire under review: its questions, suggestions and responses, with history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSession {
    pub schema_version: u32,
    pub questionnaire: Questionnaire,
    pub suggestions: Vec<Vec<Suggestion>>,
    pub responses: Vec<Response>,
    pub library_version: String,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl ReviewSession {
    /// Starts a review: a question's top suggestion becomes its suggested answer unless the
    /// matcher found no match.
    pub fn new(
        questionnaire: Questionnaire,
        suggestions: Vec<Vec<Suggestion>>,
        entries: &[Entry],
        library_version: &str,
    ) -> Self {
        let responses = suggestions.iter().map(|list| Self::suggested_response(list, entries)).collect();
        Self {
            schema_version: SESSION_SCHEMA_VERSION,
            questionnaire,
            suggestions,
            responses,
            library_version: library_version.to_owned(),
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// A review reopened from a response package: its responses as they were exported, with
    /// no suggestions (match again to get them) and an empty history.
    pub fn reopened(package: crate::import::package::ResponsePackage) -> Self {
        let count = package.questionnaire.questions.len();
        let mut responses = package.responses;
        responses.resize(count, Response::empty(ResponseStatus::Unanswered));
        Self {
            schema_version: SESSION_SCHEMA_VERSION,
            questionnaire: package.questionnaire,
            suggestions: vec![Vec::new(); count],
            responses,
            library_version: package.library_version,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// Replaces the suggestions with a new ranking (the semantic model became ready, or the
    /// library changed) without touching the reviewer's work: only a question whose answer
    /// the matcher chose and nobody has touched (suggested, or no match) takes its new top
    /// suggestion. Returns the questions whose answer changed. The history is kept: undo
    /// restores a reviewer's own steps, and this is not one of them.
    pub fn rerank(&mut self, suggestions: Vec<Vec<Suggestion>>, entries: &[Entry]) -> Vec<usize> {
        if suggestions.len() != self.responses.len() {
            return Vec::new();
        }
        let mut changed = Vec::new();
        for (i, list) in suggestions.iter().enumerate() {
            let untouched = matches!(self.responses[i].status, ResponseStatus::Suggested | ResponseStatus::NoMatch)
                && self.responses[i].note.is_empty();
            if !untouched {
                continue;
            }
            let fresh = Self::suggested_response(list, entries);
            if fresh != self.responses[i] {
                self.responses[i] = fresh;
                changed.push(i);
            }
        }
        self.suggestions = suggestions;
        changed
    }

    /// A question's answer as the matcher proposes it: its top suggestion, or no match.
    fn suggested_response(list: &[Suggestion], entries: &[Entry]) -> Response {
        match list.first() {
            Some(top) if top.tier != Tier::None => match entries.iter().find(|e| e.id == top.entry_id) {
                Some(entry) => Response::from_entry(entry, ResponseStatus::Suggested, Some(top.confidence)),
                None => Response::empty(ResponseStatus::NoMatch),
            },
            _ => Response::empty(ResponseStatus::NoMatch),
        }
    }

    /// The questions that the bulk action would accept: top suggestion high, not yet final.
    pub fn high_tier_pending(&self) -> Vec<usize> {
        (0..self.responses.len())
            .filter(|&i| self.responses[i].status == ResponseStatus::Suggested)
            .filter(|&i| self.suggestions.get(i).and_then(|s| s.first()).is_some_and(|s| s.tier == Tier::High))
            .collect()
    }

    /// Applies an action and records it for undo. Returns how many questions changed.
    pub fn apply(&mut self, action: ReviewAction) -> usize {
        let targets: Vec<usize> = match &action {
            ReviewAction::AcceptAllHigh => self.high_tier_pending(),
            ReviewAction::Accept { question }
            | ReviewAction::Choose { question, .. }
            | ReviewAction::Edit { question, .. }
            | ReviewAction::NeedsSme { question, .. }
            | ReviewAction::Clear { question } => vec![*question],
        };
        let mut changes = Vec::new();
        for index in targets {
            let Some(before) = self.responses.get(index).cloned() else { continue };
            let after = match &action {
                ReviewAction::Accept { .. } | ReviewAction::AcceptAllHigh => {
                    if before.answer.trim().is_empty() && before.detail.trim().is_empty() {
                        continue;
                    }
                    Response { status: ResponseStatus::Accepted, ..before.clone() }
                }
                ReviewAction::Choose { entry, confidence, .. } => {
                    Response::from_entry(entry, ResponseStatus::Accepted, *confidence)
                }
                ReviewAction::Edit { answer, detail, .. } => Response {
                    status: ResponseStatus::Edited,
                    answer: answer.clone(),
                    detail: detail.clone(),
                    ..before.clone()
                },
                ReviewAction::NeedsSme { note, .. } => {
                    Response { status: ResponseStatus::NeedsSme, note: note.clone(), ..before.clone() }
                }
                ReviewAction::Clear { .. } => Response::empty(ResponseStatus::Unanswered),
            };
            if after != before {
                self.responses[index] = after.clone();
                changes.push((index, before, after));
            }
        }
        let changed = changes.len();
        if changed > 0 {
            self.undo.push(Step { changes });
            self.redo.clear();
        }
        changed
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last action; returns whether there was one.
    pub fn undo(&mut self) -> bool {
        let Some(step) = self.undo.pop() else { return false };
        for (index, before, _) in step.changes.iter().rev() {
            self.responses[*index] = before.clone();
        }
        self.redo.push(step);
        true
    }

    /// Redoes the last undone action; returns whether there was one.
    pub fn redo(&mut self) -> bool {
        let Some(step) = self.redo.pop() else { return false };
        for (index, _, after) in &step.changes {
            self.responses[*index] = after.clone();
        }
        self.undo.push(step);
        true
    }

    /// How many questions are in each status, in `ResponseStatus::ALL` order.
    pub fn counts(&self) -> Vec<(ResponseStatus, usize)> {
        ResponseStatus::ALL.iter().map(|&s| (s, self.responses.iter().filter(|r| r.status == s).count())).collect()
    }

    /// The session as JSON, with its schema version.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The session as JSON for autosave: everything but the suggestions, which are large
    /// (three explanations per question) and which matching gives back on restore (see
    /// [`ReviewSession::needs_suggestions`]).
    pub fn to_saved_json(&self) -> String {
        #[derive(Serialize)]
        struct Saved<'a> {
            schema_version: u32,
            questionnaire: &'a Questionnaire,
            suggestions: [(); 0],
            responses: &'a [Response],
            library_version: &'a str,
            undo: &'a [Step],
            redo: &'a [Step],
        }
        let saved = Saved {
            schema_version: self.schema_version,
            questionnaire: &self.questionnaire,
            suggestions: [],
            responses: &self.responses,
            library_version: &self.library_version,
            undo: &self.undo,
            redo: &self.redo,
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Whether the suggestions must be matched again (after a restore from
    /// [`ReviewSession::to_saved_json`]).
    pub fn needs_suggestions(&self) -> bool {
        self.suggestions.len() != self.questionnaire.questions.len()
    }

    /// Reads a saved session, refusing one from another schema version.
    pub fn from_json(json: &str) -> Result<Self, SessionError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| SessionError::Corrupt(e.to_string()))?;
        let version = value.get("schema_version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        if version != SESSION_SCHEMA_VERSION {
            return Err(SessionError::UnknownVersion(version));
        }
        serde_json::from_value(value).map_err(|e| SessionError::Corrupt(e.to_string()))
    }
}

/// Why a saved session could not be restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("The saved session is damaged ({0}).")]
    Corrupt(String),
    #[error("The saved session is from schema version {0}, which this version of Trustfill cannot read.")]
    UnknownVersion(u32),
}

#[cfg(test)]
mod tests;
