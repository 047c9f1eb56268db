//! Tests of the kernels against plain loops.

use super::*;
use proptest::prelude::*;

/// `input · weightᵀ + bias`, the obvious way.
fn naive_linear(input: &[f32], weight: &[f32], bias: &[f32], rows: usize, outputs: usize, inputs: usize) -> Vec<f32> {
    let mut output = vec![0.0; rows * outputs];
    for row in 0..rows {
        for out in 0..outputs {
            let mut total = f64::from(bias[out]);
            for index in 0..inputs {
                total += f64::from(input[row * inputs + index]) * f64::from(weight[out * inputs + index]);
            }
            output[row * outputs + out] = total as f32;
        }
    }
    output
}

fn values(count: usize, seed: u32) -> Vec<f32> {
    (0..count)
        .map(|index| {
            ((index as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 8) as f32 / (1 << 24) as f32 - 0.5
        })
        .collect()
}

proptest! {
    /// The packed, blocked linear layer agrees with the plain loops for any shape, including
    /// rows that do not fill a block and outputs that do not fill a panel.
    #[test]
    fn linear_matches_the_plain_loops(rows in 0usize..13, outputs in 1usize..21, inputs in 1usize..40, seed in any::<u32>()) {
        let input = values(rows * inputs, seed);
        let weight = values(outputs * inputs, seed ^ 0x5555);
        let bias = values(outputs, seed ^ 0xAAAA);
        let linear = Linear::new(&weight, bias.clone(), outputs, inputs);
        let mut output = vec![f32::NAN; rows * outputs];
        linear.forward(&input, rows, &mut output);
        let expected = naive_linear(&input, &weight, &bias, rows, outputs, inputs);
        for (actual, expected) in output.iter().zip(&expected) {
            prop_assert!((actual - expected).abs() < 1e-4, "{actual} vs {expected}");
        }
    }
}

#[test]
fn linear_handles_rows_beyond_one_chunk() {
    let (rows, outputs, inputs) = (150, 16, 1536);
    let input = values(rows * inputs, 7);
    let weight = values(outputs * inputs, 8);
    let bias = values(outputs, 9);
    let mut output = vec![0.0; rows * outputs];
    Linear::new(&weight, bias.clone(), outputs, inputs).forward(&input, rows, &mut output);
    let expected = naive_linear(&input, &weight, &bias, rows, outputs, inputs);
    let worst = output.iter().zip(&expected).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(worst < 1e-3, "worst error {worst}");
}

#[test]
fn erf_is_accurate() {
    // Reference values of erf, to 9 digits.
    let cases = [
        (0.0, 0.0),
        (0.1, 0.112_462_916),
        (0.5, 0.520_499_878),
        (1.0, 0.842_700_793),
        (2.0, 0.995_322_265),
        (3.5, 0.999_999_257),
        (-1.0, -0.842_700_793),
        (10.0, 1.0),
        (-10.0, -1.0),
    ];
    for (x, expected) in cases {
        assert!((f64::from(erf(x)) - expected).abs() < 5e-7, "erf({x}) = {}, not {expected}", erf(x));
    }
}

#[test]
fn gelu_softmax_and_layer_norm() {
    let mut values = [-3.0f32, -1.0, 0.0, 1.0, 3.0];
    gelu_in_place(&mut values);
    let expected = [-0.004_049_7, -0.158_655_26, 0.0, 0.841_344_7, 2.995_950_3];
    assert!(values.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-6), "{values:?}");

    let mut scores = [1.0f32, 2.0, 3.0, 1000.0];
    softmax_in_place(&mut scores);
    assert!((scores.iter().sum::<f32>() - 1.0).abs() < 1e-6 && scores[3] > 0.999);

    let mut rows = [1.0f32, 2.0, 3.0, 4.0, 10.0, 10.0, 10.0, 10.0];
    layer_norm(&mut rows, &[1.0, 1.0, 1.0, 2.0], &[0.0, 0.0, 0.0, 1.0], 1e-12);
    let expected = [-1.341_640_8, -0.447_213_6, 0.447_213_6, 3.683_281_6, 0.0, 0.0, 0.0, 1.0];
    assert!(rows.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-5), "{rows:?}");

    let a = values_of(19);
    let b = values_of(19).into_iter().rev().collect::<Vec<_>>();
    let expected: f32 = a.iter().zip(&b).map(|(a, b)| a * b).sum();
    assert!((dot(&a, &b) - expected).abs() < 1e-4);
}

