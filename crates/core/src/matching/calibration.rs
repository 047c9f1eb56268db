//! Turning match features into a calibrated confidence: the probability, estimated on the
//! labelled gold set (`eval/gold.json`), that the suggestion is an acceptable answer.
//!
//! There are two models, both logistic regressions refitted with `trustfill eval fit` whenever
//! the library, the lexicon or the ranking changes: the lexical one over three features, and
//! the hybrid one, used when sentence vectors took part, over those three and the semantic
//! similarity.

use serde::{Deserialize, Serialize};

/// What the confidence is computed from, kept in the explanation so that it can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ConfidenceFeatures {
    /// The share of the question's term weight (IDF) that the matched phrasing covers.
    pub question_coverage: f32,
    /// The share of the matched phrasing's term weight that the question covers.
    pub phrasing_coverage: f32,
    /// The ranking score's lead over the runner-up (for the top suggestion), or its distance
    /// behind the leader (for the others, so negative). A clear winner is more often right.
    pub gap: f32,
    /// The cosine similarity of the question's and the entry's sentence vectors, when the
    /// semantic model took part (see `matching::semantic`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic: Option<f32>,
}

impl ConfidenceFeatures {
    pub fn as_array(&self) -> [f32; 3] {
        [self.question_coverage, self.phrasing_coverage, self.gap]
    }

    /// The hybrid model's features: the lexical three and the semantic similarity.
    pub fn as_hybrid_array(&self) -> [f32; 4] {
        [self.question_coverage, self.phrasing_coverage, self.gap, self.semantic.unwrap_or(0.0)]
    }
}

/// The fitted weights of question coverage, phrasing coverage and gap.
pub const WEIGHTS: [f32; 3] = [0.46, 1.08, 4.60];
/// The fitted intercept.
pub const BIAS: f32 = -1.61;

/// The hybrid model's fitted weights of question coverage, phrasing coverage, gap (of the
/// fused ranking score) and semantic similarity.
pub const HYBRID_WEIGHTS: [f32; 4] = [0.68, 1.54, 3.53, 4.21];
/// The hybrid model's fitted intercept.
pub const HYBRID_BIAS: f32 = -3.44;

/// The calibrated confidence in [0, 1], from the hybrid model when the features carry a
/// semantic similarity and from the lexical one otherwise.
pub fn confidence(features: &ConfidenceFeatures) -> f32 {
    match features.semantic {
        Some(_) => logistic(&features.as_hybrid_array(), &HYBRID_WEIGHTS, HYBRID_BIAS),
        None => logistic(&features.as_array(), &WEIGHTS, BIAS),
    }
}

fn logistic<const N: usize>(x: &[f32; N], weights: &[f32; N], bias: f32) -> f32 {
    let z: f32 = x.iter().zip(weights).map(|(x, w)| x * w).sum::<f32>() + bias;
    1.0 / (1.0 + (-z).exp())
}

/// Fits the weights and intercept by gradient descent on (features, was right) pairs, with a
/// little L2 regularisation so that a small gold set cannot push the weights to extremes.
pub fn fit<const N: usize>(samples: &[([f32; N], bool)]) -> ([f32; N], f32) {
    const STEPS: usize = 20_000;
    const LEARNING_RATE: f32 = 0.5;
    const L2: f32 = 0.001;
    let mut weights = [0.0f32; N];
    let mut bias = 0.0f32;
    let n = samples.len().max(1) as f32;
    for _ in 0..STEPS {
        let mut grad_w = [0.0f32; N];
        let mut grad_b = 0.0f32;
        for (x, right) in samples {
            let z: f32 = x.iter().zip(weights).map(|(x, w)| x * w).sum::<f32>() + bias;
            let error = 1.0 / (1.0 + (-z).exp()) - f32::from(u8::from(*right));
            for (g, xi) in grad_w.iter_mut().zip(x) {
                *g += error * xi;
            }
            grad_b += error;
        }
        for (w, g) in weights.iter_mut().zip(grad_w) {
            *w -= LEARNING_RATE * (g / n + L2 * *w);
        }
        bias -= LEARNING_RATE * grad_b / n;
    }
    (weights, bias)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_grows_with_every_feature() {
        let base = ConfidenceFeatures { question_coverage: 0.5, phrasing_coverage: 0.5, gap: 0.05, semantic: None };
        let c = confidence(&base);
        assert!((0.0..=1.0).contains(&c));
        assert!(confidence(&ConfidenceFeatures { question_coverage: 0.9, ..base }) > c);
        assert!(confidence(&ConfidenceFeatures { phrasing_coverage: 0.9, ..base }) > c);
        assert!(confidence(&ConfidenceFeatures { gap: 0.3, ..base }) > c);
    }

    #[test]
    fn fitting_separates_separable_data() {
        let samples: Vec<([f32; 3], bool)> = (0..40)
            .map(|i| {
                let x = i as f32 / 40.0;
                ([x, x, x - 0.5], x > 0.5)
            })
            .collect();
        let (weights, bias) = fit(&samples);
        let p = |x: f32| 1.0 / (1.0 + (-(weights[0] * x + weights[1] * x + weights[2] * (x - 0.5) + bias)).exp());
        assert!(p(0.9) > 0.8 && p(0.1) < 0.2, "{weights:?} {bias}");
    }
}
