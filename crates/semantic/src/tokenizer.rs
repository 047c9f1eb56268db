//! BERT's uncased WordPiece tokenizer, written to give exactly the ids of Hugging Face's
//! `tokenizers` for a `BertNormalizer` + `BertPreTokenizer` + `WordPiece` tokenizer.json.
//!
//! The steps, in the reference's order:
//! 1. The special tokens (`[CLS]`, `[SEP]`, `[MASK]`, `[UNK]`, `[PAD]`) are found in the raw
//!    text first, as the reference's added vocabulary does: a questionnaire that quotes
//!    `[MASK]` gets the mask token.
//! 2. Normalisation of the text between them: control characters are dropped and every kind of
//!    whitespace becomes a space; CJK ideographs get spaces around them; accents are stripped
//!    (NFD, then the non-spacing marks dropped); then everything is lowercased.
//! 3. Pre-tokenisation: words split at whitespace, and every punctuation character is a word
//!    of its own.
//! 4. WordPiece: greedy longest match first, `##` marking a piece that continues a word; a word
//!    longer than [`MAX_WORD_CHARS`] characters, or one that cannot be split into pieces of the
//!    vocabulary, becomes `[UNK]`.
//! 5. `[CLS]` before and `[SEP]` after, with the text's tokens truncated to fit
//!    [`TokenizerConfig::max_tokens`].

use rustc_hash::FxHashMap;
use thiserror::Error;
use unicode_categories::UnicodeCategories;
use unicode_normalization::UnicodeNormalization;

/// The default length of a token sequence, `[CLS]` and `[SEP]` included. sentence-transformers
/// runs all-MiniLM-L6-v2 with 256, but questionnaire questions are far shorter (the gold set's
/// longest is well under 128 tokens), and the cost of attention grows with the square of the
/// length; a question longer than this keeps its first 126 tokens of text.
pub const DEFAULT_MAX_TOKENS: usize = 128;

/// The smallest sequence length there can be: `[CLS]` and `[SEP]` alone.
pub const MIN_MAX_TOKENS: usize = 2;

/// A word of more characters than this is `[UNK]`, without trying to split it (the
/// `max_input_chars_per_word` of BERT's WordPiece).
pub const MAX_WORD_CHARS: usize = 100;

/// The prefix of a piece that continues a word rather than starting one.
const CONTINUATION_PREFIX: &str = "##";

/// The special tokens that the reference matches in the raw text, before normalisation.
const SPECIAL_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// A vocabulary with more lines than this is refused: BERT vocabularies hold about 30,000
/// pieces, and the ids must fit the embedding table.
pub const MAX_VOCAB_SIZE: usize = 1 << 20;

/// How a [`Tokenizer`] is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenizerConfig {
    /// The most tokens in a sequence, `[CLS]` and `[SEP]` included; at least
    /// [`MIN_MAX_TOKENS`]. See [`DEFAULT_MAX_TOKENS`].
    pub max_tokens: usize,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        Self { max_tokens: DEFAULT_MAX_TOKENS }
    }
}

/// Why a vocabulary cannot make a tokenizer.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VocabError {
    /// A token that the tokenizer cannot work without is not in the vocabulary.
    #[error("the vocabulary has no {0} token")]
    MissingToken(&'static str),
    /// The vocabulary has more lines than [`MAX_VOCAB_SIZE`].
    #[error("the vocabulary has {lines} lines, more than the {MAX_VOCAB_SIZE} a tokenizer takes")]
    TooLarge {
        /// The number of lines, counted up to the first one over the limit.
        lines: usize,
    },
    /// The configured sequence length cannot hold `[CLS]` and `[SEP]`.
    #[error("a sequence of at most {0} tokens cannot hold [CLS] and [SEP]")]
    MaxTokensTooSmall(usize),
}

