//! The linear layer of an int8 asset, in integer arithmetic: the weights stay the int8 values
//! the asset stores (widened to i16), each token's inputs are quantised to i16 with a scale of
//! their own, and products are summed in i32 by the "multiply pairs and add" instruction that
//! SSE2 (`pmaddwd`) and wasm's simd128 (`i32x4.dot_i16x8_s`) both have: eight multiplies and
//! adds in one instruction, where f32 needs four instructions for the same work (simd128 has
//! no fused multiply-add). That is what brings 300 questions under the browser's budget.
//!
//! The weights are packed in panels of [`PANEL_WIDTH`] outputs. For each pair of inputs
//! `(2p, 2p + 1)`, a panel holds, for each group of four outputs, the eight i16
//! `w[o][2p], w[o][2p+1]` for `o` in the group: one vector that multiplies a token's input pair
//! (splat to every lane) into four output sums.

/// The vectors of four i32 sums a micro-kernel keeps for each row.
const PANEL_VECTORS: usize = 2;

/// The outputs a micro-kernel computes at once: four for each vector.
const PANEL_WIDTH: usize = 4 * PANEL_VECTORS;

/// The i16 weights in a vector: a pair for each of four outputs.
const VECTOR_VALUES: usize = 8;

/// The tokens a micro-kernel computes at once: four rows of two sums are eight accumulators,
/// which leaves registers for the weights and inputs on x86's sixteen.
const ROW_BLOCK: usize = 4;

/// The i16 values of one pair of inputs in a panel: two for each output.
const PAIR_VALUES: usize = 2 * PANEL_WIDTH;

/// The largest magnitude an i16 input may have: 2¹⁵ - 1.
const I16_LIMIT: f32 = 32_767.0;

/// The largest magnitude of an int8 weight (quantisation is symmetric).
const INT8_LIMIT: f32 = 127.0;

/// A linear layer whose weight is int8 with a scale per output, packed for the integer
/// micro-kernel.
#[derive(Clone, Debug)]
pub(crate) struct QuantizedLinear {
    inputs: usize,
    /// The number of input pairs: an odd last input is paired with a zero.
    pairs: usize,
    outputs: usize,
    /// Panel after panel, each of `pairs` steps of two vectors (the low and the high four
    /// outputs), stored as vectors so that the micro-kernel loads each in one instruction.
    panels: Vec<lanes::Weights>,
    /// The scale of each output's weights, padded with zeros to whole panels.
    scales: Vec<f32>,
    bias: Vec<f32>,
    /// The largest magnitude an input is quantised to: as large as i16 allows, unless
    /// `inputs` products of it with 127 could overflow an i32 sum.
    input_limit: f32,
}

/// Inputs quantised to i16, a row per token, each row with its scale; kept between calls so
/// that a forward pass allocates it once. Each i32 holds a pair of inputs, the first in its
/// low half, as the micro-kernel splats them.
#[derive(Debug, Default)]
pub(crate) struct QuantizedInput {
    pairs: Vec<i32>,
    scales: Vec<f32>,
}

impl QuantizedLinear {
    /// Packs an int8 weight stored as PyTorch does, `[outputs, inputs]` row by row, with the
    /// scale of each row (output) and the bias.
    pub(crate) fn new(weight: &[i8], scales: &[f32], bias: Vec<f32>, outputs: usize, inputs: usize) -> Self {
        debug_assert_eq!(weight.len(), outputs * inputs);
        let pairs = inputs.div_ceil(2);
        let panel_count = outputs.div_ceil(PANEL_WIDTH);
        let mut panels = vec![0i16; panel_count * pairs * PAIR_VALUES];
        for (panel_index, panel) in panels.chunks_exact_mut(pairs * PAIR_VALUES).enumerate() {
            for (pair, values) in panel.chunks_exact_mut(PAIR_VALUES).enumerate() {
                for (slot, value) in values.iter_mut().enumerate() {
                    // Slot 2j + half holds output j of the panel, input 2·pair + half.
                    let output = panel_index * PANEL_WIDTH + slot / 2;
                    let input = 2 * pair + slot % 2;
                    if output < outputs && input < inputs {
                        *value = i16::from(weight[output * inputs + input]);
                    }
                }
            }
        }
        let mut padded_scales = scales.to_vec();
        padded_scales.resize(panel_count * PANEL_WIDTH, 0.0);
        let input_limit = I16_LIMIT.min(((i32::MAX as f32) / (INT8_LIMIT * (2 * pairs) as f32)).floor());
        let panels = panels.chunks_exact(VECTOR_VALUES).map(lanes::pack).collect();
        Self { inputs, pairs, outputs, panels, scales: padded_scales, bias, input_limit }
    }

