//! Learning from reviews: an accepted answer teaches the library a new phrasing, or an
//! edited one becomes a draft entry for its owner to approve.

use super::{Entry, EntryStatus, Library};
use crate::criteria::CriterionId;
use crate::review::Response;

/// What saving a reviewed answer to the library did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Learned {
    /// The question became an alternate phrasing of this entry.
    Phrasing { entry_id: String },
    /// A new draft entry was made from the edited answer.
    Draft { entry_id: String },
    /// The entry already knows this question word for word; nothing changed.
    AlreadyKnown { entry_id: String },
}

impl Learned {
    /// The sentence the UI shows.
    pub fn message(&self) -> String {
        match self {
            Learned::Phrasing { entry_id } => {
                format!("Saved: the question is now a phrasing of library entry {entry_id}.")
            }
            Learned::Draft { entry_id } => {
                format!("Saved as draft entry {entry_id}; approve it on the library page to use it for matching.")
            }
            Learned::AlreadyKnown { entry_id } => format!("Library entry {entry_id} already has this phrasing."),
        }
    }

    pub fn entry_id(&self) -> &str {
        match self {
            Learned::Phrasing { entry_id } | Learned::Draft { entry_id } | Learned::AlreadyKnown { entry_id } => {
                entry_id
            }
        }
    }
}

/// Why a reviewed answer cannot be saved to the library.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LearnError {
    #[error("There is no answer to save yet.")]
    NoAnswer,
    #[error("The question is empty.")]
    NoQuestion,
}

/// Compares answer texts as a reader would: case, spacing and a final full stop aside.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches('.').to_lowercase();
    norm(a) == norm(b)
}

/// Saves a reviewed answer: when it is still its library entry's answer, the question
/// becomes one of the entry's phrasings; otherwise a draft entry holds the new answer, with
/// the entry's controls and tags. `today` (`YYYY-MM-DD`) dates a new draft.
pub fn learn(library: &mut Library, question: &str, response: &Response, today: &str) -> Result<Learned, LearnError> {
    let question = question.trim();
    if question.is_empty() {
        return Err(LearnError::NoQuestion);
    }
    if response.answer.trim().is_empty() && response.detail.trim().is_empty() {
        return Err(LearnError::NoAnswer);
    }
    let source = response.entry_id.as_deref().and_then(|id| library.entry(id)).cloned();
    let learned = match source {
        Some(entry) if same_text(&entry.answer, &response.answer) && same_text(&entry.detail, &response.detail) => {
            if entry.phrasings().any(|p| same_text(p, question)) {
                return Ok(Learned::AlreadyKnown { entry_id: entry.id });
            }
            let mut updated = entry.clone();
            updated.learned.push(question.to_owned());
            replace(library, updated);
            Learned::Phrasing { entry_id: entry.id }
        }
        source => {
            let id = fresh_id(library, source.as_ref().map_or("learned", |e| e.id.as_str()));
            let controls: Vec<CriterionId> = match &source {
                Some(entry) => entry.controls.clone(),
                None => response.controls.iter().filter_map(|c| CriterionId::parse(c).ok()).collect(),
            };
            let draft = Entry {
                id: id.clone(),
                question: question.to_owned(),
                alternates: Vec::new(),
                answer: response.answer.trim().to_owned(),
                detail: response.detail.trim().to_owned(),
                controls,
                tags: source.as_ref().map(|e| e.tags.clone()).unwrap_or_default(),
                owner: source.as_ref().map(|e| e.owner.clone()).unwrap_or_default(),
                reviewed: today.to_owned(),
                status: EntryStatus::Draft,
                evidence: source.map(|e| e.evidence).unwrap_or_default(),
                learned: Vec::new(),
                // The reviewer's own words: a draft states no profile fact, or its text would
                // be overwritten by the profile's.
                from_profile: None,
            };
            replace(library, draft);
            Learned::Draft { entry_id: id }
        }
    };
    Ok(learned)
}

/// Puts an entry in the library, replacing the one with its id, and renews the version. The
/// profile stays, and still writes the profile answers.
pub fn replace(library: &mut Library, entry: Entry) {
    let mut entries = std::mem::take(&mut library.entries);
    match entries.iter_mut().find(|e| e.id == entry.id) {
        Some(slot) => *slot = entry,
        None => entries.push(entry),
    }
    *library = Library::with_profile(entries, library.criteria.clone(), library.profile().cloned());
}

/// The first of `base-learned-1`, `base-learned-2`, … that no entry uses.
fn fresh_id(library: &Library, base: &str) -> String {
    let stem = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-').trim_end_matches("-learned");
    (1..).map(|n| format!("{stem}-learned-{n}")).find(|id| library.entry(id).is_none()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::builtin;
    use crate::review::ResponseStatus;

    fn response_from(entry: &Entry) -> Response {
        Response {
            status: ResponseStatus::Accepted,
            entry_id: Some(entry.id.clone()),
            answer: entry.answer.clone(),
            detail: entry.detail.clone(),
            note: String::new(),
            confidence: Some(0.8),
            controls: entry.controls.iter().map(|c| c.to_string()).collect(),
            evidence: entry.evidence.clone(),
        }
    }

    #[test]
    fn an_accepted_answer_teaches_a_phrasing_once() {
        let mut library = builtin::library();
        let entry = library.approved().next().unwrap().clone();
        let version = library.version().to_owned();
        let question = "Is our way of asking this completely new to you?";
        let learned = learn(&mut library, question, &response_from(&entry), "2026-11-23").unwrap();
        assert_eq!(learned, Learned::Phrasing { entry_id: entry.id.clone() });
        assert!(library.entry(&entry.id).unwrap().learned.iter().any(|a| a == question));
        assert_ne!(library.version(), version, "the version follows the content");
        let again = learn(&mut library, question, &response_from(&entry), "2026-11-23").unwrap();
        assert_eq!(again, Learned::AlreadyKnown { entry_id: entry.id.clone() });
    }

    #[test]
    fn an_edited_answer_becomes_a_draft_with_the_entrys_controls() {
        let mut library = builtin::library();
        let entry = library.approved().next().unwrap().clone();
        let count = library.entries.len();
        let mut response = response_from(&entry);
        response.detail = "A different explanation that the owner must approve.".into();
        let learned = learn(&mut library, "How do you do it?", &response, "2026-11-23").unwrap();
        let Learned::Draft { entry_id } = learned else { panic!("{learned:?}") };
        let draft = library.entry(&entry_id).unwrap();
        assert_eq!(draft.status, EntryStatus::Draft);
        assert_eq!(draft.controls, entry.controls);
        assert_eq!(draft.reviewed, "2026-11-23");
        assert_eq!(library.entries.len(), count + 1);
        let second = learn(&mut library, "And again?", &response, "2026-11-23").unwrap();
        assert_ne!(second.entry_id(), entry_id, "each draft gets its own id");
    }

    #[test]
    fn nothing_to_save_is_refused_in_words() {
        let mut library = builtin::library();
        let full = response_from(&library.entries[0]);
        let empty = Response { answer: " ".into(), detail: String::new(), ..response_from(&library.entries[0]) };
        assert_eq!(learn(&mut library, "Q?", &empty, "2026-11-23"), Err(LearnError::NoAnswer));
        assert_eq!(learn(&mut library, " ", &full, "2026-11-23"), Err(LearnError::NoQuestion));
    }
}
