//! The inverted index behind the matcher: BM25 statistics per field, kept apart from scoring,
//! and updated entry by entry so that one library edit never rebuilds the whole index.
//!
//! Terms are interned as small integers, postings and document statistics live in flat
//! vectors, and the derived tables (IDF per term, the id order of entries) are computed lazily
//! after an edit: matching a question touches no hash map except to look up its own terms.

use crate::library::Entry;
use crate::text::Term;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// An interned term key.
pub(crate) type TermId = u32;

/// The fields an entry is indexed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The canonical question or one of its alternates; the best one counts.
    Phrasing = 0,
    /// The short answer and the detailed answer.
    Answer = 1,
    /// The entry's tags.
    Tags = 2,
}

impl Field {
    /// The field's name, as explanations show it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Phrasing => "phrasing",
            Field::Answer => "answer",
            Field::Tags => "tags",
        }
    }
}

/// One indexed text: a phrasing, an answer or the tags of one entry.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub field: Field,
    /// Which phrasing, for `Field::Phrasing`: 0 is the canonical question.
    pub phrasing: usize,
    pub len: u32,
    /// Each distinct term with its frequency in this text, sorted by term id.
    pub terms: Vec<(TermId, u32)>,
}

impl Doc {
    /// The frequency of a term in this text.
    pub fn tf(&self, term: TermId) -> u32 {
        self.terms.binary_search_by_key(&term, |&(t, _)| t).map_or(0, |i| self.terms[i].1)
    }
}

/// A posting: a document that holds a term, with what its saturation is computed from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Posting {
    pub doc: u32,
    pub tf: u32,
    pub len: u32,
    pub field: Field,
}

/// Postings and statistics. Entry slots are stable: a removed entry leaves an empty slot.
#[derive(Debug, Default, Clone)]
pub(crate) struct Index {
    pub docs: Vec<Option<Doc>>,
    /// By document id: its entry slot and field, which the impact table copies into each
    /// posting.
    pub doc_owner: Vec<(u32, Field)>,
    term_ids: HashMap<String, TermId>,
    term_keys: Vec<String>,
    /// By term id: the documents that contain the term.
    pub postings: Vec<Vec<Posting>>,
    /// By term id: the number of live entries that contain the term in any field.
    entry_df: Vec<u32>,
    /// For each entry slot, its document ids; empty when the slot is free.
    pub entry_docs: Vec<Vec<usize>>,
    pub live_entries: u32,
    field_len_sum: [u64; 3],
    field_doc_count: [u64; 3],
    /// IDF by term id, computed on first use after an edit.
    idf_table: OnceLock<Vec<f32>>,
    /// By term id, each posting's document with its BM25 (the term's IDF times the posting's
    /// saturated, length-normalised frequency), computed on first use after an edit, since an
    /// edit moves the IDFs and the average lengths. Matching then costs one addition per
    /// posting, over eight contiguous bytes.
    impact_table: OnceLock<Vec<Vec<Impact>>>,
    /// By document id: the sum of its terms' IDFs, computed on first use after an edit.
    mass_table: OnceLock<Vec<f32>>,
}

/// One posting as the matcher's hot loop reads it: the document, its owner and the term's
/// BM25 in it. The owner travels with the posting so that folding documents into entries
/// needs no lookup by document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Impact {
    pub doc: u32,
    pub owner: Owner,
    pub score: f32,
}

/// A document's entry slot and field, packed into one integer: the slot times four, plus
/// the field.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Owner(u32);

impl Owner {
    fn new(slot: u32, field: Field) -> Self {
        Self(slot << 2 | field as u32)
    }

    pub fn slot(self) -> u32 {
        self.0 >> 2
    }

    /// The field, as its index in field order.
    pub fn field(self) -> usize {
        (self.0 & 3) as usize
    }
}

impl Index {
    pub fn average_len(&self, field: Field) -> f32 {
        let count = self.field_doc_count[field as usize];
        if count == 0 {
            return 1.0;
        }
        self.field_len_sum[field as usize] as f32 / count as f32
    }

