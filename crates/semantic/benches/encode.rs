//! Benchmarks: all-MiniLM-L6-v2 embedding the 238 gold questions (eval/gold.json) in batches
//! of 16 and of 8, at each precision of the asset (the forward pass runs in f32 whatever the
//! precision, so they should take the same time), and loading the int8 asset. One thread.
//! Needs the weights: run scripts/model.sh first. Run with
//! `cargo bench -p trustfill-semantic --bench encode`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;
use trustfill_semantic::{pack, Precision, SentenceEncoder};

/// The number of questions the browser's budget is stated for.
const BUDGET_QUESTIONS: f64 = 300.0;

fn workspace_file(path: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!("cannot read {} ({error}): run scripts/model.sh to fetch all-MiniLM-L6-v2", path.display())
    })
}

fn asset(precision: Precision) -> Vec<u8> {
    let weights = workspace_file("target/model/minilm/model.safetensors");
    let vocab = String::from_utf8(workspace_file("target/model/minilm/vocab.txt")).expect("vocab.txt is UTF-8");
    pack(&weights, &vocab, precision).expect("all-MiniLM-L6-v2 packs")
}

fn gold_questions() -> Vec<String> {
    let gold: serde_json::Value = serde_json::from_slice(&workspace_file("eval/gold.json")).expect("gold.json is JSON");
    let items = gold.as_array().expect("gold.json is an array");
    items.iter().map(|item| item["question"].as_str().expect("a question").to_owned()).collect()
}

fn embed_in_batches(encoder: &SentenceEncoder, questions: &[String], batch: usize) -> usize {
    questions.chunks(batch).map(|chunk| encoder.embed(chunk).len()).sum()
}

/// Prints the figures the browser budget is stated in: tokens a second, and milliseconds for
/// 300 questions, from a plain timing of a few runs.
fn report(encoder: &SentenceEncoder, questions: &[String], tokens: usize) {
    embed_in_batches(encoder, questions, 16);
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        black_box(embed_in_batches(encoder, questions, 16));
    }
    let seconds = start.elapsed().as_secs_f64() / f64::from(runs);
    println!(
        "gold set: {} questions, {tokens} tokens ({:.1} a question); {:.0} tokens/s; {:.0} ms per {BUDGET_QUESTIONS} questions",
        questions.len(),
        tokens as f64 / questions.len() as f64,
        tokens as f64 / seconds,
        seconds * 1000.0 * BUDGET_QUESTIONS / questions.len() as f64,
    );
}

fn benches(c: &mut Criterion) {
    let questions = gold_questions();
    let int8 = asset(Precision::Int8);
    let encoder = SentenceEncoder::from_asset(&int8).expect("the int8 asset loads");
    let tokens: usize = questions.iter().map(|question| encoder.tokenizer().encode(question).len()).sum();
    report(&encoder, &questions, tokens);

    let mut group = c.benchmark_group("encode");
    group.sample_size(10);
    group.throughput(Throughput::Elements(tokens as u64));
    for batch in [16, 8] {
        group.bench_function(format!("238 gold questions, batches of {batch}, int8"), |b| {
            b.iter(|| black_box(embed_in_batches(&encoder, &questions, batch)))
        });
    }
    for precision in [Precision::F16, Precision::F32] {
        let other = SentenceEncoder::from_asset(&asset(precision)).expect("the asset loads");
        group.bench_function(format!("238 gold questions, batches of 16, {precision}"), |b| {
            b.iter(|| black_box(embed_in_batches(&other, &questions, 16)))
        });
    }
    group.finish();

    let mut load = c.benchmark_group("load");
    load.sample_size(10);
    load.bench_function("int8 asset", |b| b.iter(|| black_box(SentenceEncoder::from_asset(&int8).expect("loads"))));
    load.finish();
}

criterion_group!(encode, benches);
criterion_main!(encode);
