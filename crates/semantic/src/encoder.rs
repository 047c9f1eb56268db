//! The sentence encoder: texts in, unit-length embeddings out, as sentence-transformers'
//! all-MiniLM-L6-v2 gives them (BERT, then the mean of the token states, then L2
//! normalisation).

use crate::asset::{Asset, AssetError, AssetInfo};
use crate::model::Model;
use crate::tokenizer::{Tokenizer, TokenizerConfig, VocabError, DEFAULT_MAX_TOKENS};
use thiserror::Error;

/// The most tokens a forward pass takes at once. A call with more is split into passes of at
/// most this many (a sentence is never split): the buffers of a pass stay near 16 MB, and a
/// batch this large already runs as fast per token as any larger one.
pub const MAX_BATCH_TOKENS: usize = 1024;

/// How a [`SentenceEncoder`] is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncoderConfig {
    /// The most tokens of a text that are read, `[CLS]` and `[SEP]` included; the rest is
    /// left out. See [`DEFAULT_MAX_TOKENS`]; it cannot exceed the model's position table.
    pub max_tokens: usize,
}

impl Default for EncoderConfig {
    fn default() -> Self {
        Self { max_tokens: DEFAULT_MAX_TOKENS }
    }
}

/// Why an encoder cannot be made.
#[derive(Debug, Error)]
pub enum EncoderError {
    /// The asset cannot be read.
    #[error(transparent)]
    Asset(#[from] AssetError),
    /// The asset's vocabulary cannot make a tokenizer with this config.
    #[error("the tokenizer cannot be made: {0}")]
    Vocab(#[from] VocabError),
    /// The configured length is longer than the model's position table.
    #[error("a sequence of {max_tokens} tokens is longer than the {max_positions} positions the model knows")]
    MaxTokens {
        /// The configured length.
        max_tokens: usize,
        /// The model's positions.
        max_positions: usize,
    },
}

/// A sentence embedding: a vector of unit length (or zero, for a model whose every state is
/// zero), so that the dot product of two is their cosine similarity.
#[derive(Clone, Debug, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// The values.
    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// The values, taken out.
    pub fn into_vec(self) -> Vec<f32> {
        self.0
    }

    /// The cosine similarity with another embedding of the same model: their dot product, as
    /// both have unit length. Between -1 and 1.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        crate::kernels::dot(&self.0, &other.0)
    }
}

/// all-MiniLM-L6-v2 (or another BERT encoder packed the same way), ready to embed sentences.
#[derive(Clone, Debug)]
pub struct SentenceEncoder {
    info: AssetInfo,
    tokenizer: Tokenizer,
    model: Model,
}

impl SentenceEncoder {
    /// Loads an encoder from a packed asset (see [`crate::asset`]), with the default config.
    /// The weights are dequantised to f32 here, except the word-embedding table, which stays
    /// in the asset's precision and is read a row at a time.
    pub fn from_asset(bytes: &[u8]) -> Result<Self, EncoderError> {
        Self::from_asset_with(bytes, EncoderConfig::default())
    }

    /// Loads an encoder from a packed asset with a config.
    pub fn from_asset_with(bytes: &[u8], config: EncoderConfig) -> Result<Self, EncoderError> {
        let asset = Asset::parse(bytes)?;
        let max_positions = asset.info().config.max_positions;
        if config.max_tokens > max_positions {
            return Err(EncoderError::MaxTokens { max_tokens: config.max_tokens, max_positions });
        }
        let tokenizer = Tokenizer::from_vocab(asset.vocab(), TokenizerConfig { max_tokens: config.max_tokens })?;
        let model = Model::from_asset(&asset);
        Ok(Self { info: asset.info().clone(), tokenizer, model })
    }

    /// What the asset said about itself.
    pub fn info(&self) -> &AssetInfo {
        &self.info
    }

    /// The tokenizer, for a caller that wants to count tokens.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The length of an embedding.
    pub fn dimension(&self) -> usize {
        self.model.config().hidden_size
    }

    /// The embedding of each text, in order. The tokens of all the texts run through the model
    /// together (in passes of at most [`MAX_BATCH_TOKENS`]), so one call with many texts is
    /// faster than many calls with one; a caller that must stay responsive (a browser tab)
    /// calls with a few texts at a time and yields in between. Never panics.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Vec<Embedding> {
        let sequences: Vec<Vec<u32>> = texts.iter().map(|text| self.tokenizer.encode(text.as_ref())).collect();
        let mut embeddings = Vec::with_capacity(texts.len());
        for batch in batches(&sequences, MAX_BATCH_TOKENS) {
            embeddings.extend(self.model.forward(batch).into_iter().map(Embedding));
        }
        embeddings
    }

    /// The embedding of one text.
    pub fn embed_one(&self, text: &str) -> Embedding {
        let mut embeddings = self.embed(&[text]);
        embeddings.pop().unwrap_or_else(|| unreachable!("one text gives one embedding"))
    }
}

/// Splits sequences into runs of at most `max_tokens` tokens; a sequence longer than that is a
/// run of its own.
fn batches(sequences: &[Vec<u32>], max_tokens: usize) -> impl Iterator<Item = &[Vec<u32>]> {
    let mut rest = sequences;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut tokens = 0;
        let mut end = 0;
        while end < rest.len() && (end == 0 || tokens + rest[end].len() <= max_tokens) {
            tokens += rest[end].len();
            end += 1;
        }
        let (batch, remaining) = rest.split_at(end);
        rest = remaining;
        Some(batch)
    })
}

#[cfg(test)]
mod tests;
