//! Procurement review mode: a completed response, read back and summarised for the customer's
//! reviewer, who rates and annotates the answers but never changes them.
//!
//! The summary ([`ReviewerSummary`]) counts the answers by kind, by SOC 2 category and by
//! criterion, and lists the No and Partial answers, the questions left open, the stale answers
//! and the answers outside the SOC 2 scope. The reviewer's ratings and notes live in
//! [`notes`], and the page's filters and search in [`filter()`].
//!
//! A response package carries everything ([`ReviewerSummary::from_package`]). A filled-in
//! questionnaire imported the ordinary way carries only the answers in its cells, which
//! [`responses_from_filled`] turns into responses: they cite no criteria and have no recorded
//! standing, so such a review has no categories, stale answers or scope flags. The paragraph
//! about the SOC 2 report, when the package holds the profile, is [`soc2_paragraph`].

pub mod filter;
pub mod notes;

pub use crate::export::report::AnswerKind;
pub use filter::{filter, RatingFilter, ReviewerFilter};
pub use notes::{NotesError, Rating, ReviewerNote, ReviewerNotes, NOTES_FORMAT, NOTES_VERSION};

use crate::criteria::{Category, CriterionId};
use crate::import::package::ResponsePackage;
use crate::library::profile::{self, ScopeStatus, Soc2Profile, Stale, Standing};
use crate::model::Questionnaire;
use crate::review::{Response, ResponseStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How many questions have each kind of answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerCounts {
    pub yes: usize,
    pub no: usize,
    pub partial: usize,
    pub not_applicable: usize,
    /// Final answers that fold to none of the short answers, such as a description.
    pub other: usize,
    /// Questions with no final answer: empty, open, with an SME, without a match, or holding
    /// a suggestion that nobody reviewed (which no export writes either).
    pub unanswered: usize,
}

impl AnswerCounts {
    /// The count of one kind of answer.
    pub fn get(&self, kind: AnswerKind) -> usize {
        match kind {
            AnswerKind::Yes => self.yes,
            AnswerKind::No => self.no,
            AnswerKind::Partial => self.partial,
            AnswerKind::NotApplicable => self.not_applicable,
            AnswerKind::Other => self.other,
            AnswerKind::Unanswered => self.unanswered,
        }
    }

    fn add(&mut self, kind: AnswerKind) {
        let count = match kind {
            AnswerKind::Yes => &mut self.yes,
            AnswerKind::No => &mut self.no,
            AnswerKind::Partial => &mut self.partial,
            AnswerKind::NotApplicable => &mut self.not_applicable,
            AnswerKind::Other => &mut self.other,
            AnswerKind::Unanswered => &mut self.unanswered,
        };
        *count += 1;
    }

    /// Every question counted, answered or not.
    pub fn total(&self) -> usize {
        AnswerKind::ALL.iter().map(|&kind| self.get(kind)).sum()
    }

    /// The questions with a final answer.
    pub fn answered(&self) -> usize {
        self.total() - self.unanswered
    }
}

/// The questions whose response cites one criterion, by answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionAnswers {
    pub criterion: CriterionId,
    pub counts: AnswerCounts,
}

/// The questions whose response cites at least one criterion of a SOC 2 category, by answer,
/// and each criterion of the category that is cited, in report order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryAnswers {
    pub category: Category,
    pub counts: AnswerCounts,
    pub criteria: Vec<CriterionAnswers>,
}

/// A question in one of the summary's lists: its index in the questionnaire and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRef {
    pub index: usize,
    pub id: String,
}

/// An answer whose library entry had gone stale when the package was checked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleAnswer {
    pub index: usize,
    pub id: String,
    pub stale: Stale,
}

/// An answer whose controls fall in categories the SOC 2 report leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutOfScopeAnswer {
    pub index: usize,
    pub id: String,
    /// The categories outside the scope, in report order.
    pub categories: Vec<Category>,
}

/// What a procurement reviewer sees first: the answers counted and the ones to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerSummary {
    /// The number of questions; every count below adds up to it.
    pub questions: usize,
    /// Every question by answer.
    pub counts: AnswerCounts,
    /// The five categories in report order, each with the questions that cite it. A question
    /// that cites criteria of several categories counts once in each; an unanswered question
    /// counts where its (unreviewed) controls point.
    pub by_category: Vec<CategoryAnswers>,
    /// The questions that cite no valid criterion.
    pub no_control: AnswerCounts,
    /// The questions answered No or Partial, in questionnaire order.
    pub no_or_partial: Vec<QuestionRef>,
    /// The questions without a final answer, in questionnaire order.
    pub unanswered: Vec<QuestionRef>,
    /// The final answers that the package recorded as stale, in questionnaire order.
    pub stale: Vec<StaleAnswer>,
    /// The final answers that the package recorded as outside the SOC 2 scope.
    pub out_of_scope: Vec<OutOfScopeAnswer>,
}

