//! Ranked retrieval of library entries for a question, with a confidence, a tier and an
//! explanation that mirrors the score.

pub mod calibration;
mod explain;
mod hybrid;
mod index;
pub mod search;
pub mod semantic;

pub use explain::{Explanation, ScorePart, SemanticPart};
pub use index::Field;
pub use semantic::{SemanticIndex, VectorCache, VectorError};

use crate::library::{Entry, EntryStatus, Library};
use crate::text::{Analyzer, Term};
use calibration::ConfidenceFeatures;
use index::{Index, Owner, TermId};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

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
    /// The least share of the question's term weight that a "high" answer's phrasing must
    /// cover. A confident-looking lead built on one rare shared word (a question about
    /// backups won by "current … on file?") is only a suggestion, never safe to pre-fill.
    #[serde(default = "default_min_high_coverage")]
    pub min_high_coverage: f32,
    /// The hybrid confidence (words and meaning, `calibration::HYBRID_WEIGHTS`) from which an
    /// answer is "high". It is calibrated apart, and needs no coverage rule: a paraphrase that
    /// shares few words with its entry is exactly what meaning finds.
    #[serde(default = "default_hybrid_high")]
    pub hybrid_high: f32,
}

fn default_min_high_coverage() -> f32 {
    0.3
}

fn default_hybrid_high() -> f32 {
    HYBRID_HIGH
}

/// The hybrid "high" threshold: `trustfill eval --semantic` prints the lowest confidence from
/// which the top answers are right at least 90% of the time (at 10 or more questions).
pub const HYBRID_HIGH: f32 = 0.86;

impl Default for TierThresholds {
    fn default() -> Self {
        Self {
            // `trustfill eval` prints the lowest threshold from which the top answers are
            // right at least 90% of the time, at 10 or more gold questions and at every
            // threshold above: by words alone 0.75 (10 of 11 right; from 0.80, 6 of 6). The
            // hybrid threshold is calibrated the same way (15 of 16 right from 0.86).
            high: 0.75,
            medium: 0.5,
            low: 0.35,
            min_high_coverage: default_min_high_coverage(),
            hybrid_high: default_hybrid_high(),
        }
    }
}

impl TierThresholds {
    /// The tier of a suggestion, from its confidence and how much of the question it covers.
    pub fn tier_of(&self, confidence: f32, features: &ConfidenceFeatures) -> Tier {
        if features.semantic.is_some() {
            return match self.tier(confidence) {
                _ if confidence >= self.hybrid_high => Tier::High,
                Tier::High => Tier::Medium,
                tier => tier,
            };
        }
        match self.tier(confidence) {
            Tier::High if features.question_coverage < self.min_high_coverage => Tier::Medium,
            tier => tier,
        }
    }

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
    /// Word to stem, for every word the library holds: queries reuse the library's words.
    stems: HashMap<String, String>,
    /// Each slot's position in id order, and the slots in id order, for breaking ties
    /// without comparing strings; computed on first use after an edit.
    id_order: OnceLock<(Vec<u32>, Vec<usize>)>,
    config: MatchConfig,
}

/// A query after analysis: distinct terms with their ids and IDFs, and corrections.
struct Query {
    terms: Vec<Term>,
    /// By position in `terms`: the interned id, or `None` for a word no entry holds.
    ids: Vec<Option<TermId>>,
    /// By position in `terms`: the term's IDF.
    idfs: Vec<f32>,
    /// The sum of `idfs`: the question's IDF mass, against which coverage is measured.
    mass: f32,
    corrections: Vec<(String, String)>,
    negated: bool,
}

/// Per-query working memory, indexed by document and by entry slot, with lists of the
/// positions touched so that clearing costs only what the query used. It is kept from one
/// question to the next, so that matching a questionnaire allocates it once.
#[derive(Default)]
struct Scratch {
    doc_scores: Vec<f32>,
    /// The documents scored so far, in `touched_docs[..touched_count]`. The vector is as long
    /// as there are documents, so that the hot loop can record a document without branching.
    touched_docs: Vec<(u32, Owner)>,
    touched_count: usize,
    /// By slot: the best phrasing's BM25, and the weighted answer and tags BM25.
    entry_scores: Vec<(f32, f32)>,
    /// The entries scored so far, in `touched_entries[..touched_entry_count]`, kept as the
    /// documents are.
    touched_entries: Vec<u32>,
    touched_entry_count: usize,
}

