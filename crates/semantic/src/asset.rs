//! Trustfill's packed model asset: one file that holds a model's config, vocabulary and
//! weights, so that the browser fetches one asset; and its loader, which checks every byte
//! before it trusts it.
//!
//! The layout, all integers little-endian:
//!
//! | bytes          | what                                                                  |
//! |----------------|-----------------------------------------------------------------------|
//! | 0..8           | [`MAGIC`]                                                             |
//! | 8..12          | the format version, [`FORMAT_VERSION`]                                |
//! | 12..16         | the length of the header, in bytes                                    |
//! | 16..24         | a checksum of every byte from 24 on (see [`checksum`])                |
//! | 24..           | the header: JSON (model, source hash, precision, config, tensor table) |
//! | aligned to 16  | the data section: the vocabulary text, then each tensor's bytes       |
//!
//! Offsets in the header count from the start of the data section, and every span starts at a
//! multiple of [`ALIGNMENT`]. A tensor is stored as f32, f16, or int8 with one f32 scale for
//! each row (symmetric: a value is its int8 times its row's scale).

use crate::config::{ConfigError, ModelConfig, TensorKind};
use crate::tokenizer::{Tokenizer, TokenizerConfig, VocabError};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

mod pack;
mod table;

pub use pack::{pack, pack_model, PackError};
pub(crate) use table::Table;

/// The first bytes of every asset: "TFSEMB", then a carriage return and a line feed, which a
/// transfer that rewrites line ends would change.
pub const MAGIC: [u8; 8] = *b"TFSEMB\r\n";

/// The version of the layout this loader reads and [`pack`] writes.
pub const FORMAT_VERSION: u32 = 1;

/// The bytes before the header: magic, version, header length, checksum.
pub const PREAMBLE_BYTES: usize = 24;

/// A header longer than this is refused before it is parsed: a real one is about 10 KB.
pub const MAX_HEADER_BYTES: usize = 1 << 20;

/// Every span of the data section starts at a multiple of this many bytes.
pub const ALIGNMENT: usize = 16;

/// How the weight matrices and tables of an asset are stored. Biases and LayerNorm parameters
/// are f32 in every precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Weight matrices and the word-embedding table as int8 with an f32 scale per row; the
    /// position and token-type tables as f16. About a quarter of f32's size.
    Int8,
    /// Weight matrices and every embedding table as f16: half of f32's size.
    F16,
    /// Everything as f32, as the source has it.
    F32,
}

impl Precision {
    /// Every precision, smallest asset first.
    pub const ALL: [Precision; 3] = [Precision::Int8, Precision::F16, Precision::F32];

    /// How a tensor of this kind is stored at this precision.
    pub fn encoding_for(self, kind: TensorKind) -> Encoding {
        match (self, kind) {
            (_, TensorKind::Vector) | (Precision::F32, _) => Encoding::F32,
            (Precision::Int8, TensorKind::WordEmbeddings | TensorKind::Matrix) => Encoding::Int8,
            (Precision::Int8 | Precision::F16, _) => Encoding::F16,
        }
    }

    /// The name used on the command line and in the header.
    pub fn name(self) -> &'static str {
        match self {
            Precision::Int8 => "int8",
            Precision::F16 => "f16",
            Precision::F32 => "f32",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

impl std::str::FromStr for Precision {
    type Err = UnknownPrecision;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Precision::ALL
            .into_iter()
            .find(|precision| precision.name() == text)
            .ok_or_else(|| UnknownPrecision(text.into()))
    }
}

/// A precision name that is not int8, f16 or f32.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("unknown precision {0:?}: the precisions are int8, f16 and f32")]
pub struct UnknownPrecision(pub String);

/// How one tensor's values are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// Four bytes a value.
    F32,
    /// Two bytes a value (IEEE half precision).
    F16,
    /// One byte a value, and a four-byte f32 scale a row.
    Int8,
}

impl Encoding {
    /// The bytes of one value.
    pub fn value_bytes(self) -> usize {
        match self {
            Encoding::F32 => 4,
            Encoding::F16 => 2,
            Encoding::Int8 => 1,
        }
    }
}

