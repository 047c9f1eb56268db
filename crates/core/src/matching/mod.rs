//! Ranked retrieval of library entries for a question, with a confidence, a tier and an
//! explanation that mirrors the score.

pub mod calibration;
mod explain;
mod index;
pub mod search;

pub use explain::{Explanation, ScorePart};
pub use index::Field;

use crate::library::{Entry, EntryStatus, Library};
use crate::text::{Analyzer, Term};
use index::Index;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// BM25 term-frequency saturation. 1.2 is the usual value; questions rarely repeat a term,
/// so its exact value matters little.
pub const BM25_K1: f32 = 1.2;
/// BM25 length normalisation. Phrasings vary from five to forty words, so long phrasings
/// are damped at the customary strength.
pub const BM25_B: f32 = 0.75;
/// Weight of the best-matching phrasing (the question or an alternate). This is the main
/// signal: customers ask questions, and phrasings are questions.
pub const WEIGHT_PHRASING: f32 = 1.0;
/// Weight of the answer text. Answers use the vocabulary of the topic, so they help ranking,
/// but they also mention neighbouring topics, so they count for a quarter.
pub const WEIGHT_ANSWER: f32 = 0.25;
/// Weight of the tags: a few curated topic words, worth a fifth.
pub const WEIGHT_TAGS: f32 = 0.2;
/// How much the ranking leans on confidence (mutual coverage of question and phrasing)
/// rather than on the BM25 score relative to the best candidate.
pub const RANK_CONFIDENCE_SHARE: f32 = 0.5;
/// How many of the best entries by BM25 are re-scored by fit. Fit needs every term of every
/// phrasing, so it is kept to a short list: on the gold set, 10, 20 and 40 give the same
/// accuracy, and 10 is four times cheaper than 40.
pub const FIT_CANDIDATES: usize = 10;
/// The shortest unknown word that is corrected to a close library word (one edit away).
/// Shorter words are too often other real words one edit away.
pub const MIN_TYPO_LEN: usize = 5;

/// How sure the matcher is, in words that decide what the UI does with a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// No acceptable match: say so rather than guess.
    None,
    /// Shown as a hint only.
    Low,
    /// Suggested, for review.
    Medium,
    /// Safe to pre-fill.
    High,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::High => "high",
            Tier::Medium => "medium",
            Tier::Low => "low",
            Tier::None => "none",
        }
    }
}

/// Confidence thresholds for the tiers, calibrated on the labelled gold set
/// (`eval/gold.json`, `trustfill eval`): "high" must be right at least 90% of the time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierThresholds {
    pub high: f32,
    pub medium: f32,
    pub low: f32,
}

impl Default for TierThresholds {
    fn default() -> Self {
        Self { high: 0.75, medium: 0.5, low: 0.35 }
    }
}

impl TierThresholds {
    pub fn tier(&self, confidence: f32) -> Tier {
        if confidence >= self.high {
            Tier::High
        } else if confidence >= self.medium {
            Tier::Medium
        } else if confidence >= self.low {
            Tier::Low
        } else {
            Tier::None
        }
    }
}

/// Matcher settings; the defaults are what the app and the CLI use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchConfig {
    /// How many suggestions to return per question.
    pub top_k: usize,
    pub tiers: TierThresholds,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self { top_k: 3, tiers: TierThresholds::default() }
    }
}

/// One suggested library entry for a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub entry_id: String,
    /// In [0, 1]: how fully the question and the entry's best phrasing cover each other.
    pub confidence: f32,
    pub tier: Tier,
    pub explanation: Explanation,
}

/// The index over a library's approved entries. Built once, updated entry by entry.
#[derive(Debug)]
pub struct Matcher {
    analyzer: Analyzer,
    index: Index,
    /// The entries as indexed, by slot; `None` for a removed or unapproved entry.
    entries: Vec<Option<Entry>>,
    slot_of: HashMap<String, usize>,
    config: MatchConfig,
}

/// A query after analysis: distinct term keys with their surface text, and corrections.
struct Query {
    terms: Vec<Term>,
    corrections: Vec<(String, String)>,
    negated: bool,
}

impl Matcher {
    /// Indexes the approved entries of the library with the built-in lexicon.
    pub fn new(library: &Library) -> Self {
        Self::with_config(library, Analyzer::builtin(), MatchConfig::default())
    }

