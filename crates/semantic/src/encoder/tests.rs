//! Tests of the encoder on the tiny model: what must hold whatever the weights.

use super::*;
use crate::asset::Precision;
use crate::test_model;
use proptest::prelude::*;

fn encoder(max_tokens: usize) -> SentenceEncoder {
    SentenceEncoder::from_asset_with(&test_model::asset(Precision::F32), EncoderConfig { max_tokens }).unwrap()
}

#[test]
fn embeddings_have_unit_length() {
    let encoder = encoder(16);
    assert_eq!(encoder.dimension(), test_model::CONFIG.hidden_size);
    for embedding in encoder.embed(&["the access is revoked.", "", "?", "unknown words only"]) {
        assert_eq!(embedding.as_slice().len(), 8);
        assert!((embedding.cosine(&embedding) - 1.0).abs() < 1e-5);
    }
    assert!(encoder.embed::<&str>(&[]).is_empty());
}

#[test]
fn a_batch_gives_what_each_text_gives_alone() {
    let encoder = encoder(16);
    let texts = ["the access is revoked.", "is the access revoked?", "the", "access access access access access"];
    let together = encoder.embed(&texts);
    for (text, embedding) in texts.iter().zip(&together) {
        let alone = encoder.embed_one(text);
        let worst = alone.as_slice().iter().zip(embedding.as_slice()).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst < 1e-6, "{text:?} differs by {worst} in a batch");
    }
}

#[test]
fn batches_hold_at_most_the_token_limit() {
    let sequences: Vec<Vec<u32>> = [3, 4, 10, 2, 2, 2].iter().map(|&length| vec![0; length]).collect();
    let lengths: Vec<Vec<usize>> = batches(&sequences, 6).map(|batch| batch.iter().map(Vec::len).collect()).collect();
    assert_eq!(lengths, vec![vec![3], vec![4], vec![10], vec![2, 2, 2]]);
    assert_eq!(batches(&[], 6).count(), 0);
}

#[test]
fn refuses_a_length_beyond_the_positions() {
    let asset = test_model::asset(Precision::Int8);
    let too_long = EncoderConfig { max_tokens: test_model::CONFIG.max_positions + 1 };
    assert!(matches!(SentenceEncoder::from_asset_with(&asset, too_long), Err(EncoderError::MaxTokens { .. })));
    let too_short = EncoderConfig { max_tokens: 1 };
    assert!(matches!(SentenceEncoder::from_asset_with(&asset, too_short), Err(EncoderError::Vocab(_))));
    assert!(matches!(SentenceEncoder::from_asset(b"not an asset"), Err(EncoderError::Asset(_))));
}

#[test]
fn precisions_agree_on_the_tiny_model() {
    let texts = ["the access is revoked.", "is the access revoked?"];
    let reference = encoder(16).embed(&texts);
    for precision in [Precision::F16, Precision::Int8] {
        let config = EncoderConfig { max_tokens: 16 };
        let encoder = SentenceEncoder::from_asset_with(&test_model::asset(precision), config).unwrap();
        for (embedding, reference) in encoder.embed(&texts).iter().zip(&reference) {
            assert!(embedding.cosine(reference) > 0.99, "{precision}: cosine {}", embedding.cosine(reference));
        }
    }
}

proptest! {
    /// Any texts at all: one finite, unit-length embedding each.
    #[test]
    fn never_panics(texts in proptest::collection::vec(any::<String>(), 0..6)) {
        let encoder = encoder(16);
        let embeddings = encoder.embed(&texts);
        prop_assert_eq!(embeddings.len(), texts.len());
        for embedding in embeddings {
            prop_assert!(embedding.as_slice().iter().all(|value| value.is_finite()));
            prop_assert!((embedding.cosine(&embedding) - 1.0).abs() < 1e-4);
        }
    }
}
