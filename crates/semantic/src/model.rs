//! The BERT forward pass over a batch of token sequences: the weights dequantised to f32 and
//! packed for the kernels, then embeddings, the transformer layers, and mean pooling.
//!
//! Every token of every sequence of a batch is a row of one matrix, so that each linear layer
//! runs once for the whole batch with no padding; only attention works sequence by sequence.
//!
//! The arithmetic follows the asset's precision: the linear layers of an int8 asset multiply
//! its int8 weights in integer arithmetic (see `kernels/quantized.rs`), about twice as fast;
//! those of an f16 or f32 asset are dequantised to f32 at load and multiply in f32.

use crate::asset::{Asset, Table, TensorView};
use crate::config::{names, ModelConfig};
use crate::kernels::{self, Linear, QuantizedInput, QuantizedLinear};

/// A linear layer in the arithmetic its weights were stored for.
#[derive(Clone, Debug)]
enum Dense {
    /// f32 weights, f32 arithmetic.
    Float(Linear),
    /// int8 weights, integer arithmetic on inputs quantised to i16.
    Integer(QuantizedLinear),
}

impl Dense {
    /// A linear layer from the weights of one or more layers of the same input width, stacked
    /// output after output (how query, key and value become one layer), and their biases.
    fn stacked(weights: &[&TensorView<'_>], bias: Vec<f32>, inputs: usize) -> Self {
        let outputs = bias.len();
        let integer: Option<Vec<(Vec<i8>, Vec<f32>)>> = weights.iter().map(|weight| weight.to_int8()).collect();
        match integer {
            Some(parts) => {
                let (values, scales): (Vec<i8>, Vec<f32>) = parts.into_iter().fold(
                    (Vec::new(), Vec::new()),
                    |(mut values, mut scales), (more_values, more_scales)| {
                        values.extend(more_values);
                        scales.extend(more_scales);
                        (values, scales)
                    },
                );
                Dense::Integer(QuantizedLinear::new(&values, &scales, bias, outputs, inputs))
            }
            None => {
                let values: Vec<f32> = weights.iter().flat_map(|weight| weight.to_f32()).collect();
                Dense::Float(Linear::new(&values, bias, outputs, inputs))
            }
        }
    }

    fn forward(&self, input: &[f32], rows: usize, output: &mut [f32], scratch: &mut QuantizedInput) {
        match self {
            Dense::Float(linear) => linear.forward(input, rows, output),
            Dense::Integer(linear) => linear.forward(input, rows, output, scratch),
        }
    }
}

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
    query_key_value: Dense,
    attention_output: Dense,
    attention_norm: Norm,
    intermediate: Dense,
    output: Dense,
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
    /// One head's keys of one sequence, transposed: a row for each index of the head.
    keys: Vec<f32>,
    /// One head's scores (then probabilities) of one sequence: a row for each query.
    scores: Vec<f32>,
    quantized: QuantizedInput,
}