/// A run of bytes in the data section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Where it starts, counted from the start of the data section.
    pub offset: u64,
    /// How many bytes it has.
    pub length: u64,
}

/// One entry of the header's tensor table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorEntry {
    /// The tensor's name, as model.safetensors has it.
    pub name: String,
    /// Its shape, outermost first.
    pub shape: Vec<usize>,
    /// How its values are stored.
    pub encoding: Encoding,
    /// Its values, row by row.
    pub data: Span,
    /// For int8, the f32 scale of each row (the outermost dimension); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scales: Option<Span>,
}

/// The header: what the asset is, and where its parts are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The model's name, such as `all-MiniLM-L6-v2`.
    pub model: String,
    /// The SHA-256 of the model.safetensors the asset was packed from, in lowercase hex.
    pub source_sha256: String,
    /// How the weights are stored.
    pub precision: Precision,
    /// The model's shape.
    pub config: ModelConfig,
    /// The length of the data section: the asset ends where it does.
    pub data_length: u64,
    /// The vocabulary, in `vocab.txt` form.
    pub vocab: Span,
    /// Every tensor of the model.
    pub tensors: Vec<TensorEntry>,
}

/// What an asset says about itself, for a caller to show or check.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetInfo {
    /// The model's name.
    pub model: String,
    /// The SHA-256 of the source model.safetensors, in lowercase hex.
    pub source_sha256: String,
    /// How the weights are stored.
    pub precision: Precision,
    /// The model's shape.
    pub config: ModelConfig,
    /// The size of the asset, in bytes.
    pub bytes: usize,
}