    pub fn with_config(library: &Library, analyzer: Analyzer, config: MatchConfig) -> Self {
        let mut matcher =
            Self { analyzer, index: Index::default(), entries: Vec::new(), slot_of: HashMap::new(), config };
        for entry in &library.entries {
            matcher.upsert(entry);
        }
        matcher
    }

    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Adds or replaces one entry, touching only its own postings. An entry that is not
    /// approved is removed from the index.
    pub fn upsert(&mut self, entry: &Entry) {
        if entry.status != EntryStatus::Approved {
            self.remove(&entry.id);
            return;
        }
        let slot = match self.slot_of.get(&entry.id) {
            Some(&slot) => slot,
            None => {
                self.entries.push(None);
                self.slot_of.insert(entry.id.clone(), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        self.index.put(slot, entry, &self.analyzer);
        self.entries[slot] = Some(entry.clone());
    }

    /// Removes one entry from the index.
    pub fn remove(&mut self, entry_id: &str) {
        if let Some(slot) = self.slot_of.remove(entry_id) {
            self.index.remove(slot);
            self.entries[slot] = None;
        }
    }

    pub fn entry(&self, entry_id: &str) -> Option<&Entry> {
        self.slot_of.get(entry_id).and_then(|&s| self.entries[s].as_ref())
    }

    fn prepare(&self, text: &str) -> Query {
        let mut terms: Vec<Term> = Vec::new();
        let mut corrections = Vec::new();
        for mut term in self.analyzer.analyze(text) {
            if !term.is_concept() && !self.index.knows(&term.key) && term.key.chars().count() >= MIN_TYPO_LEN {
                if let Some(fixed) = self.closest_known(&term.key) {
                    corrections.push((term.surface.clone(), fixed.clone()));
                    term.key = fixed;
                }
            }
            if !terms.iter().any(|t| t.key == term.key) {
                terms.push(term);
            }
        }
        Query { terms, corrections, negated: crate::text::has_negation(text) }
    }

    /// The known term one edit away from an unknown one: a library word (the most common
    /// wins) or else a single-word lexicon term, read as its concept.
    fn closest_known(&self, key: &str) -> Option<String> {
        let first = key.chars().next()?;
        let near = |k: &str| {
            k.starts_with(first) && k.len().abs_diff(key.len()) <= 1 && strsim::damerau_levenshtein(k, key) == 1
        };
        let from_library = self
            .index
            .entry_df
            .iter()
            .filter(|(k, _)| near(k))
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(k, _)| k.clone());
        from_library.or_else(|| {
            let mut candidates: Vec<(&str, &str)> =
                self.analyzer.lexicon().single_words().filter(|(k, _)| near(k)).collect();
            candidates.sort();
            candidates.first().map(|(_, concept)| format!("{}{concept}", crate::text::CONCEPT_PREFIX))
        })
    }

    /// The top suggestions for one question, best first; ties are broken by entry id.
    pub fn match_question(&self, text: &str) -> Vec<Suggestion> {
        let query = self.prepare(text);
        if query.terms.is_empty() {
            return Vec::new();
        }
        // Accumulate BM25 per document through the postings of the query's terms, with each
        // term's IDF and each field's average length computed once per query.
        let idf: HashMap<&str, f32> = query.terms.iter().map(|t| (t.key.as_str(), self.index.idf(&t.key))).collect();
        let average = [Field::Phrasing, Field::Answer, Field::Tags].map(|f| self.index.average_len(f));
        // Dense scratch arrays indexed by document and by entry slot, with lists of the ones
        // touched: far cheaper than hashing on every posting.
        let mut doc_scores = vec![0.0f32; self.index.docs.len()];
        let mut touched_docs: Vec<usize> = Vec::new();
        for term in &query.terms {
            let term_idf = idf[term.key.as_str()];
            for &(doc_id, tf) in self.index.postings.get(&term.key).into_iter().flatten() {
                let Some(doc) = self.index.docs[doc_id].as_ref() else { continue };
                if doc_scores[doc_id] == 0.0 {
                    touched_docs.push(doc_id);
                }
                doc_scores[doc_id] += bm25(term_idf, tf, doc.len, average[doc.field as usize]);
            }
        }
        // Fold documents into entries by BM25: the best phrasing, plus the weighted answer
        // and tags. Only the strongest candidates go on to the finer (and dearer) fit.
        let mut totals = vec![(0.0f32, 0.0f32); self.entries.len()];
        let mut touched_entries: Vec<usize> = Vec::new();
        for &doc_id in &touched_docs {
            let Some(doc) = self.index.docs[doc_id].as_ref() else { continue };
            let score = doc_scores[doc_id];
            let total = &mut totals[doc.entry];
            if total.0 == 0.0 && total.1 == 0.0 {
                touched_entries.push(doc.entry);
            }
            match doc.field {
                Field::Phrasing => total.0 = total.0.max(score),
                Field::Answer => total.1 += WEIGHT_ANSWER * score,
                Field::Tags => total.1 += WEIGHT_TAGS * score,
            }
        }
        let mut candidates: Vec<(usize, f32)> =
            touched_entries.iter().map(|&slot| (slot, WEIGHT_PHRASING * totals[slot].0 + totals[slot].1)).collect();
        let keep = FIT_CANDIDATES.max(self.config.top_k);
        let by_score = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1).then_with(|| self.entry_id(a.0).cmp(self.entry_id(b.0)))
        };
        if candidates.len() > keep {
            candidates.select_nth_unstable_by(keep - 1, by_score);
            candidates.truncate(keep);
        }
        candidates.sort_by(by_score);
        let mut idf_memo: HashMap<&str, f32> = idf.clone();
        let mut best_phrasing: HashMap<usize, (f32, f32, usize)> = HashMap::new();
        let mut extras: HashMap<usize, f32> = HashMap::new();
        for &(slot, _) in &candidates {
            extras.insert(slot, totals[slot].1);
            let docs = self.index.entry_docs.get(slot).map(Vec::as_slice).unwrap_or_default();
            let phrasings = docs
                .iter()
                .filter(|&&d| doc_scores[d] > 0.0)
                .filter(|&&d| self.index.docs[d].as_ref().is_some_and(|doc| doc.field == Field::Phrasing));
            for &doc_id in phrasings {
                let score = doc_scores[doc_id];
                let (q, p) = self.coverage_with(&query, doc_id, &mut idf_memo);
                let fit = explain::harmonic_mean(q, p);
                let best = best_phrasing.entry(slot).or_insert((f32::MIN, 0.0, doc_id));
                if fit > best.0 {
                    *best = (fit, score, doc_id);
                }
            }
        }
        let mut ranked: Vec<(usize, f32, f32, Option<usize>)> = best_phrasing
            .iter()
            .map(|(&slot, &(fit, score, doc))| {
                (slot, fit, WEIGHT_PHRASING * score + extras.get(&slot).copied().unwrap_or(0.0), Some(doc))
            })
            .chain(
                extras
                    .iter()
                    .filter(|(slot, _)| !best_phrasing.contains_key(slot))
                    .map(|(&slot, &s)| (slot, 0.0, s, None)),
            )
            .collect();
        let top_score = ranked.iter().map(|r| r.2).fold(0.0f32, f32::max).max(f32::MIN_POSITIVE);
        let blend =
            |fit: f32, score: f32| RANK_CONFIDENCE_SHARE * fit + (1.0 - RANK_CONFIDENCE_SHARE) * score / top_score;
        ranked.sort_by(|a, b| {
            blend(b.1, b.2).total_cmp(&blend(a.1, a.2)).then_with(|| self.entry_id(a.0).cmp(self.entry_id(b.0)))
        });
        ranked.truncate(self.config.top_k);
        let blends: Vec<f32> = ranked.iter().map(|r| blend(r.1, r.2)).collect();
        ranked
            .into_iter()
            .enumerate()
            .filter_map(|(rank, (slot, _, score, phrasing_doc))| {
                let entry = self.entries[slot].as_ref()?;
                let rival = if rank == 0 { blends.get(1).copied().unwrap_or(0.0) } else { blends[0] };
                let gap = blends[rank] - rival;
                let explanation = self.explain(&query, entry, slot, phrasing_doc, score, gap);
                let confidence = explanation.confidence;
                Some(Suggestion {
                    entry_id: entry.id.clone(),
                    confidence,
                    tier: self.config.tiers.tier(confidence),
                    explanation,
                })
            })
            .collect()
    }