/// BERT's uncased WordPiece tokenizer over a vocabulary in `vocab.txt` form.
#[derive(Clone, Debug)]
pub struct Tokenizer {
    /// Each piece of the vocabulary and its id (its line number in `vocab.txt`).
    ids: FxHashMap<Box<str>, u32>,
    /// The number of lines of the vocabulary: every id is below it.
    vocab_size: usize,
    /// The special tokens found in the vocabulary, with their ids, in [`SPECIAL_TOKENS`] order.
    specials: Vec<(&'static str, u32)>,
    unknown: u32,
    start: u32,
    end: u32,
    config: TokenizerConfig,
}

impl Tokenizer {
    /// Reads a vocabulary in `vocab.txt` form: one piece a line, its id the line's number.
    /// As in the reference, trailing whitespace is not part of a piece, and when a piece is on
    /// two lines the later line's id wins.
    pub fn from_vocab(vocab_text: &str, config: TokenizerConfig) -> Result<Self, VocabError> {
        if config.max_tokens < MIN_MAX_TOKENS {
            return Err(VocabError::MaxTokensTooSmall(config.max_tokens));
        }
        let mut ids = FxHashMap::default();
        let mut vocab_size = 0;
        for (index, line) in vocab_text.lines().enumerate() {
            if index >= MAX_VOCAB_SIZE {
                return Err(VocabError::TooLarge { lines: index + 1 });
            }
            // The index is below MAX_VOCAB_SIZE, so it fits a u32.
            ids.insert(Box::from(line.trim_end()), index as u32);
            vocab_size = index + 1;
        }
        let id_of = |token: &'static str| ids.get(token).copied().ok_or(VocabError::MissingToken(token));
        let unknown = id_of("[UNK]")?;
        let start = id_of("[CLS]")?;
        let end = id_of("[SEP]")?;
        let specials = SPECIAL_TOKENS.iter().filter_map(|&token| Some((token, *ids.get(token)?))).collect();
        Ok(Self { ids, vocab_size, specials, unknown, start, end, config })
    }

    /// The number of ids of the vocabulary: every id [`Tokenizer::encode`] gives is below it.
    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// The most tokens [`Tokenizer::encode`] gives, `[CLS]` and `[SEP]` included.
    pub fn max_tokens(&self) -> usize {
        self.config.max_tokens
    }

    /// The ids of a text: `[CLS]`, the text's tokens (as many as fit), `[SEP]`. Never panics,
    /// and never gives fewer than two ids or more than [`Tokenizer::max_tokens`].
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let budget = self.config.max_tokens - MIN_MAX_TOKENS;
        let mut ids = Vec::with_capacity(budget.min(text.len() / 2 + 8) + MIN_MAX_TOKENS);
        ids.push(self.start);
        let mut scratch = WordScratch::default();
        let mut rest = text;
        while ids.len() <= budget && !rest.is_empty() {
            let (before, special, after) = self.split_at_special(rest);
            self.encode_plain(before, budget, &mut ids, &mut scratch);
            if let Some(id) = special {
                if ids.len() <= budget {
                    ids.push(id);
                }
            }
            rest = after;
        }
        ids.push(self.end);
        ids
    }

