//! The numeric kernels of the forward pass: the linear layer (nearly all of the work), and
//! LayerNorm, GELU, softmax and dot products.
//!
//! The linear layer computes `output = input · weightᵀ + bias` for every token of a batch at
//! once. Its weight is stored in panels of [`PANEL_WIDTH`] output columns: for each input
//! index, the panel's [`PANEL_WIDTH`] weights sit side by side, so that the inner loop reads
//! the weights in one contiguous stream. A micro-kernel keeps a block of [`ROW_BLOCK`] tokens ×
//! [`PANEL_WIDTH`] outputs in registers while it walks the input; written with fixed-size
//! arrays, LLVM turns it into vector multiplies and adds natively and for wasm's simd128.
//! An int8 asset's layers run in integer arithmetic instead: see [`quantized`].

mod quantized;

pub(crate) use quantized::{QuantizedInput, QuantizedLinear};

/// The output columns a micro-kernel computes at once: two vectors of four f32 lanes, which is
/// what SSE and wasm's simd128 hold in two registers.
pub(crate) const PANEL_WIDTH: usize = 8;

/// The tokens a micro-kernel computes at once. Four rows of two vectors are eight
/// accumulators, which leaves registers for the weights and the broadcast inputs on x86's
/// sixteen vector registers (where a browser's wasm runs most often).
const ROW_BLOCK: usize = 4;

/// The bytes of input rows a linear layer works through before it moves to the next panel of
/// weights: the rows stay in the core's L2 cache while every panel passes over them.
const INPUT_CHUNK_BYTES: usize = 192 * 1024;

/// A linear layer with its weight packed in panels, ready for [`Linear::forward`].
#[derive(Clone, Debug)]
pub(crate) struct Linear {
    inputs: usize,
    outputs: usize,
    /// Panel after panel; within a panel, input index after input index, each with
    /// [`PANEL_WIDTH`] weights. A last panel that outputs do not fill is padded with zeros.
    panels: Vec<f32>,
    bias: Vec<f32>,
}

impl Linear {
    /// Packs a weight stored as PyTorch does, `[outputs, inputs]` row by row, with its bias.
    pub(crate) fn new(weight: &[f32], bias: Vec<f32>, outputs: usize, inputs: usize) -> Self {
        debug_assert_eq!(weight.len(), outputs * inputs);
        debug_assert_eq!(bias.len(), outputs);
        let panel_count = outputs.div_ceil(PANEL_WIDTH);
        let mut panels = vec![0.0; panel_count * inputs * PANEL_WIDTH];
        for (panel_index, panel) in panels.chunks_exact_mut(inputs * PANEL_WIDTH).enumerate() {
            for (input, lanes) in panel.chunks_exact_mut(PANEL_WIDTH).enumerate() {
                for (lane, value) in lanes.iter_mut().enumerate() {
                    let output = panel_index * PANEL_WIDTH + lane;
                    if output < outputs {
                        *value = weight[output * inputs + input];
                    }
                }
            }
        }
        Self { inputs, outputs, panels, bias }
    }

    /// Computes `output = input · weightᵀ + bias` for `rows` rows: `input` holds
    /// `rows × inputs` values and `output` `rows × outputs`, row by row.
    pub(crate) fn forward(&self, input: &[f32], rows: usize, output: &mut [f32]) {
        let (inputs, outputs) = (self.inputs, self.outputs);
        let input = &input[..rows * inputs];
        let output = &mut output[..rows * outputs];
        let chunk_rows = (INPUT_CHUNK_BYTES / (inputs * 4)).max(ROW_BLOCK) / ROW_BLOCK * ROW_BLOCK;
        let mut chunk_start = 0;
        while chunk_start < rows {
            let chunk_end = (chunk_start + chunk_rows).min(rows);
            for (panel_index, panel) in self.panels.chunks_exact(inputs * PANEL_WIDTH).enumerate() {
                let first_output = panel_index * PANEL_WIDTH;
                let width = PANEL_WIDTH.min(outputs - first_output);
                let mut bias = [0.0; PANEL_WIDTH];
                bias[..width].copy_from_slice(&self.bias[first_output..first_output + width]);
                let mut row = chunk_start;
                while row + ROW_BLOCK <= chunk_end {
                    let block = micro_kernel::<ROW_BLOCK>(&input[row * inputs..], inputs, panel, &bias);
                    store(&block, output, row, outputs, first_output, width);
                    row += ROW_BLOCK;
                }
                // The last rows of a chunk, fewer than a block.
                match chunk_end - row {
                    3 => store(
                        &micro_kernel::<3>(&input[row * inputs..], inputs, panel, &bias),
                        output,
                        row,
                        outputs,
                        first_output,
                        width,
                    ),
                    2 => store(
                        &micro_kernel::<2>(&input[row * inputs..], inputs, panel, &bias),
                        output,
                        row,
                        outputs,
                        first_output,
                        width,
                    ),
                    1 => store(
                        &micro_kernel::<1>(&input[row * inputs..], inputs, panel, &bias),
                        output,
                        row,
                        outputs,
                        first_output,
                        width,
                    ),
                    _ => {}
                }
            }
            chunk_start = chunk_end;
        }
    }
}

