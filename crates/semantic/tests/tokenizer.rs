//! The tokenizer on the real vocabulary gives exactly the ids of Hugging Face's `tokenizers`
//! (tests/data/tokens_reference.json, written by scripts/model/reference.py) for every gold
//! question, every library question and alternate, and a set of hostile strings.

mod common;

use proptest::prelude::*;
use std::sync::OnceLock;
use trustfill_semantic::{Tokenizer, TokenizerConfig};

/// Long enough that no text of the reference corpus is truncated.
const UNTRUNCATED: usize = 100_000;

fn real_tokenizer(max_tokens: usize) -> Tokenizer {
    Tokenizer::from_vocab(&common::vocab_text(), TokenizerConfig { max_tokens }).expect("vocab.txt makes a tokenizer")
}

fn reference_cases() -> Vec<(String, Vec<u32>)> {
    let fixture = common::fixture("tokens_reference.json");
    let cases = fixture["cases"].as_array().expect("cases is an array");
    cases.iter().map(|case| (case["text"].as_str().expect("text").to_owned(), common::ids(&case["ids"]))).collect()
}

#[test]
fn matches_the_reference_tokenizer_exactly() {
    let tokenizer = real_tokenizer(UNTRUNCATED);
    let cases = reference_cases();
    assert!(cases.len() > 1_900, "the reference corpus has {} texts", cases.len());
    let mismatches: Vec<String> = cases
        .iter()
        .filter_map(|(text, expected)| {
            let actual = tokenizer.encode(text);
            (actual != *expected).then(|| format!("{text:?}\n  expected {expected:?}\n  actual   {actual:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{} of {} texts differ:\n{}", mismatches.len(), cases.len(), mismatches.join("\n"));
}

#[test]
fn truncates_as_the_reference_does() {
    // The reference truncates a single sequence to its first (max - 2) tokens of text.
    let tokenizer = real_tokenizer(trustfill_semantic::tokenizer::DEFAULT_MAX_TOKENS);
    let mut truncated = 0;
    for (text, full) in reference_cases() {
        let expected: Vec<u32> = if full.len() > tokenizer.max_tokens() {
            truncated += 1;
            full[..tokenizer.max_tokens() - 1].iter().copied().chain([full[full.len() - 1]]).collect()
        } else {
            full
        };
        assert_eq!(tokenizer.encode(&text), expected, "{text:?}");
    }
    assert!(truncated > 0, "the corpus has a text longer than the default length");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any text at all, on the real vocabulary: no panic, [CLS] … [SEP], ids in range.
    #[test]
    fn never_panics_on_the_real_vocabulary(text in any::<String>()) {
        static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
        let tokenizer = TOKENIZER.get_or_init(|| real_tokenizer(64));
        let ids = tokenizer.encode(&text);
        prop_assert!(ids.len() >= 2 && ids.len() <= 64);
        prop_assert!(ids.iter().all(|&id| (id as usize) < tokenizer.vocab_size()));
    }
}
