//! Import tests on files the tests build themselves, one questionnaire in every format: merged
//! cells, a question split over two columns, an answer column with a dropdown, two question
//! sheets, an instructions sheet, placeholders, a blank row and a repeated header.
//!
//! The questionnaire is described once in `built/mod.rs`; each format's module writes it out
//! (xlsx with rust_xlsxwriter, ods as hand-written XML in a zip, CSV and TSV in several
//! encodings, VSAQ JSON) and checks that import finds exactly the expected questions.

mod built;
mod common;
