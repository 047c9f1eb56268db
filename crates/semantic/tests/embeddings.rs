//! The encoder on the real all-MiniLM-L6-v2 agrees with the numpy forward pass of
//! scripts/model/reference.py (tests/data/embeddings_reference.json) at every precision.

mod common;

use trustfill_semantic::{pack, Precision, SentenceEncoder};

/// The reference sentences, their ids, and their embeddings.
fn reference() -> Vec<(String, Vec<u32>, Vec<f32>)> {
    let fixture = common::fixture("embeddings_reference.json");
    let sentences = fixture["sentences"].as_array().expect("sentences is an array");
    sentences
        .iter()
        .map(|sentence| {
            let embedding = sentence["embedding"].as_array().expect("embedding is an array");
            let embedding = embedding.iter().map(|value| value.as_f64().expect("a number") as f32).collect();
            (sentence["text"].as_str().expect("text").to_owned(), common::ids(&sentence["ids"]), embedding)
        })
        .collect()
}

fn encoder(precision: Precision) -> SentenceEncoder {
    let asset = pack(&common::model_file("model.safetensors"), &common::vocab_text(), precision)
        .unwrap_or_else(|error| panic!("all-MiniLM-L6-v2 packs at {precision}: {error}"));
    SentenceEncoder::from_asset(&asset).unwrap_or_else(|error| panic!("the {precision} asset loads: {error}"))
}

/// The cosine of each sentence's embedding with the reference's; the smallest is reported.
fn check(precision: Precision, least_cosine: f32) {
    let encoder = encoder(precision);
    let reference = reference();
    assert_eq!(reference.len(), 12);
    let texts: Vec<&str> = reference.iter().map(|(text, _, _)| text.as_str()).collect();
    let embeddings = encoder.embed(&texts);
    let mut smallest = f32::INFINITY;
    for ((text, ids, expected), embedding) in reference.iter().zip(&embeddings) {
        assert_eq!(&encoder.tokenizer().encode(text), ids, "{text:?} is tokenized as the reference does");
        let cosine: f32 = embedding.as_slice().iter().zip(expected).map(|(a, b)| a * b).sum();
        smallest = smallest.min(cosine);
        assert!(
            cosine >= least_cosine,
            "{precision}: {text:?} has cosine {cosine} with the reference, under {least_cosine}"
        );
    }
    eprintln!(
        "{precision}: the smallest cosine with the reference is {smallest:.7} (1 - cosine = {:.2e})",
        1.0 - smallest
    );
}

#[test]
fn f32_matches_the_reference() {
    check(Precision::F32, 0.9999);
}

#[test]
fn f16_matches_the_reference() {
    check(Precision::F16, 0.999);
}

#[test]
fn int8_matches_the_reference() {
    check(Precision::Int8, 0.99);
}

#[test]
fn related_sentences_are_closer_than_unrelated_ones() {
    let encoder = encoder(Precision::Int8);
    let [question, answer, unrelated] = [
        "How do you make sure former employees can no longer get in?",
        "Access is revoked within 24 hours of termination.",
        "My favourite pasta recipe uses fresh basil and garlic.",
    ]
    .map(|text| encoder.embed_one(text));
    assert!(question.cosine(&answer) > question.cosine(&unrelated) + 0.2);
}