/// Computes a block of `ROWS` rows × [`PANEL_WIDTH`] outputs: the bias plus, for each input
/// index, each row's input times the panel's weights. `input` starts at the block's first row.
#[inline(always)]
fn micro_kernel<const ROWS: usize>(
    input: &[f32],
    inputs: usize,
    panel: &[f32],
    bias: &[f32; PANEL_WIDTH],
) -> [[f32; PANEL_WIDTH]; ROWS] {
    let rows: [&[f32]; ROWS] = std::array::from_fn(|row| &input[row * inputs..(row + 1) * inputs]);
    let panel = &panel[..inputs * PANEL_WIDTH];
    let mut sums = [*bias; ROWS];
    for (index, weights) in panel.chunks_exact(PANEL_WIDTH).enumerate() {
        for (sum, row) in sums.iter_mut().zip(rows) {
            let value = row[index];
            for (sum, weight) in sum.iter_mut().zip(weights) {
                *sum += value * weight;
            }
        }
    }
    sums
}

/// Writes a computed block into the output rows, leaving out the padding columns of a last
/// panel.
#[inline(always)]
fn store<const ROWS: usize>(
    block: &[[f32; PANEL_WIDTH]; ROWS],
    output: &mut [f32],
    first_row: usize,
    outputs: usize,
    first_output: usize,
    width: usize,
) {
    for (offset, sums) in block.iter().enumerate() {
        let start = (first_row + offset) * outputs + first_output;
        output[start..start + width].copy_from_slice(&sums[..width]);
    }
}

/// A product of small matrices given by their strides, for attention:
/// `output[r][c] = Σᵢ left[r][i] · right[i][c]` for `r < rows`, `i < inner`, `c < columns`,
/// where row `r` of `left` starts at `r · left_stride`, row `i` of `right` at
/// `i · right_stride`, and row `r` of `output` at `r · output_stride`. Blocked like the linear
/// layer: [`ROW_BLOCK`] rows × [`PANEL_WIDTH`] columns at a time.
pub(crate) fn small_matmul(
    left: Strided<'_>,
    right: Strided<'_>,
    output: &mut [f32],
    output_stride: usize,
    shape: Shape,
) {
    let Shape { rows, inner, columns } = shape;
    let full_columns = columns / PANEL_WIDTH * PANEL_WIDTH;
    for column in (0..full_columns).step_by(PANEL_WIDTH) {
        let mut row = 0;
        while row + ROW_BLOCK <= rows {
            let sums = strided_block::<ROW_BLOCK>(left, right, row, column, inner);
            store(&sums, output, row, output_stride, column, PANEL_WIDTH);
            row += ROW_BLOCK;
        }
        match rows - row {
            3 => store(
                &strided_block::<3>(left, right, row, column, inner),
                output,
                row,
                output_stride,
                column,
                PANEL_WIDTH,
            ),
            2 => store(
                &strided_block::<2>(left, right, row, column, inner),
                output,
                row,
                output_stride,
                column,
                PANEL_WIDTH,
            ),
            1 => store(
                &strided_block::<1>(left, right, row, column, inner),
                output,
                row,
                output_stride,
                column,
                PANEL_WIDTH,
            ),
            _ => {}
        }
    }
    // The last columns, fewer than a panel, the plain way.
    for row in 0..rows {
        let left_row = &left.values[row * left.stride..][..inner];
        for column in full_columns..columns {
            let products =
                left_row.iter().enumerate().map(|(index, value)| value * right.values[index * right.stride + column]);
            output[row * output_stride + column] = products.sum();
        }
    }
}

