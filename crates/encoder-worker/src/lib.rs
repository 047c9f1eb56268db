//! The sentence encoder for the browser: `assets/encoder-worker.js` runs this module in a web
//! worker, so that embedding never blocks the page. It is built apart from the app
//! (`scripts/encoder.sh`, optimised for speed with wasm SIMD), and the app works without it.

use trustfill_semantic::SentenceEncoder;
use wasm_bindgen::prelude::*;

/// A loaded model.
#[wasm_bindgen]
pub struct Encoder {
    inner: SentenceEncoder,
}

#[wasm_bindgen]
impl Encoder {
    /// Reads a packed model (see `trustfill model pack`); a damaged file is an error, not a
    /// crash.
    #[wasm_bindgen(constructor)]
    pub fn new(asset: &[u8]) -> Result<Encoder, JsError> {
        SentenceEncoder::from_asset(asset).map(|inner| Encoder { inner }).map_err(|e| JsError::new(&e.to_string()))
    }

    /// How many numbers each sentence vector has.
    pub fn dims(&self) -> usize {
        self.inner.dimension()
    }

    /// The texts' unit-length sentence vectors, one after another in one flat array.
    pub fn embed(&self, texts: Vec<String>) -> Vec<f32> {
        self.inner.embed(&texts).into_iter().flat_map(|embedding| embedding.into_vec()).collect()
    }
}
