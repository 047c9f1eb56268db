//! Editing one library entry: a form of plain text fields, validated into an entry with
//! every problem said in words; approving or dismissing phrasings learned from reviews.

use super::check::day_number;
use super::profile::ProfileFact;
use super::{Entry, EntryStatus};
use crate::criteria::{CriteriaCatalog, CriterionId};

/// An entry as the editor shows it: every field is text. Lists are one item per line
/// (alternates, evidence, learned) or separated by `;` or `,` (controls, tags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryForm {
    pub id: String,
    pub question: String,
    pub alternates: String,
    pub answer: String,
    pub detail: String,
    pub controls: String,
    pub tags: String,
    pub owner: String,
    pub reviewed: String,
    pub status: EntryStatus,
    pub evidence: String,
    pub learned: Vec<String>,
    /// The SOC 2 report fact the entry states, if any: its answer is then written from the
    /// library's profile.
    pub from_profile: Option<ProfileFact>,
}

/// Something wrong with an edited entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("The id is empty.")]
    EmptyId,
    #[error("The id \"{0}\" may hold only letters, digits, dots, dashes and underscores.")]
    BadId(String),
    #[error("The id \"{0}\" is already used by another entry.")]
    DuplicateId(String),
    #[error("The question is empty.")]
    EmptyQuestion,
    #[error("The answer is empty; write Yes, No, N/A, Partial or a short answer.")]
    EmptyAnswer,
    #[error("The control \"{0}\" is not a SOC 2 criterion (they look like CC6.1, A1.2 or P4.1).")]
    UnknownControl(String),
    #[error("The review date \"{0}\" is not a date written as YYYY-MM-DD.")]
    BadDate(String),
    #[error("The same alternate phrasing \"{0}\" is listed twice.")]
    RepeatedAlternate(String),
}

/// Splits a list field on any of the separators, trimming items and dropping empty ones.
fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl EntryForm {
    /// The form for an existing entry.
    pub fn from_entry(entry: &Entry) -> Self {
        Self {
            id: entry.id.clone(),
            question: entry.question.clone(),
            alternates: entry.alternates.join("\n"),
            answer: entry.answer.clone(),
            detail: entry.detail.clone(),
            controls: entry.controls.iter().map(CriterionId::as_str).collect::<Vec<_>>().join("; "),
            tags: entry.tags.join("; "),
            owner: entry.owner.clone(),
            reviewed: entry.reviewed.clone(),
            status: entry.status,
            evidence: entry.evidence.join("\n"),
            learned: entry.learned.clone(),
            from_profile: entry.from_profile,
        }
    }

    /// A blank form for a new entry, dated `today` and saved as a draft until approved.
    pub fn new_entry(id: String, today: &str) -> Self {
        Self { id, reviewed: today.to_owned(), status: EntryStatus::Draft, ..Self::default() }
    }

    /// The entry the form describes, or every problem with it. `taken_ids` holds the ids of
    /// the other entries in the library (not the one being edited).
    pub fn to_entry<'a>(
        &self,
        catalog: &CriteriaCatalog,
        taken_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Entry, Vec<EntryProblem>> {
        let mut problems = Vec::new();
        let id = self.id.trim().to_owned();
        if id.is_empty() {
            problems.push(EntryProblem::EmptyId);
        } else if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
            problems.push(EntryProblem::BadId(id.clone()));
        } else if taken_ids.into_iter().any(|taken| taken == id) {
            problems.push(EntryProblem::DuplicateId(id.clone()));
        }
        if self.question.trim().is_empty() {
            problems.push(EntryProblem::EmptyQuestion);
        }
        if self.answer.trim().is_empty() {
            problems.push(EntryProblem::EmptyAnswer);
        }
        let mut controls = Vec::new();
        for raw in split_list(&self.controls, &[';', ',', '\n']) {
            match CriterionId::parse(&raw) {
                Ok(id) if catalog.get(&id).is_some() => controls.push(id),
                _ => problems.push(EntryProblem::UnknownControl(raw)),
            }
        }
        let reviewed = self.reviewed.trim().to_owned();
        if day_number(&reviewed).is_none() {
            problems.push(EntryProblem::BadDate(reviewed.clone()));
        }
        let alternates = split_list(&self.alternates, &['\n']);
        for (index, alternate) in alternates.iter().enumerate() {
            if alternates[..index].iter().any(|earlier| earlier.eq_ignore_ascii_case(alternate)) {
                problems.push(EntryProblem::RepeatedAlternate(alternate.clone()));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Entry {
            id,
            question: self.question.trim().to_owned(),
            alternates,
            answer: self.answer.trim().to_owned(),
            detail: self.detail.trim().to_owned(),
            controls,
            tags: split_list(&self.tags, &[';', ',', '\n']),
            owner: self.owner.trim().to_owned(),
            reviewed,
            status: self.status,
            evidence: split_list(&self.evidence, &['\n']),
            learned: self.learned.clone(),
            from_profile: self.from_profile,
        })
    }
}