/// A matrix in a slice: its values and the distance between the starts of its rows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Strided<'a> {
    /// The values, from the first row's start.
    pub(crate) values: &'a [f32],
    /// The distance between the starts of two rows.
    pub(crate) stride: usize,
}

/// The sizes of a [`small_matmul`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    /// The rows of the left matrix and of the output.
    pub(crate) rows: usize,
    /// The columns of the left matrix and the rows of the right.
    pub(crate) inner: usize,
    /// The columns of the right matrix and of the output.
    pub(crate) columns: usize,
}

/// One block of [`small_matmul`]: `ROWS` rows from `first_row`, [`PANEL_WIDTH`] columns from
/// `column`.
#[inline(always)]
fn strided_block<const ROWS: usize>(
    left: Strided<'_>,
    right: Strided<'_>,
    first_row: usize,
    column: usize,
    inner: usize,
) -> [[f32; PANEL_WIDTH]; ROWS] {
    let mut sums = [[0.0f32; PANEL_WIDTH]; ROWS];
    let lefts: [&[f32]; ROWS] =
        std::array::from_fn(|offset| &left.values[(first_row + offset) * left.stride..][..inner]);
    for index in 0..inner {
        let start = index * right.stride + column;
        let weights: &[f32; PANEL_WIDTH] = right.values[start..start + PANEL_WIDTH]
            .try_into()
            .unwrap_or_else(|_| unreachable!("the range has PANEL_WIDTH values"));
        for (sum, row) in sums.iter_mut().zip(lefts) {
            let value = row[index];
            for (sum, weight) in sum.iter_mut().zip(weights) {
                *sum += value * weight;
            }
        }
    }
    sums
}

/// Normalises each row of `values` (rows of `weight.len()` values) to mean zero and variance
/// one, then scales and shifts it: LayerNorm.
pub(crate) fn layer_norm(values: &mut [f32], weight: &[f32], bias: &[f32], epsilon: f32) {
    let width = weight.len();
    for row in values.chunks_exact_mut(width) {
        let mean = sum(row) / width as f32;
        let variance = row.iter().map(|value| (value - mean) * (value - mean)).sum::<f32>() / width as f32;
        let inverse = 1.0 / (variance + epsilon).sqrt();
        for ((value, weight), bias) in row.iter_mut().zip(weight).zip(bias) {
            *value = (*value - mean) * inverse * weight + bias;
        }
    }
}

/// Adds `addend` to `values`, value by value: the residual connections.
pub(crate) fn add_in_place(values: &mut [f32], addend: &[f32]) {
    for (value, addend) in values.iter_mut().zip(addend) {
        *value += addend;
    }
}