impl Scratch {
    fn fit(&mut self, docs: usize, entries: usize) {
        if self.doc_scores.len() < docs {
            self.doc_scores.resize(docs, 0.0);
            self.touched_docs.resize(docs, (0, Owner::default()));
        }
        if self.entry_scores.len() < entries {
            self.entry_scores.resize(entries, (0.0, 0.0));
            self.touched_entries.resize(entries, 0);
        }
    }

    fn clear(&mut self) {
        for &(doc, _) in &self.touched_docs[..self.touched_count] {
            self.doc_scores[doc as usize] = 0.0;
        }
        for &slot in &self.touched_entries[..self.touched_entry_count] {
            self.entry_scores[slot as usize] = (0.0, 0.0);
        }
        self.touched_count = 0;
        self.touched_entry_count = 0;
    }
}

/// A candidate entry during ranking.
struct Candidate {
    slot: usize,
    /// Mutual coverage of the question and the best-fitting phrasing.
    fit: f32,
    /// Weighted BM25: that phrasing's score plus the answer's and tags' shares.
    score: f32,
    phrasing_doc: Option<usize>,
}

impl Matcher {
    /// Indexes the approved entries of the library with the built-in lexicon.
    pub fn new(library: &Library) -> Self {
        Self::with_config(library, Analyzer::builtin(), MatchConfig::default())
    }