/// Approves a phrasing learned from a review: it becomes one of the entry's alternates.
/// Returns whether the entry had that learned phrasing.
pub fn approve_learned(entry: &mut Entry, phrasing: &str) -> bool {
    let Some(position) = entry.learned.iter().position(|p| p == phrasing) else { return false };
    let phrasing = entry.learned.remove(position);
    if !entry.alternates.iter().any(|a| a.eq_ignore_ascii_case(&phrasing)) {
        entry.alternates.push(phrasing);
    }
    true
}

/// Dismisses a phrasing learned from a review: the entry forgets it.
pub fn dismiss_learned(entry: &mut Entry, phrasing: &str) -> bool {
    let before = entry.learned.len();
    entry.learned.retain(|p| p != phrasing);
    entry.learned.len() != before
}

/// The first id of the form `<prefix>-<n>` that `taken` does not hold, for a new entry.
pub fn fresh_id<'a>(prefix: &str, taken: impl IntoIterator<Item = &'a str> + Clone) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|candidate| !taken.clone().into_iter().any(|t| t == candidate))
        .unwrap_or_else(|| prefix.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::builtin;

    fn valid_form() -> EntryForm {
        EntryForm {
            id: "custom-1".into(),
            question: "Do you encrypt backups?".into(),
            alternates: "Are backups encrypted?\nIs backup data protected by encryption?".into(),
            answer: "Yes".into(),
            detail: "Backups are encrypted with AES-256.".into(),
            controls: "CC6.1; C1.1".into(),
            tags: "backup, encryption".into(),
            owner: "security@example.com".into(),
            reviewed: "2026-11-01".into(),
            status: EntryStatus::Approved,
            evidence: "Backup policy, section 3".into(),
            learned: vec![],
            from_profile: None,
        }
    }

    #[test]
    fn a_valid_form_becomes_an_entry_and_back() {
        let library = builtin::library();
        let entry = valid_form().to_entry(&library.criteria, ["other"]).unwrap();
        assert_eq!(entry.alternates.len(), 2);
        assert_eq!(entry.controls.len(), 2);
        assert_eq!(entry.tags, ["backup", "encryption"]);
        let again = EntryForm::from_entry(&entry).to_entry(&library.criteria, ["other"]).unwrap();
        assert_eq!(again, entry);
    }

    #[test]
    fn every_problem_is_reported_in_words() {
        let library = builtin::library();
        type Spoil = fn(&mut EntryForm);
        let cases: Vec<(Spoil, EntryProblem)> = vec![
            (|f| f.id = " ".into(), EntryProblem::EmptyId),
            (|f| f.id = "has space".into(), EntryProblem::BadId("has space".into())),
            (|f| f.id = "taken".into(), EntryProblem::DuplicateId("taken".into())),
            (|f| f.question = "".into(), EntryProblem::EmptyQuestion),
            (|f| f.answer = "  ".into(), EntryProblem::EmptyAnswer),
            (|f| f.controls = "CC6.1; CC6.99".into(), EntryProblem::UnknownControl("CC6.99".into())),
            (|f| f.controls = "banana".into(), EntryProblem::UnknownControl("banana".into())),
            (|f| f.reviewed = "2026-13-01".into(), EntryProblem::BadDate("2026-13-01".into())),
            (|f| f.alternates = "A\na".into(), EntryProblem::RepeatedAlternate("a".into())),
        ];
        for (spoil, expected) in cases {
            let mut form = valid_form();
            spoil(&mut form);
            let problems = form.to_entry(&library.criteria, ["taken"]).unwrap_err();
            assert_eq!(problems, vec![expected.clone()], "{expected:?}");
            let sentence = expected.to_string();
            assert!(sentence.ends_with('.') && sentence.starts_with(char::is_uppercase), "{sentence}");
        }
    }

    #[test]
    fn learned_phrasings_are_approved_or_dismissed() {
        let mut entry = valid_form().to_entry(&builtin::library().criteria, []).unwrap();
        entry.learned = vec!["Is your backup encrypted?".into(), "Backups: encrypted?".into()];
        assert!(approve_learned(&mut entry, "Is your backup encrypted?"));
        assert!(entry.alternates.contains(&"Is your backup encrypted?".to_owned()));
        assert!(dismiss_learned(&mut entry, "Backups: encrypted?"));
        assert!(entry.learned.is_empty());
        assert!(!approve_learned(&mut entry, "never learned"));
    }

    #[test]
    fn fresh_ids_skip_taken_ones() {
        assert_eq!(fresh_id("custom", ["custom-1", "custom-2"]), "custom-3");
        assert_eq!(fresh_id("custom", []), "custom-1");
    }
}
