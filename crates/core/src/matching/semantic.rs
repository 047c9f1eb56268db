//! Sentence vectors for a library's entries, and ranking by meaning: the semantic half of
//! hybrid matching.
//!
//! The vectors come from a sentence encoder outside the matcher (`crates/semantic`, which
//! runs all-MiniLM-L6-v2); the core only compares them. Vectors are kept by text, so an
//! edited library re-embeds only the texts that changed, and a cache made for one library
//! version serves the next.

use super::Matcher;
use crate::library::{Entry, Library};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// How many of the entries most similar in meaning join the lexical shortlist.
pub const SEMANTIC_CANDIDATES: usize = 10;

/// The texts of an entry that are embedded: its phrasings (question and alternates). The
/// answer text is not: on the gold set it moved top-1 by one question in 168 (77.4% with it,
/// 76.8% without), and it is 44% of the built-in library's tokens, which the browser would
/// spend seconds embedding.
pub fn entry_texts(entry: &Entry) -> Vec<&str> {
    entry.phrasings().collect()
}

/// Every text of the library's approved entries that is embedded, once each.
fn library_texts(library: &Library) -> rustc_hash::FxHashSet<&str> {
    library.approved().flat_map(entry_texts).collect()
}

/// Why a vector was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VectorError {
    #[error("a sentence vector has {found} dimensions, but this cache holds {expected}")]
    Dimensions { expected: usize, found: usize },
    #[error("a sentence vector holds a value that is not a finite number")]
    NotFinite,
    #[error("the saved sentence vectors are damaged: {0}")]
    Damaged(String),
}

/// Unit-length sentence vectors by the text they encode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VectorCache {
    /// The encoder these vectors came from (its name and weights' hash): vectors from two
    /// encoders are not comparable.
    pub encoder: String,
    dims: usize,
    vectors: HashMap<String, Vec<f32>>,
}

impl VectorCache {
    pub fn new(encoder: impl Into<String>, dims: usize) -> Self {
        Self { encoder: encoder.into(), dims, vectors: HashMap::default() }
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    pub fn get(&self, text: &str) -> Option<&[f32]> {
        self.vectors.get(text).map(Vec::as_slice)
    }

    /// Stores a vector for a text, normalised to unit length.
    pub fn insert(&mut self, text: impl Into<String>, mut vector: Vec<f32>) -> Result<(), VectorError> {
        if vector.len() != self.dims {
            return Err(VectorError::Dimensions { expected: self.dims, found: vector.len() });
        }
        if vector.iter().any(|x| !x.is_finite()) {
            return Err(VectorError::NotFinite);
        }
        normalise(&mut vector);
        self.vectors.insert(text.into(), vector);
        Ok(())
    }

    /// The distinct texts of the library's approved entries that have no vector yet, in
    /// library order: what an encoder must embed before [`SemanticIndex::new`] sees them all.
    pub fn missing<'a>(&self, library: &'a Library) -> Vec<&'a str> {
        let mut seen = rustc_hash::FxHashSet::default();
        library
            .approved()
            .flat_map(entry_texts)
            .filter(|text| !self.vectors.contains_key(*text) && seen.insert(*text))
            .collect()
    }

    /// Takes the vectors of `other` for the texts this cache lacks and the library holds (the
    /// vectors shipped with the app for its built-in library, say), when `other` comes from
    /// the same encoder; returns how many were taken.
    pub fn absorb(&mut self, other: VectorCache, library: &Library) -> usize {
        if other.encoder != self.encoder || other.dims != self.dims {
            return 0;
        }
        let wanted = library_texts(library);
        let mut taken = 0;
        for (text, vector) in other.vectors {
            if wanted.contains(text.as_str()) && !self.vectors.contains_key(&text) {
                self.vectors.insert(text, vector);
                taken += 1;
            }
        }
        taken
    }

    /// Keeps only the vectors of texts the library still holds, so a cache does not grow
    /// with every edit.
    pub fn retain_library(&mut self, library: &Library) {
        let wanted = library_texts(library);
        self.vectors.retain(|text, _| wanted.contains(text.as_str()));
    }

    /// The cache as bytes to keep in browser storage: a JSON header (encoder, dimensions and
    /// texts in order), a newline, then every vector as little-endian f32 in the same order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut texts: Vec<&String> = self.vectors.keys().collect();
        texts.sort();
        let header = serde_json::json!({ "encoder": self.encoder, "dims": self.dims, "texts": texts });
        let mut bytes = header.to_string().into_bytes();
        bytes.push(b'\n');
        for text in texts {
            for value in &self.vectors[text] {
                bytes.extend_from_slice(&value.to_le_bytes());
            }
        }
        bytes
    }

    /// Reads bytes written by [`VectorCache::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VectorError> {
        #[derive(Deserialize)]
        struct Header {
            encoder: String,
            dims: usize,
            texts: Vec<String>,
        }
        let damaged = |why: &str| VectorError::Damaged(why.to_owned());
        let newline = bytes.iter().position(|&b| b == b'\n').ok_or_else(|| damaged("no header"))?;
        let header: Header = serde_json::from_slice(&bytes[..newline]).map_err(|e| damaged(&e.to_string()))?;
        let body = &bytes[newline + 1..];
        let expected = header.texts.len().checked_mul(header.dims).and_then(|n| n.checked_mul(4));
        if header.dims == 0 || expected != Some(body.len()) {
            return Err(damaged("the vectors do not fill the file"));
        }
        let mut cache = Self::new(header.encoder, header.dims);
        for (text, chunk) in header.texts.into_iter().zip(body.chunks_exact(header.dims * 4)) {
            let vector =
                chunk.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect::<Vec<f32>>();
            cache.insert(text, vector)?;
        }
        Ok(cache)
    }
}