/// Why bytes are not a model asset this loader can read. Every check happens before anything
/// the header asks for is allocated.
#[derive(Debug, Error)]
pub enum AssetError {
    /// The bytes end before the layout says they do.
    #[error("the model asset is truncated: it has {actual} bytes where {needed} are needed")]
    Truncated {
        /// The bytes the layout needs.
        needed: u64,
        /// The bytes there are.
        actual: usize,
    },
    /// The bytes do not start with [`MAGIC`].
    #[error("these bytes are not a Trustfill model asset")]
    NotAnAsset,
    /// The asset is of a format version this loader does not read.
    #[error("the model asset has format version {found}; this version of Trustfill reads version {supported}")]
    UnsupportedVersion {
        /// The version the asset has.
        found: u32,
        /// The version this loader reads.
        supported: u32,
    },
    /// The header is longer than [`MAX_HEADER_BYTES`].
    #[error("the model asset's header has {0} bytes, more than the {MAX_HEADER_BYTES} allowed")]
    HeaderTooLarge(u64),
    /// The header is not the JSON it should be.
    #[error("the model asset's header cannot be read: {0}")]
    Header(#[source] serde_json::Error),
    /// The bytes go on after the end of the data section.
    #[error("the model asset has {actual} bytes, {expected} were expected")]
    TrailingBytes {
        /// The bytes the layout accounts for.
        expected: u64,
        /// The bytes there are.
        actual: usize,
    },
    /// The checksum does not match: the bytes were damaged on the way.
    #[error("the model asset is corrupt: its checksum is {computed:016x}, {stored:016x} was recorded")]
    ChecksumMismatch {
        /// The checksum recorded in the asset.
        stored: u64,
        /// The checksum of the bytes there are.
        computed: u64,
    },
    /// The model's config cannot be run.
    #[error("the model asset's config is invalid: {0}")]
    Config(#[from] ConfigError),
    /// A tensor the model needs is not in the table.
    #[error("the model asset has no tensor {0}")]
    MissingTensor(String),
    /// The table has a tensor the model does not have, or has one twice.
    #[error("the model asset has an unexpected or repeated tensor {0}")]
    UnexpectedTensor(String),
    /// A tensor's shape is not the one the config gives.
    #[error("tensor {name} has shape {found:?}; the config gives {expected:?}")]
    TensorShape {
        /// The tensor.
        name: String,
        /// The shape the config gives.
        expected: Vec<usize>,
        /// The shape in the table.
        found: Vec<usize>,
    },
    /// A tensor is stored in an encoding that its kind cannot have (biases are always f32).
    #[error("tensor {name} cannot be stored as {encoding:?}")]
    TensorEncoding {
        /// The tensor.
        name: String,
        /// The encoding in the table.
        encoding: Encoding,
    },
    /// A span is misaligned, has the wrong length, or reaches outside the data section.
    #[error("the {what} of {name} is not where the layout allows")]
    BadSpan {
        /// The tensor, or "the vocabulary".
        name: String,
        /// Which span: values, scales or text.
        what: &'static str,
    },
    /// A tensor holds a NaN or an infinity.
    #[error("tensor {0} holds a value that is not a finite number")]
    NonFinite(String),
    /// The vocabulary is not UTF-8.
    #[error("the model asset's vocabulary is not UTF-8")]
    VocabNotUtf8,
    /// The vocabulary does not have one line for each row of the word-embedding table.
    #[error("the vocabulary has {lines} lines, the word-embedding table {rows} rows")]
    VocabSize {
        /// The vocabulary's lines.
        lines: usize,
        /// The table's rows.
        rows: usize,
    },
    /// The vocabulary cannot make a tokenizer.
    #[error("the model asset's vocabulary cannot be used: {0}")]
    Vocab(#[from] VocabError),
}

/// A parsed, checked model asset, borrowing its bytes.
#[derive(Debug)]
pub struct Asset<'a> {
    info: AssetInfo,
    vocab: &'a str,
    tensors: FxHashMap<String, TensorView<'a>>,
}

/// One tensor of an asset, borrowing its bytes; its spans were checked against its shape.
#[derive(Clone, Debug)]
pub struct TensorView<'a> {
    shape: Vec<usize>,
    encoding: Encoding,
    values: &'a [u8],
    scales: &'a [u8],
}

impl<'a> Asset<'a> {
    /// Parses and checks an asset: layout, version, checksum, config, tensor table and
    /// vocabulary. Never panics, and allocates nothing in proportion to what the header claims
    /// before the claim is checked against the bytes.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, AssetError> {
        let (header, data) = split_header(bytes)?;
        header.config.validate()?;
        let vocab = check_vocab(&header, data)?;
        let mut tensors = FxHashMap::default();
        for entry in &header.tensors {
            if tensors.contains_key(&entry.name) {
                return Err(AssetError::UnexpectedTensor(entry.name.clone()));
            }
            let view = TensorView::from_entry(entry, data)?;
            tensors.insert(entry.name.clone(), view);
        }
        let specs = header.config.tensors();
        for spec in &specs {
            let view = tensors.get(&spec.name).ok_or_else(|| AssetError::MissingTensor(spec.name.clone()))?;
            if view.shape != spec.shape {
                let found = view.shape.clone();
                return Err(AssetError::TensorShape { name: spec.name.clone(), expected: spec.shape.clone(), found });
            }
            if spec.kind == TensorKind::Vector && view.encoding != Encoding::F32 {
                return Err(AssetError::TensorEncoding { name: spec.name.clone(), encoding: view.encoding });
            }
        }
        if tensors.len() != specs.len() {
            // Every spec was found, and names are unique, so the table has a tensor of its own.
            let known: std::collections::HashSet<&str> = specs.iter().map(|spec| spec.name.as_str()).collect();
            let extra = tensors.keys().find(|name| !known.contains(name.as_str())).cloned().unwrap_or_default();
            return Err(AssetError::UnexpectedTensor(extra));
        }
        let info = AssetInfo {
            model: header.model,
            source_sha256: header.source_sha256,
            precision: header.precision,
            config: header.config,
            bytes: bytes.len(),
        };
        Ok(Self { info, vocab, tensors })
    }

    /// What the asset says about itself.
    pub fn info(&self) -> &AssetInfo {
        &self.info
    }

    /// The vocabulary, in `vocab.txt` form.
    pub fn vocab(&self) -> &'a str {
        self.vocab
    }

    /// A tensor by name. Every tensor that the config lists is there once parsing succeeded.
    pub fn tensor(&self, name: &str) -> Option<&TensorView<'a>> {
        self.tensors.get(name)
    }
}

