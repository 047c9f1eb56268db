//! Sentence embeddings in pure Rust for Trustfill: BERT's WordPiece tokenizer, a packed model
//! asset, and the all-MiniLM-L6-v2 encoder. Bytes in, vectors out: no IO, no clock, no web.
//!
//! ```text
//! model.safetensors + vocab.txt ──pack──▶ asset bytes ──SentenceEncoder::from_asset──▶ encoder
//! texts ──Tokenizer──▶ ids ──BERT (model.rs, kernels.rs)──▶ mean pooling ──▶ unit Embedding
//! ```

pub mod asset;
pub mod config;
pub mod encoder;
mod kernels;
mod model;
pub mod tokenizer;

#[cfg(test)]
mod test_model;

pub use asset::{pack, pack_model, Asset, AssetError, AssetInfo, PackError, Precision};
pub use config::ModelConfig;
pub use encoder::{Embedding, EncoderConfig, EncoderError, SentenceEncoder};
pub use tokenizer::{Tokenizer, TokenizerConfig, VocabError};