    /// Computes `output = input · weightᵀ + bias` for `rows` rows, as [`super::Linear::forward`]
    /// does, with the inputs quantised into `scratch` first.
    pub(crate) fn forward(&self, input: &[f32], rows: usize, output: &mut [f32], scratch: &mut QuantizedInput) {
        self.quantise(&input[..rows * self.inputs], scratch);
        let output = &mut output[..rows * self.outputs];
        let block_pairs = self.pairs * ROW_BLOCK;
        let blocks = rows.div_ceil(ROW_BLOCK);
        let chunk_blocks = (super::INPUT_CHUNK_BYTES / (block_pairs * 4)).max(1);
        let mut chunk_start = 0;
        while chunk_start < blocks {
            let chunk_end = (chunk_start + chunk_blocks).min(blocks);
            for (panel_index, panel) in self.panels.chunks_exact(self.pairs * PANEL_VECTORS).enumerate() {
                let first_output = panel_index * PANEL_WIDTH;
                for block in chunk_start..chunk_end {
                    let sums = micro_kernel(&scratch.pairs[block * block_pairs..(block + 1) * block_pairs], panel);
                    let first_row = block * ROW_BLOCK;
                    let block_rows = ROW_BLOCK.min(rows - first_row);
                    self.store(&sums[..block_rows], &scratch.scales[first_row..], output, first_row, first_output);
                }
            }
            chunk_start = chunk_end;
        }
    }

    /// Quantises each row of inputs to i16 with a symmetric scale of its own, padding a row
    /// with a zero when the inputs are odd. Rows are stored in blocks of [`ROW_BLOCK`], pair
    /// by pair: the block's first row's pair, its second row's, and so on, so that the
    /// micro-kernel reads a block through one pointer; a last block that rows do not fill is
    /// padded with zeros.
    fn quantise(&self, input: &[f32], scratch: &mut QuantizedInput) {
        let rows = input.len() / self.inputs.max(1);
        scratch.pairs.clear();
        scratch.pairs.resize(rows.div_ceil(ROW_BLOCK) * ROW_BLOCK * self.pairs, 0);
        scratch.scales.clear();
        for (row_index, row) in input.chunks_exact(self.inputs).enumerate() {
            let largest = super::largest_magnitude(row);
            let scale = largest / self.input_limit;
            let inverse = if largest > 0.0 { self.input_limit / largest } else { 0.0 };
            // |value · inverse| ≤ the limit ≤ 32,767, so the conversion cannot saturate, and
            // the i16 fits the low 16 bits.
            let level = |value: f32| {
                let scaled = value * inverse;
                ((scaled + 0.5f32.copysign(scaled)) as i32 as u32) & 0xFFFF
            };
            let block_start = row_index / ROW_BLOCK * ROW_BLOCK * self.pairs + row_index % ROW_BLOCK;
            let slots = scratch.pairs[block_start..].iter_mut().step_by(ROW_BLOCK);
            for (slot, values) in slots.zip(row.chunks(2)) {
                let second = values.get(1).map_or(0, |&value| level(value));
                *slot = (level(values[0]) | (second << 16)) as i32;
            }
            scratch.scales.push(scale);
        }
    }

    /// Writes a block of sums as f32: each sum times its row's input scale and its output's
    /// weight scale, plus the bias; the padding outputs of a last panel are left out.
    #[inline(always)]
    fn store(
        &self,
        sums: &[[i32; PANEL_WIDTH]],
        row_scales: &[f32],
        output: &mut [f32],
        first_row: usize,
        first_output: usize,
    ) {
        let width = PANEL_WIDTH.min(self.outputs - first_output);
        let scales = &self.scales[first_output..first_output + width];
        let bias = &self.bias[first_output..first_output + width];
        for ((row_sums, &row_scale), row) in sums.iter().zip(row_scales).zip(first_row..) {
            let start = row * self.outputs + first_output;
            let out = &mut output[start..start + width];
            for (((out, &sum), &scale), &bias) in out.iter_mut().zip(row_sums).zip(scales).zip(bias) {
                *out = sum as f32 * (row_scale * scale) + bias;
            }
        }
    }
}

/// The i32 sums of a block of [`ROW_BLOCK`] rows × [`PANEL_WIDTH`] outputs over every input
/// pair. `block` holds the block's pairs as [`QuantizedLinear::quantise`] lays them out.
#[inline(always)]
fn micro_kernel(block: &[i32], panel: &[lanes::Weights]) -> [[i32; PANEL_WIDTH]; ROW_BLOCK] {
    let mut sums = [[lanes::zero(); PANEL_VECTORS]; ROW_BLOCK];
    for (inputs, weights) in block.chunks_exact(ROW_BLOCK).zip(panel.chunks_exact(PANEL_VECTORS)) {
        for (row_sums, &pair) in sums.iter_mut().zip(inputs) {
            let pair = lanes::splat_pair(pair);
            for (sum, &weights) in row_sums.iter_mut().zip(weights) {
                *sum = lanes::multiply_pairs_add(*sum, pair, weights);
            }
        }
    }
    std::array::from_fn(|row| {
        let mut out = [0; PANEL_WIDTH];
        for (out, &sum) in out.chunks_exact_mut(4).zip(&sums[row]) {
            out.copy_from_slice(&lanes::to_array(sum));
        }
        out
    })
}

