//! Fuzzy type-ahead search over a library, for picking an answer by hand.

use crate::library::{Entry, EntryStatus};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// Entries whose id, question, alternates or tags fuzzily contain the query, best first
/// (ties by id), at most `limit`. Retired entries are left out.
pub fn search_entries<'a>(entries: &'a [Entry], query: &str, limit: usize) -> Vec<(&'a Entry, i64)> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut hits: Vec<(&Entry, i64)> = entries
        .iter()
        .filter(|e| e.status != EntryStatus::Retired)
        .filter_map(|e| {
            let fields = std::iter::once(e.id.as_str()).chain(e.phrasings()).chain(e.tags.iter().map(String::as_str));
            fields.filter_map(|f| matcher.fuzzy_match(f, query)).max().map(|score| (e, score))
        })
        .collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    hits.truncate(limit);
    hits
}