fn values_of(count: usize) -> Vec<f32> {
    (0..count).map(|index| index as f32 * 0.25 - 2.0).collect()
}

proptest! {
    /// The integer linear layer agrees with f32 arithmetic on its dequantised weights, to
    /// within the i16 quantisation of the inputs, for any shape (odd inputs included).
    #[test]
    fn quantized_linear_matches_f32_arithmetic(rows in 0usize..11, outputs in 1usize..21, inputs in 1usize..40, seed in any::<u32>()) {
        let input = values(rows * inputs, seed);
        let weight: Vec<i8> = values(outputs * inputs, seed ^ 0x5555).iter().map(|value| (value * 254.0) as i8).collect();
        let scales: Vec<f32> = values(outputs, seed ^ 0x3333).iter().map(|value| value.abs() / 100.0).collect();
        let bias = values(outputs, seed ^ 0xAAAA);
        let dequantised: Vec<f32> = weight.chunks_exact(inputs).zip(&scales).flat_map(|(row, scale)| row.iter().map(move |&value| f32::from(value) * scale)).collect();
        let linear = QuantizedLinear::new(&weight, &scales, bias.clone(), outputs, inputs);
        let mut output = vec![f32::NAN; rows * outputs];
        linear.forward(&input, rows, &mut output, &mut QuantizedInput::default());
        let expected = naive_linear(&input, &dequantised, &bias, rows, outputs, inputs);
        for (actual, expected) in output.iter().zip(&expected) {
            prop_assert!((actual - expected).abs() < 1e-4, "{actual} vs {expected}");
        }
    }
}

#[test]
fn quantized_linear_cannot_overflow() {
    // The largest inputs and weights there can be, over the widest layer of MiniLM: the sums
    // stay in i32 because the inputs are quantised to fewer levels for wide layers.
    let (rows, outputs, inputs) = (5, 8, 1536);
    let input = vec![-3.0e4f32; rows * inputs];
    let weight = vec![-127i8; outputs * inputs];
    let scales = vec![1.0f32; outputs];
    let linear = QuantizedLinear::new(&weight, &scales, vec![0.0; outputs], outputs, inputs);
    let mut output = vec![0.0; rows * outputs];
    linear.forward(&input, rows, &mut output, &mut QuantizedInput::default());
    let expected = 3.0e4 * 127.0 * inputs as f32;
    assert!(output.iter().all(|value| (value - expected).abs() / expected < 1e-3), "{:?}", &output[..4]);
}

#[test]
fn exp_is_accurate() {
    for step in -870..=880 {
        let x = step as f32 / 10.0;
        let expected = f64::from(x).exp();
        let relative = (f64::from(exp(x)) - expected).abs() / expected;
        assert!(relative < 3e-7, "exp({x}) = {}, not {expected} (relative error {relative})", exp(x));
    }
    assert_eq!(exp(-200.0), 0.0);
    assert_eq!(exp(f32::NEG_INFINITY), 0.0);
}

#[test]
fn largest_magnitude_of_any_length() {
    assert_eq!(largest_magnitude(&[]), 0.0);
    assert_eq!(largest_magnitude(&[-3.0]), 3.0);
    let values: Vec<f32> = (0..19).map(|index| if index == 17 { -9.5 } else { index as f32 * 0.1 }).collect();
    assert_eq!(largest_magnitude(&values), 9.5);
}

proptest! {
    /// The strided product agrees with the plain loops, for shapes that do not fill blocks.
    #[test]
    fn small_matmul_matches_the_plain_loops(rows in 1usize..11, inner in 1usize..30, columns in 1usize..20, extra in 0usize..3, seed in any::<u32>()) {
        let (left_stride, right_stride, output_stride) = (inner + extra, columns + 2 * extra, columns + extra);
        let left = values(rows * left_stride, seed);
        let right = values(inner * right_stride, seed ^ 0x1234);
        let mut output = vec![f32::NAN; rows * output_stride];
        small_matmul(
            Strided { values: &left, stride: left_stride },
            Strided { values: &right, stride: right_stride },
            &mut output,
            output_stride,
            Shape { rows, inner, columns },
        );
        for row in 0..rows {
            for column in 0..columns {
                let expected: f32 = (0..inner).map(|index| left[row * left_stride + index] * right[index * right_stride + column]).sum();
                let actual = output[row * output_stride + column];
                prop_assert!((actual - expected).abs() < 1e-4, "{actual} vs {expected}");
            }
        }
    }
}