/// GELU in its exact form, `x · Φ(x) = x/2 · (1 + erf(x/√2))`, on every value.
pub(crate) fn gelu_in_place(values: &mut [f32]) {
    for value in values.iter_mut() {
        *value = 0.5 * *value * (1.0 + erf(*value * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// The error function, as a rational approximation in x² (the one of Eigen and XLA), accurate
/// to within 5·10⁻⁷ everywhere. It has no branch and no call, so that LLVM vectorises GELU.
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    // Beyond ±4, erf is ±1 to within f32's precision; the approximation is fitted inside.
    const CLAMP: f32 = 4.0;
    // The coefficients keep the digits they were published with, a few more than f32 holds.
    #[allow(clippy::excessive_precision)]
    const NUMERATOR: [f32; 7] = [
        -1.609_603_3e-2,
        -2.954_599_8e-3,
        -7.349_906_3e-4,
        -5.692_506_4e-5,
        -2.101_024e-6,
        2.770_681_4e-8,
        -2.726_142_3e-10,
    ];
    #[allow(clippy::excessive_precision)]
    const DENOMINATOR: [f32; 5] = [-1.426_474e-2, -7.373_329_2e-3, -1.682_827e-3, -2.133_740_6e-4, -1.456_607_2e-5];
    // Comparisons rather than `clamp`, so that LLVM vectorises the loops that call this.
    let x = larger(-CLAMP, smaller(x, CLAMP));
    let square = x * x;
    let numerator = horner(&NUMERATOR, square);
    let denominator = horner(&DENOMINATOR, square);
    x * numerator / denominator
}

/// A polynomial at x by Horner's rule, its coefficients constant term first. The last
/// coefficient starts the sum (not a zero times x, which LLVM may not drop, and which kept it
/// from vectorising the callers).
#[inline(always)]
fn horner<const TERMS: usize>(coefficients: &[f32; TERMS], x: f32) -> f32 {
    let (&last, rest) = coefficients.split_last().unwrap_or_else(|| unreachable!("a polynomial has a term"));
    rest.iter().rev().fold(last, |sum, &coefficient| sum * x + coefficient)
}

/// Turns scores into probabilities that sum to one, subtracting the largest score first so
/// that no exponential overflows.
pub(crate) fn softmax_in_place(scores: &mut [f32]) {
    let largest = scores.iter().fold(f32::NEG_INFINITY, |largest, &score| larger(largest, score));
    for score in scores.iter_mut() {
        *score = exp(*score - largest);
    }
    let total = sum(scores);
    let inverse = 1.0 / total;
    for score in scores.iter_mut() {
        *score *= inverse;
    }
}

/// The larger of two numbers, by a comparison: `f32::max` is a library call in wasm (whose own
/// max instruction treats NaN otherwise), and a comparison vectorises.
#[inline(always)]
pub(crate) fn larger(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else {
        b
    }
}

/// The smaller of two numbers, by a comparison (see [`larger`]).
#[inline(always)]
pub(crate) fn smaller(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else {
        b
    }
}

/// The largest magnitude among the values (zero when there are none), in eight lanes.
pub(crate) fn largest_magnitude(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let mut chunks = values.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, value) in lanes.iter_mut().zip(chunk) {
            *lane = larger(*lane, value.abs());
        }
    }
    let tail = chunks.remainder().iter().fold(0.0, |largest, value| larger(largest, value.abs()));
    lanes.iter().fold(tail, |largest, &lane| larger(largest, lane))
}

/// eˣ for the softmax, without a library call (wasm has no exp instruction): x is split into
/// n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 in two parts, so that n·ln 2 is exact), eʳ is a
/// polynomial, and 2ⁿ is set in the exponent bits. Relative error under 3·10⁻⁷ down to -87;
/// below that (where eˣ leaves f32's normal range) the result is zero.
#[inline(always)]
pub(crate) fn exp(x: f32) -> f32 {
    // A least-squares fit of eʳ on [-ln 2 / 2, ln 2 / 2] by a polynomial of degree 6, the
    // constant first.
    #[allow(clippy::excessive_precision)]
    const POLYNOMIAL: [f32; 7] =
        [1.0, 1.000_000_03, 0.500_000_008, 0.166_664_559, 0.041_666_280_4, 0.008_371_908_72, 0.001_394_459_58];
    // ln 2 as a part with 12 significant bits, 0.693145751953125 (so that n times it is
    // exact), and the rest.
    const LN_2_HIGH: f32 = f32::from_bits(0x3F31_7200);
    const LN_2_LOW: f32 = 1.428_606_8e-6;
    const LOWEST: f32 = -87.0;
    const HIGHEST: f32 = 88.0;
    let clamped = larger(LOWEST, smaller(x, HIGHEST));
    let scaled = clamped * std::f32::consts::LOG2_E;
    let whole = (scaled + 0.5f32.copysign(scaled)) as i32;
    let rest = clamped - whole as f32 * LN_2_HIGH - whole as f32 * LN_2_LOW;
    let polynomial = horner(&POLYNOMIAL, rest);
    // 127 + whole is between 1 and 254 after the clamp: a normal exponent.
    let power_of_two = f32::from_bits(((whole + 127) as u32) << 23);
    if x < LOWEST {
        0.0
    } else {
        polynomial * power_of_two
    }
}

/// The dot product of two vectors of equal length, summed in eight independent lanes so that
/// it vectorises.
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let mut a_chunks = a.chunks_exact(8);
    let mut b_chunks = b.chunks_exact(8);
    for (a, b) in (&mut a_chunks).zip(&mut b_chunks) {
        for ((lane, a), b) in lanes.iter_mut().zip(a).zip(b) {
            *lane += a * b;
        }
    }
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(a, b)| a * b).sum();
    sum(&lanes) + tail
}

/// The sum of the values, in eight independent lanes.
fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let mut chunks = values.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, value) in lanes.iter_mut().zip(chunk) {
            *lane += value;
        }
    }
    lanes.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>()
}

#[cfg(test)]
mod tests;
