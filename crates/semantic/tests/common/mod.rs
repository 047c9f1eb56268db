//! What the integration tests share: where the model files are, and the reference fixtures.

#![allow(dead_code)]

use std::path::PathBuf;

/// The folder that scripts/model.sh fills with all-MiniLM-L6-v2: target/model/minilm at the
/// workspace root.
pub fn model_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/model/minilm")
}

/// A file of the model folder. A missing file fails the test, never skips it: the weights are
/// part of what these tests need.
pub fn model_file(name: &str) -> Vec<u8> {
    let path = model_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!("cannot read {} ({error}): run scripts/model.sh to fetch all-MiniLM-L6-v2", path.display())
    })
}

/// The vocabulary of the model, in `vocab.txt` form.
pub fn vocab_text() -> String {
    String::from_utf8(model_file("vocab.txt")).expect("vocab.txt is UTF-8")
}

/// A fixture of tests/data, parsed as JSON.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

/// The ids in a fixture's `ids` array.
pub fn ids(value: &serde_json::Value) -> Vec<u32> {
    value.as_array().expect("ids is an array").iter().map(|id| id.as_u64().expect("an id is a number") as u32).collect()
}