/// Scales a vector to unit length; the zero vector stays zero.
pub fn normalise(vector: &mut [f32]) {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
}

/// The dot product, which is the cosine similarity of unit vectors.
///
/// Hybrid matching compares every question with every phrasing of the library on the page's
/// thread, in a build optimised for size: written plainly, as one running sum, 331 questions
/// against 1,719 phrasings took 172 ms in V8; with wasm's vector instructions (the app is
/// built with simd128), 29 ms.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    use core::arch::wasm32::{f32x4_add, f32x4_extract_lane, f32x4_mul, f32x4_splat, v128, v128_load};
    let length = a.len().min(b.len());
    let (mut low, mut high) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let mut start = 0;
    while start + 8 <= length {
        let (x, y) = (&a[start..start + 8], &b[start..start + 8]);
        // SAFETY: each slice holds eight f32, the 32 bytes the two loads read; wasm's
        // `v128.load` needs no alignment.
        let (x_low, x_high, y_low, y_high) = unsafe {
            let (x, y) = (x.as_ptr().cast::<v128>(), y.as_ptr().cast::<v128>());
            (v128_load(x), v128_load(x.add(1)), v128_load(y), v128_load(y.add(1)))
        };
        low = f32x4_add(low, f32x4_mul(x_low, y_low));
        high = f32x4_add(high, f32x4_mul(x_high, y_high));
        start += 8;
    }
    let sums = f32x4_add(low, high);
    let tail: f32 = a[start..length].iter().zip(&b[start..length]).map(|(x, y)| x * y).sum();
    (f32x4_extract_lane::<0>(sums) + f32x4_extract_lane::<1>(sums))
        + (f32x4_extract_lane::<2>(sums) + f32x4_extract_lane::<3>(sums))
        + tail
}

/// The dot product, which is the cosine similarity of unit vectors, for native builds (and
/// wasm without simd128): eight independent sums, which the compiler vectorises at speed
/// optimisation.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let length = a.len().min(b.len());
    let mut sums = [0.0f32; 8];
    let mut start = 0;
    while start + 8 <= length {
        let (x, y) = (&a[start..start + 8], &b[start..start + 8]);
        for lane in 0..8 {
            sums[lane] += x[lane] * y[lane];
        }
        start += 8;
    }
    let tail: f32 = a[start..length].iter().zip(&b[start..length]).map(|(x, y)| x * y).sum();
    ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7])) + tail
}

/// The vectors of every approved entry, by the matcher's slots, ready to compare with a
/// question's vector. Built from a [`VectorCache`] that holds every text of the library.
#[derive(Debug, Clone)]
pub struct SemanticIndex {
    dims: usize,
    /// By slot: the entry's phrasings' vectors, laid out flat.
    by_slot: Vec<Option<Vec<f32>>>,
}

/// How similar in meaning an entry is to a question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeaningMatch {
    /// The cosine similarity of the question and the closest phrasing.
    pub similarity: f32,
    /// The closest phrasing's position among the entry's phrasings.
    pub phrasing: usize,
}