/// Vectors of four i32 sums, with wasm's simd128 instructions.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{i16x8, i32x4_add, i32x4_dot_i16x8, i32x4_extract_lane, i32x4_splat, v128};

    pub(super) type Sums = v128;

    #[inline(always)]
    pub(super) fn zero() -> Sums {
        i32x4_splat(0)
    }

    /// Eight i16 weights as a vector.
    pub(super) type Weights = v128;

    /// Packs eight i16 weights (the slice has eight) into a vector, once, at load.
    pub(super) fn pack(w: &[i16]) -> Weights {
        i16x8(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
    }

    /// A pair of i16 inputs in every 32-bit lane (LLVM makes a `v128.load32_splat` of it).
    #[inline(always)]
    pub(super) fn splat_pair(pair: i32) -> v128 {
        i32x4_splat(pair)
    }

    /// Adds, in each lane, the two products of the inputs' pair with the lane's weight pair.
    #[inline(always)]
    pub(super) fn multiply_pairs_add(sums: Sums, inputs: v128, weights: v128) -> Sums {
        i32x4_add(sums, i32x4_dot_i16x8(inputs, weights))
    }

    #[inline(always)]
    pub(super) fn to_array(sums: Sums) -> [i32; 4] {
        [
            i32x4_extract_lane::<0>(sums),
            i32x4_extract_lane::<1>(sums),
            i32x4_extract_lane::<2>(sums),
            i32x4_extract_lane::<3>(sums),
        ]
    }
}

/// Vectors of four i32 sums, with SSE2, which is part of the x86-64 baseline: every x86-64
/// processor has it, and the module is only built when it is enabled. Rust still asks for
/// `unsafe` to call these intrinsics outside a `#[target_feature]` function; none of them
/// touches memory.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod lanes {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_madd_epi16, _mm_set1_epi32, _mm_setr_epi16, _mm_setzero_si128,
        _mm_shuffle_epi32,
    };

    pub(super) type Sums = __m128i;

    #[inline(always)]
    pub(super) fn zero() -> Sums {
        // SAFETY: SSE2 is enabled (see the module); the intrinsic only sets a register.
        unsafe { _mm_setzero_si128() }
    }

    /// Eight i16 weights as a vector.
    pub(super) type Weights = __m128i;

    /// Packs eight i16 weights (the slice has eight) into a vector, once, at load.
    pub(super) fn pack(w: &[i16]) -> Weights {
        // SAFETY: SSE2 is enabled (see the module); the intrinsic takes values, not a pointer.
        unsafe { _mm_setr_epi16(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]) }
    }

    /// A pair of i16 inputs in every 32-bit lane.
    #[inline(always)]
    pub(super) fn splat_pair(pair: i32) -> __m128i {
        // SAFETY: SSE2 is enabled (see the module); the intrinsic takes a value.
        unsafe { _mm_set1_epi32(pair) }
    }

    /// Adds, in each lane, the two products of the inputs' pair with the lane's weight pair.
    #[inline(always)]
    pub(super) fn multiply_pairs_add(sums: Sums, inputs: __m128i, weights: __m128i) -> Sums {
        // SAFETY: SSE2 is enabled (see the module); the intrinsics work on registers.
        unsafe { _mm_add_epi32(sums, _mm_madd_epi16(inputs, weights)) }
    }

    #[inline(always)]
    pub(super) fn to_array(sums: Sums) -> [i32; 4] {
        // SAFETY: SSE2 is enabled (see the module); the intrinsics work on registers.
        unsafe {
            [
                _mm_cvtsi128_si32(sums),
                _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b01>(sums)),
                _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b10>(sums)),
                _mm_cvtsi128_si32(_mm_shuffle_epi32::<0b11>(sums)),
            ]
        }
    }
}

/// Four i32 sums in plain Rust, for every other target (and wasm without simd128).
#[cfg(not(any(
    all(target_arch = "x86_64", target_feature = "sse2"),
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
mod lanes {
    pub(super) type Sums = [i32; 4];

    #[inline(always)]
    pub(super) fn zero() -> Sums {
        [0; 4]
    }

    /// Eight i16 weights.
    pub(super) type Weights = [i16; 8];

    /// Packs eight i16 weights (the slice has eight), once, at load.
    pub(super) fn pack(weights: &[i16]) -> Weights {
        std::array::from_fn(|index| weights[index])
    }

    #[inline(always)]
    pub(super) fn splat_pair(pair: i32) -> [i16; 2] {
        [pair as i16, (pair >> 16) as i16]
    }

    #[inline(always)]
    pub(super) fn multiply_pairs_add(mut sums: Sums, inputs: [i16; 2], weights: [i16; 8]) -> Sums {
        for (lane, sum) in sums.iter_mut().enumerate() {
            let products = i32::from(inputs[0]) * i32::from(weights[2 * lane])
                + i32::from(inputs[1]) * i32::from(weights[2 * lane + 1]);
            *sum = sum.wrapping_add(products);
        }
        sums
    }

    #[inline(always)]
    pub(super) fn to_array(sums: Sums) -> [i32; 4] {
        sums
    }
}