    pub fn with_config(library: &Library, analyzer: Analyzer, config: MatchConfig) -> Self {
        let mut matcher = Self {
            analyzer,
            index: Index::default(),
            entries: Vec::new(),
            slot_of: HashMap::default(),
            stems: HashMap::default(),
            id_order: OnceLock::new(),
            config,
        };
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
                self.id_order = OnceLock::new();
                self.entries.len() - 1
            }
        };
        let Self { analyzer, index, stems, .. } = self;
        index.put(slot, entry, |text| {
            analyzer.analyze_with_stems(text, &mut |word| {
                stems.entry(word.to_owned()).or_insert_with(|| analyzer.stem(word)).clone()
            })
        });
        self.entries[slot] = Some(entry.clone());
    }

    /// Removes one entry from the index.
    pub fn remove(&mut self, entry_id: &str) {
        if let Some(slot) = self.slot_of.remove(entry_id) {
            self.index.remove(slot);
            self.entries[slot] = None;
            self.id_order = OnceLock::new();
        }
    }

    pub fn entry(&self, entry_id: &str) -> Option<&Entry> {
        self.slot_of.get(entry_id).and_then(|&s| self.entries[s].as_ref())
    }

    fn prepare(&self, text: &str) -> Query {
        let analyzed = self.analyzer.analyze_with_stems(text, &mut |word| {
            self.stems.get(word).cloned().unwrap_or_else(|| self.analyzer.stem(word))
        });
        let mut terms: Vec<Term> = Vec::new();
        let mut corrections = Vec::new();
        for mut term in analyzed {
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
        let ids: Vec<Option<TermId>> = terms.iter().map(|t| self.index.term_id(&t.key)).collect();
        let idfs: Vec<f32> = ids.iter().map(|&id| self.index.idf_of_id(id)).collect();
        let mass = idfs.iter().sum();
        Query { terms, ids, idfs, mass, corrections, negated: crate::text::has_negation(text) }
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
            .known_terms()
            .filter(|(k, _)| near(k))
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(k, _)| k.to_owned());
        from_library.or_else(|| {
            let mut candidates: Vec<(&str, &str)> =
                self.analyzer.lexicon().single_words().filter(|(k, _)| near(k)).collect();
            candidates.sort();
            candidates.first().map(|(_, concept)| format!("{}{concept}", crate::text::CONCEPT_PREFIX))
        })
    }

    /// The top suggestions for one question, best first; ties are broken by entry id.
    pub fn match_question(&self, text: &str) -> Vec<Suggestion> {
        self.match_with(text, &mut Scratch::default())
    }

    /// Suggestions for every question, in order.
    pub fn match_all<'a>(&self, questions: impl IntoIterator<Item = &'a str>) -> Vec<Vec<Suggestion>> {
        let mut scratch = Scratch::default();
        questions.into_iter().map(|q| self.match_with(q, &mut scratch)).collect()
    }

    fn match_with(&self, text: &str, scratch: &mut Scratch) -> Vec<Suggestion> {
        let query = self.prepare(text);
        if query.terms.is_empty() {
            return Vec::new();
        }
        scratch.fit(self.index.docs.len(), self.entries.len());
        self.accumulate(&query, scratch);
        let shortlist = self.shortlist(scratch);
        let ranked = self.rank(&query, scratch, shortlist);
        scratch.clear();
        self.suggestions(&query, ranked)
    }

    /// BM25 per document through the postings of the query's terms, then folded into
    /// entries: the best phrasing, plus the weighted answer and tags.
    fn accumulate(&self, query: &Query, scratch: &mut Scratch) {
        let impacts = self.index.impacts();
        let Scratch { doc_scores, touched_docs, touched_count, entry_scores, touched_entries, touched_entry_count } =
            scratch;
        let mut count = *touched_count;
        for id in query.ids.iter().flatten() {
            for impact in &impacts[*id as usize] {
                let score = &mut doc_scores[impact.doc as usize];
                // Recorded unconditionally and kept only when new: a branch here would be
                // mispredicted about as often as not. Every impact is positive, so a
                // document is new exactly when its score is still zero.
                if let Some(slot) = touched_docs.get_mut(count) {
                    *slot = (impact.doc, impact.owner);
                }
                count += usize::from(*score == 0.0);
                *score += impact.score;
            }
        }
        *touched_count = count.min(touched_docs.len());
        // By field: what multiplies the score before it competes for the best phrasing, and
        // what multiplies it before it is added to the answer and tags total. Multiplying by
        // one and adding zero change no bit, so every document takes the same path.
        const FOLD: [(f32, f32); 3] = [(1.0, 0.0), (0.0, WEIGHT_ANSWER), (0.0, WEIGHT_TAGS)];
        let mut entries = 0;
        for &(doc, owner) in &touched_docs[..*touched_count] {
            let slot = owner.slot();
            let score = doc_scores[doc as usize];
            let total = &mut entry_scores[slot as usize];
            if let Some(touched) = touched_entries.get_mut(entries) {
                *touched = slot;
            }
            entries += usize::from(total.0.to_bits() | total.1.to_bits() == 0);
            let (phrasing_weight, extra_weight) = FOLD[owner.field()];
            let phrasing = phrasing_weight * score;
            if phrasing > total.0 {
                total.0 = phrasing;
            }
            total.1 += extra_weight * score;
        }
        *touched_entry_count = entries.min(touched_entries.len());
    }

    /// The strongest entries by BM25, which go on to the finer (and dearer) fit, best first.
    fn shortlist(&self, scratch: &Scratch) -> Vec<usize> {
        // One integer per candidate orders by score (descending), then by id: the bits of a
        // non-negative float sort as the float does, so no comparison needs the entries.
        let order = self.id_order();
        let keep = FIT_CANDIDATES.max(self.config.top_k);
        // The best `keep` keys so far in a max-heap, whose top is the one to beat: most
        // entries fail that one comparison, so this is one cheap pass.
        let mut best: std::collections::BinaryHeap<u64> = std::collections::BinaryHeap::with_capacity(keep + 1);
        // The score of the key to beat, once the heap is full: an entry that scores less
        // cannot get in, and is turned away before its position in id order is looked up.
        let mut bar = f32::NEG_INFINITY;
        for &slot in &scratch.touched_entries[..scratch.touched_entry_count] {
            let (phrasing, extra) = scratch.entry_scores[slot as usize];
            let score = (WEIGHT_PHRASING * phrasing + extra).max(0.0);
            if score < bar {
                continue;
            }
            let key = (u64::from(!score.to_bits()) << 32) | u64::from(order[slot as usize]);
            if best.len() < keep {
                best.push(key);
            } else if best.peek().is_some_and(|&worst| key < worst) {
                if let Some(mut worst) = best.peek_mut() {
                    *worst = key;
                }
            } else {
                continue;
            }
            if best.len() == keep {
                bar = best.peek().map_or(f32::NEG_INFINITY, |&worst| f32::from_bits(!((worst >> 32) as u32)));
            }
        }
        let keys = best.into_sorted_vec();
        let slot_at = self.slots_by_order();
        keys.into_iter().map(|key| slot_at[(key & u64::from(u32::MAX)) as usize]).collect()
    }

    /// Re-scores the shortlist by fit and blends fit with BM25, best first.
    fn rank(&self, query: &Query, scratch: &Scratch, shortlist: Vec<usize>) -> Vec<(Candidate, f32)> {
        let mut ranked = self.blend(query, scratch, shortlist);
        let order = self.id_order();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| order[a.0.slot].cmp(&order[b.0.slot])));
        // The runner-up is kept even when one suggestion is asked for: the leader's confidence
        // rests on its lead over it.
        ranked.truncate(self.config.top_k.max(2));
        ranked
    }

    /// Each shortlisted entry with its best-fitting phrasing and its blend of fit and BM25
    /// (relative to the best BM25 on the shortlist), in shortlist order.
    fn blend(&self, query: &Query, scratch: &Scratch, shortlist: Vec<usize>) -> Vec<(Candidate, f32)> {
        let ranked: Vec<Candidate> = shortlist
            .into_iter()
            .map(|slot| {
                let (_, extra) = scratch.entry_scores[slot];
                let docs = self.index.entry_docs.get(slot).map(Vec::as_slice).unwrap_or_default();
                let mut best: Option<Candidate> = None;
                for &doc_id in docs {
                    let score = scratch.doc_scores[doc_id];
                    let is_phrasing = self.index.docs[doc_id].as_ref().is_some_and(|doc| doc.field == Field::Phrasing);
                    if score <= 0.0 || !is_phrasing {
                        continue;
                    }
                    let (q, p) = self.coverage(query, doc_id);
                    let fit = explain::harmonic_mean(q, p);
                    if best.as_ref().is_none_or(|b| fit > b.fit) {
                        let score = WEIGHT_PHRASING * score + extra;
                        best = Some(Candidate { slot, fit, score, phrasing_doc: Some(doc_id) });
                    }
                }
                best.unwrap_or(Candidate { slot, fit: 0.0, score: extra, phrasing_doc: None })
            })
            .collect();
        let top_score = ranked.iter().map(|c| c.score).fold(0.0f32, f32::max).max(f32::MIN_POSITIVE);
        let blend = |c: &Candidate| RANK_CONFIDENCE_SHARE * c.fit + (1.0 - RANK_CONFIDENCE_SHARE) * c.score / top_score;
        ranked
            .into_iter()
            .map(|c| {
                let b = blend(&c);
                (c, b)
            })
            .collect()
    }

    /// Explanations, confidences and tiers for the ranked candidates.
    fn suggestions(&self, query: &Query, ranked: Vec<(Candidate, f32)>) -> Vec<Suggestion> {
        self.explained(query, ranked.into_iter().map(|(c, b)| (c, b, None)).collect())
    }

    /// Explanations, confidences and tiers for ranked candidates, each with its ranking score
    /// and, in hybrid matching, how similar in meaning it is.
    fn explained(
        &self,
        query: &Query,
        ranked: Vec<(Candidate, f32, Option<semantic::MeaningMatch>)>,
    ) -> Vec<Suggestion> {
        let blends: Vec<f32> = ranked.iter().map(|r| r.1).collect();
        ranked
            .into_iter()
            .take(self.config.top_k)
            .enumerate()
            .filter_map(|(rank, (candidate, _, meaning))| {
                let entry = self.entries[candidate.slot].as_ref()?;
                let rival = if rank == 0 { blends.get(1).copied().unwrap_or(0.0) } else { blends[0] };
                let gap = blends[rank] - rival;
                let explanation = self.explain(query, entry, &candidate, gap, meaning);
                let confidence = explanation.confidence;
                Some(Suggestion {
                    entry_id: entry.id.clone(),
                    confidence,
                    tier: self.config.tiers.tier_of(confidence, &explanation.features),
                    explanation,
                })
            })
            .collect()
    }

    /// Each slot's position when entries are sorted by id.
    fn id_order(&self) -> &[u32] {
        &self.ordering().0
    }

    /// The slots sorted by entry id: the inverse of [`Matcher::id_order`].
    fn slots_by_order(&self) -> &[usize] {
        &self.ordering().1
    }

    fn ordering(&self) -> &(Vec<u32>, Vec<usize>) {
        self.id_order.get_or_init(|| {
            let mut slots: Vec<usize> = (0..self.entries.len()).collect();
            slots.sort_by(|&a, &b| self.entry_id(a).cmp(self.entry_id(b)));
            let mut order = vec![0u32; self.entries.len()];
            for (position, &slot) in slots.iter().enumerate() {
                order[slot] = position as u32;
            }
            (order, slots)
        })
    }

    fn entry_id(&self, slot: usize) -> &str {
        self.entries[slot].as_ref().map(|e| e.id.as_str()).unwrap_or("")
    }

    /// BM25 contribution of one query term to one document, before field weights.
    fn term_score(&self, doc_id: usize, term: TermId) -> f32 {
        let Some(doc) = self.index.docs[doc_id].as_ref() else { return 0.0 };
        let tf = doc.tf(term);
        if tf == 0 {
            return 0.0;
        }
        bm25(self.index.idf(term), tf, doc.len, self.index.average_len(doc.field))
    }
}

/// BM25 for one term in one document: IDF times the saturated, length-normalised frequency.
fn bm25(idf: f32, tf: u32, len: u32, average_len: f32) -> f32 {
    idf * index::saturation(tf, len, average_len)
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
