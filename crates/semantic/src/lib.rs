//! Sentence embeddings in pure Rust for Trustfill: BERT's WordPiece tokenizer, a packed model
//! asset, and the all-MiniLM-L6-v2 encoder. Bytes in, vectors out: no IO, no clock, no web.

pub mod tokenizer;

pub use tokenizer::{Tokenizer, TokenizerConfig, VocabError};
