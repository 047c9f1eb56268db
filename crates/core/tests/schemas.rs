//! The JSON schemas for library editors (`answer-library/schema/`) stay in step with the
//! types: every field an entry or the profile serialises is in its schema, with nothing extra,
//! and every shipped file holds only fields its schema knows.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use trustfill_core::library::builtin;

fn read(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn the_entry_schema_names_exactly_the_entry_fields() {
    let schema = read("answer-library/schema/entries.schema.json");
    let properties = keys(&schema["$defs"]["entry"]["properties"]);
    // An entry with every optional field set serialises every field there is.
    let mut entry = builtin::library().entries.into_iter().find(|e| e.from_profile.is_some()).expect("a profile entry");
    entry.learned = vec!["A learned phrasing?".into()];
    let fields = keys(&serde_json::to_value(&entry).unwrap());
    assert_eq!(properties, fields, "answer-library/schema/entries.schema.json and library::Entry differ");
    for required in schema["$defs"]["entry"]["required"].as_array().unwrap() {
        assert!(fields.contains(required.as_str().unwrap()));
    }
}

#[test]
fn every_shipped_entry_uses_only_schema_fields() {
    let schema = read("answer-library/schema/entries.schema.json");
    let properties = keys(&schema["$defs"]["entry"]["properties"]);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../answer-library/entries");
    for file in std::fs::read_dir(&dir).unwrap().map(|f| f.unwrap().path()) {
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(keys(&value), keys(&schema["properties"]), "{}: top-level fields", file.display());
        for entry in value["entries"].as_array().unwrap() {
            let unknown: Vec<String> = keys(entry).difference(&properties).cloned().collect();
            assert!(unknown.is_empty(), "{}: {} has fields the schema lacks: {unknown:?}", file.display(), entry["id"]);
        }
    }
}

#[test]
fn the_profile_schema_names_exactly_the_profile_fields() {
    let schema = read("answer-library/schema/profile.schema.json");
    let shipped = read("answer-library/profile.json");
    let mut profile: trustfill_core::library::profile::Soc2Profile = serde_json::from_value(shipped).unwrap();
    // Both kinds of report, so that every optional field appears once.
    let type_ii = keys(&serde_json::to_value(&profile).unwrap());
    profile.as_of = Some("2026-01-01".into());
    let all: BTreeSet<String> = type_ii.union(&keys(&serde_json::to_value(&profile).unwrap())).cloned().collect();
    assert_eq!(keys(&schema["properties"]), all, "answer-library/schema/profile.schema.json and Soc2Profile differ");
}
