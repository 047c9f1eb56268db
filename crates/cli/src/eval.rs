//! `trustfill eval`: prints the matcher's accuracy on the gold set beside its peers, and
//! refits the confidence calibration (`trustfill eval fit`).

use anyhow::{Context, Result};
use std::path::Path;
use trustfill_core::evaluation::{
    calibrate_high, rank_fuzzy, rank_trustfill, score, top_answers_above, GoldQuestion, Ranking, Scores,
};
use trustfill_core::library::Library;
use trustfill_core::matching::{MatchConfig, Matcher};
use trustfill_core::text::{Analyzer, Lexicon};

fn load_gold(path: &Path) -> Result<Vec<GoldQuestion>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    trustfill_core::evaluation::parse_gold(&text).with_context(|| format!("{} is not a gold set", path.display()))
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

/// Refits the calibration on the gold set's top suggestions and prints the constants.
pub fn fit(gold_path: &Path, library: &Library) -> Result<()> {
    let gold = load_gold(gold_path)?;
    let matcher = Matcher::new(library);
    let samples: Vec<([f32; 3], bool)> = gold
        .iter()
        .filter_map(|g| {
            let top = matcher.match_question(&g.question).into_iter().next()?;
            Some((top.explanation.features.as_array(), g.acceptable.contains(&top.entry_id)))
        })
        .collect();
    let (weights, bias) = trustfill_core::matching::calibration::fit(&samples);
    crate::out!("pub const WEIGHTS: [f32; 3] = [{:.2}, {:.2}, {:.2}];", weights[0], weights[1], weights[2]);
    crate::out!("pub const BIAS: f32 = {bias:.2};");
    Ok(())
}

pub fn run(gold_path: &Path, library: &Library, show_misses: bool) -> Result<()> {
    let gold = load_gold(gold_path)?;
    let matcher = Matcher::new(library);
    let (ours, confidences) = rank_trustfill(&matcher, &gold);
    let plain = Matcher::with_config(library, Analyzer::new(Lexicon::default()), MatchConfig::default());
    let (bm25, _) = rank_trustfill(&plain, &gold);
    let fuzzy = rank_fuzzy(library, &gold);
    let answerable = gold.iter().filter(|g| !g.acceptable.is_empty()).count();
    crate::out!(
        "Gold set: {} questions ({} answerable, {} with no acceptable entry); library {} entries.",
        gold.len(),
        answerable,
        gold.len() - answerable,
        library.entries.len()
    );
    crate::out!("{:<28} {:>7} {:>10} {:>15} {:>10}", "system", "top-1", "recall@3", "high prec (n)", "ans/abst");
    crate::out!("{}", line("trustfill (lexicon + BM25F)", &score(&gold, &ours)));
    crate::out!("{}", line("plain BM25 (no lexicon)", &score(&gold, &bm25)));
    crate::out!("{}", line("fuzzy-matcher alone", &score(&gold, &fuzzy)));
    if show_misses {
        for (g, (ranked, tier)) in gold.iter().zip(&ours) {
            let right = ranked.first().is_some_and(|id| g.acceptable.contains(id));
            if !right && !g.acceptable.is_empty() {
                crate::out!(
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
        crate::out!(
            "  {source:<12} {:4} questions: top-1 {:5.1}%, answer-or-abstain {:5.1}%",
            subset.len(),
            s.top1 * 100.0,
            s.answer_or_abstain * 100.0
        );
    }
    crate::out!("Precision of the top answer above each confidence (answerable and unanswerable questions alike):");
    for step in 6..=18 {
        let threshold = step as f32 * 0.05;
        let (count, right) = top_answers_above(&gold, &ours, &confidences, threshold);
        crate::out!(
            "  >= {threshold:.2}: {count:3} questions, {:5.1}% right",
            right as f64 * 100.0 / count.max(1) as f64
        );
    }
    match calibrate_high(&gold, &ours, &confidences, 0.9, 10) {
        Some(t) => crate::out!("Calibration: top answers at confidence >= {t:.2} are right at least 90% of the time."),
        None => crate::out!("Calibration: no confidence threshold reaches 90% precision with 10 or more questions."),
    }
    Ok(())
}
