//! The linear layer of an int8 asset, in integer arithmetic: the weights stay the int8 values
//! the asset stores (widened to i16), each token's inputs are quantised to i16 with a scale of
//! their own, and products are summed in i32 by the "multiply pairs and add" instruction that
//! SSE2 (`pmaddwd`) and wasm's simd128 (`i32x4.dot_i16x8_s`) both have: eight multiplies and
//! adds in one instruction, where f32 needs four instructions for the same work (simd128 has
//! no fused multiply-add). It runs about twice as fast as the f32 kernel.
//!
//! The weights are packed in panels of [`PANEL_WIDTH`] outputs. For each pair of inputs
//! `(2p, 2p + 1)`, a panel holds, for each group of four outputs, the eight i16
//! `w[o][2p], w[o][2p+1]` for `o` in the group: one vector that multiplies a token's input pair
//! (splat to every lane) into four output sums. The inputs are laid out in blocks of
//! [`ROW_BLOCK`] tokens, so that one step holds the pair `p` of each of a block's tokens;
//! the micro-kernel splats each of them to every lane. Its loop, as V8 compiles it, keeps
//! every sum in registers: 6 loads (4 of them broadcasts), 8 multiply-pairs-and-adds and 8
//! adds for 64 multiplications. The multiply-pairs-and-adds are the bottleneck: on this
//! machine's processor (AMD EPYC) the loop runs at about 85% of their throughput.

/// The vectors of four i32 sums a micro-kernel keeps for each row.
const PANEL_VECTORS: usize = 2;

/// The outputs a micro-kernel computes at once: four for each vector.
const PANEL_WIDTH: usize = 4 * PANEL_VECTORS;

/// The i16 weights in a vector: a pair for each of four outputs.
const VECTOR_VALUES: usize = 8;

/// The tokens a micro-kernel computes at once: four rows of two sums are eight accumulators,
/// which with the inputs, weights and temporaries make thirteen of the fifteen vector
/// registers that V8 leaves to wasm code on x86 (more accumulators, six rows or twelve
/// outputs, made it spill and run slower).
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
    panels: Vec<lanes::Vector>,
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
    /// The same pairs as the micro-kernel reads them: the pairs of a block's four tokens for
    /// one input pair, in one step.
    steps: Vec<lanes::Step>,
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
                    let sums = micro_kernel(&scratch.steps[block * self.pairs..(block + 1) * self.pairs], panel);
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
            let block_start = row_index / ROW_BLOCK * ROW_BLOCK * self.pairs + row_index % ROW_BLOCK;
            lanes::quantise_pairs(row, inverse, &mut scratch.pairs[block_start..]);
            scratch.scales.push(scale);
        }
        scratch.steps.clear();
        scratch.steps.extend(scratch.pairs.chunks_exact(ROW_BLOCK).map(lanes::step));
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

/// Two values within i16's range in one i32, the first in the low half.
fn pack_pair(first: i32, second: i32) -> i32 {
    ((first as u32 & 0xFFFF) | ((second as u32) << 16)) as i32
}

/// A value times `inverse`, rounded half away from zero. |value · inverse| ≤ the input limit
/// ≤ 32,767, so the conversion cannot saturate.
#[inline(always)]
fn level(value: f32, inverse: f32) -> i32 {
    let scaled = value * inverse;
    (scaled + 0.5f32.copysign(scaled)) as i32
}

/// Quantises a row two values to a pair (an odd last value is paired with zero), writing pair
/// `p` to `slots[p · ROW_BLOCK]`, where [`QuantizedLinear::quantise`] lays it out.
#[cfg_attr(all(target_arch = "wasm32", target_feature = "simd128"), allow(dead_code))]
fn quantise_pairs_one_by_one(row: &[f32], inverse: f32, slots: &mut [i32]) {
    for (slot, values) in slots.iter_mut().step_by(ROW_BLOCK).zip(row.chunks(2)) {
        *slot = pack_pair(level(values[0], inverse), values.get(1).map_or(0, |&value| level(value, inverse)));
    }
}

