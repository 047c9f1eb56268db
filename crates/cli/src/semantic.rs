//! The semantic model from a terminal: loading the packed model, embedding a library and
//! questions on every core, for `match --semantic` and `eval --semantic`.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use trustfill_core::library::Library;
use trustfill_core::matching::{Matcher, SemanticIndex, VectorCache};
use trustfill_semantic::SentenceEncoder;

/// Where `scripts/model.sh` puts the packed model the app ships.
pub const DEFAULT_MODEL: &str = "target/model/minilm-l6-v2.int8.tfm";

/// Texts embedded per call: the encoder batches the tokens of a call together.
const BATCH: usize = 16;

/// Reads a packed model (`trustfill model pack`).
pub fn load_encoder(path: Option<&Path>) -> Result<(SentenceEncoder, String)> {
    let path: PathBuf = path.map_or_else(|| PathBuf::from(DEFAULT_MODEL), Path::to_path_buf);
    let bytes = std::fs::read(&path).with_context(|| {
        format!("cannot read the model {} (run scripts/model.sh to fetch and pack it)", path.display())
    })?;
    let encoder =
        SentenceEncoder::from_asset(&bytes).with_context(|| format!("{} is not a packed model", path.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("model").to_owned();
    Ok((encoder, name))
}

/// Every text's vector, in order, embedded a batch at a time on every core.
pub fn embed_all(encoder: &SentenceEncoder, texts: &[&str]) -> Vec<Vec<f32>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
    let share = texts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = texts
            .chunks(share)
            .map(|part| {
                scope.spawn(move || {
                    part.chunks(BATCH).flat_map(|batch| encoder.embed(batch)).map(|e| e.into_vec()).collect::<Vec<_>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// The library's vectors and the index over the matcher's entries.
pub fn index_library(encoder: &SentenceEncoder, name: &str, library: &Library, matcher: &Matcher) -> SemanticIndex {
    let mut cache = VectorCache::new(name, encoder.dimension());
    let missing: Vec<&str> = cache.missing(library);
    for (text, vector) in missing.iter().zip(embed_all(encoder, &missing)) {
        // The encoder's vectors always have its own dimensions and finite values.
        let _ = cache.insert(*text, vector);
    }
    SemanticIndex::new(matcher, &cache).0
}
