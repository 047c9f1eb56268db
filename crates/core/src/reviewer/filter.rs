//! The review page's filters and search: which questions to show, decided here so that the
//! page only renders the indices it is given.

use super::notes::{Rating, ReviewerNotes};
use super::{answer_kind, cited_criteria, AnswerKind, ReviewerSummary};
use crate::criteria::Category;
use crate::model::Questionnaire;
use crate::review::Response;
use std::collections::BTreeSet;

/// Which rating a question must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingFilter {
    /// Not rated yet.
    Unrated,
    /// Rated so.
    Is(Rating),
}

/// What the reviewer asks to see. Every part left at its default lets every question
/// through; the parts given must all hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewerFilter {
    /// Words that must each appear, in any case, in the question's id, section or text, its
    /// answer or detail, its controls, or the reviewer's note.
    pub text: String,
    /// The kind of answer.
    pub answer: Option<AnswerKind>,
    /// A SOC 2 category that the answer's controls must cite.
    pub category: Option<Category>,
    /// The reviewer's rating.
    pub rating: Option<RatingFilter>,
    /// Only answers that the summary flags: stale, or outside the SOC 2 scope.
    pub flagged_only: bool,
}

/// The indices of the questions that pass the filter, in questionnaire order.
pub fn filter(
    questionnaire: &Questionnaire,
    responses: &[Response],
    summary: &ReviewerSummary,
    notes: &ReviewerNotes,
    wanted: &ReviewerFilter,
) -> Vec<usize> {
    let words: Vec<String> = wanted.text.to_lowercase().split_whitespace().map(str::to_owned).collect();
    let flagged: BTreeSet<usize> =
        summary.stale.iter().map(|s| s.index).chain(summary.out_of_scope.iter().map(|s| s.index)).collect();
    let passes = |index: usize| {
        let question = &questionnaire.questions[index];
        let response = responses.get(index);
        let note = notes.get(&question.id);
        if wanted.answer.is_some_and(|kind| answer_kind(responses, index) != kind) {
            return false;
        }
        if wanted.category.is_some_and(|category| !cited_criteria(response).iter().any(|c| Category::of(c) == category))
        {
            return false;
        }
        let rating = note.and_then(|n| n.rating);
        match wanted.rating {
            Some(RatingFilter::Unrated) if rating.is_some() => return false,
            Some(RatingFilter::Is(wanted)) if rating != Some(wanted) => return false,
            _ => {}
        }
        if wanted.flagged_only && !flagged.contains(&index) {
            return false;
        }
        if words.is_empty() {
            return true;
        }
        let mut haystack = [question.id.as_str(), &question.section, &question.text].join("\n");
        if let Some(response) = response {
            for part in [&response.answer, &response.detail].into_iter().chain(&response.controls) {
                haystack.push('\n');
                haystack.push_str(part);
            }
        }
        if let Some(note) = note {
            haystack.push('\n');
            haystack.push_str(&note.note);
        }
        let haystack = haystack.to_lowercase();
        words.iter().all(|word| haystack.contains(word.as_str()))
    };
    (0..questionnaire.questions.len()).filter(|&index| passes(index)).collect()
}
