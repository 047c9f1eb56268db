//! Tests of the tokenizer on a small vocabulary; tests/tokenizer.rs checks the real one against
//! the reference implementation.

use super::*;
use proptest::prelude::*;

/// A vocabulary small enough to reason about, in `vocab.txt` form.
const VOCAB: &str =
    "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\nthe\ncafe\n,\n!\n日\n##s\nruns\nrun\na\n##a\n";

fn tokenizer(max_tokens: usize) -> Tokenizer {
    Tokenizer::from_vocab(VOCAB, TokenizerConfig { max_tokens }).expect("the test vocabulary is valid")
}

#[test]
fn encodes_as_bert_does() {
    // Each case: the text, and the ids between [CLS] (2) and [SEP] (3).
    let cases: &[(&str, &[u32])] = &[
        ("", &[]),
        ("unaffable", &[5, 6, 7]),
        ("UNAFFABLE!", &[5, 6, 7, 11]),
        ("the  Café,runs", &[8, 9, 10, 14]),
        ("unaff", &[5, 6]),
        // "##aff" alone cannot start a word, so the word is unknown.
        ("affable", &[1]),
        ("日日", &[12, 12]),
        ("x", &[1]),
        ("runs run", &[14, 15]),
        ("[MASK] the[CLS]", &[4, 8, 2]),
        ("[mask]", &[1, 1, 1]),
        ("the\u{0}\u{200b}\tthe", &[8, 8]),
        ("\u{301}", &[]),
    ];
    let tokenizer = tokenizer(DEFAULT_MAX_TOKENS);
    for (text, middle) in cases {
        let mut expected = vec![2];
        expected.extend_from_slice(middle);
        expected.push(3);
        assert_eq!(tokenizer.encode(text), expected, "{text:?}");
    }
}

#[test]
fn long_words_are_unknown() {
    let tokenizer = tokenizer(DEFAULT_MAX_TOKENS);
    let at_limit = "a".repeat(MAX_WORD_CHARS);
    let over_limit = "a".repeat(MAX_WORD_CHARS + 1);
    assert_eq!(tokenizer.encode(&at_limit).len(), MAX_WORD_CHARS.min(DEFAULT_MAX_TOKENS - 2) + 2);
    assert_eq!(tokenizer.encode(&over_limit), vec![2, 1, 3]);
}

#[test]
fn truncates_to_the_configured_length() {
    let tokenizer = tokenizer(5);
    assert_eq!(tokenizer.encode("the the the the the"), vec![2, 8, 8, 8, 3]);
    // A word's pieces are cut too, as the reference truncates tokens, not words.
    assert_eq!(tokenizer.encode("the unaffable"), vec![2, 8, 5, 6, 3]);
    assert_eq!(tokenizer.encode("the the [MASK]"), vec![2, 8, 8, 4, 3]);
    assert_eq!(tokenizer.encode("the the the [MASK]"), vec![2, 8, 8, 8, 3]);
    assert_eq!(
        super::Tokenizer::from_vocab(VOCAB, TokenizerConfig { max_tokens: 2 }).unwrap().encode("the"),
        vec![2, 3]
    );
}

#[test]
fn refuses_unusable_vocabularies() {
    assert_eq!(
        Tokenizer::from_vocab("[CLS]\n[SEP]\n", TokenizerConfig::default()).unwrap_err(),
        VocabError::MissingToken("[UNK]")
    );
    assert_eq!(Tokenizer::from_vocab("", TokenizerConfig::default()).unwrap_err(), VocabError::MissingToken("[UNK]"));
    assert_eq!(
        Tokenizer::from_vocab(VOCAB, TokenizerConfig { max_tokens: 1 }).unwrap_err(),
        VocabError::MaxTokensTooSmall(1)
    );
    let huge = "x\n".repeat(MAX_VOCAB_SIZE + 1);
    assert!(matches!(Tokenizer::from_vocab(&huge, TokenizerConfig::default()), Err(VocabError::TooLarge { .. })));
}

#[test]
fn the_later_line_of_a_repeated_piece_wins() {
    let tokenizer = Tokenizer::from_vocab("[UNK]\n[CLS]\n[SEP]\nthe\nthe \n", TokenizerConfig::default()).unwrap();
    assert_eq!(tokenizer.encode("the"), vec![1, 4, 2]);
    assert_eq!(tokenizer.vocab_size(), 5);
}

proptest! {
    /// Any text at all gives [CLS] … [SEP] within the length, with ids of the vocabulary.
    #[test]
    fn never_panics_and_stays_in_bounds(text in any::<String>(), max_tokens in 2usize..40) {
        let tokenizer = tokenizer(max_tokens);
        let ids = tokenizer.encode(&text);
        prop_assert!(ids.len() >= 2 && ids.len() <= max_tokens);
        prop_assert_eq!(ids[0], 2);
        prop_assert_eq!(ids[ids.len() - 1], 3);
        prop_assert!(ids.iter().all(|&id| (id as usize) < tokenizer.vocab_size()));
    }

    /// Truncation keeps a prefix: a shorter limit gives the start of a longer one's tokens.
    #[test]
    fn truncation_keeps_a_prefix(text in "[a-zA-Z日,! \\[\\]]{0,60}", max_tokens in 2usize..20) {
        let short = tokenizer(max_tokens).encode(&text);
        let long = tokenizer(1000).encode(&text);
        prop_assert_eq!(&short[..short.len() - 1], &long[..short.len() - 1]);
    }
}
