//! The shape of a BERT encoder, the names and shapes of its tensors, and the limits that a
//! model asset's header is held to.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The name of the model that Trustfill ships.
pub const MINILM_NAME: &str = "all-MiniLM-L6-v2";

/// The largest hidden size, intermediate size, vocabulary or position table a header may
/// declare. They bound what a lying header can ask the loader to allocate before the tensor
/// table is checked against the bytes that are really there.
pub const MAX_DIMENSION: usize = 1 << 20;

/// The most layers a header may declare.
pub const MAX_LAYERS: usize = 64;

/// The shape of a BERT encoder: the fields of its config.json that the forward pass needs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// The number of pieces of the vocabulary (rows of the word-embedding table).
    pub vocab_size: usize,
    /// The width of a token's state.
    pub hidden_size: usize,
    /// The number of transformer layers.
    pub layers: usize,
    /// The number of attention heads; it divides `hidden_size`.
    pub heads: usize,
    /// The width of the feed-forward layer.
    pub intermediate_size: usize,
    /// The number of rows of the position-embedding table: the longest sequence the model reads.
    pub max_positions: usize,
    /// The number of rows of the token-type table (sentence A is type 0, the only one used).
    pub type_vocab_size: usize,
    /// The epsilon of every LayerNorm.
    pub layer_norm_eps: f32,
}

/// Why a model config cannot be run.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    /// A size is zero or over [`MAX_DIMENSION`].
    #[error("{name} is {value}; it must be between 1 and {MAX_DIMENSION}")]
    Dimension {
        /// The field of the config.
        name: &'static str,
        /// Its value.
        value: usize,
    },
    /// The number of layers is zero or over [`MAX_LAYERS`].
    #[error("the model has {0} layers; it must have between 1 and {MAX_LAYERS}")]
    Layers(usize),
    /// The number of heads does not divide the hidden size.
    #[error("{heads} attention heads do not divide a hidden size of {hidden_size}")]
    Heads {
        /// The number of heads.
        heads: usize,
        /// The hidden size.
        hidden_size: usize,
    },
    /// The LayerNorm epsilon is not a small positive number.
    #[error("the LayerNorm epsilon {0} is not a positive number below 1")]
    Epsilon(f32),
}

impl ModelConfig {
    /// all-MiniLM-L6-v2: BERT with 6 layers of 384 wide, 12 heads, a feed-forward layer of
    /// 1536, and the 30,522 pieces of BERT's uncased vocabulary.
    pub const MINILM_L6: Self = Self {
        vocab_size: 30_522,
        hidden_size: 384,
        layers: 6,
        heads: 12,
        intermediate_size: 1536,
        max_positions: 512,
        type_vocab_size: 2,
        layer_norm_eps: 1e-12,
    };

    /// Checks that the config describes a model that can be run, and that no size is absurd.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let dimensions = [
            ("vocab_size", self.vocab_size),
            ("hidden_size", self.hidden_size),
            ("heads", self.heads),
            ("intermediate_size", self.intermediate_size),
            ("max_positions", self.max_positions),
            ("type_vocab_size", self.type_vocab_size),
        ];
        for (name, value) in dimensions {
            if value == 0 || value > MAX_DIMENSION {
                return Err(ConfigError::Dimension { name, value });
            }
        }
        if self.layers == 0 || self.layers > MAX_LAYERS {
            return Err(ConfigError::Layers(self.layers));
        }
        if !self.hidden_size.is_multiple_of(self.heads) {
            return Err(ConfigError::Heads { heads: self.heads, hidden_size: self.hidden_size });
        }
        if !(self.layer_norm_eps > 0.0 && self.layer_norm_eps < 1.0) {
            return Err(ConfigError::Epsilon(self.layer_norm_eps));
        }
        Ok(())
    }

    /// The width of one attention head.
    pub fn head_size(&self) -> usize {
        self.hidden_size / self.heads
    }

    /// Every tensor the forward pass reads, with its shape and kind, in the order they are
    /// packed: the embeddings, then each layer's.
    pub fn tensors(&self) -> Vec<TensorSpec> {
        let hidden = self.hidden_size;
        let mut specs = vec![
            TensorSpec::new(names::WORD_EMBEDDINGS, &[self.vocab_size, hidden], TensorKind::WordEmbeddings),
            TensorSpec::new(names::POSITION_EMBEDDINGS, &[self.max_positions, hidden], TensorKind::SmallTable),
            TensorSpec::new(names::TOKEN_TYPE_EMBEDDINGS, &[self.type_vocab_size, hidden], TensorKind::SmallTable),
            TensorSpec::new(names::EMBEDDINGS_NORM_WEIGHT, &[hidden], TensorKind::Vector),
            TensorSpec::new(names::EMBEDDINGS_NORM_BIAS, &[hidden], TensorKind::Vector),
        ];
        for layer in 0..self.layers {
            for (suffix, out, input) in [
                (names::QUERY, hidden, hidden),
                (names::KEY, hidden, hidden),
                (names::VALUE, hidden, hidden),
                (names::ATTENTION_OUTPUT, hidden, hidden),
                (names::INTERMEDIATE, self.intermediate_size, hidden),
                (names::OUTPUT, hidden, self.intermediate_size),
            ] {
                specs.push(TensorSpec::new(&names::layer(layer, suffix, "weight"), &[out, input], TensorKind::Matrix));
                specs.push(TensorSpec::new(&names::layer(layer, suffix, "bias"), &[out], TensorKind::Vector));
            }
            for norm in [names::ATTENTION_NORM, names::OUTPUT_NORM] {
                for part in ["weight", "bias"] {
                    specs.push(TensorSpec::new(&names::layer(layer, norm, part), &[hidden], TensorKind::Vector));
                }
            }
        }
        specs
    }
}

