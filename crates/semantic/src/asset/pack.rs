//! Packing: model.safetensors and vocab.txt become one asset, at the precision asked for.

use super::{checksum, data_start, Encoding, Header, Precision, Span, TensorEntry, ALIGNMENT, FORMAT_VERSION, MAGIC};
use crate::config::{ConfigError, ModelConfig, TensorSpec, MINILM_NAME};
use crate::tokenizer::{Tokenizer, TokenizerConfig, VocabError};
use safetensors::{Dtype, SafeTensors};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The largest magnitude an int8 value is given: symmetric quantisation leaves -128 unused, so
/// that a row's largest value and its negation are both exact.
const INT8_LIMIT: f32 = 127.0;

/// Why a model cannot be packed.
#[derive(Debug, Error)]
pub enum PackError {
    /// The bytes are not a safetensors file.
    #[error("the model weights cannot be read as safetensors: {0}")]
    Safetensors(#[from] safetensors::SafeTensorError),
    /// The config given for the model is invalid.
    #[error("the model config is invalid: {0}")]
    Config(#[from] ConfigError),
    /// A tensor the model needs is not in the weights.
    #[error("the model weights have no tensor {0}")]
    MissingTensor(String),
    /// A tensor has another shape than the config gives.
    #[error("tensor {name} has shape {found:?}; the config gives {expected:?}")]
    Shape {
        /// The tensor.
        name: String,
        /// The shape the config gives.
        expected: Vec<usize>,
        /// The shape in the weights.
        found: Vec<usize>,
    },
    /// A tensor is not f32.
    #[error("tensor {name} is {dtype}; packing reads f32 weights")]
    Dtype {
        /// The tensor.
        name: String,
        /// Its type, as safetensors names it.
        dtype: String,
    },
    /// A tensor holds a NaN or an infinity, or a value too large for f16.
    #[error("tensor {0} holds a value that is not finite at the precision asked for")]
    NonFinite(String),
    /// The vocabulary cannot make a tokenizer.
    #[error("the vocabulary cannot be used: {0}")]
    Vocab(#[from] VocabError),
    /// The vocabulary does not have one line for each row of the word-embedding table.
    #[error("the vocabulary has {lines} lines, the word-embedding table {rows} rows")]
    VocabSize {
        /// The vocabulary's lines.
        lines: usize,
        /// The table's rows.
        rows: usize,
    },
}

/// Packs all-MiniLM-L6-v2 from its model.safetensors and vocab.txt.
pub fn pack(safetensors: &[u8], vocab_text: &str, precision: Precision) -> Result<Vec<u8>, PackError> {
    pack_model(MINILM_NAME, &ModelConfig::MINILM_L6, safetensors, vocab_text, precision)
}

/// Packs any BERT encoder of the given config from its safetensors and vocabulary. The same
/// inputs always give the same bytes.
pub fn pack_model(
    model: &str,
    config: &ModelConfig,
    safetensors: &[u8],
    vocab_text: &str,
    precision: Precision,
) -> Result<Vec<u8>, PackError> {
    config.validate()?;
    Tokenizer::from_vocab(vocab_text, TokenizerConfig::default())?;
    let lines = vocab_text.lines().count();
    if lines != config.vocab_size {
        return Err(PackError::VocabSize { lines, rows: config.vocab_size });
    }
    let weights = SafeTensors::deserialize(safetensors)?;

    let mut data = Vec::new();
    let vocab = append(&mut data, vocab_text.as_bytes());
    let mut tensors = Vec::new();
    for spec in config.tensors() {
        let values = read_f32(&weights, &spec)?;
        let encoding = precision.encoding_for(spec.kind);
        let (bytes, scales) = encode(&values, &spec, encoding)?;
        let data_span = append(&mut data, &bytes);
        let scales = scales.map(|scales| append(&mut data, &scales));
        tensors.push(TensorEntry { name: spec.name, shape: spec.shape, encoding, data: data_span, scales });
    }

    let header = Header {
        model: model.to_owned(),
        source_sha256: hex(&Sha256::digest(safetensors)),
        precision,
        config: *config,
        data_length: data.len() as u64,
        vocab,
        tensors,
    };
    let header = serde_json::to_vec(&header).expect("a header of strings and numbers always serialises");
    let start = data_start(header.len());
    let mut asset = Vec::with_capacity(start + data.len());
    asset.extend_from_slice(&MAGIC);
    asset.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    asset.extend_from_slice(&(header.len() as u32).to_le_bytes());
    asset.extend_from_slice(&[0; 8]);
    asset.extend_from_slice(&header);
    asset.resize(start, 0);
    asset.extend_from_slice(&data);
    let sum = checksum(&asset[super::PREAMBLE_BYTES..]);
    asset[16..24].copy_from_slice(&sum.to_le_bytes());
    Ok(asset)
}

/// Appends bytes to the data section at the next aligned offset, and gives their span.
fn append(data: &mut Vec<u8>, bytes: &[u8]) -> Span {
    data.resize(data.len().next_multiple_of(ALIGNMENT), 0);
    let span = Span { offset: data.len() as u64, length: bytes.len() as u64 };
    data.extend_from_slice(bytes);
    span
}

/// A tensor of the weights as f32 values, checked against its spec.
fn read_f32(weights: &SafeTensors<'_>, spec: &TensorSpec) -> Result<Vec<f32>, PackError> {
    let tensor = weights.tensor(&spec.name).map_err(|_| PackError::MissingTensor(spec.name.clone()))?;
    if tensor.dtype() != Dtype::F32 {
        return Err(PackError::Dtype { name: spec.name.clone(), dtype: tensor.dtype().to_string() });
    }
    if tensor.shape() != spec.shape.as_slice() {
        return Err(PackError::Shape {
            name: spec.name.clone(),
            expected: spec.shape.clone(),
            found: tensor.shape().to_vec(),
        });
    }
    let values: Vec<f32> = tensor.data().chunks_exact(4).map(super::f32_from).collect();
    if !values.iter().all(|value| value.is_finite()) {
        return Err(PackError::NonFinite(spec.name.clone()));
    }
    Ok(values)
}

/// A tensor's values in an encoding, and for int8 the scale of each row, as bytes.
fn encode(values: &[f32], spec: &TensorSpec, encoding: Encoding) -> Result<(Vec<u8>, Option<Vec<u8>>), PackError> {
    match encoding {
        Encoding::F32 => Ok((values.iter().flat_map(|value| value.to_le_bytes()).collect(), None)),
        Encoding::F16 => {
            let halves: Vec<half::f16> = values.iter().map(|&value| half::f16::from_f32(value)).collect();
            if !halves.iter().all(|value| value.is_finite()) {
                return Err(PackError::NonFinite(spec.name.clone()));
            }
            Ok((halves.iter().flat_map(|value| value.to_le_bytes()).collect(), None))
        }
        Encoding::Int8 => {
            let columns = spec.shape.iter().skip(1).product::<usize>().max(1);
            let mut quantised = Vec::with_capacity(values.len());
            let mut scales = Vec::with_capacity(values.len() / columns * 4);
            for row in values.chunks_exact(columns) {
                let (row_values, scale) = quantise_row(row);
                quantised.extend(row_values.into_iter().map(|value| value as u8));
                scales.extend_from_slice(&scale.to_le_bytes());
            }
            Ok((quantised, Some(scales)))
        }
    }
}

/// Symmetric int8 quantisation of one row: the scale maps the row's largest magnitude to
/// [`INT8_LIMIT`], and each value rounds to the nearest step. A row of zeros has scale zero.
pub(crate) fn quantise_row(row: &[f32]) -> (Vec<i8>, f32) {
    let largest = row.iter().fold(0.0f32, |largest, value| largest.max(value.abs()));
    if largest == 0.0 {
        return (vec![0; row.len()], 0.0);
    }
    let scale = largest / INT8_LIMIT;
    let values = row.iter().map(|value| (value / scale).round().clamp(-INT8_LIMIT, INT8_LIMIT) as i8).collect();
    (values, scale)
}

/// Bytes as lowercase hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
