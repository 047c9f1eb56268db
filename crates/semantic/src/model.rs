//! The BERT forward pass over a batch of token sequences: the weights dequantised to f32 and
//! packed for the kernels, then embeddings, the transformer layers, and mean pooling.
//!
//! Every token of every sequence of a batch is a row of one matrix, so that each linear layer
//! runs once for the whole batch with no padding; only attention works sequence by sequence.

use crate::asset::{Asset, Table, TensorView};
use crate::config::{names, ModelConfig};
use crate::kernels::{self, Linear};

/// A LayerNorm's weight and bias.
#[derive(Clone, Debug)]
struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

/// One transformer layer.
#[derive(Clone, Debug)]
struct Layer {
    /// The query, key and value projections as one linear layer of three times the hidden
    /// size: a token's row of its output holds its query, then its key, then its value.
    query_key_value: Linear,
    attention_output: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// The weights of a BERT encoder, ready to run.
#[derive(Clone, Debug)]
pub(crate) struct Model {
    config: ModelConfig,
    /// The word-embedding table, in the asset's precision: a batch reads a few of its rows.
    words: Table,
    /// Each position's embedding plus the embedding of token type 0 (every token is of
    /// sentence A), added once at load.
    positions: Vec<f32>,
    embeddings_norm: Norm,
    layers: Vec<Layer>,
}

/// The buffers of one forward pass, each sized for the batch's tokens.
struct Buffers {
    states: Vec<f32>,
    query_key_value: Vec<f32>,
    context: Vec<f32>,
    projected: Vec<f32>,
    intermediate: Vec<f32>,
    scores: Vec<f32>,
}

impl Model {
    /// Builds the model from a checked asset: every tensor the config lists is there, with its
    /// shape, so nothing here can fail.
    pub(crate) fn from_asset(asset: &Asset<'_>) -> Self {
        let config = asset.info().config;
        let hidden = config.hidden_size;
        let tensor = |name: &str| -> &TensorView<'_> {
            asset.tensor(name).unwrap_or_else(|| unreachable!("Asset::parse checked that {name} is there"))
        };
        let values = |name: &str| tensor(name).to_f32();
        let layer_values = |layer, module, part| values(&names::layer(layer, module, part));
        let norm = |weight: &str, bias: &str| Norm { weight: values(weight), bias: values(bias) };
        let linear = |layer, module, outputs, inputs| {
            Linear::new(&layer_values(layer, module, "weight"), layer_values(layer, module, "bias"), outputs, inputs)
        };

        let mut positions = values(names::POSITION_EMBEDDINGS);
        let token_type = values(names::TOKEN_TYPE_EMBEDDINGS);
        for position in positions.chunks_exact_mut(hidden) {
            kernels::add_in_place(position, &token_type[..hidden]);
        }
        let layers = (0..config.layers)
            .map(|layer| {
                let mut weight = layer_values(layer, names::QUERY, "weight");
                let mut bias = layer_values(layer, names::QUERY, "bias");
                for module in [names::KEY, names::VALUE] {
                    weight.extend(layer_values(layer, module, "weight"));
                    bias.extend(layer_values(layer, module, "bias"));
                }
                let norm_of = |module| Norm {
                    weight: layer_values(layer, module, "weight"),
                    bias: layer_values(layer, module, "bias"),
                };
                Layer {
                    query_key_value: Linear::new(&weight, bias, 3 * hidden, hidden),
                    attention_output: linear(layer, names::ATTENTION_OUTPUT, hidden, hidden),
                    attention_norm: norm_of(names::ATTENTION_NORM),
                    intermediate: linear(layer, names::INTERMEDIATE, config.intermediate_size, hidden),
                    output: linear(layer, names::OUTPUT, hidden, config.intermediate_size),
                    output_norm: norm_of(names::OUTPUT_NORM),
                }
            })
            .collect();
        Self {
            config,
            words: Table::from_view(tensor(names::WORD_EMBEDDINGS)),
            positions,
            embeddings_norm: norm(names::EMBEDDINGS_NORM_WEIGHT, names::EMBEDDINGS_NORM_BIAS),
            layers,
        }
    }

    /// The model's shape.
    pub(crate) fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// The mean-pooled, L2-normalised final states of each sequence. Every id is below the
    /// vocabulary size, and no sequence is empty or longer than the position table: the
    /// encoder's tokenizer makes sure of it.
    pub(crate) fn forward(&self, sequences: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let hidden = self.config.hidden_size;
        let tokens: usize = sequences.iter().map(Vec::len).sum();
        let longest = sequences.iter().map(Vec::len).max().unwrap_or(0);
        let mut buffers = Buffers {
            states: vec![0.0; tokens * hidden],
            query_key_value: vec![0.0; tokens * 3 * hidden],
            context: vec![0.0; tokens * hidden],
            projected: vec![0.0; tokens * hidden],
            intermediate: vec![0.0; tokens * self.config.intermediate_size],
            scores: vec![0.0; longest],
        };
        self.embed_tokens(sequences, &mut buffers.states);
        for layer in &self.layers {
            self.run_layer(layer, sequences, tokens, &mut buffers);
        }
        mean_pool(&buffers.states, sequences, hidden)
    }