/// What a tensor is for, which decides how each precision stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TensorKind {
    /// The word-embedding table: one row a piece of the vocabulary.
    WordEmbeddings,
    /// The position and token-type tables: small, read a row at a time.
    SmallTable,
    /// The weight of a linear layer, `[out, in]` as PyTorch stores it.
    Matrix,
    /// A bias, or a LayerNorm weight or bias: always kept in f32.
    Vector,
}

/// A tensor the forward pass reads: its name (as in model.safetensors), shape and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorSpec {
    /// The name, as Hugging Face's BertModel names it.
    pub name: String,
    /// The shape, outermost first.
    pub shape: Vec<usize>,
    /// What it is for.
    pub kind: TensorKind,
}

impl TensorSpec {
    fn new(name: &str, shape: &[usize], kind: TensorKind) -> Self {
        Self { name: name.to_owned(), shape: shape.to_vec(), kind }
    }

    /// The number of values, the product of the shape; `None` when it overflows a `usize`
    /// (a lying header can declare a table larger than a 32-bit address space).
    pub fn value_count(&self) -> Option<usize> {
        self.shape.iter().try_fold(1usize, |count, &size| count.checked_mul(size))
    }
}

/// The tensor names of Hugging Face's BertModel, as model.safetensors has them.
pub mod names {
    /// The word-embedding table.
    pub const WORD_EMBEDDINGS: &str = "embeddings.word_embeddings.weight";
    /// The position-embedding table.
    pub const POSITION_EMBEDDINGS: &str = "embeddings.position_embeddings.weight";
    /// The token-type-embedding table.
    pub const TOKEN_TYPE_EMBEDDINGS: &str = "embeddings.token_type_embeddings.weight";
    /// The weight of the LayerNorm after the embeddings.
    pub const EMBEDDINGS_NORM_WEIGHT: &str = "embeddings.LayerNorm.weight";
    /// The bias of the LayerNorm after the embeddings.
    pub const EMBEDDINGS_NORM_BIAS: &str = "embeddings.LayerNorm.bias";
    /// A layer's query projection.
    pub const QUERY: &str = "attention.self.query";
    /// A layer's key projection.
    pub const KEY: &str = "attention.self.key";
    /// A layer's value projection.
    pub const VALUE: &str = "attention.self.value";
    /// A layer's projection of the attention's output.
    pub const ATTENTION_OUTPUT: &str = "attention.output.dense";
    /// A layer's LayerNorm after attention.
    pub const ATTENTION_NORM: &str = "attention.output.LayerNorm";
    /// A layer's feed-forward expansion.
    pub const INTERMEDIATE: &str = "intermediate.dense";
    /// A layer's feed-forward contraction.
    pub const OUTPUT: &str = "output.dense";
    /// A layer's LayerNorm after the feed-forward layer.
    pub const OUTPUT_NORM: &str = "output.LayerNorm";

    /// The full name of a layer's tensor, such as `encoder.layer.0.attention.self.query.weight`.
    pub fn layer(layer: usize, module: &str, part: &str) -> String {
        format!("encoder.layer.{layer}.{module}.{part}")
    }
}
