//! Hybrid matching: the lexical ranking and the semantic one fused into one score, with a
//! confidence calibrated on both, and the semantic-only ranking it is measured against.

use super::semantic::{closest, SemanticIndex, SEMANTIC_CANDIDATES};
use super::{Matcher, Scratch, Suggestion, Tier};

/// How much of the fused ranking score is the semantic similarity; the rest is the lexical
/// blend of fit and BM25. On the gold set, shares of 0.5, 0.6, 0.7 and 0.8 give top-1 of
/// 73.2%, 75.0%, 77.4% and 73.2%: meaning leads, but words still carry almost a third, since
/// an exact control term (an acronym, a standard's name) is evidence a sentence vector blurs.
pub const SEMANTIC_SHARE: f32 = 0.7;
/// The cosine similarity that counts as no similarity at all. Unrelated sentences from the
/// same domain land around 0.1 to 0.3 with all-MiniLM-L6-v2, so the scale starts there.
pub const SIMILARITY_FLOOR: f32 = 0.2;

/// Semantic-only tiers (the peer, not what the app shows): a top similarity below this is "no
/// match".
pub const SEMANTIC_ONLY_ABSTAIN_BELOW: f32 = 0.45;

/// A similarity on the scale the fused score uses: the floor maps to zero and one to one.
pub fn similarity_score(similarity: f32) -> f32 {
    ((similarity - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)).clamp(0.0, 1.0)
}

impl Matcher {
    /// The top suggestions for one question, ranked by words and meaning together. The
    /// question's vector must come from the encoder that made the index's vectors.
    pub fn match_hybrid(&self, text: &str, vector: &[f32], semantic: &SemanticIndex) -> Vec<Suggestion> {
        self.match_hybrid_with(text, vector, semantic, &mut Scratch::default())
    }

    /// Hybrid suggestions for every question, in order: each with its vector.
    pub fn match_all_hybrid<'a>(
        &self,
        questions: impl IntoIterator<Item = (&'a str, &'a [f32])>,
        semantic: &SemanticIndex,
    ) -> Vec<Vec<Suggestion>> {
        let mut scratch = Scratch::default();
        questions
            .into_iter()
            .map(|(text, vector)| self.match_hybrid_with(text, vector, semantic, &mut scratch))
            .collect()
    }

    fn match_hybrid_with(
        &self,
        text: &str,
        vector: &[f32],
        semantic: &SemanticIndex,
        scratch: &mut Scratch,
    ) -> Vec<Suggestion> {
        if vector.len() != semantic.dims() {
            return self.match_with(text, scratch);
        }
        let query = self.prepare(text);
        scratch.fit(self.index.docs.len(), self.entries.len());
        let mut shortlist = Vec::new();
        if !query.terms.is_empty() {
            self.accumulate(&query, scratch);
            shortlist = self.shortlist(scratch);
        }
        let meanings = semantic.meanings(vector);
        for (slot, _) in closest(&meanings, SEMANTIC_CANDIDATES) {
            if !shortlist.contains(&slot) {
                shortlist.push(slot);
            }
        }
        let blended = self.blend(&query, scratch, shortlist);
        scratch.clear();
        let mut fused: Vec<_> = blended
            .into_iter()
            .map(|(candidate, lexical)| {
                let meaning = meanings.get(candidate.slot).copied().flatten();
                let score = (1.0 - SEMANTIC_SHARE) * lexical
                    + SEMANTIC_SHARE * meaning.map_or(0.0, |m| similarity_score(m.similarity));
                (candidate, score, meaning)
            })
            .collect();
        let order = self.id_order();
        fused.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| order[a.0.slot].cmp(&order[b.0.slot])));
        fused.truncate(self.config.top_k.max(2));
        self.explained(&query, fused)
    }

    /// The peer that hybrid matching must beat: entries ranked by the similarity of the
    /// question's vector to their phrasings, as plain embedding retrieval does. The
    /// top answer is "no match" below [`SEMANTIC_ONLY_ABSTAIN_BELOW`].
    pub fn rank_by_meaning(&self, vector: &[f32], semantic: &SemanticIndex) -> (Vec<String>, Tier) {
        let ranked = closest(&semantic.meanings(vector), self.config.top_k);
        let tier = match ranked.first() {
            Some((_, m)) if m.similarity >= SEMANTIC_ONLY_ABSTAIN_BELOW => Tier::Medium,
            _ => Tier::None,
        };
        (ranked.into_iter().map(|(slot, _)| self.entry_id(slot).to_owned()).collect(), tier)
    }
}

#[cfg(test)]
mod tests {
    use super::super::semantic::{entry_texts, VectorCache};
    use super::*;
    use crate::library::builtin;

    /// A made-up encoder for tests: each text's vector marks the library entries whose texts
    /// it equals, so "meaning" is exact identity with an entry's text, and anything else is
    /// orthogonal to every entry.
    fn toy_vectors(library: &crate::Library) -> (VectorCache, impl Fn(&str) -> Vec<f32> + '_) {
        let approved: Vec<&crate::Entry> = library.approved().collect();
        let dims = approved.len() + 1;
        let encode = move |text: &str| {
            let mut vector = vec![0.0; dims];
            for (i, entry) in approved.iter().enumerate() {
                if entry_texts(entry).contains(&text) {
                    vector[i] = 1.0;
                }
            }
            vector[dims - 1] = 0.01;
            vector
        };
        let mut cache = VectorCache::new("toy", dims);
        for text in cache.missing(library) {
            cache.insert(text, encode(text)).unwrap();
        }
        (cache, encode)
    }

    #[test]
    fn meaning_finds_an_entry_that_shares_no_words_with_the_question() {
        let library = builtin::library();
        let matcher = Matcher::new(&library);
        let (cache, encode) = toy_vectors(&library);
        let (index, left_out) = SemanticIndex::new(&matcher, &cache);
        assert_eq!(left_out, 0);
        let target = library.approved().nth(7).unwrap();
        // The question's words are nonsense, but its vector is the entry's question's.
        let vector = encode(&target.question);
        let top = &matcher.match_hybrid("zzqx wobble frob", &vector, &index)[0];
        assert_eq!(top.entry_id, target.id);
        let semantic = top.explanation.semantic.as_ref().expect("a semantic part");
        assert_eq!(semantic.phrasing, target.question);
        assert!(top.explanation.features.semantic.is_some());
        assert!((0.0..=1.0).contains(&top.confidence));
    }

    #[test]
    fn a_vector_of_the_wrong_size_falls_back_to_words() {
        let library = builtin::library();
        let matcher = Matcher::new(&library);
        let (cache, _) = toy_vectors(&library);
        let (index, _) = SemanticIndex::new(&matcher, &cache);
        let question = "Do you enforce MFA for administrators?";
        assert_eq!(matcher.match_hybrid(question, &[1.0, 0.0], &index), matcher.match_question(question));
    }
}