    /// Each token's word embedding plus its position's, then LayerNorm.
    fn embed_tokens(&self, sequences: &[Vec<u32>], states: &mut [f32]) {
        let hidden = self.config.hidden_size;
        let mut rows = states.chunks_exact_mut(hidden);
        for sequence in sequences {
            for (position, (&id, row)) in sequence.iter().zip(&mut rows).enumerate() {
                row.copy_from_slice(&self.positions[position * hidden..(position + 1) * hidden]);
                self.words.add_row(id as usize, row);
            }
        }
        kernels::layer_norm(
            states,
            &self.embeddings_norm.weight,
            &self.embeddings_norm.bias,
            self.config.layer_norm_eps,
        );
    }

    /// One transformer layer: self-attention, then the feed-forward layer, each with its
    /// residual connection and LayerNorm (BERT's post-norm order).
    fn run_layer(&self, layer: &Layer, sequences: &[Vec<u32>], tokens: usize, buffers: &mut Buffers) {
        let epsilon = self.config.layer_norm_eps;
        layer.query_key_value.forward(&buffers.states, tokens, &mut buffers.query_key_value);
        self.attention(sequences, buffers);
        layer.attention_output.forward(&buffers.context, tokens, &mut buffers.projected);
        kernels::add_in_place(&mut buffers.projected, &buffers.states);
        kernels::layer_norm(&mut buffers.projected, &layer.attention_norm.weight, &layer.attention_norm.bias, epsilon);
        std::mem::swap(&mut buffers.states, &mut buffers.projected);

        layer.intermediate.forward(&buffers.states, tokens, &mut buffers.intermediate);
        kernels::gelu_in_place(&mut buffers.intermediate);
        layer.output.forward(&buffers.intermediate, tokens, &mut buffers.projected);
        kernels::add_in_place(&mut buffers.projected, &buffers.states);
        kernels::layer_norm(&mut buffers.projected, &layer.output_norm.weight, &layer.output_norm.bias, epsilon);
        std::mem::swap(&mut buffers.states, &mut buffers.projected);
    }

    /// Scaled dot-product attention of each head, within each sequence (no token attends to
    /// another sequence's): the context of a token is the average of its sequence's values,
    /// weighted by the softmax of its query's dot products with their keys.
    fn attention(&self, sequences: &[Vec<u32>], buffers: &mut Buffers) {
        let hidden = self.config.hidden_size;
        let head_size = self.config.head_size();
        let scale = 1.0 / (head_size as f32).sqrt();
        let stride = 3 * hidden;
        let qkv = &buffers.query_key_value;
        let mut first = 0;
        for sequence in sequences {
            let length = sequence.len();
            for head in 0..self.config.heads {
                let offset = head * head_size;
                for row in first..first + length {
                    let query = &qkv[row * stride + offset..][..head_size];
                    let scores = &mut buffers.scores[..length];
                    for (score, other) in scores.iter_mut().zip(first..) {
                        let key = &qkv[other * stride + hidden + offset..][..head_size];
                        *score = kernels::dot(query, key) * scale;
                    }
                    kernels::softmax_in_place(scores);
                    let context = &mut buffers.context[row * hidden + offset..][..head_size];
                    context.fill(0.0);
                    for (&weight, other) in scores.iter().zip(first..) {
                        let value = &qkv[other * stride + 2 * hidden + offset..][..head_size];
                        kernels::add_scaled(context, value, weight);
                    }
                }
            }
            first += length;
        }
    }
}

/// The mean of each sequence's token states (every token counts: there is no padding),
/// scaled to unit length.
fn mean_pool(states: &[f32], sequences: &[Vec<u32>], hidden: usize) -> Vec<Vec<f32>> {
    let mut rows = states.chunks_exact(hidden);
    sequences
        .iter()
        .map(|sequence| {
            let mut pooled = vec![0.0f32; hidden];
            for row in (&mut rows).take(sequence.len()) {
                kernels::add_in_place(&mut pooled, row);
            }
            let norm = kernels::dot(&pooled, &pooled).sqrt();
            if norm > 0.0 {
                pooled.iter_mut().for_each(|value| *value /= norm);
            }
            pooled
        })
        .collect()
}
