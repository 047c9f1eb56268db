//! Library JSON: never a panic, and whatever reads writes back to the same entries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trustfill_core::library::{builtin, Library};

fuzz_target!(|data: &[u8]| {
    let Ok(entries) = Library::entries_from_file(data, "library.json") else { return };
    assert!(entries.len() <= trustfill_core::limits::MAX_LIBRARY_ENTRIES);
    let json = Library::new(entries.clone(), builtin::criteria()).to_json();
    let again = Library::entries_from_json(&json).expect("a library's own JSON reads back");
    assert_eq!(again, entries);
});
