//! Library tables as XLSX: never a panic, and every entry read has a question.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    trustfill_fuzz::library_table_and_check(data, "library.xlsx");
});