impl ReviewerSummary {
    /// Summarises the responses to a questionnaire, one per question, with the standings the
    /// package recorded (one per response, or none). A question without a response counts as
    /// unanswered; standings are read for final answers only. Only a package checked against
    /// a SOC 2 profile (`ResponsePackage::profile` present, `checked_on` set) can flag stale
    /// or out-of-scope answers: otherwise those lists are empty because nothing was checked.
    pub fn new(questionnaire: &Questionnaire, responses: &[Response], standings: &[Option<Standing>]) -> Self {
        let mut counts = AnswerCounts::default();
        let mut no_control = AnswerCounts::default();
        let mut per_category: BTreeMap<Category, AnswerCounts> = BTreeMap::new();
        let mut per_criterion: BTreeMap<CriterionId, AnswerCounts> = BTreeMap::new();
        let mut no_or_partial = Vec::new();
        let mut unanswered = Vec::new();
        let mut stale = Vec::new();
        let mut out_of_scope = Vec::new();
        for (index, question) in questionnaire.questions.iter().enumerate() {
            let kind = answer_kind(responses, index);
            let at = || QuestionRef { index, id: question.id.clone() };
            counts.add(kind);
            let cited = cited_criteria(responses.get(index));
            if cited.is_empty() {
                no_control.add(kind);
            }
            for category in cited.iter().map(Category::of).collect::<BTreeSet<_>>() {
                per_category.entry(category).or_default().add(kind);
            }
            for criterion in cited {
                per_criterion.entry(criterion).or_default().add(kind);
            }
            match kind {
                AnswerKind::No | AnswerKind::Partial => no_or_partial.push(at()),
                AnswerKind::Unanswered => {
                    unanswered.push(at());
                    continue;
                }
                _ => {}
            }
            let Some(standing) = standings.get(index).and_then(Option::as_ref) else { continue };
            if let Some(reason) = &standing.stale {
                stale.push(StaleAnswer { index, id: question.id.clone(), stale: reason.clone() });
            }
            if let ScopeStatus::OutOfScope { categories } = &standing.scope {
                out_of_scope.push(OutOfScopeAnswer { index, id: question.id.clone(), categories: categories.clone() });
            }
        }
        let mut criteria: Vec<CriterionAnswers> =
            per_criterion.into_iter().map(|(criterion, counts)| CriterionAnswers { criterion, counts }).collect();
        criteria.sort_by_key(|c| c.criterion.report_order());
        let by_category = Category::ALL
            .iter()
            .map(|&category| CategoryAnswers {
                category,
                counts: per_category.get(&category).copied().unwrap_or_default(),
                criteria: criteria.iter().filter(|c| Category::of(&c.criterion) == category).cloned().collect(),
            })
            .collect();
        Self {
            questions: questionnaire.questions.len(),
            counts,
            by_category,
            no_control,
            no_or_partial,
            unanswered,
            stale,
            out_of_scope,
        }
    }

    /// Summarises a response package as it was read back.
    pub fn from_package(package: &ResponsePackage) -> Self {
        Self::new(&package.questionnaire, &package.responses, &package.standings)
    }

    /// Whether a question's answer is stale or outside the SOC 2 scope.
    pub fn is_flagged(&self, index: usize) -> bool {
        self.stale.iter().any(|s| s.index == index) || self.out_of_scope.iter().any(|s| s.index == index)
    }
}

/// The kind of answer question `index` has; a question without a response is unanswered.
pub fn answer_kind(responses: &[Response], index: usize) -> AnswerKind {
    responses.get(index).map_or(AnswerKind::Unanswered, AnswerKind::of)
}

/// The valid criteria a response cites, each once; invalid control names are left out.
fn cited_criteria(response: Option<&Response>) -> BTreeSet<CriterionId> {
    response.map_or(&[][..], |r| &r.controls).iter().filter_map(|c| CriterionId::parse(c).ok()).collect()
}

/// The responses a filled-in questionnaire holds, read from its answer and comment cells (the
/// question's `existing_answer` and `existing_comment`): a question with either is accepted as
/// the file gives it, and one with neither is unanswered. They come from no library entry and
/// cite no criteria.
pub fn responses_from_filled(questionnaire: &Questionnaire) -> Vec<Response> {
    questionnaire
        .questions
        .iter()
        .map(|question| {
            let answer = question.existing_answer.clone().unwrap_or_default();
            let detail = question.existing_comment.clone().unwrap_or_default();
            let given = !answer.trim().is_empty() || !detail.trim().is_empty();
            Response {
                status: if given { ResponseStatus::Accepted } else { ResponseStatus::Unanswered },
                entry_id: None,
                answer,
                detail,
                note: String::new(),
                confidence: None,
                controls: Vec::new(),
                evidence: Vec::new(),
            }
        })
        .collect()
}

/// The paragraph about the SOC 2 report that review mode opens with, when the package holds
/// the profile (see [`profile::summary`]).
pub fn soc2_paragraph(profile: Option<&Soc2Profile>) -> Option<String> {
    profile.map(profile::summary)
}

#[cfg(test)]
mod tests;
