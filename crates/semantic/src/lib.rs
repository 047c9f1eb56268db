//! Sentence embeddings in pure Rust for Trustfill: BERT's WordPiece tokenizer, a packed model
//! asset, and the all-MiniLM-L6-v2 encoder. Bytes in, vectors out: no IO, no clock, no web.

pub mod asset;
pub mod config;
pub mod tokenizer;

#[cfg(test)]
mod test_model;

pub use asset::{pack, pack_model, Asset, AssetError, AssetInfo, PackError, Precision};
pub use config::ModelConfig;
pub use tokenizer::{Tokenizer, TokenizerConfig, VocabError};
