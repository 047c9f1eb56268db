//! Benchmarks: index build and matching at scale (2,000 questions against 5,000 entries),
//! one library edit, and importing the HECVAT workbook. Run with `make bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use trustfill_core::library::{builtin, Entry, Library};
use trustfill_core::matching::Matcher;

/// Words mixed into synthetic entries so that copies of the built-in library differ.
const VARIANTS: [&str; 10] = [
    "production",
    "customer",
    "quarterly",
    "documented",
    "regional",
    "vendor",
    "annual",
    "automated",
    "internal",
    "external",
];

/// A library of `size` entries made from the built-in one, each copy reworded a little.
fn scaled_library(size: usize) -> Library {
    let base = builtin::library();
    let entries: Vec<Entry> = (0..size)
        .map(|i| {
            let source = &base.entries[i % base.entries.len()];
            let variant = VARIANTS[(i / base.entries.len()) % VARIANTS.len()];
            let mut entry = source.clone();
            entry.id = format!("{}-{i}", source.id);
            entry.question = format!("{} ({variant})", source.question);
            entry
        })
        .collect();
    Library::new(entries, base.criteria.clone())
}

/// `count` realistic questions: the built-in entries' alternates, reworded.
fn sample_questions(count: usize) -> Vec<String> {
    let base = builtin::library();
    let phrasings: Vec<&str> = base.entries.iter().flat_map(|e| e.alternates.iter().map(String::as_str)).collect();
    (0..count).map(|i| format!("{} {}", phrasings[i % phrasings.len()], VARIANTS[i % VARIANTS.len()])).collect()
}

fn benches(c: &mut Criterion) {
    let library = scaled_library(5_000);
    let questions = sample_questions(2_000);
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.bench_function("index 5000 entries", |b| b.iter(|| black_box(Matcher::new(&library))));
    let matcher = Matcher::new(&library);
    group.bench_function("match 2000 questions against 5000 entries", |b| {
        b.iter(|| black_box(matcher.match_all(questions.iter().map(String::as_str))))
    });
    let mut editable = Matcher::new(&library);
    let mut edited = library.entries[42].clone();
    group.bench_function("re-index one edited entry", |b| {
        b.iter(|| {
            edited.alternates.push("Is this a new phrasing?".into());
            editable.upsert(black_box(&edited));
            edited.alternates.pop();
        })
    });
    group.finish();

    let builtin = builtin::library();
    let matcher = Matcher::new(&builtin);
    let sample = sample_questions(300);
    c.bench_function("match 300 questions against the built-in library", |b| {
        b.iter(|| black_box(matcher.match_all(sample.iter().map(String::as_str))))
    });

    let hecvat =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/hecvat/HECVAT-4.1.4-blank.xlsx"));
    if let Ok(bytes) = hecvat {
        let mut group = c.benchmark_group("import");
        group.sample_size(10);
        group.bench_function("import HECVAT 4.1.4", |b| {
            b.iter(|| black_box(trustfill_core::import_questionnaire(&bytes, "HECVAT-4.1.4-blank.xlsx")))
        });
        group.finish();
    }
}

criterion_group!(matching, benches);
criterion_main!(matching);
