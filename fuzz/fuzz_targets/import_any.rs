//! Import of any bytes under a name chosen by the first byte, so that the fuzzer also reaches
//! the format sniffing: a zip named .csv, an OLE file named .json, a docx.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// The names the first byte picks from.
const NAMES: [&str; 10] =
    ["q.xlsx", "q.xlsm", "q.xls", "q.ods", "q.csv", "q.tsv", "q.json", "q.docx", "q.txt", "questionnaire"];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    trustfill_fuzz::import_and_check(rest, NAMES[first as usize % NAMES.len()]);
});
