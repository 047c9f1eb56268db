//! `trustfill eval`: accuracy of the matcher on the labelled gold set, beside two peers
//! (plain BM25 without the lexicon, and fuzzy-matcher alone), and the calibrated high tier.

use anyhow::{Context, Result};
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use serde::Deserialize;
use std::path::Path;
use trustfill_core::library::Library;
use trustfill_core::matching::{MatchConfig, Matcher, Tier};
use trustfill_core::text::{Analyzer, Lexicon};

/// One labelled question: the entries that would be acceptable answers, or none.
#[derive(Debug, Deserialize)]
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

pub fn load_gold(path: &Path) -> Result<Vec<GoldQuestion>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a gold set", path.display()))
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
    let mut confidences = Vec::new();
    let rankings = gold
        .iter()
        .map(|g| {
            let suggestions = matcher.match_question(&g.question);
            confidences.push(suggestions.first().map_or(0.0, |s| s.confidence));
            let tier = suggestions.first().map_or(Tier::None, |s| s.tier);
            (suggestions.into_iter().map(|s| s.entry_id).collect(), tier)
        })
        .collect();
    (rankings, confidences)
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

/// The lowest confidence at which the top answers are right at least `target` of the time,
/// among thresholds with at least `min_support` questions above them.
pub fn calibrate_high(
    gold: &[GoldQuestion],
    rankings: &[Ranking],
    confidences: &[f32],
    target: f64,
    min_support: usize,
) -> Option<f32> {
    (30..=100).map(|t| t as f32 / 100.0).find(|&threshold| {
        let above: Vec<bool> = gold
            .iter()
            .zip(rankings)
            .zip(confidences)
            .filter(|(_, &c)| c >= threshold)
            .map(|((g, (ranked, _)), _)| ranked.first().is_some_and(|id| g.acceptable.contains(id)))
            .collect();
        above.len() >= min_support && above.iter().filter(|&&r| r).count() as f64 / above.len() as f64 >= target
    })
}

fn line(name: &str, s: &Scores) -> String {
    let high = s.high_precision.map_or("  n/a ".into(), |p| format!("{:5.1}%", p * 100.0));
    format!(
        "{name:<28} {:6.1}% {:9.1}% {high:>9} ({:3}) {:9.1}%",
        s.top1 * 100.0,
        s.recall3 * 100.0,
        s.high_count,
        s.answer_or_abstain * 100.0
    )
}

pub fn run(gold_path: &Path, library: &Library, show_misses: bool) -> Result<()> {
    let gold = load_gold(gold_path)?;
    let matcher = Matcher::new(library);
    let (ours, confidences) = rank_trustfill(&matcher, &gold);
    let plain = Matcher::with_config(library, Analyzer::new(Lexicon::default()), MatchConfig::default());
    let (bm25, _) = rank_trustfill(&plain, &gold);
    let fuzzy = rank_fuzzy(library, &gold);
    let answerable = gold.iter().filter(|g| !g.acceptable.is_empty()).count();
    println!(
        "Gold set: {} questions ({} answerable, {} with no acceptable entry); library {} entries.",
        gold.len(),
        answerable,
        gold.len() - answerable,
        library.entries.len()
    );
    println!("{:<28} {:>7} {:>10} {:>15} {:>10}", "system", "top-1", "recall@3", "high prec (n)", "ans/abst");
    println!("{}", line("trustfill (lexicon + BM25F)", &score(&gold, &ours)));
    println!("{}", line("plain BM25 (no lexicon)", &score(&gold, &bm25)));
    println!("{}", line("fuzzy-matcher alone", &score(&gold, &fuzzy)));
    if show_misses {
        for (g, (ranked, tier)) in gold.iter().zip(&ours) {
            let right = ranked.first().is_some_and(|id| g.acceptable.contains(id));
            if !right && !g.acceptable.is_empty() {
                println!(
                    "MISS [{}] {}\n    want {:?}\n    got  {:?} ({})",
                    g.source,
                    g.question.chars().take(140).collect::<String>(),
                    g.acceptable,
                    ranked,
                    tier.label()
                );
            }
        }
    }
    let mut sources: Vec<&str> = gold.iter().map(|g| g.source.split(':').next().unwrap_or("")).collect();
    sources.sort();
    sources.dedup();
    for source in sources {
        let picked: Vec<usize> =
            (0..gold.len()).filter(|&i| gold[i].source.split(':').next() == Some(source)).collect();
        let subset: Vec<GoldQuestion> = picked
            .iter()
            .map(|&i| GoldQuestion {
                question: gold[i].question.clone(),
                source: gold[i].source.clone(),
                acceptable: gold[i].acceptable.clone(),
            })
            .collect();
        let ranks: Vec<Ranking> = picked.iter().map(|&i| ours[i].clone()).collect();
        let s = score(&subset, &ranks);
        println!(
            "  {source:<12} {:4} questions: top-1 {:5.1}%, answer-or-abstain {:5.1}%",
            subset.len(),
            s.top1 * 100.0,
            s.answer_or_abstain * 100.0
        );
    }
    match calibrate_high(&gold, &ours, &confidences, 0.9, 10) {
        Some(t) => println!("Calibration: top answers at confidence >= {t:.2} are right at least 90% of the time."),
        None => println!("Calibration: no confidence threshold reaches 90% precision with 10 or more questions."),
    }
    Ok(())
}