impl<'a> TensorView<'a> {
    fn from_entry(entry: &TensorEntry, data: &'a [u8]) -> Result<Self, AssetError> {
        let bad_span = |what| AssetError::BadSpan { name: entry.name.clone(), what };
        let value_count = entry.shape.iter().try_fold(1usize, |count, &size| count.checked_mul(size));
        let value_bytes = value_count.and_then(|count| count.checked_mul(entry.encoding.value_bytes()));
        let values = slice_span(data, entry.data, value_bytes).ok_or_else(|| bad_span("values"))?;
        let scales = match (entry.encoding, entry.scales) {
            (Encoding::Int8, Some(span)) => {
                let rows = entry.shape.first().copied().unwrap_or(1);
                slice_span(data, span, rows.checked_mul(4)).ok_or_else(|| bad_span("scales"))?
            }
            (Encoding::Int8, None) | (Encoding::F32 | Encoding::F16, Some(_)) => return Err(bad_span("scales")),
            (Encoding::F32 | Encoding::F16, None) => &[],
        };
        let view = Self { shape: entry.shape.clone(), encoding: entry.encoding, values, scales };
        if !view.all_finite() {
            return Err(AssetError::NonFinite(entry.name.clone()));
        }
        Ok(view)
    }

    /// The tensor's shape, outermost first.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// How the tensor's values are stored.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The number of rows (the outermost dimension; 1 for a scalar).
    pub fn rows(&self) -> usize {
        self.shape.first().copied().unwrap_or(1)
    }

    /// The number of values in a row.
    pub fn columns(&self) -> usize {
        self.shape.iter().skip(1).product()
    }

    /// Every value as f32, row by row.
    pub fn to_f32(&self) -> Vec<f32> {
        match self.encoding {
            Encoding::F32 => self.values.chunks_exact(4).map(f32_from).collect(),
            Encoding::F16 => self.values.chunks_exact(2).map(f16_from).collect(),
            Encoding::Int8 => {
                let columns = self.columns().max(1);
                let scales = self.scales.chunks_exact(4).map(f32_from);
                self.values
                    .chunks_exact(columns)
                    .zip(scales)
                    .flat_map(|(row, scale)| row.iter().map(move |&value| f32::from(value as i8) * scale))
                    .collect()
            }
        }
    }

    /// Whether every stored float (values, or int8 scales) is finite.
    fn all_finite(&self) -> bool {
        match self.encoding {
            Encoding::F32 => self.values.chunks_exact(4).all(|bytes| f32_from(bytes).is_finite()),
            Encoding::F16 => self.values.chunks_exact(2).all(|bytes| f16_from(bytes).is_finite()),
            Encoding::Int8 => self.scales.chunks_exact(4).all(|bytes| f32_from(bytes).is_finite()),
        }
    }

    /// The raw parts: stored values and (for int8) scales.
    pub(crate) fn raw(&self) -> (&'a [u8], &'a [u8]) {
        (self.values, self.scales)
    }

    /// For an int8 tensor, its values and the scale of each row; `None` for another encoding.
    pub fn to_int8(&self) -> Option<(Vec<i8>, Vec<f32>)> {
        (self.encoding == Encoding::Int8).then(|| {
            (self.values.iter().map(|&byte| byte as i8).collect(), self.scales.chunks_exact(4).map(f32_from).collect())
        })
    }
}

/// An f32 from four little-endian bytes (a slice of `chunks_exact(4)`).
pub(crate) fn f32_from(bytes: &[u8]) -> f32 {
    let mut word = [0; 4];
    word.copy_from_slice(bytes);
    f32::from_le_bytes(word)
}

/// An f32 from two little-endian bytes of an f16 (a slice of `chunks_exact(2)`).
pub(crate) fn f16_from(bytes: &[u8]) -> f32 {
    half::f16::from_le_bytes([bytes[0], bytes[1]]).to_f32()
}

/// The bytes of a span of the data section, when it is aligned, inside it, and exactly
/// `expected` bytes long (`None` when the expected length overflowed).
fn slice_span(data: &[u8], span: Span, expected: Option<usize>) -> Option<&[u8]> {
    let offset = usize::try_from(span.offset).ok()?;
    let length = usize::try_from(span.length).ok()?;
    if expected? != length || offset % ALIGNMENT != 0 {
        return None;
    }
    data.get(offset..offset.checked_add(length)?)
}

