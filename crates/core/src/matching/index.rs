//! The inverted index behind the matcher: BM25 statistics per field, kept apart from scoring,
//! and updated entry by entry so that one library edit never rebuilds the whole index.

use crate::library::Entry;
use crate::text::Analyzer;
use std::collections::{BTreeMap, HashMap};

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

/// One indexed text: a phrasing, an answer or the tags of one entry.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub entry: usize,
    pub field: Field,
    /// Which phrasing, for `Field::Phrasing`: 0 is the canonical question.
    pub phrasing: usize,
    pub len: u32,
    /// Term key to its frequency in this text.
    pub tf: HashMap<String, u32>,
}

/// Postings and statistics. Entry slots are stable: a removed entry leaves an empty slot.
#[derive(Debug, Default, Clone)]
pub(crate) struct Index {
    pub docs: Vec<Option<Doc>>,
    /// Term key to the documents that contain it, with the term's frequency in each.
    pub postings: HashMap<String, Vec<(usize, u32)>>,
    /// Term key to the number of live entries that contain it in any field.
    pub entry_df: HashMap<String, u32>,
    /// For each entry slot, its document ids; empty when the slot is free.
    pub entry_docs: Vec<Vec<usize>>,
    pub live_entries: u32,
    field_len_sum: BTreeMap<Field, u64>,
    field_doc_count: BTreeMap<Field, u64>,
}

impl Index {
    pub fn average_len(&self, field: Field) -> f32 {
        let count = self.field_doc_count.get(&field).copied().unwrap_or(0);
        if count == 0 {
            return 1.0;
        }
        self.field_len_sum.get(&field).copied().unwrap_or(0) as f32 / count as f32
    }

    /// Robertson–Spärck Jones IDF over entries, floored at zero contribution by the `+ 1`.
    pub fn idf(&self, key: &str) -> f32 {
        let n = self.live_entries as f32;
        let df = self.entry_df.get(key).copied().unwrap_or(0) as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// Adds (or replaces) the entry in `slot`.
    pub fn put(&mut self, slot: usize, entry: &Entry, analyzer: &Analyzer) {
        self.remove(slot);
        if self.entry_docs.len() <= slot {
            self.entry_docs.resize(slot + 1, Vec::new());
        }
        let mut texts: Vec<(Field, usize, String)> =
            entry.phrasings().enumerate().map(|(i, p)| (Field::Phrasing, i, p.to_owned())).collect();
        texts.push((Field::Answer, 0, format!("{} {}", entry.answer, entry.detail)));
        texts.push((Field::Tags, 0, entry.tags.join(" ").replace('-', " ")));
        let mut entry_terms: Vec<String> = Vec::new();
        for (field, phrasing, text) in texts {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let mut len = 0;
            for term in analyzer.analyze(&text) {
                len += 1;
                *tf.entry(term.key).or_default() += 1;
            }
            let doc_id = self.docs.len();
            for (key, &count) in &tf {
                self.postings.entry(key.clone()).or_default().push((doc_id, count));
                entry_terms.push(key.clone());
            }
            *self.field_len_sum.entry(field).or_default() += len as u64;
            *self.field_doc_count.entry(field).or_default() += 1;
            self.docs.push(Some(Doc { entry: slot, field, phrasing, len, tf }));
            self.entry_docs[slot].push(doc_id);
        }
        entry_terms.sort();
        entry_terms.dedup();
        for key in entry_terms {
            *self.entry_df.entry(key).or_default() += 1;
        }
        self.live_entries += 1;
    }

    /// Removes the entry in `slot`, if any, and its postings.
    pub fn remove(&mut self, slot: usize) {
        let Some(doc_ids) = self.entry_docs.get_mut(slot).map(std::mem::take) else { return };
        if doc_ids.is_empty() {
            return;
        }
        let mut entry_terms: Vec<String> = Vec::new();
        for doc_id in doc_ids {
            let Some(doc) = self.docs[doc_id].take() else { continue };
            *self.field_len_sum.entry(doc.field).or_default() -= doc.len as u64;
            *self.field_doc_count.entry(doc.field).or_default() -= 1;
            for key in doc.tf.keys() {
                if let Some(list) = self.postings.get_mut(key) {
                    list.retain(|&(d, _)| d != doc_id);
                    if list.is_empty() {
                        self.postings.remove(key);
                    }
                }
                entry_terms.push(key.clone());
            }
        }
        entry_terms.sort();
        entry_terms.dedup();
        for key in entry_terms {
            if let Some(df) = self.entry_df.get_mut(&key) {
                *df -= 1;
                if *df == 0 {
                    self.entry_df.remove(&key);
                }
            }
        }
        self.live_entries -= 1;
    }

    /// Whether any live entry holds this term.
    pub fn knows(&self, key: &str) -> bool {
        self.entry_df.contains_key(key)
    }
}