/// The i32 sums of a block of [`ROW_BLOCK`] rows × [`PANEL_WIDTH`] outputs over every input
/// pair. `block` holds the block's pairs as [`QuantizedLinear::quantise`] lays them out.
#[inline(always)]
fn micro_kernel(block: &[lanes::Step], panel: &[lanes::Vector]) -> [[i32; PANEL_WIDTH]; ROW_BLOCK] {
    let mut sums = [[lanes::zero(); PANEL_VECTORS]; ROW_BLOCK];
    for (inputs, weights) in block.iter().zip(panel.chunks_exact(PANEL_VECTORS)) {
        for (row_sums, pair) in sums.iter_mut().zip(lanes::splat_pairs(inputs)) {
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

/// Vectors of eight i16 (four pairs) and of four i32 sums, with wasm's simd128 instructions.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{
        f32x4_add, f32x4_mul, f32x4_splat, i16x8, i16x8_narrow_i32x4, i32x4_add, i32x4_dot_i16x8, i32x4_extract_lane,
        i32x4_splat, i32x4_trunc_sat_f32x4, v128, v128_and, v128_load, v128_or,
    };

    /// Eight i16: four pairs, or a pair for each of four outputs.
    pub(super) type Vector = v128;
    /// Four i32 sums.
    pub(super) type Sums = v128;

    #[inline(always)]
    pub(super) fn zero() -> Sums {
        i32x4_splat(0)
    }

    /// Packs eight i16 weights (the slice has eight) into a vector, once, at load.
    pub(super) fn pack(w: &[i16]) -> Vector {
        i16x8(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
    }

    /// One input pair of a block's four tokens: the pairs as they are, each an i32, which
    /// the micro-kernel splats straight from memory.
    pub(super) type Step = [i32; 4];

    /// Four pairs (the slice has four) as a step.
    #[inline(always)]
    pub(super) fn step(pairs: &[i32]) -> Step {
        [pairs[0], pairs[1], pairs[2], pairs[3]]
    }

    /// Each of a step's four pairs in every lane of a vector of its own. Each splat of a value
    /// in memory compiles to `v128.load32_splat`, which V8 turns into a broadcast load: it
    /// takes a load port, where a shuffle of a register would take one of the few ports that
    /// also multiply and add.
    #[inline(always)]
    pub(super) fn splat_pairs(pairs: &Step) -> [Vector; 4] {
        [i32x4_splat(pairs[0]), i32x4_splat(pairs[1]), i32x4_splat(pairs[2]), i32x4_splat(pairs[3])]
    }

    /// Adds, in each lane, the two products of the splat pair with the lane's pair.
    #[inline(always)]
    pub(super) fn multiply_pairs_add(sums: Sums, pair: Vector, weights: Vector) -> Sums {
        i32x4_add(sums, i32x4_dot_i16x8(pair, weights))
    }

    /// [`super::quantise_pairs_one_by_one`], eight values at a time: the same products, the
    /// same rounding (half away from zero, as a sign-matched 0.5 added and the sum truncated)
    /// and so the same pairs, which `i16x8.narrow_i32x4_s` packs as the micro-kernel reads them.
    pub(super) fn quantise_pairs(row: &[f32], inverse: f32, slots: &mut [i32]) {
        let (factor, half, sign) = (f32x4_splat(inverse), f32x4_splat(0.5), f32x4_splat(-0.0));
        let level = |values: v128| {
            let scaled = f32x4_mul(values, factor);
            i32x4_trunc_sat_f32x4(f32x4_add(scaled, v128_or(half, v128_and(scaled, sign))))
        };
        let mut chunks = row.chunks_exact(8);
        let mut pair = 0;
        for chunk in &mut chunks {
            // SAFETY: the chunk holds eight f32, the 32 bytes the two loads read; wasm's
            // `v128.load` needs no alignment.
            let (low, high) = unsafe {
                let values = chunk.as_ptr().cast::<v128>();
                (v128_load(values), v128_load(values.add(1)))
            };
            let pairs = i16x8_narrow_i32x4(level(low), level(high));
            slots[pair * super::ROW_BLOCK] = i32x4_extract_lane::<0>(pairs);
            slots[(pair + 1) * super::ROW_BLOCK] = i32x4_extract_lane::<1>(pairs);
            slots[(pair + 2) * super::ROW_BLOCK] = i32x4_extract_lane::<2>(pairs);
            slots[(pair + 3) * super::ROW_BLOCK] = i32x4_extract_lane::<3>(pairs);
            pair += 4;
        }
        if !chunks.remainder().is_empty() {
            super::quantise_pairs_one_by_one(chunks.remainder(), inverse, &mut slots[pair * super::ROW_BLOCK..]);
        }
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

/// Vectors of eight i16 (four pairs) and of four i32 sums, with SSE2, which is part of the
/// x86-64 baseline: every x86-64 processor has it, and the module is only built when it is
/// enabled. Rust still asks for `unsafe` to call these intrinsics outside a
/// `#[target_feature]` function; none of them touches memory.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod lanes {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_madd_epi16, _mm_setr_epi16, _mm_setr_epi32, _mm_setzero_si128,
        _mm_shuffle_epi32,
    };

    /// Eight i16: four pairs, or a pair for each of four outputs.
    pub(super) type Vector = __m128i;
    /// Four i32 sums.
    pub(super) type Sums = __m128i;

    #[inline(always)]
    pub(super) fn zero() -> Sums {
        // SAFETY: SSE2 is enabled (see the module); the intrinsic only sets a register.
        unsafe { _mm_setzero_si128() }
    }

    /// Packs eight i16 weights (the slice has eight) into a vector, once, at load.
    pub(super) fn pack(w: &[i16]) -> Vector {
        // SAFETY: SSE2 is enabled (see the module); the intrinsic takes values, not a pointer.
        unsafe { _mm_setr_epi16(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]) }
    }

    /// One input pair of a block's four tokens, in one vector, which the micro-kernel
    /// shuffles: SSE2 has no broadcast load.
    pub(super) type Step = __m128i;

    /// Four pairs, each an i32 (the slice has four), as a vector.
    #[inline(always)]
    pub(super) fn step(pairs: &[i32]) -> Step {
        // SAFETY: SSE2 is enabled (see the module); the intrinsic takes values, not a pointer.
        unsafe { _mm_setr_epi32(pairs[0], pairs[1], pairs[2], pairs[3]) }
    }

    /// Quantises a row one value at a time: see [`super::quantise_pairs_one_by_one`].
    pub(super) fn quantise_pairs(row: &[f32], inverse: f32, slots: &mut [i32]) {
        super::quantise_pairs_one_by_one(row, inverse, slots);
    }

    /// Each of a step's four pairs in every lane of a vector of its own.
    #[inline(always)]
    pub(super) fn splat_pairs(&pairs: &Step) -> [Vector; 4] {
        // SAFETY: SSE2 is enabled (see the module); the intrinsics work on registers.
        unsafe {
            [
                _mm_shuffle_epi32::<0b00_00_00_00>(pairs),
                _mm_shuffle_epi32::<0b01_01_01_01>(pairs),
                _mm_shuffle_epi32::<0b10_10_10_10>(pairs),
                _mm_shuffle_epi32::<0b11_11_11_11>(pairs),
            ]
        }
    }

    /// Adds, in each lane, the two products of the splat pair with the lane's pair.
    #[inline(always)]
    pub(super) fn multiply_pairs_add(sums: Sums, pair: Vector, weights: Vector) -> Sums {
        // SAFETY: SSE2 is enabled (see the module); the intrinsics work on registers.
        unsafe { _mm_add_epi32(sums, _mm_madd_epi16(pair, weights)) }
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

/// The same in plain Rust, for every other target (and wasm without simd128); the tests run it
/// natively too, against the vector versions.
#[cfg_attr(
    any(all(target_arch = "x86_64", target_feature = "sse2"), all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
pub(super) mod portable {
    /// Eight i16: four pairs, or a pair for each of four outputs.
    pub(crate) type Vector = [i16; 8];
    /// Four i32 sums.
    pub(crate) type Sums = [i32; 4];

    #[inline(always)]
    pub(crate) fn zero() -> Sums {
        [0; 4]
    }

    /// Takes eight i16 weights (the slice has eight), once, at load.
    pub(crate) fn pack(weights: &[i16]) -> Vector {
        std::array::from_fn(|index| weights[index])
    }

    /// One input pair of a block's four tokens, as eight i16.
    pub(crate) type Step = [i16; 8];

    /// Four pairs, each an i32 (the slice has four), as eight i16.
    #[inline(always)]
    pub(crate) fn step(pairs: &[i32]) -> Step {
        std::array::from_fn(|index| (pairs[index / 2] >> (16 * (index % 2))) as i16)
    }

    /// Quantises a row one value at a time: see [`super::quantise_pairs_one_by_one`].
    pub(crate) fn quantise_pairs(row: &[f32], inverse: f32, slots: &mut [i32]) {
        super::quantise_pairs_one_by_one(row, inverse, slots);
    }

    /// Each of a step's four pairs in every lane of a vector of its own.
    #[inline(always)]
    pub(crate) fn splat_pairs(&pairs: &Step) -> [Vector; 4] {
        std::array::from_fn(|pair| std::array::from_fn(|index| pairs[2 * pair + index % 2]))
    }

    /// Adds, in each lane, the two products of the splat pair with the lane's pair.
    #[inline(always)]
    pub(crate) fn multiply_pairs_add(mut sums: Sums, pair: Vector, weights: Vector) -> Sums {
        for (lane, sum) in sums.iter_mut().enumerate() {
            let products = i32::from(pair[2 * lane]) * i32::from(weights[2 * lane])
                + i32::from(pair[2 * lane + 1]) * i32::from(weights[2 * lane + 1]);
            *sum = sum.wrapping_add(products);
        }
        sums
    }

    #[inline(always)]
    pub(crate) fn to_array(sums: Sums) -> [i32; 4] {
        sums
    }
}

#[cfg(not(any(
    all(target_arch = "x86_64", target_feature = "sse2"),
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
use portable as lanes;

#[cfg(test)]
mod tests {
    use super::{lanes, portable};

    /// The vector instructions of this target and the plain Rust agree, lane by lane.
    #[test]
    fn portable_lanes_agree_with_the_vector_lanes() {
        let weights: Vec<i16> = (0..8).map(|index| (index * 9_000 - 31_000) as i16).collect();
        let pairs = [
            super::pack_pair(-32_767, 32_767),
            super::pack_pair(5, -7),
            super::pack_pair(-1, 0),
            super::pack_pair(30_000, -12),
        ];
        let expected_step = portable::step(&pairs);
        let (packed, expected_packed) = (lanes::pack(&weights), portable::pack(&weights));
        let splats = lanes::splat_pairs(&lanes::step(&pairs));
        let expected_splats = portable::splat_pairs(&expected_step);
        for (splat, expected_splat) in splats.into_iter().zip(expected_splats) {
            let sums =
                lanes::multiply_pairs_add(lanes::multiply_pairs_add(lanes::zero(), splat, packed), splat, packed);
            let expected = portable::multiply_pairs_add(
                portable::multiply_pairs_add(portable::zero(), expected_splat, expected_packed),
                expected_splat,
                expected_packed,
            );
            assert_eq!(lanes::to_array(sums), portable::to_array(expected));
        }
    }
}
