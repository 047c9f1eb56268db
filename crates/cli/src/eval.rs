//! `trustfill eval`: prints the matcher's accuracy on the gold set beside its peers, and
//! refits the confidence calibration (`trustfill eval fit`).

use anyhow::{Context, Result};
use std::path::Path;
use trustfill_core::evaluation::{
    calibrate_high, rank_fuzzy, rank_trustfill, rankings, score, top_answers_above, GoldQuestion, Ranking, Scores,
};
use trustfill_core::library::Library;
use trustfill_core::matching::{MatchConfig, Matcher, Suggestion};
use trustfill_core::text::{Analyzer, Lexicon};
use trustfill_semantic::SentenceEncoder;

fn load_gold(path: &Path) -> Result<Vec<GoldQuestion>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    trustfill_core::evaluation::parse_gold(&text).with_context(|| format!("{} is not a gold set", path.display()))
}

/// A model's file name without the common prefix, to fit the table.
fn short(name: &str) -> &str {
    name.trim_start_matches("minilm-l6-v2.").trim_end_matches(".tfm")
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

/// The hybrid matcher's suggestions for every gold question, and the semantic-only peer's
/// rankings.
fn rank_semantic(
    model: &(SentenceEncoder, String),
    library: &Library,
    matcher: &Matcher,
    gold: &[GoldQuestion],
) -> (Vec<Vec<Suggestion>>, Vec<Ranking>) {
    let (encoder, name) = model;
    let index = crate::semantic::index_library(encoder, name, library, matcher);
    let texts: Vec<&str> = gold.iter().map(|g| g.question.as_str()).collect();
    let vectors = crate::semantic::embed_all(encoder, &texts);
    let hybrid = matcher.match_all_hybrid(texts.iter().copied().zip(vectors.iter().map(Vec::as_slice)), &index);
    let alone = vectors.iter().map(|vector| matcher.rank_by_meaning(vector, &index)).collect();
    (hybrid, alone)
}

/// Refits the hybrid calibration on the gold set's top hybrid suggestions.
pub fn fit_hybrid(gold_path: &Path, library: &Library, model: &(SentenceEncoder, String)) -> Result<()> {
    let gold = load_gold(gold_path)?;
    let matcher = Matcher::new(library);
    let (hybrid, _) = rank_semantic(model, library, &matcher, &gold);
    let samples: Vec<([f32; 4], bool)> = gold
        .iter()
        .zip(&hybrid)
        .filter_map(|(g, suggestions)| {
            let top = suggestions.first()?;
            Some((top.explanation.features.as_hybrid_array(), g.acceptable.contains(&top.entry_id)))
        })
        .collect();
    let (weights, bias) = trustfill_core::matching::calibration::fit(&samples);
    crate::out!(
        "pub const HYBRID_WEIGHTS: [f32; 4] = [{:.2}, {:.2}, {:.2}, {:.2}];",
        weights[0],
        weights[1],
        weights[2],
        weights[3]
    );
    crate::out!("pub const HYBRID_BIAS: f32 = {bias:.2};");
    Ok(())
}

pub fn run(gold_path: &Path, library: &Library, show_misses: bool, models: &[(SentenceEncoder, String)]) -> Result<()> {
    let gold = load_gold(gold_path)?;
    let matcher = Matcher::new(library);
    let (lexical, lexical_confidences) = rank_trustfill(&matcher, &gold);
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
    crate::out!("{}", line("trustfill (lexicon + BM25F)", &score(&gold, &lexical)));
    crate::out!("{}", line("plain BM25 (no lexicon)", &score(&gold, &bm25)));
    crate::out!("{}", line("fuzzy-matcher alone", &score(&gold, &fuzzy)));
    // With a model, the hybrid of the first model is what the rest of the report describes.
    let mut ours = lexical;
    let mut confidences = lexical_confidences;
    let mut described = "trustfill (lexicon + BM25F)".to_owned();
    for (i, model) in models.iter().enumerate() {
        let (suggestions, alone) = rank_semantic(model, library, &matcher, &gold);
        let (hybrid, hybrid_confidences) = rankings(&suggestions);
        crate::out!("{}", line(&format!("MiniLM alone ({})", short(&model.1)), &score(&gold, &alone)));
        crate::out!("{}", line(&format!("hybrid ({})", short(&model.1)), &score(&gold, &hybrid)));
        if i == 0 {
            ours = hybrid;
            confidences = hybrid_confidences;
            described = format!("hybrid ({})", model.1);
        }
    }
    crate::out!("The breakdown below is for {described}.");
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