    /// Splits a text at its first special token: the text before it, its id, the text after.
    /// Without a special token, the whole text comes first.
    fn split_at_special<'t>(&self, text: &'t str) -> (&'t str, Option<u32>, &'t str) {
        for (position, _) in text.match_indices('[') {
            let candidate = &text[position..];
            if let Some(&(token, id)) = self.specials.iter().find(|(token, _)| candidate.starts_with(token)) {
                return (&text[..position], Some(id), &text[position + token.len()..]);
            }
        }
        (text, None, "")
    }

    /// Normalises, splits and encodes text without special tokens, pushing ids while the
    /// sequence holds fewer than `budget + 1` of them (the `+ 1` is `[CLS]`).
    fn encode_plain(&self, text: &str, budget: usize, ids: &mut Vec<u32>, scratch: &mut WordScratch) {
        scratch.word.clear();
        for c in normalized_chars(text) {
            if ids.len() > budget {
                return;
            }
            if c.is_whitespace() {
                self.flush_word(budget, ids, scratch);
            } else if is_punctuation(c) {
                self.flush_word(budget, ids, scratch);
                scratch.word.push(c);
                self.flush_word(budget, ids, scratch);
            } else {
                scratch.word.push(c);
            }
        }
        self.flush_word(budget, ids, scratch);
    }

    /// Encodes the word being gathered, if any, and starts the next one.
    fn flush_word(&self, budget: usize, ids: &mut Vec<u32>, scratch: &mut WordScratch) {
        if scratch.word.is_empty() {
            return;
        }
        scratch.pieces.clear();
        self.word_pieces(&scratch.word, &mut scratch.pieces, &mut scratch.candidate);
        let room = (budget + 1).saturating_sub(ids.len());
        ids.extend(scratch.pieces.iter().take(room));
        scratch.word.clear();
    }

    /// WordPiece for one word: the longest piece of the vocabulary that starts the rest of the
    /// word, again and again; a word that runs out of pieces, or is too long, is `[UNK]`.
    fn word_pieces(&self, word: &str, pieces: &mut Vec<u32>, candidate: &mut String) {
        if word.chars().count() > MAX_WORD_CHARS {
            pieces.push(self.unknown);
            return;
        }
        let mut start = 0;
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while start < end {
                let piece = &word[start..end];
                let id = if start == 0 {
                    self.ids.get(piece)
                } else {
                    candidate.clear();
                    candidate.push_str(CONTINUATION_PREFIX);
                    candidate.push_str(piece);
                    self.ids.get(candidate.as_str())
                };
                if let Some(&id) = id {
                    found = Some(id);
                    break;
                }
                // The piece is not empty (start < end), so it has a last character.
                end -= piece.chars().next_back().map_or(1, char::len_utf8);
            }
            match found {
                Some(id) => {
                    pieces.push(id);
                    start = end;
                }
                None => {
                    pieces.clear();
                    pieces.push(self.unknown);
                    return;
                }
            }
        }
    }
}

/// Buffers reused from word to word while a text is encoded.
#[derive(Default)]
struct WordScratch {
    /// The word being gathered.
    word: String,
    /// The ids of the word's pieces.
    pieces: Vec<u32>,
    /// A continuation piece with its `##` prefix, to look up.
    candidate: String,
}

/// The characters of a text after BERT's normalisation: cleaned, CJK ideographs spaced,
/// accents stripped and lowercased, in that order.
fn normalized_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|&c| !(c == '\0' || c == '\u{fffd}' || is_control(c)))
        .flat_map(|c| {
            let spaced = if is_chinese_ideograph(c) {
                [' ', c, ' ']
            } else if is_whitespace(c) {
                [' ', '\0', '\0']
            } else {
                [c, '\0', '\0']
            };
            // The '\0' fillers cannot be real characters: the cleaning above removed those.
            spaced.into_iter().filter(|&c| c != '\0')
        })
        .nfd()
        .filter(|c| !c.is_mark_nonspacing())
        .flat_map(char::to_lowercase)
}

/// Whitespace for the cleaning step: tab, newline and carriage return (technically control
/// characters) and every character Unicode calls whitespace.
fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Control characters for the cleaning step: Unicode's Cc, Cf and Co categories, except the
/// tab, newline and carriage return that count as whitespace.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

/// BERT's punctuation: all of ASCII's non-alphanumeric printable characters (so `$`, `+`,
/// `<`, `^` and `|` too, which Unicode calls symbols) and Unicode's P categories.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

/// The CJK Unified Ideographs blocks and their extensions and compatibility blocks, which BERT
/// treats as one word each (Hangul, Hiragana and Katakana are not in them).
fn is_chinese_ideograph(c: char) -> bool {
    matches!(
        u32::from(c),
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

#[cfg(test)]
mod tests;
