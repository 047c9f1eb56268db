//! Import of bytes named as a Word document: never a panic, and a questionnaire that holds together.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    trustfill_fuzz::import_and_check(data, "fuzz.docx");
});
