//! Browsing a library on the library page: filters by series, control, tag and status, and
//! fuzzy type-ahead (fuzzy-matcher) over ids, phrasings and tags, fast enough per keystroke
//! for thousands of entries.

use super::{Entry, EntryStatus};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// Queries shorter than this many characters are matched as substrings, not fuzzily.
const SHORT_QUERY: usize = 3;

/// Hits that fill a page of the list: below this, the scattered matches are ranked too.
const FULL_PAGE: usize = 50;

/// How many of the scattered matches fuzzy-matcher scores when the exact ones are few.
const FUZZY_SCORED: usize = 300;

/// What the library page asks for. Empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowseFilter {
    pub query: String,
    /// A series such as `CC6` or `A1`.
    pub series: String,
    /// A criterion id such as `CC6.1`.
    pub control: String,
    pub tag: String,
    pub status: Option<EntryStatus>,
}

/// The lower-cased searchable text of each entry, built once per library version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowseIndex {
    haystacks: Vec<String>,
}

impl BrowseIndex {
    pub fn new(entries: &[Entry]) -> Self {
        let haystacks = entries
            .iter()
            .map(|e| {
                let mut text = e.id.to_lowercase();
                for field in e.phrasings().chain(e.tags.iter().map(String::as_str)) {
                    text.push('\n');
                    text.push_str(&field.to_lowercase());
                }
                text
            })
            .collect();
        Self { haystacks }
    }

    /// The indices of matching entries, best first when there is a query (else in library
    /// order), at most `limit`; and how many matched in all.
    pub fn browse(&self, entries: &[Entry], filter: &BrowseFilter, limit: usize) -> (Vec<usize>, usize) {
        let hits = self.hits(entries, filter, None);
        let total = hits.len();
        (hits.into_iter().take(limit).collect(), total)
    }

    /// Every matching entry, ranked as [`BrowseIndex::browse`] ranks them. `within` narrows the
    /// search to earlier hits: pass the hits of a query that this one extends (see
    /// [`BrowseIndex::narrows`]), so that each keystroke searches fewer entries.
    pub fn hits(&self, entries: &[Entry], filter: &BrowseFilter, within: Option<&[usize]>) -> Vec<usize> {
        let query = filter.query.trim().to_lowercase();
        let wanted = |index: usize| {
            let Some(entry) = entries.get(index) else { return false };
            (filter.series.is_empty() || entry.controls.iter().any(|c| c.series() == filter.series))
                && (filter.control.is_empty() || entry.controls.iter().any(|c| c.as_str() == filter.control))
                && (filter.tag.is_empty() || entry.tags.iter().any(|t| t.eq_ignore_ascii_case(&filter.tag)))
                && filter.status.is_none_or(|s| entry.status == s)
                && index < self.haystacks.len()
        };
        let all: Vec<usize>;
        let pool: &[usize] = match within {
            Some(earlier) => earlier,
            None => {
                all = (0..entries.len()).collect();
                &all
            }
        };
        let candidates = pool.iter().copied().filter(|&i| wanted(i));
        if query.is_empty() {
            let mut found: Vec<usize> = candidates.collect();
            found.sort_unstable();
            return found;
        }
        // One or two letters fuzzily match nearly every entry, and fuzzy scores say little
        // about them: a plain substring test, in library order, answers at once.
        if query.chars().count() < SHORT_QUERY {
            let mut found: Vec<usize> = candidates.filter(|&i| self.haystacks[i].contains(&query)).collect();
            found.sort_unstable();
            return found;
        }
        // Every entry with a field that holds the query's letters in order matches, as
        // fuzzy-matcher would match it. Those holding the query as it is typed rank first, by
        // a cheap score; the others are scored by fuzzy-matcher only when the first kind do not
        // fill a page.
        let (mut exact, mut scattered): (Vec<(i64, usize)>, Vec<usize>) = (Vec::new(), Vec::new());
        for i in candidates.filter(|&i| self.haystacks[i].split('\n').any(|field| contains_in_order(field, &query))) {
            match substring_score(&self.haystacks[i], &query) {
                Some(score) => exact.push((score, i)),
                None => scattered.push(i),
            }
        }
        exact.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| entries[a.1].id.cmp(&entries[b.1].id)));
        let mut ranked: Vec<usize> = exact.into_iter().map(|(_, i)| i).collect();
        if ranked.len() < FULL_PAGE {
            // The tightest matches first, by a cheap measure; fuzzy-matcher ranks the best of
            // them, and the rest follow in that order.
            let wanted: Vec<u8> = query.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            let mut by_span: Vec<(usize, usize)> = scattered
                .iter()
                .map(|&i| {
                    let fields = self.haystacks[i].split('\n');
                    let span = fields.filter_map(|f| tightest_span(f.as_bytes(), &wanted)).min();
                    (span.unwrap_or(usize::MAX), i)
                })
                .collect();
            by_span.sort_unstable();
            let rest: Vec<usize> = by_span.iter().skip(FUZZY_SCORED).map(|&(_, i)| i).collect();
            scattered = by_span.into_iter().take(FUZZY_SCORED).map(|(_, i)| i).collect();
            let matcher = SkimMatcherV2::default().ignore_case();
            let mut fuzzy: Vec<(i64, usize)> = scattered
                .iter()
                .filter_map(|&i| {
                    let entry = &entries[i];
                    let fields = std::iter::once(entry.id.as_str())
                        .chain(entry.phrasings())
                        .chain(entry.tags.iter().map(String::as_str));
                    fields.filter_map(|f| matcher.fuzzy_match(f, &query)).max().map(|score| (score, i))
                })
                .collect();
            fuzzy.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| entries[a.1].id.cmp(&entries[b.1].id)));
            ranked.extend(fuzzy.into_iter().map(|(_, i)| i));
            ranked.extend(rest);
        } else {
            ranked.extend(scattered);
        }
        ranked
    }

    /// Whether the hits of `earlier` contain every hit of `later`, so that `later` may search
    /// within them: the same filters, and a fuzzy query that `later` extends (every fuzzy
    /// match of a longer query is one of its prefix's).
    pub fn narrows(earlier: &BrowseFilter, later: &BrowseFilter) -> bool {
        let (before, after) = (earlier.query.trim().to_lowercase(), later.query.trim().to_lowercase());
        earlier.series == later.series
            && earlier.control == later.control
            && earlier.tag == later.tag
            && earlier.status == later.status
            && before.chars().count() >= SHORT_QUERY
            && after.starts_with(&before)
    }

    /// The tags in use, sorted, for the tag filter.
    pub fn tags(entries: &[Entry]) -> Vec<String> {
        let mut tags: Vec<String> = entries.iter().flat_map(|e| e.tags.iter().map(|t| t.to_lowercase())).collect();
        tags.sort();
        tags.dedup();
        tags
    }
}

