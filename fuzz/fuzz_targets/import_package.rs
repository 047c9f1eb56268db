//! Reopening a response package: never a panic, one response per question within the question
//! limit, confidences between 0 and 1, and a package written from the reopened review reads
//! back to the same questions and responses.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trustfill_core::export::package::to_package;
use trustfill_core::import::package::read_package;
use trustfill_core::{limits, ReviewSession};

fuzz_target!(|data: &[u8]| {
    let package = match read_package(data, "fuzz.json") {
        Ok(package) => package,
        Err(error) => {
            let message = error.to_string();
            assert!(message.ends_with('.') && !message.contains('\n'), "not one plain sentence: {message:?}");
            return;
        }
    };
    let questions = &package.questionnaire.questions;
    assert!(questions.len() <= limits::MAX_QUESTIONS);
    assert_eq!(package.responses.len(), questions.len());
    for response in &package.responses {
        assert!(response.confidence.is_none_or(|c| (0.0..=1.0).contains(&c)), "{response:?}");
    }
    let session = ReviewSession::reopened(package.clone());
    let json = to_package(&session);
    let again = read_package(json.as_bytes(), "again.json").expect("a package Trustfill wrote reads back");
    assert_eq!(again.questionnaire.questions, package.questionnaire.questions);
    assert_eq!(again.responses, package.responses);
    assert_eq!(again.library_version, package.library_version);
});