impl Model {
    /// Builds the model from a checked asset: every tensor the config lists is there, with its
    /// shape, so nothing here can fail.
    pub(crate) fn from_asset(asset: &Asset<'_>) -> Self {
        let config = asset.info().config;
        let hidden = config.hidden_size;
        let values = |name: &str| tensor(asset, name).to_f32();
        let layer_tensor = |layer, module: &str, part: &str| tensor(asset, &names::layer(layer, module, part));
        let layer_values = |layer, module: &str, part: &str| layer_tensor(layer, module, part).to_f32();
        let norm = |weight: &str, bias: &str| Norm { weight: values(weight), bias: values(bias) };
        let dense = |layer, modules: &[&str], inputs| {
            let weights: Vec<&TensorView<'_>> =
                modules.iter().map(|module| layer_tensor(layer, module, "weight")).collect();
            let bias = modules.iter().flat_map(|module| layer_values(layer, module, "bias")).collect();
            Dense::stacked(&weights, bias, inputs)
        };

        let mut positions = values(names::POSITION_EMBEDDINGS);
        let token_type = values(names::TOKEN_TYPE_EMBEDDINGS);
        for position in positions.chunks_exact_mut(hidden) {
            kernels::add_in_place(position, &token_type[..hidden]);
        }
        let layers = (0..config.layers)
            .map(|layer| {
                let norm_of = |module| Norm {
                    weight: layer_values(layer, module, "weight"),
                    bias: layer_values(layer, module, "bias"),
                };
                Layer {
                    query_key_value: dense(layer, &[names::QUERY, names::KEY, names::VALUE], hidden),
                    attention_output: dense(layer, &[names::ATTENTION_OUTPUT], hidden),
                    attention_norm: norm_of(names::ATTENTION_NORM),
                    intermediate: dense(layer, &[names::INTERMEDIATE], hidden),
                    output: dense(layer, &[names::OUTPUT], config.intermediate_size),
                    output_norm: norm_of(names::OUTPUT_NORM),
                }
            })
            .collect();
        Self {
            config,
            words: Table::from_view(tensor(asset, names::WORD_EMBEDDINGS)),
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
            keys: vec![0.0; self.config.head_size() * longest.next_multiple_of(kernels::PANEL_WIDTH)],
            scores: vec![0.0; longest * longest.next_multiple_of(kernels::PANEL_WIDTH)],
            quantized: QuantizedInput::default(),
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
        let scratch = &mut buffers.quantized;
        layer.query_key_value.forward(&buffers.states, tokens, &mut buffers.query_key_value, scratch);
        self.attention(sequences, buffers);
        layer.attention_output.forward(&buffers.context, tokens, &mut buffers.projected, &mut buffers.quantized);
        kernels::add_in_place(&mut buffers.projected, &buffers.states);
        kernels::layer_norm(&mut buffers.projected, &layer.attention_norm.weight, &layer.attention_norm.bias, epsilon);
        std::mem::swap(&mut buffers.states, &mut buffers.projected);

        layer.intermediate.forward(&buffers.states, tokens, &mut buffers.intermediate, &mut buffers.quantized);
        kernels::gelu_in_place(&mut buffers.intermediate);
        layer.output.forward(&buffers.intermediate, tokens, &mut buffers.projected, &mut buffers.quantized);
        kernels::add_in_place(&mut buffers.projected, &buffers.states);
        kernels::layer_norm(&mut buffers.projected, &layer.output_norm.weight, &layer.output_norm.bias, epsilon);
        std::mem::swap(&mut buffers.states, &mut buffers.projected);
    }

    /// Scaled dot-product attention of each head, within each sequence (no token attends to
    /// another sequence's): the context of a token is the average of its sequence's values,
    /// weighted by the softmax of its query's dot products with their keys. Both products are
    /// small matrix products: the queries by the keys (transposed into a buffer, its rows
    /// padded to whole panels), then the probabilities by the values.
    fn attention(&self, sequences: &[Vec<u32>], buffers: &mut Buffers) {
        let hidden = self.config.hidden_size;
        let head_size = self.config.head_size();
        let scale = 1.0 / (head_size as f32).sqrt();
        let stride = 3 * hidden;
        let qkv = &buffers.query_key_value;
        let mut first = 0;
        for sequence in sequences {
            let length = sequence.len();
            let padded = length.next_multiple_of(kernels::PANEL_WIDTH);
            let keys = &mut buffers.keys[..head_size * padded];
            let scores = &mut buffers.scores[..length * padded];
            for head in 0..self.config.heads {
                let offset = head * head_size;
                keys.fill(0.0);
                for (position, row) in (first..first + length).enumerate() {
                    let key = &qkv[row * stride + hidden + offset..][..head_size];
                    for (index, &value) in key.iter().enumerate() {
                        keys[index * padded + position] = value;
                    }
                }
                let queries = kernels::Strided { values: &qkv[first * stride + offset..], stride };
                let shape = kernels::Shape { rows: length, inner: head_size, columns: padded };
                kernels::small_matmul(
                    queries,
                    kernels::Strided { values: keys, stride: padded },
                    scores,
                    padded,
                    shape,
                );
                for row in scores.chunks_exact_mut(padded) {
                    let row = &mut row[..length];
                    row.iter_mut().for_each(|score| *score *= scale);
                    kernels::softmax_in_place(row);
                }
                let probabilities = kernels::Strided { values: scores, stride: padded };
                let values = kernels::Strided { values: &qkv[first * stride + 2 * hidden + offset..], stride };
                let context = &mut buffers.context[first * hidden + offset..];
                let shape = kernels::Shape { rows: length, inner: length, columns: head_size };
                kernels::small_matmul(probabilities, values, context, hidden, shape);
            }
            first += length;
        }
    }
}

/// A tensor of a checked asset, which has every tensor its config lists.
fn tensor<'s, 'a>(asset: &'s Asset<'a>, name: &str) -> &'s TensorView<'a> {
    asset.tensor(name).unwrap_or_else(|| unreachable!("Asset::parse checked that {name} is there"))
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