/// How well a haystack holds the query as typed, or `None` when it does not: the question
/// (line 1) ranks above the alternates and the tags (the lines after it), which rank above the
/// id (line 0); a match at the start of a word ranks higher, and an earlier one higher still.
fn substring_score(haystack: &str, query: &str) -> Option<i64> {
    let at = haystack.find(query)?;
    let line = haystack[..at].matches('\n').count();
    let line_start = haystack[..at].rfind('\n').map_or(0, |p| p + 1);
    let field = match line {
        1 => 3,
        0 => 1,
        _ => 2,
    };
    let word_start = haystack[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
    Some(field * 100_000 + i64::from(word_start) * 50_000 - (at - line_start).min(49_999) as i64)
}

/// The shortest stretch of a field that holds the wanted bytes in order, found greedily from
/// each of the first few places the first one occurs, or `None` when there is none.
fn tightest_span(field: &[u8], wanted: &[u8]) -> Option<usize> {
    const STARTS: usize = 8;
    let (&first, rest) = wanted.split_first()?;
    let mut best: Option<usize> = None;
    for start in (0..field.len()).filter(|&p| field[p] == first).take(STARTS) {
        let mut next = 0;
        let mut end = start;
        for (position, &byte) in field.iter().enumerate().skip(start + 1) {
            if next == rest.len() {
                break;
            }
            if byte == rest[next] {
                next += 1;
                end = position;
            }
        }
        if next < rest.len() {
            break;
        }
        best = Some(best.map_or(end - start + 1, |b| b.min(end - start + 1)));
    }
    best
}

/// Whether the query's characters (spaces aside) occur in the haystack in order: the cheap
/// test that every fuzzy match passes, run first so that most entries cost one scan.
fn contains_in_order(haystack: &str, query: &str) -> bool {
    let mut rest = haystack.chars();
    query.chars().filter(|c| !c.is_whitespace()).all(|wanted| rest.any(|c| c == wanted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::builtin;

    #[test]
    fn filters_and_type_ahead_find_entries() {
        let entries = builtin::library().entries;
        let index = BrowseIndex::new(&entries);
        let (all, total) = index.browse(&entries, &BrowseFilter::default(), 10);
        assert_eq!((all.len(), total), (10, entries.len()));

        let by_control = BrowseFilter { control: "CC6.1".into(), ..Default::default() };
        let (found, total) = index.browse(&entries, &by_control, usize::MAX);
        assert!(total >= 2);
        assert!(found.iter().all(|&i| entries[i].controls.iter().any(|c| c.as_str() == "CC6.1")));

        let by_series = BrowseFilter { series: "A1".into(), ..Default::default() };
        let (found, _) = index.browse(&entries, &by_series, usize::MAX);
        assert!(found.iter().all(|&i| entries[i].controls.iter().any(|c| c.series() == "A1")));

        let typed = BrowseFilter { query: "penetraton test".into(), ..Default::default() };
        let (found, total) = index.browse(&entries, &typed, 5);
        assert!(total > 0, "a typo still finds the pen-test entries");
        let first = &entries[found[0]];
        assert!(first.phrasings().any(|p| p.to_lowercase().contains("penetration")), "{}", first.question);

        let short = BrowseFilter { query: "mf".into(), ..Default::default() };
        let (found, total) = index.browse(&entries, &short, 100);
        assert!(total > 0 && total < entries.len(), "two letters match as a substring ({total})");
        assert!(found.iter().all(|&i| index.haystacks[i].contains("mf")));

        let nothing = BrowseFilter { query: "zzzzqqqq".into(), ..Default::default() };
        assert_eq!(index.browse(&entries, &nothing, 5).1, 0);
    }

    #[test]
    fn narrowing_to_earlier_hits_finds_the_same_entries() {
        let entries = builtin::library().entries;
        let index = BrowseIndex::new(&entries);
        let mut earlier: Option<(BrowseFilter, Vec<usize>)> = None;
        let mut typed = String::new();
        for key in "encryption at rest".chars() {
            typed.push(key);
            let filter = BrowseFilter { query: typed.clone(), ..Default::default() };
            let within = earlier.as_ref().filter(|(f, _)| BrowseIndex::narrows(f, &filter)).map(|(_, h)| h.as_slice());
            let narrowed = index.hits(&entries, &filter, within);
            assert_eq!(narrowed, index.hits(&entries, &filter, None), "{typed:?}");
            earlier = Some((filter, narrowed));
        }
    }

    #[test]
    fn in_order_test_ignores_spaces() {
        assert!(contains_in_order("multi-factor authentication", "mfa auth"));
        assert!(!contains_in_order("encryption", "noitpyrcne"));
    }
}