    /// Suggestions for every question, in order.
    pub fn match_all<'a>(&self, questions: impl IntoIterator<Item = &'a str>) -> Vec<Vec<Suggestion>> {
        questions.into_iter().map(|q| self.match_question(q)).collect()
    }

    fn entry_id(&self, slot: usize) -> &str {
        self.entries[slot].as_ref().map(|e| e.id.as_str()).unwrap_or("")
    }

    /// BM25 contribution of one term to one document, before field weights.
    fn term_score(&self, doc_id: usize, key: &str) -> f32 {
        let Some(doc) = self.index.docs[doc_id].as_ref() else { return 0.0 };
        let tf = doc.tf.get(key).copied().unwrap_or(0);
        if tf == 0 {
            return 0.0;
        }
        bm25(self.index.idf(key), tf, doc.len, self.index.average_len(doc.field))
    }
}

/// BM25 for one term in one document: IDF times the saturated, length-normalised frequency.
fn bm25(idf: f32, tf: u32, len: u32, average_len: f32) -> f32 {
    let tf = tf as f32;
    let norm = 1.0 - BM25_B + BM25_B * len as f32 / average_len;
    idf * tf * (BM25_K1 + 1.0) / (tf + BM25_K1 * norm)
}

/// Pairs of approved entries whose questions match each other at or above `min_confidence`:
/// candidates for merging.
pub fn near_duplicates(library: &Library, matcher: &Matcher, min_confidence: f32) -> Vec<(String, String, f32)> {
    let mut pairs = Vec::new();
    for entry in library.approved() {
        for suggestion in matcher.match_question(&entry.question) {
            if suggestion.entry_id != entry.id && suggestion.confidence >= min_confidence {
                let (a, b) = if entry.id < suggestion.entry_id {
                    (entry.id.clone(), suggestion.entry_id.clone())
                } else {
                    (suggestion.entry_id.clone(), entry.id.clone())
                };
                if !pairs.iter().any(|(x, y, _)| *x == a && *y == b) {
                    pairs.push((a, b, suggestion.confidence));
                }
            }
        }
    }
    pairs.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
    pairs
}

#[cfg(test)]
mod tests;