impl SemanticIndex {
    /// Indexes the matcher's entries; an entry with a text missing from the cache is left out
    /// (it is still found by words), and how many were left out is returned alongside.
    pub fn new(matcher: &Matcher, cache: &VectorCache) -> (Self, usize) {
        let mut left_out = 0;
        let by_slot = matcher
            .entries
            .iter()
            .map(|entry| {
                let entry = entry.as_ref()?;
                let texts = entry_texts(entry);
                let mut flat = Vec::with_capacity(texts.len() * cache.dims);
                for text in &texts {
                    match cache.get(text) {
                        Some(vector) => flat.extend_from_slice(vector),
                        None => {
                            left_out += 1;
                            return None;
                        }
                    }
                }
                Some(flat)
            })
            .collect();
        (Self { dims: cache.dims, by_slot }, left_out)
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// How similar in meaning each slot's entry is to the question (`None` for a slot without
    /// vectors), by slot: one dot product per phrasing, computed once per question.
    pub(super) fn meanings(&self, question: &[f32]) -> Vec<Option<MeaningMatch>> {
        self.by_slot
            .iter()
            .map(|vectors| {
                let mut best = MeaningMatch { similarity: f32::NEG_INFINITY, phrasing: 0 };
                for (phrasing, vector) in vectors.as_ref()?.chunks_exact(self.dims).enumerate() {
                    let similarity = dot(question, vector);
                    if similarity > best.similarity {
                        best = MeaningMatch { similarity, phrasing };
                    }
                }
                best.similarity.is_finite().then_some(best)
            })
            .collect()
    }
}

/// The `count` slots most similar in meaning, most similar first (ties by slot).
pub(super) fn closest(meanings: &[Option<MeaningMatch>], count: usize) -> Vec<(usize, MeaningMatch)> {
    let mut ranked: Vec<(usize, MeaningMatch)> =
        meanings.iter().enumerate().filter_map(|(slot, m)| Some((slot, (*m)?))).collect();
    let order = |a: &(usize, MeaningMatch), b: &(usize, MeaningMatch)| {
        b.1.similarity.total_cmp(&a.1.similarity).then_with(|| a.0.cmp(&b.0))
    };
    if ranked.len() > count {
        ranked.select_nth_unstable_by(count, order);
        ranked.truncate(count);
    }
    ranked.sort_by(order);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_round_trips_through_bytes_and_refuses_damage() {
        let mut cache = VectorCache::new("test", 3);
        cache.insert("a", vec![3.0, 0.0, 4.0]).unwrap();
        cache.insert("b", vec![0.0, 1.0, 0.0]).unwrap();
        assert_eq!(cache.get("a").unwrap(), &[0.6, 0.0, 0.8]);
        let bytes = cache.to_bytes();
        assert_eq!(VectorCache::from_bytes(&bytes).unwrap(), cache);
        assert!(VectorCache::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(VectorCache::from_bytes(b"{}").is_err());
        assert!(VectorCache::from_bytes(b"{\"encoder\":\"x\",\"dims\":0,\"texts\":[]}\n").is_err());
        assert_eq!(cache.insert("c", vec![1.0]), Err(VectorError::Dimensions { expected: 3, found: 1 }));
        assert_eq!(cache.insert("c", vec![f32::NAN, 0.0, 0.0]), Err(VectorError::NotFinite));
    }

    #[test]
    fn shipped_vectors_fill_only_the_library_texts_a_cache_lacks_and_only_from_the_same_encoder() {
        let library = crate::library::builtin::library();
        let texts = VectorCache::new("e", 2).missing(&library).into_iter().map(str::to_owned).collect::<Vec<_>>();
        let mut shipped = VectorCache::new("e", 2);
        for text in &texts {
            shipped.insert(text.clone(), vec![1.0, 0.0]).unwrap();
        }
        shipped.insert("not in the library", vec![1.0, 0.0]).unwrap();
        let mut cache = VectorCache::new("e", 2);
        cache.insert(texts[0].clone(), vec![0.0, 1.0]).unwrap();

        assert_eq!(VectorCache::new("other", 2).absorb(shipped.clone(), &library), 0);
        assert_eq!(VectorCache::new("e", 3).absorb(shipped.clone(), &library), 0);
        assert_eq!(cache.absorb(shipped, &library), texts.len() - 1);
        assert!(cache.missing(&library).is_empty());
        // What the cache had is kept; what the library lacks is not taken.
        assert_eq!(cache.get(&texts[0]).unwrap(), &[0.0, 1.0]);
        assert!(cache.get("not in the library").is_none());
    }
}