/// Checks the preamble, the checksum and the header's JSON; gives the header and the data
/// section.
fn split_header(bytes: &[u8]) -> Result<(Header, &[u8]), AssetError> {
    let truncated = |needed: u64| AssetError::Truncated { needed, actual: bytes.len() };
    if bytes.len() < PREAMBLE_BYTES {
        if !MAGIC.starts_with(&bytes[..bytes.len().min(MAGIC.len())]) {
            return Err(AssetError::NotAnAsset);
        }
        return Err(truncated(PREAMBLE_BYTES as u64));
    }
    if bytes[..8] != MAGIC {
        return Err(AssetError::NotAnAsset);
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != FORMAT_VERSION {
        return Err(AssetError::UnsupportedVersion { found: version, supported: FORMAT_VERSION });
    }
    let header_length = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]);
    if header_length as usize > MAX_HEADER_BYTES {
        return Err(AssetError::HeaderTooLarge(header_length.into()));
    }
    let data_start = data_start(header_length as usize);
    if bytes.len() < data_start {
        return Err(truncated(data_start as u64));
    }
    let header: Header = serde_json::from_slice(&bytes[PREAMBLE_BYTES..PREAMBLE_BYTES + header_length as usize])
        .map_err(AssetError::Header)?;
    let expected = (data_start as u64).saturating_add(header.data_length);
    if (bytes.len() as u64) < expected {
        return Err(truncated(expected));
    }
    if (bytes.len() as u64) > expected {
        return Err(AssetError::TrailingBytes { expected, actual: bytes.len() });
    }
    let mut stored = [0; 8];
    stored.copy_from_slice(&bytes[16..24]);
    let stored = u64::from_le_bytes(stored);
    let computed = checksum(&bytes[PREAMBLE_BYTES..]);
    if stored != computed {
        return Err(AssetError::ChecksumMismatch { stored, computed });
    }
    Ok((header, &bytes[data_start..]))
}

/// Where the data section starts for a header of this length.
pub(crate) fn data_start(header_length: usize) -> usize {
    (PREAMBLE_BYTES + header_length).next_multiple_of(ALIGNMENT)
}

/// The vocabulary text, checked to be UTF-8 with one line for each row of the word table.
fn check_vocab<'a>(header: &Header, data: &'a [u8]) -> Result<&'a str, AssetError> {
    let length = usize::try_from(header.vocab.length).ok();
    let bytes = slice_span(data, header.vocab, length)
        .ok_or_else(|| AssetError::BadSpan { name: "the vocabulary".into(), what: "text" })?;
    let text = std::str::from_utf8(bytes).map_err(|_| AssetError::VocabNotUtf8)?;
    let lines = text.lines().count();
    if lines != header.config.vocab_size {
        return Err(AssetError::VocabSize { lines, rows: header.config.vocab_size });
    }
    Tokenizer::from_vocab(text, TokenizerConfig::default())?;
    Ok(text)
}

/// A 64-bit checksum that catches damage in transit: any change of one byte always changes it,
/// and any other change does with odds of 2⁻⁶⁴ against. It is not a defence against tampering
/// (whoever serves the asset can recompute it); it reads eight bytes at a time in four
/// independent lanes so that checking a 20 MB asset takes milliseconds, in wasm too.
pub fn checksum(bytes: &[u8]) -> u64 {
    // An odd multiplier (the golden ratio's fraction) makes each step a bijection of the lane.
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lanes: [u64; 4] =
        [0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89];
    let mix_block = |lanes: &mut [u64; 4], block: &[u8]| {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            let mut value = [0; 8];
            value.copy_from_slice(word);
            *lane = (*lane ^ u64::from_le_bytes(value)).wrapping_mul(MULTIPLIER).rotate_left(29);
        }
    };
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        mix_block(&mut lanes, block);
    }
    let mut last = [0; 32];
    let rest = blocks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    mix_block(&mut lanes, &last);
    let mut hash = bytes.len() as u64;
    for lane in lanes {
        hash = (hash ^ lane).wrapping_mul(MULTIPLIER).rotate_left(31);
    }
    hash ^ (hash >> 32)
}

#[cfg(test)]
mod tests;