    /// The postings of every term as [`Impact`]s, in the order of [`Index::postings`]. The
    /// product is the one that scoring a posting computes (IDF times [`saturation`], rounded
    /// once), so precomputing it changes no score.
    pub fn impacts(&self) -> &[Vec<Impact>] {
        self.impact_table.get_or_init(|| {
            let average = [Field::Phrasing, Field::Answer, Field::Tags].map(|f| self.average_len(f));
            self.postings
                .iter()
                .enumerate()
                .map(|(term, list)| {
                    let idf = self.idf(term as TermId);
                    list.iter()
                        .map(|p| Impact {
                            doc: p.doc,
                            owner: Owner::new(self.doc_owner[p.doc as usize].0, p.field),
                            score: idf * saturation(p.tf, p.len, average[p.field as usize]),
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// A document's IDF mass: the sum of its distinct terms' IDFs, in term order (zero for a
    /// removed document). Coverage divides by it for every candidate phrasing.
    pub fn mass(&self, doc_id: usize) -> f32 {
        let table = self.mass_table.get_or_init(|| {
            self.docs
                .iter()
                .map(|doc| doc.as_ref().map_or(0.0, |doc| doc.terms.iter().map(|&(term, _)| self.idf(term)).sum()))
                .collect()
        });
        table.get(doc_id).copied().unwrap_or(0.0)
    }

    /// Forgets the derived tables after an edit.
    fn invalidate(&mut self) {
        self.idf_table = OnceLock::new();
        self.impact_table = OnceLock::new();
        self.mass_table = OnceLock::new();
    }

    /// The id of a term key, if any document ever held it.
    pub fn term_id(&self, key: &str) -> Option<TermId> {
        self.term_ids.get(key).copied()
    }

    /// Robertson–Spärck Jones IDF over entries, floored at zero contribution by the `+ 1`.
    pub fn idf(&self, term: TermId) -> f32 {
        self.idf_table
            .get_or_init(|| self.entry_df.iter().map(|&df| idf_formula(self.live_entries, df)).collect())
            .get(term as usize)
            .copied()
            .unwrap_or_else(|| idf_formula(self.live_entries, 0))
    }

    /// IDF of a term that may not be in the index (`None`: an unknown word is as rare as can be).
    pub fn idf_of_id(&self, id: Option<TermId>) -> f32 {
        id.map_or_else(|| idf_formula(self.live_entries, 0), |id| self.idf(id))
    }

    fn intern(&mut self, key: String) -> TermId {
        if let Some(&id) = self.term_ids.get(&key) {
            return id;
        }
        let id = self.term_keys.len() as TermId;
        self.term_keys.push(key.clone());
        self.term_ids.insert(key, id);
        self.postings.push(Vec::new());
        self.entry_df.push(0);
        id
    }

    /// Adds (or replaces) the entry in `slot`, analysing its texts with `analyze`.
    pub fn put(&mut self, slot: usize, entry: &Entry, mut analyze: impl FnMut(&str) -> Vec<Term>) {
        self.remove(slot);
        self.invalidate();
        if self.entry_docs.len() <= slot {
            self.entry_docs.resize(slot + 1, Vec::new());
        }
        let answer = format!("{} {}", entry.answer, entry.detail);
        let tags = entry.tags.join(" ").replace('-', " ");
        let texts = entry
            .phrasings()
            .enumerate()
            .map(|(i, p)| (Field::Phrasing, i, p))
            .chain([(Field::Answer, 0, answer.as_str()), (Field::Tags, 0, tags.as_str())]);
        let mut entry_terms: Vec<TermId> = Vec::new();
        for (field, phrasing, text) in texts {
            let analyzed = analyze(text);
            let len = analyzed.len() as u32;
            let mut terms: Vec<(TermId, u32)> = analyzed.into_iter().map(|term| (self.intern(term.key), 1)).collect();
            terms.sort_unstable();
            terms.dedup_by(|later, first| {
                let same = later.0 == first.0;
                if same {
                    first.1 += 1;
                }
                same
            });
            let doc_id = self.docs.len();
            for &(term, tf) in &terms {
                let posting = Posting { doc: doc_id as u32, tf, len, field };
                self.postings[term as usize].push(posting);
                entry_terms.push(term);
            }
            self.field_len_sum[field as usize] += len as u64;
            self.field_doc_count[field as usize] += 1;
            self.doc_owner.push((slot as u32, field));
            self.docs.push(Some(Doc { field, phrasing, len, terms }));
            self.entry_docs[slot].push(doc_id);
        }
        entry_terms.sort_unstable();
        entry_terms.dedup();
        for term in entry_terms {
            self.entry_df[term as usize] += 1;
        }
        self.live_entries += 1;
    }

    /// Removes the entry in `slot`, if any, and its postings.
    pub fn remove(&mut self, slot: usize) {
        let Some(doc_ids) = self.entry_docs.get_mut(slot).map(std::mem::take) else { return };
        if doc_ids.is_empty() {
            return;
        }
        self.invalidate();
        let mut entry_terms: Vec<TermId> = Vec::new();
        for doc_id in doc_ids {
            let Some(doc) = self.docs[doc_id].take() else { continue };
            self.field_len_sum[doc.field as usize] -= doc.len as u64;
            self.field_doc_count[doc.field as usize] -= 1;
            for &(term, _) in &doc.terms {
                self.postings[term as usize].retain(|p| p.doc as usize != doc_id);
                entry_terms.push(term);
            }
        }
        entry_terms.sort_unstable();
        entry_terms.dedup();
        for term in entry_terms {
            self.entry_df[term as usize] = self.entry_df[term as usize].saturating_sub(1);
        }
        self.live_entries -= 1;
    }

    /// Whether any live entry holds this term.
    pub fn knows(&self, key: &str) -> bool {
        self.term_id(key).is_some_and(|id| self.entry_df[id as usize] > 0)
    }

    /// The keys that live entries hold, with the number of entries holding each.
    pub fn known_terms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.term_keys.iter().zip(&self.entry_df).filter(|(_, &df)| df > 0).map(|(k, &df)| (k.as_str(), df))
    }
}

/// Robertson–Spärck Jones IDF for a term held by `df` of `n` entries.
fn idf_formula(n: u32, df: u32) -> f32 {
    let (n, df) = (n as f32, df as f32);
    ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
}

/// BM25's term-frequency part: saturated by `BM25_K1` and normalised by the text's length
/// against the field's average, by `BM25_B`.
pub(crate) fn saturation(tf: u32, len: u32, average_len: f32) -> f32 {
    use super::{BM25_B, BM25_K1};
    let tf = tf as f32;
    let norm = 1.0 - BM25_B + BM25_B * len as f32 / average_len;
    tf * (BM25_K1 + 1.0) / (tf + BM25_K1 * norm)
}
