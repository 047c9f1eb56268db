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
