//! Regression floor for hybrid matching with the real all-MiniLM-L6-v2 weights (int8, as the
//! app ships them): on the gold set (`eval/gold.json`), the hybrid must stay above what it
//! reached and ahead of both lexical-only and MiniLM-only retrieval at top-1 and recall@3,
//! and its high tier must be right at least 90% of the time. `trustfill eval --semantic`
//! prints the same figures.

mod common;

use trustfill_core::evaluation::{parse_gold, rank_trustfill, rankings, score, Ranking};
use trustfill_core::library::builtin;
use trustfill_core::matching::{Matcher, SemanticIndex, VectorCache};
use trustfill_semantic::{pack, Precision, SentenceEncoder};

/// Top-1 reached on 2026-11-30 (76.8%), less one question's worth of slack.
const TOP1_FLOOR: f64 = 0.76;
/// Recall@3 reached on 2026-11-30 (92.9%), less one question's worth of slack.
const RECALL3_FLOOR: f64 = 0.92;
/// The calibration target of the high tier.
const HIGH_PRECISION_FLOOR: f64 = 0.9;

#[test]
fn hybrid_beats_words_alone_and_meaning_alone_on_the_gold_set() {
    let weights = common::model_file("model.safetensors");
    let asset = pack(&weights, &common::vocab_text(), Precision::Int8).expect("the weights pack");
    let encoder = SentenceEncoder::from_asset(&asset).expect("the packed model loads");
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/gold.json")).unwrap();
    let gold = parse_gold(&json).unwrap();
    let library = builtin::library();
    let matcher = Matcher::new(&library);

    let mut cache = VectorCache::new("test", encoder.dimension());
    let missing = cache.missing(&library);
    for (text, vector) in missing.iter().zip(encoder.embed(&missing)) {
        cache.insert(*text, vector.into_vec()).unwrap();
    }
    let (index, left_out) = SemanticIndex::new(&matcher, &cache);
    assert_eq!(left_out, 0);
    let questions: Vec<&str> = gold.iter().map(|g| g.question.as_str()).collect();
    let vectors: Vec<Vec<f32>> = encoder.embed(&questions).into_iter().map(|v| v.into_vec()).collect();

    let (hybrid, _) =
        rankings(matcher.match_all_hybrid(questions.iter().copied().zip(vectors.iter().map(Vec::as_slice)), &index));
    let alone: Vec<Ranking> = vectors.iter().map(|vector| matcher.rank_by_meaning(vector, &index)).collect();
    let (lexical, _) = rank_trustfill(&matcher, &gold);
    let (hybrid, alone, lexical) = (score(&gold, &hybrid), score(&gold, &alone), score(&gold, &lexical));

    assert!(hybrid.top1 >= TOP1_FLOOR, "hybrid top-1 fell to {:.3}", hybrid.top1);
    assert!(hybrid.recall3 >= RECALL3_FLOOR, "hybrid recall@3 fell to {:.3}", hybrid.recall3);
    for (peer, name) in [(&alone, "MiniLM alone"), (&lexical, "words alone")] {
        assert!(hybrid.top1 > peer.top1, "top-1: hybrid {:.3} vs {name} {:.3}", hybrid.top1, peer.top1);
        assert!(hybrid.recall3 > peer.recall3, "recall@3: hybrid {:.3} vs {name} {:.3}", hybrid.recall3, peer.recall3);
    }
    assert!(hybrid.high_count >= 10, "the high tier holds {} questions", hybrid.high_count);
    assert!(
        hybrid.high_precision.unwrap_or(0.0) >= HIGH_PRECISION_FLOOR,
        "high-tier precision fell to {:?}",
        hybrid.high_precision
    );
}
