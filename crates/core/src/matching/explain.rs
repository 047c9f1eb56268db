//! Explanations that mirror the score: every term's contribution, which add up to the score.

use super::calibration::{self, ConfidenceFeatures};
use super::index::Field;
use super::semantic::MeaningMatch;
use super::{Candidate, Matcher, Query, WEIGHT_ANSWER, WEIGHT_PHRASING, WEIGHT_TAGS};
use crate::library::Entry;
use serde::{Deserialize, Serialize};

/// One term's share of an entry's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorePart {
    pub field: String,
    /// The term key: a stem, or a concept such as `~mfa`.
    pub term: String,
    /// The question's words that produced the term.
    pub question_words: String,
    /// The concept's name when the match went through a synonym group.
    pub synonym_group: Option<String>,
    /// The term's inverse document frequency: how rare, and so how telling, it is.
    pub idf: f32,
    /// The weighted BM25 contribution; all contributions add up to `Explanation::score`.
    pub contribution: f32,
}

/// Why an entry was suggested, in numbers that add up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The entry's phrasing that matched best (its question or an alternate).
    pub matched_phrasing: Option<String>,
    pub parts: Vec<ScorePart>,
    /// The sum of the parts.
    pub score: f32,
    /// What the confidence was computed from: how fully the question and the phrasing cover
    /// each other, and how clearly this entry leads (or trails) the ranking.
    pub features: ConfidenceFeatures,
    /// The calibrated probability that this answer is acceptable
    /// (see `matching::calibration`).
    pub confidence: f32,
    /// Question words that the entry does not contain.
    pub unmatched: Vec<String>,
    /// Unknown question words read as a close library word: (as written, read as).
    pub corrections: Vec<(String, String)>,
    /// The entry's SOC 2 criteria.
    pub controls: Vec<String>,
    /// Set when the question and the matched phrasing differ in polarity, so a reused
    /// Yes or No may mean the opposite.
    pub polarity_warning: Option<String>,
    /// How similar in meaning the entry is, when the semantic model took part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic: Option<SemanticPart>,
}

/// The semantic part of a hybrid match: the entry's phrasing closest in meaning to the
/// question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SemanticPart {
    /// The cosine similarity of the question's and the phrasing's sentence vectors.
    pub similarity: f32,
    pub phrasing: String,
}

/// The harmonic mean of two shares in [0, 1], or zero when both are zero.
pub fn harmonic_mean(a: f32, b: f32) -> f32 {
    if a + b <= 0.0 {
        0.0
    } else {
        (2.0 * a * b / (a + b)).clamp(0.0, 1.0)
    }
}

impl Matcher {
    /// IDF-weighted coverage of the question by a phrasing, and of the phrasing by the question.
    pub(super) fn coverage(&self, query: &Query, doc_id: usize) -> (f32, f32) {
        let Some(doc) = self.index.docs[doc_id].as_ref() else { return (0.0, 0.0) };
        let query_mass = query.mass;
        let phrasing_mass = self.index.mass(doc_id);
        let shared: f32 = query
            .ids
            .iter()
            .zip(&query.idfs)
            .filter(|(id, _)| id.is_some_and(|id| doc.tf(id) > 0))
            .map(|(_, idf)| idf)
            .sum();
        let share = |mass: f32| if mass > 0.0 { (shared / mass).clamp(0.0, 1.0) } else { 0.0 };
        (share(query_mass), share(phrasing_mass))
    }

    pub(super) fn explain(
        &self,
        query: &Query,
        entry: &Entry,
        candidate: &Candidate,
        gap: f32,
        meaning: Option<MeaningMatch>,
    ) -> Explanation {
        let Candidate { slot, phrasing_doc, score, .. } = *candidate;
        let mut parts = Vec::with_capacity(2 * query.terms.len());
        let docs = self.index.entry_docs.get(slot).map(Vec::as_slice).unwrap_or_default();
        // By position in the query: whether the term scored anywhere. The query's terms are
        // distinct, so a position stands for its key.
        let mut matched = vec![false; query.terms.len()];
        for &doc_id in docs {
            let Some(doc) = self.index.docs[doc_id].as_ref() else { continue };
            let weight = match doc.field {
                Field::Phrasing if Some(doc_id) == phrasing_doc => WEIGHT_PHRASING,
                Field::Phrasing => continue,
                Field::Answer => WEIGHT_ANSWER,
                Field::Tags => WEIGHT_TAGS,
            };
            for (((term, id), &idf), matched) in query.terms.iter().zip(&query.ids).zip(&query.idfs).zip(&mut matched) {
                let Some(id) = *id else { continue };
                let contribution = weight * self.term_score(doc_id, id);
                if contribution <= 0.0 {
                    continue;
                }
                *matched = true;
                parts.push(ScorePart {
                    field: doc.field.label().to_owned(),
                    term: term.key.clone(),
                    question_words: term.surface.clone(),
                    synonym_group: term.key.strip_prefix(crate::text::CONCEPT_PREFIX).map(str::to_owned),
                    idf,
                    contribution,
                });
            }
        }
        let unmatched =
            query.terms.iter().zip(&matched).filter(|(_, &matched)| !matched).map(|(t, _)| t.surface.clone()).collect();
        // A candidate found by meaning alone has no phrasing that shares its words; the one
        // closest in meaning stands in, so that its polarity is still checked.
        let matched_phrasing = phrasing_doc
            .and_then(|d| self.index.docs[d].as_ref())
            .map(|doc| doc.phrasing)
            .or_else(|| meaning.map(|m| m.phrasing))
            .and_then(|position| entry.phrasings().nth(position))
            .map(str::to_owned);
        let polarity_warning = matched_phrasing.as_deref().and_then(|phrasing| {
            let answer = entry.answer.trim();
            let answer_is_yes_no = answer.eq_ignore_ascii_case("yes") || answer.eq_ignore_ascii_case("no");
            (answer_is_yes_no && query.negated != crate::text::has_negation(phrasing)).then(|| {
                format!(
                    "The question is worded {} and the library phrasing {}: check that \"{}\" still answers it.",
                    if query.negated { "negatively" } else { "positively" },
                    if query.negated { "is not" } else { "is negative" },
                    entry.answer.trim()
                )
            })
        });
        let (question_coverage, phrasing_coverage) = phrasing_doc.map_or((0.0, 0.0), |doc| self.coverage(query, doc));
        let features =
            ConfidenceFeatures { question_coverage, phrasing_coverage, gap, semantic: meaning.map(|m| m.similarity) };
        let semantic = meaning.map(|m| SemanticPart {
            similarity: m.similarity,
            phrasing: entry.phrasings().nth(m.phrasing).unwrap_or_default().to_owned(),
        });
        Explanation {
            matched_phrasing,
            parts,
            score,
            features,
            confidence: calibration::confidence(&features),
            unmatched,
            corrections: query.corrections.clone(),
            controls: entry.controls.iter().map(|c| c.to_string()).collect(),
            polarity_warning,
            semantic,
        }
    }
}
