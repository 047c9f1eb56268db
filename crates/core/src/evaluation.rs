//! Measuring the matcher on a labelled gold set: top-1, recall@3, the precision of the high
//! tier and answer-or-abstain accuracy, for Trustfill and for two peers (plain BM25 without
//! the lexicon, and fuzzy-matcher alone).

use crate::library::Library;
use crate::matching::{Matcher, Suggestion, Tier};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::Deserialize;

/// One labelled question: the entries that would be acceptable answers, or none.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuestion {
    pub question: String,
    #[serde(default)]
    pub source: String,
    pub acceptable: Vec<String>,
}

/// The figures printed for each system.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub top1: f64,
    pub recall3: f64,
    pub high_precision: Option<f64>,
    pub high_count: usize,
    pub answer_or_abstain: f64,
}

/// A ranked list and the tier of its top, for one question.
pub type Ranking = (Vec<String>, Tier);

/// Reads a gold set: a JSON array of `{question, source, acceptable}`.
pub fn parse_gold(json: &str) -> Result<Vec<GoldQuestion>, serde_json::Error> {
    serde_json::from_str(json)
}

/// Scores rankings against the gold labels.
pub fn score(gold: &[GoldQuestion], rankings: &[Ranking]) -> Scores {
    let answerable = gold.iter().filter(|g| !g.acceptable.is_empty()).count().max(1) as f64;
    let mut scores = Scores::default();
    let mut high_right = 0usize;
    let mut right_or_abstain = 0usize;
    for (g, (ranked, tier)) in gold.iter().zip(rankings) {
        let hit = |i: usize| ranked.get(i).is_some_and(|id| g.acceptable.contains(id));
        if !g.acceptable.is_empty() {
            scores.top1 += f64::from(u8::from(hit(0)));
            scores.recall3 += f64::from(u8::from((0..3).any(hit)));
        }
        if *tier == Tier::High {
            scores.high_count += 1;
            high_right += usize::from(hit(0));
        }
        let abstained = *tier == Tier::None || ranked.is_empty();
        if (abstained && g.acceptable.is_empty()) || (!abstained && hit(0)) {
            right_or_abstain += 1;
        }
    }
    scores.top1 /= answerable;
    scores.recall3 /= answerable;
    scores.high_precision = (scores.high_count > 0).then(|| high_right as f64 / scores.high_count as f64);
    scores.answer_or_abstain = right_or_abstain as f64 / gold.len().max(1) as f64;
    scores
}

/// Rankings from the full matcher.
pub fn rank_trustfill(matcher: &Matcher, gold: &[GoldQuestion]) -> (Vec<Ranking>, Vec<f32>) {
    rankings(gold.iter().map(|g| matcher.match_question(&g.question)))
}

/// Each question's ranked entry ids with the tier of its top, and the top's confidence (zero
/// when there is no suggestion), from the matcher's suggestions in gold order.
pub fn rankings<L: AsRef<[Suggestion]>>(suggestions: impl IntoIterator<Item = L>) -> (Vec<Ranking>, Vec<f32>) {
    suggestions
        .into_iter()
        .map(|list| {
            let list = list.as_ref();
            let top = list.first();
            let ranking = (list.iter().map(|s| s.entry_id.clone()).collect(), top.map_or(Tier::None, |s| s.tier));
            (ranking, top.map_or(0.0, |s| s.confidence))
        })
        .unzip()
}

/// Rankings from fuzzy-matcher alone: each question word of three letters or more is
/// fuzzily matched against a phrasing, and an entry scores its best phrasing's sum. It
/// never abstains.
pub fn rank_fuzzy(library: &Library, gold: &[GoldQuestion]) -> Vec<Ranking> {
    let fuzzy = SkimMatcherV2::default().ignore_case();
    gold.iter()
        .map(|g| {
            let words: Vec<&str> = g.question.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).collect();
            let mut scored: Vec<(i64, &str)> = library
                .approved()
                .map(|e| {
                    let best = e
                        .phrasings()
                        .map(|p| words.iter().filter_map(|w| fuzzy.fuzzy_match(p, w)).sum::<i64>())
                        .max()
                        .unwrap_or(0);
                    (best, e.id.as_str())
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            (scored.into_iter().take(3).map(|(_, id)| id.to_owned()).collect(), Tier::Medium)
        })
        .collect()
}

/// The lowest confidence from which the top answers are right at least `target` of the time
/// at that threshold and at every higher one with at least `min_support` questions above it.
/// Requiring every higher threshold too keeps a lucky dip in a small sample from setting it.
pub fn calibrate_high(
    gold: &[GoldQuestion],
    rankings: &[Ranking],
    confidences: &[f32],
    target: f64,
    min_support: usize,
) -> Option<f32> {
    let thresholds: Vec<f32> = (30..=100).map(|t| t as f32 / 100.0).collect();
    let meets: Vec<Option<bool>> = thresholds
        .iter()
        .map(|&threshold| {
            let (count, right) = top_answers_above(gold, rankings, confidences, threshold);
            (count >= min_support).then(|| right as f64 / count as f64 >= target)
        })
        .collect();
    (0..thresholds.len())
        .find(|&i| meets[i] == Some(true) && meets[i..].iter().all(|m| *m != Some(false)))
        .map(|i| thresholds[i])
}

/// How many questions have a top confidence at or above `threshold`, and how many of those
/// top answers are acceptable.
pub fn top_answers_above(
    gold: &[GoldQuestion],
    rankings: &[Ranking],
    confidences: &[f32],
    threshold: f32,
) -> (usize, usize) {
    gold.iter()
        .zip(rankings)
        .zip(confidences)
        .filter(|(_, &c)| c >= threshold)
        .map(|((g, (ranked, _)), _)| ranked.first().is_some_and(|id| g.acceptable.contains(id)))
        .fold((0, 0), |(count, right), ok| (count + 1, right + usize::from(ok)))
}
