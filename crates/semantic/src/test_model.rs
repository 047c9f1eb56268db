//! A tiny BERT with made-up weights, for tests that must run without the real model: its
//! asset packs in microseconds and is a few kilobytes.

use crate::asset::{pack_model, Precision};
use crate::config::{ModelConfig, TensorKind};
use safetensors::{tensor::TensorView, Dtype};

/// The tiny model's vocabulary.
pub(crate) const VOCAB: &str = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\naccess\nis\nrevoked\n##s\n.\n?\n";

/// The tiny model's shape: two layers of 8 wide, 2 heads.
pub(crate) const CONFIG: ModelConfig = ModelConfig {
    vocab_size: 12,
    hidden_size: 8,
    layers: 2,
    heads: 2,
    intermediate_size: 16,
    max_positions: 16,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
};

/// The tiny model's weights as a safetensors file: values from a fixed pseudo-random sequence,
/// LayerNorm weights near one.
pub(crate) fn safetensors() -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let tensors: Vec<(String, Vec<usize>, Vec<u8>)> = CONFIG
        .tensors()
        .into_iter()
        .map(|spec| {
            let is_norm_weight = spec.kind == TensorKind::Vector && spec.name.contains("LayerNorm.weight");
            let count = spec.value_count().expect("tiny shapes");
            let values: Vec<f32> =
                (0..count).map(|_| if is_norm_weight { 1.0 + next() * 0.2 } else { next() }).collect();
            let bytes = values.iter().flat_map(|value| value.to_le_bytes()).collect();
            (spec.name, spec.shape, bytes)
        })
        .collect();
    let views = tensors.iter().map(|(name, shape, bytes)| {
        (name.as_str(), TensorView::new(Dtype::F32, shape.clone(), bytes).expect("a consistent test tensor"))
    });
    safetensors::serialize(views, None).expect("the test tensors serialise")
}

/// The tiny model packed at a precision.
pub(crate) fn asset(precision: Precision) -> Vec<u8> {
    pack_model("tiny-test-bert", &CONFIG, &safetensors(), VOCAB, precision).expect("the tiny model packs")
}
